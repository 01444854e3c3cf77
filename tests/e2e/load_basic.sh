# keikaku load / export / search on hand-written records (tests/fixtures/records).
. "$(dirname "$0")/_lib.sh"
. "$(dirname "$0")/_load_lib.sh"
DB="$E2E_TMP/k.db"

expect_status 0 "load ogori from a file" "$KEIKAKU" load --db "$DB" "$FIX/ogori.jsonl"
grep -q ': loaded (' "$E2E_TMP/out" && ok "says loaded" || bad "says loaded: $(cat "$E2E_TMP/out")"
expect_status 0 "load arao from stdin" sh -c "\"$KEIKAKU\" load --db \"$DB\" < \"$FIX/arao.jsonl\""
expect_status 0 "load again" "$KEIKAKU" load --db "$DB" "$FIX/ogori.jsonl"
grep -q ': unchanged (' "$E2E_TMP/out" && ok "re-load says unchanged" || bad "re-load says unchanged"
[ "$(sqlite3 "$DB" 'SELECT count(*) FROM documents')" = 2 ] && ok "two documents" || bad "two documents"
[ "$(sqlite3 "$DB" "INSERT INTO kk_search_fts(kk_search_fts, rank) VALUES ('integrity-check', 1); SELECT 'consistent'")" = consistent ] \
  && ok "FTS index matches the search units" || bad "FTS index matches the search units"
[ "$(sqlite3 "$DB" 'PRAGMA journal_mode; PRAGMA user_version' | tr '\n' ' ')" = "wal 7 " ] \
  && ok "WAL and schema version 7" || bad "WAL and schema version"

expect_status 3 "cut stream" "$KEIKAKU" load --db "$DB" "$FIX/cut.jsonl"
grep -q 'cut.jsonl: records stream cut' "$E2E_TMP/err" && ok "names the cut file" || bad "names the cut file"
expect_status 1 "batch with a bad file" "$KEIKAKU" load --db "$DB" "$FIX/bad-item-ref.jsonl" "$FIX/iizuka.jsonl"
grep -q 'bad-item-ref.jsonl: record 3' "$E2E_TMP/err" && ok "names the bad file and record" || bad "names the bad file"
[ "$(sqlite3 "$DB" "SELECT count(*) FROM documents WHERE municipality='飯塚市'")" = 1 ] && ok "good file of the batch loaded" || bad "good file loaded"
[ "$(sqlite3 "$DB" "SELECT count(*) FROM documents WHERE file IN ('bad.pdf','cut.pdf')")" = 0 ] && ok "bad files left nothing" || bad "bad files left nothing"
expect_status 2 "unknown option" "$KEIKAKU" load --frob
echo "not a database at all, just text" > "$E2E_TMP/text.db"
expect_status 8 "load into a file that is not a database" "$KEIKAKU" load --db "$E2E_TMP/text.db" "$FIX/ogori.jsonl"
grep -q 'text.db: .*not a database' "$E2E_TMP/err" && ok "says not a database" || bad "says not a database"
sqlite3 "$E2E_TMP/newer.db" 'PRAGMA user_version = 8; CREATE TABLE t(x);'
expect_status 8 "a database of a newer schema is refused" "$KEIKAKU" load --db "$E2E_TMP/newer.db" "$FIX/ogori.jsonl"

# export
expect_status 0 "export v_measures as CSV" "$KEIKAKU" export --db "$DB" v_measures
grep -q '^熊本県,荒尾市,432041,.*,ふるさと納税寄附額,target,1500000000,円,2029,15億円,1' "$E2E_TMP/out" \
  && ok "荒尾市 target 15億円 = 1500000000 yen with lg_code" || bad "荒尾市 target row: $(cat "$E2E_TMP/out")"
grep -q '"685,903千円"' "$E2E_TMP/out" && ok "CSV quotes commas" || bad "CSV quotes commas"
expect_status 0 "export items as JSON Lines" "$KEIKAKU" export --db "$DB" --format jsonl items
[ "$(wc -l < "$E2E_TMP/out")" = "$(sqlite3 "$DB" 'SELECT count(*) FROM items')" ] && ok "one line per item" || bad "one line per item"
grep -q '"item_no":"6-1"' "$E2E_TMP/out" && ok "typed JSON" || bad "typed JSON"
expect_status 2 "export of a non-public name" "$KEIKAKU" export --db "$DB" "sqlite_master"
expect_status 2 "export without a table" "$KEIKAKU" export --db "$DB"
expect_status 8 "export from a missing database" "$KEIKAKU" export --db "$E2E_TMP/none.db" items

# search: 1, 2 and 3+ characters of Japanese
expect_status 0 "search 1 character" "$KEIKAKU" search --db "$DB" --csv 税
[ "$(grep -c '\[税\]' "$E2E_TMP/out")" = 6 ] && ok "1-character query: 6 hits marked" || bad "1-char hits: $(cat "$E2E_TMP/out")"
expect_status 0 "search 2 characters" "$KEIKAKU" search --db "$DB" --csv 納税
[ "$(grep -c '\[納税\]' "$E2E_TMP/out")" = 5 ] && ok "2-character query: 5 hits" || bad "2-char hits"
expect_status 0 "search 3 characters" "$KEIKAKU" search --db "$DB" --json 審議会
grep -q '"municipality":"飯塚市","file":"corpus/004-iizuka-minutes.pdf","page":1,"kind":"page"' "$E2E_TMP/out" \
  && ok "3-character query finds the page with its number" || bad "3-char: $(cat "$E2E_TMP/out")"
expect_status 0 "search in one municipality" "$KEIKAKU" search --db "$DB" --csv -m 432041 税
[ "$(grep -c '^荒尾市,.*\[税\]' "$E2E_TMP/out")" = 3 ] && [ "$(grep -c '\[税\]' "$E2E_TMP/out")" = 3 ] && ok "-m 432041: 荒尾市's 3 hits only" || bad "-m: $(cat "$E2E_TMP/out")"
expect_status 0 "search with no hits" "$KEIKAKU" search --db "$DB" 存在しない語句
expect_status 2 "search without a query" "$KEIKAKU" search --db "$DB"
finish
