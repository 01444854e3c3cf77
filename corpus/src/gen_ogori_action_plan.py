"""Builds corpus/001-ogori-action-plan.pdf (小郡市 もっとつながるまち小郡
アクションプラン 令和4年度実績反映版: 39 item cards drawn as ruled tables,
a 目標達成率 bar chart under each card, and the 目標達成率一覧 table) and its
gold files, from the source data in corpus/src/ogori_cards/ (written from
seed 001).

With --variant (the default run builds both) it builds
corpus/001-ogori-action-plan-variant.pdf from the same data after a
deterministic rewrite: every department renamed, every Reiwa year moved one
year later (plan period R5–R7), numbers in the card texts changed digit by
digit and the achievement rates changed.  Same generator, same layout, other
content: the structure-not-content test of parse.

Usage: python3 gen_ogori_action_plan.py [--only normal|variant]
"""
import hashlib
import json
import os
import re
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "ogori_cards"))
import cardlib  # noqa: E402
from cardlib import GOTHIC, MINCHO, LABEL_BG, BAR_BG, gcell, nfkc, squash  # noqa: E402
import kkcorpus  # noqa: E402

CORPUS = os.path.dirname(HERE)
DATA = os.path.join(HERE, "ogori_cards")
FIELD_KEYS = ("担当課", "取組名", "現状", "課題", "目標", "R3実績", "R4実績", "R5計画", "R6計画")
FW = str.maketrans("0123456789", "０１２３４５６７８９")


# -- source data ---------------------------------------------------------
def read_cards(path):
    """Sections and cards from 001-cards.txt: "@section N title", "@card NO",
    then "key: value" lines; a line that does not start a key continues the
    previous value (a line break inside the cell)."""
    sections = []
    key_re = re.compile(r"^(%s): (.*)$" % "|".join(FIELD_KEYS))
    card = None
    key = None
    with open(path, encoding="utf-8") as f:
        for line in f:
            line = line.rstrip("\n")
            if line.startswith("@section "):
                no, title = line[9:].split(" ", 1)
                sections.append({"no": no, "title": title, "cards": []})
                card = None
            elif line.startswith("@card "):
                card = {"no": line[6:].strip()}
                sections[-1]["cards"].append(card)
                key = None
            elif not line.strip():
                key = None
            else:
                m = key_re.match(line)
                if m:
                    key = m.group(1)
                    card[key] = m.group(2)
                elif key:
                    card[key] += "\n" + line
                else:
                    raise SystemExit("001-cards.txt: stray line %r" % line)
    for s in sections:
        for c in s["cards"]:
            missing = [k for k in FIELD_KEYS if k not in c]
            if missing:
                raise SystemExit("001-cards.txt: card %s lacks %s" % (c["no"], missing))
    return sections


def read_achievements(path):
    """Rows of the 目標達成率一覧 table: (no, title, dept, r4, r5, r6)."""
    rows = []
    with open(path, encoding="utf-8") as f:
        for line in f:
            if line.startswith("#") or not line.strip():
                continue
            c = line.rstrip("\n").split("\t")
            rows.append([c[0], c[1], c[2].replace("\\n", "\n"), c[3], c[4], c[5]])
    return rows


# -- the variant rewrite -----------------------------------------------------
DEPT_MAP = {
    "経営戦略課": "企画政策課", "総務広報課": "秘書広報課", "健康課": "保健推進課",
    "防災安全課": "危機管理課", "スポーツ振興課": "体育振興課",
    "コミュニティ推進課": "地域協働課", "都市計画課": "まちづくり課",
    "商工観光課": "産業振興課", "都市整備課": "道路建設課",
    "地域開発推進課": "企業立地課", "農業振興課": "農政課", "長寿支援課": "高齢者福祉課",
    "学校教育課": "学務課", "生涯学習課": "社会教育課", "子ども育成課": "青少年課",
    "子育て支援課": "こども家庭課", "保育所・幼稚園課": "幼児保育課",
    "人権・同和対策課": "人権啓発課", "教育総務課": "教育政策課", "財政課": "財務課",
    "人事法制課": "職員課",
}
_ERA = re.compile(r"(令和|R|Ｒ)([0-9０-９]+)(?=[年.．～~〜実計]|$)")
_NUM = re.compile(r"(?<![0-9A-Za-z.,])([0-9][0-9,]*(?:\.[0-9]+)?)(?![0-9,]*(?:年|月|日|回目|号|条))")


