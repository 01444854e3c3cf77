#!/usr/bin/python3
"""Scores reading order: how many phrases of a hand list come out of
`keikaku extract` in the listed order.

Usage: _extract_phrases.py [--min SHARE] GOLD.phrases.txt EXTRACT.jsonl
       _extract_phrases.py [--min SHARE] --lines GOLD.lines.txt EXTRACT.jsonl

GOLD (corpus/README.md): one phrase per line, "#" lines and blank lines
ignored.  The extracted text is every page's lines in output order, joined,
NFKC-normalized, all whitespace removed; each phrase (normalized the same
way) is sought after the end of the previous phrase found (greedy), so a
phrase out of order or cut apart is not found.  Prints
"NAME: phrases in order F/N (P%)" and the first phrases not found; exits 1
when fewer than SHARE (default 0.95) are found in order, 2 on a usage
error.

With --lines the gold lists texts that must each come out as one whole
extracted line (a vertical cell, a heading, one column of vertical text):
a text is found when some line of the output equals it (NFKC, whitespace
removed), in any order; prints "NAME: whole lines F/N (P%)".
"""
import json
import re
import sys
import unicodedata


def key(text):
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))


def main(argv):
    argv = list(argv)
    minimum = 0.95
    if len(argv) > 2 and argv[1] == "--min":
        minimum = float(argv[2])
        del argv[1:3]
    lines_mode = len(argv) > 1 and argv[1] == "--lines"
    if lines_mode:
        del argv[1]
    if len(argv) != 3:
        print(__doc__, file=sys.stderr)
        return 2
    with open(argv[1], encoding="utf-8") as f:
        phrases = [l.strip() for l in f if l.strip() and not l.startswith("#")]
    parts = []
    with open(argv[2], encoding="utf-8") as f:
        for line in f:
            obj = json.loads(line)
            if obj.get("type") == "page":
                parts.extend(l.get("text", "") for l in obj.get("lines", []))
    missing = []
    if lines_mode:
        whole = set(key(t) for t in parts)
        missing = [p for p in phrases if key(p) not in whole]
    else:
        text = key("".join(parts))
        pos = 0
        for p in phrases:
            i = text.find(key(p), pos)
            if i < 0:
                missing.append(p)
            else:
                pos = i + len(key(p))
    found = len(phrases) - len(missing)
    name = re.sub(r"\.(phrases|lines)\.txt$", "", argv[1].rsplit("/", 1)[-1])
    print("%s: %s %d/%d (%.1f%%)" % (name, "whole lines" if lines_mode else "phrases in order", found,
          len(phrases), 100.0 * found / len(phrases) if phrases else 100.0))
    for p in missing[:5]:
        print("  %s: %s" % ("not one line" if lines_mode else "not in order", p))
    return 0 if not phrases or found / len(phrases) >= minimum - 1e-9 else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv))
