# keikaku ingest -j N: the same database and output as -j 1, failures
# still reported, and kill -9 of the parent leaves no worker, no spool file
# and no half-loaded document.
. "$(dirname "$0")/_lib.sh"
BAD="$KK_ROOT/corpus/bad"
for f in 000-ogori-action-items.pdf 003-arao-reform-outline.pdf; do
  [ -f "$KK_ROOT/corpus/$f" ] || { bad "corpus PDF $f missing"; finish; }
done
command -v qpdf >/dev/null || { bad "qpdf missing (make deps)"; finish; }

# distinct documents: qpdf rewrites each copy with a new /ID, so the bytes
# (and the SHA-256) differ while the content is the same
D="$E2E_TMP/pdfs"; mkdir -p "$D"
for i in 1 2 3 4; do
  qpdf "$KK_ROOT/corpus/000-ogori-action-items.pdf" "$D/a-$i.pdf"
  qpdf "$KK_ROOT/corpus/003-arao-reform-outline.pdf" "$D/b-$i.pdf"
done
cp "$BAD/not-a-pdf.pdf" "$BAD/encrypted.pdf" "$BAD/truncated.pdf" "$D/"
n_docs=$(sha256sum "$D"/[ab]-*.pdf | cut -c1-64 | sort -u | wc -l)
[ "$n_docs" = 8 ] && ok "8 distinct copies" || bad "copies not distinct: $n_docs"

# the database content without the times of loading
dump() {
  sqlite3 "$1" "SELECT id, sha256, file, title, municipality, prefecture, lg_code, family, fiscal_start, fiscal_end, pages FROM documents ORDER BY id;
    SELECT * FROM items ORDER BY id; SELECT rowid, * FROM item_fields ORDER BY rowid;
    SELECT rowid, * FROM schedules ORDER BY rowid; SELECT rowid, * FROM achievements ORDER BY rowid;
    SELECT * FROM measures ORDER BY id; SELECT * FROM series ORDER BY id; SELECT rowid, * FROM budgets ORDER BY rowid;
    SELECT * FROM meetings ORDER BY id; SELECT * FROM pages ORDER BY document_id, page_no;
    SELECT * FROM kk_search_units ORDER BY id; SELECT * FROM kk_boxes ORDER BY tbl, row_id;
    SELECT document_id, seq, hex(json) FROM kk_extracted_pages ORDER BY document_id, seq;
    SELECT document_id, pipeline, pattern_file, pattern_sha256, format_version FROM kk_derivations ORDER BY document_id;"
}

run() { # run JOBS DB OUT: ingest the set, keep stdout in OUT, return the status
  "$KEIKAKU" ingest -j "$1" --db "$2" "$D" "$E2E_TMP/missing.pdf" >"$3" 2>"$3.err"
}
run 1 "$E2E_TMP/j1.db" "$E2E_TMP/j1.out"; s1=$?
run 2 "$E2E_TMP/j2.db" "$E2E_TMP/j2.out"; s2=$?
run 0 "$E2E_TMP/j0.db" "$E2E_TMP/j0.out"; s0=$?
[ "$s1$s2$s0" = 111 ] && ok "-j 1, -j 2, -j 0 exit 1 (some files failed)" || bad "statuses $s1 $s2 $s0"
grep -q '^8 loaded, 0 unchanged, 0 reprocessed, 4 failed$' "$E2E_TMP/j2.out" && ok "-j 2 summary: 8 loaded, 4 failed" \
  || bad "-j 2 summary: $(tail -5 "$E2E_TMP/j2.out")"
for b in not-a-pdf.pdf encrypted.pdf truncated.pdf missing.pdf; do
  grep -q "^failed: .*$b: " "$E2E_TMP/j2.out" && ok "-j 2 names $b with its reason" || bad "-j 2 names $b"
  grep -q "$b: " "$E2E_TMP/j2.out.err" && ok "-j 2 reports $b on stderr" || bad "-j 2 stderr for $b"
done
cmp -s "$E2E_TMP/j1.out" "$E2E_TMP/j2.out" && ok "-j 2 prints what -j 1 prints, in the same order" \
  || bad "output differs: $(diff "$E2E_TMP/j1.out" "$E2E_TMP/j2.out" | head -5)"
cmp -s "$E2E_TMP/j1.out" "$E2E_TMP/j0.out" && ok "-j 0 prints what -j 1 prints" || bad "-j 0 output differs"
dump "$E2E_TMP/j1.db" > "$E2E_TMP/j1.dump"
dump "$E2E_TMP/j2.db" > "$E2E_TMP/j2.dump"
dump "$E2E_TMP/j0.db" > "$E2E_TMP/j0.dump"
[ -s "$E2E_TMP/j1.dump" ] && [ "$(sqlite3 "$E2E_TMP/j1.db" 'SELECT count(*) FROM pages')" -gt 0 ] \
  && ok "-j 1 database has content" || bad "-j 1 database empty"
