#!/usr/bin/env bash
# Runs every unit test binary and every end-to-end script against one build
# directory (default build/asan) and prints "N passed, N failed" last.
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
passed=0; failed=0; failures=()

for t in "$build"/tests/test_*; do
  [ -x "$t" ] || continue
  name=$(basename "$t")
  if "$t"; then passed=$((passed+1)); else failed=$((failed+1)); failures+=("unit/$name"); fi
done

for t in "$build"/fuzz/fuzz_*; do
  [ -x "$t" ] || continue
  name=$(basename "$t")
  echo "[ fuzz replay ] $name"
  # full malloc stacks (GLib has no frame pointers), so that tests/lsan.supp
  # can name the json-glib function whose own leak it suppresses
  if ASAN_OPTIONS="$ASAN_OPTIONS:fast_unwind_on_malloc=0" "$t" "tests/fuzz/corpus/$name"; then passed=$((passed+1)); else failed=$((failed+1)); failures+=("fuzz/$name"); fi
done

for t in tests/e2e/[!_]*.sh; do
  [ -f "$t" ] || continue
  name=$(basename "$t" .sh)
  echo "[ e2e ] $name"
  if bash "$t"; then passed=$((passed+1)); echo "[  OK  ] $name"
  else failed=$((failed+1)); failures+=("e2e/$name"); echo "[ FAIL ] $name"; fi
done

echo
[ ${#failures[@]} -eq 0 ] || printf 'failed: %s\n' "${failures[@]}"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
