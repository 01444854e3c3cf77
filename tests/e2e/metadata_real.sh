# Document metadata on real PDFs made by other people (../shared/real, see its
# README): every document with a text layer loads with the title, municipality,
# prefecture, lg_code and fiscal years of tests/data/metadata_real.tsv (checked
# by eye on the rendered pages; how, in that file), whether or not a pattern
# family matched it.
. "$(dirname "$0")/_lib.sh"
real=""
for d in "$KK_ROOT/../shared/real" "$KK_ROOT/../../shared/real"; do
  [ -d "$d" ] && { real=$d; break; }
done
# without ../shared/real (a clone on its own): the copies kept in corpus/real
[ -n "$real" ] || { real="$KK_ROOT/corpus/real"; echo "  note no ../shared/real here: only the PDFs of corpus/real"; }
gold="$KK_ROOT/tests/data/metadata_real.tsv"
DB="$E2E_TMP/real.db"

# every real PDF loads, the scanned leaflet (no text layer) by OCR
expect_status 0 "ingest the real PDFs" "$KEIKAKU" ingest --db "$DB" "$real"

n=0
while IFS=$'\t' read -r file title muni pref code fy0 fy1; do
  case "$file" in '#'*|'') continue ;; esac
  [ -e "$real/$file" ] || continue
  n=$((n + 1))
  got=$(sqlite3 -separator $'\t' "$DB" "SELECT coalesce(replace(replace(title,' ',''),'　',''),'-'),
      coalesce(municipality,'-'), coalesce(prefecture,'-'), coalesce(lg_code,'-'),
      coalesce(fiscal_start,'-'), coalesce(fiscal_end,'-')
    FROM documents WHERE file LIKE '%/' || '$file'")
  want=$(printf '%s\t%s\t%s\t%s\t%s\t%s' "$title" "$muni" "$pref" "$code" "$fy0" "$fy1")
  if [ "$got" = "$want" ]; then ok "$file: ${got//$'\t'/ | }"
  else bad "$file: got '${got//$'\t'/ | }', want '${want//$'\t'/ | }'"; fi
done < "$gold"
# every PDF with a text layer, but the pages cut out of one for other tests
# (NAME-pN.pdf, corpus/real/README.md: not documents of their own)
want_n=$(ls "$real"/*.pdf | grep -v rakuhyousetsu_scan | grep -vcE -- '-p[0-9]+\.pdf$')
[ "$n" -eq "$want_n" ] && ok "$n documents checked, every PDF with a text layer here" \
  || bad "$n documents checked of the $want_n with a text layer in $real"

# the scan, read by OCR: its place must be right (the signature names
# 音威子府村, checked by eye on the page rendered with pdftoppm -r 50); its
# title (by eye: 屋根からの落氷雪事故防止などのお願い) is shown as OCR read
# it, not held to the letter: OCR misreads glyphs of the heading
if [ -e "$real/otoineppu_rakuhyousetsu_scan.pdf" ]; then
  got=$(sqlite3 -separator ' | ' "$DB" "SELECT coalesce(municipality,'-'), coalesce(prefecture,'-'), coalesce(lg_code,'-')
    FROM documents WHERE file LIKE '%/otoineppu_rakuhyousetsu_scan.pdf'")
  [ "$got" = "音威子府村 | 北海道 | 014702" ] && ok "scan (OCR): $got" || bad "scan (OCR): got '$got', want '音威子府村 | 北海道 | 014702'"
  echo "  info scan title as OCR read it: $(sqlite3 "$DB" "SELECT title FROM documents WHERE file LIKE '%/otoineppu_rakuhyousetsu_scan.pdf'") (by eye: 屋根からの落氷雪事故防止などのお願い)"
fi

# a document that never names its municipality gets the one its user gives
# (ingest --municipality); one that names its own keeps it
DB2="$E2E_TMP/given.db"
if [ -e "$real/nankoku_R3_kurikoshi_jigyou_ichiran.pdf" ] && [ -e "$real/fuji_R6_ippan_kaikei_yosansho.pdf" ]; then
  expect_status 0 "ingest --municipality 南国市" "$KEIKAKU" ingest -q --municipality 南国市 --db "$DB2" \
    "$real/nankoku_R3_kurikoshi_jigyou_ichiran.pdf" "$real/fuji_R6_ippan_kaikei_yosansho.pdf"
  got=$(sqlite3 -separator ' | ' "$DB2" "SELECT coalesce(municipality,'-'), coalesce(prefecture,'-'), coalesce(lg_code,'-')
    FROM documents ORDER BY file" | tr '\n' ';')
  [ "$got" = "富士市 | 静岡県 | 222101;南国市 | 高知県 | 392049;" ] && ok "--municipality: $got" \
    || bad "--municipality: got '$got', want '富士市 | 静岡県 | 222101;南国市 | 高知県 | 392049;'"
fi
expect_status 2 "--municipality naming a prefecture" "$KEIKAKU" ingest --municipality 高知県 --db "$DB2" "$real"
expect_status 2 "--municipality shared by several" "$KEIKAKU" ingest --municipality 池田町 --db "$DB2" "$real"

# parse --explain says how the place was decided, or why none was
"$KEIKAKU" extract "$real/aichi-source.pdf" 2>/dev/null | "$KEIKAKU" normalize 2>/dev/null \
  | "$KEIKAKU" parse --explain /dev/stdin 2>/dev/null > "$E2E_TMP/explain"
grep -q "place .*speaks of itself as a prefecture.*愛知県" "$E2E_TMP/explain" \
  && ok "explain: aichi-source is the prefecture's own" || bad "explain aichi: $(grep -A3 '^document:' "$E2E_TMP/explain")"
finish
