# SPEC: `extract | normalize | parse | load` gives the same database as
# `ingest` — every public table compared row for row (ingested_at aside).
# ingest's worker takes another road to the same records (parse builds its
# page model from extract's layout, normalizing as it reads: see
# patterns/README.md, "How parse reads a page"), so the two are compared on
# documents of different layouts: ruled and unruled tables, cards, vertical
# text, a spreadsheet export, a real newsletter and a page with charts.
. "$(dirname "$0")/_lib.sh"
docs="corpus/001-ogori-action-plan.pdf corpus/005-munakata-year-list-unruled.pdf
corpus/007-kasuga-preface-tate-writer.pdf corpus/009-onojo-evaluation-sheets-calc.pdf
corpus/011-munakata-fiscal-outlook-latex.pdf corpus/real/otoineppu_kouhou_2020-03-p2.pdf
corpus/real/otoineppu_jinkou_vision-p20.pdf"
for d in $docs; do
  [ -f "$KK_ROOT/$d" ] || { bad "missing $d"; continue; }
  ( cd "$KK_ROOT" && "$KEIKAKU" extract "$d" | "$KEIKAKU" normalize | "$KEIKAKU" parse 2>/dev/null \
    | "$KEIKAKU" load -q --db "$E2E_TMP/pipe.db" ) || bad "$d: pipeline into load"
  ( cd "$KK_ROOT" && "$KEIKAKU" ingest -q --db "$E2E_TMP/ingest.db" "$d" >/dev/null 2>&1 ) || bad "$d: ingest"
done
[ "$(sqlite3 "$E2E_TMP/pipe.db" 'SELECT count(*) FROM items')" -gt 0 ] && ok "items were parsed" || bad "no items parsed"
[ "$(sqlite3 "$E2E_TMP/pipe.db" 'SELECT count(DISTINCT document_id) FROM table_facts')" -ge 4 ] \
  && ok "table facts from several documents" || bad "too few documents gave table facts"
for t in documents items item_fields schedules achievements measures series budgets meetings pages \
         tables table_cells table_facts; do
  a=$("$KEIKAKU" export --db "$E2E_TMP/pipe.db" "$t" | sed 's/[0-9-]*T[0-9:]*Z//')
  b=$("$KEIKAKU" export --db "$E2E_TMP/ingest.db" "$t" | sed 's/[0-9-]*T[0-9:]*Z//')
  [ "$a" = "$b" ] && ok "$t identical" || bad "$t differs"
done
finish
