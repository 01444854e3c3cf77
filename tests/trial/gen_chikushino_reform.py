#!/usr/bin/env python3
"""Made-up layout for issue 12's trial: 筑紫野市行政改革推進計画 取組一覧.
One ruled table, columns 取組番号 / 取組名 / 担当課 / 取組内容 / 年度別計画 (R7 R8 R9,
a two-level header) / 目標指標 / 目標値(R9).  Content invented.
Writes chikushino-reform-list.html; build the PDF with
  soffice --headless --convert-to pdf chikushino-reform-list.html
and the gold with --gold (page numbers from pdftotext of the PDF)."""
import html, json, sys, subprocess, hashlib, re

TITLE = "筑紫野市行政改革推進計画 取組一覧（令和7年度～令和9年度）"
# no, name, dept, content, R7, R8, R9, indicator, target(raw), value, unit
ITEMS = [
 ("1-1", "行政手続のオンライン化の推進", "デジタル推進課", "窓口で受け付けている申請・届出を順次オンライン化し、来庁せずに手続ができる環境を整える。",
  "対象手続の洗出し\n優先順位の決定", "50手続をオンライン化", "全対象手続をオンライン化", "オンライン化した手続数", "120件", 120, "件"),
 ("1-2", "窓口のキャッシュレス決済導入", "市民課", "証明書発行手数料等の支払にキャッシュレス決済を導入し、利便性を高める。",
  "導入方式の検討", "本庁舎で導入", "支所へ拡大", "キャッシュレス決済の利用率", "40%", 40, "%"),
 ("1-3", "AI-OCR・RPAの活用拡大", "デジタル推進課", "定型的な入力作業にAI-OCRとRPAを導入し、職員の事務負担を軽減する。",
  "対象業務の選定", "10業務に導入", "効果検証・対象拡大", "削減された作業時間", "3,000時間", 3000, "時間"),
 ("2-1", "公共施設の統廃合", "資産経営課", "公共施設等総合管理計画に基づき、利用の少ない施設の統廃合を進める。",
  "個別施設計画の改訂", "地元説明会の開催", "2施設の統廃合", "延床面積の削減率", "5%", 5, "%"),
 ("2-2", "未利用市有地の売却", "資産経営課", "活用の見込みのない市有地を一般競争入札により売却する。",
  "売却候補地の選定", "3件売却", "3件売却", "売却収入", "60,000千円", 60000000, "円"),
 ("2-3", "使用料・手数料の見直し", "財政課", "受益者負担の原則に基づき、施設使用料及び手数料の額を見直す。",
  "原価計算の実施", "改定案の作成\n条例改正", "新料金の適用", "見直し件数", "25件", 25, "件"),
 ("3-1", "職員の人材育成の充実", "人事課", "階層別研修に加え、デジタル人材の育成研修を新たに実施する。",
  "研修計画の策定", "研修の実施", "研修の実施・評価", "デジタル研修の受講者数", "200人", 200, "人"),
 ("3-2", "時間外勤務の縮減", "人事課", "業務の平準化と事務の見直しにより、時間外勤務を縮減する。",
  "部署別の実態把握", "縮減目標の設定", "取組の継続", "職員一人当たりの時間外勤務", "120時間以内", 120, "時間"),
 ("3-3", "市民協働の推進", "協働推進課", "地域コミュニティ団体と市の協働事業を拡大し、地域課題の解決を図る。",
  "協働事業の募集", "協働事業の実施", "成果報告会の開催", "協働事業の件数", "15件", 15, "件"),
 ("3-4", "ふるさと納税の推進", "商工観光課", "返礼品の充実と情報発信の強化により、寄附額の増加を図る。",
  "返礼品の公募", "新規返礼品の開発", "ポータルサイトの追加", "ふるさと納税寄附額", "500,000千円", 500000000, "円"),
]

def cell(t, **kw):
    a = "".join(f' {k}="{v}"' for k, v in kw.items())
    return f"<td{a}>" + "<br>".join(html.escape(x) for x in t.split("\n")) + "</td>"

