# Sourced by the end-to-end scripts: KEIKAKU (binary) and KK_ROOT are set by
# tests/run-tests.sh.  Each check prints one line; `finish` sets the status:
# 1 if a check failed, 77 (skipped) if every check was skipped, else 0.
# A check that cannot run calls `skip`, never `ok`: tests/run-tests.sh
# counts and lists skipped scripts and skipped checks apart from passes.
: "${KEIKAKU:?run through tests/run-tests.sh}"
: "${KK_ROOT:?}"
e2e_fail=0
e2e_ok=0
e2e_skip=0
E2E_TMP=$(mktemp -d)
trap 'rm -rf "$E2E_TMP"' EXIT
ok()   { echo "  ok   $*"; e2e_ok=$((e2e_ok+1)); }
bad()  { echo "  FAIL $*"; e2e_fail=1; }
skip() { echo "  SKIP $*"; e2e_skip=$((e2e_skip+1)); }
# expect_status WANT DESC CMD... : runs CMD, checks its exit status
expect_status() {
  local want=$1 desc=$2; shift 2
  "$@" >"$E2E_TMP/out" 2>"$E2E_TMP/err"; local got=$?
  if [ "$got" = "$want" ]; then ok "$desc (exit $got)"; else bad "$desc: exit $got, wanted $want; stderr: $(head -c 400 "$E2E_TMP/err")"; fi
}
finish() {
  [ "$e2e_fail" -ne 0 ] && exit 1
  [ "$e2e_ok" -eq 0 ] && [ "$e2e_skip" -gt 0 ] && exit 77
  exit 0
}
# kk_floor NAME METRIC: "FLOOR TARGET" from corpus/gold/floors.tsv for a
# corpus document below its issue's target (empty when it has no floor line)
kk_floor() {
  awk -F'\t' -v n="$1" -v m="$2" '!/^#/ && $1 == n && $2 == m { print $3, $4; exit }' \
    "$KK_ROOT/corpus/gold/floors.tsv"
}
