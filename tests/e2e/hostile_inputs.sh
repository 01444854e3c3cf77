# Every input of the attacker's test (tests/hostile/README.md) with the exit
# status and the message it must give: crashes, hangs, unbounded reads,
# silent damage, lost output and misleading messages that keikaku once had.
. "$(dirname "$0")/_lib.sh"
H="$KK_ROOT/tests/hostile"
T="$E2E_TMP"

# has FILE TEXT DESC: the captured stderr (or FILE) contains TEXT
has() {
  if grep -qF -- "$2" "$1"; then ok "$3"; else bad "$3: no '$2' in: $(head -c 400 "$1")"; fi
}
# lines FILE N DESC: FILE has exactly N lines
lines() {
  local n; n=$(wc -l < "$1")
  if [ "$n" = "$2" ]; then ok "$3"; else bad "$3: $n lines: $(head -c 400 "$1")"; fi
}
K=$KEIKAKU

# pages and records of a corpus document, for the stream cases
"$K" extract "$KK_ROOT/corpus/003-arao-reform-outline.pdf" > "$T/p.jsonl" 2>/dev/null
"$K" normalize "$T/p.jsonl" > "$T/n.jsonl" 2>/dev/null
"$K" parse "$T/n.jsonl" > "$T/r.jsonl" 2>/dev/null

# ---- a negative PRAGMA user_version: refused, not a segfault ----
for v in -1 -5 -2147483648; do
  rm -f "$T/neg.db"*; sqlite3 "$T/neg.db" "PRAGMA user_version = $v"
  expect_status 8 "load on user_version $v" "$K" load --db "$T/neg.db" "$T/r.jsonl"
  has "$T/err" "schema version $v is not one keikaku writes" "load names the version"
  expect_status 8 "ingest on user_version $v" "$K" ingest --db "$T/neg.db" "$KK_ROOT/corpus/003-arao-reform-outline.pdf"
done

# ---- 100k levels of nesting: refused before json-glib recurses ----
expect_status 3 "normalize deep-nest-200k" "$K" normalize "$H/deep-nest-200k.jsonl"
has "$T/err" "deep-nest-200k.jsonl:1: JSON nested deeper than 64 levels" "normalize says where"
expect_status 3 "parse deep-nest-200k" "$K" parse "$H/deep-nest-200k.jsonl"
has "$T/err" "nested deeper than 64 levels" "parse says so"
expect_status 3 "load deep-nest-200k" "$K" load --db "$T/d.db" "$H/deep-nest-200k.jsonl"
has "$T/err" "nested deeper than 64 levels" "load says so"
expect_status 3 "parse --gold deep-nest-200k" "$K" parse --gold "$H/deep-nest-200k.jsonl" "$T/n.jsonl"
has "$T/err" "nested deeper than 64 levels" "parse --gold says so"

