#!/usr/bin/python3
"""gen_bad — makes corpus/bad/: the inputs every stage must reject cleanly
(and two damaged-looking ones it must accept), plus corpus/bad/EXPECTED.tsv.

Each bad file is derived from one good corpus PDF (the first of SOURCES that
exists; if none does yet, a small PDF this script writes itself), so the
damage is the only thing wrong with it.  Standard library only, plus
poppler-utils (pdftoppm) and qpdf.

Deterministic: the same source gives the same bytes, except that qpdf draws
fresh random salts for AES-256 on every run; so encrypted outputs are only
rewritten when their source changed (the source's SHA-256 is kept in
corpus/bad/SOURCE.sha256).

EXPECTED.tsv columns: file, the exit status `keikaku extract FILE` must give
(README.md: 3 unreadable/not a PDF/damaged, 4 encrypted, 5 no text layer,
0 ok), and a word its one-line error message must contain (empty for 0).
"""
import hashlib
import os
import re
import subprocess
import sys
import tempfile
import zlib

HERE = os.path.dirname(os.path.abspath(__file__))
CORPUS = os.path.dirname(HERE)
BAD = os.path.join(CORPUS, "bad")

# Good corpus PDFs to damage, in order of preference.
SOURCES = ["003-arao-reform-outline.pdf", "002-ogori-results.pdf"]

# Passwords of the encrypted files (tests may use them to check that the
# file itself is sound).
USER_PASSWORD = "kk-user"
OWNER_PASSWORD = "kk-owner"

# (file, exit status of `keikaku extract`, word the message must contain)
EXPECTED = [
    ("empty.pdf", 3, "empty"),
    ("not-a-pdf.pdf", 3, "not a PDF"),
    ("header-only.pdf", 3, "damaged"),
    ("truncated.pdf", 3, "damaged"),
    # Garbled xref offsets: Poppler rebuilds the xref by scanning the objects,
    # as every viewer does, so the document is readable and must extract.
    ("broken-xref.pdf", 0, ""),
    ("encrypted.pdf", 4, "encrypted"),
    # An owner password only restricts permissions; the file opens without
    # any password, so it is NOT an error.
    ("owner-only.pdf", 0, ""),
    ("image-only.pdf", 5, "text layer"),
]


def pdf_bytes(objects):
    """Serializes a PDF from `objects` (a list of bodies of objects 1..N as
    bytes; object 1 must be the catalog) with a correct classic xref table."""
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for i, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % i + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for off in offsets:
        out += b"%010d 00000 n \n" % off
    out += (b"trailer\n<</Size %d/Root 1 0 R>>\nstartxref\n%d\n%%%%EOF\n"
            % (len(objects) + 1, xref))
    return bytes(out)


def stream(dict_entries, data):
    """A stream object body with /Length filled in."""
    return (b"<<%s/Length %d>>\nstream\n" % (dict_entries, len(data))
            + data + b"\nendstream")


def fallback_pdf():
    """A one-page text PDF (Helvetica, ASCII) used only while no corpus PDF
    exists yet."""
    text = (b"BT /F1 14 Tf 72 760 Td (keikaku corpus: fallback sample page) Tj "
            b"0 -24 Td (This page has a text layer.) Tj ET")
    return pdf_bytes([
        b"<</Type/Catalog/Pages 2 0 R>>",
        b"<</Type/Pages/Kids[3 0 R]/Count 1>>",
        b"<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]"
        b"/Resources<</Font<</F1 4 0 R>>>>/Contents 5 0 R>>",
        b"<</Type/Font/Subtype/Type1/BaseFont/Helvetica>>",
        stream(b"", text),
    ])