def write_html(path):
    rows = []
    for it in ITEMS:
        no, name, dept, content, r7, r8, r9, ind, tgt = it[:9]
        rows.append("<tr>" + "".join(cell(x) for x in (no, name, dept, content, r7, r8, r9, ind, tgt)) + "</tr>")
    doc = f"""<!DOCTYPE html><html><head><meta charset="utf-8"><title>{html.escape(TITLE)}</title>
<style>body{{font-family:'IPAexGothic';font-size:8pt}} td,th{{font-size:10pt;vertical-align:top}}</style></head><body>
<p style="font-size:14pt"><b>{html.escape(TITLE)}</b></p>
<p>本計画は、筑紫野市行政改革大綱に掲げる基本方針を具体化するため、令和7年度から令和9年度までの3年間に取り組む事項をまとめたものです。</p>
<table border="1" cellspacing="0" cellpadding="2" width="100%">
<thead><tr><th rowspan="2">取組番号</th><th rowspan="2">取組名</th><th rowspan="2">担当課</th><th rowspan="2">取組内容</th>
<th colspan="3">年度別計画</th><th rowspan="2">目標指標</th><th rowspan="2">目標値(R9)</th></tr>
<tr><th>R7</th><th>R8</th><th>R9</th></tr></thead>
<tbody>
{chr(10).join(rows)}
</tbody></table>
</body></html>"""
    open(path, "w").write(doc)

def write_gold(pdf, out):
    n = int(re.search(r"Pages:\s+(\d+)", subprocess.run(["pdfinfo", pdf], capture_output=True, text=True).stdout).group(1))
    pages = [subprocess.run(["pdftotext", "-f", str(p), "-l", str(p), pdf, "-"], capture_output=True, text=True).stdout for p in range(1, n + 1)]
    def page_of(name):
        name = re.sub(r"\s", "", name)[:5]  # cells wrap: pdftotext interleaves columns
        for i, t in enumerate(re.sub(r"\s", "", q) for q in pages):
            if name in t:
                return i + 1
        raise SystemExit("not found: " + name)
    sha = hashlib.sha256(open(pdf, "rb").read()).hexdigest()
    recs = [{"type": "document", "format": "keikaku-records", "version": 1, "file": "tests/trial/" + pdf.split("/")[-1],
             "sha256": sha, "pages": n, "title": TITLE.replace("（", "(").replace("）", ")").replace("～", "~"),  # as normalized (corpus/gold)
             "municipality": "筑紫野市", "prefecture": "福岡県",
             "family": "reform-target-list", "fiscal_start": 2025, "fiscal_end": 2027}]
    for k, it in enumerate(ITEMS, 1):
        no, name, dept, content, r7, r8, r9, ind, tgt, val, unit = it
        p = page_of(name)
        key = f"i{k}"
        labels = ["取組番号", "取組名", "担当課", "取組内容", "R7", "R8", "R9", "目標指標", "目標値(R9)"]
        recs.append({"type": "item", "key": key, "item_no": no, "title": name, "department": dept, "category": None,
                     "page": p, "fields": [{"label": l, "value": v} for l, v in zip(labels, it[:9])]})
        for fy, t in ((2025, r7), (2026, r8), (2027, r9)):
            recs.append({"type": "schedule", "item": key, "fiscal_year": fy, "kind": "plan", "text": t, "page": p})
        recs.append({"type": "measure", "item": key, "label": ind, "role": "target", "value": val, "unit": unit,
                     "fiscal_year": 2027, "raw": tgt, "page": p})
    recs.append({"type": "end", "records": len(recs) - 1})
    with open(out, "w") as f:
        for r in recs:
            f.write(json.dumps(r, ensure_ascii=False) + "\n")

if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "--gold":
        write_gold("chikushino-reform-list.pdf", "chikushino-reform-list.records.jsonl")
    else:
        write_html("chikushino-reform-list.html")
