"""Builds corpus/000-ogori-action-items.pdf (小郡市行政経営行動計画, 令和４年３月:
prose chapters 第１–第３, the 16 実施項目 cards of 第４ drawn as ruled tables
— 項目番号 No.N, 項目名, 担当課, 現状・課題, 目標, R4年度計画 — and the 附属資料
tables) and its gold files, from corpus/src/ogori_cards/000-items.txt and
000-measures.tsv (written from seed 000).

With --only variant (the default run builds both) it builds
corpus/000-ogori-action-items-variant.pdf from the same sources after a
deterministic rewrite (make_variant): another city (長崎県大村市), every 担当課
renamed, other wording of the 項目名, the numbers of the card texts rewritten
digit by digit (the measures' raw texts with them, their values scaled by
the same ratio).  Same layout, other content: the structure-not-content test
of parse.

Usage: python3 gen_ogori_action_items.py [--only normal|variant]
"""
import hashlib
import json
import os
import re
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "ogori_cards"))
import cardlib  # noqa: E402
from cardlib import GOTHIC, MINCHO, LABEL_BG, gcell, nfkc, squash  # noqa: E402
import kkcorpus  # noqa: E402
sys.path.insert(0, os.path.join(HERE, "report"))
import variant  # noqa: E402

CORPUS = os.path.dirname(HERE)
DATA = os.path.join(HERE, "ogori_cards")
NAME = "000-ogori-action-items"
KEYS = ("項目名", "担当課", "現状・課題", "目標", "R4年度計画")


def read_items(path):
    """Policies (実施方針) with their sub-headings and items."""
    policies = []
    key_re = re.compile(r"^(%s): (.*)$" % "|".join(KEYS))
    item = key = None
    with open(path, encoding="utf-8") as f:
        for line in f:
            line = line.rstrip("\n")
            if line.startswith("#"):
                continue
            if line.startswith("@policy "):
                no, title = line[8:].split(" ", 1)
                policies.append({"no": no, "title": title, "blocks": []})
            elif line.startswith("@sub "):
                policies[-1]["blocks"].append(("sub", line[5:]))
            elif line.startswith("@item "):
                item = {"no": line[6:].strip()}
                policies[-1]["blocks"].append(("item", item))
                key = None
            elif not line.strip():
                key = None
            else:
                m = key_re.match(line)
                if m:
                    key = m.group(1)
                    item[key] = m.group(2)
                elif key:
                    item[key] += "\n" + line
                else:
                    raise SystemExit("000-items.txt: stray line %r" % line)
    return policies


def read_measures(path):
    rows = []
    with open(path, encoding="utf-8") as f:
        for line in f:
            if line.startswith("#") or not line.strip():
                continue
            no, cell, raw, label, role, value, unit, fy = line.rstrip("\n").split("\t")
            v = float(value)
            rows.append({"no": no, "cell": cell, "raw": raw, "label": label, "role": role,
                         "value": int(v) if unit == "円" or v == int(v) and "." not in value else v,
                         "unit": unit or None, "fiscal_year": int(fy)})
    return rows


def label(text, **kw):
    return gcell(text, font=GOTHIC, bg=LABEL_BG, valign="middle", **kw)


def card_rows(it):
    return [
        [label("項目番号", align="center"), gcell("No.%s" % it["no"], align="center"),
         label("項目名", align="center"), it["項目名"],
         label("担当課", align="center"), it["担当課"]],
        [label("現状・課題", align="center"), gcell(it["現状・課題"], colspan=5)],
        [label("目　標", align="center"), gcell(it["目標"], colspan=5)],
        [label("年度行動計画（及び実績・評価）", colspan=5, align="center"),
         label("目標達成度", align="center")],
        [label("R4年度計画", align="center"), gcell(it["R4年度計画"], colspan=4), ""],
    ]


CARD_WIDTHS = [2.4, 1.6, 1.6, 6.0, 1.6, 3.8]

