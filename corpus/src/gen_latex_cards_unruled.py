"""Builds corpus/006-kasuga-action-plan-latex-unruled.pdf: the LuaLaTeX
edition of the 006 cards (gen_latex_cards.py) with no rule and no shading
at all: the same tabular columns (labels centred, values ragged right,
cells vertically centred by `m` columns, \\arraystretch 1.35), only white
between them.  Made after extract's card finder (extract/cards.c) as a
check on a producer it was not written on; scored as it came out.

Same gold as the ruled edition, with "ruled": false tables, written by
gen_latex_cards.write_gold from the source and checked line by line
against the built PDF's text.  Needs lualatex and pdftotext.
"""
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import gen_latex_cards as cards  # noqa: E402
import kkcorpus  # noqa: E402

NAME = "006-kasuga-action-plan-latex-unruled"


def main():
    sections = cards.read_cards(cards.CARDS)
    build = os.path.join(cards.CORPUS, "build")
    os.makedirs(build, exist_ok=True)
    src = os.path.join(build, NAME + ".tex")
    with open(src, "w", encoding="utf-8") as f:
        f.write(cards.latex(sections, ruled=False))
    pdf = kkcorpus.latex_to_pdf(src, cards.CORPUS)
    print("  %s.pdf: %d pages, %d tables, %d cards, %d records"
          % ((NAME,) + cards.write_gold(NAME, pdf, sections, ruled=False)))


if __name__ == "__main__":
    main()
