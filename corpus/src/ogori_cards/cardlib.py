"""cardlib — layout and gold helpers shared by the 小郡市 card generators
(gen_ogori_action_plan.py, gen_ogori_action_items.py).

CardDocument extends kkcorpus.Document with what ruled "card" layouts need
and kkcorpus does not draw: shaded cells (label cells, bar-chart cells),
vertical alignment, tables that must not break between rows, and a page
footer.  Every table laid out through CardDocument.grid() is also recorded
as a gold table (logical rows, cell text as printed), so the gold cannot
disagree with the layout.  PageText finds the pages a table or a cell is on
from the built PDF (pdftotext per page), scanning forward in document order.
"""
import os
import re
import subprocess
import sys
import unicodedata

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
import kkcorpus  # noqa: E402
from kkcorpus import GOTHIC, MINCHO, _spaces  # noqa: E402,F401

LABEL_BG = "#e6e6e6"
BAR_BG = "#7f7f7f"


def nfkc(text):
    """NFKC-normalized text, as the gold records carry it."""
    return unicodedata.normalize("NFKC", text)


def squash(text):
    """Text without any whitespace: the key used to find text on a page."""
    return re.sub(r"\s+", "", text)


def gcell(text, rowspan=1, colspan=1, font=None, bg=None, align=None,
          valign=None, bold=False):
    """A grid cell: kkcorpus.cell plus background colour and vertical
    alignment."""
    c = kkcorpus.cell(text, rowspan, colspan, bold, font, align)
    c["bg"] = bg
    c["valign"] = valign
    return c


class CardDocument(kkcorpus.Document):
    """kkcorpus.Document with shaded ruled grids and an optional footer.

    footer: text of a centred footer line on every page, with "{page}"
    replaced by the page number (None: no footer)."""

    def __init__(self, footer=None, **kw):
        super().__init__(**kw)
        self.footer = footer
        self.gold_tables = []

    def grid(self, tid, rows, widths_cm, header_rows=0, size=None,
             keep_together=False, split_rows=True, ruled=True, anchors=None,
             row_heights=None):
        """Lays out a ruled (or unruled) table whose cells may be shaded,
        and records it as gold table `tid`.  rows: lists of the cells that
        START in each row (strings or gcell dicts).  keep_together: the
        table may not break between rows.  anchors: texts that find the
        table's pages (see place_tables).
        row_heights: minimum height in cm of each row (None: natural)."""
        self.ntables += 1
        ncols = len(widths_cm)
        total = sum(widths_cm)
        tst = self._raw_style(("GT", total, keep_together), lambda n:
            '<style:style style:name="%s" style:family="table"><style:table-properties '
            'style:width="%.2fcm" table:align="left" fo:margin-top="0.1cm" '
            'fo:margin-bottom="0.3cm" style:may-break-between-rows="%s"/>'
            '</style:style>' % (n, total, "false" if keep_together else "true"))

        def row_style(h):
            return self._raw_style(("GR", split_rows, h), lambda n:
                '<style:style style:name="%s" style:family="table-row"><style:table-row-properties '
                'fo:keep-together="%s"%s/></style:style>'
                % (n, "auto" if split_rows else "always",
                   ' style:min-row-height="%.2fcm"' % h if h else ""))
        out = ['<table:table table:name="Table%d" table:style-name="%s">' % (self.ntables, tst)]
        for w in widths_cm:
            cs = self._raw_style(("COL", w), lambda n, w=w:
                '<style:style style:name="%s" style:family="table-column"><style:table-column-properties '
                'style:column-width="%.2fcm"/></style:style>' % (n, w))
            out.append('<table:table-column table:style-name="%s"/>' % cs)
        covered = set()
        rendered = []
        gold_rows = []
        for r, row in enumerate(rows):
            xml = []
            grow = []
            c = 0
            for raw in row:
                ce = raw if isinstance(raw, dict) else gcell(raw)
                while (r, c) in covered:
                    xml.append("<table:covered-table-cell/>")
                    c += 1
                rs, cspan = ce["rowspan"], ce["colspan"]
                for dr in range(rs):
                    for dc in range(cspan):
                        if dr or dc:
                            covered.add((r + dr, c + dc))
                cst = self._cell_style(ruled, ce.get("bg"), ce.get("valign"))
                attrs = ""
                if rs > 1:
                    attrs += ' table:number-rows-spanned="%d"' % rs
                if cspan > 1:
                    attrs += ' table:number-columns-spanned="%d"' % cspan
                ps = self._pstyle(ce["font"], size, ce["bold"], ce["align"])
                text = str(ce["text"])
                paras = "".join('<text:p text:style-name="%s">%s</text:p>' % (ps, _spaces(t))
                                for t in text.split("\n"))
                xml.append('<table:table-cell table:style-name="%s" office:value-type="string"%s>%s'
                           '</table:table-cell>' % (cst, attrs, paras))
                grow.append(text if rs == 1 and cspan == 1 else
                            {"text": text, "rowspan": rs, "colspan": cspan})
                c += 1
                for _ in range(cspan - 1):
                    xml.append("<table:covered-table-cell/>")
                    c += 1
            while c < ncols:
                if (r, c) in covered:
                    xml.append("<table:covered-table-cell/>")
                else:
                    raise ValueError("%s: row %d leaves column %d empty" % (tid, r, c))
                c += 1
            h = row_heights[r] if row_heights and r < len(row_heights) else None
            rendered.append('<table:table-row table:style-name="%s">%s</table:table-row>'
                            % (row_style(h), "".join(xml)))
            gold_rows.append(grow)
        if header_rows:
            out.append("<table:table-header-rows>%s</table:table-header-rows>"
                       % "".join(rendered[:header_rows]))
        out.extend(rendered[header_rows:])
        out.append("</table:table>")
        self.body.append("".join(out))
        self.gold_tables.append({"id": tid, "ruled": ruled, "header_rows": header_rows,
                                 "rows": gold_rows, "anchors": anchors})

    def _cell_style(self, ruled, bg, valign):
        border = "0.5pt solid #000000" if ruled else "none"
        return self._raw_style(("GC", ruled, bg, valign), lambda n:
            '<style:style style:name="%s" style:family="table-cell"><style:table-cell-properties '
            'fo:padding-left="0.12cm" fo:padding-right="0.12cm" fo:padding-top="0.06cm" '
            'fo:padding-bottom="0.06cm" fo:border="%s"%s%s/></style:style>'
            % (n, border, ' fo:background-color="%s"' % bg if bg else "",
               ' style:vertical-align="%s"' % valign if valign else ""))

    def to_xml(self):
        if self.footer is None:
            return super().to_xml()
        pre, _, post = self.footer.partition("{page}")
        fst = self._pstyle(MINCHO, 9, False, "center")  # registered before the styles are written
        xml = super().to_xml()
        footer = ('<style:master-page style:name="Standard" style:page-layout-name="PL">'
                  '<style:footer><text:p text:style-name="%s">%s<text:page-number text:select-page="current"/>%s'
                  '</text:p></style:footer></style:master-page>' % (fst, _spaces(pre), _spaces(post)))
        xml = xml.replace('<style:master-page style:name="Standard" style:page-layout-name="PL"/>', footer)
        xml = xml.replace('/></style:page-layout>',
                          '/><style:footer-style><style:header-footer-properties '
                          'fo:min-height="0.6cm" fo:margin-top="0.3cm"/></style:footer-style></style:page-layout>', 1)
        return xml