def truncated(src):
    """The first half of the file: the xref table and trailer are gone."""
    return src[:len(src) // 2]


def broken_xref(src):
    """Every in-use offset of the last classic xref table replaced by a wrong
    one of the same width (the objects themselves are intact)."""
    d = bytearray(src)
    pos = d.rfind(b"startxref")
    if pos < 0:
        raise SystemExit("gen_bad: source has no startxref")
    start = int(d[pos + 9:].split()[0])
    end = d.find(b"trailer", start)
    if not d[start:].startswith(b"xref") or end < 0:
        raise SystemExit("gen_bad: source has no classic xref table")

    def garble(m):
        off = int(m.group(1))
        return b"%010d %s n" % ((off * 7 + 13) % len(d), m.group(2))

    seg = re.sub(rb"(\d{10}) (\d{5}) n", garble, bytes(d[start:end]))
    d[start:end] = seg
    return bytes(d)


def image_only(src_path, tmp):
    """Page 3 (a page of body text; page 1 if shorter) of the source rendered
    at 100 dpi in grey, wrapped as the only content of a one-page PDF: a
    picture of text, no text layer."""
    base = os.path.join(tmp, "page")
    info = subprocess.run(["pdfinfo", src_path], check=True, capture_output=True,
                          text=True).stdout
    count = int(re.search(r"^Pages:\s+(\d+)", info, re.M).group(1))
    page = "3" if count >= 3 else "1"
    subprocess.run(["pdftoppm", "-f", page, "-l", page, "-r", "100", "-gray",
                    src_path, base], check=True)
    pgm = [f for f in os.listdir(tmp) if f.startswith("page") and f.endswith(".pgm")]
    if len(pgm) != 1:
        raise SystemExit("gen_bad: pdftoppm made no page image")
    with open(os.path.join(tmp, pgm[0]), "rb") as f:
        raw = f.read()
    m = re.match(rb"P5\s+(\d+)\s+(\d+)\s+(\d+)\s", raw)
    if not m or m.group(3) != b"255":
        raise SystemExit("gen_bad: unexpected PGM header")
    w, h = int(m.group(1)), int(m.group(2))
    pixels = raw[m.end():]
    if len(pixels) != w * h:
        raise SystemExit("gen_bad: short PGM data")
    pw, ph = w * 72.0 / 100, h * 72.0 / 100
    content = b"q %.2f 0 0 %.2f 0 0 cm /Im1 Do Q" % (pw, ph)
    return pdf_bytes([
        b"<</Type/Catalog/Pages 2 0 R>>",
        b"<</Type/Pages/Kids[3 0 R]/Count 1>>",
        b"<</Type/Page/Parent 2 0 R/MediaBox[0 0 %.2f %.2f]"
        b"/Resources<</XObject<</Im1 4 0 R>>>>/Contents 5 0 R>>" % (pw, ph),
        stream(b"/Type/XObject/Subtype/Image/Width %d/Height %d"
               b"/ColorSpace/DeviceGray/BitsPerComponent 8/Filter/FlateDecode"
               % (w, h), zlib.compress(pixels, 9)),
        stream(b"", content),
    ])


def qpdf_encrypt(src_path, out_path, user, owner):
    """AES-256 encryption with qpdf (R6)."""
    subprocess.run(["qpdf", "--static-id", "--encrypt", user, owner, "256", "--",
                    src_path, out_path], check=True)


def write(name, data):
    with open(os.path.join(BAD, name), "wb") as f:
        f.write(data)


def main():
    os.makedirs(BAD, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="kk-bad-") as tmp:
        src_path = None
        for s in SOURCES:
            if os.path.exists(os.path.join(CORPUS, s)):
                src_path = os.path.join(CORPUS, s)
                break
        if src_path is None:
            src_path = os.path.join(tmp, "fallback.pdf")
            with open(src_path, "wb") as f:
                f.write(fallback_pdf())
            print("gen_bad: no corpus PDF yet, using a fallback sample", file=sys.stderr)
        with open(src_path, "rb") as f:
            src = f.read()
        digest = hashlib.sha256(src).hexdigest()

        write("empty.pdf", b"")
        write("not-a-pdf.pdf",
              "これはPDFではありません。\nThis is a plain text file named .pdf.\n".encode())
        write("header-only.pdf", b"%PDF-1.7\n")
        write("truncated.pdf", truncated(src))
        write("broken-xref.pdf", broken_xref(src))
        write("image-only.pdf", image_only(src_path, tmp))

        stamp = os.path.join(BAD, "SOURCE.sha256")
        old = open(stamp).read().split()[0] if os.path.exists(stamp) else ""
        enc = [os.path.join(BAD, n) for n in ("encrypted.pdf", "owner-only.pdf")]
        if old != digest or not all(os.path.exists(p) for p in enc):
            qpdf_encrypt(src_path, enc[0], USER_PASSWORD, OWNER_PASSWORD)
            qpdf_encrypt(src_path, enc[1], "", OWNER_PASSWORD)
            with open(stamp, "w") as f:
                f.write("%s  %s\n" % (digest, os.path.relpath(src_path, CORPUS)
                                      if src_path.startswith(CORPUS) else "fallback"))

    with open(os.path.join(BAD, "EXPECTED.tsv"), "w") as f:
        f.write("# file\texit status of `keikaku extract`\tword the error message must contain\n")
        for name, status, word in EXPECTED:
            f.write("%s\t%d\t%s\n" % (name, status, word))


if __name__ == "__main__":
    main()
