#!/usr/bin/python3
"""Scores keikaku on the real-PDF gold suite (corpus/real/gold/*.gold.json).

Usage: tests/real_accuracy.py BIN [--gold-dir DIR] [--json OUT] [--no-ingest] [--detail]

BIN is the keikaku binary.  For every gold file it runs `BIN extract --pages
A-B` on the PDF (only the pages the gold names) and, when `BIN ingest` exists,
loads the whole gold PDFs into a scratch database.  It prints, per document
and overall (--detail: per table, chart region and phrase list too):

  cells      gold cells (non-empty) found in the right row of the right table,
             ruled and unruled tables separately
  rows       gold rows that come out whole: one extracted row holding exactly
             the gold row's non-empty cells
  headers    tables whose header_rows is the gold's
  charts     tables reported inside a gold chart or diagram region (want 0)
  reading    reading-order phrases found in order on their page
  facts      gold facts found with the right value, unit, fiscal year and
             labels (and the share of reported facts on the gold tables that
             are right); "skipped: ..." when the database has no table_facts
  metadata   documents loaded with the gold title, municipality, prefecture
             and lg_code

The gold format and the matching rules are described in
corpus/real/gold/README.md.  --json OUT writes the overall figures for
tests/e2e/extract_real_gold.sh.  Python standard library only.
Exit status: 0 scored, 2 usage, 3 a gold file or a run failed.
"""
import glob
import json
import os
import re
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import unicodedata

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
RUN_TIMEOUT = 600
WS = re.compile(r"\s+")


def norm(text):
    """NFKC, then every whitespace removed: the form all texts are compared in."""
    return WS.sub("", unicodedata.normalize("NFKC", text or ""))


# ---------------------------------------------------------------- gold cells

def gold_cell(cell):
    """(set of accepted normalized texts) for one gold cell; empty set for ''."""
    if isinstance(cell, str):
        cell = {"text": cell}
    text = norm(cell.get("text", ""))
    if not text:
        return set()
    ok = {text}
    ok.update(norm(a) for a in cell.get("alt", []) if norm(a))
    unit = norm(cell.get("unit", ""))
    if unit:
        ok.update({unit + t for t in list(ok)} | {t + unit for t in list(ok)})
    return ok


def gold_rows(table):
    """Rows of a gold table as lists of accepted-text sets, empty cells left out."""
    return [[s for s in map(gold_cell, row) if s] for row in table["rows"]]


# ----------------------------------------------------------- extract output

def run_extract(binary, pdf, first, last, cache):
    """Parsed pages of `BIN extract --pages first-last pdf` ({page: obj}),
    memoized in cache; raises RuntimeError when the run fails."""
    key = (pdf, first, last)
    if key not in cache:
        cmd = [binary, "extract", "--pages", "%d-%d" % (first, last), pdf]
        res = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=RUN_TIMEOUT)
        if res.returncode != 0:
            raise RuntimeError("%s: exit %d: %s" % (" ".join(cmd), res.returncode,
                                                    res.stderr.decode("utf-8", "replace")[:300]))
        pages = {}
        for line in res.stdout.decode("utf-8").splitlines():
            obj = json.loads(line)
            if obj.get("type") == "page":
                pages[obj["page"]] = obj
        cache[key] = pages
    return cache[key]


def glyph_split(text):
    """True when text is broken into lines of one glyph each (at least two
    such lines): a letter-spaced (均等割付) or vertical word read as a column."""
    lines = [l for l in (WS.sub("", x) for x in (text or "").split("\n")) if l]
    return len(lines) >= 2 and sum(len(l) == 1 for l in lines) >= 2


def fragment_rows(table):
    """A table's rows as lists of (normalized text, glyph_split) per cell, left to right."""
    return [[(norm(c.get("text", "")), glyph_split(c.get("text", ""))) for c in sorted(row, key=lambda c: c.get("col", 0))]
            for row in table.get("rows", [])]


