#!/usr/bin/python3
"""005-otoineppu-budget.pdf: 音威子府村 令和2年度 当初予算の概要, a new layout.

The numbers are those of 音威子府村's own 令和2年度 budget as published in
広報おといねっぷ 2020年3月号 (no.546) pages 2-3 (../shared/real/
otoineppu_kouhou_2020-03_yosan.pdf, as kept in the public repository
kayac/nepp-chan, kouhou/2020-03.pdf), read by eye from the rendered pages.
The layout is new and is not the newsletter's (which keikaku's extract
reads as prose beside unruled tables): the budget tables of a typical
予算の概要 made with a word processor, so that table facts are exercised on
units stated four ways —

- 歳入: a caption (単位：千円) above the table; the newsletter's 万円 figures
  are given in 千円 (8,759万円 = 87,590千円); row labels grouped
  自主財源/依存財源 in a merged first column; the year in the column header
  (令和2年度予算額); △ for decreases;
- 歳出: the unit in the header cells (予算額（万円）, 前年度比較（万円）), a
  percent column; long enough to run over a page break, with its header
  row repeated on the next page;
- 特別会計: the unit in every cell (9,700万円), an amount in 億 and 万.

Gold for tests/e2e/facts_corpus.sh: corpus/gold/005-otoineppu-budget.facts.tsv,
every fact of the three tables computed here from the figures below (the
source material, typed by hand from the newsletter), never from keikaku.
"""
import os
import sys
import unicodedata

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from kkcorpus import Document, GOTHIC, cell, to_pdf  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
CORPUS = os.path.dirname(HERE)
BUILD = os.path.join(CORPUS, "build")

# 歳入 (万円 in the newsletter; 千円 here): item, budget, share %, change
REVENUE_OWN = [
    ("村税", 87590, "4.42", "3,640"),
    ("分担金及び負担金", 2180, "0.11", "730"),
    ("使用料及び手数料", 51500, "2.60", "3,630"),
    ("財産収入", 20880, "1.05", "△190"),
    ("繰越金", 8000, "0.40", "0"),
    ("繰入金", 167170, "8.43", "△144,260"),
    ("諸収入", 34400, "1.73", "17,110"),
]
REVENUE_DEP = [
    ("各種交付金", 19800, "1.00", "△5,100"),
    ("地方譲与税", 49210, "2.48", "1,210"),
    ("地方交付税", 1320000, "66.57", "90,000"),
    ("国庫支出金", 85770, "4.33", "△47,780"),
    ("道支出金", 32400, "1.63", "△790"),
    ("村債", 104100, "5.25", "△66,200"),
]
# 歳出 (万円): item, budget, share, change
SPENDING = [
    ("議会費", "1,955", "0.99%", "△14"),
    ("総務費", "17,421", "8.79%", "△4,067"),
    ("民生費", "23,231", "11.72%", "△362"),
    ("衛生費", "19,149", "9.66%", "△1,592"),
    ("労働費", "34", "0.02%", "0"),
    ("農林水産費", "3,188", "1.61%", "△230"),
    ("商工費", "10,862", "5.48%", "△241"),
    ("土木費", "17,418", "8.78%", "△8,728"),
    ("消防費", "10,971", "5.53%", "△85"),
    ("教育費", "17,482", "8.82%", "△769"),
    ("災害復旧費", "1", "0.00%", "0"),
    ("公債費", "32,042", "16.16%", "8,362"),
    ("諸支出金", "0", "0.00%", "0"),
    ("給与費", "44,409", "22.39%", "△7,035"),
    ("予備費", "137", "0.07%", "△39"),
]
SPECIAL = [
    ("国民健康保険", "9,700万円", "△650万円"),
    ("簡易水道事業", "3,390万円", "△330万円"),
    ("農業集落排水事業", "3,550万円", "△520万円"),
    ("介護保険（保険事業）", "6,120万円", "510万円"),
    ("介護保険（サービス事業）", "3,280万円", "△410万円"),
    ("後期高齢者医療", "1,880万円", "430万円"),
    ("合計", "2億7,920万円", "△970万円"),
]


def fmt(n):
    return "{:,}".format(n)


def number(text, scale):
    """'△4,067' in units of `scale` yen -> -40670000; '2億7,920万円' -> 279200000."""
    t = text.replace(",", "").replace("円", "")
    sign = -1 if t.startswith("△") else 1
    t = t.lstrip("△")
    if "億" in t or "万" in t:
        oku, _, rest = t.partition("億") if "億" in t else ("0", "", t)
        man = rest.replace("万", "") or "0"
        return sign * (int(oku) * 100000000 + int(man) * 10000)
    return sign * int(t) * scale


