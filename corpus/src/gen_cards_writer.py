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


class Style:
    """How an edition sets the cards (gen_cards_writer_centred.py sets them
    otherwise): font and size, the label set printed and whether the number
    pair comes first, how gold rows become grid cells, column widths."""
    font = FONT
    size = 10.5
    heading_size = 14
    margin_cm = 2.0
    labels = cards.LABELS
    number_first = False
    card_widths = [2.6, 6.2, 2.4, 5.8]
    sched_widths = [2.2, 3.7, 3.7, 3.7, 3.7]
    as_grid = staticmethod(as_grid)


def build(name, st):
    """Lays out the cards in style `st`, builds corpus/NAME.pdf and its gold."""
    sections = cards.read_cards(cards.CARDS)
    doc = cardlib.CardDocument(footer="- {page} -", font=st.font, size=st.size, margin_cm=st.margin_cm,
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
                doc.heading("基本方針%s　%s" % (cards.FULLWIDTH_NO[si], title), size=st.heading_size, font=st.font)
                doc.para("")
            # label columns: 0 and 2 in the first row, 0 below
            rows = cards.card_rows(c, st.labels, st.number_first)
            doc.grid("card-" + c["no"], st.as_grid(rows, lambda r: (0, 2) if r == 0 else (0,)),
                     st.card_widths, ruled=False, split_rows=False, keep_together=True)
            doc.para("")
            doc.grid("sched-" + c["no"], st.as_grid(cards.sched_rows(c), lambda r: range(5) if r == 0 else (0,)),
                     st.sched_widths, header_rows=1, ruled=False, split_rows=False,
                     keep_together=True)
    build_dir = os.path.join(cards.CORPUS, "build")
    os.makedirs(build_dir, exist_ok=True)
    src = os.path.join(build_dir, name + ".fodt")
    doc.save(src)
    pdf = kkcorpus.to_pdf(src, cards.CORPUS)
    print("  %s.pdf: %d pages, %d tables, %d cards, %d records"
          % ((name,) + cards.write_gold(name, pdf, sections, ruled=False, labels=st.labels,
                                        number_first=st.number_first)))


def main():
    build(NAME, Style)


if __name__ == "__main__":
    main()
