# normalize on a case suite (tests/data/normalize-cases.tsv): the old
# typography issue 13 lists and the published test cases of numeral and era
# libraries, each cited; pass rate per source, fails below 98% overall.
. "$(dirname "$0")/_lib.sh"
if ! command -v python3 >/dev/null; then
  skip "normalize case suite: python3 missing"
  finish
fi
python3 "$KK_ROOT/tests/e2e/_normalize_cases.py" "$KEIKAKU" "$KK_ROOT/tests/data/normalize-cases.tsv" > "$E2E_TMP/cases" 2>&1
st=$?
sed 's/^/  /' "$E2E_TMP/cases"
all=$(awk '$1 == "all" { print $2 "/" $3 " (" $4 ")" }' "$E2E_TMP/cases")
if [ $st = 0 ]; then ok "normalize case suite: $all pass (floor 98%)"; else bad "normalize case suite: $all pass, floor 98%"; fi
finish
