# keikaku extract on the corpus: the tables of every corpus/NAME.pdf against
# corpus/gold/NAME.tables.json, joined over page breaks the way parse joins
# them (tests/e2e/_extract_tables.py).  Every cell of ruled gold tables must
# match; unruled gold tables need ${UNRULED_MIN} of their cells, and 95% of
# gold rows must come out whole.  A document below those figures today has
# floor lines in corpus/gold/floors.tsv: it fails only when it gets worse.
# Vertical writing: the phrases of corpus/gold/NAME.phrases.txt must come
# out in reading order, the texts of NAME.lines.txt each as one whole line
# (95%, or the document's floor).
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
  if /usr/bin/python3 "$KK_ROOT/tests/e2e/_extract_tables.py" --unruled "$UNRULED_MIN" --rows 0.95 \
       --floors "$KK_ROOT/corpus/gold/floors.tsv" "$gold" "$E2E_TMP/$name.jsonl" > "$E2E_TMP/score"; then
    ok "$(tail -n1 "$E2E_TMP/score")"
  else
    bad "$(grep -E 'BELOW|total' "$E2E_TMP/score" | head -20)"
  fi
done
[ "$n" -gt 0 ] && ok "$n corpus PDFs with gold tables" || bad "no corpus PDF with gold tables found"
# phrases: reading order; lines: texts that must each come out as one line
for gold in "$KK_ROOT"/corpus/gold/*.phrases.txt "$KK_ROOT"/corpus/gold/*.lines.txt; do
  [ -f "$gold" ] || continue
  base=$(basename "$gold" .txt); name=${base%.*}; metric=${base##*.}
  [ -f "$E2E_TMP/$name.jsonl" ] || { bad "$name: $metric gold without an extracted PDF"; continue; }
  read -r floor target <<< "$(kk_floor "$name" "$metric")"
  mode=(); [ "$metric" = lines ] && mode=(--lines)
  if /usr/bin/python3 "$KK_ROOT/tests/e2e/_extract_phrases.py" --min "${floor:-0.95}" "${mode[@]}" "$gold" \
       "$E2E_TMP/$name.jsonl" > "$E2E_TMP/score"; then
    ok "$(head -n1 "$E2E_TMP/score") (floor ${floor:-none}, target ${target:-0.95})"
  else
    bad "$(head -n1 "$E2E_TMP/score") below ${floor:-0.95}: $(sed -n 2,4p "$E2E_TMP/score" | tr '\n' ' ')"
  fi
done
finish
