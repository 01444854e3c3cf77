# keikaku normalize: --annotate on plain text, the pages stream filter, bad input.
. "$(dirname "$0")/_lib.sh"
T=$E2E_TMP

# The issue's example, byte for byte.
want='{"text":"令和4年度の目標は1億5,000万円","spans":[{"start":0,"end":5,"kind":"fiscal_year","value":2022},{"start":9,"end":18,"kind":"amount","value":150000000}]}'
got=$(echo '令和4年度の目標は1億5,000万円' | "$KEIKAKU" normalize --annotate)
[ "$got" = "$want" ] && ok "issue example" || bad "issue example: $got"

# SPEC table rows, one line each.
printf '%s\n' '８５％' 'R3.7月' '令和4年度から令和8年度まで' '△12.8' '81件' > "$T/kinds.txt"
expect_status 0 "annotate kinds" "$KEIKAKU" normalize --annotate "$T/kinds.txt"
[ "$(wc -l < "$T/out")" = 5 ] && ok "one object per line" || bad "one object per line"
grep -q '"text":"85%","spans":\[{"start":0,"end":3,"kind":"percent","value":85}\]' "$T/out" && ok "percent" || bad "percent"
grep -q '"kind":"date","value":"2021-07"' "$T/out" && ok "date" || bad "date"
grep -q '"kind":"fiscal_year_range","value":\[2022,2026\]' "$T/out" && ok "range" || bad "range"
grep -q '"value":-12.8}' "$T/out" && ok "negative decimal" || bad "negative decimal"
grep -q '"kind":"quantity","value":81,"unit":"件"' "$T/out" && ok "quantity" || bad "quantity"

# Control characters and quotes are escaped; CR LF input gives no \r.
printf 'a"b\\c\x01\r\n' | "$KEIKAKU" normalize --annotate > "$T/esc"
grep -qF '{"text":"a\"b\\c\u0001","spans":[]}' "$T/esc" && ok "JSON escaping" || bad "JSON escaping: $(cat "$T/esc")"

# Invalid UTF-8: FILE:LINE and exit 3, or replaced on request.
printf 'ok\n\xff\xfe bad\n' > "$T/bad.txt"
expect_status 3 "invalid UTF-8 fails" "$KEIKAKU" normalize --annotate "$T/bad.txt"
grep -qF "$T/bad.txt:2: invalid UTF-8" "$E2E_TMP/err" && ok "error names FILE:LINE" || bad "error names FILE:LINE: $(cat "$E2E_TMP/err")"
expect_status 0 "--replace-invalid" "$KEIKAKU" normalize --annotate --replace-invalid "$T/bad.txt"
grep -q $'\xef\xbf\xbd' "$E2E_TMP/out" && ok "U+FFFD substituted" || bad "U+FFFD substituted"
printf '\xff\n' | "$KEIKAKU" normalize --annotate 2>"$T/err2" >/dev/null
grep -qF '<stdin>:1: invalid UTF-8' "$T/err2" && ok "stdin named" || bad "stdin named: $(cat "$T/err2")"

# Very long lines: refused past --max-line (exit 6), handled below it.
head -c 200000 /dev/zero | tr '\0' '9' > "$T/long.txt"
expect_status 6 "line over --max-line" "$KEIKAKU" normalize --annotate --max-line 1000 "$T/long.txt"
expect_status 0 "long line under the limit" "$KEIKAKU" normalize --annotate "$T/long.txt"
grep -q '"spans":\[\]' "$E2E_TMP/out" && ok "overflowing number not annotated" || bad "overflowing number not annotated"

# Usage.
expect_status 0 "--help" "$KEIKAKU" normalize --help
expect_status 2 "unknown option" "$KEIKAKU" normalize --frobnicate
expect_status 2 "bad --max-line" "$KEIKAKU" normalize --annotate --max-line -5
expect_status 3 "missing file" "$KEIKAKU" normalize --annotate "$T/nope.txt"

# The pages stream.
cat > "$T/pages.jsonl" <<'JSON'
{"type":"document","format":"keikaku-pages","version":1,"file":"x.pdf","sha256":"00","pages":1,"normalized":false}
{"type":"page","page":1,"width":595.3,"height":841.9,"lines":[{"text":"⾏政改⾰ 令和 4 年度","bbox":[1,2,3,4],"size":9}],"tables":[{"bbox":[0,0,1,1],"rows":[[{"text":"６８５，９０３千円","bbox":[0,0,1,1],"row":0,"col":0,"rowspan":1,"colspan":1}]]}]}
{"type":"end","pages":1}
JSON
expect_status 0 "pages stream" "$KEIKAKU" normalize "$T/pages.jsonl"
cp "$E2E_TMP/out" "$T/pages.out"
[ "$(wc -l < "$T/pages.out")" = 3 ] && ok "three objects out" || bad "three objects out"
grep -q '"normalized":true' "$T/pages.out" && ok "document normalized:true" || bad "document normalized:true"
grep -qF '"text":"行政改革令和4年度"' "$T/pages.out" && ok "line text rewritten" || bad "line text rewritten: $(sed -n 2p "$T/pages.out")"
grep -qF '"raw":"⾏政改⾰ 令和 4 年度"' "$T/pages.out" && ok "raw kept" || bad "raw kept"
grep -qF '{"start":4,"end":9,"kind":"fiscal_year","value":2022}' "$T/pages.out" && ok "line spans" || bad "line spans"
grep -qF '"kind":"amount","value":685903000' "$T/pages.out" && ok "cell spans" || bad "cell spans"
expect_status 0 "normalizing twice" "$KEIKAKU" normalize "$T/pages.out"
cmp -s "$E2E_TMP/out" "$T/pages.out" && ok "idempotent" || bad "idempotent"
"$KEIKAKU" normalize < "$T/pages.jsonl" > "$T/stdin.out" && cmp -s "$T/stdin.out" "$T/pages.out" && ok "stdin = file" || bad "stdin = file"

head -n 2 "$T/pages.jsonl" > "$T/cut.jsonl"
expect_status 3 "cut stream" "$KEIKAKU" normalize "$T/cut.jsonl"
grep -q 'without an end' "$E2E_TMP/err" && ok "cut stream named" || bad "cut stream named"
! grep -q '"type":"end"' "$E2E_TMP/out" && ok "no end written for a cut stream" || bad "no end written for a cut stream"
sed 1d "$T/pages.jsonl" > "$T/nodoc.jsonl"
expect_status 3 "stream without document" "$KEIKAKU" normalize "$T/nodoc.jsonl"
sed 's/"version":1/"version":2/' "$T/pages.jsonl" > "$T/v2.jsonl"
expect_status 3 "unknown version" "$KEIKAKU" normalize "$T/v2.jsonl"
printf '{"type":"document",\n' > "$T/broken.jsonl"
expect_status 3 "malformed JSON" "$KEIKAKU" normalize "$T/broken.jsonl"

# The seed texts: every line gives one object, nothing crashes.
: > "$T/seeds.txt"
for d in "$KK_ROOT/../shared/seeds" "$KK_ROOT/../../shared/seeds"; do
  [ -d "$d" ] && { cat "$d"/*.txt > "$T/seeds.txt"; break; }
done
if [ -s "$T/seeds.txt" ]; then
  expect_status 0 "seed texts" "$KEIKAKU" normalize --annotate --replace-invalid "$T/seeds.txt"
  [ "$(wc -l < "$E2E_TMP/out")" = "$(grep -c '' "$T/seeds.txt")" ] && ok "a line per seed line" || bad "a line per seed line"
fi
finish
