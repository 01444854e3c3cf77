# keikaku ingest on real PDFs: batches with bad files, idempotent re-ingest,
# kill -9 in the middle of a batch, two ingests at once, search.
. "$(dirname "$0")/_lib.sh"
DB="$E2E_TMP/k.db"
PDF="$KK_ROOT/corpus/003-arao-reform-outline.pdf"
BAD="$KK_ROOT/corpus/bad"
if ! [ -f "$PDF" ]; then bad "corpus PDF $PDF missing"; finish; fi

# distinct documents: copies of one PDF, each with its own bytes after a
# last %%EOF (readers take the last xref; the SHA-256 differs)
mkdir -p "$E2E_TMP/pdfs/sub"
for i in $(seq 1 12); do
  f="$E2E_TMP/pdfs/copy-$(printf %02d "$i").pdf"; [ $i -gt 8 ] && f="$E2E_TMP/pdfs/sub/copy-$i.pdf"
  cp "$PDF" "$f"; printf '%% copy %d\n%%%%EOF\n' "$i" >> "$f"
done
# whole: every document has all its pages, its stored extract output
# (pages + document + end objects) and its derivation
whole() {
  sqlite3 "$1" "SELECT count(*) FROM documents d WHERE d.pages <> (SELECT count(*) FROM pages p WHERE p.document_id = d.id) OR d.pages + 2 <> (SELECT count(*) FROM kk_extracted_pages e WHERE e.document_id = d.id) OR NOT EXISTS (SELECT 1 FROM kk_derivations k WHERE k.document_id = d.id)"
}

# a batch with bad files: goes on, loads the good ones, names the bad ones
cp "$BAD/not-a-pdf.pdf" "$BAD/encrypted.pdf" "$BAD/truncated.pdf" "$E2E_TMP/pdfs/"
expect_status 1 "batch with bad files exits 1" "$KEIKAKU" ingest --db "$DB" "$E2E_TMP/pdfs" "$E2E_TMP/missing.pdf"
grep -q '^12 loaded, 0 unchanged, 0 reprocessed, 4 failed$' "$E2E_TMP/out" && ok "summary: 12 loaded, 4 failed" || bad "summary: $(cat "$E2E_TMP/out")"
for b in not-a-pdf.pdf encrypted.pdf truncated.pdf missing.pdf; do
  grep -q "^failed: .*$b: " "$E2E_TMP/out" && ok "names $b with its reason" || bad "names $b"
done
grep -q '^failed: .*encrypted.pdf: .*password' "$E2E_TMP/out" && ok "encrypted: reason says password" || bad "encrypted reason"
[ "$(sqlite3 "$DB" 'SELECT count(*) FROM documents')" = 12 ] && ok "12 documents" || bad "documents: $(sqlite3 "$DB" 'SELECT count(*) FROM documents')"
[ "$(sqlite3 "$DB" "SELECT count(DISTINCT lg_code) FROM documents WHERE lg_code = '432041'")" = 1 ] \
  && ok "荒尾市 has lg_code 432041" || bad "荒尾市 has no lg_code 432041: parse gave no municipality for the copies"

# idempotent: the same files again change nothing
before=$(sqlite3 "$DB" 'SELECT count(*), sum(pages) FROM documents; SELECT count(*) FROM pages; SELECT count(*) FROM kk_search_units')
expect_status 0 "re-ingest exits 0" "$KEIKAKU" ingest --db "$DB" "$E2E_TMP/pdfs/sub" "$E2E_TMP"/pdfs/copy-0*.pdf
grep -q '^0 loaded, 12 unchanged, 0 reprocessed, 0 failed$' "$E2E_TMP/out" && ok "all 12 unchanged" || bad "re-ingest: $(cat "$E2E_TMP/out")"
[ "$(grep -c ': unchanged$' "$E2E_TMP/out")" = 12 ] && ok "says unchanged per file" || bad "unchanged lines"
after=$(sqlite3 "$DB" 'SELECT count(*), sum(pages) FROM documents; SELECT count(*) FROM pages; SELECT count(*) FROM kk_search_units')
[ "$before" = "$after" ] && ok "database unchanged" || bad "database changed: $before / $after"
expect_status 0 "--reprocess with nothing changed" "$KEIKAKU" ingest --db "$DB" --reprocess "$E2E_TMP/pdfs/sub"
grep -q '^0 loaded, 4 unchanged, 0 reprocessed' "$E2E_TMP/out" && ok "reprocess: unchanged" || bad "reprocess: $(cat "$E2E_TMP/out")"
sqlite3 "$DB" "UPDATE kk_derivations SET pipeline = 'keikaku 0.0.1' WHERE document_id IN (SELECT id FROM documents WHERE file LIKE '%/sub/%')"
expect_status 0 "--reprocess after a pipeline change" "$KEIKAKU" ingest --db "$DB" --reprocess "$E2E_TMP/pdfs/sub"
grep -q '^0 loaded, 0 unchanged, 4 reprocessed' "$E2E_TMP/out" && ok "4 reprocessed from the files" || bad "reprocess: $(cat "$E2E_TMP/out")"
sqlite3 "$DB" "UPDATE kk_derivations SET pattern_sha256 = 'old' WHERE document_id = 1"
expect_status 0 "--reprocess from stored pages (no files)" "$KEIKAKU" ingest --db "$DB" --reprocess
grep -q '^0 loaded, 11 unchanged, 1 reprocessed, 0 failed$' "$E2E_TMP/out" && ok "1 re-derived from stored pages" || bad "stored reprocess: $(cat "$E2E_TMP/out")"
[ "$(whole "$DB")" = 0 ] && ok "all documents whole" || bad "not whole: $(whole "$DB")"