HISTORY = [("昭和61年", "小郡市行政改革大綱"), ("平成8年", "小郡市行政改革大綱"),
           ("平成14年", "小郡市行政改革大綱"), ("平成16年", "財政構造対策緊急計画"),
           ("平成18年", "小郡市行政改革大綱集中改革プラン"), ("平成19年", "小郡市行政改革行動計画"),
           ("平成24年", "第２次小郡市行政改革行動計画"), ("平成29年", "小郡市行政経営アクションプラン"),
           ("令和元年", "緊急財政対策計画")]

MEMBERS = [
    ("第３条第１号委員\n（関係団体の役職員）", [
        ("【副会長】\n木　下　綏　子", "おごおり女性協議会"), ("中　村　　登", "小郡市商工会"),
        ("西　山　友　幸", "みい農業協同組合"), ("中　村　竜　博", "みい青年会議所"),
        ("松　田　　知", "連合福岡北筑後地域協議会")]),
    ("第３条第２号委員\n（識見を有する者）", [
        ("【会長】\n右　田　喜　章", "有識者"), ("大　橋　健　治", "有識者"), ("栗　脇　昭　博", "有識者")]),
    ("第３条第３号委員\n（公募により選ばれた市民）", [
        ("河　原　博　之", "市民公募"), ("丁　場　直　人", "市民公募")]),
]

COURSE = [
    ("R3.6.14\n～6.30", "各課照会", "・次期計画取組事項の提案について実施"),
    ("R3.7.5", "第１回行政改革推進本部会議", "・計画名称の検討\n・行政経営行動計画策定基本方針の決定"),
    ("R3.8.2", "第２回行政改革推進本部会議", "・行政経営行動計画構成（案）の決定"),
    ("R3.8.26\n～9.13", "第１回行政改革推進委員会\n（書面開催）", "・市長から委員会へ諮問\n・行政経営行動計画構成（案）の審議"),
    ("R3.9.27\n～10.1", "第１回「行政経営行動計画」策\n定課長会　（書面開催）", "・行政経営行動計画（案）の検討"),
    ("R3.10.11", "第３回行政改革推進本部会議", "・行政経営行動計画（案）の検討"),
    ("R3.10.27", "第２回行政改革推進委員会", "・行政経営行動計画（案）の審議"),
    ("R3.11.8", "第４回行政改革推進本部会議", "・行政経営行動計画（案）の検討"),
    ("R3.11.16\n～11.22", "第２回「行政経営行動計画」策\n定課長会　（書面開催）", "・行政経営行動計画（案）の検討"),
    ("R3.11.26", "第３回行政改革推進委員会", "・行政経営行動計画（案）の審議"),
    ("R3.12.6", "第５回行政改革推進本部会議", "・行政経営行動計画（案）の検討"),
    ("R3.12.27\n～R4.1.21", "パブリックコメント実施", "・行政経営行動計画（案）について意見募集"),
    ("R4.2.7", "第６回行政改革推進本部会議", "・行政経営行動計画（案）の検討"),
    ("R4.2.21", "行政改革推進委員会答申", "・委員会から市長への答申"),
]

