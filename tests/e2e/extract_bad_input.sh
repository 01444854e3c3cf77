# keikaku extract on bad input: one line on stderr naming the file and the
# problem, the documented exit status, and no `end` line on stdout.
. "$(dirname "$0")/_lib.sh"
real="$KK_ROOT/corpus/real"
mk="$KK_ROOT/tests/e2e/_extract_mkpdf.py"

# expect_bad STATUS WORDS FILE [OPTIONS...]: exit status, one stderr line that
# names FILE and contains WORDS (a grep -E pattern), no end line.
expect_bad() {
  local want=$1 words=$2 file=$3; shift 3
  expect_status "$want" "extract $(basename "$file") $*" "$KEIKAKU" extract "$@" "$file"
  local nl; nl=$(wc -l < "$E2E_TMP/err")
  [ "$nl" = 1 ] && ok "  one stderr line" || bad "  $nl stderr lines: $(head -c 300 "$E2E_TMP/err")"
  grep -qF -- "$file" "$E2E_TMP/err" && ok "  names the file" || bad "  does not name $file"
  grep -qE -- "$words" "$E2E_TMP/err" && ok "  says: $words" || bad "  message lacks '$words': $(cat "$E2E_TMP/err")"
  grep -q '"type":"end"' "$E2E_TMP/out" && bad "  end line written for a failed document" || ok "  no end line"
}

: > "$E2E_TMP/empty.pdf"
expect_bad 3 "not a PDF" "$E2E_TMP/empty.pdf"
printf 'just some text\n' > "$E2E_TMP/text.pdf"
expect_bad 3 "not a PDF" "$E2E_TMP/text.pdf"
expect_bad 3 "cannot open" "$E2E_TMP/missing.pdf"
mkdir "$E2E_TMP/dir.pdf"
expect_bad 3 "not a regular file" "$E2E_TMP/dir.pdf"
size=$(stat -c %s "$real/aichi-source.pdf")
head -c $((size / 2)) "$real/aichi-source.pdf" > "$E2E_TMP/half.pdf"
expect_bad 3 "truncated" "$E2E_TMP/half.pdf"
head -c $((size - 10)) "$real/aichi-source.pdf" > "$E2E_TMP/cut.pdf"
expect_bad 3 "truncated" "$E2E_TMP/cut.pdf"
# a PDF header and an end marker around garbage: Poppler cannot open it
{ printf '%%PDF-1.7\n'; head -c 5000 /dev/zero | tr '\0' 'x'; printf '\n%%%%EOF\n'; } > "$E2E_TMP/garbage.pdf"
expect_bad 3 "damaged" "$E2E_TMP/garbage.pdf"
qpdf --encrypt user owner 256 -- "$real/aichi-source.pdf" "$E2E_TMP/encrypted.pdf"
expect_bad 4 "encrypted" "$E2E_TMP/encrypted.pdf"
/usr/bin/python3 "$mk" image "$E2E_TMP/scan.pdf"
# with OCR (the default) even a gradient may give a character; the exit
# status of a document without text is what this checks
expect_bad 5 "no text layer" "$E2E_TMP/scan.pdf" --ocr never
/usr/bin/python3 "$mk" pages 3 "$E2E_TMP/three.pdf"
expect_bad 6 "limit" "$E2E_TMP/three.pdf" --max-pages 2
expect_bad 6 "larger than the limit" "$E2E_TMP/three.pdf" --max-file-mb 0.0005
# The corpus's own bad files (corpus/bad/EXPECTED.tsv: file, status, word).
if [ -f "$KK_ROOT/corpus/bad/EXPECTED.tsv" ]; then
  while IFS=$'\t' read -r file status word; do
    case "$file" in ''|'#'*) continue ;; esac
    if [ "$status" = 0 ]; then
      expect_status 0 "extract corpus/bad/$file" "$KEIKAKU" extract "$KK_ROOT/corpus/bad/$file"
      grep -q '"type":"end"' "$E2E_TMP/out" && ok "  end line" || bad "  no end line"
    else
      expect_bad "$status" "$word" "$KK_ROOT/corpus/bad/$file"
    fi
  done < "$KK_ROOT/corpus/bad/EXPECTED.tsv"
fi
expect_status 2 "extract without a file" "$KEIKAKU" extract
expect_status 2 "extract --pages 5-3" "$KEIKAKU" extract --pages 5-3 "$E2E_TMP/three.pdf"
expect_status 2 "extract --pages beyond the end" "$KEIKAKU" extract --pages 7-9 "$E2E_TMP/three.pdf"
finish
