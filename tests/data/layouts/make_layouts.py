#!/usr/bin/python3
"""Layouts of our own making for the new families, as pages streams (the
JSON Lines `keikaku extract` writes, not yet normalized) and their gold
records, both written from the data below, never from keikaku's output.

  tests/data/layouts/make_layouts.py      writes NAME.pages.jsonl,
                                          NAME.records.jsonl and NAME.facts

Each family has two layouts that differ in labels, column order, header
shape, ruling and units (-a, -b: written with the family), and a third
(-c) written after the family and scored before any change to it (held
out): evaluation-sheet-c 0.96, implementation-plan-c 1.0, strategy-kpi-c
1.0, major-projects-c 0.647 (the year named only in the title, 特定財源),
fiscal-outlook-c 0.0 (its corner cell 項目 taken as the table's name);
the families then learnt them.  No PDF: these test the pattern families, not
extraction (corpus/ holds PDFs).  Standard library only.
"""
import json
import os

HERE = os.path.dirname(os.path.abspath(__file__))
FACTS = "item,field,schedule,measure,budget,series"


class Page:
    """One page: lines outside tables and ruled or unruled tables."""

    def __init__(self, no):
        self.no, self.y, self.lines, self.tables = no, 40.0, [], []

    def line(self, text, size=10.5, x=40.0):
        self.lines.append({"text": text, "bbox": [x, self.y, x + 14 * len(text), self.y + size * 1.2],
                           "size": size, "font": "Gothic", "table": -1})
        self.y += size * 1.6

    def table(self, rows, widths, ruled=True, header_rows=1):
        """rows: lists of cells, a cell is text or (text, rowspan, colspan);
        None marks a slot covered by a spanning cell."""
        top, h = self.y, 18.0
        xs = [40.0]
        for w in widths:
            xs.append(xs[-1] + w)
        out = []
        for r, row in enumerate(rows):
            cells = []
            for c, cell in enumerate(row):
                if cell is None:
                    continue
                text, rs, cs = (cell, 1, 1) if isinstance(cell, str) else cell
                cells.append({"text": text, "row": r, "col": c, "rowspan": rs, "colspan": cs,
                              "bbox": [xs[c], top + r * h, xs[c + cs], top + (r + rs) * h]})
            out.append(cells)
        self.tables.append({"ruled": ruled, "header_rows": header_rows, "bbox": [40.0, top, xs[-1], top + len(rows) * h],
                            "rows": out})
        self.y = top + len(rows) * h + 14

    def json(self):
        return {"type": "page", "page": self.no, "width": 595, "height": 842, "lines": self.lines, "tables": self.tables}


def write(name, family, pages, records, held_out=False):
    with open(os.path.join(HERE, name + ".pages.jsonl"), "w", encoding="utf-8") as f:
        docs = {"type": "document", "format": "keikaku-pages", "version": 1, "file": name + ".pdf",
                "pages": len(pages), "normalized": False}
        for o in [docs] + [p.json() for p in pages] + [{"type": "end", "pages": len(pages)}]:
            f.write(json.dumps(o, ensure_ascii=False) + "\n")
    with open(os.path.join(HERE, name + ".records.jsonl"), "w", encoding="utf-8") as f:
        for o in [{"type": "document", "family": family}] + records:
            f.write(json.dumps(o, ensure_ascii=False) + "\n")
    with open(os.path.join(HERE, name + ".facts"), "w") as f:
        f.write(FACTS + "\n")
    marker = os.path.join(HERE, name + ".heldout")
    if held_out:
        with open(marker, "w") as f:
            f.write("written after the family; scored before any change to it\n")
    elif os.path.exists(marker):
        os.remove(marker)


def item(key, no, title, dept, page, fields, category=None):
    return {"type": "item", "key": key, "item_no": no, "title": title, "department": dept, "category": category,
            "page": page, "fields": [{"label": l, "value": v} for l, v in fields]}


def measure(key, label, role, value, unit, fy, raw):
    return {"type": "measure", "item": key, "label": label, "role": role, "value": value, "unit": unit,
            "fiscal_year": fy, "raw": raw}


def budget(key, fy, **money):
    b = {"type": "budget", "item": key, "fiscal_year": fy}
    for m in ("total", "national", "prefectural", "bonds", "other", "general_fund"):
        b[m] = money.get(m)
    return b


