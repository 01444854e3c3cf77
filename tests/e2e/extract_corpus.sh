# keikaku extract on the corpus: the tables of every corpus/NAME.pdf against
# corpus/gold/NAME.tables.json, joined over page breaks the way parse joins
# them (tests/e2e/_extract_tables.py).  Every cell of ruled gold tables must
# match; unruled gold tables need ${UNRULED_MIN} of their cells.
. "$(dirname "$0")/_lib.sh"
UNRULED_MIN=0.95
n=0
for pdf in "$KK_ROOT"/corpus/*.pdf; do
  name=$(basename "$pdf" .pdf)
  gold="$KK_ROOT/corpus/gold/$name.tables.json"
  [ -f "$gold" ] || continue
  n=$((n + 1))
  expect_status 0 "extract $name.pdf" "$KEIKAKU" extract "$pdf"
  cp "$E2E_TMP/out" "$E2E_TMP/$name.jsonl"
  if /usr/bin/python3 "$KK_ROOT/tests/e2e/_extract_tables.py" --unruled "$UNRULED_MIN" "$gold" "$E2E_TMP/$name.jsonl" > "$E2E_TMP/score"; then
    ok "$(tail -n1 "$E2E_TMP/score")"
  else
    bad "$(grep -E 'BELOW|total' "$E2E_TMP/score" | head -20)"
  fi
done
[ "$n" -gt 0 ] && ok "$n corpus PDFs with gold tables" || bad "no corpus PDF with gold tables found"
finish
