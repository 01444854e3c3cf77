# The binary's own contract: --help, --version, unknown commands.
. "$(dirname "$0")/_lib.sh"
expect_status 0 "keikaku --help" "$KEIKAKU" --help
grep -q '^  extract' "$E2E_TMP/out" && ok "help lists extract" || bad "help lists extract"
expect_status 0 "keikaku --version" "$KEIKAKU" --version
grep -q '^keikaku [0-9]' "$E2E_TMP/out" && ok "version line" || bad "version line"
expect_status 2 "unknown command" "$KEIKAKU" frobnicate
grep -q "frobnicate" "$E2E_TMP/err" && ok "error names the command" || bad "error names the command"
expect_status 2 "no command" "$KEIKAKU"
for c in extract normalize parse load ingest compare search export; do
  expect_status 0 "$c --help" "$KEIKAKU" $c --help
done
finish
