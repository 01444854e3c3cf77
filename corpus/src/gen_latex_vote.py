"""Builds corpus/008-kasuga-vote-latex.pdf: a horizontal page with a ruled
vote table whose header cells hold the members' names set vertically
(縦書き in a 横書き document, luatexja \\hbox{\\tate ...}), typeset with
LuaLaTeX, from corpus/src/tate/vote.txt (format in its header).

Gold (from the source, never from keikaku's output):
  corpus/gold/008-kasuga-vote-latex.tables.json  the vote table: 議案番号 /
      件名 / 委員の賛否 (over the seven names) / 結果, header_rows 2
  corpus/gold/008-kasuga-vote-latex.lines.txt    the names, each of which
      must come out as one line (the format is in corpus/README.md)
Needs lualatex (texlive-luatex, texlive-lang-japanese) and pdftotext.
"""
import os
import re
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import kkcorpus  # noqa: E402
from gen_latex_cards import tex  # noqa: E402
from kkcorpus import squash  # noqa: E402

CORPUS = os.path.dirname(HERE)
NAME = "008-kasuga-vote-latex"
TITLE = "第５回春日市行政経営審議会　議決結果"


def read_votes(path):
    members, bills = [], []
    with open(path, encoding="utf-8") as f:
        for line in f:
            line = line.rstrip("\n")
            if line.startswith("@members "):
                members = line[9:].split("|")
            elif line.startswith("@bill "):
                no, title, votes, result = line[6:].split("|")
                bills.append((no, title, list(votes), result))
    for b in bills:
        if len(b[2]) != len(members):
            raise SystemExit("vote.txt: bill %s has %d votes for %d members" % (b[0], len(b[2]), len(members)))
    return members, bills


def latex(members, bills):
    n = len(members)
    out = [r"""\documentclass[a4paper,11pt]{ltjsarticle}
\usepackage[ipaex]{luatexja-preset}
\usepackage[margin=20mm]{geometry}
\usepackage{array}
\usepackage{hyperref}
\hypersetup{pdftitle={%s},pdfauthor={春日市}}
\renewcommand{\arraystretch}{1.4}
\begin{document}
\section*{%s}
令和６年２月２６日に開催した第５回審議会における議案ごとの各委員の賛否は、次のとおりです。

\noindent（○賛成　×反対　－欠席）
\par\vspace{3mm}
\noindent\begin{tabular}{|c|p{6.2cm}|%s|c|}\hline""" % (TITLE, TITLE, "|".join(["c"] * n))]
    # 議案番号, 件名 and 結果 span both header rows: no rule between them,
    # their text in the second row (multirow is not in Debian's base TeX)
    out.append(r" & & \multicolumn{%d}{c|}{委員の賛否} & \\ \cline{3-%d}" % (n, n + 2))
    out.append("議案番号 & 件名 & " + " & ".join(r"\raisebox{0pt}[\dimexpr\height+2mm][\dimexpr\depth+1mm]{\hbox{\tate %s}}" % tex(m)
                                        for m in members)
               + r" & 結果 \\ \hline")
    for no, title, votes, result in bills:
        out.append(" & ".join([tex(no), tex(title)] + votes + [tex(result)]) + r" \\ \hline")
    out.append(r"\end{tabular}")
    out.append(r"\end{document}")
    return "\n".join(out) + "\n"


def main():
    members, bills = read_votes(os.path.join(HERE, "tate", "vote.txt"))
    build = os.path.join(CORPUS, "build")
    os.makedirs(build, exist_ok=True)
    src = os.path.join(build, NAME + ".tex")
    with open(src, "w", encoding="utf-8") as f:
        f.write(latex(members, bills))
    pdf = kkcorpus.latex_to_pdf(src, CORPUS)
    span = lambda t, r, c: {"text": t, "rowspan": r, "colspan": c}
    rows = [[span("議案番号", 2, 1), span("件名", 2, 1), span("委員の賛否", 1, len(members)), span("結果", 2, 1)],
            list(members)]
    rows += [[no, title] + votes + [result] for no, title, votes, result in bills]
    raw = squash(subprocess.run(["pdftotext", "-raw", pdf, "-"], capture_output=True, text=True,
                                check=True).stdout)
    for row in rows:
        for c in row:
            s = c if isinstance(c, str) else c["text"]
            if squash(s) not in raw:
                raise SystemExit("gen_latex_vote: %r not printed" % s)
    kkcorpus.write_gold(NAME, [{"id": "votes", "pages": [1, 1], "ruled": True, "header_rows": 2, "rows": rows}])
    with open(os.path.join(CORPUS, "gold", NAME + ".lines.txt"), encoding="utf-8") as f:
        listed = [l.strip() for l in f if l.strip() and not l.startswith("#")]
    if sorted(re.sub(r"\s", "", m) for m in members) != sorted(re.sub(r"\s", "", l) for l in listed):
        raise SystemExit("gen_latex_vote: %s.lines.txt does not list the members of vote.txt" % NAME)
    print("  %s.pdf: vote table %d x %d, %d names set vertically" % (NAME, len(rows), len(members) + 3,
                                                                     len(members)))


if __name__ == "__main__":
    main()
