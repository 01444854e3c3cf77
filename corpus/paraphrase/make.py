#!/usr/bin/python3
"""Makes a paraphrase set: 000's pages with its measure sentences reworded
by meaning (SET.rewordings.tsv), and their gold records.

  bin/keikaku extract corpus/000-ogori-action-items.pdf | bin/keikaku normalize > /tmp/000.pages.jsonl
  corpus/paraphrase/make.py /tmp/000.pages.jsonl 000-paraphrase

writes corpus/paraphrase/SET.pages.jsonl (the pages, each reworded text
without its annotations, so parse annotates the new wording) and
SET.records.jsonl (gold: 000's gold document and items, their fields
reworded the same way, and the measures of SET.measures.tsv, written by
hand).  No LibreOffice here: the PDF's text is reworded in its
pages, not in a new PDF.  Standard library only.
"""
import json
import os
import re
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))


def rows(path):
    for line in open(path, encoding="utf-8"):
        line = line.rstrip("\n")
        if line and not line.startswith("#"):
            yield line.split("\t")


def collapse(text):
    """Line breaks of wrapping removed (a break before a bullet stays)."""
    return re.sub(r"\n(?![〇○・【])", "", text)


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    name = sys.argv[2]
    rewordings = list(rows(os.path.join(HERE, name + ".rewordings.tsv")))
    used = {old: 0 for old, _ in rewordings}

    def reword(text):
        new = collapse(text)
        for old, repl in rewordings:
            if old in new:
                used[old] += new.count(old)
                new = new.replace(old, repl)
        return new

    out = []
    for line in open(sys.argv[1], encoding="utf-8"):
        o = json.loads(line)
        if o.get("type") == "document":
            o["file"] = "corpus/paraphrase/%s.pages.jsonl" % name
        if o.get("type") == "page":
            for t in o.get("tables", []):
                for row in t.get("rows", []):
                    for c in row:
                        new = reword(c["text"])
                        if new != collapse(c["text"]):
                            c["text"] = new
                            c.pop("spans", None)
                            c.pop("raw", None)
            for ln in o.get("lines", []):
                new = reword(ln["text"])
                if new != collapse(ln["text"]):
                    ln["text"] = new
                    ln.pop("spans", None)
                    ln.pop("raw", None)
        out.append(o)
    # each phrase once in the cells (lines inside tables repeat the cells' text)
    bad = [old for old, n in used.items() if n == 0]
    if bad:
        sys.exit("rewordings not found in the pages: %s" % bad)
    with open(os.path.join(HERE, name + ".pages.jsonl"), "w", encoding="utf-8") as f:
        for o in out:
            f.write(json.dumps(o, ensure_ascii=False, separators=(",", ":")) + "\n")

    gold = [json.loads(l) for l in open(os.path.join(ROOT, "corpus/gold/000-ogori-action-items.records.jsonl"), encoding="utf-8")]
    keys = {}
    records = []
    for o in gold:
        if o["type"] == "document":
            o["file"] = "corpus/paraphrase/%s.pages.jsonl" % name
            records.append(o)
        elif o["type"] == "item":
            keys[o["item_no"]] = o["key"]
            for f in o.get("fields", []):
                # gold text keeps the spaces normalize drops between Japanese
                # words; facts are compared without whitespace anyway
                f["value"] = reword(re.sub(r"[ \u3000]", "", f["value"]))
            records.append(o)
    for no, label, role, value, unit, fy, raw in rows(os.path.join(HERE, name + ".measures.tsv")):
        v = float(value)
        records.append({"type": "measure", "item": keys[no], "label": label, "role": role,
                        "value": int(v) if v == int(v) and "." not in value else v,
                        "unit": unit or None, "fiscal_year": int(fy), "raw": raw})
    with open(os.path.join(HERE, name + ".records.jsonl"), "w", encoding="utf-8") as f:
        for o in records:
            f.write(json.dumps(o, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main()
