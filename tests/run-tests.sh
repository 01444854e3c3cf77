#!/usr/bin/env bash
# Runs every unit test binary and every end-to-end script against one build
# directory (default build/asan) and prints "N passed, N failed, N skipped"
# last.  A test that exits 77 could not run (a tool or file missing): it is
# counted and listed as skipped, never as passed.  Checks skipped inside a
# script that otherwise ran (lines "  SKIP ...") are listed too.
# Usage: tests/run-tests.sh [BUILD_DIR]
set -u
build=${1:-build/asan}
here=$(cd "$(dirname "$0")/.." && pwd)
cd "$here"
export KEIKAKU="$here/$build/keikaku"
export KK_ROOT="$here"
# LeakSanitizer: report leaks of our own code, not one-time allocations that
# fontconfig/poppler/GLib keep for the process lifetime (tests/lsan.supp).
export ASAN_OPTIONS="detect_leaks=1:abort_on_error=0:strict_string_checks=1"
export LSAN_OPTIONS="suppressions=$here/tests/lsan.supp:print_suppressions=0"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1"
export G_SLICE=always-malloc
passed=0; failed=0; skipped=0; failures=(); skips=(); skipped_checks=()
log=$(mktemp); trap 'rm -f "$log"' EXIT

# record NAME STATUS: counts one test by its exit status
record() {
  case $2 in
    0) passed=$((passed+1)) ;;
    77) skipped=$((skipped+1)); skips+=("$1") ;;
    *) failed=$((failed+1)); failures+=("$1") ;;
  esac
}

for t in "$build"/tests/test_*; do
  [ -x "$t" ] || continue
  [[ $t == *.o ]] && continue
  name=$(basename "$t")
  "$t"; record "unit/$name" $?
done

for t in "$build"/fuzz/fuzz_*; do
  [ -x "$t" ] || continue
  [[ $t == *.o ]] && continue
  name=$(basename "$t")
  echo "[ fuzz replay ] $name"
  # full malloc stacks (GLib has no frame pointers), so that tests/lsan.supp
  # can name the json-glib function whose own leak it suppresses
  ASAN_OPTIONS="$ASAN_OPTIONS:fast_unwind_on_malloc=0" "$t" "tests/fuzz/corpus/$name"; record "fuzz/$name" $?
done

for t in tests/e2e/[!_]*.sh; do
  [ -f "$t" ] || continue
  name=$(basename "$t" .sh)
  echo "[ e2e ] $name"
  bash "$t" 2>&1 | tee "$log"; st=${PIPESTATUS[0]}
  record "e2e/$name" "$st"
  while IFS= read -r l; do skipped_checks+=("e2e/$name:${l#  SKIP}"); done < <(grep '^  SKIP ' "$log")
  case $st in 0) echo "[  OK  ] $name" ;; 77) echo "[ SKIP ] $name" ;; *) echo "[ FAIL ] $name" ;; esac
done

echo
[ ${#failures[@]} -eq 0 ] || printf 'failed: %s\n' "${failures[@]}"
[ ${#skips[@]} -eq 0 ] || printf 'skipped: %s\n' "${skips[@]}"
[ ${#skipped_checks[@]} -eq 0 ] || printf 'skipped check: %s\n' "${skipped_checks[@]}"
echo "$passed passed, $failed failed, $skipped skipped (${#skipped_checks[@]} checks skipped inside scripts that ran)"
[ "$failed" -eq 0 ]
