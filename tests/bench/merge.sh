#!/usr/bin/env bash
# Merge time of `keikaku merge` for SHARDS shards of DOCS documents each
# (default 10 x 500), called by bench.sh.  The shards are synthesized, not
# ingested 5,000 times: the corpus is ingested once, then its documents
# are duplicated (doubling by merging a copy whose SHA-256 values were
# altered with SQL) up to DOCS, and each shard is a copy of that with its
# own SHA-256 suffix, so all SHARDS x DOCS documents are distinct.
#
# Usage: tests/bench/merge.sh [BIN] [PDF...]   Env: MERGE_SHARDS, MERGE_DOCS
set -u
cd "$(dirname "$0")/../.."
BIN=${1:-bin/keikaku}; shift || true
files=("$@"); [ ${#files[@]} -gt 0 ] || files=(corpus/*.pdf)
SHARDS=${MERGE_SHARDS:-10}; DOCS=${MERGE_DOCS:-500}
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
command -v sqlite3 >/dev/null || { echo "merge: skipped (sqlite3 CLI missing: make deps)"; exit 0; }

"$BIN" ingest -q --db "$tmp/base.db" "${files[@]}" >/dev/null 2>&1
have=$(sqlite3 "$tmp/base.db" "SELECT count(*) FROM documents")
[ "$have" -gt 0 ] || { echo "merge: the corpus gave no documents"; exit 1; }
cp "$tmp/base.db" "$tmp/shard.db"
round=0
while [ "$have" -lt "$DOCS" ]; do
  round=$((round + 1))
  cp "$tmp/shard.db" "$tmp/copy.db"
  need=$((DOCS - have))
  sqlite3 "$tmp/copy.db" "PRAGMA foreign_keys = ON;
    DELETE FROM documents WHERE id NOT IN (SELECT id FROM documents ORDER BY id LIMIT $need);
    UPDATE documents SET sha256 = sha256 || '-d$round';" || exit 1
  "$BIN" merge -q "$tmp/shard.db" "$tmp/copy.db" || exit 1
  have=$(sqlite3 "$tmp/shard.db" "SELECT count(*) FROM documents")
done
shards=()
for ((k = 1; k <= SHARDS; k++)); do
  cp "$tmp/shard.db" "$tmp/s$k.db"
  sqlite3 "$tmp/s$k.db" "UPDATE documents SET sha256 = sha256 || '-s$k'" || exit 1
  shards+=("$tmp/s$k.db")
done
size=$(du -cm "${shards[@]}" | tail -n1 | cut -f1)
t0=$(date +%s.%N)
/usr/bin/time -f '%M' -o "$tmp/rss" "$BIN" merge -q "$tmp/out.db" "${shards[@]}"; st=$?
t1=$(date +%s.%N)
rows=$(sqlite3 "$tmp/out.db" "SELECT count(*) FROM documents")
printf 'merge: %d shards x %d documents (%d MB) -> %d documents in %.1f s, peak RSS %.1f MB%s\n' \
  "$SHARDS" "$DOCS" "$size" "$rows" "$(echo "$t1 - $t0" | bc -l)" \
  "$(echo "$(tail -n1 "$tmp/rss") / 1024" | bc -l)" "$([ $st = 0 ] || echo "  (exit $st)")"