def logical_tables(pages):
    """Extracted tables joined over page breaks: a table marked
    continued_from_previous extends the one before it, without its header
    rows.  Returns [{"rows": [...], "rows_merged": [...], "header_rows": n}];
    rows_merged is the same join where a continued first row whose first cell
    is empty is merged into the row before (a row split by the page break),
    the way parse joins; the scorer keeps whichever matches the gold better."""
    out = []
    for p in sorted(pages):
        for t in pages[p].get("tables", []):
            rows = fragment_rows(t)
            if t.get("continued_from_previous") and out:
                cur = out[-1]
                rows = rows[t.get("header_rows", 0):]
                cur["rows"].extend(rows)
                if rows and cur["rows_merged"] and rows[0] and not rows[0][0][0]:
                    prev = cur["rows_merged"][-1]
                    cur["rows_merged"][-1] = ([(a[0] + b[0], a[1] or b[1]) for a, b in zip(prev, rows[0])] +
                                              prev[len(rows[0]):] + rows[0][len(prev):])
                    rows = rows[1:]
                cur["rows_merged"].extend(rows)
            else:
                out.append({"rows": rows, "rows_merged": [list(r) for r in rows],
                            "header_rows": t.get("header_rows", 0)})
    return out


def match_row(grow, erow, missing=None):
    """(cells, splits): how many cells of gold row grow (accepted-text sets)
    find a distinct cell of extracted row erow, and how many of those found
    cells come out one glyph per line.  Appends the cells not found to the
    list missing when one is given."""
    left = [c for c in erow if c[0]]
    n = splits = 0
    for accepted in grow:
        for i, (t, split) in enumerate(left):
            if t in accepted:
                n += 1
                splits += split
                del left[i]
                break
        else:
            if missing is not None:
                missing.append(min(accepted, key=len))
    return n, splits


def score_table(grows, erows, missing=None):
    """(cells found, rows whole, cells split one glyph per line) of gold rows
    grows against extracted rows erows: each gold row is paired with the
    extracted row holding most of its cells.  Gold cells not found go to the
    list missing when one is given."""
    found = whole = splits = 0
    for grow in grows:
        best, best_row = (0, 0), None
        for erow in erows:
            m = match_row(grow, erow)
            if m[0] > best[0]:
                best, best_row = m, erow
        found += best[0]
        splits += best[1]
        if best_row is not None and best[0] == len(grow) == sum(1 for c in best_row if c[0]):
            whole += 1
        if missing is not None:
            match_row(grow, best_row or [], missing)
    return found, whole, splits


# ------------------------------------------------------------------- scoring

class Totals:
    """Counters of one document or of the whole suite."""

    def __init__(self):
        self.c = {k: 0 for k in ("ruled_found", "ruled_n", "unruled_found", "unruled_n", "rows_whole", "rows_n", "splits",
                                 "heads_ok", "heads_n", "chart_tables", "charts_n", "phr_ok", "phr_n")}

    def add(self, other):
        """Adds the counters of other to these."""
        for k, v in other.c.items():
            self.c[k] += v


def pct(a, b):
    """a of b as 'P% (a/b)', or '-' when there is nothing to count."""
    return "%.1f%% (%d/%d)" % (100.0 * a / b, a, b) if b else "-"


FMT = "%-36s %-20s %-18s %-5s %-18s %-14s %-6s %s"


def summary_line(name, c):
    """One line of the per-document / overall table from counters c."""
    return FMT % (name, pct(c["ruled_found"], c["ruled_n"]), pct(c["unruled_found"], c["unruled_n"]),
                  c["splits"], pct(c["rows_whole"], c["rows_n"]), pct(c["heads_ok"], c["heads_n"]),
                  "%d/%d" % (c["chart_tables"], c["charts_n"]) if c["charts_n"] else "-", pct(c["phr_ok"], c["phr_n"]))