def schedule(key, fy, kind, text):
    return {"type": "schedule", "item": key, "fiscal_year": fy, "kind": kind, "text": text}


# ---------------------------------------------------------------- 事務事業評価シート

SHEETS = [
    # no, name, department(s), purpose, cost rows by year (R4, R5, R6) in 千円:
    # total, national+prefectural, bonds, general fund; indicator, unit, targets, actuals
    ("1", "職員研修事業", ["人事課"], "職員の能力を高める", {2022: (1523, 300, 0, 1223), 2023: (1600, 300, 0, 1300), 2024: (1700, None, 0, 1700)},
     "研修参加者数", "人", (100, 120, 150), (95, 130, None)),
    ("2", "窓口案内の改善", ["市民課", "情報政策課"], "待ち時間を減らす", {2022: (820, None, None, 820), 2023: (900, 100, None, 800), 2024: (950, 100, None, 850)},
     "平均待ち時間", "分", (20, 15, 10), (22, 16, None)),
]


def sheet_a():
    """Ruled card, cost table with years across and a (単位:千円) caption, an
    indicator table with a unit column and 目標値/実績値 rows by year."""
    pages, recs = [], []
    for i, (no, name, depts, purpose, cost, ind, unit, tgt, act) in enumerate(SHEETS):
        p = Page(i + 1)
        p.line("令和6年度 事務事業評価シート", size=16)
        p.table([["事業番号", no, "担当課", "\n".join(depts)], ["事業名", (name, 1, 3), None, None],
                 [("事業の目的", 1, 4), None, None, None], [(purpose, 1, 4), None, None, None]], [90, 120, 90, 160], header_rows=0)
        p.line("(単位:千円)", x=420)
        yrs = sorted(cost)
        rows = [["区分"] + ["R%d%s" % (y - 2018, "決算" if y == 2022 else "予算") for y in yrs]]
        for label, k in (("事業費", 0), ("国県支出金", 1), ("地方債", 2), ("一般財源", 3)):
            rows.append([label] + ["-" if cost[y][k] is None else "{:,}".format(cost[y][k]) for y in yrs])
        p.table(rows, [120, 110, 110, 110])
        p.line("成果指標")
        p.table([["指標名", "単位", "区分", "R4", "R5", "R6"],
                 [(ind, 2, 1), (unit, 2, 1), "目標値"] + [str(v) for v in tgt],
                 [None, None, "実績値"] + ["-" if v is None else str(v) for v in act]], [150, 50, 60, 60, 60, 60])
        pages.append(p)
        key = "i%d" % (i + 1)
        recs.append(item(key, no, name, "、".join(depts), i + 1,
                         [("事業番号", no), ("担当課", "".join(depts)), ("事業名", name), ("事業の目的", purpose)]))
        for y in yrs:
            t, np_, b, g = cost[y]
            recs.append(budget(key, y, total=t * 1000, national=None if np_ is None else np_ * 1000,
                               bonds=None if b is None else b * 1000, general_fund=g * 1000))
        for y, v in zip((2022, 2023, 2024), tgt):
            recs.append(measure(key, ind, "target", v, unit, y, str(v)))
        for y, v in zip((2022, 2023, 2024), act):
            if v is not None:
                recs.append(measure(key, ind, "actual", v, unit, y, str(v)))
    write("evaluation-sheet-a", "evaluation-sheet", pages, recs)


