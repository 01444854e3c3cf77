#!/usr/bin/python3
"""check_gold — sanity checks of gold files (corpus/gold/NAME.*):
every gold table's cells tile a full rectangle (spans included), its pages
lie within the PDF; every record has the members its type needs, pages in
range, money as integers.  Usage: check_gold.py NAME...  (exit 1 on a fault)
"""
import json
import os
import re
import subprocess
import sys

GOLD = os.path.join(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))), "gold")
CORPUS = os.path.dirname(GOLD)

NEED = {
    "document": ["title", "municipality", "prefecture", "family", "fiscal_start", "fiscal_end", "pages"],
    "item": ["key", "item_no", "title", "department", "category", "page", "fields"],
    "schedule": ["item", "fiscal_year", "kind", "text", "page"],
    "achievement": ["item", "fiscal_year", "rate", "page"],
    "measure": ["item", "label", "role", "value", "unit", "fiscal_year", "raw", "page"],
    "series": ["table_title", "row_label", "fiscal_year", "value", "unit", "page"],
    "budget": ["item", "fiscal_year", "total", "national", "prefectural", "bonds", "other",
               "general_fund", "page"],
    "meeting": ["title", "held_on", "place", "attendees", "page"],
    "end": ["records"],
}


def grid_ok(rows):
    """True when the cells (each starting in its row, left to right, filling
    the first free column) cover a rectangle exactly once."""
    taken = set()
    width = None
    for r, row in enumerate(rows):
        c = 0
        for ce in row:
            rs = ce.get("rowspan", 1) if isinstance(ce, dict) else 1
            cs = ce.get("colspan", 1) if isinstance(ce, dict) else 1
            while (r, c) in taken:
                c += 1
            for dr in range(rs):
                for dc in range(cs):
                    if (r + dr, c + dc) in taken:
                        return False, "overlap at row %d" % r
                    taken.add((r + dr, c + dc))
            c += cs
        w = max([cc for rr, cc in taken if rr == r], default=-1) + 1
        if width is None:
            width = w
        elif w != width:
            return False, "row %d is %d wide, not %d" % (r, w, width)
    nrows = max(rr for rr, _ in taken) + 1 if taken else 0
    if len(taken) != width * nrows:
        return False, "holes in the grid"
    return True, ""


def check(name):
    faults = []
    tj = json.load(open(os.path.join(GOLD, name + ".tables.json"), encoding="utf-8"))
    info = subprocess.run(["pdfinfo", os.path.join(CORPUS, tj["pdf"])], check=True,
                          capture_output=True, text=True).stdout
    pages = int(re.search(r"^Pages:\s+(\d+)", info, re.M).group(1))
    for t in tj["tables"]:
        ok, why = grid_ok(t["rows"])
        if not ok:
            faults.append("table %s: %s" % (t["id"], why))
        if not 1 <= t["pages"][0] <= t["pages"][1] <= pages:
            faults.append("table %s: pages %s" % (t["id"], t["pages"]))
    keys = set()
    recs = [json.loads(l) for l in open(os.path.join(GOLD, name + ".records.jsonl"), encoding="utf-8")]
    if recs[0]["type"] != "document" or recs[0]["pages"] != pages:
        faults.append("first record is not the document, or its page count is wrong")
    for r in recs:
        for k in NEED.get(r["type"], []):
            if k not in r:
                faults.append("%s record without %s" % (r["type"], k))
        if "page" in r and not 1 <= r["page"] <= pages:
            faults.append("%s record on page %s" % (r["type"], r["page"]))
        if r["type"] == "item":
            keys.add(r["key"])
        if r["type"] in ("budget", "schedule", "achievement") and r["item"] not in keys:
            faults.append("%s names unknown item %s" % (r["type"], r["item"]))
        if r["type"] == "budget":
            for k in NEED["budget"][2:8]:
                if r[k] is not None and not isinstance(r[k], int):
                    faults.append("budget %s is not integer yen" % k)
        if r["type"] in ("measure", "series") and r.get("unit") == "円" and r["value"] is not None \
                and not isinstance(r["value"], int):
            faults.append("%s money value is not integer yen" % r["type"])
    for f in faults:
        print("%s: %s" % (name, f))
    print("%s: %d tables, %d records, %s" % (name, len(tj["tables"]), len(recs),
                                           "FAULTS" if faults else "ok"))
    return not faults


if __name__ == "__main__":
    sys.exit(0 if all([check(n) for n in sys.argv[1:]]) else 1)
