#!/usr/bin/env python3
"""Make tests/trial2/heldout: a second layout for schedule grids, written
after the [card] schedule grid rule and kept apart from its tuning.

三次市 (広島県) 業務改革推進計画 事業別工程表: one ruled table per 事業, the
label rows (事業番号 / 事業名 / 担当部署 / 事業概要) and, in the same table,
a year grid with other wording than tests/trial2: western fiscal years
(2024年度 … 2027年度) across a 区分 row, 予定 / 結果 rows down, dashes "-"
and "ー" for nothing done.  Two 事業 per page, three pages.

From DATA below this writes
  miyoshi-koteihyo.html          the source (LibreOffice Writer reads it)
  miyoshi-koteihyo.pdf           soffice --headless --convert-to pdf
  miyoshi-koteihyo.records.jsonl the gold (patterns/README.md, "Gold files")
The gold is written from DATA, never from keikaku's output; the only thing
read back from the PDF is pdftotext's text per page, to assert that each
事業 starts on the page DATA says.
Run: python3 tests/trial2/heldout/make_heldout.py   (needs soffice, pdftotext)
"""
import html, json, os, subprocess, sys, tempfile, shutil

HERE = os.path.dirname(os.path.abspath(__file__))
BASE = "miyoshi-koteihyo"
FAMILY = "koteihyo-card"
TITLE = "三次市業務改革推進計画 事業別工程表"
PERIOD = "計画期間 2024年度～2027年度"
MUNI, PREF = "三次市", "広島県"
FY = (2024, 2027)
YEARS = [2024, 2025, 2026, 2027]
NONE = ("-", "ー")      # dashes: nothing done that year, no schedule

LABELS = ["事業番号", "事業名", "担当部署", "事業概要"]
ITEMS = [
 dict(page=1, no="A-1", title="電子申請システムの拡充", dept="情報政策課",
      gaiyo="住民票の写し等の申請を電子化し、来庁不要の手続を増やす。",
      yotei=["対象手続の調査", "15手続で運用", "50手続へ拡大", "全手続の検証"],
      kekka=["32手続を調査", "12手続で運用", "-", "-"]),
 dict(page=1, no="A-2", title="ペーパーレス会議の推進", dept="総務課",
      gaiyo="庁内会議の資料をタブレットで共有し、印刷を減らす。",
      yotei=["端末の配備", "全会議で実施", "効果の検証", "継続"],
      kekka=["80台を配備", "ー", "ー", "ー"]),
 dict(page=2, no="B-1", title="公共施設予約のオンライン化", dept="生涯学習課",
      gaiyo="体育館と公民館の予約をインターネットで受け付ける。",
      yotei=["システムの選定", "体育館で開始", "公民館へ拡大", "継続"],
      kekka=["事業者を選定", "-", "-", "-"]),
 dict(page=2, no="B-2", title="窓口の混雑状況の発信", dept="市民課",
      gaiyo="窓口の待ち人数をウェブで公開し、来庁の分散を図る。",
      yotei=["発信方法の検討", "試行", "本格実施", "継続"],
      kekka=["方法を決定", "試行を開始", "ー", "ー"]),
 dict(page=3, no="C-1", title="下水道使用料の口座振替促進", dept="上下水道課",
      gaiyo="口座振替の申込をオンラインで受け付け、振替率を高める。",
      yotei=["申込様式の見直し", "オンライン受付開始", "周知の強化", "継続"],
      kekka=["様式を改定", "-", "-", "-"]),
 dict(page=3, no="C-2", title="職員提案制度の活性化", dept="人事課",
      gaiyo="業務改善の提案を募集し、優れた提案を表彰する。",
      yotei=["制度の改正", "募集と表彰", "募集と表彰", "成果の検証"],
      kekka=["要綱を改正", "24件の提案", "-", "-"]),
]

def e(s): return html.escape(s)

