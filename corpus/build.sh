#!/usr/bin/env bash
# Regenerates the corpus PDFs and gold files from the sources in corpus/src/.
# Needs LibreOffice headless (Writer and Calc) and LuaLaTeX with luatexja
# and the IPA/IPAex fonts (corpus-building tools only: the generated PDFs
# are committed, and tests never run this):
#   apt-get install libreoffice-writer-nogui libreoffice-calc-nogui \
#     texlive-luatex texlive-lang-japanese fonts-ipafont fonts-ipaexfont
# Each corpus/src/gen_*.py writes its .fodt/.fods/.tex sources to
# corpus/build/, converts them, and writes its PDFs to corpus/ and its gold
# files to corpus/gold/ (corpus/README.md lists them).
# Usage: corpus/build.sh [gen_NAME.py ...]
set -euo pipefail
cd "$(dirname "$0")"
mkdir -p build gold bad
gens=("$@"); [ ${#gens[@]} -gt 0 ] || gens=(src/gen_*.py)
for g in "${gens[@]}"; do
  echo "corpus: ${g#src/}"
  nice /usr/bin/python3 "src/${g#src/}"
done
