#!/usr/bin/env python3
"""Makes the generated hostile PDFs of tests/e2e/hostile_inputs.sh.

usage: mkpdf.py OUTDIR BOMB_GIANT_PDF
  dense-page.pdf  one page drawing 1,000,000 glyphs in 2 pt type (Poppler's
                  text page keeps about 50,000 of them)
  form-bomb.pdf   bomb_giant.pdf's JBIG2 stream as a form XObject's content
                  (the page's own content is plain)
"""
import re, sys, zlib

def pdf(objs):
    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offs = {}
    for k in sorted(objs):
        offs[k] = len(out)
        out += b"%d 0 obj\n" % k + objs[k] + b"\nendobj\n"
    xref, size = len(out), max(objs) + 1
    out += b"xref\n0 %d\n0000000000 65535 f \n" % size
    for k in range(1, size):
        out += b"%010d 00000 n \n" % offs[k]
    out += b"trailer\n<</Size %d /Root 1 0 R>>\nstartxref\n%d\n%%%%EOF\n" % (size, xref)
    return bytes(out)

def page(content, resources, extra=None):
    objs = {1: b"<</Type/Catalog/Pages 2 0 R>>",
            2: b"<</Type/Pages/Kids[3 0 R]/Count 1>>",
            3: b"<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]/Resources" + resources + b"/Contents 4 0 R>>",
            4: b"<</Length %d/Filter/FlateDecode>>\nstream\n" % len(content) + content + b"\nendstream",
            5: b"<</Type/Font/Subtype/Type1/BaseFont/Helvetica/Encoding/WinAnsiEncoding>>"}
    objs.update(extra or {})
    return pdf(objs)

out, bomb = sys.argv[1], sys.argv[2]
ops = b"BT /F1 2 Tf 0.8 TL 5 837 Td " + (b"(" + b"a" * 1000 + b") Tj T* ") * 1000 + b"ET"
open(out + "/dense-page.pdf", "wb").write(page(zlib.compress(ops, 9), b"<</Font<</F1 5 0 R>>>>"))

data = open(bomb, "rb").read()
m = re.search(rb"6 0 obj\s*<< /Length (\d+) /Filter /JBIG2Decode >>\s*stream\r?\n", data)
jbig2 = data[m.end():m.end() + int(m.group(1))]
form = {6: b"<</Type/XObject/Subtype/Form/BBox[0 0 595 842]/Length %d/Filter/JBIG2Decode>>\nstream\n" % len(jbig2)
           + jbig2 + b"\nendstream"}
open(out + "/form-bomb.pdf", "wb").write(
    page(zlib.compress(b"BT /F1 12 Tf 72 700 Td (a form) Tj ET /X0 Do"), b"<</Font<</F1 5 0 R>>/XObject<</X0 6 0 R>>>>", form))
