# keikaku extract --ocr on the real scan (corpus/real/otoineppu_rakuhyousetsu_scan.pdf):
# OCR reads it in auto mode, not with --ocr never; the text against the by-eye
# gold (corpus/real/otoineppu_rakuhyousetsu_scan.ocr-gold.txt); a copy turned by
# /Rotate is read upright; every line carries Tesseract's confidence.
. "$(dirname "$0")/_lib.sh"
real="$KK_ROOT/corpus/real"
scan="$real/otoineppu_rakuhyousetsu_scan.pdf"
gold="$real/otoineppu_rakuhyousetsu_scan.ocr-gold.txt"
score="$KK_ROOT/tests/e2e/_ocr_score.py"
py=/usr/bin/python3

tessdata=/usr/share/tesseract-ocr/5/tessdata
if [ ! -f "$tessdata/jpn.traineddata" ] || [ ! -f "$tessdata/osd.traineddata" ]; then
  echo "  skipped: Tesseract's jpn/osd data not installed (make deps)"
  finish
fi

expect_status 5 "extract --ocr never on a scan" "$KEIKAKU" extract --ocr never "$scan"
grep -q "no text layer" "$E2E_TMP/err" && ok "  says: no text layer" || bad "  stderr: $(cat "$E2E_TMP/err")"
expect_status 2 "extract --ocr sometimes" "$KEIKAKU" extract --ocr sometimes "$scan"
expect_status 5 "extract --ocr never on corpus/bad/image-only.pdf" "$KEIKAKU" extract --ocr never "$KK_ROOT/corpus/bad/image-only.pdf"

expect_status 0 "extract (auto) on a scan" "$KEIKAKU" extract "$scan"
cp "$E2E_TMP/out" "$E2E_TMP/scan.jsonl"
$py - "$E2E_TMP/scan.jsonl" > "$E2E_TMP/shape" <<'PY'
import json, sys
objs = [json.loads(l) for l in open(sys.argv[1], encoding="utf-8")]
assert [o["type"] for o in objs] == ["document", "page", "end"]
p = objs[1]
assert p["content"] == "image", p["content"]
o = p["ocr"]
assert o["engine"] == "tesseract" and o["orientation"] == 0 and o["dpi"] >= 200 and o["words"] > 100, o
assert abs(o["skew"]) < 1.0 and o["vertical"] is False, o
assert p["rotation"] == 0 and p["width"] == 595.4, (p["rotation"], p["width"])
lines = p["lines"]
assert len(lines) > 30
for l in lines:
    for w in l["ocr_words"]:
        assert 0 <= w["confidence"] <= 100 and w["text"], w
    if l["ocr_words"]:
        assert l["confidence"] == min(w["confidence"] for w in l["ocr_words"]), l
assert sum(1 for l in lines if l["ocr_words"]) >= 0.9 * len(lines)
for t in p["tables"]:
    for row in t["rows"]:
        for c in row:
            assert "ocr_words" in c, c
print("ok")
PY
[ "$(cat "$E2E_TMP/shape")" = ok ] && ok "scan: content image, ocr member, confidences on lines and cells" \
  || bad "scan shape: $(head -c 600 "$E2E_TMP/shape")"

"$KEIKAKU" normalize "$E2E_TMP/scan.jsonl" > "$E2E_TMP/scan.n.jsonl"
# measured 30/41 lines, 93.1% of characters (tesseract's own command line on
# the same page at 300 dpi: 27/41, 92.6%)
if $py "$score" "$gold" "$E2E_TMP/scan.n.jsonl" 0.65 0.88 > "$E2E_TMP/score"; then
  ok "scan text against the by-eye gold: $(cat "$E2E_TMP/score")"
else
  bad "scan text against the by-eye gold: $(cat "$E2E_TMP/score")"
fi
grep -q '音威子府村' "$E2E_TMP/scan.n.jsonl" && ok "the municipality is read" || bad "音威子府村 not found"
grep -q '"0166-61-0136"' "$E2E_TMP/scan.n.jsonl" && ok "a telephone number is read whole" || bad "0166-61-0136 not found whole"

# The same scan shown turned a quarter (qpdf sets /Rotate): OSD turns it back.
qpdf --rotate=+90 "$scan" "$E2E_TMP/turned.pdf"
expect_status 0 "extract a scan turned by /Rotate 90" "$KEIKAKU" extract "$E2E_TMP/turned.pdf"
"$KEIKAKU" normalize "$E2E_TMP/out" > "$E2E_TMP/turned.n.jsonl"
$py -c '
import json, sys
p = [json.loads(l) for l in open(sys.argv[1])][1]
assert p["ocr"]["orientation"] == 270 and p["rotation"] == 270, p["ocr"]
assert p["width"] < p["height"], (p["width"], p["height"])
print("ok")' "$E2E_TMP/turned.n.jsonl" > "$E2E_TMP/shape" 2>&1
[ "$(cat "$E2E_TMP/shape")" = ok ] && ok "turned scan read upright (orientation 270)" || bad "turned scan: $(cat "$E2E_TMP/shape")"
if $py "$score" "$gold" "$E2E_TMP/turned.n.jsonl" 0.6 0.8 > "$E2E_TMP/score"; then
  ok "turned scan text: $(cat "$E2E_TMP/score")"
else
  bad "turned scan text: $(cat "$E2E_TMP/score")"
fi

