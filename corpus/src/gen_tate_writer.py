"""Builds corpus/007-kasuga-preface-tate-writer.pdf: the vertical (縦書き)
preface of corpus/src/tate/preface.txt (the text of 007-kasuga-preface-tate,
see gen_latex_tate.py) laid out by LibreOffice Writer instead of LuaLaTeX:
page writing mode tb-rl (columns right to left), IPA Mincho 12 pt, two-digit
numbers set across the column (縦中横, style:text-combine), headings in
Gothic, the signature aligned to the column's end, a page number in the
footer.

Gold: corpus/gold/007-kasuga-preface-tate-writer.phrases.txt (the same
phrases in the same order as the LuaLaTeX edition's list; checked here
against the source and Poppler's pdftotext -raw text of this PDF) and
NAME.lines.txt (texts that are one column on these pages, checked by eye);
NAME.tables.json lists no table.
Needs LibreOffice Writer (soffice) and pdftotext.
"""
import os
import re
import subprocess
import sys
from xml.sax.saxutils import escape

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.join(HERE, "ogori_cards"))
import cardlib  # noqa: E402
import kkcorpus  # noqa: E402
from gen_latex_tate import in_order, key, read_phrases, read_source  # noqa: E402

CORPUS = os.path.dirname(HERE)
NAME = "007-kasuga-preface-tate-writer"


def inline(doc, text):
    """text as paragraph content: {NN} becomes a 縦中横 span."""
    tcy = doc._raw_style(("TCY",), lambda n: '<style:style style:name="%s" style:family="text">'
                         '<style:text-properties style:text-rotation-angle="90" style:text-rotation-scale="line"/></style:style>' % n)
    return re.sub(r"\{([0-9]{2,3})\}",
                  lambda m: '<text:span text:style-name="%s">%s</text:span>' % (tcy, m.group(1)),
                  escape(text))


def main():
    lines = read_source(os.path.join(HERE, "tate", "preface.txt"))
    doc = cardlib.CardDocument(footer="{page}", font=kkcorpus.MINCHO, size=12, margin_cm=2.5,
                               title="春日市行政経営アクションプラン　発刊にあたって", author="春日市")
    doc.writing_mode = "tb-rl"
    for line in lines:
        if line == "=PAGE":
            doc.page_break()
            continue
        if line.startswith("## "):
            st, text = doc._pstyle(kkcorpus.GOTHIC, 15, True), line[3:]
        elif line.startswith("> "):
            st, text = doc._pstyle(None, None, False, "end"), line[2:]
        elif line.startswith("- "):
            st, text = doc._pstyle(), "　　" + line[2:]
        else:
            st, text = doc._pstyle(), "　" + line
        doc.body.append('<text:p text:style-name="%s">%s</text:p>' % (st, inline(doc, text)))
    os.makedirs(os.path.join(CORPUS, "build"), exist_ok=True)
    src = os.path.join(CORPUS, "build", NAME + ".fodt")
    doc.save(src)
    pdf = kkcorpus.to_pdf(src, CORPUS)
    phrases = read_phrases(os.path.join(CORPUS, "gold", NAME + ".phrases.txt"))
    source_text = key("".join(re.sub(r"\{([0-9]+)\}", r"\1", re.sub(r"^(## |> |- )", "", l))
                              for l in lines if l != "=PAGE"))
    raw = key(subprocess.run(["pdftotext", "-raw", pdf, "-"], capture_output=True, text=True, check=True).stdout)
    for what, text in (("the source", source_text), ("the PDF's text", raw)):
        missing = in_order(phrases, text)
        if missing:
            raise SystemExit("gen_tate_writer: phrases not in %s in order: %s" % (what, missing))
    kkcorpus.write_gold(NAME, [])
    print("  %s.pdf: %d pages, %d phrases in order" % (NAME, len(kkcorpus.page_texts(pdf)), len(phrases)))


if __name__ == "__main__":
    main()
