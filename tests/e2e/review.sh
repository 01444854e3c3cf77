# keikaku review on the real scan (corpus/real/otoineppu_rakuhyousetsu_scan.pdf,
# read by OCR): the OCR confidence of its table cells goes through parse
# (cells' 9th element) into table_cells.confidence; the review page lists
# the cells below --below with file, page and confidence, each beside a PNG
# crop; text is HTML-escaped; a file that is gone is said so; and the page,
# opened in a real headless browser (Chromium), shows the crops (screenshot
# checked for the red outlines and the scanned glyphs inside them).
. "$(dirname "$0")/_lib.sh"
scan="corpus/real/otoineppu_rakuhyousetsu_scan.pdf"
py=/usr/bin/python3
DB="$E2E_TMP/r.db"
tessdata=/usr/share/tesseract-ocr/5/tessdata
if [ ! -f "$tessdata/jpn.traineddata" ]; then
  skip "Tesseract's jpn data not installed (make deps)"
  finish
fi

expect_status 0 "review --help" "$KEIKAKU" review --help
grep -q -- "--below" "$E2E_TMP/out" && ok "  --help names --below" || bad "  --help: $(head -c 300 "$E2E_TMP/out")"
expect_status 2 "review --frob" "$KEIKAKU" review --frob
expect_status 2 "review --below 500" "$KEIKAKU" review --db "$E2E_TMP/none.db" --below 500
expect_status 2 "review with a stray argument" "$KEIKAKU" review --db "$E2E_TMP/none.db" x

# the stages one by one, so the records stream can be checked too
( cd "$KK_ROOT" && "$KEIKAKU" extract "$scan" | "$KEIKAKU" normalize | "$KEIKAKU" parse 2>/dev/null ) \
  > "$E2E_TMP/rec.jsonl" && ok "extract | normalize | parse on the scan" || bad "pipeline on the scan"
n_rec=$($py - "$E2E_TMP/rec.jsonl" <<'PY'
import json, sys
n = 0
for l in open(sys.argv[1], encoding="utf-8"):
    o = json.loads(l)
    if o["type"] == "table":
        for c in o["cells"]:
            if len(c) > 8:
                assert 0 <= c[8] <= 100, c
                n += 1
print(n)
PY
)
[ "${n_rec:-0}" -gt 0 ] && ok "records: $n_rec table cells carry a confidence" || bad "records: no cell confidence ($n_rec)"
( cd "$KK_ROOT" && "$KEIKAKU" load -q --db "$DB" "$E2E_TMP/rec.jsonl" ) && ok "load the records" || bad "load the records"
n_db=$(sqlite3 "$DB" "SELECT count(*) FROM table_cells WHERE confidence IS NOT NULL")
[ "$n_db" = "$n_rec" ] && ok "table_cells.confidence kept for all $n_db cells" || bad "table_cells.confidence: $n_db in db, $n_rec in records"
# a confidence that is no number in 0..100 (hostile records) is stored as NULL
$py - "$E2E_TMP/rec.jsonl" > "$E2E_TMP/odd.jsonl" <<'PY'
import json, sys
odd = iter(["high", 500, -3, True])
for l in open(sys.argv[1], encoding="utf-8"):
    o = json.loads(l)
    if o["type"] == "table":
        for c in o["cells"]:
            if len(c) > 8:
                c[8] = next(odd, c[8])
    print(json.dumps(o, ensure_ascii=False))
PY
( cd "$KK_ROOT" && "$KEIKAKU" load -q --db "$E2E_TMP/odd.db" "$E2E_TMP/odd.jsonl" ) && ok "load records with odd confidences" \
  || bad "load records with odd confidences"
