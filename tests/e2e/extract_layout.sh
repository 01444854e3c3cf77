# keikaku extract reading order on a PDF made at run time: a title over two
# columns of running text whose baselines line up, and a page number.
. "$(dirname "$0")/_lib.sh"
/usr/bin/python3 "$KK_ROOT/tests/e2e/_extract_mkpdf.py" columns "$E2E_TMP/columns.pdf"
expect_status 0 "extract two-column page" "$KEIKAKU" extract "$E2E_TMP/columns.pdf"
/usr/bin/python3 -c '
import json, sys
page = [json.loads(l) for l in open(sys.argv[1])][1]
print(" ".join(x["text"].split()[0] for x in page["lines"]), len(page["tables"]))
' "$E2E_TMP/out" > "$E2E_TMP/order"
want="Two $(for i in $(seq 1 12); do printf 'L%d ' $i; done)$(for i in $(seq 1 12); do printf 'R%d ' $i; done)- 0"
[ "$(cat "$E2E_TMP/order")" = "$want" ] && ok "title, left column, right column, footer; no table" || bad "order: $(cat "$E2E_TMP/order")"
finish
