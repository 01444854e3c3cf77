# keikaku compare on hand-written records: the questions, --csv and --json.
. "$(dirname "$0")/_lib.sh"
. "$(dirname "$0")/_load_lib.sh"
DB="$E2E_TMP/k.db"
"$KEIKAKU" load -q --db "$DB" "$FIX/ogori.jsonl" "$FIX/arao.jsonl" "$FIX/iizuka.jsonl" || bad "load fixtures"

expect_status 0 "overview" "$KEIKAKU" compare --db "$DB"
for m in 小郡市 荒尾市 飯塚市; do grep -q "$m" "$E2E_TMP/out" && ok "overview lists $m" || bad "overview lists $m"; done
expect_status 0 "targets for ふるさと納税 as CSV" "$KEIKAKU" compare --db "$DB" targets --topic ふるさと納税 --role target --csv
grep -q '^小郡市,6-1,ふるさと納税の推進,寄附受入額,target,1000000000,円,2024,10億円,2,' "$E2E_TMP/out" && ok "小郡市 10億円 in yen" || bad "小郡市 target: $(cat "$E2E_TMP/out")"
grep -q '^荒尾市,2-1,ふるさと納税の拡充,ふるさと納税寄附額,target,1500000000,円,2029,15億円,1,' "$E2E_TMP/out" && ok "荒尾市 15億円 in yen" || bad "荒尾市 target"
[ "$(wc -l < "$E2E_TMP/out")" = 3 ] && ok "header + 2 rows" || bad "rows: $(cat "$E2E_TMP/out")"
expect_status 0 "targets and baselines on a terminal-style table" "$KEIKAKU" compare --db "$DB" targets --topic ふるさと納税
grep -q '685,903,000' "$E2E_TMP/out" && ok "baseline grouped by thousands" || bad "baseline grouped"
expect_status 0 "achievements as JSON" "$KEIKAKU" compare --db "$DB" achievements --json
grep -q '"item_no":"6-1","item":"ふるさと納税の推進","FY2022":85.0,"FY2023":90' "$E2E_TMP/out" && ok "rates per year" || bad "rates: $(cat "$E2E_TMP/out")"
expect_status 0 "series side by side" "$KEIKAKU" compare --db "$DB" series --row 市税 --csv
tr -d '\r' < "$E2E_TMP/out" | grep -q '^飯塚市,歳入歳出の見込み,市税,円,10100000000,$' && grep -q '^荒尾市,歳入歳出の見込み,市税,円,5432000000,5480000000' "$E2E_TMP/out" \
  && ok "市税 of 飯塚市 and 荒尾市 per fiscal year" || bad "series: $(cat "$E2E_TMP/out")"
expect_status 0 "items on DX" "$KEIKAKU" compare --db "$DB" items --topic DX --csv
grep -q '窓口のオンライン化' "$E2E_TMP/out" && ok "DX finds 窓口のオンライン化" || bad "DX items"
expect_status 0 "budgets" "$KEIKAKU" compare --db "$DB" budgets --csv
grep -q ',2022,882151000,,,,,882151000,' "$E2E_TMP/out" && ok "budget in yen" || bad "budget: $(cat "$E2E_TMP/out")"
expect_status 2 "unknown question" "$KEIKAKU" compare --db "$DB" nonsense
expect_status 2 "bad role" "$KEIKAKU" compare --db "$DB" targets --role goal
expect_status 8 "missing database" "$KEIKAKU" compare --db "$E2E_TMP/none.db"
finish