n_odd=$(sqlite3 "$E2E_TMP/odd.db" "SELECT count(*) FROM table_cells WHERE confidence IS NOT NULL")
[ "$n_odd" = $((n_rec - 4)) ] && ok "  four odd confidences stored as NULL" || bad "  odd confidences: $n_odd kept of $n_rec"
want=$(sqlite3 "$DB" "SELECT count(*) FROM table_cells WHERE confidence < 80")
[ "$want" -gt 0 ] && ok "$want cells below 80" || bad "no cell below 80 (nothing to review)"

( cd "$KK_ROOT" && "$KEIKAKU" review --db "$DB" -o "$E2E_TMP/review.html" 2>"$E2E_TMP/err" ) \
  && ok "review -o review.html (exit 0)" || bad "review: $(cat "$E2E_TMP/err")"
got=$(grep -o 'src="data:image/png;base64,' "$E2E_TMP/review.html" | wc -l)
[ "$got" = "$want" ] && ok "one crop per value below 80 ($got)" || bad "crops: $got, wanted $want"
grep -q "otoineppu_rakuhyousetsu_scan.pdf</td><td>1</td>" "$E2E_TMP/review.html" \
  && ok "names the file and page" || bad "file and page not named"
sqlite3 "$DB" "SELECT printf('%.1f', confidence) FROM table_cells WHERE confidence < 80" | while read -r c; do
  grep -q "class=\"conf\">$c<" "$E2E_TMP/review.html" || echo "$c"
done > "$E2E_TMP/noconf"
[ ! -s "$E2E_TMP/noconf" ] && ok "names every confidence" || bad "confidences missing: $(cat "$E2E_TMP/noconf")"
( cd "$KK_ROOT" && "$KEIKAKU" review --db "$DB" --below 0 -o "$E2E_TMP/none.html" 2>/dev/null )
grep -q "No value read by OCR" "$E2E_TMP/none.html" && ok "--below 0 lists nothing" || bad "--below 0"

# a fact read by OCR: listed as a fact with its labels, and its cell (same
# place) not listed a second time; a text-layer fact (no confidence) is not
$py - "$E2E_TMP/rec.jsonl" > "$E2E_TMP/fact.jsonl" <<'PY'
import json, sys
objs = [json.loads(l) for l in open(sys.argv[1], encoding="utf-8")]
out = []
for o in objs:
    if o["type"] == "end":
        continue
    out.append(o)
    if o["type"] == "table" and not any(x.get("type") == "fact" for x in out):
        low = [c for c in o["cells"] if len(c) > 8 and c[8] < 80 and c[7]][0]
        base = {"type": "fact", "table": o["key"], "row_label": "行<b>", "column_label": "列",
                "value": 1234, "unit": "円", "fiscal_year": None, "raw": "1,234",
                "row": low[0], "col": low[1], "page": low[6], "bbox": low[7]}
        out.append(dict(base, confidence=12.5))
        out.append(dict(base, raw="5,678", row=low[0] + 50))
out.append({"type": "end", "records": len(out) - 1})
for o in out:
    print(json.dumps(o, ensure_ascii=False))
PY
( cd "$KK_ROOT" && "$KEIKAKU" load -q --db "$E2E_TMP/fact.db" "$E2E_TMP/fact.jsonl" \
  && "$KEIKAKU" review --db "$E2E_TMP/fact.db" -o "$E2E_TMP/fact.html" 2>/dev/null ) && ok "review with an OCR fact" || bad "review with an OCR fact"
[ "$(sqlite3 "$E2E_TMP/fact.db" "SELECT group_concat(quote(confidence)) FROM table_facts")" = "12.5,NULL" ] \
  && ok "  table_facts.confidence 12.5, NULL for the text-layer fact" || bad "  table_facts.confidence"
grep -q '<td>fact</td><td>1,234</td><td>行&lt;b&gt; / 列</td><td class="conf">12.5<' "$E2E_TMP/fact.html" \
  && ok "  the fact listed with its labels and confidence" || bad "  fact not listed"
