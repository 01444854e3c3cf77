#!/usr/bin/python3
"""Checks the table facts of a keikaku database against hand-made gold.

usage: _facts_gold.py DB SPOT.tsv [FULL.tsv NAME]...

SPOT.tsv (corpus/gold/facts.tsv): file, page, row_label, column_label,
value, unit, fiscal_year; each line must be a fact of that page with that
value, unit and fiscal year.  Each FULL.tsv (every fact of one document NAME):
row_label, column_label, value, unit, fiscal_year; recall (gold facts
found with the right value, unit and year) and precision (keikaku's facts
of NAME that are in the gold) must both be at least 0.98.
Empty fields are NULL.  Prints one line per problem and a summary.
"""
import sqlite3
import sys


def rows(path):
    with open(path, encoding="utf-8") as f:
        for line in f:
            line = line.rstrip("\n")
            if line and not line.startswith("#"):
                yield [c if c != "" else None for c in line.split("\t")]


def same_value(a, b):
    if a is None or b is None:
        return a is None and b is None
    a, b = float(a), float(b)
    return abs(a - b) <= 1e-9 * max(1.0, abs(a), abs(b))


def key(row_label, column_label, value, unit, fy):
    v = None if value is None else round(float(value), 6)
    return (row_label, column_label, v, unit, None if fy is None else int(fy))


def main():
    db = sqlite3.connect(sys.argv[1])
    bad = 0
    n = 0
    for file, page, row, col, value, unit, fy in rows(sys.argv[2]):
        n += 1
        got = db.execute(
            "SELECT value, unit, fiscal_year FROM v_table_facts WHERE file LIKE ? AND page = ?"
            " AND row_label IS ? AND column_label IS ?", ("%/" + file + ".pdf", int(page), row, col)).fetchall()
        want_fy = None if fy is None else int(fy)
        if not any(same_value(v, value) and u == unit and y == want_fy for v, u, y in got):
            print("MISSING %s p%s [%s | %s] = %s %s FY%s; got %s" % (file, page, row, col, value, unit, fy, got))
            bad += 1
    print("spot facts: %d of %d right" % (n - bad, n))
    for full, name in zip(sys.argv[3::2], sys.argv[4::2]):
        gold = {key(*r) for r in rows(full)}
        got = {key(*r) for r in db.execute(
            "SELECT row_label, column_label, value, unit, fiscal_year FROM v_table_facts WHERE file LIKE ?",
            ("%/" + name + ".pdf",))}
        found, right = len(gold & got), len(got & gold)
        recall = found / len(gold) if gold else 0
        precision = right / len(got) if got else 0
        for k in sorted(gold - got, key=str)[:10]:
            print("NOT FOUND", k)
        for k in sorted(got - gold, key=str)[:10]:
            print("WRONG", k)
        print("%s: recall %.3f (%d/%d), precision %.3f (%d/%d)" % (name, recall, found, len(gold),
                                                                  precision, right, len(got)))
        if recall < 0.98 or precision < 0.98:
            bad += 1
    sys.exit(1 if bad else 0)


main()
