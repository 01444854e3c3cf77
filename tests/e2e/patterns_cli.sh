# keikaku patterns: check (lint a pattern directory against documents) and
# score (F1 per document, family and set); recognition by structure: a
# document whose text merely mentions 行政改革大綱 is not a reform outline.
. "$(dirname "$0")/_lib.sh"
pat="$KK_ROOT/patterns/families"
data="$KK_ROOT/tests/data/parse"

expect_status 0 "patterns --help" "$KEIKAKU" patterns --help
expect_status 2 "patterns without a subcommand" "$KEIKAKU" patterns
expect_status 2 "patterns frobnicate" "$KEIKAKU" patterns frobnicate
expect_status 0 "patterns check --help" "$KEIKAKU" patterns check --help
expect_status 0 "patterns check of the families alone" "$KEIKAKU" patterns check "$pat"
grep -q 'pattern families loaded' "$E2E_TMP/out" && ok "says how many families" || bad "check output: $(cat "$E2E_TMP/out")"

# a document every rule of which is exercised or not: the report names the family and the rules
expect_status 0 "patterns check against the synthetic cards" "$KEIKAKU" patterns check "$pat" "$data/cards.pages.jsonl"
grep -q ': family action-plan-cards$' "$E2E_TMP/out" && ok "family chosen per document" || bad "family line: $(cat "$E2E_TMP/out")"
grep -q '^family action-plan-cards: 1 document, [0-9]* rules never matched' "$E2E_TMP/out" && ok "rules never matched counted" || bad "never matched"
grep -q 'action-plan-cards.kpat:[0-9]* \[units\] unit' "$E2E_TMP/out" && ok "an unmatched rule is listed with file:line" || bad "unmatched rule listing"
grep -q '^family results-report: chosen for no document' "$E2E_TMP/out" && ok "families no document chose" || bad "unchosen families"

# a family whose section takes a table and makes nothing: a warning, exit 1
mkdir -p "$E2E_TMP/pat"
printf 'family empty\n[recognise]\nscore 10 where=cell /^APNo\\.?$/\n[list]\nheader /^備考$/\n' > "$E2E_TMP/pat/empty.kpat"
expect_status 1 "a section that took a table and made nothing fails the check" "$KEIKAKU" patterns check "$E2E_TMP/pat" "$data/cards.pages.jsonl"
grep -q 'warning: .*taken by \[list\] but gave no records' "$E2E_TMP/out" && ok "the warning names the section" || bad "warning: $(cat "$E2E_TMP/out")"
printf 'family broken\n[recognise]\nscore 10 /(/\n' > "$E2E_TMP/pat/broken.kpat"
expect_status 7 "patterns check: a broken pattern file" "$KEIKAKU" patterns check "$E2E_TMP/pat"
grep -q 'broken.kpat:3:' "$E2E_TMP/err" && ok "names file:line" || bad "broken message: $(cat "$E2E_TMP/err")"
expect_status 3 "patterns check: a missing pages file" "$KEIKAKU" patterns check "$pat" "$E2E_TMP/none.jsonl"

# a document that mentions 行政改革大綱 in a sentence and has a KPI-like
# table is not a reform outline; its own cover title would make it one
doc='{"type":"document","format":"keikaku-pages","version":1,"file":"eval.pdf","pages":1,"normalized":true}'
kpi='"tables":[{"rows":[[{"text":"指標","row":0,"col":0},{"text":"基準値","row":0,"col":1}],[{"text":"実施項目","row":1,"col":0},{"text":"10件","row":1,"col":1}]]}]'
printf '%s\n' "$doc" "{\"type\":\"page\",\"page\":1,\"lines\":[{\"text\":\"令和6年度 事務事業評価\",\"size\":24},{\"text\":\"本市は行政改革大綱に基づき、事務事業の評価を行っています。\",\"size\":10.5}],$kpi}" \
  '{"type":"end","pages":1}' > "$E2E_TMP/mention.jsonl"
