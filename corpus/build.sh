#!/usr/bin/env bash
# Regenerates the corpus PDFs and gold files from the sources in corpus/src/.
# Needs LibreOffice headless (a corpus-building tool only: the generated PDFs
# are committed, and tests never run this).  Each corpus/src/gen_*.py writes
# its .fodt sources to corpus/build/, converts them, and writes its PDFs to
# corpus/ and its gold files to corpus/gold/.
# Usage: corpus/build.sh [gen_NAME.py ...]
set -euo pipefail
cd "$(dirname "$0")"
mkdir -p build gold bad
gens=("$@"); [ ${#gens[@]} -gt 0 ] || gens=(src/gen_*.py)
for g in "${gens[@]}"; do
  echo "corpus: ${g#src/}"
  /usr/bin/python3 "src/${g#src/}"
done