PROSE_1 = [
    ("２　地方自治体を取り巻く環境", [
        "昨今の市政を取り巻く環境については、少子高齢化に伴う社会保障経費の増加や市民ニーズの多様化、公共施設の老朽化問題などに加えて、頻発する災害への備えのほか、新型コロナウイルス感染症の拡大防止に対する取組や生活様式の見直し、窓口業務や内部事務などのデジタル化の遅れなどが課題となっています。",
        "多種多様化する課題を解決するため、これまでの地方創生や地域社会の維持・再生とともに、行政の合理化、能率化、デジタル変革などが必要であり、「組織の自律経営に向けた体制」の構築が求められています。"]),
    ("３　計画の必要性", [
        "令和元年５月には、基金に依存した財務体質を改善するため、「緊急財政対策計画」を策定し、その取組を進めてきました。しかしながら、災害に対する備えや新型コロナウイルス感染症の影響による地方税等の減収や対策など、財政運営は今後も厳しい状況であることが予想されます。",
        "また、一方で、複雑化する市民ニーズや環境の変化に対応した行政経営が求められる中では、まちづくりの主体である市民に対して、積極的かつ効果的に情報を発信し、共有することで市民参画を促し、対話などを通して課題解決を図ることが重要であり、同時に、これまでの組織や業務の見直しを行い、限りある資源の最適化と効率化を行いながらサービスの向上を図っていくことが必要となります。",
        "このような状況を踏まえると、令和３年度で期間が終了する「小郡市行政経営アクションプラン」の後を受けて、今後も本市が継続して発展し、市民が住み慣れた地域で安心して暮らすためには、行財政基盤を強化し、質の高い行政サービスを安定して提供していくための具体的な方策となる「小郡市行政経営行動計画」を策定する必要があります。"]),
]

PROSE_2 = [
    ("１　計画の目的", [
        "小郡市行政経営行動計画は、第６次小郡市総合振興計画の将来像である「人がつながり　市民が躍動する温かみのある都市（まち）　おごおり　～「共感・共働・共創」による共生社会を目指して～」の実現を目指し、また、市民が安心して暮らせる自治体経営と持続可能な地域社会をつくりあげていくために、社会経済情勢の変化に対応した市政を実現していくことを目的とします。"]),
    ("２　計画の位置づけ", [
        "本計画は、第６次小郡市総合振興計画に掲げる将来像の実現に向け、今後推進すべき市政全般の土台となる行財政運営に関する目標を具体的に示した行動計画として策定します。",
        "また、市内の公共的機関又は団体の代表、有識者及び市民公募委員で構成する小郡市行政改革推進委員会からの答申を踏まえ策定するものとし、本市の新たな行財政運営の指針とします。"]),
    ("３　計画期間", [
        "本計画は、令和４年度から令和８年度までの５か年を計画期間とします。"]),
    ("４　推進体制", [
        "本計画の推進に当たっては、市長を本部長とした行政改革推進本部を主体として、市民との対話を図りながら、庁内全体で取り組みます。設定した具体的な方策・目標については、毎年進捗状況を総括するとともに、必要に応じて見直しを行います。"]),
    ("５　実施状況の公表", [
        "実施状況については、小郡市行政改革推進委員会へ定期的に報告の上、助言を受け、この計画に盛り込んでいないものについても、必要に応じて取り組んでいきます。",
        "また、これらの情報は、ホームページや広報等を通して公表します。"]),
]

PROSE_3 = [
    ("", ["本計画の目的を達成していくために、従来の総合的、包括的な計画を見直し、次の３つの実施方針に沿って、重点的に行政経営を進めます。"]),
    ("１　健全な財政基盤の確立", [
        "新たな時代を見据え、多様な財政需要にも柔軟に対応できる持続可能な財政運営を確保するため、将来的な財政収支を見通しつつ、施策の選択と集中及び投資的経費の抑制等により経費の削減に努めます。また、新規財源の確保など収入の確保に取り組み、財政の弾力化・健全化を図ります。",
        "(1)　歳出の抑制",
        "　普通建設事業や補助金の抑制に取り組み、経費の削減に努めます。また、市債残高の縮減を図り、将来負担を抑制することで持続可能な財政構造の構築に努めます。",
        "(2)　歳入の確保",
        "　ふるさと納税や企業版ふるさと納税の推進など、収入の確保に取り組みます。また、基金の適正な管理を行うことで、事業の推進や今後突発的な財政需要にも対応できる財政基盤の強化を図ります。"]),
    ("２　効果的・効率的な行政運営", [
        "市民ニーズの多様化が進む中、積極的に情報発信とニーズの把握を行い、理解と協力を得ながら市民参画による課題解決を図ります（行政運営リテラシーの向上）。また、業務の増大化及び複雑化に対して、限られた資源を有効活用し、最小の経費で最大の効果を生み出していくため、既存業務の効率化や、デジタル技術を取り入れた行政サービスの向上など、新たな時代に対応できる行政運営の変革を推進します。",
        "※行政運営リテラシー＝「行財政運営について正しく読み解き、理解する力」"]),
    ("３　人材育成と組織力の向上", [
        "人事評価制度の活用や職員研修の充実などによる人材育成に取り組む一方で、職員の健康管理など、働き方改革に取り組むことで、社会経済情勢の変化や新たな行政課題に対応できる柔軟な組織体制の構築に努めます。"]),
]


