# The real-PDF gold suite (corpus/real/gold, see its README): extract on the
# gold pages only, then ingest, scored by tests/real_accuracy.py.  Fails only
# on a regression: a figure below its floor in corpus/real/gold/floors.json
# (above it for the counts chart_tables and split_cells).  Prints each figure
# beside its floor and the issue's target.
. "$(dirname "$0")/_lib.sh"
py=/usr/bin/python3
gold="$KK_ROOT/corpus/real/gold"

# The scorer itself: a perfect and a broken set of table facts score 100%
# and less (so the facts check can fail once the schema has table_facts).
if $py "$KK_ROOT/tests/e2e/_real_scorer_check.py" "$gold" > "$E2E_TMP/self" 2>&1; then
  ok "scorer self-check: $(tail -n1 "$E2E_TMP/self")"
else
  bad "scorer self-check: $(tail -n3 "$E2E_TMP/self")"
fi

if ! $py "$KK_ROOT/tests/real_accuracy.py" "$KEIKAKU" --json "$E2E_TMP/fig.json" > "$E2E_TMP/score" 2> "$E2E_TMP/err"; then
  bad "real_accuracy.py failed: $(head -c 400 "$E2E_TMP/err")"
  finish
fi
sed 's/^/    /' "$E2E_TMP/score"
$py - "$E2E_TMP/fig.json" "$gold/floors.json" > "$E2E_TMP/cmp" <<'PY'
import json, sys
fig = json.load(open(sys.argv[1], encoding="utf-8"))
fl = json.load(open(sys.argv[2], encoding="utf-8"))
lower_better = {"chart_tables", "split_cells"}
for key, floor in fl["floors"].items():
    got, target = fig.get(key), fl["targets"].get(key)
    if got is None:
        print("skip %-13s %s (floor %s, target %s)" % (key, (fig.get("facts_status") or "not measured").replace("skipped: ", ""), floor, target))
    elif floor is None:
        print("ok   %-13s %s (no floor yet, target %s)" % (key, got, target))
    elif (got > floor) if key in lower_better else (got + 1e-9 < floor):
        print("FAIL %-13s %s regressed past its floor %s (target %s)" % (key, got, floor, target))
    else:
        print("ok   %-13s %s (floor %s, target %s)" % (key, got, floor, target))
PY
while read -r status rest; do
  case $status in
    ok) ok "$rest" ;;
    skip) echo "  skipped $rest" ;;
    *) bad "$rest" ;;
  esac
done < "$E2E_TMP/cmp"
[ -s "$E2E_TMP/cmp" ] || bad "no figures compared"
finish
