# keikaku tables: the grid viewer, --csv and --json, on real PDFs
# (corpus/real, see its README) and the corpus.
. "$(dirname "$0")/_lib.sh"
real="$KK_ROOT/corpus/real"
py=/usr/bin/python3

expect_status 0 "tables --help" "$KEIKAKU" tables --help
grep -q -- '--csv' "$E2E_TMP/out" && grep -q -- '--json' "$E2E_TMP/out" && ok "help names --csv and --json" || bad "help lacks --csv/--json"
expect_status 2 "no file" "$KEIKAKU" tables
expect_status 2 "--csv with --json" "$KEIKAKU" tables --csv "$E2E_TMP/x" --json "$real/aichi-source.pdf"
expect_status 2 "bad --pages" "$KEIKAKU" tables --pages abc "$real/aichi-source.pdf"
expect_status 2 "bad --cell-width" "$KEIKAKU" tables --cell-width 1 "$real/aichi-source.pdf"
expect_status 3 "missing file" "$KEIKAKU" tables "$E2E_TMP/none.pdf"
[ "$(wc -l < "$E2E_TMP/err")" = 1 ] && grep -q 'none.pdf' "$E2E_TMP/err" && ok "one error line naming the file" || bad "error lines: $(cat "$E2E_TMP/err")"

# The grid: a title line per table, the header row marked, every line of a
# grid as wide as the others when wide (CJK) characters count two cells.
expect_status 0 "grid of aichi-source.pdf" "$KEIKAKU" tables "$real/aichi-source.pdf"
cp "$E2E_TMP/out" "$E2E_TMP/grid"
$py - "$E2E_TMP/grid" > "$E2E_TMP/check" <<'PY'
import sys, unicodedata
lines = open(sys.argv[1], encoding="utf-8").read().split("\n")
assert lines[0].startswith("page 1, table 0: ruled, 44 rows x 7 columns, bbox ["), lines[0]
assert lines[0].endswith("header rows 1"), lines[0]
assert lines[2].startswith("H | No"), lines[2]
assert lines[3].startswith("  +===="), lines[3]
assert any(l.startswith("page 2, table 0:") and l.endswith("continued from the previous page") for l in lines)
def width(s):
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in s)
grid = lines[1:lines.index("")]
assert len(set(width(l) for l in grid)) == 1, set(width(l) for l in grid)
assert lines[-2] == "5 tables, 0 figures", lines[-2]
print("ok")
PY
[ "$(cat "$E2E_TMP/check")" = ok ] && ok "grid: title, header marked, aligned by display width" || bad "grid: $(head -c 600 "$E2E_TMP/check")"

# --json: one object per table fragment.
expect_status 0 "--json aichi-source.pdf" "$KEIKAKU" tables --json "$real/aichi-source.pdf"
$py - "$E2E_TMP/out" > "$E2E_TMP/check" <<'PY'
import json, sys
objs = [json.loads(l) for l in open(sys.argv[1], encoding="utf-8")]
assert [o["page"] for o in objs] == [1, 2, 3, 4, 5], [o["page"] for o in objs]
assert all(o["type"] == "table" and o["index"] == 0 and o["n_cols"] == 7 for o in objs)
assert [o["continued_from_previous"] for o in objs] == [False, True, True, True, True]
assert objs[0]["rows"][0][0]["text"] == "No"
print("ok")
PY
[ "$(cat "$E2E_TMP/check")" = ok ] && ok "--json: five fragments of one table" || bad "--json: $(head -c 600 "$E2E_TMP/check")"

