# Table facts of corpus PDFs through ingest, by SQL against gold read by eye
# on the rendered pages (corpus/gold/facts.tsv) and against every fact of
# 005-otoineppu-budget and of both layouts of 011-munakata-fiscal-outlook
# (Calc: years as columns under a header, 歳入/歳出 section rows across the
# table; LuaLaTeX: years as rows), corpus/gold/*.facts.tsv from the
# generators' source data; a
# table over a page break is one table; compare facts across three
# municipalities; search finds table cells; export tables|cells|facts.
. "$(dirname "$0")/_lib.sh"
DB="$E2E_TMP/f.db"
C="$KK_ROOT/corpus"
expect_status 0 "ingest six corpus PDFs" "$KEIKAKU" ingest -q --db "$DB" \
  "$C/002-ogori-results.pdf" "$C/003-arao-reform-outline.pdf" "$C/005-otoineppu-budget.pdf" "$C/006-fuji-budget-excerpt.pdf" \
  "$C/011-munakata-fiscal-outlook-calc.pdf" "$C/011-munakata-fiscal-outlook-latex.pdf"
if /usr/bin/python3 "$KK_ROOT/tests/e2e/_facts_gold.py" "$DB" "$C/gold/facts.tsv" \
     "$C/gold/005-otoineppu-budget.facts.tsv" 005-otoineppu-budget \
     "$C/gold/011-munakata-fiscal-outlook-calc.facts.tsv" 011-munakata-fiscal-outlook-calc \
     "$C/gold/011-munakata-fiscal-outlook-latex.facts.tsv" 011-munakata-fiscal-outlook-latex > "$E2E_TMP/score"; then
  ok "$(tr '\n' ';' < "$E2E_TMP/score")"
else
  bad "$(head -20 "$E2E_TMP/score")"
fi
q() { sqlite3 "$DB" "$1"; }
# 表2 歳出 runs from page 1 to page 2 with its header repeated: one table, one header row
t=$(q "SELECT t.page || '-' || t.page_end || ' rows=' || t.n_rows || ' header=' || t.header_rows FROM tables t
       JOIN documents d ON d.id = t.document_id WHERE d.file LIKE '%005-otoineppu-budget.pdf' AND t.title LIKE '%歳出%'")
[ "$t" = "1-2 rows=17 header=1" ] && ok "歳出 over the page break is one table ($t)" || bad "歳出 table: $t"
h=$(q "SELECT count(*) FROM table_cells c JOIN tables t ON t.id = c.table_id WHERE t.title LIKE '%歳出予算%' AND c.header = 1")
[ "$h" = 4 ] && ok "its repeated header is dropped (4 header cells)" || bad "header cells: $h"
u=$(q "SELECT count(*) FROM table_facts WHERE value IS NULL")
[ "$u" = 0 ] && ok "no fact without a value" || bad "$u facts without a value"
expect_status 0 "compare facts --row 地方交付税" "$KEIKAKU" compare --db "$DB" facts --row 地方交付税 --csv
n=$(cut -d, -f2 "$E2E_TMP/out" | sort -u | grep -c -E '荒尾市|音威子府村|富士市')
[ "$n" = 3 ] && ok "地方交付税 of 荒尾市, 音威子府村 and 富士市" || bad "compare facts: $(cat "$E2E_TMP/out")"
expect_status 0 "compare facts --year 2020" "$KEIKAKU" compare --db "$DB" facts --row 地方交付税 --year 2020 --csv
grep -q '^北海道,音威子府村,依存財源 / 地方交付税,令和2年度予算額,2020,1320000000,円,' "$E2E_TMP/out" \
  && [ "$(wc -l < "$E2E_TMP/out")" = 2 ] && ok "one fact of FY2020, in yen" || bad "--year: $(cat "$E2E_TMP/out")"
expect_status 0 "compare facts --column" "$KEIKAKU" compare --db "$DB" facts --row 地方交付税 --column 前年度 --csv
[ "$(wc -l < "$E2E_TMP/out")" = 3 ] && ok "--column keeps the 前年度 columns" || bad "--column: $(cat "$E2E_TMP/out")"
expect_status 2 "compare facts --year 99" "$KEIKAKU" compare --db "$DB" facts --year 99
expect_status 0 "search finds a table cell" "$KEIKAKU" search --db "$DB" --csv 農業集落排水事業
grep -q ',table,' "$E2E_TMP/out" && ok "a hit of kind table" || bad "search: $(cat "$E2E_TMP/out")"
for t in tables cells facts v_table_facts; do
  expect_status 0 "export $t" "$KEIKAKU" export --db "$DB" "$t"
done
head -1 "$E2E_TMP/out" | grep -q '^prefecture,municipality,lg_code,document_id,file,document_title,table_id,table_title,fact_id,row_label,column_label,value,unit,fiscal_year,raw,page' \
  && ok "v_table_facts columns" || bad "v_table_facts header: $(head -1 "$E2E_TMP/out")"
expect_status 0 "export facts as JSON Lines" "$KEIKAKU" export --db "$DB" -f jsonl facts
grep -q '"row_label":"11 地方交付税","column_label":"本年度予算額","value":100000000,"unit":"円"' "$E2E_TMP/out" \
  && ok "facts in JSON Lines" || bad "facts jsonl"
expect_status 0 "compare --help names facts" "$KEIKAKU" compare --help
grep -q 'facts' "$E2E_TMP/out" && ok "--help: facts" || bad "--help"
finish
