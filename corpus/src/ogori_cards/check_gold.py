"""Checks gold files against their committed PDFs (needs pdftotext):
every non-empty gold table cell must be printed on the table's pages (each
of its lines, whitespace ignored), every item field's first characters on
the field's page (NFKC-compared), every record page within the document.

Usage: python3 corpus/src/ogori_cards/check_gold.py NAME...   (NAME = PDF stem)
Exit status 1 when anything does not match.
"""
import json
import os
import re
import subprocess
import sys
import unicodedata

CORPUS = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def squash(s):
    return re.sub(r"\s+", "", s)


def page_texts(pdf, p):
    out = []
    for mode in ("-raw", "-layout"):
        t = subprocess.run(["pdftotext", mode, "-f", str(p), "-l", str(p), pdf, "-"],
                           capture_output=True, text=True, check=True).stdout
        out.append(squash(t))
    return out


def check(name):
    pdf = os.path.join(CORPUS, name + ".pdf")
    with open(os.path.join(CORPUS, "gold", name + ".tables.json"), encoding="utf-8") as f:
        tables = json.load(f)["tables"]
    with open(os.path.join(CORPUS, "gold", name + ".records.jsonl"), encoding="utf-8") as f:
        recs = [json.loads(line) for line in f]
    cache = {}

    def text(p):
        if p not in cache:
            cache[p] = page_texts(pdf, p)
        return cache[p]
    bad = 0
    cells = 0
    for t in tables:
        a, b = t["pages"]
        # a row split over a page break: join the pages without the footer
        raw = "".join(re.sub(r"-%d-$" % p, "", text(p)[0]) for p in range(a, b + 1))
        for row in t["rows"]:
            for c in row:
                s = c if isinstance(c, str) else c["text"]
                for line in s.split("\n"):
                    if squash(line) and squash(line) not in raw:
                        bad += 1
                        print("%s: table %s pages %s: %r not printed there" % (name, t["id"], t["pages"], line))
                cells += bool(squash(s))
    pages = recs[0]["pages"]
    for r in recs[1:-1]:
        if not 1 <= r["page"] <= pages:
            bad += 1
            print("%s: %s record on page %d of %d" % (name, r["type"], r["page"], pages))
        for fld in r.get("fields", []):
            head = squash(fld["value"].split("\n")[0])[:6]
            page = unicodedata.normalize("NFKC", "".join(text(fld["page"])))
            if head and head not in page:
                bad += 1
                print("%s: item %s field %s: %r not on page %d" % (name, r["item_no"], fld["label"], head, fld["page"]))
    print("%s: %d tables, %d cells, %d records, %d problems" % (name, len(tables), cells, len(recs), bad))
    return bad == 0


def main():
    if len(sys.argv) < 2:
        raise SystemExit("usage: check_gold.py NAME...")
    ok = all([check(n) for n in sys.argv[1:]])
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