def score_tables(binary, pdf, gold, cache, detail):
    """Scores the gold tables of one document; returns its Totals."""
    tot = Totals()
    by_run = {}
    for gt in gold.get("tables", []):
        by_run.setdefault(tuple(gt["pages"]), []).append(gt)
    for (first, last), gts in sorted(by_run.items()):
        found = logical_tables(run_extract(binary, pdf, first, last, cache))
        # every gold table of this run against every extracted table; then
        # pair them greedily, best first, one extracted table per gold table
        cand = []
        for gi, gt in enumerate(gts):
            grows = gold_rows(gt)
            for ei, et in enumerate(found):
                best = max((score_table(grows, et[k]) for k in ("rows", "rows_merged")))
                cand.append((best, gi, ei))
        cand.sort(key=lambda x: (-x[0][0], -x[0][1], x[1], x[2]))
        used_g, used_e, result = set(), set(), {}
        for (cells, whole, splits), gi, ei in cand:
            if gi in used_g or ei in used_e or cells == 0:
                continue
            used_g.add(gi)
            used_e.add(ei)
            result[gi] = (cells, whole, splits, found[ei]["header_rows"], ei)
        for gi, gt in enumerate(gts):
            grows = gold_rows(gt)
            n = sum(len(r) for r in grows)
            cells, whole, splits, heads, ei = result.get(gi, (0, 0, 0, None, None))
            kind = "ruled" if gt.get("ruled", True) else "unruled"
            tot.c[kind + "_found"] += cells
            tot.c[kind + "_n"] += n
            tot.c["rows_whole"] += whole
            tot.c["splits"] += splits
            tot.c["rows_n"] += len(grows)
            tot.c["heads_n"] += 1
            tot.c["heads_ok"] += heads == gt.get("header_rows", 0)
            if detail:
                print("    table %-14s %-7s cells %s, split one glyph per line %d, rows whole %s, header_rows %s (gold %d)" % (
                    gt["id"], kind, pct(cells, n), splits, pct(whole, len(grows)),
                    "no table" if heads is None else heads, gt.get("header_rows", 0)))
                if cells < n:
                    missing = []
                    erows = [] if ei is None else max((found[ei][k] for k in ("rows", "rows_merged")),
                                                      key=lambda r: score_table(grows, r))
                    score_table(grows, erows, missing)
                    print("      not found: %s" % " | ".join(missing)[:600])
    return tot


def overlap(a, b):
    """Area of the intersection of boxes a and b over the area of a."""
    w = min(a[2], b[2]) - max(a[0], b[0])
    h = min(a[3], b[3]) - max(a[1], b[1])
    area = (a[2] - a[0]) * (a[3] - a[1])
    return w * h / area if w > 0 and h > 0 and area > 0 else 0.0


def score_charts(binary, pdf, gold, cache, tot, detail):
    """Counts tables (not marked as figures) lying mostly inside a gold chart region."""
    for ch in gold.get("charts", []):
        p = ch["page"]
        page = run_extract(binary, pdf, p, p, cache).get(p, {})
        bad = [t for t in page.get("tables", [])
               if t.get("kind") not in ("figure", "chart", "diagram") and overlap(t["bbox"], ch["bbox"]) >= 0.5]
        tot.c["charts_n"] += 1
        tot.c["chart_tables"] += len(bad)
        if detail:
            print("    chart p%d %-50s tables reported: %d" % (p, ch["what"][:50], len(bad)))


def score_reading(binary, pdf, gold, cache, tot, detail):
    """Counts reading-order phrases found in order in the page's lines."""
    for entry in gold.get("reading", []):
        p = entry["page"]
        page = run_extract(binary, pdf, p, p, cache).get(p, {})
        text = "".join(norm(l.get("text", "")) for l in page.get("lines", []))
        pos = ok = 0
        for phrase in entry["phrases"]:
            i = text.find(norm(phrase), pos)
            if i >= 0:
                ok += 1
                pos = i + len(norm(phrase))
        tot.c["phr_ok"] += ok
        tot.c["phr_n"] += len(entry["phrases"])
        if detail:
            print("    reading p%d %-40s %d/%d in order" % (p, entry["what"][:40], ok, len(entry["phrases"])))


