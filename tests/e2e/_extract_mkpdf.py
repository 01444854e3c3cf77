#!/usr/bin/python3
"""Writes small PDFs for the extract tests.

  _extract_mkpdf.py image OUT.pdf     one page holding only an image (no text layer)
  _extract_mkpdf.py pages N OUT.pdf   N pages of drawn text (for limits)
  _extract_mkpdf.py columns OUT.pdf   a title, two columns of running text with
                                      aligned baselines (L1..L12, R1..R12), a footer
  _extract_mkpdf.py rulings OUT.pdf   2x2 grids drawn in ways that are rulings
                                      and ways that are not (see RULING_GRIDS)
"""
import sys
import zlib


def write_pdf(path, objects):
    """objects: list of bytes (object bodies, numbered from 1)."""
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for i, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % i + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for off in offsets:
        out += b"%010d 00000 n \n" % off
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    with open(path, "wb") as f:
        f.write(out)


def stream(dictionary, data):
    return b"<< " + dictionary + b" /Length %d >>\nstream\n" % len(data) + data + b"\nendstream"


def image_pdf(path):
    w = h = 16
    pixels = bytes((x * 16 + y * 7) & 0xFF for y in range(h) for x in range(w))
    img = zlib.compress(pixels)
    content = b"q 400 0 0 400 100 300 cm /Im1 Do Q"
    write_pdf(path, [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /XObject << /Im1 5 0 R >> >> /Contents 4 0 R >>",
        stream(b"", content),
        stream(b"/Type /XObject /Subtype /Image /Width %d /Height %d /ColorSpace /DeviceGray /BitsPerComponent 8 /Filter /FlateDecode" % (w, h), img),
    ])


