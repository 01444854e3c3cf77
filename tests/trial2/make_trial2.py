#!/usr/bin/env python3
"""Make tests/trial2: an item-card plan of 鯖江市 (福井県), one 取組 per block.

From the single DATA below this writes
  sabae-torikumi.html          the source (LibreOffice Writer reads it)
  sabae-torikumi.pdf           soffice --headless --convert-to pdf
  sabae-torikumi.records.jsonl the gold records (patterns/README.md, "Gold files")
The gold is written from DATA, never from keikaku's output.  The only thing
read back from the PDF is pdftotext's text per page, to assert that each card
starts on the page DATA says (page breaks are explicit in the HTML).
Run: python3 tests/trial2/make_trial2.py   (needs soffice and pdftotext)
"""
import html, json, os, subprocess, sys, tempfile, shutil

HERE = os.path.dirname(os.path.abspath(__file__))
BASE = "sabae-torikumi"
FAMILY = "torikumi-sheet"          # the family id the pattern file will declare
TITLE = "鯖江市行財政改革実施計画 取組シート"
SUBTITLE = "令和6年度実績反映版"
PERIOD = "計画期間:令和6年度~令和8年度"
MUNI, PREF = "鯖江市", "福井県"
FY = (2024, 2026)
YEARS = [(2024, "令和6年度"), (2025, "令和7年度"), (2026, "令和8年度")]
BASE_YEAR = (2023, "令和5年度")
TARGET_YEAR = (2026, "令和8年度")
DASH = "―"

# units: printed unit -> (gold unit, multiplier)
UNITS = {"件": ("件", 1), "%": ("%", 1), "千円": ("円", 1000), "人": ("人", 1),
         "時間": ("時間", 1), "回": ("回", 1)}

CATS = [
    ("基本方針1", "デジタル技術を活用した行政サービスの向上"),
    ("基本方針2", "持続可能な財政運営"),
    ("基本方針3", "市民との協働と人材の育成"),
]