# --csv: the five fragments are one file: cases 1 to 183 once each, the
# gold rows among them in order.
expect_status 0 "--csv aichi-source.pdf" "$KEIKAKU" tables --csv "$E2E_TMP/csv" "$real/aichi-source.pdf"
$py - "$E2E_TMP/csv" "$real/aichi-source.gold.tsv" > "$E2E_TMP/check" <<'PY'
import csv, os, re, sys
files = sorted(os.listdir(sys.argv[1]))
assert files == ["p0001-t0.csv"], files
ws = re.compile(r"[\s\u3000]+")
rows = [[ws.sub("", c) for c in r] for r in csv.reader(open(os.path.join(sys.argv[1], files[0]), encoding="utf-8", newline=""))]
gold = [[ws.sub("", c) for c in l.rstrip("\n").split("\t")] for l in open(sys.argv[2], encoding="utf-8") if l.strip()]
assert rows[0][:2] == ["No", "発表日"], rows[0]
# every case once, none split by a page break (the gold lists the 150
# rows that have every cell filled)
assert [r[0] for r in rows[1:]] == [str(n) for n in range(1, 184)], [r[0] for r in rows[1:]]
it = iter(rows[1:])
missing = [g for g in gold if not any(g == r for r in it)]
assert not missing, missing[:3]
print("ok")
PY
[ "$(cat "$E2E_TMP/check")" = ok ] && ok "--csv: one file, header once, 183 cases, the 150 gold rows" || bad "--csv: $(head -c 600 "$E2E_TMP/check")"

# --csv drops the header rows repeated on every page of a continued table.
expect_status 0 "--csv 004-iizuka-plan-list.pdf" "$KEIKAKU" tables --csv "$E2E_TMP/csv4" "$KK_ROOT/corpus/004-iizuka-plan-list.pdf"
$py - "$E2E_TMP/csv4" "$KK_ROOT/corpus/gold/004-iizuka-plan-list.tables.json" > "$E2E_TMP/check" <<'PY'
import csv, json, os, sys
gold = [t for t in json.load(open(sys.argv[2], encoding="utf-8"))["tables"] if t["id"] == "plan-list"][0]
path = os.path.join(sys.argv[1], "p%04d-t0.csv" % gold["pages"][0])
rows = list(csv.reader(open(path, encoding="utf-8", newline="")))
assert sum(1 for r in rows if r[0] == "番号") == 1, [r[0] for r in rows]
assert len(rows) == len(gold["rows"]), (len(rows), len(gold["rows"]))
print("ok")
PY
[ "$(cat "$E2E_TMP/check")" = ok ] && ok "--csv: a table over 12 pages is one file with its header once" || bad "--csv joined: $(head -c 600 "$E2E_TMP/check")"

# Whitespace tables beside a paragraph and a pie chart (newsletter page,
# gold by eye): the tables alone, with their header rows.
name=otoineppu_kouhou_2020-03-p2
expect_status 0 "--json $name.pdf" "$KEIKAKU" tables --json "$real/$name.pdf"
$py - "$E2E_TMP/out" "$real/$name.tables.json" > "$E2E_TMP/check" <<'PY'
import json, re, sys, unicodedata
def norm(s):
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", s or ""))
found = [json.loads(l) for l in open(sys.argv[1], encoding="utf-8")]
gold = json.load(open(sys.argv[2], encoding="utf-8"))
out = []
for g in gold["tables"]:
    grows = [[norm(c) for c in r] for r in g["rows"]]
    best = None
    for t in found:
        rows = {}
        for r in t["rows"]:
            for c in r:
                rows.setdefault(c["row"], {})[c["col"]] = norm(c["text"])
        trows = [[rows.get(i, {}).get(j, "") for j in range(t["n_cols"])] for i in range(t["n_rows"])]
        hit = sum(1 for gr, tr in zip(grows, trows) for a, b in zip(gr, tr) if a == b)
        if best is None or hit > best[0]:
            best = (hit, t["header_rows"], len(trows))
    cells = sum(len(r) for r in grows)
    out.append("%s %d/%d cells, %d/%d rows, header_rows %d" % (g["id"], best[0], cells, best[2], len(grows), best[1]))
    assert best[0] >= 0.97 * cells and best[1] == g["header_rows"], out[-1]
print("ok " + "; ".join(out))
PY
grep -q '^ok' "$E2E_TMP/check" && ok "unruled beside prose: $(cat "$E2E_TMP/check")" || bad "unruled beside prose: $(head -c 600 "$E2E_TMP/check")"

# Bar charts are figures, not tables.
expect_status 0 "grid of otoineppu_jinkou_vision-p20.pdf" "$KEIKAKU" tables "$real/otoineppu_jinkou_vision-p20.pdf"
[ "$(tail -n1 "$E2E_TMP/out")" = "0 tables, 2 figures" ] && ok "two bar charts: 0 tables, 2 figures" || bad "charts: $(tail -n3 "$E2E_TMP/out")"
finish
