# keikaku merge: shards built apart give the database of one ingest of
# everything (every exportable table compared row by row, in order); a
# document in two shards goes in once; a shard of another schema version,
# a file that is not a database and the output itself are refused with the
# output left as it was.
. "$(dirname "$0")/_lib.sh"
C="$KK_ROOT/corpus"
files=(000-ogori-action-items.pdf 001-ogori-action-plan.pdf 002-ogori-results.pdf
       003-arao-reform-outline.pdf 004-iizuka-plan-list.pdf 004-iizuka-plan-list-variant.pdf
       009-onojo-evaluation-sheets.pdf 001-ogori-action-plan-r5.pdf)
paths=(); for f in "${files[@]}"; do paths+=("$C/$f"); done
T="$E2E_TMP"
"$KEIKAKU" ingest -q --db "$T/all.db" "${paths[@]}" >/dev/null 2>&1
# four shards of consecutive files, as four machines would build them
"$KEIKAKU" ingest -q --db "$T/s1.db" "${paths[@]:0:2}" >/dev/null 2>&1
"$KEIKAKU" ingest -q --db "$T/s2.db" "${paths[@]:2:2}" >/dev/null 2>&1
"$KEIKAKU" ingest -q --db "$T/s3.db" "${paths[@]:4:2}" >/dev/null 2>&1
"$KEIKAKU" ingest -q --db "$T/s4.db" "${paths[@]:6:2}" >/dev/null 2>&1
# (001 in shard 1 and its second edition in shard 4: one plan over two shards)

# dump DB DIR: every exportable table as JSON Lines, ingested_at (the
# time of each ingest) left out
dump() {
  mkdir -p "$2"
  for t in $("$KEIKAKU" export --list); do
    "$KEIKAKU" export --db "$1" -f jsonl "$t" | sed -E 's/"ingested_at":"[^"]*",?//' > "$2/$t.jsonl"
  done
}
same_dumps() { # A B DESC
  local d; d=$(diff -r "$1" "$2" | head -c 600)
  if [ -z "$d" ]; then ok "$3"; else bad "$3: $d"; fi
}

expect_status 0 "merge 4 shards" "$KEIKAKU" merge "$T/out.db" "$T/s1.db" "$T/s2.db" "$T/s3.db" "$T/s4.db"
grep -q '8 documents added, 0 already there' "$T/out" && ok "says 8 added" || bad "says 8 added: $(cat "$T/out")"
dump "$T/all.db" "$T/d-all"; dump "$T/out.db" "$T/d-out"
[ "$(cat "$T"/d-all/items.jsonl | wc -l)" -gt 20 ] && ok "the corpus gives items" || bad "the corpus gives items"
same_dumps "$T/d-all" "$T/d-out" "every table of the merge equals one ingest of everything"
[ "$(sqlite3 "$T/out.db" "INSERT INTO kk_search_fts(kk_search_fts, rank) VALUES ('integrity-check', 1); SELECT 'consistent'")" = consistent ] \
  && ok "FTS index matches the search units" || bad "FTS index matches the search units"
"$KEIKAKU" search --db "$T/all.db" --csv 行政改革 > "$T/q1" 2>&1
"$KEIKAKU" search --db "$T/out.db" --csv 行政改革 > "$T/q2" 2>&1
[ -s "$T/q1" ] && cmp -s "$T/q1" "$T/q2" && ok "search finds the same" || bad "search finds the same: $(diff "$T/q1" "$T/q2" | head -5)"
for tb in kk_boxes kk_derivations kk_extracted_pages; do
  a=$(sqlite3 "$T/all.db" "SELECT count(*), total(page), count(DISTINCT document_id) FROM $tb" 2>/dev/null ||
      sqlite3 "$T/all.db" "SELECT count(*) FROM $tb")
  b=$(sqlite3 "$T/out.db" "SELECT count(*), total(page), count(DISTINCT document_id) FROM $tb" 2>/dev/null ||
      sqlite3 "$T/out.db" "SELECT count(*) FROM $tb")
  [ "$a" = "$b" ] && ok "$tb merged ($a)" || bad "$tb merged: $a vs $b"
done
a=$(sqlite3 "$T/all.db" "SELECT b.tbl, i.title FROM kk_boxes b JOIN items i ON b.tbl='items' AND i.id=b.row_id ORDER BY 1,2" | md5sum)
b=$(sqlite3 "$T/out.db" "SELECT b.tbl, i.title FROM kk_boxes b JOIN items i ON b.tbl='items' AND i.id=b.row_id ORDER BY 1,2" | md5sum)
[ "$a" = "$b" ] && ok "boxes still name their rows" || bad "boxes still name their rows"
n=$(sqlite3 "$T/out.db" "SELECT count(*) FROM kk_editions WHERE edition_no = 2")
[ "$n" = 1 ] && ok "editions of one plan from two shards are one plan" || bad "editions across shards: $n plans with a 2nd edition"

# overlapping shards and a merge into a database that has some already

