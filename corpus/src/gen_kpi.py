"""Builds two layouts of the KPI tables of a 総合戦略 (corpus/src/strategy/kpi.json,
第２期春日市まち・ひと・しごと創生総合戦略; family "strategy-kpi", no pattern file
yet):

  010-kasuga-strategy-kpi.pdf        LibreOffice Writer, ruled, IPA Mincho:
      one table 基本目標 (spanning its KPI rows) / 重要業績評価指標（ＫＰＩ） /
      単位 / 基準値 / 基準年度 / 現状値（令和４年度） / 目標値（令和６年度）
  010-kasuga-strategy-kpi-latex.pdf  LuaLaTeX + luatexja, booktabs (horizontal
      rules only, no vertical ones), one table per 基本目標 under its heading,
      columns in another order with the unit inside the cells:
      指標 / 目標値（令和６年度） / 現状値（令和４年度） / 基準値（基準年度）,
      the 基準年度 in brackets after the base value.

Gold records (from kpi.json, never from keikaku's output): document; an
item per 基本目標 (item_no, title); per KPI three measures, label = the KPI,
role baseline (fiscal_year = its 基準年度), actual (the 現状値's year, from
the header) and target (the 目標値's year, from the header); value from the
printed number and the unit (千円 becomes 円 x 1000; no unit: null), raw =
the cell as printed.  Tables gold: the tables as laid out.
Usage: gen_kpi.py [writer|latex ...]   (default: both)
"""
import json
import os
import re
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.join(HERE, "ogori_cards"))
import cardlib  # noqa: E402
import kkcorpus  # noqa: E402
from cardlib import GOTHIC, LABEL_BG, gcell  # noqa: E402
from kkcorpus import nfkc, squash  # noqa: E402
from gen_latex_cards import tex  # noqa: E402

CORPUS = os.path.dirname(HERE)
FW = str.maketrans("0123456789", "０１２３４５６７８９")
HEADING = "基本目標ごとの重要業績評価指標（ＫＰＩ）"


def nendo(year):
    """2019 → 令和元年度, 2018 → 平成３０年度, 2022 → 令和４年度."""
    if year >= 2019:
        n = year - 2018
        return "令和%s年度" % ("元" if n == 1 else str(n).translate(FW))
    return "平成%s年度" % str(year - 1988).translate(FW)


def load():
    with open(os.path.join(HERE, "strategy", "kpi.json"), encoding="utf-8") as f:
        return json.load(f)


def writer(d, name):
    cur, tgt = "現状値\n（%s）" % nendo(d["current_year"]), "目標値\n（%s）" % nendo(d["target_year"])
    lab = lambda t, **kw: gcell(t, font=GOTHIC, bg=LABEL_BG, align="center", valign="middle", **kw)
    num = lambda t: gcell(t, align="end", valign="middle")
    head = ["基本目標", "重要業績評価指標（ＫＰＩ）", "単位", "基準値", "基準年度", cur, tgt]
    rows = [[lab(h) for h in head]]
    raws = {}
    for g in d["goals"]:
        for i, k in enumerate(g["kpis"]):
            first = [gcell("%s　%s" % (g["no"].translate(FW), g["name"]), rowspan=len(g["kpis"]),
                           valign="middle")] if i == 0 else []
            rows.append(first + [gcell(k["name"], valign="middle"), gcell(k["unit"], align="center", valign="middle"),
                                 num(k["base"]), gcell(nendo(k["base_year"]), align="center", valign="middle"),
                                 num(k["current"]), num(k["target"])])
            raws[k["name"]] = (k["base"], k["current"], k["target"])
    doc = cardlib.CardDocument(footer="- {page} -", font=kkcorpus.MINCHO, size=10, margin_cm=1.5,
                               title=d["title"], author=d["city"])
    doc.para(d["title"], font=GOTHIC, size=15, bold=True, align="center")
    doc.para("（計画期間　%s～%s）" % (nendo(d["plan"][0]), nendo(d["plan"][1])), size=10.5, align="center")
    doc.para("")
    doc.para(HEADING, font=GOTHIC, size=12, bold=True)
    doc.grid("kpi", rows, [3.6, 5.2, 1.2, 1.9, 2.2, 2.0, 2.0], header_rows=1, split_rows=False,
             anchors=(squash(HEADING),))
    os.makedirs(os.path.join(CORPUS, "build"), exist_ok=True)
    src = os.path.join(CORPUS, "build", name + ".fodt")
    doc.save(src)
    pdf = kkcorpus.to_pdf(src, CORPUS)
    t = doc.gold_tables[0]
    return pdf, [{"id": "kpi", "ruled": True, "header_rows": 1, "rows": t["rows"]}], raws