# ------------------------------------------------------ facts and metadata

def ingest(binary, golds, workdir):
    """Loads the gold PDFs (whole: ingest is fast) into workdir/real.db;
    returns (db path, None) or (None, the reason it is skipped)."""
    res = subprocess.run([binary, "ingest", "--help"], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    if res.returncode != 0:
        return None, "skipped: no ingest command"
    pdfdir = os.path.join(workdir, "pdf")
    os.makedirs(pdfdir)
    given = {}  # pdf -> the municipality its user names (a document that never names its own)
    for _, gold in golds:
        if "facts" in gold or "metadata" in gold:
            os.symlink(os.path.join(ROOT, "corpus", "real", gold["pdf"]), os.path.join(pdfdir, gold["pdf"]))
            if gold.get("metadata", {}).get("given_municipality"):
                given[gold["pdf"]] = gold["metadata"]["given_municipality"]
    db = os.path.join(workdir, "real.db")
    pdfs = sorted(glob.glob(os.path.join(pdfdir, "*.pdf")))
    runs = [[p for p in pdfs if os.path.basename(p) not in given]]
    runs += [["--municipality", given[os.path.basename(p)], p] for p in pdfs if os.path.basename(p) in given]
    for args in runs:
        res = subprocess.run([binary, "ingest", "--quiet", "--db", db] + args,
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=RUN_TIMEOUT)
        if res.returncode not in (0, 1) or not os.path.exists(db):
            return None, "skipped: ingest failed (exit %d): %s" % (res.returncode, res.stderr.decode("utf-8", "replace")[:200])
    return db, None


def label_tail(label):
    """The innermost part of a ' / '-joined label, normalized."""
    return norm(label.split(" / ")[-1]) if label else ""


def same_value(a, b):
    """Numbers equal up to float rounding (yen amounts must agree to the yen)."""
    try:
        return abs(float(a) - float(b)) <= 1e-6 + 1e-12 * abs(float(b))
    except (TypeError, ValueError):
        return False


def score_facts(con, golds):
    """Prints per-document and overall fact recall and precision; returns
    (strict found, gold facts, right reported, reported) or None if skipped."""
    have = {r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type IN ('table','view')")}
    if "table_facts" not in have:
        print("facts: skipped: no table_facts table")
        return None
    cols = {r[1] for r in con.execute("PRAGMA table_info(table_facts)")}
    need = {"table_id", "document_id", "row_label", "column_label", "value", "unit", "fiscal_year", "page"}
    if not need <= cols:
        print("facts: skipped: table_facts lacks %s" % ", ".join(sorted(need - cols)))
        return None
    T = [0, 0, 0, 0, 0]  # strict found, loose found, gold n, right reported, reported
    for name, gold in golds:
        facts = gold.get("facts", [])
        if not facts:
            continue
        rows = con.execute("SELECT f.table_id, f.row_label, f.column_label, f.value, f.unit, f.fiscal_year, f.page "
                           "FROM table_facts f JOIN documents d ON d.id = f.document_id WHERE d.file = ? OR d.file LIKE ?",
                           (gold["pdf"], "%/" + gold["pdf"])).fetchall()
        rep = [(t, rl, cl, v, norm(u), fy, p) for t, rl, cl, v, u, fy, p in rows]
        D = [0, 0, 0, 0, 0]
        tables_hit, right = {}, set()  # table id -> the gold pages it was matched on
        for gt in gold["tables"]:
            gf = [f for f in facts if f["table"] == gt["id"]]
            if not gf:
                continue
            span = range(gt["pages"][0], gt["pages"][1] + 1)
            mine = [r for r in rep if r[6] in span]
            for f in gf:
                D[2] += 1
                base = [r for r in mine if same_value(r[3], f["value"]) and r[4] == norm(f["unit"]) and r[5] == f["fiscal_year"]]
                rows_ok = [f["row_label"]] + f.get("row_label_alt", [])
                cols_ok = [f["column_label"]] + f.get("column_label_alt", [])
                strict = [r for r in base if any(norm(r[1]) == norm(x) for x in rows_ok)
                          and any(norm(r[2]) == norm(x) for x in cols_ok)]
                loose = [r for r in base if any(label_tail(x) in norm(r[1]) for x in rows_ok)
                         and any(label_tail(x) in norm(r[2]) for x in cols_ok)]
                D[0] += bool(strict)
                D[1] += bool(loose)
                for r in strict:
                    right.add(r)
                for r in loose:
                    tables_hit.setdefault(r[0], set()).update(span)
        # a table that goes on past the pages the gold covers: only its facts on those pages
        reported = [r for r in rep if r[6] in tables_hit.get(r[0], ())]
        D[3] = sum(1 for r in reported if r in right)
        D[4] = len(reported)
        for i in range(5):
            T[i] += D[i]
        print("  %-40s facts found %s (labels loose %s); reported on gold tables right %s" % (
            name, pct(D[0], D[2]), pct(D[1], D[2]), pct(D[3], D[4])))
    print("facts: found %s (labels loose %s); reported right %s" % (pct(T[0], T[2]), pct(T[1], T[2]), pct(T[3], T[4])))
    return T


def title_ok(got, md):
    """Whether title got agrees with the gold metadata md: after removing the
    municipality's and prefecture's names from both, one normalized title
    holds the gold title (or one of its title_alt) and the shorter is at
    least half the longer."""
    def bare(t):
        t = norm(t)
        for name in (md.get("municipality"), md.get("prefecture")):
            if name:
                t = t.replace(name, "")
        return t
    a = bare(got)
    for want in [md["title"]] + md.get("title_alt", []):
        b = bare(want)
        if a and b:
            s, l = sorted((a, b), key=len)
            if s in l and 2 * len(s) >= len(l):
                return True
    return False


def score_metadata(con, golds):
    """Prints per-document metadata checks; returns (docs right, docs)."""
    ok = n = 0
    fields = {"title": 0, "municipality": 0, "prefecture": 0, "lg_code": 0}
    for name, gold in golds:
        md = gold.get("metadata")
        if not md:
            continue
        n += 1
        row = con.execute("SELECT title, municipality, prefecture, lg_code FROM documents WHERE file = ? OR file LIKE ?",
                          (gold["pdf"], "%/" + gold["pdf"])).fetchone()
        if row is None:
            print("  %-40s metadata: not loaded" % name)
            continue
        checks = [("title", title_ok(row[0], md)), ("municipality", (row[1] or None) == md["municipality"]),
                  ("prefecture", (row[2] or None) == md["prefecture"]), ("lg_code", (row[3] or None) == md["lg_code"])]
        good = all(c for _, c in checks)
        ok += good
        for k, c in checks:
            fields[k] += c
        print("  %-40s metadata %s (title %r, municipality %r, prefecture %r, lg_code %r)%s" % (
            name, "right" if good else "WRONG " + ",".join(k for k, c in checks if not c), row[0], row[1], row[2], row[3],
            " [ingest --municipality %s: the document never names it]" % md["given_municipality"]
            if md.get("given_municipality") else ""))
    print("metadata: %s of documents right; %s" % (pct(ok, n), ", ".join("%s %d/%d" % (k, v, n) for k, v in fields.items())))
    return ok, n


# ---------------------------------------------------------------------- main

def main(argv):
    args = argv[1:]
    opts = {"--gold-dir": os.path.join(ROOT, "corpus", "real", "gold"), "--json": None}
    flags = set()
    binary = None
    i = 0
    while i < len(args):
        a = args[i]
        if a in opts and i + 1 < len(args):
            opts[a] = args[i + 1]
            i += 2
            continue
        if a in ("--no-ingest", "--detail"):
            flags.add(a)
        elif a in ("-h", "--help"):
            print(__doc__)
            return 0
        elif binary is None and not a.startswith("-"):
            binary = os.path.abspath(a)
        else:
            print("real_accuracy.py: unknown argument %s\n%s" % (a, __doc__), file=sys.stderr)
            return 2
        i += 1
    if binary is None:
        print(__doc__, file=sys.stderr)
        return 2
    detail = "--detail" in flags
    golds = []
    for path in sorted(glob.glob(os.path.join(opts["--gold-dir"], "*.gold.json"))):
        try:
            with open(path, encoding="utf-8") as f:
                golds.append((os.path.basename(path)[:-len(".gold.json")], json.load(f)))
        except (OSError, ValueError) as e:
            print("real_accuracy.py: %s: %s" % (path, e), file=sys.stderr)
            return 3
    if not golds:
        print("real_accuracy.py: no *.gold.json in %s" % opts["--gold-dir"], file=sys.stderr)
        return 3
    cache, total = {}, Totals()
    print(FMT % ("real PDF", "cells ruled", "cells unruled", "split", "rows whole", "header rows", "charts", "reading"))
    try:
        for name, gold in golds:
            pdf = os.path.join(ROOT, "corpus", "real", gold["pdf"])
            if not any(gold.get(k) for k in ("tables", "charts", "reading")):
                continue
            tot = score_tables(binary, pdf, gold, cache, detail)
            score_charts(binary, pdf, gold, cache, tot, detail)
            score_reading(binary, pdf, gold, cache, tot, detail)
            print(summary_line(name, tot.c))
            total.add(tot)
            cache.clear()
    except (RuntimeError, subprocess.TimeoutExpired) as e:
        print("real_accuracy.py: %s" % e, file=sys.stderr)
        return 3
    c = total.c
    print(summary_line("overall", c))
    print("(split: found cells that came out one glyph per line; charts: tables reported inside"
          " chart/diagram regions / regions)")
    figures = {
        "cells_ruled": round(100.0 * c["ruled_found"] / c["ruled_n"], 1) if c["ruled_n"] else None,
        "cells_unruled": round(100.0 * c["unruled_found"] / c["unruled_n"], 1) if c["unruled_n"] else None,
        "rows_whole": round(100.0 * c["rows_whole"] / c["rows_n"], 1) if c["rows_n"] else None,
        "header_rows": round(100.0 * c["heads_ok"] / c["heads_n"], 1) if c["heads_n"] else None,
        "chart_tables": c["chart_tables"],
        "split_cells": c["splits"],
        "reading": round(100.0 * c["phr_ok"] / c["phr_n"], 1) if c["phr_n"] else None,
        "facts_found": None, "facts_right": None, "metadata": None, "facts_status": None,
    }
    print()
    if "--no-ingest" in flags:
        figures["facts_status"] = "skipped: --no-ingest"
        print("facts, metadata: skipped: --no-ingest")
    else:
        work = tempfile.mkdtemp(prefix="kk-real-")
        try:
            db, why = ingest(binary, golds, work)
            if db is None:
                figures["facts_status"] = why
                print("facts, metadata: %s" % why)
            else:
                con = sqlite3.connect(db)
                ok, n = score_metadata(con, golds)
                figures["metadata"] = round(100.0 * ok / n, 1) if n else None
                T = score_facts(con, golds)
                if T is None:
                    figures["facts_status"] = "skipped: no table_facts table"
                else:
                    figures["facts_found"] = round(100.0 * T[0] / T[2], 1) if T[2] else None
                    figures["facts_right"] = round(100.0 * T[3] / T[4], 1) if T[4] else None
                    figures["facts_status"] = "scored"
                con.close()
        except (subprocess.TimeoutExpired, subprocess.CalledProcessError, sqlite3.Error) as e:
            figures["facts_status"] = "skipped: %s" % e
            print("facts, metadata: skipped: %s" % e)
        finally:
            shutil.rmtree(work, ignore_errors=True)
    if opts["--json"]:
        with open(opts["--json"], "w", encoding="utf-8") as f:
            json.dump(figures, f, ensure_ascii=False, indent=1)
            f.write("\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
