"""yearlib — source data, page finding and gold records shared by the
year-column list generators (gen_yearlist_calc.py, gen_yearlist_writer.py).

The list (plan_years.tsv, contents.tsv in this directory) is a 行政改革実施計画
一覧 whose columns are fiscal years (R6 / R7 / R8: what is planned each year)
with an effect amount in thousands of yen, grouped under category rows.  Each
edition lays it out with its own producer, labels and column order; the gold
records are the same facts in every edition (only the field labels follow the
edition's header), made from the source data, never from keikaku's output.

Gold records of an edition (corpus/gold/NAME.records.jsonl):
  document  title = the list's heading, municipality, prefecture, family
            "implementation-plan" (a year-column 実施計画 list), fiscal_start/end 2024/2026
  item      one per list row: item_no, title (取組項目名), department (所管),
            category (the category row above it, without its number), page
            (where the row's number is printed), fields = every cell of
            the row labelled by its header as printed (the year columns by
            their own header cell, 効果額 with its unit)
  schedule  one per year cell: fiscal_year from the header, kind "plan", text
  measure   one per stated effect amount: label "効果額", role "target",
            value in yen (the cell x 1000: the header says 千円), unit 円,
            fiscal_year null (the column names no year: the plan period's
            effect), raw = the cell as printed
"""
import html
import os
import re
import subprocess
import sys
import unicodedata

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
import kkcorpus  # noqa: E402
from kkcorpus import nfkc, squash  # noqa: E402,F401

HERE = os.path.dirname(os.path.abspath(__file__))
CORPUS = os.path.dirname(os.path.dirname(HERE))
BUILD = os.path.join(CORPUS, "build")

MUNICIPALITY, PREFECTURE = "宗像市", "福岡県"
FAMILY = "implementation-plan"
FISCAL_YEARS = (2024, 2025, 2026)
CATEGORY_NO = "１２３４５６７８９"


def _rows(name):
    with open(os.path.join(HERE, name), encoding="utf-8") as f:
        return [l.rstrip("\n").split("\t") for l in f if l.strip() and not l.startswith("#")]


def load():
    """The list's rows in order: dicts with no, category, title, dept,
    years (3 texts, "\\n" = line break), effect (text as printed, "－" =
    none), content (the long 取組内容 text)."""
    contents = {r[0]: r[1] for r in _rows("contents.tsv")}
    out = []
    for r in _rows("plan_years.tsv"):
        assert len(r) == 8, r
        out.append({"no": r[0], "category": r[1], "title": r[2], "dept": r[3],
                    "years": [y.replace("\\n", "\n") for y in r[4:7]],
                    "effect": r[7], "content": contents[r[0]]})
    assert [int(r["no"]) for r in out] == list(range(1, len(out) + 1))
    return out


def categories(rows):
    """[(category, [rows])] in order of first appearance."""
    out = []
    for r in rows:
        if not out or out[-1][0] != r["category"]:
            out.append((r["category"], []))
        out[-1][1].append(r)
    return out


def width(s):
    """Display width in full-width characters (half-width counts 0.5)."""
    return sum(0.5 if unicodedata.east_asian_width(ch) in "NaH" else 1.0 for ch in s)


def wrap(text, cols):
    """text with a line break wherever a line would pass `cols` full-width
    characters (existing breaks kept): the way the cell prints."""
    out = []
    for line in text.split("\n"):
        cur, w = "", 0.0
        for ch in line:
            cw = width(ch)
            if w + cw > cols and cur:
                out.append(cur)
                cur, w = "", 0.0
            cur += ch
            w += cw
        out.append(cur)
    return "\n".join(out)