def gold_facts():
    """(row_label, column_label, value, unit, fiscal_year) of every fact."""
    out = []
    for group, items in (("自主財源", REVENUE_OWN), ("依存財源", REVENUE_DEP)):
        for name, amount, share, change in items:
            label = group + " / " + name
            out.append((label, "令和2年度予算額", amount * 1000, "円", 2020))
            out.append((label, "構成比(%)", share, "%", ""))
            out.append((label, "前年度比較", number(change, 1000), "円", ""))
    out += [("合計", "令和2年度予算額", 1983000000, "円", 2020), ("合計", "構成比(%)", "100.00", "%", ""),
            ("合計", "前年度比較", -148000000, "円", "")]
    for name, amount, share, change in SPENDING + [("合計", "198,300", "100.00%", "△14,800")]:
        out.append((name, "予算額(万円)", number(amount, 10000), "円", ""))
        out.append((name, "構成比", share.rstrip("%"), "%", ""))
        out.append((name, "前年度比較(万円)", number(change, 10000), "円", ""))
    for name, amount, change in SPECIAL:
        out.append((name, "予算額", number(amount, 1), "円", ""))
        out.append((name, "前年度対比", number(change, 1), "円", ""))
    return [tuple(unicodedata.normalize("NFKC", str(v)) for v in f) for f in out]


def write_gold(path):
    with open(path, "w", encoding="utf-8") as f:
        f.write("# Every table fact of corpus/005-otoineppu-budget.pdf, from the figures of\n"
                "# corpus/src/gen_005_otoineppu_budget.py (typed from 広報おといねっぷ 2020-03).\n"
                "# Columns: row_label, column_label, value (base units), unit, fiscal_year.\n")
        for fact in gold_facts():
            f.write("\t".join(fact) + "\n")


def build():
    doc = Document(title="令和2年度 音威子府村 当初予算の概要", author="音威子府村")
    doc.para("北海道音威子府村", size=12, align="end")
    doc.para("令和2年度 当初予算の概要", font=GOTHIC, size=22, bold=True, align="center")
    doc.para("")
    doc.para("令和2年度の当初予算は、令和2年3月10日から12日まで開かれた村議会第1回定例会で成立しました。"
             "予算総額は22億6,220万円で、前年度より1億5,770万円の減となりました。"
             "一般会計は19億8,300万円、特別会計は2億7,920万円です。")
    doc.para("")
    doc.heading("1 一般会計 歳入", size=13)
    doc.para("村税などの自主財源は3億7,172万円で歳入全体の18.74%、地方交付税などの依存財源は16億1,128万円で"
             "81.26%となっています。")
    doc.para("表1 一般会計歳入予算", font=GOTHIC, bold=True)
    doc.para("(単位：千円)", align="end")
    rows = [["区分", cell("科目", bold=True), "令和2年度予算額", "構成比(%)", "前年度比較"]]
    for i, (name, amount, share, change) in enumerate(REVENUE_OWN):
        first = [cell("自主財源", rowspan=len(REVENUE_OWN))] if i == 0 else []
        rows.append(first + [name, fmt(amount), share, change])
    for i, (name, amount, share, change) in enumerate(REVENUE_DEP):
        first = [cell("依存財源", rowspan=len(REVENUE_DEP))] if i == 0 else []
        rows.append(first + [name, fmt(amount), share, change])
    rows.append([cell("合計", colspan=2), "1,983,000", "100.00", "△148,000"])
    doc.table(rows, [2.4, 4.2, 3.2, 2.4, 3.0], header_rows=1)
    doc.para("")
    doc.heading("2 一般会計 歳出", size=13)
    doc.para("歳出は前年度から1億4,800万円の減となりました。公営住宅等長寿命化計画による本線団地個別改善事業、"
             "橋梁長寿命化計画による橋梁補修工事の一部完了、旧咲来公民館及び旧青少年会館等公共施設解体撤去事業の"
             "完了等によるものですが、起債の償還等にかかる公債費は8,362万円の増となりました。")
    doc.para("")
    doc.para("表2 一般会計歳出予算（款別）", font=GOTHIC, bold=True)
    rows = [["款", "予算額（万円）", "構成比", "前年度比較（万円）"]]
    for name, amount, share, change in SPENDING:
        rows.append([name, amount, share, change])
    rows.append(["合計", "198,300", "100.00%", "△14,800"])
    doc.table(rows, [4.2, 3.6, 2.6, 4.0], header_rows=1)
    doc.para("")
    doc.heading("3 特別会計", size=13)
    doc.para("特別会計の予算総額は2億7,920万円で、前年度より970万円の減です。")
    doc.para("表3 特別会計予算", font=GOTHIC, bold=True)
    rows = [["会計区分", "予算額", "前年度対比"]] + [list(r) for r in SPECIAL]
    doc.table(rows, [5.6, 3.6, 3.4], header_rows=1)
    os.makedirs(BUILD, exist_ok=True)
    src = os.path.join(BUILD, "005-otoineppu-budget.fodt")
    doc.save(src)
    pdf = to_pdf(src, BUILD)
    os.replace(pdf, os.path.join(CORPUS, "005-otoineppu-budget.pdf"))
    write_gold(os.path.join(CORPUS, "gold", "005-otoineppu-budget.facts.tsv"))


if __name__ == "__main__":
    build()
