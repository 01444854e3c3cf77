# keikaku parse on the command line: records, --explain, broken pattern
# files (exit 7, file:line and PCRE2 message), cut streams (exit 3, nothing
# written), documents no family matches (warning, page records).
. "$(dirname "$0")/_lib.sh"
data="$KK_ROOT/tests/data/parse"
pat="$KK_ROOT/patterns/families"

expect_status 0 "parse --help" "$KEIKAKU" parse --help
expect_status 2 "parse with a bad option" "$KEIKAKU" parse --frobnicate

expect_status 0 "parse synthetic cards" "$KEIKAKU" parse --patterns "$pat" "$data/cards.pages.jsonl"
head -1 "$E2E_TMP/out" | grep -q '"type":"document".*"family":"action-plan-cards"' && ok "document record first, family chosen" || bad "document record first"
tail -1 "$E2E_TMP/out" | grep -q '"type":"end"' && ok "end record last" || bad "end record last"
grep -q '"type":"item".*"item_no":"1-1"' "$E2E_TMP/out" && ok "card item" || bad "card item"
grep -q '"type":"achievement".*"fiscal_year":2022' "$E2E_TMP/out" && ok "achievement" || bad "achievement"

expect_status 0 "stdin works too" sh -c "'$KEIKAKU' parse --patterns '$pat' < '$data/cards.pages.jsonl'"

expect_status 0 "parse --explain" "$KEIKAKU" parse --patterns "$pat" --explain "$data/cards.pages.jsonl"
grep -q 'action-plan-cards.*<- chosen' "$E2E_TMP/out" && ok "explain names the family" || bad "explain names the family"
grep -q 'action-plan-cards.kpat:[0-9]' "$E2E_TMP/out" && ok "explain names rules by file:line" || bad "explain rule lines"
grep -q 'labelled cells and tables no rule used: 1' "$E2E_TMP/out" && grep -q '備考' "$E2E_TMP/out" && ok "explain lists unused labels" || bad "explain unused labels"

# the default pattern directory is found relative to the binary
expect_status 0 "default pattern directory" sh -c "cd / && '$KEIKAKU' parse '$data/cards.pages.jsonl'"

# a broken pattern file: exit 7, file:line, PCRE2 message and offset
mkdir -p "$E2E_TMP/pat"
printf 'family broken\n[recognise]\nscore 10 /(unclosed/\n' > "$E2E_TMP/pat/broken.kpat"
expect_status 7 "broken pattern file" "$KEIKAKU" parse --patterns "$E2E_TMP/pat" "$data/cards.pages.jsonl"
grep -q 'broken.kpat:3:.*missing closing parenthesis at offset' "$E2E_TMP/err" && ok "error names file:line, message, offset" || bad "pattern error message: $(cat "$E2E_TMP/err")"
[ ! -s "$E2E_TMP/out" ] && ok "nothing written" || bad "output despite broken pattern"
expect_status 7 "missing pattern directory" "$KEIKAKU" parse --patterns "$E2E_TMP/none" "$data/cards.pages.jsonl"

# a cut stream: exit 3, no records at all
head -3 "$data/cards.pages.jsonl" > "$E2E_TMP/cut.jsonl"
expect_status 3 "cut pages stream" "$KEIKAKU" parse --patterns "$pat" "$E2E_TMP/cut.jsonl"
[ ! -s "$E2E_TMP/out" ] && ok "nothing written for a cut stream" || bad "records written for a cut stream"
expect_status 3 "not JSON" sh -c "echo 'garbage' | '$KEIKAKU' parse --patterns '$pat'"
expect_status 3 "missing input" "$KEIKAKU" parse --patterns "$pat" "$E2E_TMP/nope.jsonl"

# pages straight from extract (not normalized): parse normalizes them itself
if [ -f "$KK_ROOT/corpus/001-ogori-action-plan.pdf" ]; then
  "$KEIKAKU" extract "$KK_ROOT/corpus/001-ogori-action-plan.pdf" > "$E2E_TMP/raw.jsonl" 2>/dev/null
  expect_status 0 "extract | parse without normalize" "$KEIKAKU" parse "$E2E_TMP/raw.jsonl"
  grep -q '"type":"item","key":"i1","item_no":"1-1"' "$E2E_TMP/out" && ok "items from unnormalized pages" || bad "items from unnormalized pages"
else
  bad "corpus/001-ogori-action-plan.pdf missing (it is part of the repository)"
fi

# no family matches: a warning, document + page records
printf '%s\n' '{"type":"document","format":"keikaku-pages","version":1,"file":"plain.pdf","pages":1,"normalized":true}' \
  '{"type":"page","page":1,"lines":[{"text":"ただの文章です"}],"tables":[]}' '{"type":"end","pages":1}' > "$E2E_TMP/plain.jsonl"
expect_status 0 "document of no family" "$KEIKAKU" parse --patterns "$pat" "$E2E_TMP/plain.jsonl"
grep -q 'no pattern family matched' "$E2E_TMP/err" && ok "warning says so" || bad "no-family warning"
grep -q '"type":"page".*ただの文章です' "$E2E_TMP/out" && ok "page text kept (searchable)" || bad "page record"
finish
