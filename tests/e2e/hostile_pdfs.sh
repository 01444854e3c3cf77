# Damaged and hostile PDFs: every one must end in a documented exit status
# (0 ok, 3 unreadable/damaged, 4 encrypted, 5 no text, 6 limit) within the
# time bound, with no crash, hang or sanitizer report, one stderr line naming
# the file when it fails, and an `end` line only when it succeeds.
# The damaged files are made here, deterministically, from a corpus PDF.
. "$(dirname "$0")/_lib.sh"
src="$KK_ROOT/corpus/003-arao-reform-outline.pdf"
[ -f "$src" ] || { bad "missing $src"; finish; }
d="$E2E_TMP/hostile"; mkdir -p "$d"
size=$(stat -c %s "$src")

# truncated at several points
for pct in 1 10 25 50 75 90 99; do
  head -c $((size * pct / 100)) "$src" > "$d/truncated-$pct.pdf"
done
# bytes flipped at fixed pseudo-random places (8 variants, 64 flips each)
/usr/bin/python3 - "$src" "$d" <<'PY'
import random, sys
data = open(sys.argv[1], "rb").read()
for v in range(8):
    rng = random.Random(1000 + v)
    b = bytearray(data)
    for _ in range(64):
        i = rng.randrange(len(b))
        b[i] ^= 1 << rng.randrange(8)
    open("%s/flipped-%d.pdf" % (sys.argv[2], v), "wb").write(bytes(b))
# a content stream that never ends its object, a huge MediaBox, deep nesting
open(sys.argv[2] + "/deep-nesting.pdf", "wb").write(
    b"%PDF-1.4\n1 0 obj\n" + b"[" * 100000 + b"]" * 100000 + b"\nendobj\ntrailer\n<</Root 1 0 R>>\n%%EOF\n")
open(sys.argv[2] + "/huge-page.pdf", "wb").write(
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 14400000 14400000]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n")
PY
cp "$KK_ROOT"/corpus/bad/*.pdf "$d/"

allowed=" 0 3 4 5 6 "
for f in "$d"/*.pdf; do
  name=$(basename "$f")
  timeout 120 "$KEIKAKU" extract "$f" >"$E2E_TMP/out" 2>"$E2E_TMP/err"; st=$?
  if [ $st = 124 ]; then bad "$name: hang (killed after 120 s)"; continue; fi
  if [[ "$allowed" != *" $st "* ]]; then bad "$name: exit $st; stderr: $(head -c 300 "$E2E_TMP/err")"; continue; fi
  if grep -q -E 'Sanitizer|runtime error' "$E2E_TMP/err"; then bad "$name: sanitizer report"; continue; fi
  last=$(tail -n 1 "$E2E_TMP/out" | grep -c '"type":"end"')
  if [ $st = 0 ]; then
    [ "$last" = 1 ] && ok "$name: read (exit 0, stream complete)" || bad "$name: exit 0 without an end line"
  else
    # Poppler itself may print diagnostics ("Syntax Error …"); ours is the
    # one line that starts with "keikaku:"
    lines=$(grep '^keikaku: ' "$E2E_TMP/err" | grep -v -c '^keikaku: warning')
    if [ "$last" = 1 ]; then bad "$name: failed (exit $st) but the stream has an end line"
    elif [ "$lines" != 1 ] || ! grep '^keikaku: ' "$E2E_TMP/err" | grep -q -F "$name"; then bad "$name: exit $st but stderr is not one line naming the file: $(head -c 300 "$E2E_TMP/err")"
    else ok "$name: refused (exit $st): $(grep '^keikaku: ' "$E2E_TMP/err" | grep -v '^keikaku: warning' | head -c 120)"; fi
  fi
done

# the documented outcomes of the committed bad inputs
while IFS=$'\t' read -r file want word; do
  case "$file" in ''|\#*|file) continue ;; esac
  "$KEIKAKU" extract "$KK_ROOT/corpus/bad/$file" >/dev/null 2>"$E2E_TMP/err"; st=$?
  if [ "$st" != "$want" ]; then bad "corpus/bad/$file: exit $st, expected $want"
  elif [ -n "$word" ] && [ "$word" != "-" ] && ! grep -q -i -F "$word" "$E2E_TMP/err"; then bad "corpus/bad/$file: message lacks '$word': $(cat "$E2E_TMP/err")"
  else ok "corpus/bad/$file: exit $st as documented"; fi
done < "$KK_ROOT/corpus/bad/EXPECTED.tsv"
finish
