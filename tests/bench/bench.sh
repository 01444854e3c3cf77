#!/usr/bin/env bash
# make bench: whole-process speed and peak memory of keikaku's stages next to
# pdftotext -layout (Poppler alone: the floor) and, where Debian's packages
# are installed, pdfminer.six and PyMuPDF, on the same corpus in one run.
#
# Usage: tests/bench/bench.sh [BIN] [PDF...]     (default: bin/keikaku corpus/*.pdf)
# Env:   BENCH_REPEAT (default 3): passes over the file set; the best pass counts.
#        BENCH_NORMALIZE_MB (default 16): size of the text normalize is timed on.
set -u
cd "$(dirname "$0")/../.."
BIN=${1:-bin/keikaku}; shift || true
files=("$@"); [ ${#files[@]} -gt 0 ] || files=(corpus/*.pdf)
REPEAT=${BENCH_REPEAT:-3}
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
TIME=/usr/bin/time
[ -x "$TIME" ] || { echo "bench: GNU time (/usr/bin/time) is needed: make deps"; exit 2; }

pages=0
for f in "${files[@]}"; do
  n=$(pdfinfo "$f" 2>/dev/null | awk '/^Pages:/{print $2}'); pages=$((pages + ${n:-0}))
done
echo "corpus: ${#files[@]} PDFs, $pages pages; best of $REPEAT passes; $(nproc) cores"
echo

# run_tool NAME CMD-TEMPLATE: CMD-TEMPLATE is run per file with {} replaced by
# the file; prints seconds of the best pass and the peak RSS (KB) of any run.
declare -A secs rss status
run_tool() {
  local name=$1 tmpl=$2 best="" peak=0 fail=0
  for ((p = 0; p < REPEAT; p++)); do
    local t0 t1
    t0=$(date +%s.%N)
    for f in "${files[@]}"; do
      local cmd=${tmpl//\{\}/\"$f\"}
      if ! $TIME -f '%M' -o "$tmp/rss" bash -c "$cmd" >/dev/null 2>"$tmp/err"; then fail=1; fi
      local r; r=$(tail -n1 "$tmp/rss"); [[ "$r" =~ ^[0-9]+$ ]] && [ "$r" -gt "$peak" ] && peak=$r
    done
    t1=$(date +%s.%N)
    local s; s=$(echo "$t1 - $t0" | bc -l)
    if [ -z "$best" ] || (( $(echo "$s < $best" | bc -l) )); then best=$s; fi
  done
  secs[$name]=$best; rss[$name]=$peak; status[$name]=$fail
}

tools=()
add() { tools+=("$1"); run_tool "$1" "$2"; }
add "pdftotext -layout" "pdftotext -layout {} -"
add "keikaku extract" "$BIN extract {}"
add "keikaku extract|normalize" "$BIN extract {} | $BIN normalize"
add "keikaku ingest (whole pipeline)" "rm -f $tmp/b.db*; $BIN ingest --db $tmp/b.db {}"
if /usr/bin/python3 -c 'import pdfminer' 2>/dev/null; then
  add "pdfminer.six (python3-pdfminer)" "/usr/bin/python3 -c 'import sys; from pdfminer.high_level import extract_text; sys.stdout.write(extract_text(sys.argv[1]))' {}"
fi
if /usr/bin/python3 -c 'import fitz' 2>/dev/null; then
  add "PyMuPDF (python3-fitz)" "/usr/bin/python3 -c 'import sys, fitz; [sys.stdout.write(p.get_text()) for p in fitz.open(sys.argv[1])]' {}"
fi

base=${secs["pdftotext -layout"]}
printf '%-34s %10s %10s %12s %14s\n' "tool" "seconds" "pages/s" "x pdftotext" "peak RSS MB"
for t in "${tools[@]}"; do
  s=${secs[$t]}
  note=""; [ "${status[$t]}" = 0 ] || note="  (some runs failed)"
  printf '%-34s %10.3f %10.1f %12.2f %14.1f%s\n' "$t" "$s" "$(echo "$pages / $s" | bc -l)" \
    "$(echo "$s / $base" | bc -l)" "$(echo "${rss[$t]} / 1024" | bc -l)" "$note"
done

# normalize throughput on plain text (the corpus text, repeated)
echo
MB=${BENCH_NORMALIZE_MB:-16}
for f in "${files[@]}"; do pdftotext -layout "$f" - 2>/dev/null; done > "$tmp/one.txt"
if [ -s "$tmp/one.txt" ]; then
  : > "$tmp/big.txt"
  while [ "$(stat -c %s "$tmp/big.txt")" -lt $((MB * 1024 * 1024)) ]; do cat "$tmp/one.txt" >> "$tmp/big.txt"; done
  bytes=$(stat -c %s "$tmp/big.txt")
  t0=$(date +%s.%N)
  if $TIME -f '%M' -o "$tmp/rss" "$BIN" normalize --annotate "$tmp/big.txt" > /dev/null 2>"$tmp/err"; then
    t1=$(date +%s.%N)
    printf 'normalize --annotate: %.1f MB/s on %.1f MB of corpus text, peak RSS %.1f MB\n' \
      "$(echo "$bytes / 1048576 / ($t1 - $t0)" | bc -l)" "$(echo "$bytes / 1048576" | bc -l)" \
      "$(echo "$(tail -n1 "$tmp/rss") / 1024" | bc -l)"
  else
    echo "normalize --annotate: failed: $(head -c 300 "$tmp/err")"
  fi
fi
