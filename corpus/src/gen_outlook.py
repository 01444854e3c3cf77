"""Builds two layouts of a 中期財政見通し (corpus/src/strategy/outlook.json,
宗像市; family "fiscal-outlook", no pattern file yet):

  011-munakata-fiscal-outlook-calc.pdf   LibreOffice Calc: one table 区分 /
      令和６年度 … 令和10年度, section rows 歳入 and 歳出 spanning the table,
      each closed by its total (歳入合計, 歳出合計), amounts as numbers with a
      thousands separator, a 「（単位：百万円）」 caption above the table
  011-munakata-fiscal-outlook-latex.pdf  LuaLaTeX + luatexja: the table
      turned round — one ruled table per section whose rows are the fiscal
      years and whose columns are the 区分 (年度 / 地方税 / … / 歳入合計),
      the unit in a line under each section's heading

Gold records (from outlook.json, never from keikaku's output): document and
one series per section, row and fiscal year: table_title = the section
(歳入 / 歳出), row_label = the 区分 as printed, value in yen (百万円 x
1,000,000), unit 円.  Tables gold: the tables as laid out.  Table facts
gold (corpus/gold/NAME.facts.tsv, every fact of the document, for
tests/e2e/facts_corpus.sh; `facts` writes only these, without building the
PDFs): one fact per amount cell with the labels as laid out: calc, row
label the 区分 (the section row spans the table: no label of its rows),
column label the 年度; latex, row label the 年度, column label the 区分;
the fiscal year the 年度's, the value in yen.
Usage: gen_outlook.py [calc|latex|facts ...]   (default: calc and latex)
"""
import json
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import kkcalc  # noqa: E402
import kkcorpus  # noqa: E402
from gen_kpi import nendo  # noqa: E402
from gen_latex_cards import tex  # noqa: E402
from kkcorpus import nfkc, squash  # noqa: E402

CORPUS = os.path.dirname(HERE)
UNIT = "（単位：百万円）"


def load():
    with open(os.path.join(HERE, "strategy", "outlook.json"), encoding="utf-8") as f:
        d = json.load(f)
    for s in d["sections"]:
        s["rows"].append([s["total"], [sum(r[1][i] for r in s["rows"]) for i in range(len(d["years"]))]])
    return d


def heading(d):
    return "%s（%s～%s）" % (d["title"], nendo(d["years"][0]), nendo(d["years"][-1]))


def calc(d, name):
    years = [nendo(y) for y in d["years"]]
    sh = kkcalc.Sheet([4.0] + [2.5] * len(years), "IPAPGothic", 10, margin_lr=1.8, title=d["title"],
                      author=d["city"])
    st = {"title": sh.style("title", border=False, bold=True, size=14, valign="bottom", wrap=False),
          "blank": sh.style("blank", border=False), "unit": sh.style("unit", border=False, align="end"),
          "head": sh.style("head", align="center", bold=True, bg="#e6e6e6"),
          "sec": sh.style("sec", bold=True), "text": sh.style("text"),
          "num": sh.style("num", align="end", number=True), "tot": sh.style("tot", bold=True)}
    tc = sh.cell
    ncol = 1 + len(years)
    sh.row([tc(heading(d), st["title"])] + [tc("", st["blank"])] * len(years), height=1.0)
    sh.row([tc("", st["blank"])] * (ncol - 2) + [tc(UNIT, st["unit"], cols=2)])
    sh.row([tc("区分", st["head"])] + [tc(y, st["head"]) for y in years])
    rows = [["区分"] + years]
    for s in d["sections"]:
        sh.row([tc(s["title"], st["sec"], cols=ncol)])
        rows.append([{"text": s["title"], "rowspan": 1, "colspan": ncol}])
        for label, vals in s["rows"]:
            sh.row([tc(("　" if label != s["total"] else "") + label, st["tot" if label == s["total"] else "text"])]
                   + [tc("{:,}".format(v), st["num"], value=v) for v in vals])
            rows.append([label] + ["{:,}".format(v) for v in vals])
    os.makedirs(os.path.join(CORPUS, "build"), exist_ok=True)
    src = os.path.join(CORPUS, "build", name + ".fods")
    sh.save(src)
    return kkcorpus.to_pdf(src, CORPUS), [{"id": "outlook", "ruled": True, "header_rows": 1, "rows": rows}]


