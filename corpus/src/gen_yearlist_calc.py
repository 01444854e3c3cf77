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
from xml.sax.saxutils import escape

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.join(HERE, "yearlist"))
import kkcorpus  # noqa: E402
import yearlib  # noqa: E402

NAME = "005-munakata-year-list-calc"
TITLE = "宗像市行政改革実施計画（令和６年度～令和８年度）取組一覧"
FONT = "IPAPGothic"
SIZE = 10
MARGIN_LR = 1.2
WIDTHS = [1.1, 7.2, 3.4, 4.4, 4.4, 4.4, 2.4]          # = 27.3 cm
WRAP = [None, 19, 8.5, 11.5, 11.5, 11.5, None]       # full-width characters per line
LINE_CM, PAD_CM = 0.46, 0.22
HEADER = [["番号", "取組項目名", "所管", "年度別取組内容", "効果額\n（千円）"], ["R6", "R7", "R8"]]
HEADER_WORDS = {"番号", "取組項目名", "所管", "年度別取組内容", "効果額", "（千円）", "R6", "R7", "R8"}

NS = ('xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
      'xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0" '
      'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" '
      'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
      'xmlns:fo="urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0" '
      'xmlns:svg="urn:oasis:names:tc:opendocument:xmlns:svg-compatible:1.0" '
      'xmlns:number="urn:oasis:names:tc:opendocument:xmlns:datastyle:1.0" '
      'xmlns:meta="urn:oasis:names:tc:opendocument:xmlns:meta:1.0" '
      'xmlns:dc="http://purl.org/dc/elements/1.1/"')


def cell_style(name, align="left", border=True, bold=False, size=SIZE, number=False, valign="middle",
               wrap=True):
    b = ' fo:border="0.06pt solid #000000"' if border else ' fo:border="none"'
    w = ' fo:font-weight="bold" style:font-weight-asian="bold"' if bold else ""
    ds = ' style:data-style-name="N3"' if number else ""
    return ('<style:style style:name="%s" style:family="table-cell"%s>'
            '<style:table-cell-properties%s style:vertical-align="%s" fo:wrap-option="%s" '
            'fo:padding="0.05cm"/><style:paragraph-properties fo:text-align="%s"/>'
            '<style:text-properties style:font-name="%s" style:font-name-asian="%s" '
            'fo:font-size="%spt" style:font-size-asian="%spt"%s/></style:style>'
            % (name, ds, b, valign, "wrap" if wrap else "no-wrap", align, FONT, FONT, size, size, w))


STYLES = "".join([
    '<number:number-style style:name="N3"><number:number number:decimal-places="0" '
    'number:min-integer-digits="1" number:grouping="true"/></number:number-style>',
    cell_style("title", border=False, bold=True, size=14, valign="bottom", wrap=False),
    cell_style("unit", align="end", border=False, valign="bottom"),
    cell_style("head", align="center", bold=True),
    cell_style("cat", bold=True),
    cell_style("num", align="center"),
    cell_style("text"),
    cell_style("year", align="center"),
    cell_style("amount", align="end", number=True),
    cell_style("none", align="center"),
    '<style:style style:name="ta1" style:family="table" style:master-page-name="PM1">'
    '<style:table-properties table:display="true" style:writing-mode="lr-tb"/></style:style>',
] + ['<style:style style:name="co%d" style:family="table-column"><style:table-column-properties '
     'fo:break-before="auto" style:column-width="%.2fcm"/></style:style>' % (i, w)
     for i, w in enumerate(WIDTHS)])


def row_style(h, cache):
    name = "ro%d" % int(round(h * 100))
    cache[name] = ('<style:style style:name="%s" style:family="table-row"><style:table-row-properties '
                   'style:row-height="%.2fcm" fo:break-before="auto" style:use-optimal-row-height="false"/>'
                   '</style:style>' % (name, h))
    return name


def tc(text, style, cols=1, rows=1, value=None):
    """One table:table-cell (a string, or a float when value is given)."""
    attrs = ""
    if cols > 1:
        attrs += ' table:number-columns-spanned="%d"' % cols
    if rows > 1:
        attrs += ' table:number-rows-spanned="%d"' % rows
    if value is not None:
        attrs += ' office:value-type="float" office:value="%d"' % value
    elif text:
        attrs += ' office:value-type="string"'
    paras = "".join("<text:p>%s</text:p>" % escape(t) for t in text.split("\n")) if text else ""
    out = '<table:table-cell table:style-name="%s"%s>%s</table:table-cell>' % (style, attrs, paras)
    return out + "<table:covered-table-cell/>" * (cols - 1)