def shift_era(text):
    """Every Reiwa year one later (令和3→令和4, R4→R5, Ｒ５→Ｒ６)."""
    def one(m):
        d = m.group(2)
        full = d != d.translate(str.maketrans("０１２３４５６７８９", "0123456789"))
        n = int(d.translate(str.maketrans("０１２３４５６７８９", "0123456789"))) + 1
        s = str(n)
        return m.group(1) + (s.translate(FW) if full else s)
    return _ERA.sub(one, text)


def rename_depts(text):
    for old in sorted(DEPT_MAP, key=len, reverse=True):
        text = text.replace(old, "\0%d\0" % list(DEPT_MAP).index(old))
    return re.sub(r"\0(\d+)\0", lambda m: DEPT_MAP[list(DEPT_MAP)[int(m.group(1))]], text)


def remap_digits(text):
    """Numbers (not years, months, days, article numbers) rewritten digit
    by digit, keeping their shape: leading digit d→(d+2)%9+1, others
    d→(d+3)%10.  81件→24件, 10,000→43,333, 87.0%→13.3%."""
    def one(m):
        s = m.group(1)
        out = []
        lead = True
        for ch in s:
            if ch.isdigit():
                d = int(ch)
                out.append(str((d + 2) % 9 + 1) if lead else str((d + 3) % 10))
                lead = False
            else:
                out.append(ch)
        return "".join(out)
    # era years are protected: mark them, rewrite, unmark
    parts = re.split(r"((?:令和|R|Ｒ|平成|昭和)[0-9０-９]+)", text)
    return "".join(p if i % 2 else _NUM.sub(one, p) for i, p in enumerate(parts))


def remap_rate(rate_text):
    """10.0% → 50.0%: rate r → ((r/10 + 3) % 10 + 1) * 10."""
    r = float(rate_text.rstrip("%"))
    return "%.1f%%" % (((int(round(r / 10)) + 3) % 10 + 1) * 10)


def make_variant(sections, ach):
    for s in sections:
        s["title"] = shift_era(s["title"])
        for c in s["cards"]:
            for k in FIELD_KEYS:
                v = rename_depts(c[k])
                if k not in ("担当課", "取組名"):
                    v = remap_digits(shift_era(v))
                c[k] = v
    rates = []
    for row in ach[1:]:
        row[2] = rename_depts(row[2])
        row[3] = remap_rate(row[3])
        rates.append(float(row[3].rstrip("%")))
    ach[0][3] = "%.1f%%" % (sum(rates) / len(rates))
    return sections, ach


# -- layout --------------------------------------------------------------
class Edition:
    """What differs between the normal document and its variant."""

    def __init__(self, variant):
        self.variant = variant
        self.shift = 1 if variant else 0
        self.name = "001-ogori-action-plan" + ("-variant" if variant else "")
        # the Reiwa year whose results this edition reports (令和N年度実績反映版)
        self.report = self.r(4)

    def era(self, text):
        return shift_era(text) if self.variant else text

    def r(self, n):
        """Reiwa year n of the original, as this edition prints it."""
        return n + self.shift


def fw(n):
    return str(n).translate(FW)


def label(text, **kw):
    return gcell(text, font=GOTHIC, bg=LABEL_BG, valign="middle", **kw)


def value(text, **kw):
    return gcell(text, font=MINCHO, **kw)


def sched_label(ed, card_no, n, kind):
    # labels as the seed prints them: Ｒ３実績 (full-width) on most cards
    return "Ｒ%s%s" % (fw(ed.r(n)), kind)


