"""Builds two more editions of the vertical (縦組) preface of
corpus/src/tate/preface.txt (see gen_latex_tate.py), made to check vertical
reading on layouts extract was not tuned on:

- 007-kasuga-preface-tate-2tier.pdf: LuaLaTeX (ltjtarticle, 10 pt,
  twocolumn), both parts on one page, so the text runs in two tiers (段)
  one above the other without a rule between them: each tier's columns
  right to left, the upper tier before the lower.
- 007-kasuga-preface-tate-writer-gothic.pdf: LibreOffice Writer, page
  writing mode tb-rl, IPA Gothic 10.5 pt at single spacing (columns about
  an em apart, as close as letters), headings in Mincho 14 pt.

Gold: NAME.phrases.txt, the phrase list of 007-kasuga-preface-tate (chosen
by hand from the source), checked here against the source and against
Poppler's pdftotext -raw text of each PDF; NAME.lines.txt, texts that are
one column on the rendered pages (checked by eye); NAME.tables.json lists
no table.  Needs lualatex, LibreOffice Writer (soffice) and pdftotext.
"""
import os
import re
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.join(HERE, "ogori_cards"))
import cardlib  # noqa: E402
import kkcorpus  # noqa: E402
from gen_latex_tate import in_order, key, latex, read_phrases, read_source  # noqa: E402
from gen_tate_writer import inline  # noqa: E402

CORPUS = os.path.dirname(HERE)
TIERS = "007-kasuga-preface-tate-2tier"
GOTHIC = "007-kasuga-preface-tate-writer-gothic"


def two_tiers(lines, build):
    """The LuaLaTeX edition in two tiers on one page."""
    tex = latex([l for l in lines if l != "=PAGE"])
    tex = tex.replace(r"\documentclass[a4paper,12pt]{ltjtarticle}",
                      r"\documentclass[a4paper,10pt,twocolumn]{ltjtarticle}")
    src = os.path.join(build, TIERS + ".tex")
    with open(src, "w", encoding="utf-8") as f:
        f.write(tex)
    return kkcorpus.latex_to_pdf(src, CORPUS)


def writer_gothic(lines, build):
    """The Writer edition in Gothic 10.5 pt at single spacing."""
    doc = cardlib.CardDocument(footer="{page}", font=kkcorpus.GOTHIC, size=10.5, margin_cm=2.0,
                               title="春日市行政経営アクションプラン　発刊にあたって", author="春日市")
    doc.writing_mode = "tb-rl"
    for line in lines:
        if line == "=PAGE":
            doc.page_break()
            continue
        if line.startswith("## "):
            st, text = doc._pstyle(kkcorpus.MINCHO, 14, True), line[3:]
        elif line.startswith("> "):
            st, text = doc._pstyle(None, None, False, "end"), line[2:]
        elif line.startswith("- "):
            st, text = doc._pstyle(), "　　" + line[2:]
        else:
            st, text = doc._pstyle(), "　" + line
        doc.body.append('<text:p text:style-name="%s">%s</text:p>' % (st, inline(doc, text)))
    src = os.path.join(build, GOTHIC + ".fodt")
    doc.save(src)
    return kkcorpus.to_pdf(src, CORPUS)


def main():
    lines = read_source(os.path.join(HERE, "tate", "preface.txt"))
    build = os.path.join(CORPUS, "build")
    os.makedirs(build, exist_ok=True)
    source_text = key("".join(re.sub(r"\{([0-9]+)\}", r"\1", re.sub(r"^(## |> |- )", "", l))
                              for l in lines if l != "=PAGE"))
    for name, make in ((TIERS, two_tiers), (GOTHIC, writer_gothic)):
        pdf = make(lines, build)
        phrases = read_phrases(os.path.join(CORPUS, "gold", name + ".phrases.txt"))
        raw = key(subprocess.run(["pdftotext", "-raw", pdf, "-"], capture_output=True, text=True,
                                 check=True).stdout)
        for what, text in (("the source", source_text), ("the PDF's text", raw)):
            missing = in_order(phrases, text)
            if missing:
                raise SystemExit("gen_tate_variants: %s: phrases not in %s in order: %s" % (name, what, missing))
        kkcorpus.write_gold(name, [])
        print("  %s.pdf: %d pages, %d phrases in order" % (name, len(kkcorpus.page_texts(pdf)), len(phrases)))


if __name__ == "__main__":
    main()