# each item: page, category index, no, title, dept, 現状と課題, 取組内容,
# plan texts per year, actual texts per year (DASH = none), indicators
ITEMS = [
 dict(page=1, cat=0, no="1-1", title="行政手続のオンライン化", dept="デジタル推進課",
      genjo="窓口での申請が中心であり、来庁が必要な手続が多い。",
      naiyo="申請件数の多い手続から順にオンライン申請に対応する。",
      plan=["対象手続の選定", "20手続で開始", "全手続へ拡大"],
      actual=["30手続を選定", DASH, DASH],
      kpi=[("オンライン申請件数", "件", "1,200", "5,000")]),
 dict(page=1, cat=0, no="1-2", title="窓口キャッシュレス決済の導入", dept="市民課",
      genjo="証明書の手数料は現金のみで受け付けている。",
      naiyo="本庁舎の窓口にキャッシュレス決済端末を設置する。",
      plan=["端末の選定", "本庁舎で導入", "支所へ拡大"],
      actual=["端末を選定", DASH, DASH],
      kpi=[("キャッシュレス決済の利用率", "%", "0", "40")]),
 dict(page=2, cat=0, no="1-3", title="庁内業務へのRPA導入", dept="デジタル推進課",
      genjo="定型的な入力作業に多くの職員の時間が割かれている。",
      naiyo="定型業務を洗い出し、RPAによる自動化を進める。",
      plan=["対象業務の洗出し", "10業務で導入", "効果検証と拡大"],
      actual=["15業務を洗出し", DASH, DASH],
      kpi=[("削減される作業時間", "時間", "0", "3,000"),
           ("RPA導入業務数", "件", "0", "20")]),
 dict(page=2, cat=1, no="2-1", title="公共施設の長寿命化と再配置", dept="資産経営課",
      genjo="施設の老朽化が進み、更新費用の増加が見込まれる。",
      naiyo="個別施設計画に基づき、施設の集約と長寿命化を進める。",
      plan=["個別施設計画の改訂", "集約の方針決定", "集約の実施"],
      actual=["計画を改訂", DASH, DASH],
      kpi=[("維持管理経費の削減額", "千円", "0", "45,000")]),
 dict(page=2, cat=1, no="2-2", title="市税収納率の向上", dept="税務課",
      genjo="滞納繰越分の収納率が県内平均を下回っている。",
      naiyo="納付案内の早期化とスマートフォン決済の周知を進める。",
      plan=["納付案内の見直し", "スマホ決済の周知", "継続実施"],
      actual=["案内時期を前倒し", DASH, DASH],
      kpi=[("市税収納率(現年度分)", "%", "98.6", "99.2")]),
 dict(page=3, cat=1, no="2-3", title="ふるさと納税の推進", dept="めがねのまちさばえ戦略課",
      genjo="返礼品の種類が少なく、寄附額が伸び悩んでいる。",
      naiyo="地場産業と連携して返礼品を開発し、情報発信を強化する。",
      plan=["返礼品の開発", "ポータルサイトの追加", "継続実施"],
      actual=["12品目を追加", DASH, DASH],
      kpi=[("ふるさと納税寄附額", "千円", "820,000", "1,200,000"),
           ("返礼品数", "件", "310", "450")]),
 dict(page=3, cat=2, no="3-1", title="市民協働提案制度の充実", dept="市民協働課",
      genjo="提案の件数が少なく、参加する団体が固定化している。",
      naiyo="提案の募集を年2回に増やし、相談会を開催する。",
      plan=["制度の見直し", "募集を年2回に", "継続実施"],
      actual=["要綱を改正", DASH, DASH],
      kpi=[("協働提案の採択件数", "件", "4", "10")]),
 dict(page=3, cat=2, no="3-2", title="職員の人材育成の推進", dept="総務課",
      genjo="デジタル分野の知識を持つ職員が不足している。",
      naiyo="階層別研修にデジタル研修を加え、受講を必須とする。",
      plan=["研修計画の策定", "研修の実施", "研修の実施"],
      actual=["計画を策定", DASH, DASH],
      kpi=[("デジタル研修の受講者数", "人", "35", "300"),
           ("研修の開催回数", "回", "2", "12")]),
]

LABELS = ["取組番号", "取組名", "所管課", "現状と課題", "取組内容"]
BASE_HDR = "現状値(%s)" % BASE_YEAR[1]
TARGET_HDR = "目標値(%s)" % TARGET_YEAR[1]

def e(s): return html.escape(s)

def card_html(it):
    vals = [it["no"], it["title"], it["dept"], it["genjo"], it["naiyo"]]
    out = ['<table class="card" border="1" cellspacing="0" cellpadding="3" width="100%">',
           '<col width="18%"><col width="82%">']
    for l, v in zip(LABELS, vals):
        out.append('<tr><td class="lab">%s</td><td>%s</td></tr>' % (e(l), e(v)))
    out.append('</table><p class="gap">&nbsp;</p>')
    out.append('<table class="yr" border="1" cellspacing="0" cellpadding="3" width="100%">')
    out.append('<col width="18%"><col width="27%"><col width="27%"><col width="28%">')
    out.append('<tr><td class="lab">年度</td>' + "".join('<td class="lab">%s</td>' % y for _, y in YEARS) + '</tr>')
    out.append('<tr><td class="lab">計画</td>' + "".join('<td>%s</td>' % e(t) for t in it["plan"]) + '</tr>')
    out.append('<tr><td class="lab">実績</td>' + "".join('<td>%s</td>' % e(t) for t in it["actual"]) + '</tr>')
    out.append('</table><p class="gap">&nbsp;</p>')
    out.append('<table class="kpi" border="1" cellspacing="0" cellpadding="3" width="100%">')
    out.append('<col width="46%"><col width="10%"><col width="22%"><col width="22%">')
    out.append('<tr><td class="lab">指標名</td><td class="lab">単位</td><td class="lab">%s</td><td class="lab">%s</td></tr>'
               % (e(BASE_HDR), e(TARGET_HDR)))
    for name, unit, base, target in it["kpi"]:
        out.append('<tr><td>%s</td><td>%s</td><td align="right">%s</td><td align="right">%s</td></tr>'
                   % (e(name), e(unit), e(base), e(target)))
    out.append('</table>')
    return "\n".join(out)