def latex(d, name):
    cur, tgt = "現状値（%s）" % nendo(d["current_year"]), "目標値（%s）" % nendo(d["target_year"])
    tables, raws = [], {}
    out = [r"""\documentclass[a4paper,11pt]{ltjsarticle}
\usepackage[ipaex]{luatexja-preset}
\usepackage[margin=20mm]{geometry}
\usepackage{array,booktabs}
\usepackage{hyperref}
\hypersetup{pdftitle={%s},pdfauthor={%s}}
\begin{document}
\begin{center}{\Large\gtfamily\bfseries %s\par}\vspace{2mm}（計画期間　%s～%s）\end{center}
\section*{%s}""" % (d["title"], d["city"], d["title"], nendo(d["plan"][0]), nendo(d["plan"][1]), HEADING)]
    for g in d["goals"]:
        heading = "基本目標%s　%s" % (g["no"].translate(FW), g["name"])
        out.append(r"\subsection*{%s}" % heading)
        out.append(r"\noindent\begin{tabular}{@{}p{6.4cm}rrr@{}}\toprule")
        head = ["指標", tgt, cur, "基準値（基準年度）"]
        out.append(" & ".join(r"\multicolumn{1}{c}{%s}" % h if i else h for i, h in enumerate(head)) + r" \\ \midrule")
        rows = [head]
        for k in g["kpis"]:
            cells = [k["name"], k["target"] + k["unit"], k["current"] + k["unit"],
                     "%s%s（%s）" % (k["base"], k["unit"], nendo(k["base_year"]))]
            out.append(" & ".join(tex(c) for c in cells) + r" \\")
            rows.append(cells)
            raws[k["name"]] = (cells[3], cells[2], cells[1])
        out.append(r"\bottomrule\end{tabular}")
        tables.append({"id": "kpi-" + g["no"], "ruled": False, "header_rows": 1, "rows": rows})
    out.append(r"\end{document}")
    os.makedirs(os.path.join(CORPUS, "build"), exist_ok=True)
    src = os.path.join(CORPUS, "build", name + ".tex")
    with open(src, "w", encoding="utf-8") as f:
        f.write("\n".join(out) + "\n")
    return kkcorpus.latex_to_pdf(src, CORPUS), tables, raws


def value(raw, unit):
    m = re.match(r"[0-9,]+(\.[0-9]+)?", raw)
    v = float(m.group(0).replace(",", ""))
    v = v if m.group(1) else int(v)
    u = nfkc(unit) or None
    return (v * 1000, "円") if u == "千円" else (v, u)


def gold(d, name, pdf, tables, raws):
    texts = kkcorpus.page_texts(pdf)
    npages = len(texts)

    def page_of(s):
        found = [i + 1 for i, t in enumerate(texts) if squash(s) in t]
        if not found:
            raise SystemExit("%s: %r not printed" % (name, s))
        return found[0]
    for t in tables:
        cells = [c if isinstance(c, str) else c["text"] for row in t["rows"] for c in row]
        first = page_of(t["rows"][1][-1] if isinstance(t["rows"][1][-1], str) else t["rows"][1][-1]["text"])
        for c in cells:
            for line in c.split("\n"):
                page_of(line)
        t["pages"] = [first, max(page_of(c.split("\n")[0]) for c in cells if c)]
    sha = kkcorpus.sha256_file(pdf)
    recs = [{"type": "document", "format": "keikaku-records", "version": 1, "file": "corpus/" + name + ".pdf",
             "sha256": sha, "pages": npages, "title": nfkc(d["title"]), "municipality": d["city"],
             "prefecture": "福岡県",  # printed nowhere, but the only prefecture with a city of that name (the gazetteer's rule)
             "family": "strategy-kpi", "fiscal_start": d["plan"][0],
             "fiscal_end": d["plan"][1]}]
    for g in d["goals"]:
        key = "i" + g["no"]
        page = page_of(g["kpis"][0]["name"])
        recs.append({"type": "item", "key": key, "item_no": g["no"], "title": nfkc(g["name"]), "department": None,
                     "category": None, "page": page, "fields": []})
        for k in g["kpis"]:
            p = page_of(k["name"])
            for role, year, raw, printed in zip(("baseline", "actual", "target"),
                                                (k["base_year"], d["current_year"], d["target_year"]),
                                                (k["base"], k["current"], k["target"]), raws[k["name"]]):
                v, u = value(raw, k["unit"])
                recs.append({"type": "measure", "item": key, "label": nfkc(k["name"]), "role": role, "value": v,
                             "unit": u, "fiscal_year": year, "raw": nfkc(printed), "page": p})
    recs.append({"type": "end", "records": len(recs) - 1})
    kkcorpus.write_gold(name, tables, recs)
    print("  %s.pdf: %d pages, %d tables, %d records" % (name, npages, len(tables), len(recs) - 2))


def main():
    d = load()
    for kind in sys.argv[1:] or ["writer", "latex"]:
        if kind == "writer":
            name = "010-kasuga-strategy-kpi"
            gold(d, name, *writer(d, name))
        elif kind == "latex":
            name = "010-kasuga-strategy-kpi-latex"
            gold(d, name, *latex(d, name))
        else:
            raise SystemExit("usage: gen_kpi.py [writer|latex ...]")


if __name__ == "__main__":
    main()
