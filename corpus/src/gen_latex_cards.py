"""Builds corpus/006-kasuga-action-plan-latex.pdf: an action-plan card
document (the 001 family, action-plan-cards) typeset with LuaLaTeX and
luatexja (horizontal writing, IPAex fonts), from corpus/src/latexcards/cards.txt.

Other labels and column order than 001: each card is a ruled grid
所管部署 | value | 取組番号 | value, then 取組名称 / 現状と課題 / 取組の概要 /
成果指標 rows (shaded label cell, value spanning three columns), and under
it a separate ruled schedule table whose columns are fiscal years (年度 |
令和５年度（実績） | 令和６年度（計画） | 令和７年度（計画） | 令和８年度（計画）)
with one 取組内容 row, where 001 has one row per year.  One card per page,
a 基本方針 heading above the first card of each; a cover and a short
preface first; page numbers in the footer.

Gold (from the source, never from keikaku):
  corpus/gold/006-kasuga-action-plan-latex.tables.json  card-NO (header_rows 0)
      and sched-NO (header_rows 1) per card
  corpus/gold/006-kasuga-action-plan-latex.records.jsonl  document; per card
      an item (fields = the card grid's labelled cells in reading order) and
      four schedules (令和５年度 actual, 令和６–８年度 plan, the year from the
      header cell)
Needs lualatex (texlive-luatex, texlive-lang-japanese) and pdftotext.
"""
import os
import re
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import kkcorpus  # noqa: E402
from kkcorpus import nfkc, page_texts, squash  # noqa: E402

CORPUS = os.path.dirname(HERE)
NAME = "006-kasuga-action-plan-latex"
TITLE = "春日市行政経営アクションプラン"
MUNICIPALITY, PREFECTURE = "春日市", "福岡県"
KEYS = ("所管部署", "取組名称", "現状と課題", "取組の概要", "成果指標", "R5実績", "R6計画", "R7計画", "R8計画")
SCHED = [("R5実績", "令和５年度（実績）", 2023, "actual"), ("R6計画", "令和６年度（計画）", 2024, "plan"),
         ("R7計画", "令和７年度（計画）", 2025, "plan"), ("R8計画", "令和８年度（計画）", 2026, "plan")]
FULLWIDTH_NO = "１２３４５６７８９"
CARDS = os.path.join(HERE, "latexcards", "cards.txt")


def read_cards(path):
    """[(section title, [card dicts])] from cards.txt (format in its header)."""
    sections, card, key = [], None, None
    key_re = re.compile(r"^(%s): (.*)$" % "|".join(KEYS))
    with open(path, encoding="utf-8") as f:
        for line in f:
            line = line.rstrip("\n")
            if line.startswith("#") or not line.strip():
                key = None
            elif line.startswith("@section "):
                sections.append((line[9:], []))
            elif line.startswith("@card "):
                card = {"no": line[6:].strip()}
                sections[-1][1].append(card)
            else:
                m = key_re.match(line)
                if m:
                    key = m.group(1)
                    card[key] = m.group(2)
                elif key:
                    card[key] += "\n" + line
                else:
                    raise SystemExit("cards.txt: stray line %r" % line)
    for _, cards in sections:
        for c in cards:
            missing = [k for k in KEYS if k not in c]
            if missing:
                raise SystemExit("cards.txt: card %s lacks %s" % (c["no"], missing))
    return sections


_TEX = {"\\": r"\textbackslash{}", "&": r"\&", "%": r"\%", "$": r"\$", "#": r"\#",
        "_": r"\_", "{": r"\{", "}": r"\}", "~": r"\textasciitilde{}", "^": r"\textasciicircum{}"}


def tex(text):
    """text escaped for LaTeX; a line break of the source is a \\newline."""
    return r"\newline ".join("".join(_TEX.get(ch, ch) for ch in line) for line in text.split("\n"))


