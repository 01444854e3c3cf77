"""Reads a PNG screenshot (8-bit RGB/RGBA, non-interlaced: what Chromium
writes) with zlib only and says whether the review page's crops were drawn:
prints "red=N dark=M" where N counts the pixels of the red outlines
kk-review.c draws around each value inside its crop (rgb 217,0,0; the page's
own red text is darker, #a00) and M the dark pixels (the scanned glyphs)
inside the box those red pixels span.  Exit 1 when the screenshot is blank
(no red outline, or no glyphs within it)."""
import struct
import sys
import zlib


def read_png(path):
    data = open(path, "rb").read()
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    pos, idat, hdr = 8, b"", None
    while pos < len(data):
        n, kind = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + n]
        if kind == b"IHDR":
            hdr = struct.unpack(">IIBBBBB", body)
        elif kind == b"IDAT":
            idat += body
        pos += 12 + n
    w, h, depth, ctype, _, _, interlace = hdr
    assert depth == 8 and ctype in (2, 6) and interlace == 0, hdr
    bpp = 3 if ctype == 2 else 4
    raw = zlib.decompress(idat)
    stride = w * bpp
    rows, prev = [], bytearray(stride)
    for y in range(h):
        f = raw[y * (stride + 1)]
        line = bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
        for i in range(stride):
            a = line[i - bpp] if i >= bpp else 0
            b = prev[i]
            c = prev[i - bpp] if i >= bpp else 0
            if f == 1:
                line[i] = (line[i] + a) & 255
            elif f == 2:
                line[i] = (line[i] + b) & 255
            elif f == 3:
                line[i] = (line[i] + (a + b) // 2) & 255
            elif f == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                line[i] = (line[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
        rows.append(line)
        prev = line
    return w, h, bpp, rows


w, h, bpp, rows = read_png(sys.argv[1])
red = []
for y, line in enumerate(rows):
    for x in range(w):
        r, g, b = line[x * bpp:x * bpp + 3]
        if r >= 190 and g <= 70 and b <= 70:
            red.append((x, y))
dark = 0
if red:
    x0, x1 = min(p[0] for p in red), max(p[0] for p in red)
    y0, y1 = min(p[1] for p in red), max(p[1] for p in red)
    for y in range(y0, y1 + 1):
        line = rows[y]
        for x in range(x0, x1 + 1):
            r, g, b = line[x * bpp:x * bpp + 3]
            if r < 100 and g < 100 and b < 100:
                dark += 1
print("red=%d dark=%d" % (len(red), dark))
sys.exit(0 if len(red) >= 50 and dark >= 200 else 1)
