"""Builds two LibreOffice Writer editions of the year-column list of
corpus/src/yearlist/ (see yearlist/yearlib.py), with other labels, column
order and fonts than the Calc edition (gen_yearlist_calc.py), and a long
取組内容 cell in every row:

  005-munakata-year-list-unruled.pdf  A4 landscape, IPAex Gothic 9 pt, no
      ruling lines at all (a whitespace table), every cell vertically
      centred so the one-line cells sit beside the middle of the wrapped
      取組内容; one header row 番号 / 取組事項 / 取組内容 / 所管課 / 令和６年度 /
      令和７年度 / 令和８年度 / 効果額（千円）, repeated on every page.
  005-munakata-year-list-split.pdf    A4 portrait, IPAex Mincho 8.5 pt,
      ruled, rows allowed to break across a page (the 取組内容 of a row runs
      on at the top of the next page); a two-level header 番号 / 所管課 /
      取組事項 / 取組内容 / 年度別計画 (over 令和６年度 … 令和８年度) / 効果額
      （千円）repeated on every page.

Both carry a 「（単位：千円）」 caption above the table, category rows spanning
the table and a page number in the footer.  Writes the .fodt sources to
corpus/build/, the PDFs to corpus/ and their gold files to corpus/gold/.
Usage: gen_yearlist_writer.py [unruled|split ...]   (default: both)
"""
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.join(HERE, "yearlist"))
sys.path.insert(0, os.path.join(HERE, "ogori_cards"))
import cardlib  # noqa: E402
import kkcorpus  # noqa: E402
import yearlib  # noqa: E402
from cardlib import gcell  # noqa: E402

TITLE = "宗像市行政改革実施計画　取組一覧（令和６年度～令和８年度）"
YEARS = ["令和６年度", "令和７年度", "令和８年度"]
EFFECT = "効果額\n（千円）"

EDITIONS = {
    "unruled": {"font": "IPAexGothic", "size": 9, "landscape": True, "margin": 1.35, "ruled": False,
                # 番号 取組事項 取組内容 所管課 R6 R7 R8 効果額
                "order": ["no", "title", "content", "dept", "y0", "y1", "y2", "effect"],
                "widths": [1.0, 5.0, 8.8, 2.8, 2.6, 2.6, 2.6, 1.6],
                "labels": {"no": "番号", "title": "取組事項", "content": "取組内容", "dept": "所管課"}},
    "split": {"font": "IPAexMincho", "size": 8.5, "landscape": False, "margin": 1.35, "ruled": True,
              # 番号 所管課 取組事項 取組内容 [年度別計画: R6 R7 R8] 効果額
              "order": ["no", "dept", "title", "content", "y0", "y1", "y2", "effect"],
              "widths": [0.9, 2.0, 3.2, 5.0, 1.9, 1.9, 1.9, 1.5],
              "labels": {"no": "番号", "title": "取組事項", "content": "取組内容", "dept": "所管課"}},
}


def header(ed):
    """(rows of header cells, gold header rows, header words)."""
    h = lambda t, **kw: gcell(t, font=ed["font"], align="center", valign="middle", bold=True, **kw)
    names = {**ed["labels"], "effect": EFFECT}
    if not ed["ruled"]:
        row = [h(names.get(k) or YEARS[int(k[1])]) for k in ed["order"]]
        return [row], [[c["text"] for c in row]]
    top, second = [], []
    for k in ed["order"]:
        if k == "y0":
            top.append(h("年度別計画", colspan=3))
        elif k in ("y1", "y2"):
            continue
        else:
            top.append(h(names[k], rowspan=2))
    second = [h(y) for y in YEARS]
    gold = [[c["text"] if c["rowspan"] == 1 and c["colspan"] == 1 else
             {"text": c["text"], "rowspan": c["rowspan"], "colspan": c["colspan"]} for c in top],
            YEARS[:]]
    return [top, second], gold


def build(kind):
    ed = EDITIONS[kind]
    name = "005-munakata-year-list-" + kind
    rows = yearlib.load()
    doc = cardlib.CardDocument(footer="- {page} -", font=ed["font"], size=ed["size"], landscape=ed["landscape"],
                       margin_cm=ed["margin"], title=TITLE, author=yearlib.MUNICIPALITY)
    doc.para(TITLE, size=13, bold=True)
    doc.para("（単位：千円）", size=ed["size"], align="end")
    hrows, _ = header(ed)
    body = list(hrows)
    ncols = len(ed["order"])
    for i, (cat, items) in enumerate(yearlib.categories(rows)):
        body.append([gcell("%s　%s" % (yearlib.CATEGORY_NO[i], cat), colspan=ncols, bold=True,
                           valign="middle")])
        for r in items:
            cells = []
            for k in ed["order"]:
                text = r["years"][int(k[1])] if k[0] == "y" else r[k]
                align = {"no": "center", "effect": "end"}.get(k, "center" if k[0] == "y" else None)
                cells.append(gcell(text, align=align, valign="middle"))
            body.append(cells)
    doc.grid("year-list", body, ed["widths"], header_rows=len(hrows), ruled=ed["ruled"],
             split_rows=True, anchors=("番号",))
    os.makedirs(yearlib.BUILD, exist_ok=True)
    src = os.path.join(yearlib.BUILD, name + ".fodt")
    doc.save(src)
    pdf = kkcorpus.to_pdf(src, yearlib.CORPUS)
    pt_cm = 72 / 2.54
    col0 = (ed["margin"] * pt_cm, (ed["margin"] + ed["widths"][0]) * pt_cm)
    hwords = set()
    for hr in hrows:
        for c in hr:
            hwords.update(c["text"].split("\n"))
    item_pages, split, pages = yearlib.locate_rows(pdf, rows, col0, hwords)
    first, last = min(item_pages.values()), max(item_pages.values())
    if split and split[-1]["pages"][1] > last:
        last = split[-1]["pages"][1]
    gt = doc.gold_tables[0]
    tables = [{"id": gt["id"], "pages": [first, last], "ruled": gt["ruled"],
               "header_rows": gt["header_rows"], "rows": gt["rows"]}]
    labels = [(ed["labels"].get(k) or (EFFECT if k == "effect" else YEARS[int(k[1])]), k) for k in ed["order"]]
    recs = yearlib.records(name, pdf, TITLE, rows, item_pages, pages, labels)
    yearlib.write_gold(name, tables, recs, check_pdf=pdf)
    print("  %s.pdf: %d pages, %d rows, %d records; rows split at a page break: %s"
          % (name, pages, len(rows), len(recs) - 2,
             ", ".join("%s (p.%d-%d)" % (s["item_no"], *s["pages"]) for s in split) or "none"))
    return split


def main():
    kinds = sys.argv[1:] or list(EDITIONS)
    for k in kinds:
        if k not in EDITIONS:
            raise SystemExit("usage: gen_yearlist_writer.py [unruled|split ...]")
        split = build(k)
        if k == "split" and not split:
            raise SystemExit("gen_yearlist_writer: no row split at a page break in the split edition")


if __name__ == "__main__":
    main()
