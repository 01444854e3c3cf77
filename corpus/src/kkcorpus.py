"""kkcorpus — shared helpers for the corpus generators (corpus/src/gen_*.py).

Builds Flat ODF text documents (.fodt) the way a city's Word/Excel documents
look — ruled tables with merged cells, repeated header rows, rows that may
split at page breaks, Mincho and Gothic fonts — and converts them to PDF with
LibreOffice headless.  Standard library only (Debian's /usr/bin/python3).
LibreOffice is a corpus-building tool, never a runtime or test dependency.
"""
import hashlib
import json
import os
import re
import shutil
import subprocess
import tempfile
import unicodedata
from xml.sax.saxutils import escape

MINCHO = "IPAMincho"
GOTHIC = "IPAGothic"

_NS = ('xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
       'xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0" '
       'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" '
       'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
       'xmlns:fo="urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0" '
       'xmlns:svg="urn:oasis:names:tc:opendocument:xmlns:svg-compatible:1.0" '
       'xmlns:meta="urn:oasis:names:tc:opendocument:xmlns:meta:1.0" '
       'xmlns:dc="http://purl.org/dc/elements/1.1/"')


def cell(text, rowspan=1, colspan=1, bold=False, font=None, align=None):
    """A table cell with spans; a plain string is a 1x1 cell."""
    return {"text": text, "rowspan": rowspan, "colspan": colspan,
            "bold": bold, "font": font, "align": align}


def _as_cell(c):
    return c if isinstance(c, dict) else cell(c)


