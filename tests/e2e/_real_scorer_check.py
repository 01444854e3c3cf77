#!/usr/bin/python3
"""Checks tests/real_accuracy.py itself, so that its figures can fail.

Usage: _real_scorer_check.py GOLD_DIR

- table facts: a database holding exactly the gold facts scores 100% found
  and 100% right; one wrong value, one wrong unit and one extra fact score
  less (this runs although keikaku's schema may not have table_facts yet);
  a label given in a gold fact's row_label_alt matches, another does not;
- cells: a letter-spaced cell read one glyph per line is found but counted
  as split; a row cut in two is not whole; a page-split row is rejoined.
Prints one line per check, the last one a summary; exits 1 on a failure.
"""
import contextlib
import glob
import io
import json
import os
import sqlite3
import sys

sys.dont_write_bytecode = True  # no __pycache__ left in the work tree
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
import real_accuracy as ra  # noqa: E402


def facts_db(golds, mutate=None):
    """An in-memory database with documents and table_facts from the gold facts."""
    con = sqlite3.connect(":memory:")
    con.execute("CREATE TABLE documents(id INTEGER PRIMARY KEY, file TEXT)")
    con.execute("CREATE TABLE table_facts(id INTEGER PRIMARY KEY, table_id INTEGER, document_id INTEGER,"
                " row_label TEXT, column_label TEXT, value NUMERIC, unit TEXT, fiscal_year INTEGER, raw TEXT, page INTEGER)")
    for d, (_, gold) in enumerate(golds, 1):
        con.execute("INSERT INTO documents VALUES(?, ?)", (d, "/x/" + gold["pdf"]))
        ids = {t["id"]: i for i, t in enumerate(gold.get("tables", []), 100 * d)}
        for f in gold.get("facts", []):
            row = [ids[f["table"]], d, f["row_label"], f["column_label"], f["value"], f["unit"], f["fiscal_year"], None, f["page"]]
            if mutate:
                row = mutate(row)
            if row:
                con.execute("INSERT INTO table_facts(table_id, document_id, row_label, column_label, value, unit,"
                            " fiscal_year, raw, page) VALUES(?,?,?,?,?,?,?,?,?)", row)
    return con


def quiet(fn, *args):
    """fn(*args) with its printing swallowed."""
    with contextlib.redirect_stdout(io.StringIO()):
        return fn(*args)


def main(argv):
    golds = []
    for p in sorted(glob.glob(os.path.join(argv[1], "*.gold.json"))):
        with open(p, encoding="utf-8") as f:
            golds.append((os.path.basename(p), json.load(f)))
    fails = 0

    def check(name, cond):
        """Prints one check's line and counts it when it failed."""
        nonlocal fails
        print("%s %s" % ("ok  " if cond else "FAIL", name))
        fails += not cond

    T = quiet(ra.score_facts, facts_db(golds), golds)
    check("facts: the gold itself scores %d/%d found, %d/%d right" % (T[0], T[2], T[3], T[4]),
          T[2] > 0 and T[0] == T[2] and T[3] == T[4] == T[2])
    n = [0]

    def spoil(row):
        """Spoils the first three facts: a wrong value, a wrong unit, one left out."""
        n[0] += 1
        if n[0] == 1:
            row[4] = row[4] + 1          # wrong value
        elif n[0] == 2:
            row[5] = "件"                # wrong unit
        elif n[0] == 3:
            return None                  # missing fact
        return row
    con = facts_db(golds, spoil)
    con.execute("INSERT INTO table_facts(table_id, document_id, row_label, column_label, value, unit, page)"
                " SELECT table_id, document_id, 'x', 'y', 1, '円', page FROM table_facts LIMIT 1")
    T = quiet(ra.score_facts, con, golds)
    check("facts: 3 spoiled and 1 extra fact cost %d found and %d right" % (T[2] - T[0], T[4] - T[3]),
          T[2] - T[0] == 3 and T[4] - T[3] == 3)

    # a label the text layer cannot give (a glyph missing from it) matches
    # through the gold's row_label_alt, and only through it
    alt = [("alt.gold.json", {"pdf": "alt.pdf", "tables": [{"id": "t", "pages": [1, 1]}],
                              "facts": [{"table": "t", "row_label": "減収補塡", "row_label_alt": ["減収補"],
                                         "column_label": "額", "value": 1, "unit": "円", "fiscal_year": None,
                                         "page": 1}]})]
    got = []
    for label in ("減収補", "減収ほ"):
        con = facts_db(alt, lambda row, label=label: row[:2] + [label] + row[3:])
        got.append(quiet(ra.score_facts, con, alt)[0])
    check("facts: a row_label_alt matches (%d/1), another label does not (%d/1)" % tuple(got), got == [1, 0])

    grows = [[{"本年度予算額の財源内訳"}, {"一般財源"}], [{"a"}, {"b"}, {"c"}]]
    split = [[("本年度予算額の財源内訳", False), ("一般財源", ra.glyph_split("一\n般\n財\n源"))],
             [("a", False), ("b", False)], [("c", False)]]
    found, whole, splits = ra.score_table(grows, split)
    check("cells: split heading found %d/5, whole rows %d/2, split %d" % (found, whole, splits),
          found == 4 and whole == 1 and splits == 1)
    pages = {1: {"tables": [{"rows": [[{"col": 0, "text": "x"}, {"col": 1, "text": "前半"}]]}]},
             2: {"tables": [{"continued_from_previous": True, "header_rows": 0,
                             "rows": [[{"col": 0, "text": ""}, {"col": 1, "text": "後半"}]]}]}}
    lt = ra.logical_tables(pages)
    check("join: page-split row rejoined", len(lt) == 1 and lt[0]["rows_merged"] == [[("x", False), ("前半後半", False)]]
          and len(lt[0]["rows"]) == 2)
    print("%d checks failed" % fails if fails else "all scorer checks passed")
    return 1 if fails else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