# the card's labels as this edition prints them (another edition may print
# others: gen_cards_writer_centred.py)
LABELS = {k: k for k in ("所管部署", "取組番号", "取組名称", "現状と課題", "取組の概要", "成果指標")}


def card_rows(c, labels=LABELS, number_first=False):
    """The card grid as gold rows (cells that start in each row); with
    number_first the number pair comes first in the top row."""
    span = lambda t: {"text": t, "rowspan": 1, "colspan": 3}
    L = labels
    top = [[L["所管部署"], c["所管部署"]], [L["取組番号"], c["no"]]]
    if number_first:
        top.reverse()
    return [top[0] + top[1],
            [L["取組名称"], span(c["取組名称"])],
            [L["現状と課題"], span(c["現状と課題"])],
            [L["取組の概要"], span(c["取組の概要"])],
            [L["成果指標"], span(c["成果指標"])]]


def sched_rows(c):
    return [["年度"] + [h for _, h, _, _ in SCHED], ["取組内容"] + [c[k] for k, _, _, _ in SCHED]]


def latex(sections, ruled=True):
    """The LaTeX source; ruled=False: no rule and no shading at all
    (gen_latex_cards_unruled.py)."""
    L = r"\cellcolor[gray]{0.88}" if ruled else ""
    bar = "|" if ruled else ""
    hline = r" \hline" if ruled else ""
    out = [r"""\documentclass[a4paper,11pt]{ltjsarticle}
\usepackage[ipaex]{luatexja-preset}
\usepackage[margin=20mm]{geometry}
\usepackage{array}
\usepackage[table]{xcolor}
\usepackage{hyperref}
\hypersetup{pdftitle={%s（令和６年度～令和８年度）},pdfauthor={%s}}
\renewcommand{\arraystretch}{1.35}
\newcolumntype{L}[1]{>{\centering\arraybackslash}m{#1}}
\newcolumntype{V}[1]{>{\raggedright\arraybackslash}m{#1}}
\newcommand{\wide}{\dimexpr 5.6cm+2.4cm+4.4cm+4\tabcolsep+2\arrayrulewidth\relax}
\begin{document}
\thispagestyle{empty}
\vspace*{60mm}
\begin{center}
{\huge\gtfamily\bfseries %s\par}
\vspace{12mm}
{\Large\gtfamily （令和６年度～令和８年度）\par}
\vspace{80mm}
{\Large\gtfamily 令和６年３月\par}
\vspace{6mm}
{\LARGE\gtfamily %s\par}
\end{center}
\clearpage
\section*{はじめに}
本市では、令和６年度から令和８年度までの３年間を計画期間とする行政経営アクションプランを策定しました。
このプランは、市民との対話と情報発信、行政サービスのデジタル化、持続可能な財政運営の三つの基本方針のもとに、具体的な取組を定めるものです。
各取組は、毎年度の実績を確認し、必要に応じて内容を見直しながら進めていきます。
""" % (TITLE, MUNICIPALITY, TITLE, MUNICIPALITY)]
    for si, (title, cards) in enumerate(sections):
        for ci, c in enumerate(cards):
            out.append(r"\clearpage")
            if ci == 0:
                out.append(r"\section*{基本方針%s　%s}" % (FULLWIDTH_NO[si], tex(title)))
            out.append(r"\noindent\begin{tabular}{%sL{2.4cm}%sV{5.6cm}%sL{2.4cm}%sV{4.4cm}%s}%s" % ((bar,) * 5 + (hline.strip(),)))
            out.append(r"%s所管部署 & %s & %s取組番号 & %s \\%s" % (L, tex(c["所管部署"]), L, tex(c["no"]), hline))
            for k in ("取組名称", "現状と課題", "取組の概要", "成果指標"):
                out.append(r"%s%s & \multicolumn{3}{V{\wide}%s}{%s} \\%s" % (L, k, bar, tex(c[k]), hline))
            out.append(r"\end{tabular}")
            out.append(r"\par\vspace{8mm}\noindent\begin{tabular}{%sL{2.0cm}%sV{3.2cm}%sV{3.2cm}%sV{3.2cm}%sV{3.2cm}%s}%s"
                       % ((bar,) * 6 + (hline.strip(),)))
            out.append(" & ".join([L + "年度"] + [r"\multicolumn{1}{L{3.2cm}%s}{%s}" % (bar, h) for _, h, _, _ in SCHED]) + r" \\" + hline)
            out.append(" & ".join([L + "取組内容"] + [tex(c[k]) for k, _, _, _ in SCHED]) + r" \\" + hline)
            out.append(r"\end{tabular}")
    out.append(r"\end{document}")
    return "\n".join(out) + "\n"


