"""Corpus generator for seed 004: 飯塚市 行政経営戦略推進審議会 会議録 +
行政経営戦略推進ビジョン（素案） + 行政経営戦略推進プラン（素案）一覧.

Source data (written from the seed text, corrected where the converter lost or
garbled characters): corpus/src/iizuka/
  minutes.json    the 会議録 as label/value rows
  vision.txt      a few pages of the ビジョン in a tiny line markup (see
                  add_vision)
  plan_list.tsv   the プラン一覧: header + 118 rows of 9 columns

Output (two variants of the same document, same gold records):
  corpus/004-iizuka-plan-list.pdf          list table ruled
  corpus/004-iizuka-plan-list-unruled.pdf  list table without ruling lines
  corpus/gold/<name>.tables.json, corpus/gold/<name>.records.jsonl

With the argument "variant" (built by default too) it writes
corpus/004-iizuka-plan-list-variant.pdf (list ruled) from the same sources
after a deterministic rewrite (make_variant): another city (大分県中津市),
the プラン called 実施計画 (so its list is titled "…実施計画（素案）一覧"),
every 部局 and 主たる所管部署 renamed, other wording of the 取組項目名, the
numbers of the texts rewritten, every Reiwa year one later (plan period
令和７–９), another meeting date and other attendees.  Same layout, other
content: the structure-not-content test of parse.

Layout: A4 portrait for the minutes and the vision, then A4 landscape for the
list (one table, header row repeated on every page, rows allowed to split at
page breaks), page numbers in the footer.  Page numbers of tables and records
are read back from the PDF (pdftotext -bbox), never assumed.
"""
import hashlib
import html
import json
import os
import re
import subprocess
import sys
import unicodedata

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import kkcorpus  # noqa: E402
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "report"))
import variant  # noqa: E402
from kkcorpus import GOTHIC, MINCHO, cell  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
CORPUS = os.path.dirname(HERE)
SRC = os.path.join(HERE, "iizuka")
BUILD = os.path.join(CORPUS, "build")
GOLD = os.path.join(CORPUS, "gold")

LIST_TITLE = "飯塚市行政経営戦略推進プラン（素案）一覧"
LIST_PERIOD = "計画期間　令和６（２０２４）年度～令和８（２０２６）年度"
FISCAL_START, FISCAL_END = 2024, 2026
MUNICIPALITY, PREFECTURE = "飯塚市", "福岡県"
FAMILY = "plan-list-minutes"

PORTRAIT_MARGIN_CM = 2.0
LAND_MARGIN_CM = 1.5
# 番号 部局名 取組項目名 主たる所管部署 取組の目的 取組の内容 3年後の目指す姿 大分類 小分類
LIST_WIDTHS = [1.0, 1.9, 3.5, 2.3, 4.3, 5.4, 4.2, 2.2, 1.9]  # = 26.7 cm
LIST_SIZE = 8.5


def nfkc(s):
    return unicodedata.normalize("NFKC", s)


class PlanDocument(kkcorpus.Document):
    """A kkcorpus.Document with two page layouts (portrait "Standard" and
    landscape "Landscape") and a centred page number in every footer."""

    def landscape_heading(self, text, size=14):
        """A Gothic heading that starts a new page on the landscape master."""
        st = self._raw_style(("MP-Landscape", size), lambda n:
            '<style:style style:name="%s" style:family="paragraph" '
            'style:master-page-name="Landscape">'
            '<style:paragraph-properties fo:margin-top="0cm" fo:margin-bottom="0.1cm"/>'
            '<style:text-properties style:font-name="%s" style:font-name-asian="%s" '
            'fo:font-size="%spt" style:font-size-asian="%spt" fo:font-weight="bold" '
            'style:font-weight-asian="bold"/></style:style>' % (n, GOTHIC, GOTHIC, size, size))
        self.body.append('<text:p text:style-name="%s">%s</text:p>' % (st, html.escape(text, quote=False)))

    def to_xml(self):
        footer_p = self._pstyle(font=MINCHO, size=9, align="center")
        xml = super().to_xml()
        footer_style = ('<style:footer-style><style:header-footer-properties '
                        'fo:min-height="0.5cm" fo:margin-top="0.3cm"/></style:footer-style>')
        footer = ('<style:footer><text:p text:style-name="%s">－ <text:page-number '
                  'text:select-page="current">1</text:page-number> －</text:p></style:footer>'
                  % footer_p)
        m = "%.2fcm" % LAND_MARGIN_CM
        land_layout = ('<style:page-layout style:name="PLL"><style:page-layout-properties '
                       'fo:page-width="29.7cm" fo:page-height="21cm" style:print-orientation="landscape" '
                       'fo:margin-top="%s" fo:margin-bottom="1.0cm" fo:margin-left="%s" '
                       'fo:margin-right="%s"/>%s</style:page-layout>' % (m, m, m, footer_style))
        # portrait layout: add the footer style, then the landscape layout
        xml = xml.replace('</style:page-layout></office:automatic-styles>',
                          footer_style + '</style:page-layout>' + land_layout
                          + '</office:automatic-styles>', 1)
        xml = xml.replace(
            '<style:master-page style:name="Standard" style:page-layout-name="PL"/>',
            '<style:master-page style:name="Standard" style:page-layout-name="PL">%s</style:master-page>'
            '<style:master-page style:name="Landscape" style:page-layout-name="PLL">%s</style:master-page>'
            % (footer, footer), 1)
        assert 'style:name="Landscape"' in xml and 'style:name="PLL"' in xml
        return xml