def card_rows(ed, c):
    year = fw(ed.r(3))
    rows = [
        [label("ＡＰＮｏ．", align="center"), value(c["no"], align="center"),
         label("担当課", align="center"), value(c["担当課"])],
        [label("取組名", align="center"), value(c["取組名"], colspan=3)],
        [label("現状\n（令和%s年度\n時点）" % year, align="center"), value(c["現状"], colspan=3)],
        [label("課題\n（令和%s年度\n時点）" % year, align="center"), value(c["課題"], colspan=3)],
        [label("計画期間内\nの目標", align="center"), value(c["目標"], colspan=3)],
        [label("工程表（及び実績）", colspan=4)],
    ]
    for n, kind, key in ((3, "実績", "R3実績"), (4, "実績", "R4実績"),
                         (5, "計画", "R5計画"), (6, "計画", "R6計画")):
        rows.append([label(sched_label(ed, c["no"], n, kind), align="center"),
                     value(c[key], colspan=3)])
    return rows


CARD_WIDTHS = [2.6, 4.6, 2.4, 8.4]
CARD_SIZE = 11


def rate_rows(ed, rate):
    """The 目標達成率 bar chart under a card: 10%…100% columns, the first
    rate/10 cells of the 令和4年度 row shaded."""
    head = [label("目標達成率", align="center")] + [
        gcell("%d%%" % p, font=GOTHIC, align="center") for p in range(10, 101, 10)]
    rows = [head]
    for i, n in enumerate((4, 5, 6)):
        filled = int(round(rate / 10)) if i == 0 and rate is not None else 0
        rows.append([label("Ｒ%s年度" % fw(ed.r(n)), align="center")] +
                    [gcell("", bg=BAR_BG if k < filled else None) for k in range(10)])
    return rows


RATE_WIDTHS = [2.6] + [1.54] * 10


def prose(ed):
    """The running text before the cards (seed pp.1–2)."""
    r = ed.r
    return [
        ("1　策定趣旨", [
            "平成30年10月に策定した「つながるまち小郡アクションプラン」（以下「第1期アクションプラン」という。）では、「つながるまち小郡」のビジョン実現を目指し、各施策に掲げた目標の達成に向けて推進してきました。",
            "そして、令和%d年4月の市長選挙では、「もっとつながるまち」を基本理念としたマニフェストを掲げ、その実行を市民の皆様にお約束しています。" % r(3),
            "今回、第1期アクションプランで残された課題の解決とともに、新たな視点も加えた市政2期目のマニフェスト（以下「2期目マニフェスト」という。）に掲げられた政策を着実に実行していくために、行動計画としてまとめた「もっとつながるまち小郡アクションプラン」（以下「第2期アクションプラン」という。）を策定することとしました。"]),
        ("2　計画期間", [
            "第2期アクションプランの計画期間は、市長任期の終期に合わせて、令和%d年度から令和%d年度までとします。" % (r(4), r(6))]),
        ("3　計画の体系", [
            "第2期アクションプランでは、2期目マニフェストの内容を踏まえて、「もっとつながるまち小郡」を目指すビジョンとし、このビジョンを達成するために15の基本目標を掲げ、各基本目標を達成するための40の具体的な取組を推進します。"]),
        ("4　SDGsへの取組について", [
            "SDGsとは、2015年9月に国連サミットで採択された「持続可能な開発のための2030アジェンダ」に掲げられている「持続可能な開発目標(Sustainable Development Goals)」のことを指し、2016年から2030年までの国際社会共通目標となっています。",
            "「誰一人取り残さない」社会を理念に、貧困や飢餓の根絶、質の高い教育の実現、女性の社会進出の促進、再生可能エネルギーの利用、経済成長と生産的で働きがいのある雇用の確保、強靱(きょうじん)なインフラ構築と持続可能な産業化・技術革新の促進、不平等の是正、気候変動への対策、海洋資源の保全、陸域生態系、森林資源の保全など17の目標と、各目標を実現するための169のターゲット(達成基準)から構成されています。",
            "また、国が示した実施指針の中で、各地方自治体においても、各種計画や戦略、方針の策定や改訂に当たっては、SDGsの要素を最大限に反映し、SDGs達成に向けた取組を促進することが求められています。",
            "小郡市としても、第1期アクションプランに引き続き、このSDGsの理念を第2期アクションプランの具体的な取組に組み込み、推進していきます。"]),
        ("5　計画の推進方法", [
            "第2期アクションプランの推進については、毎年進捗管理を行っていくこととし、社会情勢、財政状況、事業の進捗状況の変化等を勘案しながら、随時計画内容を見直し、実行していきます。"]),
    ]