def latex(d, name):
    out = [r"""\documentclass[a4paper,10pt]{ltjsarticle}
\usepackage[ipaex]{luatexja-preset}
\usepackage[margin=18mm]{geometry}
\usepackage{array}
\usepackage{hyperref}
\hypersetup{pdftitle={%s},pdfauthor={%s}}
\renewcommand{\arraystretch}{1.3}
\begin{document}
\section*{%s}
本市の今後５年間の財政の見通しを、現行の制度と令和６年度当初予算をもとに試算しました。
""" % (d["title"], d["city"], heading(d))]
    tables = []
    for s in d["sections"]:
        labels = [r[0] for r in s["rows"]]
        out.append(r"\subsection*{%s}" % s["title"])
        out.append(r"\noindent %s\par\smallskip" % UNIT)
        out.append(r"\noindent\begin{tabular}{|c|%s|}\hline" % "|".join(["r"] * len(labels)))
        head = ["年度"] + labels
        out.append(" & ".join(r"\multicolumn{1}{c|}{%s}" % tex(h) if i else tex(h) for i, h in enumerate(head))
                   + r" \\ \hline")
        rows = [head]
        for i, y in enumerate(d["years"]):
            cells = [nendo(y)] + ["{:,}".format(r[1][i]) for r in s["rows"]]
            out.append(" & ".join(tex(c) for c in cells) + r" \\ \hline")
            rows.append(cells)
        out.append(r"\end{tabular}")
        tables.append({"id": "outlook-" + s["title"], "ruled": True, "header_rows": 1, "rows": rows})
    out.append(r"\end{document}")
    os.makedirs(os.path.join(CORPUS, "build"), exist_ok=True)
    src = os.path.join(CORPUS, "build", name + ".tex")
    with open(src, "w", encoding="utf-8") as f:
        f.write("\n".join(out) + "\n")
    return kkcorpus.latex_to_pdf(src, CORPUS), tables


def gold(d, name, pdf, tables):
    texts = kkcorpus.page_texts(pdf)
    npages = len(texts)
    if npages != 1:
        raise SystemExit("%s: %d pages, the layout is meant to fit one" % (name, npages))
    text = texts[0]
    for t in tables:
        t["pages"] = [1, 1]
        for row in t["rows"]:
            for c in row:
                s = c if isinstance(c, str) else c["text"]
                if squash(s) not in text:
                    raise SystemExit("%s: %r not printed" % (name, s))
    sha = kkcorpus.sha256_file(pdf)
    recs = [{"type": "document", "format": "keikaku-records", "version": 1, "file": "corpus/" + name + ".pdf",
             "sha256": sha, "pages": npages, "title": nfkc(d["title"]), "municipality": d["city"],
             "prefecture": "福岡県",  # printed nowhere, but the only prefecture with a city of that name (the gazetteer's rule)
             "family": "fiscal-outlook", "fiscal_start": d["years"][0],
             "fiscal_end": d["years"][-1]}]
    for s in d["sections"]:
        for label, vals in s["rows"]:
            for y, v in zip(d["years"], vals):
                recs.append({"type": "series", "table_title": s["title"], "row_label": nfkc(label),
                             "fiscal_year": y, "value": v * 1000000, "unit": "円", "page": 1})
    recs.append({"type": "end", "records": len(recs) - 1})
    kkcorpus.write_gold(name, tables, recs)
    print("  %s.pdf: %d tables, %d records" % (name, len(tables), len(recs) - 2))


def facts_gold(d, kind):
    """Writes corpus/gold/011-munakata-fiscal-outlook-KIND.facts.tsv: every
    table fact of that layout (row_label, column_label, value, unit,
    fiscal_year), from outlook.json."""
    name = "011-munakata-fiscal-outlook-" + kind
    lines = ["# Every table fact of corpus/%s.pdf, from corpus/src/strategy/outlook.json" % name,
             "# (written by gen_outlook.py facts; never from keikaku's output): amounts in 百万円",
             "# under （単位：百万円） are yen x 1,000,000; the 年度 is the fiscal year.",
             "# Columns: row_label, column_label, value (base units), unit, fiscal_year."]
    for s in d["sections"]:
        for label, vals in s["rows"]:
            for y, v in zip(d["years"], vals):
                row, col = (label, nendo(y)) if kind == "calc" else (nendo(y), label)
                lines.append("\t".join([nfkc(row), nfkc(col), str(v * 1000000), "円", str(y)]))
    with open(os.path.join(CORPUS, "gold", name + ".facts.tsv"), "w", encoding="utf-8") as f:
        f.write("\n".join(lines) + "\n")
    print("  %s.facts.tsv: %d facts" % (name, len(lines) - 4))


def main():
    d = load()
    for kind in sys.argv[1:] or ["calc", "latex"]:
        if kind not in ("calc", "latex", "facts"):
            raise SystemExit("usage: gen_outlook.py [calc|latex|facts ...]")
        if kind == "facts":
            for k in ("calc", "latex"):
                facts_gold(d, k)
            continue
        name = "011-munakata-fiscal-outlook-" + kind
        gold(d, name, *(calc if kind == "calc" else latex)(d, name))
        facts_gold(d, kind)


if __name__ == "__main__":
    main()
