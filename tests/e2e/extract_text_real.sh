# keikaku extract's text side on PDFs made by other tools: letter-spaced
# (均等割付) words, vertical writing (縦書き) found from geometry, rows of big
# type, reading order beside a side box, units in cells.  What is right was
# read by eye from the pages rendered with pdftoppm (see each check).
# The LuaLaTeX 縦組 page is tests/fixtures/extract-text/tate.pdf (source
# beside it); the real PDFs are read from ../shared/real (README.md there
# says where each came from) and their checks are skipped without it.
. "$(dirname "$0")/_lib.sh"
py=/usr/bin/python3
fix="$KK_ROOT/tests/fixtures/extract-text"
real="$KK_ROOT/../shared/real"

# ---- 縦組 by LuaLaTeX: upright glyphs set one by one, no WMode 1 font ----
expect_status 0 "extract tate.pdf" "$KEIKAKU" extract "$fix/tate.pdf"
"$KEIKAKU" normalize < "$E2E_TMP/out" > "$E2E_TMP/tate.norm" 2>"$E2E_TMP/err" || bad "normalize tate: $(cat "$E2E_TMP/err")"
# Phrases of tate.tex in reading order (columns right to left, 縦中横 "18"
# in place): each must be found after the one before it in the page text.
$py - "$E2E_TMP/tate.norm" > "$E2E_TMP/score" <<'PY'
import json, sys
objs = [json.loads(l) for l in open(sys.argv[1], encoding="utf-8")]
page = [o for o in objs if o["type"] == "page"][0]
text = "".join(l["text"] for l in page["lines"])
phrases = ["令和二年度の予算", "村議会第一回定例会において", "令和2年度の当初予算が成立しました",
           "予算の総額は二十二億六千二百二十万円となり", "前年度に比べて一億五千七百七十万円の減となっています",
           "自主財源は三億七千百七十二万円で", "歳入全体の18パーセントです", "これは予算総額の減と同時に",
           "村債を財源とする事業が昨年度より減少しているためです", "歳出の主な内容",
           "公営住宅等長寿命化計画による本線団地個別改善事業が完了しました", "橋梁の補修工事も一部を終えています"]
pos, found = 0, 0
for p in phrases:
    k = text.find(p, pos)
    if k >= 0:
        found += 1
        pos = k + len(p)
vert = sum(1 for l in page["lines"] if l.get("vertical"))
print(f"{found}/{len(phrases)} phrases in order, {vert} vertical lines of {len(page['lines'])}, "
      f"{len(page['tables'])} tables")
sys.exit(0 if found >= 0.95 * len(phrases) and not page["tables"] and vert >= 8 else 1)
PY
[ $? = 0 ] && ok "tate: $(cat "$E2E_TMP/score")" || bad "tate: $(cat "$E2E_TMP/score") $(head -c 600 "$E2E_TMP/tate.norm")"

if [ ! -d "$real" ]; then
  echo "  skipped real PDFs: $real not found"
  finish
fi

# ---- 均等割付 in ruled cells ----
# fuji p250 (by eye): header cells 比較 and 特定財源 spread over their cells;
# p596: vertical cells 本年度, 前年度, 比較, 職員手当等の内訳.
fuji="$real/fuji_R6_ippan_kaikei_yosansho.pdf"
expect_status 0 "extract fuji whole book" "$KEIKAKU" extract "$fuji"
cp "$E2E_TMP/out" "$E2E_TMP/fuji.jsonl"
$py - "$E2E_TMP/fuji.jsonl" > "$E2E_TMP/score" <<'PY'
import json, sys
cells, split, single = {}, 0, 0
for l in open(sys.argv[1], encoding="utf-8"):
    o = json.loads(l)
    if o["type"] != "page":
        continue
    single += sum(1 for x in o["lines"] if x.get("table") is not None and len(x["text"]) == 1 and not x["text"].isdigit())
    for t in o["tables"]:
        for r in t["rows"]:
            for c in r:
                cells.setdefault(o["page"], []).append(c["text"])
                lines = c["text"].split("\n")
                if len(lines) >= 2 and sum(1 for x in lines if len(x) == 1 and not x.isdigit()) >= 2:
                    split += 1