# -- the variant rewrite -------------------------------------------------
CITY = {"飯塚": "中津", "福岡県": "大分県", "筑穂": "三光", "推進プラン": "実施計画",
        "井澤会長、大久保副会長、河委員、菅原委員、畠中委員": "田中会長、松本副会長、森委員、石井委員、藤田委員"}
BUREAU = {"総務部": "総務企画部", "行政経営部": "経営管理部", "市民協働部": "地域振興部",
          "市民環境部": "生活環境部", "経済部": "産業部", "福祉部": "健康福祉部",
          "都市建設部": "建設部", "企業局": "水道局", "議会事務局": "議会局", "教育部": "教育委員会事務局"}
DEPT = {"業務改善・DX推進課": "行政デジタル課", "人事課": "職員課", "財産活用課": "資産経営課",
        "財政課": "財務課", "税務課": "課税課", "子育て支援課": "こども家庭課", "情報管理課": "情報政策課",
        "建築課": "営繕課", "契約課": "調達課", "地域公共交通対策課": "交通政策課",
        "土木建設課": "道路河川課", "商工観光課": "産業振興課", "まちづくり推進課": "都市計画課",
        "高齢介護課": "介護保険課", "農林振興課": "農政課", "特産品振興・ふるさと応援課": "ふるさと納税推進室",
        "教育総務課": "教育政策課", "市民課": "市民窓口課", "学校教育課": "学務課",
        "健康保健課": "保健予防課", "保育課": "保育幼稚園課", "会計課": "出納室",
        "スポーツ振興課": "体育振興課", "防災安全課": "危機管理課", "農業委員会": "農業委員会事務局",
        "農業土木課": "農村整備課", "総合政策課": "企画課", "総務課": "行政課",
        "経済政策推進室": "企業立地推進室", "秘書課": "秘書広報課", "社会・障がい者福祉課": "障がい福祉課",
        "監査事務局": "監査委員事務局", "男女共同参画推進課": "人権同和政策課", "生涯学習課": "社会教育課",
        "生活支援課": "保護課", "環境整備課": "環境保全課", "環境対策課": "ごみ対策課",
        "感染症対策室": "健康危機管理室", "建設政策課": "建設総務課", "市民活動支援課": "協働推進課",
        "学校給食課": "給食センター", "土木管理課": "管理課", "国際政策課": "国際交流室",
        "医療保険課": "国保年金課", "公営競技事業所": "競輪事業課", "住宅課": "住宅政策課",
        "企業管理課": "水道総務課", "議会事務局": "議会局",
        "下水道課": "下水道整備課", "上水道課": "水道工務課"}
WORDING = {"見直し": "再点検", "推進": "強化", "活用": "利活用", "導入": "整備", "検討": "研究",
           "取組み": "取り組み", "拡充": "充実", "効率化": "省力化", "適正化": "最適化"}
_REIWA = re.compile(r"(令和)([0-9０-９]+)")
_YEAR4 = re.compile(r"(?<=[（(])([0-9０-９]{4})(?=[）)])")


def _plus1(digits):
    full = digits != digits.translate(str.maketrans("０１２３４５６７８９", "0123456789"))
    n = str(int(digits.translate(str.maketrans("０１２３４５６７８９", "0123456789"))) + 1)
    return n.translate(str.maketrans("0123456789", "０１２３４５６７８９")) if full else n


