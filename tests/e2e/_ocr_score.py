#!/usr/bin/python3
"""Scores OCR text against a by-eye gold file.

Usage: _ocr_score.py GOLD.txt PAGES.jsonl [MIN_LINES MIN_CHARS]

PAGES.jsonl is a normalized pages stream.  Whitespace is dropped on both
sides (spaces are layout, not text).  Two figures:
  lines  the share of gold lines found whole in the page text
  chars  character accuracy: 1 - (Levenshtein distance between the gold
         text and the page text, lines joined) / (characters of the gold)
Prints "lines X/N (P%) chars C%"; exits 1 when below MIN_LINES or
MIN_CHARS (fractions 0..1)."""
import json
import sys


def levenshtein(a, b):
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        cur = [i]
        for j, cb in enumerate(b, 1):
            cur.append(min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (ca != cb)))
        prev = cur
    return prev[-1]


def squeeze(s):
    return "".join(s.split())


def main():
    gold = [squeeze(l) for l in open(sys.argv[1], encoding="utf-8")
            if l.strip() and not l.startswith("#")]
    lines = []
    for raw in open(sys.argv[2], encoding="utf-8"):
        o = json.loads(raw)
        if o.get("type") == "page":
            lines += [squeeze(l["text"]) for l in o["lines"] if l.get("table") is None]
            for t in o["tables"]:
                for row in t["rows"]:
                    lines += [squeeze(c["text"]) for c in row]
    text = "".join(lines)
    found = sum(1 for g in gold if g in text)
    gtext = "".join(gold)
    acc = 1 - levenshtein(gtext, text) / len(gtext)
    print("lines %d/%d (%.0f%%) chars %.1f%%" % (found, len(gold), 100.0 * found / len(gold), 100 * acc))
    if len(sys.argv) > 4 and (found / len(gold) < float(sys.argv[3]) or acc < float(sys.argv[4])):
        sys.exit(1)


if __name__ == "__main__":
    main()