def item_html(it):
    vals = [it["no"], it["title"], it["dept"], it["gaiyo"]]
    out = ['<table border="1" cellspacing="0" cellpadding="3" width="100%">',
           '<col width="16%"><col width="21%"><col width="21%"><col width="21%"><col width="21%">']
    for l, v in zip(LABELS, vals):
        out.append('<tr><td>%s</td><td colspan="4">%s</td></tr>' % (e(l), e(v)))
    out.append('<tr><td>区分</td>' + "".join('<td>%d年度</td>' % y for y in YEARS) + '</tr>')
    out.append('<tr><td>予定</td>' + "".join('<td>%s</td>' % e(t) for t in it["yotei"]) + '</tr>')
    out.append('<tr><td>結果</td>' + "".join('<td>%s</td>' % e(t) for t in it["kekka"]) + '</tr>')
    out.append('</table>')
    return "\n".join(out)

def make_html():
    h = ['<!DOCTYPE html><html lang="ja"><head><meta charset="utf-8">',
         '<title>%s</title>' % e(TITLE),
         '<style>body{font-family:"IPAexMincho","Noto Serif CJK JP";font-size:10pt}'
         'h1{font-size:20pt;margin:0}p.sub{font-size:11pt;margin:3pt}'
         'h3{font-size:11pt;margin-top:12pt;margin-bottom:3pt}td{font-size:10pt;vertical-align:top}'
         '</style></head><body>']
    h.append('<h1>%s</h1>' % e(TITLE))
    h.append('<p class="sub">%s</p>' % e(PERIOD))
    page = 1
    for it in ITEMS:
        brk = ""
        if it["page"] != page:
            page = it["page"]
            brk = ' style="page-break-before: always"'
        h.append('<h3%s>事業 %s</h3>' % (brk, e(it["no"])))
        h.append(item_html(it))
    h.append('</body></html>')
    return "\n".join(h)

def gold():
    recs = [dict(type="document", title=TITLE, municipality=MUNI, prefecture=PREF, family=FAMILY,
                 fiscal_start=FY[0], fiscal_end=FY[1])]
    for k, it in enumerate(ITEMS, 1):
        key = "i%d" % k
        vals = [it["no"], it["title"], it["dept"], it["gaiyo"]]
        recs.append(dict(type="item", key=key, item_no=it["no"], title=it["title"],
                         department=it["dept"], page=it["page"],
                         fields=[dict(label=l, value=v) for l, v in zip(LABELS, vals)]))
        for fy, t in zip(YEARS, it["yotei"]):
            recs.append(dict(type="schedule", item=key, fiscal_year=fy, kind="plan", text=t))
        for fy, t in zip(YEARS, it["kekka"]):
            if t not in NONE:
                recs.append(dict(type="schedule", item=key, fiscal_year=fy, kind="actual", text=t))
    return recs

def main():
    src = os.path.join(HERE, BASE + ".html")
    with open(src, "w", encoding="utf-8") as f:
        f.write(make_html())
    tmp = tempfile.mkdtemp()
    try:
        subprocess.run(["soffice", "-env:UserInstallation=file://" + tmp + "/profile",
                        "--headless", "--infilter=HTML (StarWriter)",
                        "--convert-to", "pdf:writer_pdf_Export", "--outdir", tmp, src],
                       check=True, stdout=subprocess.DEVNULL)
        shutil.copy(os.path.join(tmp, BASE + ".pdf"), os.path.join(HERE, BASE + ".pdf"))
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    pdf = os.path.join(HERE, BASE + ".pdf")
    text = subprocess.run(["pdftotext", "-layout", pdf, "-"], check=True,
                          capture_output=True, text=True).stdout
    pages = text.split("\f")
    bad = 0
    for it in ITEMS:
        pg = pages[it["page"] - 1].replace(" ", "")
        if ("事業" + it["no"]) not in pg:
            print("事業 %s not on page %d" % (it["no"], it["page"]), file=sys.stderr); bad = 1
    print("pages:", len([p for p in pages if p.strip()]))
    with open(os.path.join(HERE, BASE + ".records.jsonl"), "w", encoding="utf-8") as f:
        for r in gold():
            f.write(json.dumps(r, ensure_ascii=False) + "\n")
    sys.exit(bad)

if __name__ == "__main__":
    main()
