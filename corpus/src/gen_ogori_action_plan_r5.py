"""Builds corpus/001-ogori-action-plan-r5.pdf: a second edition of the plan
of corpus/001-ogori-action-plan.pdf (もっとつながるまち小郡アクションプラン,
令和５年度実績反映版), written for the editions/diff tests (it is not a
publication of 小郡市), and corpus/gold/001-ogori-action-plan-r5.diff.jsonl,
the changes from the first edition, written from the edits below (EDITS),
with pages from both editions' gold records (which the generators find in
the PDFs' text), never from keikaku; and
corpus/gold/001-ogori-action-plan-r5.fact-diff.jsonl, the changes of the
目標達成率一覧 table's facts, written from the table's rows in both editions
under the matching rule docs/SCHEMA.md gives for diff (table title, row
label, column label, fiscal year).

The edits of this edition, on the source data of the first one:
  - card 1-2 (市長発信用SNS開設) dropped, with its row of the 目標達成率一覧;
  - card 1-3 renumbered 1-2, its R5計画 changed (フォロワー数 9,000 → 9,500);
  - a new card 1-3 (窓口手続のオンライン化) added, with a row in the table;
  - card 5-2's 目標 (the target) moved: 累計25地区 → 累計30地区;
  - the 令和5年度 column of the 目標達成率一覧 filled for 1-1, 2-1 and 3-1
    (progress), and 3-2's 令和4年度 rate corrected 10.0% → 20.0%.

Usage: python3 gen_ogori_action_plan_r5.py [--fact-gold]
  --fact-gold  only (re)write the fact-diff gold (no LibreOffice needed)
"""
import json
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import gen_ogori_action_plan as first  # noqa: E402
from cardlib import nfkc, squash  # noqa: E402

CORPUS = os.path.dirname(HERE)
NAME = "001-ogori-action-plan-r5"

NEW_CARD = {
    "no": "1-3",
    "担当課": "総務広報課",
    "取組名": "窓口手続のオンライン化",
    "現状": "・窓口での申請手続の多くが紙の申請書によるもので、来庁が必要となっている。\n・オンラインで申請できる手続は15件（R5.3月末現在）",
    "課題": "市民の利便性向上のため、申請件数の多い手続から順次オンライン化を進める必要がある。",
    "目標": "オンラインで申請できる手続 R6年度末までに累計60件を目指す",
    "R3実績": "-",
    "R4実績": "-",
    "R5計画": "・オンライン化する手続の選定\n・申請件数の多い手続から順次オンライン化（累計30件）",
    "R6計画": "・オンライン化の拡大（累計60件）\n・利用状況の分析と周知",
}
NEW_ROW = ["1-3", "窓口手続のオンライン化", "総務広報課", "", "30.0%", ""]
TARGET_CARD, TARGET_OLD, TARGET_NEW = "5-2", "累計25地区", "累計30地区"
PLAN_CARD, PLAN_OLD, PLAN_NEW = "1-3", "フォロワー数累計9,000を目指す", "フォロワー数累計9,500を目指す"
R5_RATES = {"1-1": "40.0%", "2-1": "100.0%", "3-1": "50.0%"}
R4_FIX = ("3-2", "10.0%", "20.0%")


def edit(sections, ach):
    """The edits of this edition (module docstring), on the first's data."""
    s1 = sections[0]
    s1["cards"] = [c for c in s1["cards"] if c["no"] != "1-2"]
    for c in s1["cards"]:
        if c["no"] == PLAN_CARD:
            assert PLAN_OLD in c["R5計画"]
            c["R5計画"] = c["R5計画"].replace(PLAN_OLD, PLAN_NEW)
            c["no"] = "1-2"
    s1["cards"].append(dict(NEW_CARD))
    for s in sections:
        for c in s["cards"]:
            if c["no"] == TARGET_CARD:
                assert TARGET_OLD in c["目標"]
                c["目標"] = c["目標"].replace(TARGET_OLD, TARGET_NEW)
    rows = [ach[0]]
    for row in ach[1:]:
        no = row[0]
        if no == "1-2":
            continue
        if no == "1-3":
            row[0] = "1-2"
            rows.append(row)
            rows.append(list(NEW_ROW))
            continue
        if no in R5_RATES:
            row[4] = R5_RATES[no]
        if no == R4_FIX[0]:
            assert row[3] == R4_FIX[1]
            row[3] = R4_FIX[2]
        rows.append(row)
    return sections, rows


class SecondEdition(first.Edition):
    def __init__(self):
        super().__init__(False)
        self.name = NAME
        self.report = 5


def index(recs):
    """item_no → (item record, its schedules by (year, kind), achievements by year)."""
    by_key = {}
    out = {}
    for r in recs:
        if r["type"] == "item":
            by_key[r["key"]] = r["item_no"]
            out[r["item_no"]] = (r, {}, {})
    for r in recs:
        if r["type"] == "schedule":
            out[by_key[r["item"]]][1][(r["fiscal_year"], r["kind"])] = r
        elif r["type"] == "achievement":
            out[by_key[r["item"]]][2][r["fiscal_year"]] = r
    return out


def field(item, label):
    return next(f for f in item["fields"] if f["label"] == label)


def rate(text):
    return "%g" % float(text.rstrip("%"))


def change(kind, no, old_no, title, fld=None, old=None, new=None, old_page=None, new_page=None):
    return {"change": kind, "item_no": no, "old_item_no": old_no, "title": title, "field": fld,
            "old": old, "new": new, "old_page": old_page, "new_page": new_page}