def text_pdf(path, n):
    kids = b" ".join(b"%d 0 R" % (4 + 2 * i) for i in range(n))
    objs = [b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [" + kids + b"] /Count %d >>" % n,
            b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"]
    for i in range(n):
        page_obj = 4 + 2 * i
        objs.append(b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 3 0 R >> >> /Contents %d 0 R >>" % (page_obj + 1))
        objs.append(stream(b"", b"BT /F1 12 Tf 72 770 Td (Page %d of the test) Tj ET" % (i + 1)))
    write_pdf(path, objs)


def columns_pdf(path):
    words = "budget plan review office city council target year result item".split()
    ops = [b"BT /F1 16 Tf 150 790 Td (Two column report title) Tj ET"]
    for i in range(12):
        y = 740 - 14 * i
        left = " ".join(words[(i + k) % len(words)] for k in range(8))
        right = " ".join(words[(i + 3 + k) % len(words)] for k in range(8))
        ops.append(b"BT /F1 10 Tf 60 %d Td (L%d %s) Tj ET" % (y, i + 1, left.encode()))
        ops.append(b"BT /F1 10 Tf 320 %d Td (R%d %s) Tj ET" % (y, i + 1, right.encode()))
    ops.append(b"BT /F1 9 Tf 290 40 Td (- 1 -) Tj ET")
    write_pdf(path, [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>",
        stream(b"", b"\n".join(ops)),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ])


# name -> (is it a ruled table?, PDF operators drawing a 2x2 grid in the
# box x, y (lower left), w, h).  The cells hold NAME-1 .. NAME-4.
def _lines(x, y, w, h, paint):
    segs = [(x, y + k * h / 2, x + w, y + k * h / 2) for k in range(3)] + \
           [(x + k * w / 2, y, x + k * w / 2, y + h) for k in range(3)]
    return b" ".join(b"%.2f %.2f m %.2f %.2f l" % s for s in segs) + b" " + paint


def _thin_rects(x, y, w, h, t):
    rects = [(x, y + k * h / 2 - t / 2, w, t) for k in range(3)] + \
            [(x + k * w / 2 - t / 2, y, t, h) for k in range(3)]
    return b" ".join(b"%.2f %.2f %.2f %.2f re" % r for r in rects) + b" f"


RULING_GRIDS = [
    ("stroked", True, lambda x, y, w, h: b"0 G 0.5 w " + _lines(x, y, w, h, b"S")),
    ("hairline", True, lambda x, y, w, h: b"0 G 0 w " + _lines(x, y, w, h, b"S")),
    ("filled", True, lambda x, y, w, h: b"0 g " + _thin_rects(x, y, w, h, 0.4)),
    ("grey", True, lambda x, y, w, h: b"0.5 G 1 w " + _lines(x, y, w, h, b"S")),
    ("dashed", True, lambda x, y, w, h: b"0 G 0.5 w [2 2] 0 d " + _lines(x, y, w, h, b"S") + b" [] 0 d"),
    ("scaled", True, lambda x, y, w, h: b"q 2 0 0 2 0 0 cm 0 G 0.25 w " + _lines(x / 2, y / 2, w / 2, h / 2, b"S") + b" Q"),
    ("form", True, lambda x, y, w, h: b"q 1 0 0 1 %.2f %.2f cm /Fm1 Do Q" % (x, y)),
    ("heavy", True, lambda x, y, w, h: b"0 g " + _thin_rects(x, y, w, h, 4)),
    ("white", False, lambda x, y, w, h: b"1 G 1 w " + _lines(x, y, w, h, b"S")),
    ("faint", False, lambda x, y, w, h: b"0.9 G 1 w " + _lines(x, y, w, h, b"S")),
    ("thick", False, lambda x, y, w, h: b"0 G 7 w " + _lines(x, y, w, h, b"S")),
    ("bands", False, lambda x, y, w, h: b"0 g " + _thin_rects(x, y, w, h, 7)),
    ("clipped", False, lambda x, y, w, h: b"q 0 0 1 1 re W n 0 G 1 w " + _lines(x, y, w, h, b"S") + b" Q"),
    ("slanted", False, lambda x, y, w, h: b"0 G 1 w " + b" ".join(
        b"%.2f %.2f m %.2f %.2f l" % s for s in
        [(x, y + k * h / 2, x + w, y + k * h / 2 + 12) for k in range(3)] +
        [(x + k * w / 2, y, x + k * w / 2 + 12, y + h) for k in range(3)]) + b" S"),
    ("curved", False, lambda x, y, w, h: b"0 G 1 w " + b" ".join(
        b"%.2f %.2f m %.2f %.2f %.2f %.2f %.2f %.2f c" % (a, b_, a + 30, b_ + 8, c - 30, d + 8, c, d) for a, b_, c, d in
        [(x, y + k * h / 2, x + w, y + k * h / 2) for k in range(3)]) + b" " + b" ".join(
        b"%.2f %.2f m %.2f %.2f %.2f %.2f %.2f %.2f c" % (a, b_, a + 8, b_ + 20, c + 8, d - 20, c, d) for a, b_, c, d in
        [(x + k * w / 2, y, x + k * w / 2, y + h) for k in range(3)]) + b" S"),
]
GRID_W, GRID_H = 220, 60


def rulings_pdf(path):
    ops = []
    for i, (name, _, draw) in enumerate(RULING_GRIDS):
        x = 50 + (i % 2) * 270
        y = 740 - (i // 2) * 100
        ops.append(draw(x, y, GRID_W, GRID_H))
        for k in range(4):
            cx = x + (k % 2) * GRID_W / 2 + 8
            cy = y + GRID_H - (k // 2 + 1) * GRID_H / 2 + 10
            ops.append(b"BT /F1 10 Tf %.2f %.2f Td (%s-%d) Tj ET" % (cx, cy, name.encode(), k + 1))
    form = b"0 G 0.5 w " + _lines(0, 0, GRID_W, GRID_H, b"S")
    write_pdf(path, [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 5 0 R >> /XObject << /Fm1 6 0 R >> >> /Contents 4 0 R >>",
        stream(b"", b"\n".join(ops)),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        stream(b"/Type /XObject /Subtype /Form /BBox [0 0 %d %d]" % (GRID_W, GRID_H), form),
    ])


if __name__ == "__main__":
    if sys.argv[1] == "image":
        image_pdf(sys.argv[2])
    elif sys.argv[1] == "rulings":
        rulings_pdf(sys.argv[2])
    elif sys.argv[1] == "columns":
        columns_pdf(sys.argv[2])
    elif sys.argv[1] == "pages":
        text_pdf(sys.argv[3], int(sys.argv[2]))
    else:
        sys.exit(2)