want = {250: ["比較", "特定財源", "本年度予算額の財源内訳", "国県支出金"],
        596: ["本年度", "前年度", "比較", "職員手当等の内訳"]}
missing = [(p, w) for p, ws in want.items() for w in ws if w not in cells.get(p, [])]
print(f"cells split into single-glyph lines: {split}; single-glyph lines in cells: {single}; missing: {missing}")
sys.exit(0 if split == 0 and not missing else 1)
PY
[ $? = 0 ] && ok "fuji: $(cat "$E2E_TMP/score")" || bad "fuji: $(cat "$E2E_TMP/score")"

# otoineppu_kansui p4 (by eye): row labels spread over the label column.
expect_status 0 "extract kansui p4" "$KEIKAKU" extract --pages 4 "$real/otoineppu_kansui_keiei_senryaku.pdf"
$py - "$E2E_TMP/out" > "$E2E_TMP/score" <<'PY'
import json, sys
page = [json.loads(l) for l in open(sys.argv[1], encoding="utf-8")][1]
first = [r[0]["text"] for t in page["tables"] for r in t["rows"]]
want = ["施設・設備の長寿命化等の\n投資の平準化", "広域化", "その他の取組", "料金", "企業債", "繰入金",
        "その他の取組", "委託料", "修繕費", "動力費", "職員給与費", "その他の取組"]
missing = [w for w in want if w not in first]
print(f"{len(want) - len(missing)}/{len(want)} labels whole; missing {missing}")
sys.exit(0 if not missing and first.count("その他の取組") == 3 else 1)
PY
[ $? = 0 ] && ok "kansui p4: $(cat "$E2E_TMP/score")" || bad "kansui p4: $(cat "$E2E_TMP/score")"

# ---- big type whose font boxes overlap (kouhou p1, by eye: 令和２年度 over
# 当初予算成立, おといねっぷ over no.546) ----
kouhou="$real/otoineppu_kouhou_2020-03_yosan.pdf"
expect_status 0 "extract kouhou p1" "$KEIKAKU" extract --pages 1 "$kouhou"
$py -c 'import json,sys; p=[json.loads(l) for l in open(sys.argv[1])][1]; print("|".join(l["text"] for l in p["lines"]))' "$E2E_TMP/out" > "$E2E_TMP/p1"
if grep -q '|令和２年度|当初予算成立|' "$E2E_TMP/p1" && grep -q '|おといねっぷ|' "$E2E_TMP/p1" && ! grep -q '当令' "$E2E_TMP/p1"; then
  ok "kouhou p1: headline rows apart"
else
  bad "kouhou p1: $(cat "$E2E_TMP/p1")"
fi

# ---- 縦中横 in a vertical-mode font (kouhou p5, by eye: the article's
# columns read 2月3日～7日に新潟県妙高市にて開催された「第69回全国高等, …
# 女子部員3人のおと高が, …10位、) ----
expect_status 0 "extract kouhou p5" "$KEIKAKU" extract --pages 5 "$kouhou"
$py - "$E2E_TMP/out" > "$E2E_TMP/score" <<'PY'
import json, sys, unicodedata
page = [json.loads(l) for l in open(sys.argv[1], encoding="utf-8")][1]
lines = [unicodedata.normalize("NFKC", l["text"]) for l in page["lines"] if l.get("vertical")]
want = ["2月3日～7日に新潟県妙高市にて開催された「第69回全国高等", "女子部員3人のおと高が", "選手(2年)が10位、"]
missing = [w for w in want if not any(unicodedata.normalize("NFKC", w) in l for l in lines)]
print(f"{len(want) - len(missing)}/{len(want)} columns with 縦中横 in place; missing {missing}")
sys.exit(0 if not missing else 1)
PY
[ $? = 0 ] && ok "kouhou p5: $(cat "$E2E_TMP/score")" || bad "kouhou p5: $(cat "$E2E_TMP/score")"

