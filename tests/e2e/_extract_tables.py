#!/usr/bin/python3
"""Compares the tables of `keikaku extract` output with a gold tables file.

Usage: _extract_tables.py GOLD.tables.json EXTRACT.jsonl [--ruled MIN] [--unruled MIN]

GOLD is {"pdf":..., "tables":[{"id","pages":[first,last],"ruled","header_rows",
"rows":[[cell,...],...]}]} where rows is the logical table (header once, then
all data rows) and a cell is a string or {"text","rowspan","colspan"}.

The extract output's tables are joined into logical tables the way parse
joins them: a table with continued_from_previous extends the one before it,
its first header_rows rows are dropped, and a first remaining row whose first
cell is empty is merged into the previous row (a row split by the page
break).  Cell texts are compared with all whitespace removed; rows are
aligned by sequence matching, so one lost row costs only its own cells.
Prints matched/total cells and whole rows (every cell of the gold row
right) per gold table; exits 1 when a table's share is below MIN (default
1.0 for ruled gold tables, 0.95 for unruled ones), or when extract's
header_rows of the first fragment agrees with the gold header_rows for fewer
than --headers SHARE of the tables (default 0.9), or when fewer than
--rows SHARE of the gold rows come out whole (default 0: not checked).

--floors FILE (corpus/gold/floors.tsv, see corpus/README.md): a document
with a floor line for a metric (cells, rows, headers) is held to that floor
on the document's total instead (per-table limits then do not apply for
cells), and the total line prints the floor and the issue's target beside
the figure, so a document below target fails only when it gets worse.
"""
import difflib
import json
import re
import sys

WS = re.compile(r"[\s\u3000]+")


def norm(text):
    return WS.sub("", text or "")


def gold_cell(cell):
    return norm(cell["text"] if isinstance(cell, dict) else cell)


def logical_tables(path):
    """[(first_page, last_page, ruled, rows, header_rows)], rows = [[text, ...], ...]."""
    out = []
    with open(path, encoding="utf-8") as f:
        for line in f:
            obj = json.loads(line)
            if obj.get("type") != "page":
                continue
            page = obj["page"]
            for t in obj.get("tables", []):
                rows = [[(c.get("col", 0), c.get("text", "")) for c in r] for r in t.get("rows", [])]
                if t.get("continued_from_previous") and out:
                    cur = out[-1]
                    rows = rows[t.get("header_rows", 0):]
                    if rows and cur[3] and rows[0] and not norm(dict(rows[0]).get(0, "")):
                        prev = cur[3][-1]
                        for col, text in rows[0]:
                            for i, (pc, ptext) in enumerate(prev):
                                if pc == col:
                                    prev[i] = (pc, ptext + "\n" + text if ptext else text)
                                    break
                            else:
                                prev.append((col, text))
                        prev.sort()
                        rows = rows[1:]
                    cur[3].extend(rows)
                    cur[1] = page
                else:
                    out.append([page, page, t.get("ruled", False), rows, t.get("header_rows", 0)])
    return [(a, b, r, [[norm(t) for _, t in row] for row in rows], h) for a, b, r, rows, h in out]


def score(gold_rows, rows):
    """(cells of gold_rows matched by rows, gold rows matched whole), after
    aligning rows."""
    key = lambda r: "\t".join(r)
    sm = difflib.SequenceMatcher(None, [key(r) for r in gold_rows], [key(r) for r in rows], autojunk=False)
    matched = whole = 0
    for op, a0, a1, b0, b1 in sm.get_opcodes():
        if op == "equal":
            matched += sum(len(r) for r in gold_rows[a0:a1])
            whole += a1 - a0
        elif op == "replace":
            for g, e in zip(gold_rows[a0:a1], rows[b0:b1]):
                matched += sum(1 for x, y in zip(g, e) if x == y)
                whole += g == e
    return matched, whole


