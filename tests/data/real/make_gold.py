#!/usr/bin/python3
"""Gold records (items and budgets) from the hand transcriptions beside
this script: NAME.tsv -> NAME.records.jsonl.  Usage: make_gold.py NAME."""
import json
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))


def major_projects(name, rows):
    out = [{"type": "document", "family": "major-projects"}]
    for page, no, dept, title, r3, r4, *src in rows:
        key = "i" + no
        out.append({"type": "item", "key": key, "item_no": no, "title": title, "department": dept,
                    "category": None, "page": int(page), "fields": []})
        out.append({"type": "budget", "item": key, "fiscal_year": 2021, "total": int(r3) * 1000,
                    "national": None, "prefectural": None, "bonds": None, "other": None, "general_fund": None})
        b = {"type": "budget", "item": key, "fiscal_year": 2022, "total": int(r4) * 1000}
        for member, v in zip(("national", "prefectural", "bonds", "other", "general_fund"), src + [""] * 5):
            b[member] = int(v) * 1000 if v else None
        out.append(b)
    return out


def strategy_kpi(name, rows):
    out = [{"type": "document", "family": "strategy-kpi"}]
    for label, role, value, unit, fy, raw in rows:
        out.append({"type": "measure", "item": None, "label": label, "role": role,
                    "value": int(value) if value else None, "unit": unit or None,
                    "fiscal_year": int(fy), "raw": raw})
    return out


def main():
    name = sys.argv[1]
    rows = [l.rstrip("\n").split("\t") for l in open(os.path.join(HERE, name + ".tsv"), encoding="utf-8")
            if l.strip() and not l.startswith("#")]
    records = {"nankoku_R4_shuyou_keizoku_jigyou": major_projects,
               "otoineppu_sougou_senryaku_kpi": strategy_kpi}[name](name, rows)
    with open(os.path.join(HERE, name + ".records.jsonl"), "w", encoding="utf-8") as f:
        for o in records:
            f.write(json.dumps(o, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main()