def layout(ed, sections, ach, toc_pages):
    """The whole document; toc_pages maps contents keys to page numbers
    (from a first build; "" before it)."""
    rates = {row[0]: float(row[3].rstrip("%")) if row[3] else None for row in ach[1:]}
    doc = cardlib.CardDocument(
        footer="- {page} -", font=MINCHO, size=10.5, margin_cm=1.5,
        title="もっとつながるまち小郡アクションプラン（令和%s年度実績反映版）" % fw(ed.report),
        author="小郡市")
    # cover
    for _ in range(8):
        doc.para("")
    doc.para("もっと\nつながるまち小郡\nアクションプラン", font=GOTHIC, size=30, bold=True, align="center")
    for _ in range(4):
        doc.para("")
    doc.para("令和%s年度実績反映版" % fw(ed.report), font=GOTHIC, size=18, align="center")
    for _ in range(10):
        doc.para("")
    doc.para("小郡市", font=GOTHIC, size=20, bold=True, align="center")
    # contents
    doc.page_break()
    doc.para("◆目次", font=GOTHIC, size=16, bold=True)
    doc.para("")
    heads = ["1　策定趣旨", "2　計画期間", "3　計画の体系", "4　SDGsへの取組について", "5　計画の推進方法"]
    for h in heads:
        doc.para("%s ・・・・・・ %s" % (h, toc_pages.get(h, "")), font=MINCHO, size=10.5)
    doc.para("")
    doc.para("― 40の具体的な取組 ―", font=GOTHIC, size=11, bold=True, align="center")
    for s in sections:
        key = "S" + s["no"]
        name = s["title"] if s["no"] == "継" else "%s　%s" % (s["no"], s["title"])
        doc.para("%s ・・・・・・ %s" % (name, toc_pages.get(key, "")), font=GOTHIC, size=9.5)
        for c in s["cards"]:
            doc.para("　　%s　%s" % (c["no"], c["取組名"]), font=MINCHO, size=9)
        if s["no"] == "14":  # 14-1 is listed in the contents although its card is missing
            doc.para("　　14-1　適切な財政対策の推進", font=MINCHO, size=9)
    doc.para("目標達成率一覧 ・・・・・・ %s" % toc_pages.get("ACH", ""), font=GOTHIC, size=9.5)
    # prose
    doc.page_break()
    for h, paras in prose(ed):
        doc.heading(h, size=13)
        for p in paras:
            doc.para("　" + p)
        doc.para("")
    # cards
    for s in sections:
        # each 基本目標 starts a page; its cards follow one another, so a card
        # runs over a page break wherever it does not fit
        doc.page_break()
        name = s["title"] if s["no"] == "継" else "%s　%s" % (s["no"], s["title"])
        doc.heading(name, size=15)
        doc.para("")
        for c in s["cards"]:
            anchors = ["ＡＰＮｏ．%s担当課" % c["no"], ("seq", sched_label(ed, c["no"], 6, "計画"))]
            tail = squash(c["R6計画"].split("\n")[-1])[-10:]
            if len(tail) >= 4:
                anchors.append(tail)
            doc.grid("card-" + c["no"], card_rows(ed, c), CARD_WIDTHS, size=CARD_SIZE,
                     anchors=anchors)
            doc.grid("rate-" + c["no"], rate_rows(ed, rates.get(c["no"])), RATE_WIDTHS,
                     header_rows=1, size=9, keep_together=True, split_rows=False,
                     anchors=("目標達成率10%20%", ("seq", "Ｒ%s年度" % fw(ed.r(6)))))
    # achievements table
    doc.page_break()
    doc.heading("目標達成率一覧", size=15)
    doc.para("")
    years = ["令和%s年度" % fw(ed.r(n)) for n in (4, 5, 6)]
    rows = [[label("ＡＰＮｏ．", align="center"), label("ＡＰ取組名", align="center"),
             label("担当課", align="center")] + [label(y, align="center") for y in years]]
    avg = ach[0]
    rows.append([label(avg[1], colspan=3, align="center"), gcell(avg[3], align="right", bg=LABEL_BG),
                 gcell("", bg=LABEL_BG), gcell("", bg=LABEL_BG)])
    for no, title, dept, r4, r5, r6 in ach[1:]:
        rows.append([gcell(no, align="center"), title, dept, gcell(r4, align="right"),
                     gcell(r5, align="right"), gcell(r6, align="right")])
    doc.grid("achievements", rows, [1.9, 7.6, 3.6, 1.9, 1.9, 1.9], header_rows=1, size=9,
             split_rows=False, anchors=("ＡＰ取組名", ("seq", ach[-1][0] + ach[-1][1])))
    # back cover
    doc.page_break()
    for _ in range(30):
        doc.para("")
    doc.para("もっとつながるまち小郡アクションプラン", font=GOTHIC, size=14, align="center")
    doc.para("令和%s年２月" % fw(ed.report), size=11, align="center")
    doc.para("発行・福岡県小郡市", size=11, align="center")
    return doc


