#!/usr/bin/env bash
# `make run`: ingests the bundled corpus (corpus/*.pdf) into a database and
# prints a comparison across its municipalities.
# Usage: tests/run-corpus.sh [KEIKAKU] [DB]   (defaults bin/keikaku, keikaku.db)
# Exit status: ingest's (0 when every corpus PDF went in or was already
# there, 1 when some failed — the comparison is printed all the same).
set -u
kk=${1:-bin/keikaku}
db=${2:-keikaku.db}
here=$(cd "$(dirname "$0")/.." && pwd)
cd "$here"
shopt -s nullglob
# The publications themselves; the -variant PDFs (departments, numbers and
# even the city rewritten, to test that patterns follow structure) and the
# -unruled one (the same plan list without rulings) are test inputs whose
# fabricated or duplicated content would mislead a comparison; so are the
# layouts made up for the corpus (listed in corpus/made-up.txt).
pdfs=()
for f in corpus/*.pdf; do
  grep -qxF "$(basename "$f" .pdf)" corpus/made-up.txt 2>/dev/null && continue
  case "$f" in *-variant.pdf|*-unruled.pdf) ;; *) pdfs+=("$f") ;; esac
done
if [ ${#pdfs[@]} -eq 0 ]; then
  echo "run-corpus: no PDFs in corpus/" >&2
  exit 3
fi
echo "== keikaku ingest --db $db (${#pdfs[@]} PDFs)"
"$kk" ingest --db "$db" "${pdfs[@]}"
status=$?
if [ $status -ne 0 ] && [ $status -ne 1 ]; then
  echo "run-corpus: ingest failed (exit $status)" >&2
  exit $status
fi
section() { echo; echo "== keikaku compare $*"; "$kk" compare --db "$db" "$@"; }
# Long answers are cut to their first lines here; run the command for all.
section_head() { echo; echo "== keikaku compare $* (first 20 rows)"; "$kk" compare --db "$db" "$@" | head -n 22; }
section overview
section targets --role target --topic ふるさと納税
section_head targets --role target
section_head achievements
section_head series --row 税
section_head items --topic DX
# the numbers of every table of every document, family or not: one row
# label across municipalities and fiscal years
section_head facts --row 地方交付税
echo
echo "(all values in yen where the unit is 円; fiscal years are the year each 年度 begins)"
exit $status