def sheet_b():
    """Unruled, other labels (事務事業名, 所管課, 目的 below its label), cost
    rows by year with money kinds across and units in each header cell, the
    indicator's roles and years in its column headers (R5実績 | R6目標)."""
    pages, recs = [], []
    for i, (no, name, depts, purpose, cost, ind, unit, tgt, act) in enumerate(SHEETS):
        p = Page(i + 1)
        p.line("事務事業評価表(令和6年度)", size=16)
        p.table([["No.", no, "所管課", "\n".join(depts)], ["事務事業名", (name, 1, 3), None, None],
                 [("目的", 1, 4), None, None, None], [(purpose, 1, 4), None, None, None]], [90, 120, 90, 160], ruled=False, header_rows=0)
        rows = [["年度", "総事業費(千円)", "特定財源(千円)", "市債(千円)", "一般財源(千円)"]]
        for y in sorted(cost):
            t, np_, b, g = cost[y]
            rows.append(["令和%d年度" % (y - 2018)] + ["" if v is None else "{:,}".format(v) for v in (t, np_, b, g)])
        p.table(rows, [100, 100, 100, 100, 100], ruled=False)
        p.table([["成果指標", "単位", "R5実績", "R6目標"], [ind, unit, str(act[1]), str(tgt[2])]], [160, 60, 80, 80], ruled=False)
        pages.append(p)
        key = "i%d" % (i + 1)
        recs.append(item(key, no, name, "、".join(depts), i + 1,
                         [("No.", no), ("所管課", "".join(depts)), ("事務事業名", name), ("目的", purpose)]))
        for y in sorted(cost):
            t, np_, b, g = cost[y]
            recs.append(budget(key, y, total=t * 1000, other=None if np_ is None else np_ * 1000,
                               bonds=None if b is None else b * 1000, general_fund=g * 1000))
        recs.append(measure(key, ind, "actual", act[1], unit, 2023, str(act[1])))
        recs.append(measure(key, ind, "target", tgt[2], unit, 2024, str(tgt[2])))
    write("evaluation-sheet-b", "evaluation-sheet", pages, recs)


# ------------------------------------------------------- 実施計画 (year columns)

PLAN = [
    # no, item, department(s), plans R6..R8, effect R6..R8 (千円, None: -)
    ("1", "窓口の改善", ["市民課", "情報政策課"], ("検討", "実施", "実施"), (None, 1200, 1500)),
    ("2", "公共施設の見直し", ["財政課"], ("調査", "方針決定", "実施"), (500, 800, 800)),
    ("3", "電子申請の拡大", ["DX推進課"], ("実施", "拡大", "拡大"), (300, 300, None)),
]


def plan_a():
    """Ruled, years across under 実施計画, the effect per year under 効果額(千円)."""
    p = Page(1)
    p.line("行政改革実施計画", size=16)
    p.line("計画期間 令和6年度から令和8年度まで")
    rows = [[("No", 2, 1), ("取組項目", 2, 1), ("担当課", 2, 1), ("実施計画", 1, 3), None, None, ("効果額(千円)", 1, 3), None, None],
            [None, None, None, "R6", "R7", "R8", "R6", "R7", "R8"]]
    recs = []
    for i, (no, name, depts, plans, eff) in enumerate(PLAN):
        rows.append([no, name, "\n".join(depts)] + list(plans) + ["-" if v is None else "{:,}".format(v) for v in eff])
        key = "i%d" % (i + 1)
        recs.append(item(key, no, name, "、".join(depts), 1,
                         [("No", no), ("取組項目", name), ("担当課", "".join(depts))] +
                         [("実施計画R%d" % y, t) for y, t in zip((6, 7, 8), plans)] +
                         [("効果額(千円)R%d" % y, "-" if v is None else "{:,}".format(v)) for y, v in zip((6, 7, 8), eff)]))
        for y, t in zip((2024, 2025, 2026), plans):
            recs.append(schedule(key, y, "plan", t))
        for y, v in zip((2024, 2025, 2026), eff):
            if v is not None:
                recs.append(measure(key, "効果額", "target", v * 1000, "円", y, "{:,}".format(v)))
    p.table(rows, [30, 120, 80, 40, 40, 40, 50, 50, 50], header_rows=2)
    write("implementation-plan-a", "implementation-plan", [p], recs)