# ---- FIFOs: only regular files are inputs, wherever they are found ----
mkdir -p "$T/fifo"; mkfifo "$T/fifo/x.pdf"
expect_status 1 "ingest of a FIFO named x.pdf (no hang)" timeout 60 "$K" ingest --db "$T/f.db" "$T/fifo/x.pdf"
has "$T/err" "x.pdf: not a regular file" "the FIFO is named as not a regular file"
expect_status 1 "ingest of a directory holding a FIFO" timeout 60 "$K" ingest --db "$T/f.db" "$T/fifo"
has "$T/out" "failed: $T/fifo/x.pdf: not a regular file" "the summary lists it"
# pattern files: a symlink to /dev/zero and a FIFO
mkdir -p "$T/pz" "$T/pf"
cp "$KK_ROOT"/patterns/families/*.kpat "$KK_ROOT"/patterns/families/*.kpinc "$T/pz/"; cp "$KK_ROOT"/patterns/families/*.kpat "$KK_ROOT"/patterns/families/*.kpinc "$T/pf/"
ln -s /dev/zero "$T/pz/zero.kpat"; mkfifo "$T/pf/fifo.kpat"
expect_status 7 "parse with a pattern file that is /dev/zero (no unbounded read)" timeout 60 "$K" parse --patterns "$T/pz" "$T/n.jsonl"
has "$T/err" "zero.kpat: cannot read pattern file: not a regular file" "named as not a regular file"
expect_status 7 "parse with a pattern file that is a FIFO (no hang)" timeout 60 "$K" parse --patterns "$T/pf" "$T/n.jsonl"
has "$T/err" "fifo.kpat: cannot read pattern file: not a regular file" "named as not a regular file"

# ---- catastrophic backtracking: PCRE2's limit is an error at FILE:LINE ----
start=$(date +%s)
expect_status 6 "parse with /^(a+)+\$/ on 100 pages of aaa…a!" timeout 120 "$K" parse --patterns "$H/kpat-catastrophic" "$H/aaa-100.pages.jsonl"
has "$T/err" "kpat-catastrophic/hostile.kpat:4: regular expression /^(a+)+\$/ stopped: match limit exceeded" "names the rule's file and line"
[ $(( $(date +%s) - start )) -le 60 ] && ok "stops in seconds, not 110 s" || bad "took $(( $(date +%s) - start )) s"
[ ! -s "$T/out" ] && ok "no records written" || bad "records written: $(head -c 200 "$T/out")"

# ---- load refuses what breaks the database's invariants ----
for c in "doc-only:the document has 11 pages but 0 page records" \
         "page-no-duplicate:record 3: page 1 given twice" \
         "pages-negative:\"pages\" must be a page count from 1 to" \
         "value-bigint:integer 123456789012345678901234567890 does not fit in 64 bits"; do
  name=${c%%:*}; msg=${c#*:}
  rm -f "$T/inv.db"*
  expect_status 3 "load load__$name.jsonl" "$K" load --db "$T/inv.db" "$H/load__$name.jsonl"
  has "$T/err" "$msg" "load__$name: $msg"
  [ "$(sqlite3 "$T/inv.db" 'SELECT count(*) FROM documents')" = 0 ] && ok "load__$name: nothing stored" || bad "load__$name stored a document"
done
# a measure naming an unknown item, or an item that is not a key
python3 - "$T/r.jsonl" "$T/item.jsonl" <<'PY'
import json, sys
out = []
for line in open(sys.argv[1], encoding="utf-8"):
    o = json.loads(line)
    if o["type"] == "measure":
        o["item"] = 7
    out.append(json.dumps(o, ensure_ascii=False))
open(sys.argv[2], "w", encoding="utf-8").write("\n".join(out) + "\n")
PY
expect_status 3 "load a measure whose item is not a key" "$K" load --db "$T/item.db" "$T/item.jsonl"
has "$T/err" "\"item\" must be an item key or null" "says so"

# ---- parse checks the format version and the stream's structure ----
expect_status 3 "parse parse__version-2.jsonl" "$K" parse "$H/parse__version-2.jsonl"
has "$T/err" "object 1: not a keikaku-pages version 1 stream (format \"keikaku-pages\", version 2)" "names the version"
for v in 0 '"1"' 1e308; do
  sed "1s/\"version\": *1/\"version\": $v/" "$T/n.jsonl" > "$T/v.jsonl"
  expect_status 3 "parse with version $v" "$K" parse "$T/v.jsonl"
done
sed '1s/"version": *1,//' "$T/n.jsonl" > "$T/v.jsonl"
expect_status 3 "parse without a version" "$K" parse "$T/v.jsonl"
gzip -dc "$H/parse__two-documents.jsonl.gz" > "$T/two.jsonl"
expect_status 3 "parse parse__two-documents (a document before the end)" "$K" parse "$T/two.jsonl"
has "$T/err" "a new document before the previous one's end" "says so"

# ---- an empty stream is an error in every stage, so pipelines fail ----
printf '%%PDF-1.4\nnot really\n' > "$T/bad.pdf"
"$K" extract "$T/bad.pdf" 2>"$T/e1" | "$K" normalize 2>"$T/e2" | "$K" parse 2>"$T/e3" | "$K" load --db "$T/pipe.db" 2>"$T/e4"
st="${PIPESTATUS[*]}"
[ "$st" = "3 3 3 3" ] && ok "extract bad.pdf | normalize | parse | load: statuses 3 3 3 3" || bad "pipeline statuses $st"
has "$T/e2" "empty stream: no document object" "normalize says the stream is empty"
has "$T/e4" "empty stream: no document object" "load says the stream is empty"
expect_status 3 "load --db x.db <&- (stdin closed)" bash -c '"$0" load --db "$1" <&-' "$K" "$T/closed.db"
has "$T/err" "empty stream" "load says so"

# ---- write errors on stdout are never success ----
for cmd in "compare --db $T/d.db" "export --list" "parse --explain $T/n.jsonl" "--help" "extract --help" \
           "ingest --db $T/w.db $KK_ROOT/corpus/003-arao-reform-outline.pdf"; do
  expect_status 3 "keikaku $cmd > /dev/full" bash -c '"$0" $1 > /dev/full' "$K" "$cmd"
  has "$T/err" "write error on standard output: No space left on device" "it says so"
  expect_status 3 "keikaku $cmd >&- (stdout closed)" bash -c '"$0" $1 >&-' "$K" "$cmd"
  has "$T/err" "write error on standard output: it is closed" "it says so"
done

# ---- the JBIG2 bomb: refused before any decode, within the limits ----
start=$(date +%s)
expect_status 3 "extract --max-seconds=5 bomb_giant.pdf" timeout 60 "$K" extract --max-seconds=5 "$H/bomb_giant.pdf"
has "$T/err" "content on page 1 is encoded with the image filter JBIG2Decode" "names the filter"
lines "$T/err" 1 "one stderr line (no Poppler 'Out of memory')"
[ $(( $(date +%s) - start )) -le 10 ] && ok "in seconds" || bad "took $(( $(date +%s) - start )) s"
python3 "$H/mkpdf.py" "$T" "$H/bomb_giant.pdf"
expect_status 3 "extract of the same stream as a form XObject" timeout 60 "$K" extract --max-seconds=5 "$T/form-bomb.pdf"
has "$T/err" "encoded with the image filter JBIG2Decode" "names the filter"
mkdir -p "$T/bombs"; cp "$H/bomb_giant.pdf" "$T/form-bomb.pdf" "$T/bombs/"
expect_status 1 "ingest of both bombs" timeout 120 "$K" ingest --db "$T/b.db" "$T/bombs"
lines "$T/err" 2 "one stderr line per bomb"
grep -q "Out of memory" "$T/err" && bad "Poppler's message reached stderr" || ok "no Poppler message"

# ---- a line too long is the documented status 6 ----
python3 -c 'import sys; sys.stdout.write("{\"type\":\"document\",\"x\":\"" + "a" * (64 * 1024 * 1024) + "\"}\n")' > "$T/long.jsonl"
expect_status 6 "normalize of a line over 64 MiB" "$K" normalize "$T/long.jsonl"
has "$T/err" "long.jsonl:1: line longer than 67108864 bytes" "says so"
expect_status 6 "load of a line over 64 MiB" "$K" load --db "$T/l.db" "$T/long.jsonl"
rm -f "$T/long.jsonl"

# ---- ingest: what fails every file is reported once, with its status ----
mkdir -p "$T/three"; cp "$KK_ROOT"/corpus/00[0-2]-*[a-z].pdf "$T/three/"
expect_status 7 "ingest --patterns of a missing directory" "$K" ingest --db "$T/i.db" --patterns "$T/nope" "$T/three"
lines "$T/err" 1 "one line"; [ ! -s "$T/out" ] && ok "no file was run" || bad "files were run: $(head -c 200 "$T/out")"
mkdir -p "$T/rodir"
"$K" ingest -q --db "$T/rodir/ro.db" "$KK_ROOT/corpus/000-ogori-action-items.pdf" >/dev/null 2>&1
chmod 444 "$T/rodir/ro.db"; chmod 555 "$T/rodir"; chmod 755 "$T"
if [ "$(id -u)" = 0 ] && command -v setpriv >/dev/null; then
  asuser=(setpriv --reuid=65534 --regid=65534 --clear-groups)   # root writes anything: be nobody
else
  asuser=()
fi
if "${asuser[@]}" test -x "$KEIKAKU" && ! "${asuser[@]}" test -w "$T/rodir/ro.db"; then
  expect_status 8 "ingest into a read-only database" "${asuser[@]}" "$K" ingest --db "$T/rodir/ro.db" "$T/three"
  has "$T/err" "ro.db: the database is read-only" "says so"
  lines "$T/err" 1 "once"
  [ ! -s "$T/out" ] && ok "no file was run" || bad "files were run: $(head -c 200 "$T/out")"
else
  echo "  skipped ingest into a read-only database (cannot drop write permission here)"
fi
chmod 700 "$T"; chmod 755 "$T/rodir"
# a full disk, and SIGXFSZ: `ulimit -f` below what the documents need
for lim in 200 1500; do
  rm -f "$T/u.db"*
  expect_status 8 "ingest with ulimit -f $lim (no SIGXFSZ death)" bash -c 'ulimit -f $1; "$0" ingest -q --db "$2" "$3"' "$K" "$lim" "$T/u.db" "$T/three"
  lines "$T/err" 1 "one message"
  has "$T/err" "disk I/O error" "a database write error"
done

# ---- file names: controls escaped, `--` ends options ----
nl=$(printf 'a\nb\033[31mc\r.pdf')
cp "$KK_ROOT/corpus/000-ogori-action-items.pdf" "$T/$nl"
expect_status 3 "extract of a missing file with newline/ESC/CR in its name" "$K" extract "$T/x$nl"
lines "$T/err" 1 "one line"; has "$T/err" 'xa\nb\x1b[31mc\r.pdf' "controls escaped"
mkdir -p "$T/names"; cp "$T/$nl" "$T/names/"; printf 'x' > "$T/names/$(printf 'bad\033]0;owned\007.pdf')"
expect_status 1 "ingest of a directory with such names" "$K" ingest --db "$T/n.db" -- "$T/names"
grep -q $'\033' "$T/out" "$T/err" && bad "an escape reached the terminal" || ok "no raw escape in stdout or stderr"
has "$T/out" 'b\x1b[31mc\r.pdf: loaded' "the loaded file is named escaped"
has "$T/out" 'failed: '"$T"'/names/bad\x1b]0;owned\x07.pdf' "the summary names the failure escaped"
cp "$KK_ROOT/corpus/000-ogori-action-items.pdf" "$T/-x.pdf"
expect_status 0 "extract -- -x.pdf" bash -c 'cd "$1" && "$0" extract -- -x.pdf' "$K" "$T"
expect_status 0 "ingest -- -x.pdf" bash -c 'cd "$1" && "$0" ingest --db dd.db -- -x.pdf' "$K" "$T"
expect_status 0 "normalize -- FILE" "$K" normalize -- "$T/p.jsonl"
expect_status 0 "parse -- FILE" "$K" parse -- "$T/n.jsonl"
expect_status 0 "load -- FILE" "$K" load --db "$T/dd2.db" -- "$T/r.jsonl"

# ---- glyphs Poppler drops: a warning per page ----
expect_status 0 "extract of a page of 1,000,000 glyphs in 2 pt" "$K" extract "$T/dense-page.pdf"
has "$T/err" "page 1: only 49914 of the 1000000 characters it draws could be read" "warned"
expect_status 0 "extract aaa-lines.pdf (16 ordinary pages)" "$K" extract "$H/aaa-lines.pdf"
[ ! -s "$T/err" ] && ok "no warning on ordinary pages" || bad "warned: $(head -c 300 "$T/err")"

# ---- option messages ----
expect_status 2 "search -n -5 Q" "$K" search --db "$T/d.db" -n -5 Q
has "$T/err" "-n/--limit takes 0 (all) or a positive number" "names -n"
expect_status 2 "search --csv --json Q" "$K" search --db "$T/d.db" --csv --json Q
has "$T/err" "--csv and --json exclude each other" "names the pair"
expect_status 2 "compare --csv --json" "$K" compare --db "$T/d.db" --csv --json
has "$T/err" "--csv and --json exclude each other" "names the pair"

# ---- parse's memory does not grow with the tables of the pages it holds ----
python3 - "$T/n.jsonl" "$T/big.jsonl" <<'PY'
import json, sys
out = []
for line in open(sys.argv[1], encoding="utf-8"):
    o = json.loads(line)
    if o["type"] == "page":
        for t in o.get("tables", []):
            t["rows"] = [[{"text": "x", "row": r, "col": c, "rowspan": 1, "colspan": 1, "bbox": [0, 0, 1, 1]}
                          for c in range(120)] for r in range(120)]
    out.append(json.dumps(o, ensure_ascii=False))
open(sys.argv[2], "w", encoding="utf-8").write("\n".join(out) + "\n")
PY
/usr/bin/time -f %M -o "$T/rss-n" "$K" normalize "$T/big.jsonl" > /dev/null 2>&1
/usr/bin/time -f %M -o "$T/rss-p" "$K" parse "$T/big.jsonl" > /dev/null 2>&1
rn=$(tail -1 "$T/rss-n"); rp=$(tail -1 "$T/rss-p")
# normalize holds one line; parse, holding up to 16 pages, took 3x that
[ "$rp" -le $(( rn * 3 / 2 )) ] && ok "parse peak RSS ${rp} KB <= 1.5 x normalize's ${rn} KB (120x120 tables on 11 pages)" \
  || bad "parse peak RSS ${rp} KB, normalize ${rn} KB"
finish