! grep -q '5,678' "$E2E_TMP/fact.html" && ok "  the text-layer fact not listed" || bad "  text-layer fact listed"
nf=$(grep -o 'data:image/png' "$E2E_TMP/fact.html" | wc -l)
[ "$nf" = "$want" ] && ok "  its cell not listed twice ($nf crops)" || bad "  $nf crops, wanted $want"

# hostile text is escaped; a file that is gone is named, without crops
cp "$DB" "$E2E_TMP/h.db"
sqlite3 "$E2E_TMP/h.db" "UPDATE table_cells SET text = '<script>alert(1)</script>&' WHERE rowid = (SELECT min(rowid) FROM table_cells WHERE confidence < 80);
  UPDATE documents SET file = 'gone/nowhere.pdf';"
expect_status 0 "review with the file gone" "$KEIKAKU" review --db "$E2E_TMP/h.db"
grep -q '&lt;script&gt;alert(1)&lt;/script&gt;&amp;' "$E2E_TMP/out" && ! grep -q '<script>' "$E2E_TMP/out" \
  && ok "  cell text HTML-escaped" || bad "  cell text not escaped"
grep -q 'the file is gone (gone/nowhere.pdf not found)' "$E2E_TMP/out" && ! grep -q 'data:image' "$E2E_TMP/out" \
  && ok "  says the file is gone, no crops" || bad "  file gone not said"

# the crops are rendered by the module beside the binary (keikaku-ocr.so,
# which links Poppler GLib and cairo): a binary copied away from it names
# the module, exits 9 and writes no page
mkdir -p "$E2E_TMP/alone/bin"; cp "$KEIKAKU" "$E2E_TMP/alone/bin/keikaku"
KEIKAKU_OCR_MODULE= expect_status 9 "review by a binary without its module" "$E2E_TMP/alone/bin/keikaku" review --db "$DB" -o "$E2E_TMP/alone.html"
grep -q 'the page renderer (keikaku-ocr.so) cannot be loaded' "$E2E_TMP/err" && [ ! -e "$E2E_TMP/alone.html" ] \
  && ok "  names the missing module, no page written" || bad "  missing module: $(head -c 300 "$E2E_TMP/err")"

# a real browser: the crops must be drawn, not only present in the HTML
chromium=$(command -v chromium || command -v chromium-browser)
if [ -z "$chromium" ]; then
  skip "chromium not installed (make deps installs it): no browser check"
  finish
fi
profile=$(mktemp -d -p "$E2E_TMP")
( cd "$E2E_TMP" && timeout 120 "$chromium" --headless --no-sandbox --disable-gpu --disable-background-networking \
    --disable-component-update --disable-sync --no-first-run --user-data-dir="$profile" \
    --screenshot="$E2E_TMP/shot.png" --window-size=1200,2000 "file://$E2E_TMP/review.html" ) >/dev/null 2>&1
if [ -s "$E2E_TMP/shot.png" ]; then
  res=$($py "$KK_ROOT/tests/e2e/_review_shot.py" "$E2E_TMP/shot.png") && ok "chromium screenshot shows the crops ($res)" \
    || bad "chromium screenshot blank ($res)"
  # the same page with its crops gone must fail the check (the check can fail)
  sed 's/src="data:image\/png;base64,[^"]*"/src=""/' "$E2E_TMP/review.html" > "$E2E_TMP/blank.html"
  ( cd "$E2E_TMP" && timeout 120 "$chromium" --headless --no-sandbox --disable-gpu --disable-background-networking \
      --disable-component-update --disable-sync --no-first-run --user-data-dir="$profile" \
      --screenshot="$E2E_TMP/blank.png" --window-size=1200,2000 "file://$E2E_TMP/blank.html" ) >/dev/null 2>&1
  $py "$KK_ROOT/tests/e2e/_review_shot.py" "$E2E_TMP/blank.png" >/dev/null \
    && bad "the check passes a page without crops" || ok "the check fails a page without crops"
else
  bad "chromium wrote no screenshot"
fi
finish