def build_pdf(ed, doc):
    build = os.path.join(CORPUS, "build")
    os.makedirs(build, exist_ok=True)
    src = os.path.join(build, ed.name + ".fodt")
    doc.save(src)
    pdf = kkcorpus.to_pdf(src, build)
    return pdf


def toc_from(ed, sections, pt):
    """Page numbers of the contents entries, found in a built PDF."""
    pages = {}
    cursor = (3, 0)
    for h in ["1　策定趣旨", "2　計画期間", "3　計画の体系", "4　SDGsへの取組について", "5　計画の推進方法"]:
        cursor = pt.seek(h, cursor, h)
        pages[h] = cursor[0]
    for s in sections:
        cursor = pt.seek("ＡＰＮｏ．%s担当課" % s["cards"][0]["no"], cursor)
        pages["S" + s["no"]] = cursor[0]
    pages["ACH"] = pt.seek("ＡＰ取組名", cursor)[0]
    return pages


# -- gold --------------------------------------------------------------------
def gold_records(ed, doc, sections, ach, pt, pdf_path):
    """The records parse must yield (records format, NFKC, no bbox)."""
    tables = {t["id"]: t for t in doc.gold_tables}
    with open(pdf_path, "rb") as f:
        sha = hashlib.sha256(f.read()).hexdigest()
    recs = [{"type": "document", "format": "keikaku-records", "version": 1,
             "file": "corpus/" + ed.name + ".pdf", "sha256": sha, "pages": pt.pages,
             "title": nfkc("もっとつながるまち小郡アクションプラン"),
             "municipality": "小郡市", "prefecture": "福岡県", "family": "action-plan-cards",
             "fiscal_start": 2018 + ed.r(4), "fiscal_end": 2018 + ed.r(6)}]
    keys = {}
    n = 0
    for s in sections:
        category = s["title"]
        for c in s["cards"]:
            n += 1
            key = "i%d" % n
            keys[c["no"]] = key
            table = tables["card-" + c["no"]]
            first = table["pages"][0]
            cursor = table["start"]
            fields = []
            sched_page = {}
            for ri, row in enumerate(card_rows(ed, c)):
                for lab_cell, val_cell in zip(row[0::2], row[1::2]):
                    lab, val = lab_cell["text"], val_cell["text"]
                    if ri > 0:
                        # the rows' first lines, in order: a short value
                        # ("-") is found by its label instead
                        snippet = squash(val.split("\n")[0])[:10]
                        if len(snippet) < 4:
                            snippet = squash(lab.split("\n")[0])
                        cursor = pt.seek(snippet, cursor, "%s %s" % (c["no"], lab))
                    fields.append({"label": nfkc(squash(lab)), "value": nfkc(val),
                                   "page": cursor[0]})
                    sched_page[nfkc(squash(lab))] = cursor[0]
            recs.append({"type": "item", "key": key, "item_no": nfkc(c["no"]),
                         "title": nfkc(c["取組名"]), "department": nfkc(c["担当課"]),
                         "category": nfkc(category), "page": first, "fields": fields})
            for nn, kind, k in ((3, "actual", "R3実績"), (4, "actual", "R4実績"),
                                (5, "plan", "R5計画"), (6, "plan", "R6計画")):
                lab = sched_label(ed, c["no"], nn, "実績" if kind == "actual" else "計画")
                recs.append({"type": "schedule", "item": key, "fiscal_year": 2018 + ed.r(nn),
                             "kind": kind, "text": nfkc(c[k]), "page": sched_page[nfkc(lab)]})
    cursor = tables["achievements"]["start"]
    for no, title, dept, r4, r5, r6 in ach[1:]:
        cursor = pt.seek(no + title[:6], cursor, "achievement " + no)
        page = cursor[0]
        if no not in keys:
            # 14-1 has a row here but no card in the document: the row is its only box
            n += 1
            keys[no] = "i%d" % n
            recs.append({"type": "item", "key": keys[no], "item_no": nfkc(no),
                         "title": nfkc(title), "department": nfkc(dept.replace("\n", "、")),
                         "category": None, "page": page, "fields": []})
        for y, r in zip((4, 5, 6), (r4, r5, r6)):
            if r:
                recs.append({"type": "achievement", "item": keys[no], "fiscal_year": 2018 + ed.r(y),
                             "rate": float(r.rstrip("%")), "page": page})
    recs.append({"type": "end", "records": len(recs) - 1})
    return recs