# -- the variant rewrite -------------------------------------------------
CITY = {"小郡": "大村", "小　郡": "大　村", "福岡県": "長崎県", "おごおり": "おおむら",
        "838-0198": "856-8686", "北筑後": "県央"}
DEPT = {"人事法制課": "職員課", "商工・企業立地課": "産業振興課", "市民課": "市民窓口課",
        "総務広報課": "秘書広報課", "経営戦略課": "企画政策課", "財政課": "財務課"}
WORDING = {"推進": "強化", "活用": "利活用", "適切な": "適正な", "管理": "運用", "縮減": "削減",
           "効率化": "省力化", "積極的提供": "積極的な発信", "把握": "収集", "普及": "拡大",
           "展開": "実施", "実施": "執行"}


class Edition:
    """The text rewrite of an edition: none for the normal document."""
    variant = False
    name = NAME

    @staticmethod
    def text(t):
        return t


ED = Edition()


def variant_text(t):
    return variant.replace_all(t, {**CITY, **DEPT})


def make_variant(policies, measures):
    """The sources of the variant (see the module comment); every literal of
    the layout goes through ED.text too."""
    global HISTORY, MEMBERS, COURSE, PROSE_1, PROSE_2, PROSE_3
    ED.variant, ED.name, ED.text = True, NAME + "-variant", variant_text
    HISTORY, MEMBERS, COURSE, PROSE_1, PROSE_2, PROSE_3 = variant.walk(
        (HISTORY, MEMBERS, COURSE, PROSE_1, PROSE_2, PROSE_3), variant_text)
    policies = variant.walk(policies, variant_text)
    for pol in policies:
        for kind, it in pol["blocks"]:
            if kind != "item":
                continue
            it["項目名"] = variant.replace_all(it["項目名"], WORDING)
            for k in ("現状・課題", "目標", "R4年度計画"):
                it[k] = variant.remap_numbers_in(it[k], keep_full_percent=True)
    out = []
    for m in measures:
        m = dict(m)
        raw = variant.remap_numbers_in(m["raw"], keep_full_percent=True)
        if raw != m["raw"]:
            _, v = variant.remap_raw(m["raw"], m["value"])
            if variant.remap_raw(m["raw"], m["value"])[0] != raw:
                raise SystemExit("000 variant: cannot rewrite measure %r" % m["raw"])
            m["raw"], m["value"] = raw, v
        m["label"] = variant_text(m["label"])
        out.append(m)
    return policies, out


def chapter(doc, title, sections):
    doc.heading(title, size=15)
    doc.para("")
    for h, paras in sections:
        if h:
            doc.heading(h, size=12)
        for p in paras:
            doc.para(p if p.startswith(("(", "※", "　")) else "　" + p)
        doc.para("")


