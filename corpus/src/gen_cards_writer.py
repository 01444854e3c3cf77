"""Builds corpus/006-kasuga-action-plan-unruled.pdf: the cards of
corpus/src/latexcards/cards.txt (the 006 action plan, see gen_latex_cards.py)
laid out with LibreOffice Writer as label/value cards WITHOUT any ruling
line or shading — a card layout made of whitespace only — in IPAex Gothic:
labels in bold, values beside them, the schedule as a separate unruled
table whose columns are fiscal years.  One card per page, a 基本方針
heading above the first card of each, a page number in the footer.

Same gold as the LuaLaTeX edition (same facts, same family
action-plan-cards), with "ruled": false tables; written by
gen_latex_cards.write_gold from the source and the built PDF's text.
Needs LibreOffice Writer (soffice) and pdftotext.
"""
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.join(HERE, "ogori_cards"))
import cardlib  # noqa: E402
import gen_latex_cards as cards  # noqa: E402
import kkcorpus  # noqa: E402
from cardlib import gcell  # noqa: E402

NAME = "006-kasuga-action-plan-unruled"
FONT = "IPAexGothic"


def as_grid(rows, label_cols):
    """Gold rows (cards.card_rows / sched_rows) as grid cells: the label
    columns bold, spans kept."""
    out = []
    for r, row in enumerate(rows):
        cells = []
        for c, cell in enumerate(row):
            text, span = (cell, 1) if isinstance(cell, str) else (cell["text"], cell["colspan"])
            bold = c in label_cols(r)
            cells.append(gcell(text, colspan=span, bold=bold, valign="top"))
        out.append(cells)
    return out


def main():
    sections = cards.read_cards(cards.CARDS)
    doc = cardlib.CardDocument(footer="- {page} -", font=FONT, size=10.5, margin_cm=2.0,
                       title=cards.TITLE, author=cards.MUNICIPALITY)
    for _ in range(10):
        doc.para("")
    doc.para(cards.TITLE, size=24, bold=True, align="center")
    doc.para("（令和６年度～令和８年度）", size=16, align="center")
    for _ in range(12):
        doc.para("")
    doc.para("令和６年３月", size=14, align="center")
    doc.para(cards.MUNICIPALITY, size=18, bold=True, align="center")
    for si, (title, cs) in enumerate(sections):
        for ci, c in enumerate(cs):
            doc.page_break()
            if ci == 0:
                doc.heading("基本方針%s　%s" % (cards.FULLWIDTH_NO[si], title), size=14, font=FONT)
                doc.para("")
            # label columns: 0 and 2 in the first row, 0 below
            doc.grid("card-" + c["no"], as_grid(cards.card_rows(c), lambda r: (0, 2) if r == 0 else (0,)),
                     [2.6, 6.2, 2.4, 5.8], ruled=False, split_rows=False, keep_together=True)
            doc.para("")
            doc.grid("sched-" + c["no"], as_grid(cards.sched_rows(c), lambda r: range(5) if r == 0 else (0,)),
                     [2.2, 3.7, 3.7, 3.7, 3.7], header_rows=1, ruled=False, split_rows=False,
                     keep_together=True)
    build = os.path.join(cards.CORPUS, "build")
    os.makedirs(build, exist_ok=True)
    src = os.path.join(build, NAME + ".fodt")
    doc.save(src)
    pdf = kkcorpus.to_pdf(src, cards.CORPUS)
    print("  %s.pdf: %d pages, %d tables, %d cards, %d records"
          % ((NAME,) + cards.write_gold(NAME, pdf, sections, ruled=False)))


if __name__ == "__main__":
    main()