# ---- reading order (kouhou p2 text lines, by eye): the lead paragraph at
# the left is read before the side box at its right, and below the
# vertical section heading 一般会計・歳入 the body column is read whole. ----
expect_status 0 "extract kouhou p2 --no-tables" "$KEIKAKU" extract --no-tables --pages 2 "$kouhou"
$py - "$E2E_TMP/out" > "$E2E_TMP/score" <<'PY'
import json, sys
page = [json.loads(l) for l in open(sys.argv[1], encoding="utf-8")][1]
t = [l["text"] for l in page["lines"]]
def at(prefix):
    return next((i for i, x in enumerate(t) if x.startswith(prefix)), -1)
lead = [at(p) for p in ("令和 2 年度当初予算が", "日まで開催された", "て成立しました", "円となり、前年度比", "ています。")]
box = at("予算総額 22 億")
body = [at(p) for p in ("全体の 66.57％", "5.25％となっています", "ると、地方交付税の", "の増となっています",
                        "同時に、村債を", "減少しているためです")]
okay = (-1 not in lead + body and box >= 0 and lead == sorted(lead) and lead[-1] < box
        and body == list(range(body[0], body[0] + len(body))))
print(f"lead {lead}, side box {box}, body {body}")
sys.exit(0 if okay else 1)
PY
[ $? = 0 ] && ok "kouhou p2 order: $(cat "$E2E_TMP/score")" || bad "kouhou p2 order: $(cat "$E2E_TMP/score")"

# ---- units in cells (kansui p1, by eye: 1070 … 人, 58.68 … ％ on one row;
# fuji p21: 千円 set small over each figure) ----
expect_status 0 "extract kansui p1" "$KEIKAKU" extract --pages 1 "$real/otoineppu_kansui_keiei_senryaku.pdf"
"$KEIKAKU" normalize < "$E2E_TMP/out" > "$E2E_TMP/k1.norm"
"$KEIKAKU" extract --pages 21 "$fuji" | "$KEIKAKU" normalize > "$E2E_TMP/f21.norm"
$py - "$E2E_TMP/k1.norm" "$E2E_TMP/f21.norm" > "$E2E_TMP/score" <<'PY'
import json, sys
spans = {}
for path in sys.argv[1:]:
    for l in open(path, encoding="utf-8"):
        o = json.loads(l)
        if o["type"] != "page":
            continue
        for t in o["tables"]:
            for r in t["rows"]:
                for c in r:
                    for s in c.get("spans", []):
                        spans[c["text"]] = (s["kind"], s["value"], s.get("unit"))
want = {"1070人": ("quantity", 1070, "人"), "675人": ("quantity", 675, "人"),
        "58.68 %": ("percent", 58.68, None), "46,460,600千円": ("amount", 46460600000, None)}
bad = {k: spans.get(k) for k, v in want.items() if spans.get(k) != v}
print(f"{len(want) - len(bad)}/{len(want)} cells read with their unit; wrong: {bad}")
sys.exit(0 if not bad else 1)
PY
[ $? = 0 ] && ok "units: $(cat "$E2E_TMP/score")" || bad "units: $(cat "$E2E_TMP/score")"

# ---- search finds the letter-spaced heading ----
qpdf --empty --pages "$fuji" 250 -- "$E2E_TMP/fuji250.pdf"
expect_status 0 "ingest fuji p250" "$KEIKAKU" ingest --db "$E2E_TMP/f.db" "$E2E_TMP/fuji250.pdf"
expect_status 0 "search 特定財源" "$KEIKAKU" search --db "$E2E_TMP/f.db" 特定財源
grep -q '\[特定財源\]' "$E2E_TMP/out" && ok "search finds 特定財源" || bad "search 特定財源: $(cat "$E2E_TMP/out" "$E2E_TMP/err")"
finish
