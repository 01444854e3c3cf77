# keikaku extract on real PDFs made by other tools (corpus/real, see its README).
. "$(dirname "$0")/_lib.sh"
real="$KK_ROOT/corpus/real"
py=/usr/bin/python3
check="$KK_ROOT/tests/e2e/_extract_tables.py"

# The DocuWorks table over 5 pages (rulings drawn as thin filled rectangles):
# every cell of its 150 rows and header, joined over the page breaks.
expect_status 0 "extract aichi-source.pdf" "$KEIKAKU" extract "$real/aichi-source.pdf"
cp "$E2E_TMP/out" "$E2E_TMP/aichi.jsonl"
if $py "$check" "$real/aichi-source.tables.json" "$E2E_TMP/aichi.jsonl" > "$E2E_TMP/score"; then
  ok "aichi table cells: $(tail -n1 "$E2E_TMP/score")"
else
  bad "aichi table cells: $(cat "$E2E_TMP/score")"
fi

# Stream shape: document first, 5 pages, end last; pages 2-5 continue the table.
$py - "$E2E_TMP/aichi.jsonl" > "$E2E_TMP/shape" <<'PY'
import json, sys
objs = [json.loads(l) for l in open(sys.argv[1], encoding="utf-8")]
types = [o["type"] for o in objs]
assert types == ["document"] + ["page"] * 5 + ["end"], types
doc = objs[0]
assert doc["format"] == "keikaku-pages" and doc["version"] == 1 and doc["pages"] == 5
assert len(doc["sha256"]) == 64 and doc["metadata"]["creator"].startswith("DocuWorks")
pages = objs[1:6]
for p in pages:
    assert p["width"] == 595.0 and p["height"] == 842.0, p["width"]
    assert len(p["tables"]) == 1 and p["tables"][0]["ruled"] is True
    assert all("bbox" in l and "size" in l for l in p["lines"])
    assert all(l.get("table") == 0 for l in p["lines"] if l["text"].isdigit() and l["bbox"][0] < 90)
t1 = pages[0]["tables"][0]
assert t1["header_rows"] == 1 and not t1["continued_from_previous"]
assert [c["text"] for c in t1["rows"][0]] == ["No", "発表日", "年代・性別", "国籍", "住居地", "接触状況", "備考"]
assert all(p["tables"][0]["continued_from_previous"] for p in pages[1:])
assert pages[0]["lines"][0]["text"] == "新型コロナウイルス感染症 県内発生事例", pages[0]["lines"][0]["text"]
assert objs[-1]["pages"] == 5
print("ok")
PY
[ "$(cat "$E2E_TMP/shape")" = ok ] && ok "aichi stream shape, header, continuation" || bad "aichi stream shape: $(head -c 600 "$E2E_TMP/shape")"

# The same table on pages shown turned (/Rotate 90 and 270, text running
# down or up the displayed page) is read the way its text runs.
for turn in 90 270; do
  qpdf --rotate=+$turn "$real/aichi-source.pdf" "$E2E_TMP/turned$turn.pdf"
  expect_status 0 "extract aichi turned $turn" "$KEIKAKU" extract "$E2E_TMP/turned$turn.pdf"
  if $py "$check" "$real/aichi-source.tables.json" "$E2E_TMP/out" > "$E2E_TMP/score"; then
    ok "turned $turn: $(tail -n1 "$E2E_TMP/score")"
  else
    bad "turned $turn: $(tail -n1 "$E2E_TMP/score")"
  fi
  grep -q "\"rotation\":$turn,\"lines\":\[{\"text\":\"新型コロナウイルス感染症 県内発生事例\"" "$E2E_TMP/out" && ok "  turned $turn: rotation and title line" || bad "  turned $turn: $(head -c 300 <(sed -n 2p "$E2E_TMP/out"))"
done

# Vertical writing: columns read right to left, glyphs top to bottom.
expect_status 0 "extract pdfjs-vertical.pdf" "$KEIKAKU" extract "$real/pdfjs-vertical.pdf"
$py -c 'import json,sys; p=[json.loads(l) for l in open(sys.argv[1])][1]; print("|".join(l["text"] for l in p["lines"]))' "$E2E_TMP/out" > "$E2E_TMP/v"
[ "$(cat "$E2E_TMP/v")" = "あいうえお|日本語" ] && ok "vertical reading order" || bad "vertical reading order: $(cat "$E2E_TMP/v")"

# Japanese running text: no spaces between glyphs, lines in order.
expect_status 0 "extract pdfjs-issue16063.pdf" "$KEIKAKU" extract "$real/pdfjs-issue16063.pdf"
$py -c 'import json,sys; p=[json.loads(l) for l in open(sys.argv[1])][1]; print("\n".join(l["text"] for l in p["lines"]))' "$E2E_TMP/out" > "$E2E_TMP/t"
grep -q '^電線接続端子部が次のいずれにも該当しないとき。$' "$E2E_TMP/t" && ok "16063: first line whole" || bad "16063 text: $(head -3 "$E2E_TMP/t")"
grep -q '０．７５平方ミリメートル' "$E2E_TMP/t" && ok "16063: full-width digits kept" || bad "16063 digits: $(cat "$E2E_TMP/t")"
$py -c 'import re,sys; t=open(sys.argv[1],encoding="utf-8").read(); m=re.findall(r"[\u3040-\u30ff\u4e00-\u9fff] [\u3040-\u30ff\u4e00-\u9fff]", t); print(len(m), m[:3])' "$E2E_TMP/t" > "$E2E_TMP/sp"
grep -q '^0 ' "$E2E_TMP/sp" && ok "16063: no spaces between Japanese glyphs" || bad "16063 spaces: $(cat "$E2E_TMP/sp")"
expect_status 0 "extract pdfjs-issue15340.pdf" "$KEIKAKU" extract "$real/pdfjs-issue15340.pdf"
grep -q '漏電遮断機構' "$E2E_TMP/out" && ok "15340 text" || bad "15340 text missing"

# --pages: only the asked pages; the end line counts them.
expect_status 0 "extract --pages 2-3" "$KEIKAKU" extract --pages 2-3 "$real/aichi-source.pdf"
$py -c 'import json,sys; o=[json.loads(l) for l in open(sys.argv[1])]; print([x.get("page") for x in o if x["type"]=="page"], o[0]["pages"], o[0]["page_range"], o[-1])' "$E2E_TMP/out" > "$E2E_TMP/r"
[ "$(cat "$E2E_TMP/r")" = "[2, 3] 5 [2, 3] {'type': 'end', 'pages': 2}" ] && ok "--pages 2-3" || bad "--pages: $(cat "$E2E_TMP/r")"

# Same input, same bytes out.
"$KEIKAKU" extract "$real/aichi-source.pdf" > "$E2E_TMP/again.jsonl" 2>/dev/null
cmp -s "$E2E_TMP/again.jsonl" "$E2E_TMP/aichi.jsonl" && ok "deterministic output" || bad "two runs differ"
finish