def write_gold(name, pdf, sections, ruled=True, labels=LABELS, number_first=False):
    """Finds each card's page in the built PDF, checks every gold cell line
    is printed there, and writes corpus/gold/NAME.tables.json and
    NAME.records.jsonl.  Returns (pages, tables, cards, records)."""
    texts = page_texts(pdf)
    tables, recs = [], []
    sha = kkcorpus.sha256_file(pdf)
    recs.append({"type": "document", "format": "keikaku-records", "version": 1,
                 "file": "corpus/" + name + ".pdf", "sha256": sha, "pages": len(texts),
                 "title": nfkc(TITLE), "municipality": MUNICIPALITY, "prefecture": "福岡県",  # printed nowhere, but the only prefecture with a city of that name (the gazetteer's rule)
                 "family": "action-plan-cards", "fiscal_start": 2024, "fiscal_end": 2026})
    n = 0
    for title, cards in sections:
        for c in cards:
            n += 1
            pages = [i + 1 for i, t in enumerate(texts) if squash(labels["取組番号"]) in t and squash(c["no"]) in t]
            if len(pages) != 1:
                raise SystemExit("%s: card %s found on pages %s" % (name, c["no"], pages))
            page = pages[0]
            cells = card_rows(c, labels, number_first)
            for tid, rows in (("card-" + c["no"], cells), ("sched-" + c["no"], sched_rows(c))):
                for row in rows:
                    for cell in row:
                        s = cell if isinstance(cell, str) else cell["text"]
                        for line in s.split("\n"):
                            if squash(line) not in texts[page - 1]:
                                raise SystemExit("%s: %r not printed on page %d" % (name, line, page))
                tables.append({"id": tid, "pages": [page, page], "ruled": ruled,
                               "header_rows": 1 if tid.startswith("sched") else 0, "rows": rows})
            key = "i%d" % n
            fields = []
            for row in cells:
                for lab, val in zip(row[0::2], row[1::2]):
                    v = val if isinstance(val, str) else val["text"]
                    fields.append({"label": lab, "value": nfkc(v), "page": page})
            recs.append({"type": "item", "key": key, "item_no": nfkc(c["no"]), "title": nfkc(c["取組名称"]),
                         "department": nfkc(c["所管部署"]), "category": nfkc(title), "page": page,
                         "fields": fields})
            for k, _, fy, kind in SCHED:
                recs.append({"type": "schedule", "item": key, "fiscal_year": fy, "kind": kind,
                             "text": nfkc(c[k]), "page": page})
    recs.append({"type": "end", "records": len(recs) - 1})
    kkcorpus.write_gold(name, tables, recs)
    return len(texts), len(tables), n, len(recs) - 2


def main():
    sections = read_cards(CARDS)
    build = os.path.join(CORPUS, "build")
    os.makedirs(build, exist_ok=True)
    src = os.path.join(build, NAME + ".tex")
    with open(src, "w", encoding="utf-8") as f:
        f.write(latex(sections))
    pdf = kkcorpus.latex_to_pdf(src, CORPUS)
    print("  %s.pdf: %d pages, %d tables, %d cards, %d records" % ((NAME,) + write_gold(NAME, pdf, sections)))


if __name__ == "__main__":
    main()
