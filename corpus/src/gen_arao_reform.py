#!/usr/bin/python3
"""gen_arao_reform — corpus/003-arao-reform-outline.pdf (family reform-outline)
and its gold files, from corpus/src/report/arao.json (written from seed 003:
荒尾市 第六次行政改革大綱 素案).

The PDF has the 施策体系 table (重点項目 › 施策 › 実施項目 with merged cells),
the 数値目標 / KPI tables (基準値 / 目標値 rows under one merged 指標 header),
the 経常収支比率 tables, the 健全化判断比率 table and the 中期財政計画 tables
(歳入 / 歳出 / 基金残高 / 地方債残高 rows × R7…R11, 単位：百万円).

Gold records: the document, one item per 実施項目 row (category = 重点項目,
fields = the three labelled cells of the row), a measure per 基準値 / 目標値
cell (document-level: item null; a 目標値 without a year is the plan's last
year), and a series record per cell of the four 中期財政計画 tables (value in
yen: 百万円 × 1,000,000).  The 図表8 / 図表9 tables are past actuals and
statutory ratios: they are in tables.json but are not series records.
Pages are read off the generated PDF.

The variant (corpus/003-arao-reform-outline-variant.pdf, built too unless
--only normal) is the same document for another city (三重県四日市市, a name with 市 inside) with
other wording of the 実施項目, other KPI numbers and every 中期財政計画
amount doubled (so the totals still add up): see make_variant().

Usage: python3 gen_arao_reform.py [--only normal|variant]
"""
import hashlib
import json
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "report"))
import check_gold  # noqa: E402
import variant  # noqa: E402
from kkreport import (BUILD, CORPUS, GOTHIC, MINCHO, FooterDocument, PdfPages,  # noqa: E402
                      cell, gold_rows, nfkc, to_pdf, write_gold)

DATA = os.path.join(os.path.dirname(os.path.abspath(__file__)), "report", "arao.json")


def head(text, **kw):
    return cell(text, font=GOTHIC, bold=True, align="center", **kw)


def taikei_rows(taikei):
    """The 施策体系 table: header, then one row per 実施項目; the 重点項目
    and 施策 cells span their rows."""
    rows = [[head("重点項目"), head("施策"), head("実施項目")]]
    flat = []
    for juten, shisaku_list in taikei:
        n_j = sum(len(items) for _, items in shisaku_list)
        first_j = True
        for shisaku, items in shisaku_list:
            first_s = True
            for item in items:
                row = []
                if first_j:
                    row.append(cell(juten, rowspan=n_j))
                if first_s:
                    row.append(cell(shisaku, rowspan=len(items)))
                row.append(item)
                rows.append(row)
                flat.append((juten, shisaku, item))
                first_j = first_s = False
    return rows, flat


def indicator_rows(ind):
    """A 数値目標/KPI table: a merged 指標 header, then two rows per
    indicator (基準値, 目標値) with the number and name spanning both."""
    rows = [[head("指標", colspan=4)]]
    for no, label, bh, bv, _, th, tv, _ in ind:
        rows.append([cell(no, rowspan=2, align="center"), cell(label, rowspan=2), bh,
                     cell(bv, align="end")])
        rows.append([th, cell(tv, align="end")])
    return rows


def grid_rows(headrow, body, first_bold=False):
    rows = [[head(h) for h in headrow]]
    for r in body:
        rows.append([r[0]] + [cell(v, align="end") for v in r[1:]])
    return rows


# the variant: another city, other wording, other numbers
CITY = {"荒尾": "四日市", "熊本県": "三重県", "浅田敏彦": "山田一郎"}
WORDING = {"見直し": "再点検", "推進": "強化", "適正化": "最適化", "適正管理": "計画的管理",
           "確保": "確立", "向上": "改善", "導入検討": "導入準備", "有効活用": "積極活用",
           "簡略化": "簡素化", "多様化": "拡充", "徹底": "堅持", "充実": "拡大"}