expect_status 0 "parse a document that mentions 行政改革大綱" "$KEIKAKU" parse --patterns "$pat" "$E2E_TMP/mention.jsonl"
head -1 "$E2E_TMP/out" | grep -q '"family":null' && ok "reform-outline does not claim it" || bad "claimed: $(head -1 "$E2E_TMP/out" | head -c 300)"
printf '%s\n' "$doc" "{\"type\":\"page\",\"page\":1,\"lines\":[{\"text\":\"第二次架空市行政改革大綱(案)\",\"size\":24},{\"text\":\"本市は行政改革大綱に基づき、事務事業の評価を行っています。\",\"size\":10.5}],$kpi}" \
  '{"type":"end","pages":1}' > "$E2E_TMP/title.jsonl"
expect_status 0 "parse a document titled 行政改革大綱" "$KEIKAKU" parse --patterns "$pat" "$E2E_TMP/title.jsonl"
head -1 "$E2E_TMP/out" | grep -q '"family":"reform-outline"' && ok "its cover title makes it one" || bad "not chosen: $(head -1 "$E2E_TMP/out" | head -c 300)"

# patterns draft: a first pattern file from a document's structure; it loads
# and, unedited, already gives items (and schedules from year columns)
lay="$KK_ROOT/tests/data/layouts"
expect_status 0 "patterns draft --help" "$KEIKAKU" patterns draft --help
expect_status 2 "patterns draft without a file" "$KEIKAKU" patterns draft
expect_status 3 "patterns draft of a missing file" "$KEIKAKU" patterns draft "$E2E_TMP/none.jsonl"
mkdir -p "$E2E_TMP/draft"
if "$KEIKAKU" patterns draft --family plan "$lay/implementation-plan-a.pages.jsonl" > "$E2E_TMP/draft/plan.kpat" 2>"$E2E_TMP/err"; then
  ok "draft of a list with year columns"
  grep -q '^header .*取組項目' "$E2E_TMP/draft/plan.kpat" && grep -q '^schedule ' "$E2E_TMP/draft/plan.kpat" \
    && ok "the draft heads the list and reads the year columns as schedules" || bad "draft: $(cat "$E2E_TMP/draft/plan.kpat")"
  expect_status 0 "parse with the unedited draft" "$KEIKAKU" parse --patterns "$E2E_TMP/draft" "$lay/implementation-plan-a.pages.jsonl"
  [ "$(grep -c '"type":"item"' "$E2E_TMP/out")" = 3 ] && [ "$(grep -c '"type":"schedule"' "$E2E_TMP/out")" = 18 ] \
    && ok "3 items and 18 schedules (plans and, until edited, effects) from the draft" || bad "draft records: $(grep -c '"type":"item"' "$E2E_TMP/out") items"
else
  bad "patterns draft failed: $(cat "$E2E_TMP/err")"
fi
rm -f "$E2E_TMP/draft"/*
if "$KEIKAKU" patterns draft "$lay/evaluation-sheet-a.pages.jsonl" > "$E2E_TMP/draft/sheet.kpat" 2>"$E2E_TMP/err"; then
  grep -q '^family evaluation-sheet-a$' "$E2E_TMP/draft/sheet.kpat" && ok "family id from the file name" || bad "family id"
  grep -q '^label as=title *\/\^事業名\$\/$' "$E2E_TMP/draft/sheet.kpat" && ok "card labels with as= guessed" || bad "card labels: $(grep label "$E2E_TMP/draft/sheet.kpat")"
  expect_status 0 "parse an evaluation sheet with its draft" "$KEIKAKU" parse --patterns "$E2E_TMP/draft" "$lay/evaluation-sheet-a.pages.jsonl"
  [ "$(grep -c '"type":"item"' "$E2E_TMP/out")" = 2 ] && grep -q '"type":"budget"' "$E2E_TMP/out" \
    && ok "items and budgets from the draft" || bad "sheet draft records"
else
  bad "patterns draft failed: $(cat "$E2E_TMP/err")"
fi
if [ -f "$KK_ROOT/corpus/004-iizuka-plan-list.pdf" ]; then
  expect_status 0 "patterns draft of a PDF" "$KEIKAKU" patterns draft "$KK_ROOT/corpus/004-iizuka-plan-list.pdf"
  grep -q '^header ' "$E2E_TMP/out" && ok "a PDF's list drafted" || bad "PDF draft: $(head -c 600 "$E2E_TMP/out")"
else
  bad "corpus/004-iizuka-plan-list.pdf missing"
fi
finish