def build_sheet(rows):
    """(fods xml, gold table rows)."""
    rstyles = {}
    xml, gold = [], []

    def add(cells, lines):
        xml.append('<table:table-row table:style-name="%s">%s</table:table-row>'
                   % (row_style(lines * LINE_CM + PAD_CM, rstyles), "".join(cells)))

    add([tc(TITLE, "title")] + [tc("", "title")] * 6, 1.6)
    add([tc("", "unit")] * 6 + [tc("単位：千円", "unit")], 1)
    h0, h1 = HEADER
    head = ['<table:table-header-rows>']
    head.append('<table:table-row table:style-name="%s">%s</table:table-row>' % (
        row_style(1 * LINE_CM + PAD_CM, rstyles),
        tc(h0[0], "head", rows=2) + tc(h0[1], "head", rows=2) + tc(h0[2], "head", rows=2)
        + tc(h0[3], "head", cols=3) + tc(h0[4], "head", rows=2)))
    head.append('<table:table-row table:style-name="%s">%s</table:table-row>' % (
        row_style(1 * LINE_CM + PAD_CM, rstyles),
        "<table:covered-table-cell/>" * 3 + "".join(tc(y, "head") for y in h1)
        + "<table:covered-table-cell/>"))
    head.append('</table:table-header-rows>')
    xml.extend(head)
    gold.append([{"text": h0[0], "rowspan": 2, "colspan": 1}, {"text": h0[1], "rowspan": 2, "colspan": 1},
                 {"text": h0[2], "rowspan": 2, "colspan": 1}, {"text": h0[3], "rowspan": 1, "colspan": 3},
                 {"text": h0[4], "rowspan": 2, "colspan": 1}])
    gold.append(list(h1))
    for i, (cat, items) in enumerate(yearlib.categories(rows)):
        label = "%s　%s" % (yearlib.CATEGORY_NO[i], cat)
        add([tc(label, "cat", cols=7)], 1)
        gold.append([{"text": label, "rowspan": 1, "colspan": 7}])
        for r in items:
            texts = [r["no"], yearlib.wrap(r["title"], WRAP[1]), yearlib.wrap(r["dept"], WRAP[2])]
            texts += [yearlib.wrap(y, WRAP[3 + k]) for k, y in enumerate(r["years"])]
            lines = max(t.count("\n") + 1 for t in texts)
            cells = [tc(texts[0], "num"), tc(texts[1], "text"), tc(texts[2], "text")]
            cells += [tc(t, "year") for t in texts[3:6]]
            if r["effect"] == "－":
                cells.append(tc("－", "none"))
            else:
                cells.append(tc(r["effect"], "amount", value=int(r["effect"].replace(",", ""))))
            add(cells, lines)
            gold.append(texts + [r["effect"]])
    cols = "".join('<table:table-column table:style-name="co%d" table:default-cell-style-name="text"/>' % i
                   for i in range(len(WIDTHS)))
    footer = ('<style:footer><text:p>－ <text:page-number>1</text:page-number> －</text:p></style:footer>')
    layout = ('<style:page-layout style:name="pm1"><style:page-layout-properties fo:page-width="29.7cm" '
              'fo:page-height="21cm" style:print-orientation="landscape" fo:margin-top="1.3cm" '
              'fo:margin-bottom="1.0cm" fo:margin-left="%.2fcm" fo:margin-right="%.2fcm" '
              'style:print="objects charts drawings" style:print-page-order="ttb" style:scale-to="100%%"/>'
              '<style:header-style/><style:footer-style><style:header-footer-properties fo:min-height="0.6cm" '
              'fo:margin-top="0.25cm"/></style:footer-style></style:page-layout>' % (MARGIN_LR, MARGIN_LR))
    doc = ('<?xml version="1.0" encoding="UTF-8"?>\n'
           '<office:document %s office:version="1.3" office:mimetype="application/vnd.oasis.opendocument.spreadsheet">'
           '<office:meta><dc:title>%s</dc:title><meta:initial-creator>%s</meta:initial-creator></office:meta>'
           '<office:font-face-decls><style:font-face style:name="%s" svg:font-family="%s"/></office:font-face-decls>'
           '<office:automatic-styles>%s%s%s</office:automatic-styles>'
           '<office:master-styles><style:master-page style:name="PM1" style:page-layout-name="pm1">'
           '<style:header style:display="false"/>%s</style:master-page></office:master-styles>'
           '<office:body><office:spreadsheet><table:table table:name="一覧" table:style-name="ta1">%s%s'
           '</table:table></office:spreadsheet></office:body></office:document>\n'
           % (NS, escape(TITLE), yearlib.MUNICIPALITY, FONT, FONT, STYLES, "".join(rstyles.values()),
              layout, footer, cols, "".join(xml)))
    return doc, gold


def main():
    rows = yearlib.load()
    xml, grows = build_sheet(rows)
    os.makedirs(yearlib.BUILD, exist_ok=True)
    src = os.path.join(yearlib.BUILD, NAME + ".fods")
    with open(src, "w", encoding="utf-8") as f:
        f.write(xml)
    pdf = kkcorpus.to_pdf(src, yearlib.CORPUS)
    pt_cm = 72 / 2.54
    col0 = (MARGIN_LR * pt_cm, (MARGIN_LR + WIDTHS[0]) * pt_cm)
    item_pages, split, pages = yearlib.locate_rows(pdf, rows, col0, HEADER_WORDS)
    first, last = min(item_pages.values()), max(item_pages.values())
    tables = [{"id": "year-list", "pages": [first, last], "ruled": True, "header_rows": 2, "rows": grows}]
    labels = [("番号", "no"), ("取組項目名", "title"), ("所管", "dept")]
    recs = yearlib.records(NAME, pdf, TITLE, rows, item_pages, pages, labels)
    yearlib.write_gold(NAME, tables, recs, check_pdf=pdf)
    print("  %s.pdf: %d pages, %d rows, %d records; page breaks after rows %s"
          % (NAME, pages, len(rows), len(recs) - 2,
             ", ".join(str(n) for n in sorted(item_pages) if n + 1 in item_pages
                       and item_pages[n + 1] != item_pages[n])))


if __name__ == "__main__":
    main()
