#!/usr/bin/env bash
# Precision, recall and F1 of `keikaku parse` against the corpus gold files,
# per corpus PDF, per family and overall.  Usage: tests/accuracy.sh BIN
#   BIN: the keikaku binary (bin/keikaku).  Set KK_ACCURACY_DETAIL=1 to list
#   the facts missing from / extra in the parsed records.
# Prints one line per PDF, then per family and overall; exits 1 if a PDF is
# below the F1 threshold KK_F1_MIN (default 0.98) or, for a layout with an
# f1 line in corpus/gold/floors.tsv, below that floor (its target printed
# beside the figure), 0 otherwise.  Then the real-PDF suite
# (tests/real_accuracy.py).
set -u
bin=${1:?usage: tests/accuracy.sh BIN}
case $bin in /*) ;; *) bin="$PWD/$bin" ;; esac
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
min=${KK_F1_MIN:-0.98}
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
fail=0
: > "$tmp/scores"
printf '%-42s %-20s %9s %7s %7s\n' "corpus PDF" family precision recall F1
for gold in corpus/gold/*.records.jsonl; do
  [ -f "$gold" ] || continue
  name=$(basename "$gold" .records.jsonl)
  pdf=corpus/$name.pdf
  [ -f "$pdf" ] || { echo "$name: no PDF" >&2; fail=1; continue; }
  if ! "$bin" extract "$pdf" > "$tmp/pages" 2> "$tmp/err" ||
     ! "$bin" normalize < "$tmp/pages" > "$tmp/norm" 2>> "$tmp/err"; then
    echo "$name: extract/normalize failed: $(head -c 300 "$tmp/err")" >&2; fail=1; continue
  fi
  if ! "$bin" parse --gold "$gold" < "$tmp/norm" > "$tmp/cmp" 2>> "$tmp/err"; then
    echo "$name: parse failed: $(head -c 300 "$tmp/err")" >&2; fail=1; continue
  fi
  [ "${KK_ACCURACY_DETAIL:-0}" = 1 ] && grep -E '^  (missing|extra):' "$tmp/cmp"
  line=$(tail -1 "$tmp/cmp")
  fam=$(echo "$line" | awk '{print $1}')
  tp=$(echo "$line" | sed -n 's/.*tp=\([0-9]*\).*/\1/p')
  fp=$(echo "$line" | sed -n 's/.*fp=\([0-9]*\).*/\1/p')
  fn=$(echo "$line" | sed -n 's/.*fn=\([0-9]*\).*/\1/p')
  echo "$name $fam $tp $fp $fn" >> "$tmp/scores"
  read -r floor target < <(awk -F'\t' -v n="$name" '!/^#/ && $1 == n && $2 == "f1" { print $3, $4; exit }' \
    corpus/gold/floors.tsv)
  dmin=${floor:-$min}
  awk -v n="$name" -v f="$fam" -v tp="$tp" -v fp="$fp" -v fn="$fn" -v min="$dmin" -v t="${target:-}" 'BEGIN {
    p = tp + fp ? tp / (tp + fp) : 1; r = tp + fn ? tp / (tp + fn) : 1; f1 = p + r ? 2 * p * r / (p + r) : 0;
    printf "%-42s %-20s %9.4f %7.4f %7.4f%s%s\n", n, f, p, r, f1, f1 + 1e-9 < min ? "  < " min : "",
      t != "" ? "  (floor " min ", target " t ")" : "" }'
  awk -v tp="$tp" -v fp="$fp" -v fn="$fn" -v min="$dmin" 'BEGIN {
    p = tp + fp ? tp / (tp + fp) : 1; r = tp + fn ? tp / (tp + fn) : 1; f1 = p + r ? 2 * p * r / (p + r) : 0;
    exit (f1 + 1e-9 < min) }' || fail=1
done
echo
awk '{ tp[$2] += $3; fp[$2] += $4; fn[$2] += $5; T += $3; F += $4; N += $5 }
  function show(name, a, b, c,   p, r, f1) {
    p = a + b ? a / (a + b) : 1; r = a + c ? a / (a + c) : 1; f1 = p + r ? 2 * p * r / (p + r) : 0
    printf "%-42s %-20s %9.4f %7.4f %7.4f\n", name, "", p, r, f1 }
  END { for (f in tp) show("family " f, tp[f], fp[f], fn[f]); show("overall", T, F, N) }' "$tmp/scores"
# The real-PDF suite (issues 10 and 11): extract, table facts and metadata
# against hand-made gold; informational here, floors are checked by make test.
echo
echo "real PDFs (corpus/real/gold), tests/real_accuracy.py:"
python3 tests/real_accuracy.py "$bin" || { echo "real_accuracy.py failed" >&2; fail=1; }
exit $fail