def read_floors(path, pdf):
    """{metric: (floor, target)} of floors.tsv lines naming this PDF's stem."""
    out = {}
    stem = pdf[:-4] if pdf.endswith(".pdf") else pdf
    with open(path, encoding="utf-8") as f:
        for line in f:
            cols = line.rstrip("\n").split("\t")
            if line.startswith("#") or len(cols) < 4 or cols[0] != stem:
                continue
            out[cols[1]] = (float(cols[2]), float(cols[3]))
    return out


def main(argv):
    args = argv[1:]
    limits = {True: 1.0, False: 0.95}
    header_min = 0.9
    if "--headers" in args:
        i = args.index("--headers")
        header_min = float(args[i + 1])
        del args[i:i + 2]
    rows_min = 0.0
    if "--rows" in args:
        i = args.index("--rows")
        rows_min = float(args[i + 1])
        del args[i:i + 2]
    floors_path = None
    if "--floors" in args:
        i = args.index("--floors")
        floors_path = args[i + 1]
        del args[i:i + 2]
    verbose = "--verbose" in args
    if verbose:
        args.remove("--verbose")
    for flag, ruled in (("--ruled", True), ("--unruled", False)):
        if flag in args:
            i = args.index(flag)
            limits[ruled] = float(args[i + 1])
            del args[i:i + 2]
    if len(args) != 2:
        print(__doc__, file=sys.stderr)
        return 2
    gold = json.load(open(args[0], encoding="utf-8"))
    found = logical_tables(args[1])
    floors = read_floors(floors_path, gold.get("pdf", "")) if floors_path else {}
    if "cells" in floors:
        limits = {True: 0.0, False: 0.0}
    failed = False
    total_m = total_n = 0
    total_w = total_r = 0
    heads_ok = heads_n = 0
    for gt in gold["tables"]:
        grows = [[gold_cell(c) for c in row] for row in gt["rows"]]
        n = sum(len(r) for r in grows)
        first, last = gt.get("pages", [1, 10**9])
        best, best_rows, best_h, best_w = 0, None, None, 0
        for a, b, ruled, rows, h in found:
            if first <= a <= last:
                s, w = score(grows, rows)
                if s > best or best_rows is None:
                    best, best_rows, best_h, best_w = s, rows, h, w
        if best_h is not None:
            heads_n += 1
            heads_ok += best_h == gt.get("header_rows", 0)
        ruled = bool(gt.get("ruled", True))
        share = best / n if n else 1.0
        ok = share >= limits[ruled] - 1e-9
        failed |= not ok
        if verbose and not ok:
            print("  gold:", grows)
            print("  got: ", best_rows)
        total_m += best
        total_n += n
        total_w += best_w
        total_r += len(grows)
        print("%s %s %s: %d/%d cells (%.1f%%), %d/%d rows whole%s" % (gold.get("pdf", "?"), gt.get("id", "?"),
              "ruled" if ruled else "unruled", best, n, 100.0 * share, best_w, len(grows),
              "" if ok else "  BELOW %.0f%%" % (100 * limits[ruled])))
    heads_share = heads_ok / heads_n if heads_n else 1.0
    figures = {"cells": total_m / total_n if total_n else 1.0, "rows": total_w / total_r if total_r else 1.0,
               "headers": heads_share}
    mins = {"cells": 0.0, "rows": rows_min, "headers": header_min}
    notes = []
    for metric, (floor, target) in sorted(floors.items()):
        if metric in mins:
            mins[metric] = floor
            notes.append("%s %.1f%% (floor %.1f%%, target %.0f%%)" % (metric, 100 * figures[metric], 100 * floor,
                                                                     100 * target))
    low = [m for m in mins if figures[m] < mins[m] - 1e-9]
    failed |= bool(low)
    print("%s total: %d/%d cells, %d/%d rows whole, header_rows right for %d/%d tables%s%s" % (
          gold.get("pdf", "?"), total_m, total_n, total_w, total_r, heads_ok, heads_n,
          "; " + "; ".join(notes) if notes else "",
          "".join("  BELOW %s %.1f%%" % (m, 100 * mins[m]) for m in low)))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
