#!/usr/bin/python3
"""Scanned editions of corpus PDFs, for scoring OCR (issue 13).

Each chosen corpus PDF is rendered page by page with pdftoppm (grey) at 200
and 300 dpi, then made to look scanned: turned by a skew between 1.0 and 1.5
degrees (the sign alternates by edition), speckled with Gaussian noise,
softened a little (scanner optics) and saved as a JPEG at quality 45 (its
block artefacts).  img2pdf wraps the JPEGs as an image-only PDF at the render
resolution, so the pages keep their size in points.  Everything is seeded
from the edition's name: a rerun writes the same pixels.

Outputs, for each SOURCE in SOURCES and DPI in (200, 300):
  corpus/scan/SOURCE-scanDPI.pdf            the scanned edition
  corpus/scan/SOURCE-scanDPI.records.jsonl  its gold: the original's
      corpus/gold/SOURCE.records.jsonl, its records kept where their "page"
      is one of the pages scanned (all of them for the one-page sources used
      here), the document record's file, sha256 and pages set to the edition.
      The gold was made from the original's sources and checked by eye
      there; the scan shows the same pages, so the same records are right.

Needs pdftoppm (poppler-utils), python3-pil and img2pdf from Debian
(apt-get install poppler-utils python3-pil img2pdf).  A corpus tool, not a
runtime dependency: the PDFs are committed and tests never run this.
Usage: corpus/src/gen_scans.py   (from anywhere; writes under corpus/scan/)
"""
import glob
import hashlib
import io
import json
import os
import random
import subprocess
import sys
import tempfile
import zlib

from PIL import Image, ImageChops, ImageFilter
import img2pdf

CORPUS = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))

# SOURCE: pages scanned (first..last).  Short documents of three families,
# two with ruled tables and one without rulings between rows.
SOURCES = {
    "010-kasuga-strategy-kpi": (1, 1),
    "011-munakata-fiscal-outlook-calc": (1, 1),
    "012-onojo-main-projects": (1, 1),
}
DPIS = (200, 300)
NOISE_SIGMA = 14.0     # grey levels
JPEG_QUALITY = 45
TILE = 509             # noise tile side (prime: no visible period on a grid)


def noise_tile(rng):
    """A TILE x TILE grey image of Gaussian noise centred on 128."""
    data = bytes(max(0, min(255, int(round(128 + rng.gauss(0.0, NOISE_SIGMA)))))
                 for _ in range(TILE * TILE))
    return Image.frombytes("L", (TILE, TILE), data)


def scanned(page, angle, tile):
    """PAGE (grey PIL image) skewed by ANGLE degrees, noisy, softened, as JPEG bytes."""
    img = page.rotate(angle, resample=Image.BICUBIC, expand=False, fillcolor=255)
    noise = Image.new("L", img.size)
    for y in range(0, img.height, TILE):
        for x in range(0, img.width, TILE):
            noise.paste(tile, (x, y))
    img = ImageChops.add(img, noise, scale=1.0, offset=-128)
    img = img.filter(ImageFilter.GaussianBlur(0.6))
    out = io.BytesIO()
    img.save(out, "JPEG", quality=JPEG_QUALITY)
    return out.getvalue()


def edition(source, first, last, dpi, sign):
    """Writes corpus/scan/SOURCE-scanDPI.pdf and its gold."""
    name = "%s-scan%d" % (source, dpi)
    if first != 1:
        sys.exit("%s: scans start at page 1 (the gold's page numbers are kept)" % source)
    rng = random.Random(zlib.crc32(name.encode()))
    tile = noise_tile(rng)
    jpegs = []
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run(["pdftoppm", "-r", str(dpi), "-gray", "-png", "-f", str(first), "-l", str(last),
                        os.path.join(CORPUS, source + ".pdf"), os.path.join(tmp, "p")], check=True)
        for png in sorted(glob.glob(os.path.join(tmp, "p-*.png"))):
            angle = sign * rng.uniform(1.0, 1.5)
            with Image.open(png) as page:
                jpegs.append(scanned(page.convert("L"), angle, tile))
            print("  %s page %s: skew %+.2f deg" % (name, png.rsplit("-", 1)[1][:-4], angle))
    layout = img2pdf.get_fixed_dpi_layout_fun((dpi, dpi))
    pdf = img2pdf.convert(jpegs, layout_fun=layout)
    with open(os.path.join(CORPUS, "scan", name + ".pdf"), "wb") as f:
        f.write(pdf)

    kept = []
    with open(os.path.join(CORPUS, "gold", source + ".records.jsonl"), encoding="utf-8") as f:
        for line in f:
            rec = json.loads(line)
            if rec["type"] == "document":
                rec.update(file="corpus/scan/%s.pdf" % name, sha256=hashlib.sha256(pdf).hexdigest(),
                           pages=last - first + 1)
            elif "page" in rec and rec["page"] is not None and not first <= rec["page"] <= last:
                continue
            kept.append(json.dumps(rec, ensure_ascii=False))
    with open(os.path.join(CORPUS, "scan", name + ".records.jsonl"), "w", encoding="utf-8") as f:
        f.write("\n".join(kept) + "\n")


def main():
    os.makedirs(os.path.join(CORPUS, "scan"), exist_ok=True)
    sign = 1
    for source, (first, last) in SOURCES.items():
        for dpi in DPIS:
            edition(source, first, last, dpi, sign)
            sign = -sign


if __name__ == "__main__":
    main()
