#!/usr/bin/env bash
# Runs every PDF of a directory through `keikaku extract` and `keikaku
# ingest`, one at a time, and reports crashes, hangs and stderr lines that
# are not keikaku's own one line.  For batteries of PDFs nobody made for
# keikaku (pdf.js's test/pdfs: `fetch` mozilla/pdf.js, copy test/pdfs out);
# not part of `make test`, and the PDFs are not committed.
#
# usage: tests/run-pdf-dir.sh [-k KEIKAKU] [-t SECONDS] [-o OUTDIR] DIR
#   -k  the binary (default build/asan/keikaku: the sanitizers see more)
#   -t  --max-seconds for extract (default 20); a run past it + 30 s is a hang
#   -o  where the per-file logs and the report go (default a temporary dir)
# Exit status 0 when no file crashed, hung or printed a foreign stderr line.
set -u
here=$(cd "$(dirname "$0")/.." && pwd)
keikaku="$here/build/asan/keikaku"
seconds=20
out=""
while getopts k:t:o: opt; do
  case $opt in
    k) keikaku=$OPTARG ;;
    t) seconds=$OPTARG ;;
    o) out=$OPTARG ;;
    *) echo "usage: $0 [-k KEIKAKU] [-t SECONDS] [-o OUTDIR] DIR" >&2; exit 2 ;;
  esac
done
shift $((OPTIND - 1))
[ $# -eq 1 ] && [ -d "$1" ] || { echo "usage: $0 [-k KEIKAKU] [-t SECONDS] [-o OUTDIR] DIR" >&2; exit 2; }
dir=$1
[ -x "$keikaku" ] || { echo "$0: no binary $keikaku (make asan, or -k)" >&2; exit 2; }
[ -n "$out" ] || out=$(mktemp -d)
mkdir -p "$out/log"
export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=0:abort_on_error=0}"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}"
report="$out/report.tsv"
printf 'file\tstage\tstatus\tseconds\tstderr_lines\tproblem\n' > "$report"
problems=0 files=0

# judge FILE STAGE STATUS SECONDS ERRFILE: one report row; counts problems
judge() {
  local file=$1 stage=$2 status=$3 secs=$4 err=$5 problem=""
  local n; n=$(wc -l < "$err")
  # keikaku's own lines: "keikaku: FILE: …", warnings, ingest's summary
  local foreign; foreign=$(grep -cv '^keikaku: ' "$err")
  if [ "$status" = 124 ] || [ "$status" = 137 ]; then problem="hang"
  elif grep -q 'Sanitizer\|runtime error:' "$err"; then problem="sanitizer"
  elif [ "$status" -ge 128 ] || [ "$status" = 9 ]; then problem="crash"
  elif [ "$foreign" -gt 0 ]; then problem="foreign stderr"
  elif [ "$stage" = extract ] && [ "$status" != 0 ] && [ "$(grep -cv '^keikaku: warning: ' "$err")" != 1 ]; then
    problem="not one error line"
  fi
  [ -n "$problem" ] && problems=$((problems + 1))
  printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$file" "$stage" "$status" "$secs" "$n" "$problem" >> "$report"
}

while IFS= read -r -d '' pdf; do
  files=$((files + 1))
  name=$(basename "$pdf")
  log="$out/log/$name"
  start=$(date +%s)
  timeout -k 5 $((seconds + 30)) "$keikaku" extract --max-seconds="$seconds" "$pdf" > /dev/null 2> "$log.extract"
  status=$?
  judge "$name" extract "$status" $(( $(date +%s) - start )) "$log.extract"
  start=$(date +%s)
  rm -f "$out/db.sqlite"*
  timeout -k 5 600 "$keikaku" ingest -q --db "$out/db.sqlite" "$pdf" > "$log.ingest.out" 2> "$log.ingest"
  status=$?
  judge "$name" ingest "$status" $(( $(date +%s) - start )) "$log.ingest"
done < <(find "$dir" -type f -iname '*.pdf' -print0 | sort -z)

echo "files: $files; report: $report"
echo "exit statuses (extract):"
awk -F'\t' '$2 == "extract" { n[$3]++ } END { for (s in n) printf "  %s: %d\n", s, n[s] }' "$report" | sort
echo "exit statuses (ingest):"
awk -F'\t' '$2 == "ingest" { n[$3]++ } END { for (s in n) printf "  %s: %d\n", s, n[s] }' "$report" | sort
echo "problems: $problems"
awk -F'\t' 'NR > 1 && $6 != "" { printf "  %s %s: %s (exit %s, %s s)\n", $1, $2, $6, $3, $4 }' "$report"
[ "$problems" -eq 0 ]
