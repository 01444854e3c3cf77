# ingest --json: one JSON object per file (outcome, status, message) and a
# summary whose status is the exit status, for scheduled jobs.
. "$(dirname "$0")/_lib.sh"
C="$KK_ROOT/corpus"; T="$E2E_TMP"
echo "not a pdf" > "$T/junk.pdf"
expect_status 1 "ingest --json with a bad file" "$KEIKAKU" ingest --json --db "$T/j.db" \
  "$C/000-ogori-action-items.pdf" "$T/junk.pdf" "$C/000-ogori-action-items.pdf"
j() { python3 -c "import json,sys; L=[json.loads(l) for l in open('$T/out')]; print($1)"; }
[ "$(wc -l < "$T/out")" = 4 ] && ok "3 file lines and a summary" || bad "4 lines: $(cat "$T/out")"
[ "$(j "[(o['outcome'],o['status']) for o in L[:3]]")" = "[('loaded', 0), ('failed', 3), ('unchanged', 0)]" ] \
  && ok "loaded 0, failed 3, unchanged 0" || bad "outcomes: $(cat "$T/out")"
[ "$(j "'junk.pdf' in L[1]['file'] and 'not a PDF' in L[1]['message']")" = True ] && ok "failure names file and reason" || bad "failure message"
[ "$(j "L[0]['sha256'] == L[2]['sha256'] and len(L[0]['sha256']) == 64")" = True ] && ok "sha256 given" || bad "sha256"
[ "$(j "(L[3]['type'], L[3]['loaded'], L[3]['unchanged'], L[3]['failed'], L[3]['status'])")" = "('summary', 1, 1, 1, 1)" ] \
  && ok "summary counts and status 1" || bad "summary: $(tail -n1 "$T/out")"
expect_status 0 "ingest --json all unchanged" "$KEIKAKU" ingest --json --db "$T/j.db" "$C/000-ogori-action-items.pdf"
[ "$(j "(L[-1]['unchanged'], L[-1]['status'])")" = "(1, 0)" ] && ok "summary status 0" || bad "summary status 0: $(cat "$T/out")"
echo "text" > "$T/notdb.db"
expect_status 8 "ingest --json into a broken database" "$KEIKAKU" ingest --json --db "$T/notdb.db" "$C/000-ogori-action-items.pdf"
[ "$(j "(L[-1]['type'], L[-1]['status'], 'notdb.db' in L[-1]['message'])")" = "('summary', 8, True)" ] \
  && ok "summary says status 8 and why" || bad "summary 8: $(cat "$T/out")"
finish
