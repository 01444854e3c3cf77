#!/usr/bin/env python3
"""Scores `keikaku normalize --annotate` on tests/data/normalize-cases.tsv.

Usage: _normalize_cases.py KEIKAKU CASES.tsv
Prints the pass rate per source (and the cases each source has excluded),
every failing case, and the total; exits 1 when fewer than 98% pass.
"""
import collections
import json
import subprocess
import sys

FLOOR = 0.98


def matches(span_value, want):
    """Whether a span's value is the expected text `want`."""
    if isinstance(span_value, bool):
        return False
    if isinstance(span_value, (int, float)):
        try:
            return float(want) == float(span_value)
        except ValueError:
            return False
    return str(span_value) == want


def verdict(spans, kind, want):
    """Whether the spans of one line satisfy the case (kind, want)."""
    same_kind = [s for s in spans if s.get("kind") == kind]
    if want == "-":
        return not same_kind
    if want.startswith("!"):
        return not any(matches(s.get("value"), want[1:]) for s in same_kind)
    return any(matches(s.get("value"), want) for s in same_kind)


def main():
    keikaku, path = sys.argv[1], sys.argv[2]
    cases, excluded = [], collections.Counter()
    with open(path, encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            line = line.rstrip("\n")
            if not line or line.startswith("#"):
                continue
            cols = line.split("\t")
            if len(cols) != 5:
                sys.exit(f"{path}:{n}: {len(cols)} columns, wanted 5")
            text, kind, want, source, note = cols
            if kind == "excluded":
                excluded[source] += 1
                continue
            cases.append((n, text, kind, want, source, note))
    run = subprocess.run([keikaku, "normalize", "--annotate"], input="".join(c[1] + "\n" for c in cases),
                         capture_output=True, text=True, check=False)
    out = run.stdout.splitlines()
    if run.returncode != 0 or len(out) != len(cases):
        sys.exit(f"keikaku normalize --annotate: exit {run.returncode}, {len(out)} lines for {len(cases)} cases: {run.stderr[:300]}")
    passed, total = collections.Counter(), collections.Counter()
    failures = []
    for (n, text, kind, want, source, note), line in zip(cases, out):
        spans = json.loads(line)["spans"]
        total[source] += 1
        if verdict(spans, kind, want):
            passed[source] += 1
        else:
            failures.append(f"  line {n} [{source}] {text!r}: wanted {kind} {want}, got {json.dumps(spans, ensure_ascii=False)}")
    print(f"  {'source':<14} {'passed':>6} {'cases':>6} {'rate':>7} {'excluded':>9}")
    for source in sorted(set(total) | set(excluded)):
        rate = f"{100.0 * passed[source] / total[source]:6.1f}%" if total[source] else "      -"
        print(f"  {source:<14} {passed[source]:>6} {total[source]:>6} {rate} {excluded[source]:>9}")
    p, t = sum(passed.values()), sum(total.values())
    print(f"  {'all':<14} {p:>6} {t:>6} {100.0 * p / t:6.1f}% {sum(excluded.values()):>9}")
    for f in failures:
        print(f)
    return 0 if t and p / t >= FLOOR else 1


if __name__ == "__main__":
    sys.exit(main())
