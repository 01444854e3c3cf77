"""Builds corpus/005-munakata-year-list-calc.pdf: the year-column list of
corpus/src/yearlist/ (宗像市行政改革実施計画 一覧, see yearlist/yearlib.py)
made as a spreadsheet with LibreOffice Calc, the way a city's Excel list is
printed: A4 landscape, a title in A1 that overflows to the right, a
「単位：千円」 caption above the last column, a two-level header (年度別取組内容
over R6 / R7 / R8, the other headers spanning both rows) repeated on every
page as print titles, category rows merged across the sheet, every cell
ruled and vertically centred, effect amounts as numbers with a thousands
separator.  Calc never splits a row: the list runs over page breaks between
rows.  Line breaks inside cells are set where the cell wraps, so the gold
text is what is printed.

Writes the .fods source to corpus/build/, the PDF to corpus/ and
corpus/gold/005-munakata-year-list-calc.{tables.json,records.jsonl}.
Needs LibreOffice Calc (soffice) and pdftotext; a corpus tool only.
"""
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.join(HERE, "yearlist"))
import kkcalc  # noqa: E402
import kkcorpus  # noqa: E402
import yearlib  # noqa: E402

NAME = "005-munakata-year-list-calc"
TITLE = "宗像市行政改革実施計画（令和６年度～令和８年度）取組一覧"
FONT = "IPAPGothic"
SIZE = 10
MARGIN_LR = 1.2
WIDTHS = [1.1, 7.2, 3.4, 4.4, 4.4, 4.4, 2.4]          # = 27.3 cm
WRAP = [None, 19, 8.5, 11.5, 11.5, 11.5, None]       # full-width characters per line
HEADER = [["番号", "取組項目名", "所管", "年度別取組内容", "効果額\n（千円）"], ["R6", "R7", "R8"]]
HEADER_WORDS = {"番号", "取組項目名", "所管", "年度別取組内容", "効果額", "（千円）", "R6", "R7", "R8"}

def build_sheet(rows):
    """(the kkcalc.Sheet, gold table rows)."""
    sh = kkcalc.Sheet(WIDTHS, FONT, SIZE, landscape=True, margin_lr=MARGIN_LR, title=TITLE,
                      author=yearlib.MUNICIPALITY)
    st = {"title": sh.style("title", border=False, bold=True, size=14, valign="bottom", wrap=False),
          "unit": sh.style("unit", align="end", border=False, valign="bottom"),
          "head": sh.style("head", align="center", bold=True), "cat": sh.style("cat", bold=True),
          "num": sh.style("num", align="center"), "text": sh.style("text"),
          "year": sh.style("year", align="center"), "amount": sh.style("amount", align="end", number=True),
          "none": sh.style("none", align="center")}
    tc, cov = sh.cell, sh.COVERED
    gold = []
    sh.row([tc(TITLE, st["title"])] + [tc("", st["title"])] * 6, 1.6)
    sh.row([tc("", st["unit"])] * 6 + [tc("単位：千円", st["unit"])])
    h0, h1 = HEADER
    sh.begin_titles()
    sh.row([tc(h0[0], st["head"], rows=2), tc(h0[1], st["head"], rows=2), tc(h0[2], st["head"], rows=2),
            tc(h0[3], st["head"], cols=3), tc(h0[4], st["head"], rows=2)])
    sh.row([cov] * 3 + [tc(y, st["head"]) for y in h1] + [cov])
    sh.end_titles()
    gold.append([{"text": h0[0], "rowspan": 2, "colspan": 1}, {"text": h0[1], "rowspan": 2, "colspan": 1},
                 {"text": h0[2], "rowspan": 2, "colspan": 1}, {"text": h0[3], "rowspan": 1, "colspan": 3},
                 {"text": h0[4], "rowspan": 2, "colspan": 1}])
    gold.append(list(h1))
    for i, (cat, items) in enumerate(yearlib.categories(rows)):
        label = "%s　%s" % (yearlib.CATEGORY_NO[i], cat)
        sh.row([tc(label, st["cat"], cols=7)])
        gold.append([{"text": label, "rowspan": 1, "colspan": 7}])
        for r in items:
            texts = [r["no"], yearlib.wrap(r["title"], WRAP[1]), yearlib.wrap(r["dept"], WRAP[2])]
            texts += [yearlib.wrap(y, WRAP[3 + k]) for k, y in enumerate(r["years"])]
            cells = [tc(texts[0], st["num"]), tc(texts[1], st["text"]), tc(texts[2], st["text"])]
            cells += [tc(t, st["year"]) for t in texts[3:6]]
            if r["effect"] == "－":
                cells.append(tc("－", st["none"]))
            else:
                cells.append(tc(r["effect"], st["amount"], value=int(r["effect"].replace(",", ""))))
            sh.row(cells, max(t.count("\n") + 1 for t in texts))
            gold.append(texts + [r["effect"]])
    return sh, gold


def main():
    rows = yearlib.load()
    sh, grows = build_sheet(rows)
    os.makedirs(yearlib.BUILD, exist_ok=True)
    src = os.path.join(yearlib.BUILD, NAME + ".fods")
    sh.save(src)
    pdf = kkcorpus.to_pdf(src, yearlib.CORPUS)
    pt_cm = 72 / 2.54
    col0 = (MARGIN_LR * pt_cm, (MARGIN_LR + WIDTHS[0]) * pt_cm)
    item_pages, split, pages = yearlib.locate_rows(pdf, rows, col0, HEADER_WORDS)
    first, last = min(item_pages.values()), max(item_pages.values())
    tables = [{"id": "year-list", "pages": [first, last], "ruled": True, "header_rows": 2, "rows": grows}]
    labels = [("番号", "no"), ("取組項目名", "title"), ("所管", "dept")] + \
        [(y, "y%d" % k) for k, y in enumerate(HEADER[1])] + [(HEADER[0][4], "effect")]
    recs = yearlib.records(NAME, pdf, TITLE, rows, item_pages, pages, labels)
    yearlib.write_gold(NAME, tables, recs, check_pdf=pdf)
    print("  %s.pdf: %d pages, %d rows, %d records; page breaks after rows %s"
          % (NAME, pages, len(rows), len(recs) - 2,
             ", ".join(str(n) for n in sorted(item_pages) if n + 1 in item_pages
                       and item_pages[n + 1] != item_pages[n])))


if __name__ == "__main__":
    main()