def pdf_words(pdf):
    """{page: [(xmin, ymin, xmax, ymax, word)]} from pdftotext -bbox."""
    out = subprocess.run(["pdftotext", "-bbox", pdf, "-"], check=True,
                         capture_output=True, text=True).stdout
    pages, n = {}, 0
    for line in out.split("\n"):
        if line.lstrip().startswith("<page "):
            n += 1
            pages[n] = []
        m = re.search(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">(.*)</word>', line)
        if m:
            pages[n].append((float(m.group(1)), float(m.group(2)), float(m.group(3)),
                             float(m.group(4)), html.unescape(m.group(5))))
    return pages


def locate_rows(pdf, rows, col0, header_words):
    """(item_pages, split_rows, pages): the page each row's number is
    printed on (a word of ASCII digits inside the first column's x range
    col0 = (left, right) in pt), the rows whose cells run on past a page
    break (words above the page's first number and below its repeated
    header, whose words are header_words, that are not a category row),
    and the PDF's page count."""
    words = pdf_words(pdf)
    cats = set(squash(r["category"]) for r in rows)
    item_pages, split = {}, []
    prev_last = None
    for p in sorted(words):
        ws = words[p]
        nums = sorted((w[1], int(w[4])) for w in ws
                      if col0[0] - 2 <= w[0] and w[2] <= col0[1] + 2 and re.fullmatch(r"[0-9]+", w[4]))
        hdr = [w for w in ws if w[4] in header_words]
        if hdr and nums and prev_last is not None:
            hdr_bottom = max(w[3] for w in hdr)
            body = [w for w in ws if w[1] > hdr_bottom + 1 and w[3] < nums[0][0] - 1
                    and squash(w[4]).lstrip(CATEGORY_NO) not in cats | {""}]
            if body:
                split.append({"item_no": str(prev_last), "pages": [p - 1, p]})
        for _, n in nums:
            if n in item_pages:
                raise SystemExit("yearlib: row %d found twice (pages %d and %d)" % (n, item_pages[n], p))
            item_pages[n] = p
        if nums:
            prev_last = nums[-1][1]
    want = set(int(r["no"]) for r in rows)
    if set(item_pages) != want:
        raise SystemExit("yearlib: rows not found in %s: %s" % (pdf, sorted(want - set(item_pages))))
    return item_pages, split, len(words)


def cell_text(r, k):
    """The text a row prints in column k (no/title/dept/content, y0..y2 =
    the year columns, effect)."""
    return r["years"][int(k[1])] if re.fullmatch(r"y[0-9]", k) else r[k]


def records(name, pdf, title, rows, item_pages, pages, labels):
    """The gold records (see the module comment).  labels: the edition's
    header text for each column it prints, as a list of (label, key) with
    key in no/title/dept/content/y0/y1/y2/effect, in the edition's column
    order (every column of a list is a field: patterns/README.md)."""
    sha = kkcorpus.sha256_file(pdf)
    recs = [{"type": "document", "format": "keikaku-records", "version": 1,
             "file": "corpus/" + name + ".pdf", "sha256": sha, "pages": pages,
             "title": nfkc(title), "municipality": MUNICIPALITY, "prefecture": "福岡県",  # printed nowhere, but the only prefecture with a city of that name (the gazetteer's rule)
             "family": FAMILY, "fiscal_start": FISCAL_YEARS[0], "fiscal_end": FISCAL_YEARS[-1]}]
    for r in rows:
        key = "i" + r["no"]
        page = item_pages[int(r["no"])]
        recs.append({"type": "item", "key": key, "item_no": r["no"], "title": nfkc(r["title"]),
                     "department": nfkc(r["dept"]), "category": nfkc(r["category"]), "page": page,
                     "fields": [{"label": nfkc(squash(l)), "value": nfkc(cell_text(r, k))} for l, k in labels]})
        for fy, text in zip(FISCAL_YEARS, r["years"]):
            recs.append({"type": "schedule", "item": key, "fiscal_year": fy, "kind": "plan",
                         "text": nfkc(text), "page": page})
        if r["effect"] != "－":
            recs.append({"type": "measure", "item": key, "label": "効果額", "role": "target",
                         "value": int(r["effect"].replace(",", "")) * 1000, "unit": "円",
                         "fiscal_year": None, "raw": nfkc(r["effect"]), "page": page})
    recs.append({"type": "end", "records": len(recs) - 1})
    return recs


def _pieces_in(text, page_text):
    """True if text is printed in page_text as at most three pieces of at
    least 4 characters (a cell broken by a page break has the next page's
    header between its parts)."""
    pos, pieces = 0, 0
    while pos < len(text):
        k = len(text) - pos
        while k and text[pos:pos + k] not in page_text:
            k -= 1
        if k < min(4, len(text) - pos) or pieces == 3:
            return False
        pos, pieces = pos + k, pieces + 1
    return True


def write_gold(name, tables, recs, check_pdf=None):
    """Writes corpus/gold/NAME.tables.json and NAME.records.jsonl; with
    check_pdf, first checks that every gold cell line is printed on its
    table's pages (pdftotext -raw, whitespace ignored; see _pieces_in)."""
    if check_pdf:
        bad = []
        for t in tables:
            txt = "".join(squash(subprocess.run(
                ["pdftotext", "-raw", "-f", str(p), "-l", str(p), check_pdf, "-"],
                capture_output=True, text=True, check=True).stdout)
                for p in range(t["pages"][0], t["pages"][1] + 1))
            for row in t["rows"]:
                for c in row:
                    s = c if isinstance(c, str) else c["text"]
                    for line in s.split("\n"):
                        q = squash(line)
                        # in pieces: a cell broken by a page break has the
                        # next page's header between its two parts
                        if not _pieces_in(q, txt):
                            bad.append(q)
        if bad:
            raise SystemExit("yearlib: %s: gold cell lines not printed: %s" % (name, bad[:5]))
    kkcorpus.write_gold(name, tables, recs)