def layout(policies):
    doc = cardlib.CardDocument(footer="- {page} -", font=MINCHO, size=10.5, margin_cm=2.0,
                               title=ED.text("小郡市行政経営行動計画"), author=ED.text("小郡市"))
    for _ in range(12):
        doc.para("")
    doc.para(ED.text("小郡市行政経営行動計画"), font=GOTHIC, size=28, bold=True, align="center")
    for _ in range(14):
        doc.para("")
    doc.para("令和４年３月", font=GOTHIC, size=16, align="center")
    doc.para(ED.text("小　郡　市"), font=GOTHIC, size=18, bold=True, align="center")
    # 第１
    doc.page_break()
    doc.heading("第１　計画策定の背景", size=15)
    doc.para("")
    doc.heading("１　これまでの経過", size=12)
    doc.grid("history", [[gcell(y, align="center"), t] for y, t in HISTORY], [3.0, 9.0],
             size=10.5, anchors=(ED.text("昭和61年小郡市行政改革大綱"), ("seq", "令和元年緊急財政対策計画")))
    for h, paras in PROSE_1:
        doc.heading(h, size=12)
        for p in paras:
            doc.para("　" + p)
        doc.para("")
    doc.page_break()
    chapter(doc, "第２　計画の基本的事項", PROSE_2)
    doc.page_break()
    chapter(doc, "第３　実施方針", PROSE_3)
    # 第４: the cards
    for pi, pol in enumerate(policies):
        doc.page_break()
        if pi == 0:
            doc.heading("第４　実施項目", size=15)
            doc.para("")
        doc.heading("%s　%s" % (pol["no"], pol["title"]), size=13)
        for kind, block in pol["blocks"]:
            if kind == "sub":
                doc.heading(block, size=11)
                continue
            it = block
            anchors = [re.compile(r"No\.%s(?![0-9])" % it["no"]), ("seq", "R4年度計画")]
            tail = squash(it["R4年度計画"].split("\n")[-1])[-10:]
            if len(tail) >= 4:
                anchors.append(tail)  # the last line of a row split over a page break
            doc.grid("item-%s" % it["no"], card_rows(it), CARD_WIDTHS, size=9, anchors=anchors)
    # 附属資料
    doc.page_break()
    doc.heading("附　属　資　料", size=15)
    doc.para("")
    doc.heading(ED.text("小郡市行政改革推進委員会委員名簿"), size=12)
    doc.para("委嘱期間：令和３年８月１８日～", align="right")
    rows = [[label("区　　分", align="center"), label("氏　　　　名", align="center"),
             label("選出団体名", align="center")]]
    for cls, members in MEMBERS:
        for i, (name, org) in enumerate(members):
            row = [gcell(cls, rowspan=len(members), valign="middle")] if i == 0 else []
            rows.append(row + [name, org])
    doc.grid("members", rows, [5.0, 4.5, 6.5], header_rows=1, size=10,
             anchors=("区分氏名選出団体名", ("seq", "丁場直人")))
    doc.para("（順不同、敬称略）", align="right")
    doc.para("")
    doc.heading(ED.text("小郡市行政経営行動計画策定の経過"), size=12)
    rows = [[label("期　日", align="center"), label("項　目", align="center"),
             label("内　容", align="center")]]
    rows += [[gcell(d, align="center"), t, c] for d, t, c in COURSE]
    doc.grid("course", rows, [3.0, 6.5, 6.5], header_rows=1, size=10, split_rows=False,
             anchors=("期日項目内容", ("seq", "R4.2.21")))
    # back cover
    doc.page_break()
    for _ in range(30):
        doc.para("")
    doc.para(ED.text("小郡市行政経営行動計画"), font=GOTHIC, size=14, align="center")
    doc.para("令和４年３月", size=11, align="center")
    doc.para(ED.text("小　郡　市"), size=11, align="center")
    doc.para("")
    doc.para(ED.text("編集・発行　小郡市 総務部 経営戦略課\n〒838-0198　福岡県小郡市小郡255番地1"), size=10, align="center")
    return doc