cmp -s "$E2E_TMP/j1.dump" "$E2E_TMP/j2.dump" && ok "-j 2 database equals -j 1 (ids, rows, extract output)" \
  || bad "-j 2 database differs: $(diff "$E2E_TMP/j1.dump" "$E2E_TMP/j2.dump" | head -c 300)"
cmp -s "$E2E_TMP/j1.dump" "$E2E_TMP/j0.dump" && ok "-j 0 database equals -j 1" || bad "-j 0 database differs"

# again with -j 2: all unchanged, nothing written
expect_status 1 "-j 2 re-ingest (bad files still fail)" "$KEIKAKU" ingest -j 2 --db "$E2E_TMP/j2.db" "$D" "$E2E_TMP/missing.pdf"
grep -q '^0 loaded, 8 unchanged, 0 reprocessed, 4 failed$' "$E2E_TMP/out" && ok "-j 2 re-ingest: 8 unchanged" \
  || bad "re-ingest: $(tail -5 "$E2E_TMP/out")"
dump "$E2E_TMP/j2.db" | cmp -s - "$E2E_TMP/j1.dump" && ok "re-ingest wrote nothing" || bad "re-ingest changed the database"

# usage
expect_status 2 "-j -1 is a usage error" "$KEIKAKU" ingest -j -1 --db "$E2E_TMP/u.db" "$D"
expect_status 2 "-j 1000 is a usage error" "$KEIKAKU" ingest -j 1000 --db "$E2E_TMP/u.db" "$D"
expect_status 2 "-j x is a usage error" "$KEIKAKU" ingest -j x --db "$E2E_TMP/u.db" "$D"

# kill -9 of the parent in the middle of a -j 2 batch
K="$E2E_TMP/kill.db"; S="$E2E_TMP/spool"; mkdir -p "$S" "$E2E_TMP/many"
for i in $(seq 1 10); do qpdf "$KK_ROOT/corpus/003-arao-reform-outline.pdf" "$E2E_TMP/many/c-$(printf %02d "$i").pdf"; done
TMPDIR="$S" "$KEIKAKU" ingest -q -j 2 --db "$K" "$E2E_TMP/many" >/dev/null 2>&1 &
pid=$!
for i in $(seq 1 1200); do   # until a few documents are in (bounded wait)
  n=$(sqlite3 "$K" 'SELECT count(*) FROM documents' 2>/dev/null || echo 0)
  [ "${n:-0}" -ge 2 ] && break
  sleep 0.05
done
kill -9 $pid 2>/dev/null; wait $pid 2>/dev/null
left=""
for i in $(seq 1 100); do   # workers die with their parent (bounded wait)
  left=$(pgrep -f -- "--db $K" || true)
  [ -z "$left" ] && break
  sleep 0.05
done
[ -z "$left" ] && ok "no worker outlives a killed parent" || bad "workers left: $left"
[ -z "$(ls -A "$S")" ] && ok "no spool file left behind" || bad "spool files left: $(ls "$S")"
[ "$(sqlite3 "$K" 'PRAGMA integrity_check')" = ok ] && ok "integrity_check ok after kill -9" || bad "integrity_check"
half=$(sqlite3 "$K" "SELECT count(*) FROM documents d WHERE d.pages <> (SELECT count(*) FROM pages p WHERE p.document_id = d.id) OR d.pages + 2 <> (SELECT count(*) FROM kk_extracted_pages e WHERE e.document_id = d.id)")
[ "$half" = 0 ] && ok "no half-loaded document after kill -9" || bad "half-loaded: $half"
n=$(sqlite3 "$K" 'SELECT count(*) FROM documents')
[ "$n" -lt 10 ] && ok "killed before the end ($n of 10 in)" || skip "the batch finished before the kill: the kill mid-batch was not tried"
# going on after the kill gives the database of one uninterrupted run
expect_status 0 "re-run after kill -9" "$KEIKAKU" ingest -q -j 2 --db "$K" "$E2E_TMP/many"
"$KEIKAKU" ingest -q -j 1 --db "$E2E_TMP/whole.db" "$E2E_TMP/many" >/dev/null 2>&1
[ "$(dump "$K" | md5sum)" = "$(dump "$E2E_TMP/whole.db" | md5sum)" ] && ok "killed + resumed equals one -j 1 run" \
  || bad "killed + resumed differs from one run"
finish
