# The corpus's gold records (corpus/gold/*.records.jsonl, what parse should
# produce) through load: the public views answer the researchers' questions
# with the corpus's values, in yen, with lg_codes.
. "$(dirname "$0")/_lib.sh"
DB="$E2E_TMP/g.db"
shopt -s nullglob
src=("$KK_ROOT"/corpus/gold/*.records.jsonl)
[ ${#src[@]} -ge 3 ] || { bad "corpus gold records missing"; finish; }
# gold files hold the records parse should find, not page records; load
# refuses a document whose pages have no page records, so each gets empty
# ones after its document object
gold=()
for f in "${src[@]}"; do
  out="$E2E_TMP/$(basename "$f")"
  python3 -c 'import json,sys
lines = open(sys.argv[1], encoding="utf-8").read().splitlines(True)
doc = json.loads(lines[0])
pages = "".join(json.dumps({"type": "page", "page": p, "text": ""}) + "\n" for p in range(1, doc["pages"] + 1))
open(sys.argv[2], "w", encoding="utf-8").write(lines[0] + pages + "".join(lines[1:]))' "$f" "$out"
  gold+=("$out")
done
expect_status 0 "load every gold records file" "$KEIKAKU" load --db "$DB" "${gold[@]}"
q() { sqlite3 -separator , "$DB" "$1"; }
[ "$(q "SELECT count(*) FROM documents WHERE lg_code IS NULL")" = 0 ] && ok "every document has an lg_code" || bad "documents without lg_code"
# (the variants of the corpus are other cities: each pair is checked alone)
codes=$(q "SELECT DISTINCT municipality || ':' || lg_code FROM documents")
for mc in 飯塚市:402052 小郡市:402168 荒尾市:432041; do
  echo "$codes" | grep -qx "$mc" && ok "lg_code $mc" || bad "codes: $(echo $codes)"
done
# targets for ふるさと納税 across municipalities, from the view
furusato=$(q "SELECT municipality, label, value, unit, fiscal_year FROM v_measures WHERE role = 'target' AND (item_title LIKE '%ふるさと納税%' OR label LIKE '%ふるさと納税%')")
echo "$furusato" | grep -qx '小郡市,寄附金額,1000000000,円,2024' && echo "$furusato" | grep -qx '小郡市,企業版ふるさと納税額,5000000,円,2024' && ok "v_measures: ふるさと納税 targets 10億円 and 500万円 in yen" || bad "ふるさと納税 targets: $(q "SELECT * FROM v_measures WHERE item_title LIKE '%ふるさと%'")"
expect_status 0 "compare targets --topic ふるさと納税" "$KEIKAKU" compare --db "$DB" targets --topic ふるさと納税 --role target --csv
grep -q '^小郡市,5,ふるさと納税の推進,寄附金額,target,1000000000,円,2024,10億円,' "$E2E_TMP/out" && ok "compare shows it too" || bad "compare: $(cat "$E2E_TMP/out")"
# the fiscal outlook of 荒尾市, and a budget of 小郡市, in yen
[ "$(q "SELECT value FROM v_series WHERE municipality = '荒尾市' AND row_label = '地方税' AND fiscal_year = 2025")" = 5471000000 ] \
  && ok "荒尾市 地方税 FY2025 = 5,471,000,000 yen" || bad "荒尾市 地方税"
[ "$(q "SELECT total, other, general_fund FROM v_budgets WHERE item_title = '職員研修' AND fiscal_year = 2020")" = "1523000,300000,1223000" ] \
  && ok "小郡市 職員研修 budget 1,523,000 yen (other 300,000, general fund 1,223,000)" || bad "budget"
[ "$(q "SELECT count(*) FROM v_meetings WHERE municipality = '飯塚市'")" -ge 1 ] && ok "飯塚市 meetings" || bad "meetings"
[ "$(q "SELECT count(*) FROM v_achievements WHERE municipality = '小郡市' AND rate BETWEEN 0 AND 100")" -ge 10 ] && ok "小郡市 achievement rates" || bad "achievements"
expect_status 0 "re-load is unchanged" "$KEIKAKU" load --db "$DB" "${gold[@]}"
grep -q "^0 loaded, ${#gold[@]} unchanged" "$E2E_TMP/out" && ok "all unchanged" || bad "re-load: $(tail -1 "$E2E_TMP/out")"
finish