def shift_years(text):
    """Every Reiwa year and every (Gregorian) year in brackets one later."""
    text = _REIWA.sub(lambda m: m.group(1) + _plus1(m.group(2)), text)
    return _YEAR4.sub(lambda m: _plus1(m.group(1)), text)


def make_variant(minutes, vision, header, body):
    """The sources of the variant (see the module comment); sets the
    document-level constants too."""
    global LIST_TITLE, LIST_PERIOD, FISCAL_START, FISCAL_END, MUNICIPALITY, PREFECTURE

    def common(t):
        return shift_years(variant.replace_all(t, CITY))
    minutes = variant.walk(minutes, common)
    minutes["rows"] = [[l, v.replace("（水）", "（金）") if l == minutes["meeting"]["date_label"] else v]
                       for l, v in minutes["rows"]]
    minutes["meeting"]["held_on"] = "2024-10-18"
    vision = [common(l) for l in vision]
    out = []
    for r in body:
        old = r[3]
        r = [common(x) for x in r]
        r[1] = variant.replace_all(r[1], BUREAU)
        r[2] = variant.replace_all(r[2], WORDING)
        r[3] = variant.replace_all(r[3], DEPT)
        if old and r[3] == old:
            raise SystemExit("gen_004: department %s not renamed" % old)
        r[4:7] = [variant.remap_numbers_in(x) for x in r[4:7]]
        out.append(r)
    LIST_TITLE = common(LIST_TITLE)
    LIST_PERIOD = common(LIST_PERIOD)
    FISCAL_START, FISCAL_END = FISCAL_START + 1, FISCAL_END + 1
    MUNICIPALITY, PREFECTURE = "中津市", "大分県"
    return minutes, vision, header, out


def load_sources():
    with open(os.path.join(SRC, "minutes.json"), encoding="utf-8") as f:
        minutes = json.load(f)
    with open(os.path.join(SRC, "vision.txt"), encoding="utf-8") as f:
        vision = f.read().split("\n")
    with open(os.path.join(SRC, "plan_list.tsv"), encoding="utf-8") as f:
        lines = [l for l in f.read().split("\n") if l]
    rows = [l.split("\t") for l in lines]
    header, body = rows[0], rows[1:]
    assert len(header) == 9 and all(len(r) == 9 for r in body), "plan_list.tsv: 9 columns"
    assert [int(r[0]) for r in body] == list(range(1, 119)), "plan_list.tsv: rows 1..118"
    return minutes, vision, header, body


def add_minutes(doc, minutes):
    doc.para(minutes["heading"], font=GOTHIC, size=16, bold=True, align="center")
    doc.para("")
    rows = [[cell(label, font=GOTHIC), value] for label, value in minutes["rows"]]
    doc.table(rows, [3.6, 13.4], ruled=True, header_rows=0, size=10)
    return {"id": "minutes", "ruled": True, "header_rows": 0,
            "rows": [[label, value] for label, value in minutes["rows"]]}


def add_vision(doc, lines):
    """Markup: '=PAGE' page break; '#T' cover title; '#S' subtitle; '#C'
    centred line; '# ', '## ', '### ' headings; '|a|b' table rows (first row
    is the header); '~' an empty line; anything else a paragraph."""
    gold = []
    table = []

    def flush():
        if not table:
            return
        hdr = [cell(c, font=GOTHIC, align="center") for c in table[0]]
        doc.table([hdr] + table[1:], [4.2, 12.8], ruled=True, header_rows=1, size=9.5)
        gold.append({"id": "vision-history", "ruled": True, "header_rows": 1,
                     "rows": [list(r) for r in table]})
        table.clear()

    for line in lines:
        if line.startswith("|"):
            table.append(line[1:].split("|"))
            continue
        flush()
        if not line:
            continue
        if line == "=PAGE":
            doc.page_break()
        elif line == "~":
            doc.para("")
        elif line.startswith("#T "):
            doc.para(line[3:], font=GOTHIC, size=24, bold=True, align="center")
        elif line.startswith("#S "):
            doc.para(line[3:], font=GOTHIC, size=18, bold=True, align="center")
        elif line.startswith("#C "):
            doc.para(line[3:], font=GOTHIC, size=13, align="center")
        elif line.startswith("### "):
            doc.heading(line[4:], size=11)
        elif line.startswith("## "):
            doc.heading(line[3:], size=12.5)
        elif line.startswith("# "):
            doc.heading(line[2:], size=15)
        else:
            doc.para("　" + line if not line.startswith(("・", "　", "（")) else line)
    flush()
    return gold


