#!/usr/bin/python3
"""OCR character accuracy of a scanned edition against its original.

Usage: scan_chars.py ORIGINAL.jsonl SCAN.jsonl

Both are normalized pages streams: ORIGINAL from the text layer of the
corpus PDF (extract --ocr never), SCAN from OCR of its scanned edition
(corpus/scan/).  The text of each is every line's text, pages in order,
whitespace dropped (spaces are layout, not text).  Prints
"C% (N chars)": 1 - Levenshtein(original, scan) / len(original)."""
import json
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "e2e"))
from _ocr_score import levenshtein  # noqa: E402


def text(path):
    """The whitespace-free text of every line of the pages in PATH."""
    out = []
    for raw in open(path, encoding="utf-8"):
        o = json.loads(raw)
        if o.get("type") == "page":
            out += ["".join(l["text"].split()) for l in o["lines"]]
    return "".join(out)


def main():
    a, b = text(sys.argv[1]), text(sys.argv[2])
    if not a:
        print("n/a (the original has no text)")
        return
    print("%.1f%% (%d chars)" % (100.0 * (1 - levenshtein(a, b) / len(a)), len(a)))


if __name__ == "__main__":
    main()