def plan_b():
    """Unruled, other labels and order (所管 first), 令和N年度 headers, the
    effect first with its unit in a caption, years of results and plans."""
    p = Page(1)
    p.line("実施計画(工程表)", size=16)
    p.line("(単位:千円)", x=420)
    rows = [[("所管", 2, 1), ("番号", 2, 1), ("実施項目", 2, 1), ("効果額", 1, 2), None, ("年度別計画", 1, 3), None, None],
            [None, None, None, "令和6年度", "令和7年度", "令和5年度実績", "令和6年度", "令和7年度"]]
    recs = []
    for i, (no, name, depts, plans, eff) in enumerate(PLAN):
        rows.append(["\n".join(depts), no, name] + ["" if v is None else "{:,}".format(v) for v in eff[:2]] + ["準備"] + list(plans[:2]))
        key = "i%d" % (i + 1)
        recs.append(item(key, no, name, "、".join(depts), 1,
                         [("所管", "".join(depts)), ("番号", no), ("実施項目", name)] +
                         [("効果額令和%d年度" % y, "" if v is None else "{:,}".format(v)) for y, v in zip((6, 7), eff[:2])] +
                         [("令和5年度実績", "準備")] +
                         [("年度別計画令和%d年度" % y, t) for y, t in zip((6, 7), plans[:2])]))
        for y, v in zip((2024, 2025), eff[:2]):
            if v is not None:
                recs.append(measure(key, "効果額", "target", v * 1000, "円", y, "{:,}".format(v)))
        recs.append(schedule(key, 2023, "actual", "準備"))
        for y, t in zip((2024, 2025), plans[:2]):
            recs.append(schedule(key, y, "plan", t))
    p.table(rows, [80, 30, 120, 60, 60, 60, 60, 60], ruled=False, header_rows=2)
    write("implementation-plan-b", "implementation-plan", [p], recs)


# ---------------------------------------------------------------- 総合戦略 KPI

KPI = [("転入者数", "人", 120, 2022, 150, 2027), ("観光入込客数", "千人", 85, 2022, 100, 2027),
       ("移住相談件数", "件", 40, 2023, 60, 2027)]


def count(v, unit):
    """A count in thousands is a count (85千人 is 85000 人, as normalize reads it)."""
    return (v * 1000, unit[1:]) if unit.startswith("千") else (v, unit)


def kpi_a():
    """Base value and base year in columns of their own (基準値 | 基準年度)."""
    p = Page(1)
    p.line("第2期 まち・ひと・しごと創生総合戦略", size=16)
    p.line("計画期間 令和5年度から令和9年度まで")
    rows = [["数値目標", "基準値", "基準年度", "目標値", "目標年度"]]
    recs = []
    for label, unit, base, by, goal, gy in KPI:
        rows.append([label, "%d%s" % (base, unit), "令和%d年度" % (by - 2018), "%d%s" % (goal, unit), "令和%d年度" % (gy - 2018)])
        recs.append(measure(None, label, "baseline", *count(base, unit), by, "%d%s" % (base, unit)))
        recs.append(measure(None, label, "target", *count(goal, unit), gy, "%d%s" % (goal, unit)))
    p.table(rows, [140, 80, 80, 80, 80])
    write("strategy-kpi-a", "strategy-kpi", [p], recs)


def kpi_b():
    """Unruled, the unit in a column of its own, roles in rows, years across."""
    p = Page(1)
    p.line("総合計画 実施計画 成果指標", size=16)
    rows = [["KPI", "単位", "区分", "R5", "R6", "R7"]]
    recs = []
    for label, unit, base, by, goal, gy in KPI:
        step = (goal - base) // 4
        t = [base + step, base + 2 * step, base + 3 * step]
        a = [base + step - 1, None, None]
        rows.append([(label, 2, 1), (unit, 2, 1), "目標値"] + [str(v) for v in t])
        rows.append([None, None, "実績値"] + ["" if v is None else str(v) for v in a])
        for y, v in zip((2023, 2024, 2025), t):
            recs.append(measure(None, label, "target", *count(v, unit), y, str(v)))
        recs.append(measure(None, label, "actual", *count(a[0], unit), 2023, str(a[0])))
    p.table(rows, [140, 50, 60, 60, 60, 60], ruled=False)
    write("strategy-kpi-b", "strategy-kpi", [p], recs)


# ---------------------------------------------------------------- 主な事業一覧

PROJECTS = [
    # no, name, department, last year's budget, this year's: total, 国, 県, 地方債, その他, 一般財源 (千円)
    ("1", "子育て支援センター運営事業", "こども課", 12000, (13500, 4000, 2000, None, None, 7500)),
    ("2", "道路橋りょう長寿命化事業", "建設課", 88000, (95000, 47500, None, 40000, None, 7500)),
    ("3", "地域公共交通確保事業", "企画課", 21000, (20500, None, 5000, None, 1500, 14000)),
]


