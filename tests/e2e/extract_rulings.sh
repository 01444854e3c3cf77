# Rulings come from the page's vector paths: each 2x2 grid of
# _extract_mkpdf.py's RULING_GRIDS must come out as a ruled 2x2 table with
# its four texts in their cells when it is drawn as rulings (stroked,
# hairline, thin filled rectangles, grey, dashed, scaled by the CTM, inside
# a form XObject, heavy borders), and must not when it is not (white,
# faint, thick bands, clipped away, slanted, curved).
. "$(dirname "$0")/_lib.sh"
pdf="$E2E_TMP/rulings.pdf"
/usr/bin/python3 "$KK_ROOT/tests/e2e/_extract_mkpdf.py" rulings "$pdf" || { bad "cannot make $pdf"; finish; }
expect_status 0 "extract the rulings test page" "$KEIKAKU" extract "$pdf"
cp "$E2E_TMP/out" "$E2E_TMP/rulings.jsonl"
/usr/bin/python3 - "$KK_ROOT/tests/e2e/_extract_mkpdf.py" "$E2E_TMP/rulings.jsonl" > "$E2E_TMP/verdicts" <<'PY' || bad "the table checker failed"
import importlib.util, json, sys
spec = importlib.util.spec_from_file_location("mkpdf", sys.argv[1])
mk = importlib.util.module_from_spec(spec)
spec.loader.exec_module(mk)
tables = [t for l in open(sys.argv[2]) for o in [json.loads(l)] if o["type"] == "page" for t in o["tables"]]
for name, ruled, _ in mk.RULING_GRIDS:
    want = [["%s-1" % name, "%s-2" % name], ["%s-3" % name, "%s-4" % name]]
    found = [t for t in tables if t["ruled"] and any(c["text"].startswith(name + "-") for r in t["rows"] for c in r)]
    if ruled:
        ok = len(found) == 1 and [[c["text"] for c in r] for r in found[0]["rows"]] == want
        print(("ok" if ok else "bad") + " %s grid: a ruled 2x2 table with its texts" % name +
              ("" if ok else ", got %s" % json.dumps(found, ensure_ascii=False)[:300]))
    else:
        print(("ok" if not found else "bad") + " %s grid: no ruled table" % name +
              ("" if not found else ", got %d" % len(found)))
PY
while read -r line; do
  case "$line" in ok\ *) ok "${line#ok }" ;; *) bad "${line#bad }" ;; esac
done < "$E2E_TMP/verdicts"
[ "$(grep -c . "$E2E_TMP/verdicts")" -ge 14 ] || bad "too few verdicts"
finish
