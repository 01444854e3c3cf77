"""variant — the deterministic rewrites that turn a corpus document's source
data into its variant (corpus/NNN-…-variant.pdf): other municipality, other
department names, other item wording, other numbers.  The variant is laid
out by the same generator from the rewritten data, and its gold is derived
from the same rewritten data, so parse is tested on structure, not on the
corpus's text.  Used by gen_ogori_action_items.py, gen_ogori_results.py,
gen_arao_reform.py and gen_004_iizuka.py (each with --only normal|variant).
"""
import re
import sys
from decimal import Decimal

FW_DIGITS = str.maketrans("0123456789", "０１２３４５６７８９")
ASCII_DIGITS = str.maketrans("０１２３４５６７８９", "0123456789")


def walk(obj, fn):
    """obj with fn applied to every string in it (dict keys too)."""
    if isinstance(obj, str):
        return fn(obj)
    if isinstance(obj, list):
        return [walk(x, fn) for x in obj]
    if isinstance(obj, tuple):
        return tuple(walk(x, fn) for x in obj)
    if isinstance(obj, dict):
        return {walk(k, fn): walk(v, fn) for k, v in obj.items()}
    return obj


def replace_all(text, mapping):
    """Every key of mapping replaced by its value, longest first, in one
    pass (a replacement is never replaced again)."""
    if not mapping:
        return text
    keys = sorted(mapping, key=len, reverse=True)
    rx = re.compile("|".join(re.escape(k) for k in keys))
    return rx.sub(lambda m: mapping[m.group(0)], text)


def digit(d, lead):
    """The digit rewrite: leading digit d -> (d+2)%9+1 (never 0), the
    others d -> (d+3)%10."""
    return (d + 2) % 9 + 1 if lead else (d + 3) % 10


def remap_number(s):
    """A number as printed ("1,234", "12.5", "１２") with every digit
    rewritten, keeping its shape (commas, decimal point, full width)."""
    out = []
    lead = True
    for ch in s:
        a = ch.translate(ASCII_DIGITS)
        if a.isdigit() and len(a) == 1:
            n = str(digit(int(a), lead))
            out.append(n.translate(FW_DIGITS) if a != ch else n)
            lead = False
        else:
            out.append(ch)
    return "".join(out)


_NUM = re.compile(r"[0-9０-９][0-9０-９,，]*(?:[.．][0-9０-９]+)?")


def remap_raw(raw, value):
    """A measure as printed and its value: the one number in raw
    rewritten and the value scaled by the same ratio (so "17.5億円" with
    1750000000 becomes "41.8億円" with 4180000000).  Raws with no number
    or more than one stay as they are."""
    nums = _NUM.findall(raw)
    if len(nums) != 1 or value is None:
        return raw, value
    old = nums[0]
    new = remap_number(old)
    o = Decimal(old.translate(ASCII_DIGITS).replace(",", "").replace("，", "").replace("．", "."))
    n = Decimal(new.translate(ASCII_DIGITS).replace(",", "").replace("，", "").replace("．", "."))
    if o == 0:
        return raw, value
    v = Decimal(str(value)) * n / o
    if isinstance(value, int):
        if v != v.to_integral_value():
            return raw, value
        v = int(v)
    else:
        v = float(v)
    return raw.replace(old, new, 1), v


def remap_numbers_in(text, protect=r"(?:令和|平成|昭和|R|Ｒ|H|Ｈ)[0-9０-９]+|[0-9０-９]+(?=[年月日号条])",
                     keep_full_percent=False):
    """Every number of a running text rewritten, except era years, dates
    and article numbers (and, with keep_full_percent, percentages of 100
    or more, which a rewrite would make absurd)."""
    if keep_full_percent:
        protect += r"|(?:[1-9１-９][0-9０-９]{2,})(?:[.．][0-9０-９]+)?(?=[%％])"
    parts = re.split("(" + protect + ")", text)
    return "".join(p if i % 2 else _NUM.sub(lambda m: remap_number(m.group(0)), p)
                   for i, p in enumerate(parts))


def only_arg(prog):
    """--only normal|variant from argv (None: both)."""
    if len(sys.argv) == 3 and sys.argv[1] == "--only" and sys.argv[2] in ("normal", "variant"):
        return sys.argv[2]
    if len(sys.argv) != 1:
        raise SystemExit("usage: %s [--only normal|variant]" % prog)
    return None