def build(variant, ed=None, edit=None):
    """Builds one edition; `ed` (an Edition) and `edit` (sections, ach →
    sections, ach) let another generator build a later edition of the plan
    (gen_ogori_action_plan_r5.py).  Returns (ed, doc, sections, ach, gold records)."""
    ed = ed or Edition(variant)
    sections = read_cards(os.path.join(DATA, "001-cards.txt"))
    ach = read_achievements(os.path.join(DATA, "001-achievements.tsv"))
    if variant:
        sections, ach = make_variant(sections, ach)
    if edit:
        sections, ach = edit(sections, ach)
    # pass 1 finds the pages of the contents entries, pass 2 prints them
    doc = layout(ed, sections, ach, {})
    pt = cardlib.PageText(build_pdf(ed, doc))
    toc = toc_from(ed, sections, pt)
    doc = layout(ed, sections, ach, {k: fw(v) for k, v in toc.items()})
    pdf = build_pdf(ed, doc)
    pt = cardlib.PageText(pdf)
    if toc_from(ed, sections, pt) != toc:
        raise SystemExit("gen_ogori_action_plan: contents page numbers moved between passes")
    final = os.path.join(CORPUS, ed.name + ".pdf")
    os.replace(pdf, final)
    cardlib.place_tables(doc, pt)
    gold = os.path.join(CORPUS, "gold")
    os.makedirs(gold, exist_ok=True)
    with open(os.path.join(gold, ed.name + ".tables.json"), "w", encoding="utf-8") as f:
        json.dump(cardlib.gold_tables_json(ed.name + ".pdf", doc), f, ensure_ascii=False, indent=1)
        f.write("\n")
    recs = gold_records(ed, doc, sections, ach, pt, final)
    with open(os.path.join(gold, ed.name + ".records.jsonl"), "w", encoding="utf-8") as f:
        for r in recs:
            f.write(json.dumps(r, ensure_ascii=False) + "\n")
    kinds = {}
    for r in recs:
        kinds[r["type"]] = kinds.get(r["type"], 0) + 1
    print("%s.pdf: %d pages, %d tables, %s" % (ed.name, pt.pages, len(doc.gold_tables),
          ", ".join("%d %s" % (v, k) for k, v in kinds.items())))
    return ed, doc, sections, ach, recs


def main():
    only = None
    if len(sys.argv) == 3 and sys.argv[1] == "--only" and sys.argv[2] in ("normal", "variant"):
        only = sys.argv[2]
    elif len(sys.argv) != 1:
        raise SystemExit("usage: gen_ogori_action_plan.py [--only normal|variant]")
    if only in (None, "normal"):
        build(False)
    if only in (None, "variant"):
        build(True)


if __name__ == "__main__":
    main()
