# load under kill -9 and with two writers at once: whole documents only.
. "$(dirname "$0")/_lib.sh"
. "$(dirname "$0")/_load_lib.sh"
DB="$E2E_TMP/k.db"

# kill -9 in the middle of a batch
gen_records 1 400 40 > "$E2E_TMP/batch.jsonl"
"$KEIKAKU" load -q --db "$DB" "$E2E_TMP/batch.jsonl" 2>/dev/null &
pid=$!
for i in $(seq 1 200); do   # wait until some documents are in (bounded)
  n=$(sqlite3 "$DB" 'SELECT count(*) FROM documents' 2>/dev/null || echo 0)
  [ "${n:-0}" -ge 5 ] && break
  sleep 0.05
done
kill -9 $pid 2>/dev/null; wait $pid 2>/dev/null
[ "$(sqlite3 "$DB" 'PRAGMA integrity_check')" = ok ] && ok "integrity_check ok after kill -9" || bad "integrity_check"
[ "$(check_whole "$DB")" = 0 ] && ok "no half-loaded document" || bad "half-loaded documents: $(check_whole "$DB")"
before=$(sqlite3 "$DB" 'SELECT count(*) FROM documents')
echo "  (kill -9 left $before of 400 documents)"
expect_status 0 "re-run after the kill" "$KEIKAKU" load -q --db "$DB" "$E2E_TMP/batch.jsonl"
[ "$(sqlite3 "$DB" 'SELECT count(*) FROM documents')" = 400 ] && ok "re-run completes the batch" || bad "re-run completes"
[ "$(check_whole "$DB")" = 0 ] && ok "all whole" || bad "all whole"

# two writers at once, overlapping documents
DB2="$E2E_TMP/c.db"
gen_records 1 150 20 > "$E2E_TMP/a.jsonl"
gen_records 100 250 20 > "$E2E_TMP/b.jsonl"
"$KEIKAKU" load -q --db "$DB2" "$E2E_TMP/a.jsonl" 2>"$E2E_TMP/a.err" & pa=$!
"$KEIKAKU" load -q --db "$DB2" "$E2E_TMP/b.jsonl" 2>"$E2E_TMP/b.err" & pb=$!
wait $pa; sa=$?; wait $pb; sb=$?
[ $sa = 0 ] && [ $sb = 0 ] && ok "both concurrent loads succeed" || bad "concurrent loads: $sa $sb $(cat "$E2E_TMP/a.err" "$E2E_TMP/b.err")"
[ "$(sqlite3 "$DB2" 'SELECT count(*) FROM documents')" = 250 ] && ok "nothing lost, nothing doubled (250)" || bad "count $(sqlite3 "$DB2" 'SELECT count(*) FROM documents')"
[ "$(check_whole "$DB2")" = 0 ] && ok "all whole" || bad "all whole"
[ "$(sqlite3 "$DB2" 'PRAGMA integrity_check')" = ok ] && ok "integrity_check ok" || bad "integrity_check"
finish