def make_html():
    h = ['<!DOCTYPE html><html lang="ja"><head><meta charset="utf-8">',
         '<title>%s</title>' % e(TITLE),
         '<style>body{font-family:"IPAexGothic","Noto Sans CJK JP";font-size:9.5pt}'
         'h1{font-size:18pt;text-align:center;margin:0}'
         'p.sub{font-size:12pt;text-align:center;margin:2pt}'
         'h2{font-size:12pt;margin-top:6pt;margin-bottom:3pt}'
         'h3{font-size:10.5pt;margin-top:8pt;margin-bottom:2pt}'
         'td{font-size:9.5pt;vertical-align:top}'
         'p.gap{font-size:3pt;margin:0}'
         '</style></head><body>']
    h.append('<h1>%s</h1>' % e(TITLE))
    h.append('<p class="sub">%s</p>' % e(SUBTITLE))
    h.append('<p class="sub">%s</p>' % e(PERIOD))
    page, cat = 1, None
    for it in ITEMS:
        brk = ""
        if it["page"] != page:
            page = it["page"]
            brk = ' style="page-break-before: always"'
        if it["cat"] != cat:
            cat = it["cat"]
            h.append('<h2%s>%s %s</h2>' % (brk, e(CATS[cat][0]), e(CATS[cat][1])))
            brk = ""
        h.append('<h3%s>取組 %s</h3>' % (brk, e(it["no"])))
        h.append(card_html(it))
    h.append('</body></html>')
    return "\n".join(h)

def num(s): return float(s.replace(",", "")) if "." in s else int(s.replace(",", ""))

def gold():
    recs = [dict(type="document", format="keikaku-records", version=1, title=TITLE,
                 municipality=MUNI, prefecture=PREF, family=FAMILY,
                 fiscal_start=FY[0], fiscal_end=FY[1])]
    for k, it in enumerate(ITEMS, 1):
        key = "i%d" % k
        vals = [it["no"], it["title"], it["dept"], it["genjo"], it["naiyo"]]
        recs.append(dict(type="item", key=key, item_no=it["no"], title=it["title"],
                         department=it["dept"], category=CATS[it["cat"]][1], page=it["page"],
                         fields=[dict(label=l, value=v) for l, v in zip(LABELS, vals)]))
        for (fy, _), t in zip(YEARS, it["plan"]):
            recs.append(dict(type="schedule", item=key, fiscal_year=fy, kind="plan", text=t))
        for (fy, _), t in zip(YEARS, it["actual"]):
            if t != DASH:   # a dash is no schedule: nothing was done that year
                recs.append(dict(type="schedule", item=key, fiscal_year=fy, kind="actual", text=t))
        for name, unit, base, target in it["kpi"]:
            gu, mul = UNITS[unit]
            for role, txt, fy in (("baseline", base, BASE_YEAR[0]), ("target", target, TARGET_YEAR[0])):
                recs.append(dict(type="measure", item=key, label=name, role=role,
                                 value=num(txt) * mul, unit=gu, fiscal_year=fy, raw=txt))
    recs.append(dict(type="end", records=len(recs) + 1))
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
        pg = pages[it["page"] - 1]
        if ("取組 " + it["no"]) not in pg and ("取組" + it["no"]) not in pg.replace(" ", ""):
            print("card %s not on page %d" % (it["no"], it["page"]), file=sys.stderr); bad = 1
    npages = len([p for p in pages if p.strip()])
    print("pages:", npages)
    with open(os.path.join(HERE, BASE + ".records.jsonl"), "w", encoding="utf-8") as f:
        for r in gold():
            f.write(json.dumps(r, ensure_ascii=False) + "\n")
    sys.exit(bad)

if __name__ == "__main__":
    main()
