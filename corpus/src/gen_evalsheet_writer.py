"""Builds the LibreOffice Writer editions of the 事務事業評価シート of
corpus/src/evalsheets/ (see evalsheets/evallib.py), one sheet per A4 page:

  009-onojo-evaluation-sheets.pdf          ruled, IPA Mincho, shaded labels
  009-onojo-evaluation-sheets-unruled.pdf  the same without any rule or
                                           shading, IPAex Gothic

Each sheet: a label/value table (事業番号 / 担当課 / 事業名 / 施策 / 事業の目的
/ 事業の内容), a 「（単位：千円）」 caption over the cost table (区分 by
令和４年度決算 / 令和５年度決算見込 / 令和６年度予算: 事業費 and its sources),
the indicator table (指標名 / 単位 / 区分 with a 目標値 and a 実績値 row per
indicator, by fiscal year: the units are the indicator's, not the
caption's) and the evaluation table (評価 / 今後の方向性 / 改善内容).
Usage: gen_evalsheet_writer.py [ruled|unruled ...]   (default: both)
"""
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.join(HERE, "evalsheets"))
sys.path.insert(0, os.path.join(HERE, "ogori_cards"))
import cardlib  # noqa: E402
import evallib  # noqa: E402
import kkcorpus  # noqa: E402
from cardlib import GOTHIC, LABEL_BG, gcell  # noqa: E402

TITLE = "令和６年度　事務事業評価シート"
YEARS = ["令和４年度\n決算", "令和５年度\n決算見込", "令和６年度\n予算"]
IND_YEARS = ["令和４年度", "令和５年度", "令和６年度"]
COST_ROWS = [("事業費", "total"), ("国庫支出金", "national"), ("県支出金", "prefectural"),
             ("地方債", "bonds"), ("その他", "other"), ("一般財源", "general")]
EDITIONS = {"ruled": ("009-onojo-evaluation-sheets", kkcorpus.MINCHO, True),
            "unruled": ("009-onojo-evaluation-sheets-unruled", "IPAexGothic", False)}


def fields(s):
    """The labelled text cells of a sheet in reading order."""
    return [("事業番号", s["no"]), ("担当課", s["dept"]), ("事業名", s["title"]), ("施策", s["policy"]),
            ("事業の目的", s["purpose"]), ("事業の内容", s["content"]), ("評価", s["grade"]),
            ("今後の方向性", s["direction"]), ("改善内容", s["improvement"])]


def build(kind, data):
    name, font, ruled = EDITIONS[kind]
    bg = LABEL_BG if ruled else None

    def lab(t, **kw):
        return gcell(t, font=GOTHIC if ruled else font, bg=bg, align="center", valign="middle",
                     bold=not ruled, **kw)

    def val(t, **kw):
        return gcell(t, valign="middle", **kw)
    doc = cardlib.CardDocument(footer="- {page} -", font=font, size=10, margin_cm=2.0,
                               title=TITLE, author=data["city"])
    for i, s in enumerate(data["sheets"]):
        if i:
            doc.page_break()
        doc.para(TITLE, font=GOTHIC if ruled else font, size=14, bold=True, align="center")
        doc.para("%s　%s" % (data["prefecture"], data["city"]), size=9, align="end")
        doc.grid("basic-" + s["no"], [
            [lab("事業番号"), val(s["no"]), lab("担当課"), val(s["dept"])],
            [lab("事業名"), val(s["title"], colspan=3)],
            [lab("施策"), val(s["policy"], colspan=3)],
            [lab("事業の目的"), val(s["purpose"], colspan=3)],
            [lab("事業の内容"), val(s["content"], colspan=3)]],
            [2.8, 5.2, 2.4, 6.6], ruled=ruled, split_rows=False, keep_together=True,
            anchors=(s["no"],))
        doc.para("■ 事業費の推移", font=GOTHIC if ruled else font, size=10.5, bold=True)
        doc.para("（単位：千円）", size=9, align="end")
        rows = [[lab("区分")] + [lab(y) for y in YEARS]]
        for label, k in COST_ROWS:
            rows.append([lab(label)] + [gcell(evallib.money(c[k]), align="end", valign="middle")
                                        for c in s["costs"]])
        doc.grid("cost-" + s["no"], rows, [4.0, 4.3, 4.3, 4.4], header_rows=1, ruled=ruled,
                 split_rows=False, keep_together=True, anchors=(s["no"],))
        doc.para("■ 成果指標", font=GOTHIC if ruled else font, size=10.5, bold=True)
        rows = [[lab("指標名"), lab("単位"), lab("区分")] + [lab(y) for y in IND_YEARS]]
        for ind in s["indicators"]:
            t = [gcell(v or evallib.NONE, align="end", valign="middle") for v in ind["target"]]
            a = [gcell(v or evallib.NONE, align="end", valign="middle") for v in ind["actual"]]
            rows.append([val(ind["name"], rowspan=2), gcell(ind["unit"], rowspan=2, align="center", valign="middle"),
                         lab("目標値")] + t)
            rows.append([lab("実績値")] + a)
        doc.grid("ind-" + s["no"], rows, [5.0, 1.4, 1.8, 2.9, 2.9, 3.0], header_rows=1, ruled=ruled,
                 split_rows=False, keep_together=True, anchors=(s["no"],))
        doc.para("■ 評価", font=GOTHIC if ruled else font, size=10.5, bold=True)
        doc.grid("eval-" + s["no"], [
            [lab("評価"), val(s["grade"], align="center"), lab("今後の方向性"), val(s["direction"], align="center")],
            [lab("改善内容"), val(s["improvement"], colspan=3)]],
            [2.8, 5.2, 2.4, 6.6], ruled=ruled, split_rows=False, keep_together=True,
            anchors=(s["no"],))
    os.makedirs(evallib.BUILD, exist_ok=True)
    src = os.path.join(evallib.BUILD, name + ".fodt")
    doc.save(src)
    pdf = kkcorpus.to_pdf(src, evallib.CORPUS)
    pages, texts = evallib.sheet_pages(pdf, data)
    tables = []
    for t in doc.gold_tables:
        p = pages[t["id"].split("-", 1)[1]]
        tables.append({"id": t["id"], "pages": [p, p], "ruled": ruled, "header_rows": t["header_rows"],
                       "rows": t["rows"]})
    evallib.check_tables(name, tables, texts)
    recs = evallib.records(name, pdf, TITLE, data, pages, fields)
    evallib.write_gold(name, tables, recs)
    print("  %s.pdf: %d pages, %d tables, %d records" % (name, len(texts), len(tables), len(recs) - 2))


def main():
    data = evallib.load()
    for k in sys.argv[1:] or list(EDITIONS):
        if k not in EDITIONS:
            raise SystemExit("usage: gen_evalsheet_writer.py [ruled|unruled ...]")
        build(k, data)


if __name__ == "__main__":
    main()