def gold_records(doc, policies, measures, pt, pdf):
    tables = {t["id"]: t for t in doc.gold_tables}
    with open(pdf, "rb") as f:
        sha = hashlib.sha256(f.read()).hexdigest()
    recs = [{"type": "document", "format": "keikaku-records", "version": 1,
             "file": "corpus/%s.pdf" % ED.name, "sha256": sha, "pages": pt.pages,
             "title": ED.text("小郡市行政経営行動計画"), "municipality": ED.text("小郡市"),
             "prefecture": ED.text("福岡県"),
             "family": "action-plan-items", "fiscal_start": 2022, "fiscal_end": 2026}]
    n = 0
    for pol in policies:
        for kind, it in pol["blocks"]:
            if kind != "item":
                continue
            n += 1
            key = "i%d" % n
            table = tables["item-" + it["no"]]
            cursor = table["start"]
            fields = []
            cell_page = {}
            for ri, row in enumerate(card_rows(it)):
                if ri == 3:
                    continue  # the 年度行動計画 / 目標達成度 heading row
                cells = [c if isinstance(c, dict) else gcell(c) for c in row]
                for lab_cell, val_cell in zip(cells[0::2], cells[1::2]):
                    lab, val = lab_cell["text"], val_cell["text"]
                    if ri > 0:
                        cursor = pt.seek(squash(val.split("\n")[0])[:10], cursor,
                                         "No.%s %s" % (it["no"], lab))
                    fields.append({"label": nfkc(squash(lab)), "value": nfkc(val),
                                   "page": cursor[0]})
                    cell_page[nfkc(squash(lab))] = cursor[0]
            recs.append({"type": "item", "key": key, "item_no": it["no"], "title": nfkc(it["項目名"]),
                         "department": nfkc(it["担当課"]), "category": nfkc(pol["title"]),
                         "page": table["pages"][0], "fields": fields})
            for m in measures:
                if m["no"] != it["no"]:
                    continue
                text = it[m["cell"]]
                if m["raw"] not in text:
                    raise SystemExit("000-measures.tsv: %r is not in No.%s %s" % (m["raw"], m["no"], m["cell"]))
                recs.append({"type": "measure", "item": key, "label": nfkc(m["label"]),
                             "role": m["role"], "value": m["value"], "unit": m["unit"],
                             "fiscal_year": m["fiscal_year"], "raw": nfkc(m["raw"]),
                             "page": cell_page[nfkc(m["cell"])]})
    recs.append({"type": "end", "records": len(recs) - 1})
    return recs


def main():
    only = variant.only_arg("gen_ogori_action_items.py")
    if only in (None, "normal"):
        build(False)
    if only in (None, "variant"):
        build(True)


def build(is_variant):
    policies = read_items(os.path.join(DATA, "000-items.txt"))
    measures = read_measures(os.path.join(DATA, "000-measures.tsv"))
    if is_variant:
        policies, measures = make_variant(policies, measures)
    NAME = ED.name
    doc = layout(policies)
    build = os.path.join(CORPUS, "build")
    os.makedirs(build, exist_ok=True)
    src = os.path.join(build, NAME + ".fodt")
    doc.save(src)
    pdf = os.path.join(CORPUS, NAME + ".pdf")
    os.replace(kkcorpus.to_pdf(src, build), pdf)
    pt = cardlib.PageText(pdf)
    cardlib.place_tables(doc, pt)
    os.makedirs(os.path.join(CORPUS, "gold"), exist_ok=True)
    with open(os.path.join(CORPUS, "gold", NAME + ".tables.json"), "w", encoding="utf-8") as f:
        json.dump(cardlib.gold_tables_json(NAME + ".pdf", doc), f, ensure_ascii=False, indent=1)
        f.write("\n")
    recs = gold_records(doc, policies, measures, pt, pdf)
    with open(os.path.join(CORPUS, "gold", NAME + ".records.jsonl"), "w", encoding="utf-8") as f:
        for r in recs:
            f.write(json.dumps(r, ensure_ascii=False) + "\n")
    kinds = {}
    for r in recs:
        kinds[r["type"]] = kinds.get(r["type"], 0) + 1
    print("%s.pdf: %d pages, %d tables, %s" % (NAME, pt.pages, len(doc.gold_tables),
          ", ".join("%d %s" % (v, k) for k, v in kinds.items())))


if __name__ == "__main__":
    main()
