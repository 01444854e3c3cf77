#!/usr/bin/python3
"""gen_ogori_results — corpus/002-ogori-results.pdf (family results-report)
and its gold files, from corpus/src/report/ogori.json (written from seed 002:
小郡市 令和２年度 主要施策の成果, 2款 総務費).

Layout, as the city prints it: one 施策 per page (longer ones run on); at
its top the 款・項 line of the budget section, then a ruled title box
(施策名 | 所管課), then labelled sections 【施策の目的】 【施策の実施】
【施策額の内訳】 【施策の評価】 (some 施策 add 【委員の構成】 【国庫支出金の内訳】
or merge labels, e.g. 【施策の実施及び施策額の内訳】), with detail tables inside
the sections, and in 施策額の内訳 the budget block: a ruled table
総額 | 財源内訳 (国庫支出金 県支出金 地方債 その他 一般財源) under
（単位：千円）, empty cells where a source paid nothing.

Gold records:
- document: title from the cover, 小郡市, 福岡県, fiscal 2020–2020;
- one item per 施策: item_no null, title = 施策名, department = 所管課,
  category = the 款・項 line, fields = one per 【label】 section in order,
  value = the section's text lines outside tables (paragraphs and table
  captions, not the （単位：…） unit lines), paragraphs joined by \\n;
- one budget per 施策: fiscal_year 2020, amounts 千円 × 1,000 in yen, null
  for an empty cell.
Pages are read off the generated PDF.

The variant (corpus/002-ogori-results-variant.pdf, built too unless --only
normal) is the same report for another city and year (熊本県玉名市, 令和３年度)
with every 所管課 renamed, other wording of the 施策 names and texts, the
numbers of the texts rewritten digit by digit, and every amount of the detail
tables and budget blocks tripled (so the 財源内訳 still add up to 総額): see
make_variant().

Usage: python3 gen_ogori_results.py [--only normal|variant]
"""
import hashlib
import json
import os
import re
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "report"))
import check_gold  # noqa: E402
import variant  # noqa: E402
from kkreport import (BUILD, CORPUS, GOTHIC, MINCHO, FooterDocument, PdfPages,  # noqa: E402
                      cell, gold_rows, nfkc, to_pdf, write_gold)

DATA = os.path.join(os.path.dirname(os.path.abspath(__file__)), "report", "ogori.json")
BUDGET_HEAD = ["国庫支出金", "県支出金", "地方債", "その他", "一般財源"]
BUDGET_KEYS = ["national", "prefectural", "bonds", "other", "general_fund"]


def head(text, **kw):
    return cell(text, font=GOTHIC, bold=True, align="center", **kw)


def budget_rows(b):
    rows = [[head("総　　額", rowspan=2), head("財　源　内　訳", colspan=5)],
            [head(h) for h in BUDGET_HEAD],
            [cell(v, align="end") for v in b]]
    return rows


def spec_rows(t):
    """A detail table from the JSON: header rows in Gothic, numbers right."""
    hr = t.get("header_rows", 1)
    rows = []
    for r, row in enumerate(t["rows"]):
        out = []
        for c in row:
            if isinstance(c, dict):
                kw = {"rowspan": c.get("rowspan", 1), "colspan": c.get("colspan", 1)}
                out.append(head(c["text"], **kw) if r < hr else cell(c["text"], **kw))
            elif r < hr:
                out.append(head(c))
            else:
                numeric = re.fullmatch(r"[△－-]?[0-9,.]+(%|円|千円|人|世帯)?", c) is not None
                out.append(cell(c, align="end" if numeric else None))
        rows.append(out)
    return rows


def row_needle(row):
    """The row's longest first-line cell text: what locates the row in the
    page text (letter-spaced cells like 合　　計 come out in pieces)."""
    best = ""
    for c in row:
        t = (c["text"] if isinstance(c, dict) else c).split("\n")[0]
        if len("".join(t.split())) > len("".join(best.split())):
            best = t
    if not best.strip():
        raise SystemExit("gen_ogori_results: a table row with no text")
    return best


