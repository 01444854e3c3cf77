"""Builds corpus/009-onojo-evaluation-sheets-calc.pdf: the 事務事業評価シート
of corpus/src/evalsheets/ (see evalsheets/evallib.py) made as one
spreadsheet with LibreOffice Calc (IPA P Gothic, a manual page break before
each sheet), with other labels and column order than the Writer editions:
事業コード / 所管課 / 事務事業名 / 施策名 / 事業目的 / 事業内容; the cost table
turned round (fiscal years as rows, 事業費 and its sources as columns) under
a units row 「事業費の推移（単位：千円）」 inside the table; the indicators as
成果指標 / 区分 (目標 / 実績) / R4年度 R5年度 R6年度 / 単位 (the unit column
last); 一次評価 / 方向性 / 改善策.  Amounts are numbers with a thousands
separator; line breaks inside cells are set where the cell wraps.
Needs LibreOffice Calc (soffice) and pdftotext.
"""
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.join(HERE, "evalsheets"))
sys.path.insert(0, os.path.join(HERE, "yearlist"))
import evallib  # noqa: E402
import kkcalc  # noqa: E402
import kkcorpus  # noqa: E402
from yearlib import wrap  # noqa: E402

NAME = "009-onojo-evaluation-sheets-calc"
TITLE = "事務事業評価シート（令和６年度）"
WIDTHS = [2.6, 2.6, 2.4, 2.4, 2.4, 2.4, 2.6]
WIDE = 40            # full-width characters per line in a cell over columns 2-7
YEAR_ROWS = ["令和４年度\n決算", "令和５年度\n決算見込", "令和６年度\n予算"]
COST_COLS = [("事業費", "total"), ("国庫支出金", "national"), ("県支出金", "prefectural"),
             ("地方債", "bonds"), ("その他", "other"), ("一般財源", "general")]


def fields(s):
    return [("事業コード", s["no"]), ("所管課", s["dept"]), ("事務事業名", s["title"]), ("施策名", s["policy"]),
            ("事業目的", s["purpose"]), ("事業内容", s["content"]), ("一次評価", s["grade"]),
            ("方向性", s["direction"]), ("改善策", s["improvement"])]