def projects_a():
    """Ruled, the sources under a 財源内訳 group, two years of budgets."""
    p = Page(1)
    p.line("令和6年度当初予算 主要事業一覧", size=16)
    rows = [[("番号", 2, 1), ("事業名", 2, 1), ("担当課", 2, 1), ("令和5年度予算額(千円)", 2, 1), ("令和6年度予算額(千円)", 2, 1),
             ("財源内訳", 1, 5), None, None, None, None],
            [None, None, None, None, None, "国", "県", "地方債", "その他", "一般財源"]]
    recs = []
    for i, (no, name, dept, last, now) in enumerate(PROJECTS):
        rows.append([no, name, dept, "{:,}".format(last)] + ["" if v is None else "{:,}".format(v) for v in now])
        key = "i%d" % (i + 1)
        recs.append(item(key, no, name, dept, 1, [("番号", no), ("事業名", name), ("担当課", dept),
                                                    ("令和5年度予算額(千円)", "{:,}".format(last)),
                                                    ("令和6年度予算額(千円)", "{:,}".format(now[0]))] +
                         [(l, "" if v is None else "{:,}".format(v)) for l, v in zip(("国", "県", "地方債", "その他", "一般財源"), now[1:])]))
        recs.append(budget(key, 2023, total=last * 1000))
        m = dict(zip(("total", "national", "prefectural", "bonds", "other", "general_fund"), now))
        recs.append(budget(key, 2024, **{k: None if v is None else v * 1000 for k, v in m.items()}))
    p.table(rows, [30, 150, 70, 70, 70, 50, 50, 50, 50, 50], header_rows=2)
    write("major-projects-a", "major-projects", [p], recs)


def projects_b():
    """Unruled, the department first, one year, the unit in a caption, the
    sources under other names (国庫支出金, 県支出金, 市債)."""
    p = Page(1)
    p.line("主な事業(令和6年度予算)", size=16)
    p.line("(単位:千円)", x=420)
    rows = [["所管課", "No.", "事業名", "事業費", "国庫支出金", "県支出金", "市債", "その他", "一般財源"]]
    recs = []
    for i, (no, name, dept, last, now) in enumerate(PROJECTS):
        rows.append([dept, no, name] + ["" if v is None else "{:,}".format(v) for v in now])
        key = "i%d" % (i + 1)
        recs.append(item(key, no, name, dept, 1, [("所管課", dept), ("No.", no), ("事業名", name)] +
                         [(l, "" if v is None else "{:,}".format(v)) for l, v in
                          zip(("事業費", "国庫支出金", "県支出金", "市債", "その他", "一般財源"), now)]))
        m = dict(zip(("total", "national", "prefectural", "bonds", "other", "general_fund"), now))
        recs.append(budget(key, 2024, **{k: None if v is None else v * 1000 for k, v in m.items()}))
    p.table(rows, [70, 30, 150, 60, 60, 60, 60, 60, 60], ruled=False)
    write("major-projects-b", "major-projects", [p], recs)


# ------------------------------------------------------- 財政見通し / 投資・財政計画

def series(title, row, fy, value, unit):
    return {"type": "series", "table_title": title, "row_label": row, "fiscal_year": fy, "value": value, "unit": unit}


OUTLOOK = {"歳入": [("市税", (5432, 5480, 5510, 5530)), ("地方交付税", (3120, 3050, 3000, 2980)), ("歳入合計", (15200, 15010, 14900, 14850))],
           "歳出": [("人件費", (2800, 2820, 2850, 2860)), ("扶助費", (4100, 4180, 4250, 4300)), ("歳出合計", (15100, 15050, 14980, 14900))]}


def outlook_a():
    """Ruled, 百万円 in a caption over two tables, corner cells 歳入 / 歳出
    naming them, R6 … R9 headers."""
    p = Page(1)
    p.line("中期財政見通し", size=16)
    p.line("(単位:百万円)", x=420)
    recs = []
    for corner, rows in OUTLOOK.items():
        t = [[corner, "R6", "R7", "R8", "R9"]]
        for label, vals in rows:
            t.append([label] + ["{:,}".format(v) for v in vals])
            for y, v in zip((2024, 2025, 2026, 2027), vals):
                recs.append(series(corner, label, y, v * 1000000, "円"))
        p.table(t, [120, 70, 70, 70, 70])
    write("fiscal-outlook-a", "fiscal-outlook", [p], recs)


