# Every corpus PDF against its gold records, field by field: extract |
# normalize | parse --gold.  Each PDF must reach F1 >= 0.98 (PENDING may
# name one with a lower floor and the reason, while a fix is on its way).
# The 001 variant (departments renamed, numbers changed, PDF regenerated)
# shows that the patterns follow structure, not content.
. "$(dirname "$0")/_lib.sh"
cd "$KK_ROOT"
declare -A PENDING=(
  # none today: every corpus PDF is held to 0.98
)
n=0
for gold in corpus/gold/*.records.jsonl; do
  [ -f "$gold" ] || continue
  name=$(basename "$gold" .records.jsonl)
  pdf=corpus/$name.pdf
  [ -f "$pdf" ] || { bad "$name: gold without PDF"; continue; }
  n=$((n+1))
  if ! "$KEIKAKU" extract "$pdf" 2>"$E2E_TMP/err" | "$KEIKAKU" normalize 2>>"$E2E_TMP/err" \
       | "$KEIKAKU" parse --gold "$gold" > "$E2E_TMP/cmp" 2>>"$E2E_TMP/err"; then
    bad "$name: pipeline failed: $(head -c 300 "$E2E_TMP/err")"; continue
  fi
  line=$(tail -1 "$E2E_TMP/cmp")
  f1=$(echo "$line" | sed -n 's/.*f1=\([0-9.]*\).*/\1/p')
  min=${PENDING[$name]:-0.98}
  if awk -v f="$f1" -v m="$min" 'BEGIN { exit !(f + 1e-9 >= m) }'; then
    ok "$name F1 $f1 (>= $min)"
  else
    bad "$name F1 $f1 < $min: $(grep -m3 -E '^  (missing|extra)' "$E2E_TMP/cmp" | tr '\n' ' ' | head -c 400)"
  fi
done
[ "$n" -gt 0 ] && ok "$n corpus PDFs compared" || bad "no corpus gold files found"
[ -f corpus/gold/001-ogori-action-plan-variant.records.jsonl ] && ok "variant PDF is compared" || bad "variant gold missing"
finish
