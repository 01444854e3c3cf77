"""kkreport — helpers shared by gen_arao_reform.py and gen_ogori_results.py:
a Document with a page-number footer, page lookup in the generated PDF (so
gold pages are read off the PDF, not guessed), and the gold writers."""
import json
import os
import re
import subprocess
import sys
import unicodedata

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
from kkcorpus import Document, GOTHIC, MINCHO, cell, to_pdf  # noqa: E402,F401

SRC = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CORPUS = os.path.dirname(SRC)
BUILD = os.path.join(CORPUS, "build")
GOLD = os.path.join(CORPUS, "gold")


def nfkc(s):
    """NFKC as the gold records want it (None stays None)."""
    return None if s is None else unicodedata.normalize("NFKC", s)


class FooterDocument(Document):
    """A Document whose pages carry a centred '- N -' page number footer,
    as the cities' Word files do."""

    def to_xml(self):
        xml = super().to_xml()
        fst = ('<style:style style:name="KKFooter" style:family="paragraph">'
               '<style:paragraph-properties fo:text-align="center"/>'
               '<style:text-properties style:font-name="%s" style:font-name-asian="%s" '
               'fo:font-size="9pt" style:font-size-asian="9pt"/></style:style>' % (MINCHO, MINCHO))
        xml = xml.replace("<office:automatic-styles>", "<office:automatic-styles>" + fst, 1)
        xml = re.sub(r'(<style:page-layout style:name="PL"><style:page-layout-properties [^>]*/>)',
                     r'\1<style:footer-style><style:header-footer-properties '
                     r'fo:min-height="0.5cm" fo:margin-top="0.3cm"/></style:footer-style>', xml, 1)
        xml = xml.replace(
            '<style:master-page style:name="Standard" style:page-layout-name="PL"/>',
            '<style:master-page style:name="Standard" style:page-layout-name="PL"><style:footer>'
            '<text:p text:style-name="KKFooter">- <text:page-number text:select-page="current">1'
            '</text:page-number> -</text:p></style:footer></style:master-page>', 1)
        return xml


def squash(s):
    """Text with all whitespace removed, NFKC: what page matching compares."""
    return re.sub(r"\s+", "", nfkc(s))


class PdfPages:
    """The text of every page of a PDF (pdftotext), for locating gold pages."""

    def __init__(self, pdf):
        out = subprocess.run(["pdfinfo", pdf], check=True, capture_output=True, text=True).stdout
        self.count = int(re.search(r"^Pages:\s+(\d+)", out, re.M).group(1))
        self.text = [""]
        for p in range(1, self.count + 1):
            t = subprocess.run(["pdftotext", "-f", str(p), "-l", str(p), pdf, "-"],
                               check=True, capture_output=True, text=True).stdout
            self.text.append(squash(t))

    def find(self, needle, start=1, last=None, after=None):
        """First page >= start whose text contains needle (whitespace and
        width ignored); on page `start` only the text after the first
        `after` counts when that is given.  Fails loudly when there is none."""
        n = squash(needle)
        last = last or self.count
        for p in range(start, last + 1):
            t = self.text[p]
            if p == start and after:
                a = t.find(squash(after))
                if a < 0:
                    raise SystemExit("kkreport: %r not on page %d" % (after, p))
                t = t[a + len(squash(after)):]
            if n in t:
                return p
        raise SystemExit("kkreport: %r not found on pages %d..%d" % (needle, start, last))


def write_gold(name, pdf_name, tables, records):
    """Writes corpus/gold/NAME.tables.json and NAME.records.jsonl."""
    os.makedirs(GOLD, exist_ok=True)
    with open(os.path.join(GOLD, name + ".tables.json"), "w", encoding="utf-8") as f:
        json.dump({"pdf": pdf_name, "tables": tables}, f, ensure_ascii=False, indent=1)
        f.write("\n")
    with open(os.path.join(GOLD, name + ".records.jsonl"), "w", encoding="utf-8") as f:
        for r in records:
            f.write(json.dumps(r, ensure_ascii=False) + "\n")


def gold_cell(c):
    """A kkcorpus cell (string or dict) as a gold cell: plain string when 1x1."""
    if isinstance(c, dict):
        if c["rowspan"] == 1 and c["colspan"] == 1:
            return c["text"]
        return {"text": c["text"], "rowspan": c["rowspan"], "colspan": c["colspan"]}
    return c


def gold_rows(rows):
    return [[gold_cell(c) for c in row] for row in rows]