def add_list(doc, header, body, ruled):
    doc.landscape_heading(LIST_TITLE, size=14)
    doc.para(LIST_PERIOD, font=GOTHIC, size=10)
    hdr = [cell(h, font=GOTHIC, bold=True, align="center") for h in header]
    rows = [hdr]
    for r in body:
        rows.append([cell(r[0], align="center")] + r[1:])
    doc.table(rows, LIST_WIDTHS, ruled=ruled, header_rows=1, size=LIST_SIZE,
              split_rows=True)
    return {"id": "plan-list", "ruled": ruled, "header_rows": 1,
            "rows": [list(header)] + [list(r) for r in body]}


# -- reading the PDF back ----------------------------------------------------

def pdf_pages(pdf):
    out = subprocess.run(["pdfinfo", pdf], check=True, capture_output=True, text=True).stdout
    return int(re.search(r"^Pages:\s+(\d+)", out, re.M).group(1))


def pdf_words(pdf):
    """{page: [(xmin, ymin, xmax, ymax, word)]} from pdftotext -bbox."""
    out = subprocess.run(["pdftotext", "-bbox", pdf, "-"], check=True,
                         capture_output=True, text=True).stdout
    pages = {}
    n = 0
    for line in out.split("\n"):
        if line.lstrip().startswith("<page "):
            n += 1
            pages[n] = []
        m = re.search(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">(.*)</word>', line)
        if m:
            pages[n].append((float(m.group(1)), float(m.group(2)), float(m.group(3)),
                             float(m.group(4)), html.unescape(m.group(5))))
    return pages


def squash(s):
    return re.sub(r"\s+", "", s)


def page_text(words):
    return squash("".join(w[4] for w in words))


def locate(pdf, header, body, minutes_gold, vision_gold, list_gold):
    """Fills `pages` of every gold table, returns (item_pages, split_rows,
    total_pages): the page each list row starts on and the rows that run
    over a page break."""
    words = pdf_words(pdf)
    total = pdf_pages(pdf)
    assert len(words) == total
    texts = {p: page_text(w) for p, w in words.items()}

    def pages_with(s):
        s = squash(s)
        return [p for p in range(1, total + 1) if s in texts[p]]

    # minutes: from 会議の名称 to the 公開・非公開の別 row
    first = pages_with("会議の名称")[0]
    last = pages_with("傍聴者")[0]
    minutes_gold["pages"] = [first, max(last, pages_with("公開・非公開の別")[0])]
    for t in vision_gold:
        ps = pages_with(t["rows"][1][1][:12])
        pe = pages_with(t["rows"][-1][1][-12:])
        t["pages"] = [ps[0], pe[0]]

    # list pages: the landscape pages (width 841.9)
    heading_page = pages_with(LIST_TITLE)[0]
    pt_per_cm = 72 / 2.54
    col0_right = (LAND_MARGIN_CM + LIST_WIDTHS[0]) * pt_per_cm
    item_pages = {}
    split_rows = []
    prev_last = None
    for p in range(heading_page, total + 1):
        ws = words[p]
        hdr = [w for w in ws if w[4] == "番号" and w[2] < col0_right + 2]
        if not hdr:
            continue
        # the header row is one line: every header word sits on its baseline
        hdr_bottom = max(w[3] for w in ws if abs(w[1] - hdr[0][1]) < 3)
        footer_top = 595.3 - 1.0 * pt_per_cm
        bodyw = [w for w in ws if w[1] > hdr_bottom + 1 and w[3] < footer_top]
        nums = sorted((w[1], int(w[4])) for w in bodyw
                      if w[2] < col0_right and re.fullmatch(r"\d+", w[4]))
        first_num_y = nums[0][0] if nums else 1e9
        if prev_last is not None and any(w[1] < first_num_y - 2 for w in bodyw):
            split_rows.append({"item_no": str(prev_last), "pages": [p - 1, p]})
        for _, n in nums:
            assert n not in item_pages, "row %d seen twice" % n
            item_pages[n] = p
        if nums:
            prev_last = nums[-1][1]
    assert sorted(item_pages) == list(range(1, 119)), sorted(set(range(1, 119)) - set(item_pages))
    list_first = item_pages[1]
    last_page = max(p for p in range(heading_page, total + 1)
                    if squash(body[-1][5])[-10:] in texts[p] or item_pages[118] == p)
    list_gold["pages"] = [list_first, last_page]
    return item_pages, split_rows, total


def records(header, body, minutes, item_pages, minutes_page, total_pages):
    lab = {label: value for label, value in minutes["rows"]}
    meet = minutes["meeting"]
    recs = [{"type": "document", "format": "keikaku-records", "version": 1,
             "file": None, "pages": total_pages, "title": nfkc(LIST_TITLE),
             "municipality": MUNICIPALITY, "prefecture": PREFECTURE, "family": FAMILY,
             "fiscal_start": FISCAL_START, "fiscal_end": FISCAL_END}]
    recs.append({"type": "meeting", "title": nfkc(lab[meet["title_label"]]),
                 "held_on": meet["held_on"], "place": nfkc(lab[meet["place_label"]]),
                 "attendees": nfkc(lab[meet["attendees_label"]]), "page": minutes_page})
    labels = [nfkc(h) for h in header]
    for r in body:
        v = [nfkc(x) for x in r]
        recs.append({"type": "item", "key": "i" + v[0], "item_no": v[0], "title": v[2],
                     "department": v[3] or None, "category": v[7] or None,
                     "page": item_pages[int(r[0])],
                     "fields": [{"label": l, "value": x} for l, x in zip(labels, v)]})
    recs.append({"type": "end", "records": len(recs) - 1})
    return recs


def build(kind, minutes, vision, header, body):
    ruled = kind in ("ruled", "variant")
    name = "004-iizuka-plan-list" + {"ruled": "", "unruled": "-unruled", "variant": "-variant"}[kind]
    doc = PlanDocument(landscape=False, font=MINCHO, size=10.5, title=LIST_TITLE,
                       author=MUNICIPALITY, margin_cm=PORTRAIT_MARGIN_CM)
    mg = add_minutes(doc, minutes)
    vg = add_vision(doc, vision)
    lg = add_list(doc, header, body, ruled)
    os.makedirs(BUILD, exist_ok=True)
    os.makedirs(GOLD, exist_ok=True)
    src = os.path.join(BUILD, name + ".fodt")
    doc.save(src)
    pdf = kkcorpus.to_pdf(src, CORPUS)
    item_pages, split_rows, total = locate(pdf, header, body, mg, vg, lg)
    tables = []
    for t in [mg] + vg + [lg]:
        tables.append({"id": t["id"], "pages": t["pages"], "ruled": t["ruled"],
                       "header_rows": t["header_rows"], "rows": t["rows"]})
    with open(os.path.join(GOLD, name + ".tables.json"), "w", encoding="utf-8") as f:
        json.dump({"pdf": name + ".pdf", "tables": tables}, f, ensure_ascii=False, indent=1)
        f.write("\n")
    recs = records(header, body, minutes, item_pages, mg["pages"][0], total)
    recs[0]["file"] = "corpus/" + name + ".pdf"
    with open(pdf, "rb") as f:
        recs[0]["sha256"] = hashlib.sha256(f.read()).hexdigest()
    with open(os.path.join(GOLD, name + ".records.jsonl"), "w", encoding="utf-8") as f:
        for r in recs:
            f.write(json.dumps(r, ensure_ascii=False) + "\n")
    print("  %s: %d pages, %d tables, %d items, %d records; list pages %s; rows split at a page break: %s"
          % (name + ".pdf", total, len(tables), len(body), len(recs) - 2, lg["pages"],
             ", ".join("%s (p.%d-%d)" % (s["item_no"], s["pages"][0], s["pages"][1])
                       for s in split_rows) or "none"))
    return split_rows


def main():
    minutes, vision, header, body = load_sources()
    kinds = sys.argv[1:] or ["ruled", "unruled", "variant"]
    for v in kinds:
        if v == "variant":
            minutes, vision, header, body = make_variant(minutes, vision, header, body)
        splits = build(v, minutes, vision, header, body)
        if len(splits) < 3:
            raise SystemExit("gen_004: only %d rows split at page breaks in the %s variant"
                             % (len(splits), v))


if __name__ == "__main__":
    main()
