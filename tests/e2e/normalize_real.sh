# normalize on real PDFs made by other tools (../shared/real, see its README):
# extract | normalize must fix what their producers emit.
. "$(dirname "$0")/_lib.sh"
T=$E2E_TMP
real=""
for d in "$KK_ROOT/../shared/real" "$KK_ROOT/../../shared/real"; do
  [ -d "$d" ] && { real=$d; break; }
done
if [ -z "$real" ]; then skip "no ../shared/real here"; finish; fi
texts() { grep -o '"text":"[^"]*"' "$1"; }

# A font that maps 一 to the Kangxi radical ⼀ (U+2F00).
if "$KEIKAKU" extract "$real/pdfjs-issue15340.pdf" > "$T/a.pages" 2>/dev/null; then
  expect_status 0 "normalize issue15340" "$KEIKAKU" normalize "$T/a.pages"
  cp "$E2E_TMP/out" "$T/a.norm"
  ! texts "$T/a.norm" | LC_ALL=C grep -q $'\xe2[\xbc-\xbf]' && ok "no Kangxi radical left in text" || bad "Kangxi radical left in text"
  texts "$T/a.norm" | grep -q '一つの箱内' && ok "⼀つ became 一つ" || bad "⼀つ became 一つ"
else
  bad "extract issue15340 failed"
fi

# Full-width digits and letters (０．７５, ａ ｂ ｃ).
if "$KEIKAKU" extract "$real/pdfjs-issue16063.pdf" > "$T/b.pages" 2>/dev/null; then
  expect_status 0 "normalize issue16063" "$KEIKAKU" normalize "$T/b.pages"
  cp "$E2E_TMP/out" "$T/b.norm"
  ! texts "$T/b.norm" | LC_ALL=C grep -q -e $'\xef\xbc[\x90-\x99]' -e $'\xef\xbd[\x81-\x9a]' && ok "no full-width digits or letters left" || bad "full-width left"
  grep -q '"kind":"number","value":0.75' "$T/b.norm" && ok "0.75 annotated" || bad "0.75 annotated"
  grep -q '"normalized":true' "$T/b.norm" && ok "document marked normalized" || bad "document marked normalized"
else
  bad "extract issue16063 failed"
fi

# A DocuWorks table: dates in the title line, numbers in cells.
if "$KEIKAKU" extract "$real/aichi-source.pdf" > "$T/c.pages" 2>/dev/null; then
  expect_status 0 "normalize aichi-source" "$KEIKAKU" normalize "$T/c.pages"
  grep -q '"kind":"date","value":"2020-04-01"' "$E2E_TMP/out" && ok "令和2年4月1日 -> 2020-04-01" || bad "令和2年4月1日 -> 2020-04-01"
else
  bad "extract aichi-source failed"
fi
finish