def build(data):
    sh = kkcalc.Sheet(WIDTHS, "IPAPGothic", 10, margin_lr=1.8, title=TITLE, author=data["city"])
    st = {"title": sh.style("title", border=False, bold=True, size=14, valign="bottom", wrap=False),
          "blank": sh.style("blank", border=False),
          "lab": sh.style("lab", align="center", bold=True, bg="#dde8f0"),
          "text": sh.style("text"), "c": sh.style("c", align="center"),
          "num": sh.style("num", align="end", number=True), "r": sh.style("r", align="end")}
    tc, cov = sh.cell, sh.COVERED
    tables = []
    span = lambda t, r=1, c=1: t if r == c == 1 else {"text": t, "rowspan": r, "colspan": c}
    for i, s in enumerate(data["sheets"]):
        sh.row([tc(TITLE, st["title"])] + [tc("", st["blank"])] * 6, height=1.0, page_break=i > 0)
        sh.row([tc("", st["blank"])] * 5 + [tc("%s　%s" % (data["prefecture"], data["city"]), st["blank"], cols=2)])
        texts = {k: wrap(s[k], WIDE) for k in ("purpose", "content", "improvement")}
        sh.row([tc("事業コード", st["lab"]), tc(s["no"], st["text"], cols=3), tc("所管課", st["lab"]),
                tc(s["dept"], st["text"], cols=2)])
        basic = [["事業コード", span(s["no"], 1, 3), "所管課", span(s["dept"], 1, 2)]]
        for lab, k in (("事務事業名", "title"), ("施策名", "policy"), ("事業目的", "purpose"), ("事業内容", "content")):
            t = texts.get(k, s[k])
            sh.row([tc(lab, st["lab"]), tc(t, st["text"], cols=6)], t.count("\n") + 1)
            basic.append([lab, span(t, 1, 6)])
        tables.append(("basic-" + s["no"], 0, basic))
        sh.row([tc("", st["blank"])] * 7, height=0.4)
        caption = "事業費の推移（単位：千円）"
        sh.row([tc(caption, st["lab"], cols=7)])
        sh.row([tc("年度", st["lab"])] + [tc(h, st["lab"]) for h, _ in COST_COLS])
        cost = [[span(caption, 1, 7)], ["年度"] + [h for h, _ in COST_COLS]]
        for y, c in zip(YEAR_ROWS, s["costs"]):
            cells = [tc(y, st["c"])]
            for _, k in COST_COLS:
                cells.append(tc(evallib.money(c[k]), st["num"], value=c[k]) if c[k] else tc(evallib.NONE, st["c"]))
            sh.row(cells, 2)
            cost.append([y] + [evallib.money(c[k]) for _, k in COST_COLS])
        tables.append(("cost-" + s["no"], 2, cost))
        sh.row([tc("", st["blank"])] * 7, height=0.4)
        head = ["成果指標", "区分", "R4年度", "R5年度", "R6年度", "単位"]
        sh.row([tc(head[0], st["lab"], cols=2)] + [tc(h, st["lab"]) for h in head[1:]])
        ind = [[span(head[0], 1, 2)] + head[1:]]
        for x in s["indicators"]:
            name = wrap(x["name"], 14)
            t = [v or evallib.NONE for v in x["target"]]
            a = [v or evallib.NONE for v in x["actual"]]
            sh.row([tc(name, st["text"], cols=2, rows=2), tc("目標", st["c"])] + [tc(v, st["r"]) for v in t]
                   + [tc(x["unit"], st["c"], rows=2)], max(1, (name.count("\n") + 2) // 2))
            sh.row([cov, cov, tc("実績", st["c"])] + [tc(v, st["r"]) for v in a] + [cov],
                   max(1, (name.count("\n") + 2) // 2))
            ind.append([span(name, 2, 2), "目標"] + t + [span(x["unit"], 2, 1)])
            ind.append(["実績"] + a)
        tables.append(("ind-" + s["no"], 1, ind))
        sh.row([tc("", st["blank"])] * 7, height=0.4)
        sh.row([tc("一次評価", st["lab"]), tc(s["grade"], st["c"], cols=2), tc("方向性", st["lab"]),
                tc(s["direction"], st["c"], cols=3)])
        sh.row([tc("改善策", st["lab"]), tc(texts["improvement"], st["text"], cols=6)],
               texts["improvement"].count("\n") + 1)
        tables.append(("eval-" + s["no"], 0, [["一次評価", span(s["grade"], 1, 2), "方向性", span(s["direction"], 1, 3)],
                                              ["改善策", span(texts["improvement"], 1, 6)]]))
    return sh, tables


def main():
    data = evallib.load()
    sh, tabs = build(data)
    os.makedirs(evallib.BUILD, exist_ok=True)
    src = os.path.join(evallib.BUILD, NAME + ".fods")
    sh.save(src)
    pdf = kkcorpus.to_pdf(src, evallib.CORPUS)
    pages, texts = evallib.sheet_pages(pdf, data)
    tables = []
    for tid, hrows, rows in tabs:
        p = pages[tid.split("-", 1)[1]]
        tables.append({"id": tid, "pages": [p, p], "ruled": True, "header_rows": hrows, "rows": rows})
    evallib.check_tables(NAME, tables, texts)
    recs = evallib.records(NAME, pdf, TITLE, data, pages, fields)
    evallib.write_gold(NAME, tables, recs)
    print("  %s.pdf: %d pages, %d tables, %d records" % (NAME, len(texts), len(tables), len(recs) - 2))


if __name__ == "__main__":
    main()
