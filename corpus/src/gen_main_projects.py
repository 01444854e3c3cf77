"""Builds two layouts of a 主な事業 list (corpus/src/strategy/main_projects.tsv,
大野城市 令和６年度; family "major-projects"):

  012-onojo-main-projects.pdf        LibreOffice Writer, ruled, A4 landscape,
      IPA Mincho: 分野 (spanning its rows) / 事業名 / 事業概要 / 担当課 / 予算額 /
      財源内訳 over 国庫支出金 / 県支出金 / 地方債 / その他 / 一般財源, under a
      「（単位：千円）」 caption
  012-onojo-main-projects-latex.pdf  LuaLaTeX + luatexja, no rules at all
      (a whitespace table), A4 portrait, one table per 分野 under its heading:
      番号 / 事業名 / 担当課 / 予算額 / 一般財源 / 特定財源 over 国庫支出金 /
      県支出金 / 地方債 / その他 — another column order, no 事業概要

Gold records (from the TSV, never from keikaku's output): document; an
item per 事業 (title, department, category = 分野, item_no where the layout
numbers them, fields = every column of the layout as printed, labelled by
its header cell: README 'every column is a field') and its budget for fiscal
2024 in yen (千円 x 1000; a source printed as － is null).
Usage: gen_main_projects.py [writer|latex ...]   (default: both)
"""
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.join(HERE, "ogori_cards"))
import cardlib  # noqa: E402
import kkcorpus  # noqa: E402
from cardlib import GOTHIC, LABEL_BG, gcell  # noqa: E402
from gen_latex_cards import tex  # noqa: E402
from kkcorpus import nfkc, squash  # noqa: E402

CORPUS = os.path.dirname(HERE)
TITLE = "令和６年度　主な事業"
CITY, PREF, YEAR = "大野城市", "福岡県", 2024
SOURCES = [("国庫支出金", "national"), ("県支出金", "prefectural"), ("地方債", "bonds"), ("その他", "other")]
FW = str.maketrans("0123456789", "０１２３４５６７８９")


def money(n):
    return "{:,}".format(n) if n else "－"


def load():
    rows = []
    with open(os.path.join(HERE, "strategy", "main_projects.tsv"), encoding="utf-8") as f:
        for line in f:
            if line.startswith("#") or not line.strip():
                continue
            c = line.rstrip("\n").split("\t")
            r = {"field": c[0], "title": c[1], "dept": c[2], "total": int(c[3]), "national": int(c[4]),
                 "prefectural": int(c[5]), "bonds": int(c[6]), "other": int(c[7]), "summary": c[8]}
            r["general"] = r["total"] - sum(r[k] for _, k in SOURCES)
            assert r["general"] >= 0, r["title"]
            rows.append(r)
    for i, r in enumerate(rows, 1):
        r["no"] = str(i)
    return rows


def groups(rows):
    out = []
    for r in rows:
        if not out or out[-1][0] != r["field"]:
            out.append((r["field"], []))
        out[-1][1].append(r)
    return out


def writer(rows, name):
    lab = lambda t, **kw: gcell(t, font=GOTHIC, bg=LABEL_BG, align="center", valign="middle", **kw)
    num = lambda n: gcell(money(n), align="end", valign="middle")
    head = [[lab("分野", rowspan=2), lab("事業名", rowspan=2), lab("事業概要", rowspan=2), lab("担当課", rowspan=2),
             lab("予算額", rowspan=2), lab("財源内訳", colspan=5)],
            [lab(h) for h, _ in SOURCES] + [lab("一般財源")]]
    body = list(head)
    for field, rs in groups(rows):
        for i, r in enumerate(rs):
            first = [gcell(field, rowspan=len(rs), valign="middle", align="center")] if i == 0 else []
            body.append(first + [gcell(r["title"], valign="middle"), gcell(r["summary"], valign="middle"),
                                 gcell(r["dept"], valign="middle"), num(r["total"])]
                        + [num(r[k]) for _, k in SOURCES] + [num(r["general"])])
    doc = cardlib.CardDocument(footer="- {page} -", font=kkcorpus.MINCHO, size=9, margin_cm=1.5, landscape=True,
                               title=TITLE, author=CITY)
    doc.para(TITLE, font=GOTHIC, size=14, bold=True)
    doc.para("（単位：千円）", size=9, align="end")
    doc.grid("projects", body, [2.2, 4.4, 7.0, 2.4, 2.0, 1.8, 1.8, 1.8, 1.6, 1.7], header_rows=2,
             split_rows=False, anchors=("分野",))
    os.makedirs(os.path.join(CORPUS, "build"), exist_ok=True)
    src = os.path.join(CORPUS, "build", name + ".fodt")
    doc.save(src)
    t = doc.gold_tables[0]
    fields = lambda r: ([("分野", r["field"]), ("事業名", r["title"]), ("事業概要", r["summary"]), ("担当課", r["dept"]),
                         ("予算額", money(r["total"]))] + [(h, money(r[k])) for h, k in SOURCES]
                        + [("一般財源", money(r["general"]))])
    return (kkcorpus.to_pdf(src, CORPUS), [{"id": "projects", "ruled": True, "header_rows": 2, "rows": t["rows"]}],
            fields, False)