def make_variant(data):
    """The source data of the variant: city and item wording replaced
    everywhere, KPI values rewritten digit by digit (values scaled with
    them), past tables rewritten digit by digit, outlook amounts doubled."""
    data = variant.walk(data, lambda t: variant.replace_all(variant.replace_all(t, CITY), WORDING))
    data["meta"]["name"] += "-variant"
    for ind in data["indicators"].values():
        for row in ind:
            for vi, ci in ((3, 4), (6, 7)):
                raw, v = variant.remap_raw(row[vi], row[ci][0])
                row[vi] = raw
                row[ci] = [v] + row[ci][1:]
    for t in data["past"].values():
        t["rows"] = [[r[0]] + [variant.remap_numbers_in(c) for c in r[1:]] for r in t["rows"]]
    for corner, body in data["outlook"]["tables"].values():
        for r in body:
            r[1:] = ["{:,}".format(2 * int(c.replace(",", ""))) for c in r[1:]]
    return data


def build(is_variant=False):
    data = json.load(open(DATA, encoding="utf-8"))
    if is_variant:
        data = make_variant(data)
    meta = data["meta"]
    name = meta["name"]
    doc = FooterDocument(font=MINCHO, size=10.5, title=meta["title"], author=meta["author"],
                         margin_cm=2.0)
    tables = {}  # id -> (rows, widths)
    tables["taikei"], flat_items = taikei_rows(data["taikei"])[0], taikei_rows(data["taikei"])[1]
    widths = {"taikei": [3.4, 5.6, 8.0]}
    for k, ind in data["indicators"].items():
        tables[k] = indicator_rows(ind)
        widths[k] = [1.0, 7.4, 4.6, 4.0]
    for k, t in data["past"].items():
        tables[k] = grid_rows(t["head"], t["rows"])
        n = len(t["head"])
        widths[k] = [3.6] + [(17.0 - 3.6) / (n - 1)] * (n - 1) if k != "kenzenka" else [4.25] * 4
    out = data["outlook"]
    for k, (corner, body) in out["tables"].items():
        tables[k] = grid_rows([corner] + out["years"], body)
        widths[k] = [4.6] + [2.48] * len(out["years"])

    for kind, *args in data["blocks"]:
        if kind == "cover":
            lines = args[0]
            doc.para("\n\n\n\n\n\n")
            doc.para(lines[0], font=GOTHIC, size=24, bold=True, align="center")
            doc.para("\n")
            doc.para(lines[1], font=GOTHIC, size=14, align="center")
            doc.para("\n\n\n\n\n\n\n\n\n\n\n\n")
            doc.para(lines[2], font=GOTHIC, size=14, align="center")
            doc.para(lines[3], font=GOTHIC, size=16, bold=True, align="center")
            doc.page_break()
        elif kind == "h1":
            doc.para(args[0], font=GOTHIC, size=15, bold=True)
        elif kind == "h2":
            doc.para(args[0], font=GOTHIC, size=12.5, bold=True)
        elif kind == "h3":
            doc.para(args[0], font=GOTHIC, size=11, bold=True)
        elif kind == "p":
            doc.para("　" + args[0] if not args[0][:1] in "()(（<※○①②③0123456789１２３" else args[0])
        elif kind == "ul":
            for li in args[0]:
                doc.para("・" + li if not li.startswith("(") else li)
        elif kind == "sign":
            for li in args[0]:
                doc.para(li, align="end")
        elif kind == "pb":
            doc.page_break()
        elif kind == "shisaku_prose":
            for i, (juten, lst) in enumerate(data["taikei"], 1):
                doc.para("%d %s" % (i, juten), font=GOTHIC, size=12.5, bold=True)
                for j, (shisaku, items) in enumerate(lst, 1):
                    doc.para("(%d)%s" % (j, shisaku), font=GOTHIC, size=11, bold=True)
                    doc.para("　" + data["shisaku_text"][shisaku])
                    doc.para("<実施項目>", font=GOTHIC, size=10.5)
                    for it in items:
                        doc.para("・" + it)
        elif kind == "space":
            pass  # every table is followed by a small gap already
        elif kind == "caption":
            doc.para(args[0], font=GOTHIC, size=10.5, bold=True, align="center")
        elif kind == "unit":
            doc.para(args[0], size=9, align="end")
        elif kind == "table":
            tid = args[0]
            doc.table(tables[tid], widths[tid], ruled=True, header_rows=1, size=10,
                      split_rows=False)
            doc.para("", size=6)
        else:
            raise SystemExit("gen_arao_reform: unknown block " + kind)

    os.makedirs(BUILD, exist_ok=True)
    src = os.path.join(BUILD, name + ".fodt")
    doc.save(src)
    pdf = to_pdf(src, BUILD)
    final = os.path.join(CORPUS, name + ".pdf")
    os.replace(pdf, final)
    return data, tables, flat_items, final