def outlook_b():
    """Unruled, a 投資・財政計画 of a water service: groups spanning rows (収益
    / 費用), 令和N年度 headers with 決算 and 見込, 千円 in a units row."""
    p = Page(1)
    p.line("投資・財政計画(収益的収支)", size=16)
    rows = [[("区分", 1, 2), None, "令和5年度決算", "令和6年度見込", "令和7年度", "令和8年度"],
            [("単位", 1, 2), None, "千円", "千円", "千円", "千円"],
            [("収益", 2, 1), "料金収入", "17,752", "17,207", "16,900", "16,600"],
            [None, "他会計繰入金", "8,725", "6,856", "7,000", "7,100"],
            [("費用", 2, 1), "職員給与費", "7,273", "7,297", "7,400", "7,450"],
            [None, "減価償却費", "9,100", "9,150", "9,200", "9,260"]]
    recs = []
    for r in rows[2:]:
        label = r[1]
        for y, v in zip((2023, 2024, 2025, 2026), r[2:]):
            recs.append(series("投資・財政計画(収益的収支)", label, y, int(v.replace(",", "")) * 1000, "円"))
    p.table(rows, [60, 100, 80, 80, 70, 70], ruled=False, header_rows=2)
    write("fiscal-outlook-b", "fiscal-outlook", [p], recs)


# ------------------------------------------ held out: written after the families

def sheet_c():
    """Held out (written after the family, scored without changing it):
    令和N年度 year headers with 決算/予算, 目標/実績 without 値, the
    purpose to the right of its label, an activity indicator in 回."""
    pages, recs = [], []
    data = [("3", "高齢者見守り事業", "福祉課", "一人暮らし高齢者の安否確認", {2022: (2400, 1200, None, 1200), 2023: (2500, 1250, None, 1250)},
             "訪問回数", "回", (300, 320), (310, 305))]
    for i, (no, name, dept, purpose, cost, ind, unit, tgt, act) in enumerate(data):
        p = Page(i + 1)
        p.line("事務事業評価シート(令和5年度実施分)", size=16)
        p.table([["No.", no, "担当課", dept], ["事業名", (name, 1, 3), None, None], ["事業の目的", (purpose, 1, 3), None, None]],
                [90, 120, 90, 160], header_rows=0)
        p.line("(単位:千円)", x=420)
        yrs = sorted(cost)
        rows = [["区分"] + ["令和%d年度%s" % (y - 2018, "決算" if y == 2022 else "予算") for y in yrs]]
        for label, k in (("事業費", 0), ("国県支出金", 1), ("一般財源", 3)):
            rows.append([label] + ["" if cost[y][k] is None else "{:,}".format(cost[y][k]) for y in yrs])
        p.table(rows, [120, 130, 130])
        p.table([["活動指標", "単位", "区分", "令和4年度", "令和5年度"],
                 [(ind, 2, 1), (unit, 2, 1), "目標"] + [str(v) for v in tgt],
                 [None, None, "実績"] + [str(v) for v in act]], [150, 50, 60, 80, 80])
        pages.append(p)
        key = "i1"
        recs.append(item(key, no, name, dept, 1, [("No.", no), ("担当課", dept), ("事業名", name), ("事業の目的", purpose)]))
        for y in yrs:
            t, np_, b, g = cost[y]
            recs.append(budget(key, y, total=t * 1000, national=np_ * 1000, general_fund=g * 1000))
        for y, v in zip((2022, 2023), tgt):
            recs.append(measure(key, ind, "target", v, unit, y, str(v)))
        for y, v in zip((2022, 2023), act):
            recs.append(measure(key, ind, "actual", v, unit, y, str(v)))
    write("evaluation-sheet-c", "evaluation-sheet", pages, recs, held_out=True)