def latex(rows, name):
    out = [r"""\documentclass[a4paper,10pt]{ltjsarticle}
\usepackage[ipaex]{luatexja-preset}
\usepackage[margin=18mm]{geometry}
\usepackage{array}
\usepackage{hyperref}
\hypersetup{pdftitle={%s},pdfauthor={%s}}
\renewcommand{\arraystretch}{1.3}
\begin{document}
\section*{%s}
\hfill（単位：千円）""" % (TITLE, CITY, TITLE)]
    tables = []
    span = lambda t, c: {"text": t, "rowspan": 1, "colspan": c}
    for gi, (field, rs) in enumerate(groups(rows), 1):
        out.append(r"\subsection*{%s　%s}" % (str(gi).translate(FW), tex(field)))
        out.append(r"\noindent\begin{tabular}{@{}r p{4.6cm} l rrrrrr@{}}")
        out.append(r"番号 & 事業名 & 担当課 & 予算額 & 一般財源 & \multicolumn{4}{c}{特定財源} \\")
        out.append(" & & & & & " + " & ".join(h for h, _ in SOURCES) + r" \\[2mm]")
        trows = [["番号", "事業名", "担当課", "予算額", "一般財源", span("特定財源", 4)], [h for h, _ in SOURCES]]
        for r in rs:
            cells = [r["no"], r["title"], r["dept"], money(r["total"]), money(r["general"])] + \
                    [money(r[k]) for _, k in SOURCES]
            out.append(" & ".join(tex(c) for c in cells) + r" \\")
            trows.append(cells)
        out.append(r"\end{tabular}")
        tables.append({"id": "projects-%d" % gi, "ruled": False, "header_rows": 2, "rows": trows})
    out.append(r"\end{document}")
    os.makedirs(os.path.join(CORPUS, "build"), exist_ok=True)
    src = os.path.join(CORPUS, "build", name + ".tex")
    with open(src, "w", encoding="utf-8") as f:
        f.write("\n".join(out) + "\n")
    fields = lambda r: ([("番号", r["no"]), ("事業名", r["title"]), ("担当課", r["dept"]), ("予算額", money(r["total"])),
                         ("一般財源", money(r["general"]))] + [(h, money(r[k])) for h, k in SOURCES])
    return kkcorpus.latex_to_pdf(src, CORPUS), tables, fields, True


def gold(rows, name, pdf, tables, fields, numbered):
    texts = kkcorpus.page_texts(pdf)
    npages = len(texts)

    def page_of(s):
        found = [i + 1 for i, t in enumerate(texts) if squash(s) in t]
        if not found:
            raise SystemExit("%s: %r not printed" % (name, s))
        return found[0]
    for t in tables:
        cells = [c if isinstance(c, str) else c["text"] for row in t["rows"] for c in row]
        for c in cells:
            page_of(c)
        # the pages of the table: where its distinctive cells (事業名) are
        ps = [page_of(c) for c in cells if len(squash(c)) > 6]
        t["pages"] = [min(ps), max(ps)]
    sha = kkcorpus.sha256_file(pdf)
    recs = [{"type": "document", "format": "keikaku-records", "version": 1, "file": "corpus/" + name + ".pdf",
             "sha256": sha, "pages": npages, "title": nfkc(TITLE), "municipality": CITY, "prefecture": "福岡県",  # the city is the PDF author; no page prints the prefecture, the only one with a city of that name
             "family": "major-projects", "fiscal_start": YEAR, "fiscal_end": YEAR}]
    for r in rows:
        key = "i" + r["no"]
        page = page_of(r["title"])
        recs.append({"type": "item", "key": key, "item_no": r["no"] if numbered else None, "title": nfkc(r["title"]),
                     "department": nfkc(r["dept"]), "category": nfkc(r["field"]), "page": page,
                     "fields": [{"label": l, "value": nfkc(v)} for l, v in fields(r)]})
        rec = {"type": "budget", "item": key, "fiscal_year": YEAR, "total": r["total"] * 1000}
        for _, k in SOURCES:
            rec[k] = r[k] * 1000 if r[k] else None
        rec["general_fund"] = r["general"] * 1000 if r["general"] else None
        rec["page"] = page
        recs.append(rec)
    recs.append({"type": "end", "records": len(recs) - 1})
    kkcorpus.write_gold(name, tables, recs)
    print("  %s.pdf: %d pages, %d tables, %d records" % (name, npages, len(tables), len(recs) - 2))


def main():
    rows = load()
    for kind in sys.argv[1:] or ["writer", "latex"]:
        if kind not in ("writer", "latex"):
            raise SystemExit("usage: gen_main_projects.py [writer|latex ...]")
        name = "012-onojo-main-projects" + ("" if kind == "writer" else "-latex")
        gold(rows, name, *(writer if kind == "writer" else latex)(rows, name))


if __name__ == "__main__":
    main()
