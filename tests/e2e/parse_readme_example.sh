# The worked example of patterns/README.md ("Adding a new layout") must
# stay true: its pattern file loads and parses a card of that layout.
# (The pages here carry no spans: parse asks normalize's annotator.)
. "$(dirname "$0")/_lib.sh"
mkdir -p "$E2E_TMP/pat"
# the pattern file is the code block that follows "Start a file"
awk '/Start a file/ { on = 1; next } on && /```/ { if (in_block) exit; in_block = 1; next } in_block { sub(/^   /, ""); print }' \
  "$KK_ROOT/patterns/README.md" > "$E2E_TMP/pat/kaku-cards.kpat"
grep -q '^family kaku-cards' "$E2E_TMP/pat/kaku-cards.kpat" && ok "example pattern file found in the README" || bad "no example in README"
cell() { printf '{"text":"%s","row":%d,"col":%d,"colspan":%d}' "$1" "$2" "$3" "${4:-1}"; }
{
  echo '{"type":"document","format":"keikaku-pages","version":1,"file":"kaku.pdf","pages":1,"normalized":true}'
  printf '{"type":"page","page":1,"lines":[{"text":"架空市","size":30},{"text":"計画期間は令和5年度から令和7年度まで","size":10}],"tables":[{"rows":[['
  printf '%s,%s,%s,%s],[' "$(cell 事業番号 0 0)" "$(cell 3-2 0 1)" "$(cell 所管課 0 2)" "$(cell 企画課 0 3)"
  printf '%s,%s],[' "$(cell 事業名 1 0)" "$(cell 公共施設の再配置 1 1 3)"
  printf '%s,%s],[' "$(cell 目標 2 0)" "$(cell 延床面積を10%%削減 2 1 3)"
  printf '%s,%s],[' "$(cell R5計画 3 0)" "$(cell 方針策定 3 1 3)"
  printf '%s,%s]]}]}\n' "$(cell 備考 4 0)" "$(cell なし 4 1 3)"
  echo '{"type":"end","pages":1}'
} > "$E2E_TMP/kaku.jsonl"
expect_status 0 "parse with the README's pattern file" "$KEIKAKU" parse --patterns "$E2E_TMP/pat" "$E2E_TMP/kaku.jsonl"
grep -q '"type":"item".*"item_no":"3-2","title":"公共施設の再配置","department":"企画課"' "$E2E_TMP/out" && ok "the card is an item" || bad "card item: $(head -c 600 "$E2E_TMP/out")"
grep -q '"type":"schedule","item":"i1","fiscal_year":2023,"kind":"plan"' "$E2E_TMP/out" && ok "schedule row, its item second" || bad "schedule row"
grep -q '"municipality":"架空市".*"fiscal_start":2023,"fiscal_end":2025' "$E2E_TMP/out" && ok "document from the document" || bad "document record: $(head -1 "$E2E_TMP/out")"
expect_status 0 "--explain with it" "$KEIKAKU" parse --patterns "$E2E_TMP/pat" --explain "$E2E_TMP/kaku.jsonl"
grep -q 'p1: 備考' "$E2E_TMP/out" && ok "explain lists 備考 as unused, as the README says" || bad "explain unused"
grep -q 'kaku-cards.kpat:19 \[card\] label /^現状\$/' "$E2E_TMP/out" && ok "explain lists the rule that never matched, as the README says" || bad "never matched: $(grep -A3 'never matched' "$E2E_TMP/out")"
grep -q '^  table     p1   #0 5x4 ruled -> \[card\]' "$E2E_TMP/out" && ok "explain prints the table and the section that took it" || bad "table grid line"
finish