class Document:
    """A Flat ODF text document built paragraph by paragraph and table by table.

    landscape: A4 landscape page; font: body font family (MINCHO/GOTHIC);
    size: body font size in pt; title/author: PDF metadata.
    """

    def __init__(self, landscape=False, font=MINCHO, size=10.5, title="",
                 author="", margin_cm=2.0):
        self.landscape = landscape
        self.font = font
        self.size = size
        self.title = title
        self.author = author
        self.margin_cm = margin_cm
        self.body = []
        self.styles = {}
        self.ntables = 0
        self.writing_mode = None   # "tb-rl": vertical writing (縦書き) on every page

    # -- styles -------------------------------------------------------------
    def _pstyle(self, font=None, size=None, bold=False, align=None,
                page_break=False):
        font = font or self.font
        size = size or self.size
        key = ("P", font, size, bold, align, page_break)
        if key not in self.styles:
            name = "P%d" % (len(self.styles) + 1)
            weight = ' fo:font-weight="bold" style:font-weight-asian="bold"' if bold else ""
            para = ' fo:text-align="%s"' % align if align else ""
            if page_break:
                para += ' fo:break-before="page"'
            self.styles[key] = (name,
                '<style:style style:name="%s" style:family="paragraph">'
                '<style:paragraph-properties fo:margin-top="0cm" fo:margin-bottom="0.05cm"%s/>'
                '<style:text-properties style:font-name="%s" style:font-name-asian="%s" '
                'fo:font-size="%spt" style:font-size-asian="%spt"%s/></style:style>'
                % (name, para, font, font, size, size, weight))
        return self.styles[key][0]

    def _raw_style(self, key, xml_fn):
        if key not in self.styles:
            name = "S%d" % (len(self.styles) + 1)
            self.styles[key] = (name, xml_fn(name))
        return self.styles[key][0]

    # -- content ------------------------------------------------------------
    def para(self, text="", font=None, size=None, bold=False, align=None,
             page_break=False):
        """One paragraph per line of `text` (\\n separates paragraphs)."""
        first = True
        for line in text.split("\n"):
            st = self._pstyle(font, size, bold, align, page_break and first)
            self.body.append('<text:p text:style-name="%s">%s</text:p>'
                             % (st, _spaces(line)))
            first = False

    def heading(self, text, size=14, font=GOTHIC):
        self.para(text, font=font, size=size, bold=True)

    def page_break(self):
        st = self._pstyle(page_break=True)
        self.body.append('<text:p text:style-name="%s"/>' % st)

    def table(self, rows, widths_cm, ruled=True, header_rows=0, font=None,
              size=None, split_rows=True, align_numbers=True):
        """A table.  rows: list of rows, each a list of the cells that START
        in that row, left to right (strings or cell(...) dicts); covered
        positions of spanned cells are filled in automatically.  widths_cm:
        column widths.  ruled: draw all cell borders (else none: a
        whitespace-aligned table).  header_rows: leading rows repeated on
        every page.  split_rows: let a row break across a page."""
        self.ntables += 1
        ncols = len(widths_cm)
        tname = "Table%d" % self.ntables
        total = sum(widths_cm)
        tst = self._raw_style(("T", total, split_rows), lambda n:
            '<style:style style:name="%s" style:family="table"><style:table-properties '
            'style:width="%.2fcm" table:align="left" style:may-break-between-rows="true"/>'
            '</style:style>' % (n, total))
        rst = self._raw_style(("R", split_rows), lambda n:
            '<style:style style:name="%s" style:family="table-row"><style:table-row-properties '
            'fo:keep-together="%s"/></style:style>' % (n, "auto" if split_rows else "always"))
        border = "0.5pt solid #000000" if ruled else "none"
        cst = self._raw_style(("C", ruled), lambda n:
            '<style:style style:name="%s" style:family="table-cell"><style:table-cell-properties '
            'fo:padding="0.06cm" fo:border="%s"/></style:style>' % (n, border))
        out = ['<table:table table:name="%s" table:style-name="%s">' % (tname, tst)]
        for i, w in enumerate(widths_cm):
            cs = self._raw_style(("COL", w), lambda n, w=w:
                '<style:style style:name="%s" style:family="table-column"><style:table-column-properties '
                'style:column-width="%.2fcm"/></style:style>' % (n, w))
            out.append('<table:table-column table:style-name="%s"/>' % cs)
        covered = set()  # (r, c) positions covered by a span
        rendered = []
        for r, row in enumerate(rows):
            cells_xml = []
            c = 0
            for raw in row:
                ce = _as_cell(raw)
                while (r, c) in covered:
                    cells_xml.append("<table:covered-table-cell/>")
                    c += 1
                rs, cspan = ce["rowspan"], ce["colspan"]
                for dr in range(rs):
                    for dc in range(cspan):
                        if dr or dc:
                            covered.add((r + dr, c + dc))
                attrs = ""
                if rs > 1:
                    attrs += ' table:number-rows-spanned="%d"' % rs
                if cspan > 1:
                    attrs += ' table:number-columns-spanned="%d"' % cspan
                ps = self._pstyle(ce["font"] or font, size, ce["bold"], ce["align"])
                paras = "".join('<text:p text:style-name="%s">%s</text:p>' % (ps, _spaces(t))
                                for t in str(ce["text"]).split("\n"))
                cells_xml.append('<table:table-cell table:style-name="%s" office:value-type="string"%s>%s</table:table-cell>'
                                 % (cst, attrs, paras))
                c += 1
                for _ in range(cspan - 1):
                    cells_xml.append("<table:covered-table-cell/>")
                    c += 1
            while c < ncols:
                if (r, c) in covered:
                    cells_xml.append("<table:covered-table-cell/>")
                else:
                    cells_xml.append('<table:table-cell table:style-name="%s"><text:p/></table:table-cell>' % cst)
                c += 1
            rendered.append('<table:table-row table:style-name="%s">%s</table:table-row>'
                            % (rst, "".join(cells_xml)))
        if header_rows:
            out.append("<table:table-header-rows>%s</table:table-header-rows>"
                       % "".join(rendered[:header_rows]))
        out.extend(rendered[header_rows:])
        out.append("</table:table>")
        self.body.append("".join(out))

    # -- output -------------------------------------------------------------
    def to_xml(self):
        w, h = ("29.7cm", "21cm") if self.landscape else ("21cm", "29.7cm")
        orient = "landscape" if self.landscape else "portrait"
        m = "%.2fcm" % self.margin_cm
        # the body font too when it is another one (IPAex fonts, ...)
        fonts = "".join('<style:font-face style:name="%s" svg:font-family="%s"/>' % (f, f)
                        for f in (MINCHO, GOTHIC) + ((self.font,) if self.font not in (MINCHO, GOTHIC) else ()))
        styles = "".join(s for _, s in self.styles.values())
        return ('<?xml version="1.0" encoding="UTF-8"?>\n'
                '<office:document %s office:version="1.3" office:mimetype="application/vnd.oasis.opendocument.text">'
                '<office:meta><dc:title>%s</dc:title><meta:initial-creator>%s</meta:initial-creator></office:meta>'
                '<office:font-face-decls>%s</office:font-face-decls>'
                '<office:automatic-styles>%s<style:page-layout style:name="PL"><style:page-layout-properties '
                'fo:page-width="%s" fo:page-height="%s" style:print-orientation="%s" fo:margin-top="%s" '
                'fo:margin-bottom="%s" fo:margin-left="%s" fo:margin-right="%s"%s/></style:page-layout>'
                '</office:automatic-styles>'
                '<office:master-styles><style:master-page style:name="Standard" style:page-layout-name="PL"/></office:master-styles>'
                '<office:body><office:text>%s</office:text></office:body></office:document>\n'
                % (_NS, escape(self.title), escape(self.author), fonts, styles, w, h, orient,
                   m, m, m, m, ' style:writing-mode="%s"' % self.writing_mode if self.writing_mode else "",
                   "".join(self.body)))

    def save(self, path):
        with open(path, "w", encoding="utf-8") as f:
            f.write(self.to_xml())


