#!/usr/bin/env bash
# Scale bench: `keikaku ingest -j J` of N copies of the corpus (each copy
# rewritten by qpdf, which gives it a new /ID: distinct bytes, so distinct
# documents, same content), for every N and J, into a fresh database each
# time: wall seconds, documents/s, pages/s, milliseconds per document
# (linear growth = a flat ms/doc column), CPU seconds of the whole process
# tree (user + sys: the figure that does not depend on what else runs on
# the machine) and per document, peak RSS of the process tree.  Then the
# comparison queries and searches on the largest database: milliseconds of
# the whole `keikaku compare|search` process, best of SCALE_REPEAT runs.
#
# Usage: tests/bench/scale.sh [BIN] [PDF...]   (default: bin/keikaku corpus/*.pdf)
# Env:   SCALE_NS   (default "10 25 50 100"): corpus copies per run
#        SCALE_JOBS (default "1 2"): worker processes (-j)
#        SCALE_REPEAT (default 5): runs of each query, the best counts
#        SCALE_DIR: keep the copies and databases there (default: a temp dir)
set -u
cd "$(dirname "$0")/../.."
BIN=${1:-bin/keikaku}; shift || true
files=("$@"); [ ${#files[@]} -gt 0 ] || files=(corpus/*.pdf)
NS=${SCALE_NS:-10 25 50 100}
JOBS=${SCALE_JOBS:-1 2}
REPEAT=${SCALE_REPEAT:-5}
TIME=/usr/bin/time
[ -x "$TIME" ] || { echo "scale: GNU time (/usr/bin/time) is needed: make deps"; exit 2; }
command -v qpdf >/dev/null || { echo "scale: qpdf is needed: make deps"; exit 2; }
if [ -n "${SCALE_DIR:-}" ]; then work=$SCALE_DIR; mkdir -p "$work"
else work=$(mktemp -d); trap 'rm -rf "$work"' EXIT; fi

max=0; for n in $NS; do [ "$n" -gt "$max" ] && max=$n; done
pages_one=0
for f in "${files[@]}"; do
  p=$(pdfinfo "$f" 2>/dev/null | awk '/^Pages:/{print $2}'); pages_one=$((pages_one + ${p:-0}))
done
echo "scale: ${#files[@]} PDFs, $pages_one pages per copy of the corpus; up to $max copies; $(nproc) cores"

# the copies: $work/copies/NNN/*.pdf
for ((c = 1; c <= max; c++)); do
  d=$(printf '%s/copies/%03d' "$work" "$c")
  [ -d "$d" ] && [ "$(ls "$d" | wc -l)" -eq ${#files[@]} ] && continue
  mkdir -p "$d"
  for f in "${files[@]}"; do qpdf "$f" "$d/$(basename "$f")" || { echo "scale: qpdf failed on $f"; exit 1; }; done
done
distinct=$(cat "$work"/copies/*/*.pdf | wc -c)
echo "copies made: $((max * ${#files[@]})) files, $((distinct / 1048576)) MB"
echo

printf '%6s %6s %7s %4s %9s %8s %9s %8s %9s %10s %9s %8s\n' copies docs pages "-j" seconds "docs/s" "pages/s" "ms/doc" "CPU s" "CPU ms/doc" "peak MB" "db MB"
last_db=""
for n in $NS; do
  dirs=(); for ((c = 1; c <= n; c++)); do dirs+=("$(printf '%s/copies/%03d' "$work" "$c")"); done
  docs=$((n * ${#files[@]})); pages=$((n * pages_one))
  for j in $JOBS; do
    db="$work/scale-$n-j$j.db"; rm -f "$db" "$db-wal" "$db-shm"
    t0=$(date +%s.%N)
    $TIME -f '%M %U %S' -o "$work/rss" "$BIN" ingest -q -j "$j" --db "$db" "${dirs[@]}" >"$work/out" 2>"$work/err"
    st=$?
    t1=$(date +%s.%N)
    s=$(echo "$t1 - $t0" | bc -l)
    note=""; [ $st = 0 ] || note="  (exit $st: $(tail -n 2 "$work/out" | tr '\n' ' '))"
    read -r kb cu cs < <(tail -n1 "$work/rss"); cpu=$(echo "${cu:-0} + ${cs:-0}" | bc -l)
    printf '%6d %6d %7d %4d %9.2f %8.2f %9.1f %8.1f %9.1f %10.1f %9.1f %8.1f%s\n' "$n" "$docs" "$pages" "$j" "$s" \
      "$(echo "$docs / $s" | bc -l)" "$(echo "$pages / $s" | bc -l)" "$(echo "1000 * $s / $docs" | bc -l)" \
      "$cpu" "$(echo "1000 * $cpu / $docs" | bc -l)" \
      "$(echo "${kb:-0} / 1024" | bc -l)" "$(echo "$(stat -c %s "$db") / 1048576" | bc -l)" "$note"
    last_db=$db
  done
done
[ -n "$last_db" ] || exit 0

echo
echo "queries on $(basename "$last_db") ($(sqlite3 "$last_db" 'SELECT count(*) FROM documents') documents," \
  "$(sqlite3 "$last_db" 'SELECT count(*) FROM items') items, $(sqlite3 "$last_db" 'SELECT count(*) FROM kk_search_units') search units):" \
  "ms of the whole process, best of $REPEAT"
query() { # query DESC ARGS...
  local desc=$1 best="" rows; shift
  for ((r = 0; r < REPEAT; r++)); do
    local t0 t1 ms
    t0=$(date +%s%N)
    "$BIN" "$@" --db "$last_db" --csv >"$work/q.out" 2>"$work/q.err"
    t1=$(date +%s%N)
    ms=$(( (t1 - t0) / 1000000 ))
    if [ -z "$best" ] || [ "$ms" -lt "$best" ]; then best=$ms; fi
  done
  rows=$(($(wc -l < "$work/q.out") - 1))
  printf '  %-52s %6d ms %7d rows%s\n' "$desc" "$best" "$rows" "$([ "$best" -lt 100 ] || echo '   OVER 100 ms')"
}
query "compare overview" compare overview
query "compare targets --topic ふるさと納税" compare targets --topic ふるさと納税
query "compare targets --role target" compare targets --role target
query "compare targets --topic DX -m 小郡市" compare targets --topic DX -m 小郡市
query "compare achievements --topic DX" compare achievements --topic DX
query "compare series --topic 財政" compare series --topic 財政
query "compare series --row 市税" compare series --row 市税
query "compare items --topic 公共施設" compare items --topic 公共施設
query "compare budgets --topic 人件費" compare budgets --topic 人件費
query "search 市 (1 character, first 20)" search -n 20 市
query "search 荒尾 (2 characters, first 20)" search -n 20 荒尾
query "search 行政改革 (3+ characters, first 20)" search -n 20 行政改革
query "search ふるさと納税 (first 20)" search -n 20 ふるさと納税
query "search 審議 会議録 (2 terms)" search -n 20 審議 会議録