# the variant: another city, other departments, other wording
RENAME = {"小郡": "玉名", "福岡県": "熊本県", "おごおり": "たまな",
          "人事法制課": "職員課", "総務広報課": "秘書広報室", "コミュニティ推進課": "地域協働課",
          "経営戦略課": "企画政策課", "商工・企業立地課": "産業振興課", "財政課": "財務課",
          "建設管理課": "土木管理課", "防災安全課": "危機管理センター", "市民課": "市民窓口課",
          "事業": "業務", "管理費": "運営費", "推進": "振興", "対策": "対応策"}
_REIWA2 = re.compile(r"(令和|R|Ｒ)(２|2)(?=年)")
_AMOUNT = re.compile(r"[0-9][0-9,]*")


def triple(v):
    """An amount as printed ("1,523"), tripled; other text unchanged."""
    if not _AMOUNT.fullmatch(v):
        return v
    return "{:,}".format(3 * int(v.replace(",", "")))


def make_variant(data):
    """The source data of the variant (see the module comment)."""
    data = variant.walk(data, lambda t: _REIWA2.sub(lambda m: m.group(1) + ("３" if m.group(2) == "２" else "3"), t))
    data = variant.walk(data, lambda t: variant.replace_all(t, RENAME))
    meta = data["meta"]
    meta["name"] += "-variant"
    meta["fiscal_start"] = meta["fiscal_end"] = meta["fiscal_year"] = 2021
    for sec in data["sections"]:
        for it in sec["items"]:
            it["budget"] = [triple(v) for v in it["budget"]]
            for b in it["blocks"]:
                if b[0] == "p":
                    b[1] = variant.remap_numbers_in(b[1])
                elif b[0] == "table":
                    t = b[1]
                    hr = t.get("header_rows", 1)
                    t["rows"] = t["rows"][:hr] + [[triple(c) if isinstance(c, str) else c for c in r]
                                                  for r in t["rows"][hr:]]
    return data


def build(data):
    meta = data["meta"]
    doc = FooterDocument(font=MINCHO, size=10, title=nfkc(meta["title"]), author=meta["author"],
                         margin_cm=1.8)
    # cover
    doc.para("\n\n\n\n\n\n\n\n")
    doc.para(meta["cover"][0], font=GOTHIC, size=26, bold=True, align="center")
    doc.para(meta["cover"][1], font=GOTHIC, size=12, align="center")
    doc.para("\n\n\n\n\n\n\n\n\n\n\n\n")
    doc.para(meta["cover"][2], font=GOTHIC, size=18, bold=True, align="center")
    doc.page_break()
    # intro
    doc.para(data["intro"][0], font=GOTHIC, size=14, bold=True)
    for line in data["intro"][1:]:
        doc.para(line)

    for sec in data["sections"]:
        for n, it in enumerate(sec["items"]):
            doc.page_break()
            doc.para(sec["kan"], font=GOTHIC, size=10.5, bold=True)
            doc.table([[cell(it["title"], font=GOTHIC, bold=True),
                        cell(it["dept"], font=GOTHIC, align="center")]],
                      [12.4, 5.0], ruled=True, size=12)
            for kind, *args in it["blocks"]:
                if kind == "h":
                    doc.para("【%s】" % args[0], font=GOTHIC, size=10.5, bold=True)
                elif kind == "p":
                    for line in args[0].split("\n"):
                        doc.para(line)
                elif kind == "caption":
                    doc.para(args[0], font=GOTHIC, size=10)
                elif kind == "unit":
                    doc.para(args[0], size=9, align="end")
                elif kind == "table":
                    t = args[0]
                    doc.table(spec_rows(t), t["widths"], ruled=t.get("ruled", True),
                              header_rows=t.get("header_rows", 1), size=9.5, split_rows=False)
                    doc.para("", size=5)
                elif kind == "budget":
                    doc.para("（単位：千円）", size=9, align="end")
                    doc.table(budget_rows(it["budget"]), [3.0] + [2.9] * 5, ruled=True,
                              header_rows=2, size=9.5, split_rows=False)
                    doc.para("", size=5)
                else:
                    raise SystemExit("gen_ogori_results: unknown block " + kind)

    os.makedirs(BUILD, exist_ok=True)
    src = os.path.join(BUILD, meta["name"] + ".fodt")
    doc.save(src)
    pdf = to_pdf(src, BUILD)
    final = os.path.join(CORPUS, meta["name"] + ".pdf")
    os.replace(pdf, final)
    return final


def yen(v):
    return None if v == "" else int(v.replace(",", "")) * 1000


