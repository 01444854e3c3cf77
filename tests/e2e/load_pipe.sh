# SPEC: `extract | normalize | parse | load` gives the same database as
# `ingest` — every public table compared row for row (ingested_at aside).
. "$(dirname "$0")/_lib.sh"
f="$KK_ROOT/corpus/001-ogori-action-plan.pdf"
[ -f "$f" ] || { bad "missing $f"; finish; }
( cd "$KK_ROOT" && "$KEIKAKU" extract corpus/001-ogori-action-plan.pdf | "$KEIKAKU" normalize | "$KEIKAKU" parse 2>/dev/null \
  | "$KEIKAKU" load -q --db "$E2E_TMP/pipe.db" ) && ok "pipeline into load" || bad "pipeline into load"
( cd "$KK_ROOT" && "$KEIKAKU" ingest -q --db "$E2E_TMP/ingest.db" corpus/001-ogori-action-plan.pdf >/dev/null 2>&1 ) \
  && ok "ingest" || bad "ingest"
[ "$(sqlite3 "$E2E_TMP/pipe.db" 'SELECT count(*) FROM items')" -gt 0 ] && ok "items were parsed" || bad "no items parsed"
for t in documents items item_fields schedules achievements measures series budgets meetings pages; do
  a=$("$KEIKAKU" export --db "$E2E_TMP/pipe.db" "$t" | sed 's/[0-9-]*T[0-9:]*Z//')
  b=$("$KEIKAKU" export --db "$E2E_TMP/ingest.db" "$t" | sed 's/[0-9-]*T[0-9:]*Z//')
  [ "$a" = "$b" ] && ok "$t identical" || bad "$t differs"
done
finish