def _spaces(text):
    """XML-escape text, keeping runs of spaces (ODF collapses them otherwise)."""
    out = []
    for part in escape(str(text)).split("  "):
        out.append(part)
    return '<text:s text:c="2"/>'.join(out) if len(out) > 1 else out[0]


def to_pdf(source, outdir):
    """Converts one .fodt/.fods/.odt source to PDF in outdir with LibreOffice
    headless, using a private profile so parallel runs do not collide.
    Returns the PDF path.  PDF metadata CreationDate varies per run; the
    committed PDFs are the ones tests use."""
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if not soffice:
        raise SystemExit("kkcorpus: LibreOffice (soffice) is needed to build the corpus: "
                         "apt-get install libreoffice-writer-nogui libreoffice-calc-nogui")
    with tempfile.TemporaryDirectory(prefix="kk-lo-") as prof:
        subprocess.run([soffice, "-env:UserInstallation=file://" + prof, "--headless",
                        "--convert-to", "pdf", "--outdir", outdir, source],
                       check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    pdf = os.path.join(outdir, os.path.splitext(os.path.basename(source))[0] + ".pdf")
    if not os.path.exists(pdf):
        raise SystemExit("kkcorpus: LibreOffice made no PDF from " + source)
    return pdf


def latex_to_pdf(source, outdir):
    """Typesets one .tex source with LuaLaTeX (luatexja) in a scratch
    directory, twice when the first run asks for it (labels, page
    references), with the dates fixed (SOURCE_DATE_EPOCH, 2024-03-01) so
    the PDF's bytes depend only on the source, and moves the PDF to outdir.  Returns the PDF path.  A
    corpus-building tool only, like LibreOffice."""
    lualatex = shutil.which("lualatex")
    if not lualatex:
        raise SystemExit("kkcorpus: LuaLaTeX is needed to build this part of the corpus: "
                         "apt-get install texlive-luatex texlive-lang-japanese fonts-ipaexfont")
    stem = os.path.splitext(os.path.basename(source))[0]
    # same source, same bytes: fixed dates and document ID
    env = dict(os.environ, SOURCE_DATE_EPOCH="1709251200", FORCE_SOURCE_DATE="1")
    with open(source, "rb") as f:
        ident = hashlib.md5(f.read()).hexdigest().upper()
    with tempfile.TemporaryDirectory(prefix="kk-tex-") as work:
        for _ in range(2):
            run = subprocess.run([lualatex, "-interaction=nonstopmode", "-halt-on-error",
                                  "-output-directory", work, "-jobname", stem,
                                  r"\pdfvariable trailerid {[<%s> <%s>]}\input{%s}" % (ident, ident, source)],
                                 cwd=work, capture_output=True, text=True, env=env)
            if run.returncode != 0:
                raise SystemExit("kkcorpus: lualatex failed on %s:\n%s" % (source, run.stdout[-2000:]))
            if "Rerun to get" not in run.stdout:
                break
        pdf = os.path.join(outdir, stem + ".pdf")
        shutil.move(os.path.join(work, stem + ".pdf"), pdf)
    return pdf


# -- gold helpers shared by the generators ------------------------------------

def nfkc(text):
    """NFKC-normalized text, as gold records carry it."""
    return unicodedata.normalize("NFKC", text)


def squash(text):
    """Text without any whitespace: the key used to find text on a page."""
    return re.sub(r"\s+", "", text)


def page_texts(pdf):
    """The text of every page of pdf (pdftotext -raw, whitespace removed),
    page 1 first."""
    info = subprocess.run(["pdfinfo", pdf], capture_output=True, text=True, check=True).stdout
    n = int(re.search(r"^Pages:\s+(\d+)", info, re.M).group(1))
    return [squash(subprocess.run(["pdftotext", "-raw", "-f", str(p), "-l", str(p), pdf, "-"],
                                  capture_output=True, text=True, check=True).stdout)
            for p in range(1, n + 1)]


def sha256_file(path):
    with open(path, "rb") as f:
        return hashlib.sha256(f.read()).hexdigest()


def write_gold(name, tables, recs=None):
    """Writes corpus/gold/NAME.tables.json (tables: dicts with id, pages,
    ruled, header_rows, rows; other keys are dropped) and, given records,
    NAME.records.jsonl."""
    gold = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "gold")
    os.makedirs(gold, exist_ok=True)
    keys = ("id", "pages", "ruled", "header_rows", "rows")
    with open(os.path.join(gold, name + ".tables.json"), "w", encoding="utf-8") as f:
        json.dump({"pdf": name + ".pdf", "tables": [{k: t[k] for k in keys} for t in tables]},
                  f, ensure_ascii=False, indent=1)
        f.write("\n")
    if recs is not None:
        with open(os.path.join(gold, name + ".records.jsonl"), "w", encoding="utf-8") as f:
            for r in recs:
                f.write(json.dumps(r, ensure_ascii=False) + "\n")
