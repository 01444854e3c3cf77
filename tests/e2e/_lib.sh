# Sourced by the end-to-end scripts: KEIKAKU (binary) and KK_ROOT are set by
# tests/run-tests.sh.  Each check prints one line; `finish` sets the status.
: "${KEIKAKU:?run through tests/run-tests.sh}"
: "${KK_ROOT:?}"
e2e_fail=0
E2E_TMP=$(mktemp -d)
trap 'rm -rf "$E2E_TMP"' EXIT
ok()   { echo "  ok   $*"; }
bad()  { echo "  FAIL $*"; e2e_fail=1; }
# expect_status WANT DESC CMD... : runs CMD, checks its exit status
expect_status() {
  local want=$1 desc=$2; shift 2
  "$@" >"$E2E_TMP/out" 2>"$E2E_TMP/err"; local got=$?
  if [ "$got" = "$want" ]; then ok "$desc (exit $got)"; else bad "$desc: exit $got, wanted $want; stderr: $(head -c 400 "$E2E_TMP/err")"; fi
}
finish() { exit $e2e_fail; }
# kk_floor NAME METRIC: "FLOOR TARGET" from corpus/gold/floors.tsv for a
# corpus document below its issue's target (empty when it has no floor line)
kk_floor() {
  awk -F'\t' -v n="$1" -v m="$2" '!/^#/ && $1 == n && $2 == m { print $3, $4; exit }' \
    "$KK_ROOT/corpus/gold/floors.tsv"
}