# The whole pipeline on the scan: loaded, its municipality known from its
# text, its words searchable.
expect_status 0 "ingest the scan" "$KEIKAKU" ingest --db "$E2E_TMP/scan.db" "$scan"
m=$(sqlite3 "$E2E_TMP/scan.db" "SELECT municipality FROM documents")
[ "$m" = "音威子府村" ] && ok "ingested scan: municipality $m" || bad "ingested scan: municipality '$m'"
# ingest passes --ocr through to extract, with -j 1 and in workers (-j 2)
for j in 1 2; do
  expect_status 1 "ingest -j $j --ocr never on the scan" "$KEIKAKU" ingest -q -j $j --ocr never --db "$E2E_TMP/never$j.db" "$scan"
  grep -q "OCR is off" "$E2E_TMP/out" && ok "  says OCR is off" || bad "  ingest --ocr never: $(head -c 300 "$E2E_TMP/out")"
done
expect_status 2 "ingest --ocr sometimes" "$KEIKAKU" ingest --ocr sometimes --db "$E2E_TMP/x.db" "$scan"
"$KEIKAKU" search --db "$E2E_TMP/scan.db" 落氷雪 > "$E2E_TMP/hits" 2>&1
grep -q "^1 hit" "$E2E_TMP/hits" && ok "search finds 落氷雪 in the scan" || bad "search: $(head -c 300 "$E2E_TMP/hits")"

# A scanned edition of a ruled table (corpus/scan, 300 dpi, skewed, noisy,
# JPEG): the rulings found in the picture give the original's grid, each
# cell is read on its own (no text crosses a wall, no ruling read as |),
# and the cells say what the original's text layer says (NFKC, spaces
# dropped).  Measured: 17 x 6, 92 of 92 cells.
orig="$KK_ROOT/corpus/011-munakata-fiscal-outlook-calc.pdf"
ed="$KK_ROOT/corpus/scan/011-munakata-fiscal-outlook-calc-scan300.pdf"
"$KEIKAKU" extract --ocr never "$orig" > "$E2E_TMP/orig.jsonl"
expect_status 0 "extract a scanned edition of a ruled table" "$KEIKAKU" extract "$ed"
$py - "$E2E_TMP/orig.jsonl" "$E2E_TMP/out" > "$E2E_TMP/cells" <<'PY'
import json, sys, unicodedata
def grid(path):
    page = [json.loads(l) for l in open(path, encoding="utf-8")][1]
    t = page["tables"][0]
    return [["".join(unicodedata.normalize("NFKC", c["text"]).split()) for c in row] for row in t["rows"]]
a, b = grid(sys.argv[1]), grid(sys.argv[2])
assert [len(r) for r in a] == [len(r) for r in b], ([len(r) for r in a], [len(r) for r in b])
cells = [(x, y) for ra, rb in zip(a, b) for x, y in zip(ra, rb)]
same = sum(1 for x, y in cells if x == y)
assert not any("|" in y for _, y in cells), [y for _, y in cells if "|" in y]
print("%d x %d, %d of %d cells" % (len(a), max(len(r) for r in a), same, len(cells)))
sys.exit(0 if same >= 0.95 * len(cells) else 1)
PY
[ $? = 0 ] && ok "scanned ruled table against the original's: $(cat "$E2E_TMP/cells")" \
  || bad "scanned ruled table: $(head -c 600 "$E2E_TMP/cells")"

# --ocr force on a page with a text layer: OCR replaces it and reads about
# the same text (the text layer is the reference here, not a gold file).
pdf="$KK_ROOT/corpus/000-ogori-action-items.pdf"
expect_status 0 "extract --ocr force --pages 1" "$KEIKAKU" extract --ocr force --pages 1 "$pdf"
"$KEIKAKU" normalize "$E2E_TMP/out" > "$E2E_TMP/forced.jsonl"
"$KEIKAKU" extract --ocr never --pages 1 "$pdf" | "$KEIKAKU" normalize > "$E2E_TMP/layer.jsonl"
$py - "$E2E_TMP/layer.jsonl" "$E2E_TMP/forced.jsonl" "$KK_ROOT/tests/e2e" > "$E2E_TMP/cmp" <<'PY'
import json, sys
sys.path.insert(0, sys.argv[3])
from _ocr_score import levenshtein as lev
def page(path):
    return [json.loads(l) for l in open(path, encoding="utf-8")][1]
def text(p):
    return "".join("".join(l["text"].split()) for l in p["lines"])
layer, forced = page(sys.argv[1]), page(sys.argv[2])
assert "ocr" not in layer and "ocr" in forced and forced["content"] == "text"
a, b = text(layer), text(forced)
acc = 1 - lev(a, b) / len(a)
print("%.1f%%" % (100 * acc))
sys.exit(0 if acc >= 0.8 else 1)
PY
[ $? = 0 ] && ok "--ocr force reads the text layer's text: $(cat "$E2E_TMP/cmp") of characters" \
  || bad "--ocr force: $(cat "$E2E_TMP/cmp")"
# the OCR engine is a module beside the binary (bin/keikaku-ocr.so): a
# binary copied away from it says so on a scanned page and exits 5 (no
# text layer), while text pages need no module
mkdir -p "$E2E_TMP/alone"; cp "$KEIKAKU" "$E2E_TMP/alone/keikaku"
KEIKAKU_OCR_MODULE= expect_status 5 "a binary without its OCR module, on a scan" "$E2E_TMP/alone/keikaku" extract "$scan"
grep -q 'no text layer and the OCR engine (keikaku-ocr.so) cannot be loaded' "$E2E_TMP/err" \
  && ok "names the missing module" || bad "names the missing module: $(head -c 300 "$E2E_TMP/err")"
KEIKAKU_OCR_MODULE= expect_status 0 "the same binary on a text PDF" "$E2E_TMP/alone/keikaku" extract "$KK_ROOT/corpus/000-ogori-action-items.pdf"
finish
