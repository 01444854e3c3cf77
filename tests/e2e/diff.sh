# keikaku diff and editions: the second edition of 001 (corpus/src/
# gen_ogori_action_plan_r5.py) against the first gives the changes of
# corpus/gold/001-ogori-action-plan-r5.diff.jsonl (written by the generator
# from its edits); the same through --db and --plan; v_item_history puts
# the two in publication order and keeps a renumbered item one item.
. "$(dirname "$0")/_lib.sh"
C="$KK_ROOT/corpus"; T="$E2E_TMP"
OLD="$C/001-ogori-action-plan.pdf"; NEW="$C/001-ogori-action-plan-r5.pdf"
GOLD="$C/gold/001-ogori-action-plan-r5.diff.jsonl"
# compare GOT DESC: the changes as sets; values without white space (a
# long cell's line breaks are the layout's, not the plan's); with FACTS=1
# the table facts' changes ("fact:…") against FGOLD (the generator's, from
# the 目標達成率一覧 rows of both editions), else the other changes
FGOLD="$C/gold/001-ogori-action-plan-r5.fact-diff.jsonl"
compare() {
  local g="$GOLD"; [ -n "$FACTS" ] && g="$FGOLD"
  FACTS="$FACTS" python3 - "$g" "$1" <<'PY' > "$T/cmp" 2>&1
import json, os, re, sys
facts = bool(os.environ.get("FACTS"))
def key(o):
    sq = lambda v: None if v is None else re.sub(r"\s+", "", v)
    return (o["change"], o["item_no"], o["old_item_no"], o["title"], o["field"],
            sq(o["old"]), sq(o["new"]), o["old_page"], o["new_page"])
gold = [key(json.loads(l)) for l in open(sys.argv[1], encoding="utf-8") if l.strip()]
got = [key(o) for o in (json.loads(l) for l in open(sys.argv[2], encoding="utf-8") if l.strip())
       if (o["field"] or "").startswith("fact:") == facts]
missing = [g for g in gold if g not in got]; extra = [g for g in got if g not in gold]
print("gold %d, got %d, missing %s, extra %s" % (len(gold), len(got), missing[:3], extra[:3]))
sys.exit(1 if missing or extra else 0)
PY
  if [ $? = 0 ]; then ok "$2: $(cat "$T/cmp")"; else bad "$2: $(head -c 1500 "$T/cmp")"; fi
}
[ -f "$NEW" ] && [ -f "$GOLD" ] && [ -f "$FGOLD" ] || { bad "corpus second edition missing"; finish; }

expect_status 1 "diff --json of two editions (changes: exit 1)" "$KEIKAKU" diff --json "$OLD" "$NEW"
cp "$T/out" "$T/pdf.jsonl"
compare "$T/pdf.jsonl" "two PDFs match the hand-made gold"
FACTS=1 compare "$T/pdf.jsonl" "table facts: two PDFs match the generator's fact-diff gold"
expect_status 1 "diff --csv" "$KEIKAKU" diff --csv "$OLD" "$NEW"
[ "$(head -n1 "$T/out" | tr -d "\r")" = "change,item_no,old_item_no,title,field,old,new,old_page,new_page" ] \
  && ok "CSV header" || bad "CSV header: $(head -n1 "$T/out")"
expect_status 1 "diff as text" "$KEIKAKU" diff "$OLD" "$NEW"
grep -q '^~ renumbered 1-3 → 1-2 市SNSの情報発信力強化 (p.5 → p.4)' "$T/out" && ok "text names the renumbering with pages" \
  || bad "text renumbering: $(head -n 5 "$T/out")"
grep -q '^+ added 1-3 窓口手続のオンライン化 (p.5)' "$T/out" && ok "text names the added item" || bad "text added"
expect_status 0 "a document against itself: no change, exit 0" "$KEIKAKU" diff --json "$OLD" "$OLD"
[ ! -s "$T/out" ] && ok "no output" || bad "no output: $(head -c 300 "$T/out")"

