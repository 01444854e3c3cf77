"""Builds corpus/006-kasuga-action-plan-unruled-centred.pdf: the cards of
corpus/src/latexcards/cards.txt (the 006 action plan, see gen_latex_cards.py)
laid out with LibreOffice Writer WITHOUT any ruling line or shading, like
gen_cards_writer.py, but set differently, so that extract's unruled card
finder (extract/cards.c, written on the other two editions) meets a layout
it was not tuned on:

  - IPAex Mincho at 10 pt instead of IPAex Gothic at 10.5 pt, labels not
    bold (nothing but white tells a label from its value);
  - another label set, the one of the 小郡市 cards (ＡＰＮｏ． / 担当課 /
    取組名 / 現状・課題 / 取組概要 / 計画期間内の目標), the number pair
    first in the top row;
  - labels centred in their column and vertically centred on their values
    (a two-line value has its label between its lines);
  - other column widths.

Same facts and family (action-plan-cards) as the other editions; the gold is
written by gen_latex_cards.write_gold from the source, with this edition's
labels, and every gold line is checked to be printed on its page.
Needs LibreOffice Writer (soffice) and pdftotext.
"""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import gen_cards_writer as writer  # noqa: E402
from cardlib import gcell  # noqa: E402

NAME = "006-kasuga-action-plan-unruled-centred"


def as_grid(rows, label_cols):
    """Gold rows as grid cells: label cells centred both ways, values left
    and vertically centred (a one-line label beside a two-line value sits
    between its lines)."""
    out = []
    for r, row in enumerate(rows):
        cells = []
        for c, cell in enumerate(row):
            text, span = (cell, 1) if isinstance(cell, str) else (cell["text"], cell["colspan"])
            if c in label_cols(r):
                cells.append(gcell(text, colspan=span, align="center", valign="middle"))
            else:
                cells.append(gcell(text, colspan=span, valign="middle"))
        out.append(cells)
    return out


class Centred(writer.Style):
    font = "IPAexMincho"
    size = 10
    heading_size = 13
    margin_cm = 2.2
    labels = {"所管部署": "担当課", "取組番号": "ＡＰＮｏ．", "取組名称": "取組名", "現状と課題": "現状・課題",
              "取組の概要": "取組概要", "成果指標": "計画期間内の目標"}
    number_first = True
    card_widths = [3.2, 4.0, 2.0, 7.4]
    sched_widths = [2.4, 3.6, 3.6, 3.6, 3.4]
    as_grid = staticmethod(as_grid)


if __name__ == "__main__":
    writer.build(NAME, Centred)