def gold_changes(old, new):
    """The changes EDITS make, in the order keikaku diff lists them is not
    required (tests compare sets); pages from the two gold record sets."""
    out = []
    o12 = old["1-2"][0]
    out.append(change("removed", "1-2", "1-2", o12["title"], old_page=o12["page"]))
    o13, n12 = old["1-3"][0], new["1-2"][0]
    out.append(change("renumbered", "1-2", "1-3", n12["title"], "item_no", "1-3", "1-2",
                      o13["page"], n12["page"]))
    f_old, f_new = field(o13, "R5計画"), field(n12, "R5計画")
    out.append(change("changed", "1-2", "1-3", n12["title"], "field:R5計画", f_old["value"],
                      f_new["value"], f_old["page"], f_new["page"]))
    s_old, s_new = old["1-3"][1][(2023, "plan")], new["1-2"][1][(2023, "plan")]
    out.append(change("changed", "1-2", "1-3", n12["title"], "schedule:2023:plan", s_old["text"],
                      s_new["text"], s_old["page"], s_new["page"]))
    n13 = new["1-3"][0]
    out.append(change("added", "1-3", None, nfkc(NEW_CARD["取組名"]), new_page=n13["page"]))
    label = "計画期間内の目標"
    o, n = old[TARGET_CARD][0], new[TARGET_CARD][0]
    out.append(change("changed", TARGET_CARD, TARGET_CARD, n["title"], "field:" + label,
                      field(o, label)["value"], field(n, label)["value"],
                      field(o, label)["page"], field(n, label)["page"]))
    for no, r in R5_RATES.items():
        a = new[no][2][2023]
        out.append(change("changed", no, no, new[no][0]["title"], "achievement:2023", None, rate(r),
                          old[no][0]["page"], a["page"]))
    no = R4_FIX[0]
    a_old, a_new = old[no][2][2022], new[no][2][2022]
    out.append(change("changed", no, no, new[no][0]["title"], "achievement:2022", rate(R4_FIX[1]),
                      rate(R4_FIX[2]), a_old["page"], a_new["page"]))
    return out


ACH_TITLE = "目標達成率一覧"
ACH_YEARS = [(4, 2022), (5, 2023), (6, 2024)]   # 令和N年度 columns → fiscal year


def table_facts(rows, idx):
    """(row label, column label, fiscal year) → (value, page) of the
    achievement table's numeric cells (rows as read_achievements gives them,
    the 全体平均 row first); pages from the gold records' achievements."""
    out = {}
    for r in rows[1:]:
        no, title, dept = r[0], r[1], r[2]
        row_label = " / ".join((no, title, dept))
        for (n, year), cell in zip(ACH_YEARS, r[3:6]):
            if cell:
                out[(row_label, "令和%d年度" % n, year)] = (rate(cell) + "%", idx[no][2][year]["page"])
    return out


def gold_fact_changes(old_rows, new_rows, old, new):
    """The table fact changes EDITS make: keys present in one edition only
    are added or removed (a renumbered row's label changes, so its facts
    are removed under the old label and added under the new one), keys in
    both with another value changed.  The 全体平均 row is not edited."""
    assert old_rows[0] == new_rows[0]
    a, b = table_facts(old_rows, old), table_facts(new_rows, new)
    out = []
    for key in sorted(set(a) | set(b), key=str):
        o, n = a.get(key), b.get(key)
        if o and n and o[0] == n[0]:
            continue
        kind = "added" if o is None else "removed" if n is None else "changed"
        out.append(change(kind, None, None, ACH_TITLE, "fact:%s:%s:%s:%d" % ((ACH_TITLE,) + key),
                          o and o[0], n and n[0], o and o[1], n and n[1]))
    return out


def write_jsonl(name, objs):
    with open(os.path.join(CORPUS, "gold", name), "w", encoding="utf-8") as f:
        for c in objs:
            f.write(json.dumps(c, ensure_ascii=False) + "\n")
    print("%s: %d changes" % (name, len(objs)))


def read_gold(name):
    with open(os.path.join(CORPUS, "gold", name + ".records.jsonl"), encoding="utf-8") as f:
        return index([json.loads(line) for line in f])


def fact_gold():
    """Writes the fact-diff gold from the achievement rows of both editions
    (the first's data, and the same data through edit())."""
    import copy
    rows = first.read_achievements(os.path.join(first.DATA, "001-achievements.tsv"))
    sections = first.read_cards(os.path.join(first.DATA, "001-cards.txt"))
    _, new_rows = edit(copy.deepcopy(sections), copy.deepcopy(rows))
    old, new = read_gold("001-ogori-action-plan"), read_gold(NAME)
    write_jsonl(NAME + ".fact-diff.jsonl", gold_fact_changes(rows, new_rows, old, new))


def main():
    if sys.argv[1:] == ["--fact-gold"]:
        fact_gold()
        return
    old_path = os.path.join(CORPUS, "gold", "001-ogori-action-plan.records.jsonl")
    with open(old_path, encoding="utf-8") as f:
        old = index([json.loads(line) for line in f])
    _, _, _, _, recs = first.build(False, SecondEdition(), edit)
    new = index(recs)
    write_jsonl(NAME + ".diff.jsonl", gold_changes(old, new))
    fact_gold()


if __name__ == "__main__":
    main()