# editions in the database: ingested newest first, still in publication order
"$KEIKAKU" ingest -q --db "$T/e.db" "$NEW" "$OLD" "$C/000-ogori-action-items.pdf" >/dev/null 2>&1
ed=$(sqlite3 "$T/e.db" "SELECT group_concat(edition_no || ':' || edition_label || ':' || substr(d.file, -10), ' ')
  FROM (SELECT * FROM kk_editions ORDER BY plan_id, edition_no) e JOIN documents d ON d.id = e.document_id
  WHERE plan_title = 'もっとつながるまち小郡アクションプラン'")
[ "$ed" = "1:令和4年度実績反映版:n-plan.pdf 2:令和5年度実績反映版:lan-r5.pdf" ] && ok "two editions in publication order" \
  || bad "editions: $ed"
plan=$(sqlite3 "$T/e.db" "SELECT plan_id FROM kk_editions WHERE plan_title = 'もっとつながるまち小郡アクションプラン' LIMIT 1")
hist=$(sqlite3 "$T/e.db" "SELECT group_concat(edition || ':' || item_no, ' ') FROM v_item_history
  WHERE plan = $plan AND item = (SELECT item FROM v_item_history WHERE plan = $plan AND title = '市SNSの情報発信力強化' LIMIT 1)")
[ "$hist" = "1:1-3 2:1-2" ] && ok "v_item_history: renumbered item is one item (1-3 then 1-2)" || bad "history: $hist"
n=$(sqlite3 "$T/e.db" "SELECT count(DISTINCT item) FROM v_item_history WHERE plan = $plan")
[ "$n" = 41 ] && ok "41 items over both editions (40 + 1 added)" || bad "items over both editions: $n"
a=$(sqlite3 "$T/e.db" "SELECT achievements FROM v_item_history WHERE plan = $plan AND item_no = '1-1' AND edition = 2")
echo "$a" | grep -q '"fiscal_year":2023,"rate":40' && ok "history carries achievements as JSON" || bad "achievements: $a"
expect_status 1 "diff --db by file names" "$KEIKAKU" diff --db "$T/e.db" --json 001-ogori-action-plan.pdf 001-ogori-action-plan-r5.pdf
compare "$T/out" "--db gives the gold"
FACTS=1 compare "$T/out" "--db gives the fact-diff gold"
expect_status 1 "diff --db --plan (last two editions)" "$KEIKAKU" diff --db "$T/e.db" --json --plan "$plan"
compare "$T/out" "--plan gives the gold"

# table facts: the same document twice (a copy with a byte appended after
# %%EOF, so another SHA-256); one fact's value changed and one fact deleted
# with sqlite3 in the copy; the expected changes are built from those rows
cp "$OLD" "$T/copy.pdf"; printf '\n' >> "$T/copy.pdf"
"$KEIKAKU" ingest -q --db "$T/f.db" "$OLD" "$T/copy.pdf" >/dev/null 2>&1
copy=$(sqlite3 "$T/f.db" "SELECT id FROM documents WHERE file LIKE '%copy.pdf'")
fkey="SELECT 'fact:' || coalesce(t.title, '#?') || ':' || coalesce(f.row_label, '') || ':' || coalesce(f.column_label, '')
  || ':' || coalesce(f.fiscal_year, '') FROM table_facts f JOIN tables t ON t.id = f.table_id"
ch=$(sqlite3 "$T/f.db" "SELECT min(f.id) FROM table_facts f JOIN tables t ON t.id = f.table_id
  WHERE f.document_id = $copy AND t.title IS NOT NULL AND f.value IS NOT NULL")
rm_=$(sqlite3 "$T/f.db" "SELECT max(f.id) FROM table_facts f JOIN tables t ON t.id = f.table_id
  WHERE f.document_id = $copy AND t.title IS NOT NULL AND f.value IS NOT NULL AND f.id <> $ch")
if [ -n "$ch" ] && [ -n "$rm_" ]; then
  old_v=$(sqlite3 "$T/f.db" "SELECT value || coalesce(unit, '') FROM table_facts WHERE id = $ch")
  rm_v=$(sqlite3 "$T/f.db" "SELECT value || coalesce(unit, '') FROM table_facts WHERE id = $rm_")
  ch_f=$(sqlite3 "$T/f.db" "$fkey WHERE f.id = $ch"); rm_f=$(sqlite3 "$T/f.db" "$fkey WHERE f.id = $rm_")
  sqlite3 "$T/f.db" "UPDATE table_facts SET value = 123456789 WHERE id = $ch; DELETE FROM table_facts WHERE id = $rm_"
  new_v="123456789$(sqlite3 "$T/f.db" "SELECT coalesce(unit, '') FROM table_facts WHERE id = $ch")"
  expect_status 1 "diff --db: an edited table fact (exit 1)" "$KEIKAKU" diff --db "$T/f.db" --json 001-ogori-action-plan.pdf "$copy"
  python3 - "$T/out" "$ch_f" "$old_v" "$new_v" "$rm_f" "$rm_v" <<'PY' > "$T/cmp" 2>&1
import json, sys
out, ch_f, old_v, new_v, rm_f, rm_v = sys.argv[1:]
got = [json.loads(l) for l in open(out, encoding="utf-8") if l.strip()]
want = [("changed", ch_f, old_v, new_v), ("removed", rm_f, rm_v, None)]
have = [(o["change"], o["field"], o["old"], o["new"]) for o in got]
print("want %s, got %s" % (want, have[:4]))
sys.exit(0 if sorted(have, key=str) == sorted(want, key=str) and all(o["item_no"] is None for o in got) else 1)
PY
  if [ $? = 0 ]; then ok "table facts: exactly the edited and the deleted fact"; else bad "table facts: $(head -c 1500 "$T/cmp")"; fi
  expect_status 1 "diff --db as text: the table fact" "$KEIKAKU" diff --db "$T/f.db" 001-ogori-action-plan.pdf "$copy"
  grep -qF -- "~ changed $ch_f (p." "$T/out" && grep -qF -- "    + $new_v" "$T/out" && ok "text names the fact and its new value" \
    || bad "text table fact: $(head -c 500 "$T/out")"
else
  bad "no titled table facts in $OLD to edit"
fi

# trouble is 2 or more
expect_status 2 "one file only" "$KEIKAKU" diff "$OLD"
expect_status 3 "a missing file" "$KEIKAKU" diff "$OLD" "$T/none.pdf"
echo "not a pdf" > "$T/x.pdf"
expect_status 3 "not a PDF" "$KEIKAKU" diff "$T/x.pdf" "$OLD"
expect_status 2 "unknown document in --db" "$KEIKAKU" diff --db "$T/e.db" 001-ogori-action-plan.pdf nothing.pdf
expect_status 8 "missing database" "$KEIKAKU" diff --db "$T/none.db" 1 2
expect_status 0 "diff --help" "$KEIKAKU" diff --help
finish