# a pattern file changes: --reprocess re-derives the documents it made
P="$E2E_TMP/patterns"; mkdir -p "$P"; cp "$KK_ROOT"/patterns/families/*.kpat "$KK_ROOT"/patterns/families/*.kpinc "$P/"
R="$E2E_TMP/re.db"
"$KEIKAKU" ingest -q --db "$R" --patterns "$P" "$E2E_TMP/pdfs/sub" >/dev/null 2>&1
expect_status 0 "--reprocess, patterns unchanged" "$KEIKAKU" ingest --db "$R" --patterns "$P" --reprocess "$E2E_TMP/pdfs/sub"
grep -q '^0 loaded, 4 unchanged, 0 reprocessed' "$E2E_TMP/out" && ok "unchanged" || bad "unchanged: $(cat "$E2E_TMP/out")"
# an edit of the shared units.kpinc alone changes every family that includes it
printf '\n# edited\n' >> "$P/units.kpinc"
expect_status 0 "--reprocess after the pattern files changed" "$KEIKAKU" ingest --db "$R" --patterns "$P" --reprocess "$E2E_TMP/pdfs/sub"
grep -q '^0 loaded, 0 unchanged, 4 reprocessed' "$E2E_TMP/out" && ok "4 re-derived" || bad "re-derived: $(cat "$E2E_TMP/out")"
[ "$(whole "$R")" = 0 ] && ok "re-derived documents whole" || bad "not whole"

# search over ingested text: 1, 2 and 3+ characters
for q in 市 荒尾 行政改革; do
  expect_status 0 "search $q" "$KEIKAKU" search --db "$DB" --csv "$q"
  grep -q "\[$q\]" "$E2E_TMP/out" && ok "finds $q" || bad "search $q: $(head -3 "$E2E_TMP/out")"
done

# kill -9 in the middle of a batch
K="$E2E_TMP/kill.db"
for i in $(seq 13 28); do f="$E2E_TMP/pdfs/more-$i.pdf"; cp "$PDF" "$f"; printf '%% copy %d\n%%%%EOF\n' "$i" >> "$f"; done
"$KEIKAKU" ingest -q --db "$K" "$E2E_TMP/pdfs" >/dev/null 2>&1 &
pid=$!
for i in $(seq 1 600); do   # until a few documents are in (bounded wait)
  n=$(sqlite3 "$K" 'SELECT count(*) FROM documents' 2>/dev/null || echo 0)
  [ "${n:-0}" -ge 3 ] && break
  sleep 0.05
done
kill -9 $pid 2>/dev/null; wait $pid 2>/dev/null
[ "$(sqlite3 "$K" 'PRAGMA integrity_check')" = ok ] && ok "integrity_check ok after kill -9" || bad "integrity_check"
[ "$(whole "$K")" = 0 ] && ok "no half-loaded document after kill -9" || bad "half-loaded: $(whole "$K")"
echo "  (kill -9 left $(sqlite3 "$K" 'SELECT count(*) FROM documents') documents)"
expect_status 1 "the batch again completes (bad files still fail)" "$KEIKAKU" ingest -q --db "$K" "$E2E_TMP/pdfs"
[ "$(sqlite3 "$K" 'SELECT count(*) FROM documents')" = 28 ] && ok "all 28 in" || bad "count $(sqlite3 "$K" 'SELECT count(*) FROM documents')"

# two ingests at once on one new database, overlapping files
C="$E2E_TMP/conc.db"
"$KEIKAKU" ingest -q --db "$C" "$E2E_TMP"/pdfs/copy-*.pdf "$E2E_TMP"/pdfs/more-1*.pdf >"$E2E_TMP/a.out" 2>&1 & pa=$!
"$KEIKAKU" ingest -q --db "$C" "$E2E_TMP"/pdfs/more-*.pdf "$E2E_TMP/pdfs/sub" >"$E2E_TMP/b.out" 2>&1 & pb=$!
wait $pa; sa=$?; wait $pb; sb=$?
[ $sa = 0 ] && [ $sb = 0 ] && ok "both concurrent ingests succeed" || bad "concurrent: $sa $sb $(tail -3 "$E2E_TMP/a.out" "$E2E_TMP/b.out")"
[ "$(sqlite3 "$C" 'SELECT count(*) FROM documents')" = 28 ] && ok "nothing lost or doubled (28)" || bad "count $(sqlite3 "$C" 'SELECT count(*) FROM documents')"
[ "$(whole "$C")" = 0 ] && ok "all whole" || bad "not whole"
finish