cp "$T/s1.db" "$T/again.db"
expect_status 0 "merge overlapping shards" "$KEIKAKU" merge "$T/again.db" "$T/s1.db" "$T/s2.db" "$T/s2.db" "$T/s3.db" "$T/s4.db"
grep -q '6 documents added, 4 already there' "$T/out" && ok "each document once (6 added, 4 known)" || bad "each document once: $(cat "$T/out")"
dump "$T/again.db" "$T/d-again"
for t in items measures item_fields schedules achievements; do
  b=$(wc -l < "$T/d-again/$t.jsonl"); c=$(wc -l < "$T/d-all/$t.jsonl")
  [ "$b" = "$c" ] && ok "$t once each ($b rows)" || bad "$t once each: $b vs $c"
done

# refusals leave the output as it was
before=$(sqlite3 "$T/out.db" "SELECT count(*) FROM items; SELECT count(*) FROM documents" | tr '\n' ' ')
cp "$T/s1.db" "$T/old.db"; sqlite3 "$T/old.db" "PRAGMA user_version = 2"
expect_status 8 "a shard of another schema version is refused" "$KEIKAKU" merge "$T/out.db" "$T/s2.db" "$T/old.db"
grep -q 'old.db: .*schema version 2' "$T/err" && ok "names the shard and its version" || bad "names the shard: $(cat "$T/err")"
echo "not a database" > "$T/text.db"
expect_status 8 "a file that is not a database is refused" "$KEIKAKU" merge "$T/out.db" "$T/s3.db" "$T/text.db"
grep -q 'text.db' "$T/err" && ok "names it" || bad "names it: $(cat "$T/err")"
expect_status 8 "the output as a shard is refused" "$KEIKAKU" merge "$T/out.db" "$T/out.db"
expect_status 8 "a missing shard is refused" "$KEIKAKU" merge "$T/out.db" "$T/none.db"
after=$(sqlite3 "$T/out.db" "SELECT count(*) FROM items; SELECT count(*) FROM documents" | tr '\n' ' ')
[ "$before" = "$after" ] && ok "output unchanged after refusals ($after)" || bad "output changed: $before -> $after"
# the README's worked example ("Bigger than one machine"), its own command
# lines run as written (only the chunk size made small): shards by split(1)
# and by GNU parallel give, once merged, the rows of one ingest of
# everything.  Shards take the files in another order, so rows are compared
# without their ids and file paths, sorted.
nodump() { # DB DIR: dump without *id fields, sorted
  dump "$1" "$2"
  for f in "$2"/*.jsonl; do sed -E 's/"([a-z_]*id|plan|item)":[0-9]+,?//g; s/"file":"[^"]*",?//g' "$f" | sort > "$f.s"; mv "$f.s" "$f"; done
}
readme="$KK_ROOT/README.md"
split_line=$(grep -m1 "split -n r/\$K/\$N | xargs keikaku ingest" "$readme")
par_line=$(grep -m1 "parallel --pipe -N500 'keikaku ingest" "$readme")
merge_line=$(grep -m1 '^keikaku merge plans.db shard-\*.db$' "$readme")
if [ -z "$split_line" ] || [ -z "$par_line" ] || [ -z "$merge_line" ]; then
  bad "README's shard example not found (split, parallel and merge lines)"
else
  W="$T/readme"; mkdir -p "$W/plans" "$W/bin"; cp "${paths[@]}" "$W/plans/"
  ln -s "$KEIKAKU" "$W/bin/keikaku"
  nodump "$T/all.db" "$T/n-all"
  (cd "$W" && export PATH="$W/bin:$PATH" N=3 &&
   for K in 1 2 3; do eval "${split_line/shard-\$K/shard-$K}" >/dev/null 2>&1; done &&
   eval "$merge_line" >/dev/null 2>&1) && nodump "$W/plans.db" "$T/n-split" &&
    same_dumps "$T/n-all" "$T/n-split" "README example, split -n r/K/3 on 3 machines, merged: same rows as one ingest" ||
    bad "README example with split(1) failed"
  if command -v parallel >/dev/null; then
    rm -f "$W"/*.db
    (cd "$W" && export PATH="$W/bin:$PATH" && eval "${par_line/-N500/-N3}" >/dev/null 2>&1 &&
     eval "$merge_line" >/dev/null 2>&1) && nodump "$W/plans.db" "$T/n-par" &&
      same_dumps "$T/n-all" "$T/n-par" "README example, GNU parallel (3 files a shard), merged: same rows as one ingest" ||
      bad "README example with GNU parallel failed"
  else
    skip "README example with GNU parallel: parallel not installed"
  fi
fi

# a fresh output that failed has no document
expect_status 8 "failed merge into a new file" "$KEIKAKU" merge "$T/new.db" "$T/s1.db" "$T/old.db"
[ "$(sqlite3 "$T/new.db" 'SELECT count(*) FROM documents')" = 0 ] && ok "nothing half-written" || bad "nothing half-written"
expect_status 2 "merge without shards" "$KEIKAKU" merge "$T/out.db"
expect_status 0 "merge --help" "$KEIKAKU" merge --help
finish