def gold(data, tables, flat_items, pdf):
    meta = data["meta"]
    pages = PdfPages(pdf)
    sha = hashlib.sha256(open(pdf, "rb").read()).hexdigest()
    gtables = []
    records = [{"type": "document", "format": "keikaku-records", "version": 1,
                "file": "corpus/" + os.path.basename(pdf), "sha256": sha,
                "pages": pages.count, "title": nfkc(meta["title"]),
                "municipality": meta["municipality"], "prefecture": meta["prefecture"],
                "family": meta["family"], "fiscal_start": meta["fiscal_start"],
                "fiscal_end": meta["fiscal_end"]}]

    def add_table(tid, first, last):
        gtables.append({"id": tid, "pages": [first, last], "ruled": True, "header_rows": 1,
                        "rows": gold_rows(tables[tid])})

    # 施策体系: items
    # the 実施項目 are listed in the prose above the table too: on the
    # caption's page only the text after the caption counts
    caption = "図表 4 施策体系"
    cap_page = cur = pages.find(caption)
    first = None
    for i, (juten, shisaku, item) in enumerate(flat_items, 1):
        p = pages.find(item, cur, after=caption if cur == cap_page else None)
        first = first or p
        cur = p
        records.append({"type": "item", "key": "i%d" % i, "item_no": None,
                        "title": nfkc(item), "department": None, "category": nfkc(juten),
                        "page": p, "fields": [
                            {"label": "重点項目", "value": nfkc(juten), "page": p},
                            {"label": "施策", "value": nfkc(shisaku), "page": p},
                            {"label": "実施項目", "value": nfkc(item), "page": p}]})
    add_table("taikei", first, cur)

    # 数値目標 / KPI: measures
    cur = pages.find("1 数値目標")
    for tid in ("mokuhyo", "kpi1", "kpi2", "kpi3"):
        first = None
        for no, label, bh, bv, (bval, bunit, bfy), th, tv, (tval, tunit, tfy) in data["indicators"][tid]:
            p = pages.find(label[:8], cur)
            first = first or p
            pb = pages.find(bv, p)
            pt = pages.find(tv, pb)
            cur = pt
            records.append({"type": "measure", "item": None, "label": nfkc(label),
                            "role": "baseline", "value": bval, "unit": bunit,
                            "fiscal_year": bfy, "raw": nfkc(bv), "page": pb})
            records.append({"type": "measure", "item": None, "label": nfkc(label),
                            "role": "target", "value": tval, "unit": tunit,
                            "fiscal_year": tfy, "raw": nfkc(tv), "page": pt})
        add_table(tid, first, cur)

    # 図表8, 図表9: tables only
    cur = pages.find("図表 8 経常収支比率の推移とその内訳")
    for tid in ("keijo", "bunshi", "bunbo", "kenzenka"):
        body = data["past"][tid]["rows"]
        first = pages.find(body[0][0].split("\n")[0], cur)
        last = pages.find(body[-1][0].split("\n")[0], first)
        add_table(tid, first, last)
        cur = last

    # 中期財政計画: series
    out = data["outlook"]
    cur = pages.find("図表 10 一般会計の歳入歳出見込み")
    for tid, (corner, body) in out["tables"].items():
        first = None
        for row in body:
            p = pages.find(row[0], cur)
            first = first or p
            cur = p
            for k, v in enumerate(row[1:]):
                records.append({"type": "series", "table_title": corner,
                                "row_label": nfkc(row[0]),
                                "fiscal_year": out["first_year"] + k,
                                "value": int(v.replace(",", "")) * out["scale"],
                                "unit": "円", "page": p})
        add_table(tid, first, cur)

    records.append({"type": "end", "records": len(records) - 1})
    write_gold(meta["name"], os.path.basename(pdf), gtables, records)
    if not check_gold.check(meta["name"]):
        raise SystemExit("gold check failed")
    n = {}
    for r in records:
        n[r["type"]] = n.get(r["type"], 0) + 1
    print("%s: %d pages, %d tables, records %s" % (os.path.basename(pdf), pages.count,
                                                   len(gtables), n))


if __name__ == "__main__":
    only = variant.only_arg("gen_arao_reform.py")
    if only in (None, "normal"):
        gold(*build(False))
    if only in (None, "variant"):
        gold(*build(True))