def plan_c():
    """Held out: no number column, 担当部署, R6計画 | R7計画 headers, one
    effect column in the header's unit with no year."""
    p = Page(1)
    p.line("第3次行財政改革 実施計画", size=16)
    rows = [["取組事項", "担当部署", "R6計画", "R7計画", "効果額(千円)"]]
    recs = []
    for i, (name, dept, plans, eff) in enumerate([("使用料の見直し", "財政課", ("検討", "改定"), 2400),
                                                  ("庁舎照明のLED化", "管財課", ("設計", "工事"), 650)]):
        rows.append([name, dept] + list(plans) + ["{:,}".format(eff)])
        key = "i%d" % (i + 1)
        recs.append(item(key, None, name, dept, 1, [("取組事項", name), ("担当部署", dept), ("R6計画", plans[0]),
                                                    ("R7計画", plans[1]), ("効果額(千円)", "{:,}".format(eff))]))
        for y, t in zip((2024, 2025), plans):
            recs.append(schedule(key, y, "plan", t))
        recs.append(measure(key, "効果額", "target", eff * 1000, "円", None, "{:,}".format(eff)))
    p.table(rows, [150, 80, 60, 60, 80])
    write("implementation-plan-c", "implementation-plan", [p], recs, held_out=True)


def kpi_c():
    """Held out: years in the role headers, percents."""
    p = Page(1)
    p.line("総合戦略 重要業績評価指標(KPI)", size=16)
    rows = [["重要業績評価指標(KPI)", "現状値(令和5年度)", "目標値(令和9年度)"],
            ["合計特殊出生率", "1.32", "1.45"], ["市民満足度", "45.2%", "50.0%"]]
    recs = [measure(None, "合計特殊出生率", "baseline", 1.32, None, 2023, "1.32"),
            measure(None, "合計特殊出生率", "target", 1.45, None, 2027, "1.45"),
            measure(None, "市民満足度", "baseline", 45.2, "%", 2023, "45.2%"),
            measure(None, "市民満足度", "target", 50.0, "%", 2027, "50.0%")]
    p.table(rows, [200, 120, 120])
    write("strategy-kpi-c", "strategy-kpi", [p], recs, held_out=True)


def projects_c():
    """Held out: 予算額 with 特定財源 and 一般財源 only, a totals row."""
    p = Page(1)
    p.line("令和6年度 主な事業", size=16)
    p.line("(単位:千円)", x=420)
    rows = [["番号", "事業名", "所管課", "予算額", "特定財源", "一般財源"],
            ["1", "ごみ収集運搬事業", "環境課", "45,000", "5,000", "40,000"],
            ["2", "図書館運営事業", "生涯学習課", "30,000", "", "30,000"],
            ["", "合計", "", "75,000", "5,000", "70,000"]]
    recs = []
    for i, (no, name, dept, total, other, gen) in enumerate([("1", "ごみ収集運搬事業", "環境課", 45000, 5000, 40000),
                                                             ("2", "図書館運営事業", "生涯学習課", 30000, None, 30000)]):
        key = "i%d" % (i + 1)
        recs.append(item(key, no, name, dept, 1, [("番号", no), ("事業名", name), ("所管課", dept), ("予算額", "{:,}".format(total)),
                                                    ("特定財源", "" if other is None else "{:,}".format(other)), ("一般財源", "{:,}".format(gen))]))
        recs.append(budget(key, 2024, total=total * 1000, other=None if other is None else other * 1000, general_fund=gen * 1000))
    p.table(rows, [30, 150, 80, 70, 70, 70])
    write("major-projects-c", "major-projects", [p], recs, held_out=True)


def outlook_c():
    """Held out: 億円 with decimals in a caption, 項目 in the corner, the
    title line above names the table."""
    p = Page(1)
    p.line("財政収支見通し", size=16)
    p.line("単位:億円", x=420)
    rows = [["項目", "令和6年度", "令和7年度", "令和8年度"], ["市税", "54.3", "54.8", "55.1"], ["地方交付税", "31.2", "30.5", "30.0"]]
    recs = []
    for r in rows[1:]:
        for y, v in zip((2024, 2025, 2026), r[1:]):
            recs.append(series("財政収支見通し", r[0], y, int(round(float(v) * 100000000)), "円"))
    p.table(rows, [120, 80, 80, 80])
    write("fiscal-outlook-c", "fiscal-outlook", [p], recs, held_out=True)


if __name__ == "__main__":
    outlook_c()
    outlook_a()
    outlook_b()
    sheet_c()
    plan_c()
    kpi_c()
    projects_c()
    projects_a()
    projects_b()
    sheet_a()
    sheet_b()
    plan_a()
    plan_b()
    kpi_a()
    kpi_b()