def gold(data, pdf):
    meta = data["meta"]
    pages = PdfPages(pdf)
    sha = hashlib.sha256(open(pdf, "rb").read()).hexdigest()
    records = [{"type": "document", "format": "keikaku-records", "version": 1,
                "file": "corpus/" + os.path.basename(pdf), "sha256": sha,
                "pages": pages.count, "title": nfkc(meta["title"]),
                "municipality": meta["municipality"], "prefecture": meta["prefecture"],
                "family": meta["family"], "fiscal_start": meta["fiscal_start"],
                "fiscal_end": meta["fiscal_end"]}]
    tables = []
    # where each 施策 starts; everything of a 施策 is searched on its pages only
    starts = []
    cur = 2
    for sec in data["sections"]:
        for it in sec["items"]:
            cur = pages.find(it["title"] + it["dept"], cur)
            starts.append(cur)
    starts.append(pages.count + 1)
    k = 0
    for sec in data["sections"]:
        for it in sec["items"]:
            k += 1
            key = "i%d" % k
            p_item = cur = starts[k - 1]
            end = max(starts[k] - 1, p_item)
            tables.append({"id": "title-%d" % k, "pages": [p_item, p_item], "ruled": True,
                           "header_rows": 0, "rows": [[it["title"], it["dept"]]]})
            fields = []
            budget = None
            for kind, *args in it["blocks"]:
                if kind == "h":
                    cur = pages.find("【%s】" % args[0], cur, end)
                    fields.append({"label": nfkc(args[0]), "lines": [], "page": cur})
                elif kind in ("p", "caption"):
                    fields[-1]["lines"].append(args[0])
                elif kind == "table":
                    t = args[0]
                    body = t["rows"][t.get("header_rows", 1):] or t["rows"]
                    first = pages.find(row_needle(body[0]), cur, end)
                    last = pages.find(row_needle(body[-1]), first, end)
                    cur = last
                    tables.append({"id": t["id"], "pages": [first, last],
                                   "ruled": t.get("ruled", True),
                                   "header_rows": t.get("header_rows", 1),
                                   "rows": gold_rows(spec_rows(t))})
                elif kind == "budget":
                    first = pages.find("一般財源", cur, end)
                    last = pages.find(it["budget"][0], first, end)
                    cur = last
                    tables.append({"id": "budget-%d" % k, "pages": [first, last], "ruled": True,
                                   "header_rows": 2, "rows": gold_rows(budget_rows(it["budget"]))})
                    b = it["budget"]
                    budget = {"type": "budget", "item": key, "fiscal_year": meta["fiscal_year"],
                              "total": yen(b[0])}
                    for name, v in zip(BUDGET_KEYS, b[1:]):
                        budget[name] = yen(v)
                    budget["page"] = first
            records.append({"type": "item", "key": key, "item_no": None,
                            "title": nfkc(it["title"]), "department": nfkc(it["dept"]),
                            "category": nfkc(sec["kan"]), "page": p_item,
                            "fields": [{"label": f["label"],
                                        "value": nfkc("\n".join(f["lines"])),
                                        "page": f["page"]} for f in fields]})
            if budget is None:
                raise SystemExit("gen_ogori_results: %s has no budget block" % it["title"])
            # check the budget adds up, as the printed table does
            parts = [budget[n] or 0 for n in BUDGET_KEYS]
            if sum(parts) != budget["total"]:
                raise SystemExit("gen_ogori_results: %s: 財源 %d != 総額 %d"
                                 % (it["title"], sum(parts), budget["total"]))
            records.append(budget)
    records.append({"type": "end", "records": len(records) - 1})
    write_gold(meta["name"], os.path.basename(pdf), tables, records)
    if not check_gold.check(meta["name"]):
        raise SystemExit("gold check failed")
    n = {}
    for r in records:
        n[r["type"]] = n.get(r["type"], 0) + 1
    print("%s: %d pages, %d tables, records %s" % (os.path.basename(pdf), pages.count,
                                                   len(tables), n))


if __name__ == "__main__":
    only = variant.only_arg("gen_ogori_results.py")
    if only in (None, "normal"):
        d = json.load(open(DATA, encoding="utf-8"))
        gold(d, build(d))
    if only in (None, "variant"):
        d = make_variant(json.load(open(DATA, encoding="utf-8")))
        gold(d, build(d))
