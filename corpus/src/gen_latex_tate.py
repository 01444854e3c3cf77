"""Builds corpus/007-kasuga-preface-tate.pdf: a vertical (縦組) document set
with LuaLaTeX and luatexja (ltjtarticle, IPAex Mincho, A4 portrait, columns
right to left): the preface of 春日市行政経営アクションプラン and the course of
its 審議会, from corpus/src/tate/preface.txt (markup in its header).  Dates
have two-digit numbers set across the column (縦中横, \\rensuji), single
digits full-width and upright, a signature set flush to the bottom of its
columns, a page number in the footer.

Gold: corpus/gold/007-kasuga-preface-tate.phrases.txt, a hand list of
phrases in reading order (format in corpus/README.md), which this script
only checks: every phrase must occur in the source in that order, and in
the PDF's text as Poppler's pdftotext -raw gives it.  The document has no
table: corpus/gold/007-kasuga-preface-tate.tables.json lists none (extract
must not need one to read the page).
Needs lualatex (texlive-luatex, texlive-lang-japanese) and pdftotext.
"""
import os
import re
import subprocess
import sys
import unicodedata

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import kkcorpus  # noqa: E402

CORPUS = os.path.dirname(HERE)
NAME = "007-kasuga-preface-tate"


def key(text):
    """NFKC, no whitespace: how phrases are compared."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))


def read_source(path):
    with open(path, encoding="utf-8") as f:
        return [l.rstrip("\n") for l in f if l.strip() and not l.startswith("# ")]


def read_phrases(path):
    with open(path, encoding="utf-8") as f:
        return [l.strip() for l in f if l.strip() and not l.startswith("#")]


def tex_inline(text):
    return re.sub(r"\{([0-9]{2,3})\}", r"\\rensuji{\1}", text)


def latex(lines):
    out = [r"""\documentclass[a4paper,12pt]{ltjtarticle}
\usepackage[ipaex]{luatexja-preset}
\usepackage[margin=25mm]{geometry}
\usepackage{hyperref}
\hypersetup{pdftitle={春日市行政経営アクションプラン　発刊にあたって},pdfauthor={春日市}}
\begin{document}"""]
    sig = []
    for line in lines + ["=END"]:
        if sig and not line.startswith("> "):
            out.append(r"\begin{flushright}" + r"\\".join(sig) + r"\end{flushright}")
            sig = []
        if line == "=PAGE":
            out.append(r"\clearpage")
        elif line == "=END":
            pass
        elif line.startswith("## "):
            out.append(r"\section*{%s}" % line[3:])
        elif line.startswith("> "):
            sig.append(tex_inline(line[2:]))
        elif line.startswith("- "):
            out.append(r"\noindent\hspace*{2\zw}%s\par" % tex_inline(line[2:]))
        else:
            out.append(tex_inline(line) + r"\par")
    out.append(r"\end{document}")
    return "\n".join(out) + "\n"


def in_order(phrases, text):
    """The phrases not found in text in the given order (greedy)."""
    pos, missing = 0, []
    for p in phrases:
        i = text.find(key(p), pos)
        if i < 0:
            missing.append(p)
        else:
            pos = i + len(key(p))
    return missing


def main():
    lines = read_source(os.path.join(HERE, "tate", "preface.txt"))
    build = os.path.join(CORPUS, "build")
    os.makedirs(build, exist_ok=True)
    src = os.path.join(build, NAME + ".tex")
    with open(src, "w", encoding="utf-8") as f:
        f.write(latex(lines))
    pdf = kkcorpus.latex_to_pdf(src, CORPUS)
    phrases = read_phrases(os.path.join(CORPUS, "gold", NAME + ".phrases.txt"))
    source_text = key("".join(re.sub(r"\{([0-9]+)\}", r"\1", re.sub(r"^(## |> |- )", "", l))
                              for l in lines if l != "=PAGE"))
    missing = in_order(phrases, source_text)
    if missing:
        raise SystemExit("gen_latex_tate: phrases not in the source in order: %s" % missing)
    raw = key(subprocess.run(["pdftotext", "-raw", pdf, "-"], capture_output=True, text=True,
                             check=True).stdout)
    missing = in_order(phrases, raw)
    if missing:
        raise SystemExit("gen_latex_tate: phrases not in the PDF's text in order: %s" % missing)
    kkcorpus.write_gold(NAME, [])
    info = subprocess.run(["pdfinfo", pdf], capture_output=True, text=True, check=True).stdout
    print("  %s.pdf: %s pages, %d phrases in order" % (NAME, re.search(r"Pages:\s+(\d+)", info).group(1),
                                                       len(phrases)))


if __name__ == "__main__":
    main()