class PageText:
    """The text of each page of a PDF, whitespace removed, for finding
    where tables and cells landed: `layout` (pdftotext -layout: top to
    bottom, so offsets follow the document order) and `raw` (pdftotext -raw:
    content order, which keeps a table cell's wrapped lines together)."""

    def __init__(self, pdf):
        info = subprocess.run(["pdfinfo", pdf], capture_output=True, text=True, check=True).stdout
        self.pages = int(re.search(r"^Pages:\s+(\d+)", info, re.M).group(1))
        self.layout = [""]
        self.raw = [""]
        for p in range(1, self.pages + 1):
            for mode, store in (("-layout", self.layout), ("-raw", self.raw)):
                t = subprocess.run(["pdftotext", mode, "-f", str(p), "-l", str(p), pdf, "-"],
                                   capture_output=True, text=True, check=True).stdout
                store.append(squash(t))

    def seek(self, needle, cursor, what=""):
        """(page, offset) just after the first occurrence of needle (a text,
        or a compiled pattern over whitespace-free text) in the layout text
        at or after cursor (page, offset)."""
        pat = needle if isinstance(needle, re.Pattern) else re.compile(re.escape(squash(needle)))
        page, off = cursor
        for p in range(max(1, page), self.pages + 1):
            m = pat.search(self.layout[p], off if p == page else 0)
            if m:
                return (p, m.end())
        raise SystemExit("cardlib: %r (%s) not found from page %d" % (needle, what, page))

    def find(self, needle, start, stop=None, what=""):
        """First page >= start (and <= stop) whose layout or raw text holds
        needle."""
        key = squash(needle)
        stop = stop or self.pages
        for p in range(max(1, start), stop + 1):
            if key in self.layout[p] or key in self.raw[p]:
                return p
        raise SystemExit("cardlib: %r (%s) not found on pages %d-%d" % (needle, what, start, stop))


def place_tables(doc, pt):
    """Sets "pages" of every gold table from its anchors, in document order.
    anchors[0] and the ones after it that are marked ("seq", text) are
    sought in order in the layout text (one-line texts: the table's first
    row, a label); the others (wrapped cell texts) only move the last page
    on."""
    cursor = (1, 0)
    for t in doc.gold_tables:
        cursor = pt.seek(t["anchors"][0], cursor, t["id"])
        t["start"] = cursor
        first = last = cursor[0]
        for a in t["anchors"][1:]:
            if isinstance(a, tuple):
                cursor = pt.seek(a[1], cursor, t["id"])
                last = cursor[0]
            else:
                p = pt.find(a, last, what=t["id"])
                if p > last:
                    last = p
                    cursor = (p, 0)
        t["pages"] = [first, last]


def gold_tables_json(pdfname, doc):
    """The gold tables document (CORPUS.md format)."""
    return {"pdf": pdfname, "tables": [
        {"id": t["id"], "pages": t["pages"], "ruled": t["ruled"],
         "header_rows": t["header_rows"], "rows": t["rows"]} for t in doc.gold_tables]}
