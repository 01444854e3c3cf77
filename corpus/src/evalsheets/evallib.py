"""evallib — source data, page finding and gold records shared by the
事務事業評価シート generators (gen_evalsheet_writer.py, gen_evalsheet_calc.py).

sheets.json (this directory) holds the sheets: per project its number,
name, department, policy (施策), texts, a cost table by fiscal year in 千円
(total and the sources 国庫支出金 / 県支出金 / 地方債 / その他; 一般財源 is
the rest) and indicators with 目標値 / 実績値 per fiscal year and a unit.

Gold records (the same facts in every layout; only field labels follow the
layout's own labels), made from sheets.json, never from keikaku's output:
  document  title, municipality, prefecture, family "evaluation-sheet",
            fiscal_start = fiscal_end = the evaluation year
  item      one per sheet: item_no, title, department, category (施策),
            page, fields = the sheet's labelled text cells in reading order
  budget    one per fiscal year of the cost table, in yen (千円 x 1000),
            a source printed as － is null
  measure   one per indicator, role (target | actual) and fiscal year with a
            value: label = the indicator's name, value and unit from the
            indicator's own unit (千円 becomes 円 x 1000; the cost table's
            千円 never applies to it), raw = the cell as printed
"""
import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
import kkcorpus  # noqa: E402
from kkcorpus import nfkc, page_texts, squash, write_gold  # noqa: E402,F401

HERE = os.path.dirname(os.path.abspath(__file__))
CORPUS = os.path.dirname(os.path.dirname(HERE))
BUILD = os.path.join(CORPUS, "build")
FAMILY = "evaluation-sheet"
SOURCES = ("national", "prefectural", "bonds", "other")
NONE = "－"


def load():
    with open(os.path.join(HERE, "sheets.json"), encoding="utf-8") as f:
        data = json.load(f)
    for s in data["sheets"]:
        for c in s["costs"]:
            c["general"] = c["total"] - sum(c[k] for k in SOURCES)
            assert c["general"] >= 0, s["no"]
    return data


def money(n):
    """A 千円 amount as printed: 1,250; 0 as －."""
    return "{:,}".format(n) if n else NONE


def sheet_pages(pdf, data):
    """({sheet no: page}, page texts): the one page that prints each
    sheet's number."""
    texts = page_texts(pdf)
    pages = {}
    for s in data["sheets"]:
        found = [i + 1 for i, t in enumerate(texts) if squash(s["no"]) in t]
        if len(found) != 1:
            raise SystemExit("evallib: sheet %s found on pages %s of %s" % (s["no"], found, pdf))
        pages[s["no"]] = found[0]
    return pages, texts


def check_tables(name, tables, texts):
    """Every line of every gold cell is printed on its table's page."""
    for t in tables:
        text = "".join(texts[p - 1] for p in range(t["pages"][0], t["pages"][1] + 1))
        for row in t["rows"]:
            for c in row:
                s = c if isinstance(c, str) else c["text"]
                for line in s.split("\n"):
                    if squash(line) not in text:
                        raise SystemExit("%s: table %s: %r not printed on its page" % (name, t["id"], line))


def _number(raw):
    v = float(raw.replace(",", ""))
    return int(v) if v == int(v) and "." not in raw else v


def records(name, pdf, title, data, pages, fields_of):
    """The gold records (module comment).  fields_of(sheet) gives the
    sheet's [(label, value)] in the layout's reading order."""
    sha = kkcorpus.sha256_file(pdf)
    fy = data["evaluation_year"]
    recs = [{"type": "document", "format": "keikaku-records", "version": 1,
             "file": "corpus/" + name + ".pdf", "sha256": sha, "pages": len(page_texts(pdf)),
             "title": nfkc(title), "municipality": data["city"], "prefecture": data["prefecture"],
             "family": FAMILY, "fiscal_start": fy, "fiscal_end": fy}]
    for n, s in enumerate(data["sheets"], 1):
        key = "i%d" % n
        page = pages[s["no"]]
        recs.append({"type": "item", "key": key, "item_no": s["no"], "title": nfkc(s["title"]),
                     "department": nfkc(s["dept"]), "category": nfkc(s["policy"]), "page": page,
                     "fields": [{"label": nfkc(squash(l)), "value": nfkc(v)} for l, v in fields_of(s)]})
        for year, c in zip(data["years"], s["costs"]):
            rec = {"type": "budget", "item": key, "fiscal_year": year, "total": c["total"] * 1000}
            for k in SOURCES:
                rec[k] = c[k] * 1000 if c[k] else None
            rec["general_fund"] = c["general"] * 1000 if c["general"] else None
            rec["page"] = page
            recs.append(rec)
        for ind in s["indicators"]:
            unit = nfkc(ind["unit"])
            scale, unit = (1000, "円") if unit == "千円" else (1, unit)
            for role in ("target", "actual"):
                for year, raw in zip(data["years"], ind[role]):
                    if raw is None:
                        continue
                    v = _number(raw)
                    recs.append({"type": "measure", "item": key, "label": nfkc(ind["name"]), "role": role,
                                 "value": v * scale, "unit": unit, "fiscal_year": year,
                                 "raw": nfkc(raw), "page": page})
    recs.append({"type": "end", "records": len(recs) - 1})
    return recs
