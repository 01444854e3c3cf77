"""kkcalc — Flat ODF spreadsheets (.fods) for the corpus generators that make
their documents with LibreOffice Calc (gen_yearlist_calc.py,
gen_evalsheet_calc.py), the way a city's Excel sheets are printed: one
sheet, fixed column widths, rows of a fixed height (line breaks are set by
the generator, so the gold text is what is printed), cells merged across
rows and columns, cell borders, print-title rows repeated on every page,
manual page breaks, a page number in the footer.  Standard library only.
"""
from xml.sax.saxutils import escape

NS = ('xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
      'xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0" '
      'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" '
      'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
      'xmlns:fo="urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0" '
      'xmlns:svg="urn:oasis:names:tc:opendocument:xmlns:svg-compatible:1.0" '
      'xmlns:number="urn:oasis:names:tc:opendocument:xmlns:datastyle:1.0" '
      'xmlns:meta="urn:oasis:names:tc:opendocument:xmlns:meta:1.0" '
      'xmlns:dc="http://purl.org/dc/elements/1.1/"')

LINE_CM, PAD_CM = 0.46, 0.22   # row height per line of 10 pt text, and padding


class Sheet:
    """One spreadsheet printed on A4.  widths: column widths in cm; font,
    size: the cells' font and size in pt; margin_lr: left/right page
    margin in cm."""

    def __init__(self, widths, font, size=10, landscape=False, margin_lr=1.2, title="", author=""):
        self.widths, self.font, self.size = widths, font, size
        self.landscape, self.margin_lr = landscape, margin_lr
        self.title, self.author = title, author
        self.styles = {}
        self.rows = []           # XML of the rows, header rows included
        self.header_open = None  # index in self.rows where the print titles start
        self.style("text")
        self.style("plain", border=False)   # cells the generator does not write
        self.styles["N3"] = ('<number:number-style style:name="N3"><number:number number:decimal-places="0" '
                             'number:min-integer-digits="1" number:grouping="true"/></number:number-style>')

    def style(self, name, align="left", border=True, bold=False, size=None, number=False,
              valign="middle", wrap=True, bg=None):
        """Registers cell style `name` (once) and returns the name."""
        if name not in self.styles:
            size = size or self.size
            b = ' fo:border="0.06pt solid #000000"' if border else ' fo:border="none"'
            b += ' fo:background-color="%s"' % bg if bg else ""
            w = ' fo:font-weight="bold" style:font-weight-asian="bold"' if bold else ""
            ds = ' style:data-style-name="N3"' if number else ""
            self.styles[name] = (
                '<style:style style:name="%s" style:family="table-cell"%s>'
                '<style:table-cell-properties%s style:vertical-align="%s" fo:wrap-option="%s" '
                'fo:padding="0.05cm"/><style:paragraph-properties fo:text-align="%s"/>'
                '<style:text-properties style:font-name="%s" style:font-name-asian="%s" '
                'fo:font-size="%spt" style:font-size-asian="%spt"%s/></style:style>'
                % (name, ds, b, valign, "wrap" if wrap else "no-wrap", align, self.font, self.font,
                   size, size, w))
        return name

    def _row_style(self, height, page_break):
        name = "ro%d%s" % (int(round(height * 100)), "b" if page_break else "")
        self.styles[name] = ('<style:style style:name="%s" style:family="table-row"><style:table-row-properties '
                             'style:row-height="%.2fcm" fo:break-before="%s" style:use-optimal-row-height="false"/>'
                             '</style:style>' % (name, height, "page" if page_break else "auto"))
        return name

    @staticmethod
    def cell(text, style, cols=1, rows=1, value=None):
        """One cell (a string, or a float shown by its style when value is
        given) and the covered cells after it in its row."""
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

    COVERED = "<table:covered-table-cell/>"

    def row(self, cells, lines=1, page_break=False, height=None):
        """Appends a row of `lines` lines of text (or `height` cm)."""
        h = height if height is not None else lines * LINE_CM + PAD_CM
        self.rows.append('<table:table-row table:style-name="%s">%s</table:table-row>'
                         % (self._row_style(h, page_break), "".join(cells)))

    def begin_titles(self):
        """The rows appended until end_titles() repeat on every page."""
        self.header_open = len(self.rows)

    def end_titles(self):
        self.rows.insert(self.header_open, "<table:table-header-rows>")
        self.rows.append("</table:table-header-rows>")

    def to_xml(self):
        w, h = ("29.7cm", "21cm") if self.landscape else ("21cm", "29.7cm")
        cols = "".join('<table:table-column table:style-name="co%d" table:default-cell-style-name="plain"/>' % i
                       for i in range(len(self.widths)))
        colst = "".join('<style:style style:name="co%d" style:family="table-column"><style:table-column-properties '
                        'fo:break-before="auto" style:column-width="%.2fcm"/></style:style>' % (i, cw)
                        for i, cw in enumerate(self.widths))
        layout = ('<style:page-layout style:name="pm1"><style:page-layout-properties fo:page-width="%s" '
                  'fo:page-height="%s" style:print-orientation="%s" fo:margin-top="1.3cm" '
                  'fo:margin-bottom="1.0cm" fo:margin-left="%.2fcm" fo:margin-right="%.2fcm" '
                  'style:print="objects charts drawings" style:print-page-order="ttb" style:scale-to="100%%"/>'
                  '<style:header-style/><style:footer-style><style:header-footer-properties fo:min-height="0.6cm" '
                  'fo:margin-top="0.25cm"/></style:footer-style></style:page-layout>'
                  % (w, h, "landscape" if self.landscape else "portrait", self.margin_lr, self.margin_lr))
        footer = '<style:footer><text:p>－ <text:page-number>1</text:page-number> －</text:p></style:footer>'
        return ('<?xml version="1.0" encoding="UTF-8"?>\n'
                '<office:document %s office:version="1.3" office:mimetype="application/vnd.oasis.opendocument.spreadsheet">'
                '<office:meta><dc:title>%s</dc:title><meta:initial-creator>%s</meta:initial-creator></office:meta>'
                '<office:font-face-decls><style:font-face style:name="%s" svg:font-family="%s"/></office:font-face-decls>'
                '<office:automatic-styles>%s<style:style style:name="ta1" style:family="table" '
                'style:master-page-name="PM1"><style:table-properties table:display="true" '
                'style:writing-mode="lr-tb"/></style:style>%s%s</office:automatic-styles>'
                '<office:master-styles><style:master-page style:name="PM1" style:page-layout-name="pm1">'
                '<style:header style:display="false"/>%s</style:master-page></office:master-styles>'
                '<office:body><office:spreadsheet><table:table table:name="Sheet1" table:style-name="ta1">%s%s'
                '</table:table></office:spreadsheet></office:body></office:document>\n'
                % (NS, escape(self.title), escape(self.author), self.font, self.font, colst,
                   "".join(self.styles.values()), layout, footer, cols, "".join(self.rows)))

    def save(self, path):
        with open(path, "w", encoding="utf-8") as f:
            f.write(self.to_xml())
