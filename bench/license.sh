#!/bin/bash
# SPDX-License-Identifier: MIT
# Benchmark: evaluate 30,000 license expressions through `rpmvet license check -`
# under policies/fedora.yaml; target: under 1 second.  The expressions are real
# Fedora License tags (../shared/data, SPDX and legacy mixed) when present,
# repeated to 30,000, else a generated mix.  Run from the project root:
#   bash bench/license.sh        (or: make bench-license)
set -eu
cd "$(dirname "$0")/.."
RPMVET=${RPMVET:-./rpmvet}
N=${BENCH_N:-30000}
OUT=${BENCH_OUT:-bench/out}
mkdir -p "$OUT"
in=$OUT/license-expressions.txt
real=../shared/data/fedora-license/fedora-copr_license-validate/license-rustyonly.txt
[ -x "$RPMVET" ] || { echo "bench/license.sh: build rpmvet first (make)" >&2; exit 2; }

if [ -f "$real" ]; then
	src="real Fedora License tags ($(grep -c . "$real") distinct lines from $real)"
	grep . "$real" > "$OUT/license-seed.txt"
else
	src="generated expressions"
	ids="MIT Apache-2.0 BSD-3-Clause GPL-2.0-or-later LGPL-2.1-or-later MPL-2.0 ISC Zlib CC0-1.0 Unlicense"
	: > "$OUT/license-seed.txt"
	for a in $ids; do for b in $ids; do
		printf '%s AND %s\n(%s OR %s) AND MIT\n%s and %s\n' "$a" "$b" "$a" "$b" "$a" "$b" >> "$OUT/license-seed.txt"
	done; done
fi
awk -v n="$N" '{ l[NR] = $0 } END { for (i = 0; i < n; i++) print l[i % NR + 1] }' "$OUT/license-seed.txt" > "$in"

best=
for r in 1 2 3; do
	s=$(date +%s.%N)
	rc=0
	"$RPMVET" license check --policy policies/fedora.yaml - < "$in" > "$OUT/license-out.txt" || rc=$?
	e=$(date +%s.%N)
	[ "$rc" -le 1 ] || { echo "bench/license.sh: rpmvet failed (exit $rc)" >&2; exit 1; }
	t=$(awk -v s="$s" -v e="$e" 'BEGIN { printf "%.3f", e - s }')
	echo "run $r: $t s"
	if [ -z "$best" ] || awk -v a="$t" -v b="$best" 'BEGIN { exit !(a < b) }'; then best=$t; fi
done
summary=$(tail -n 1 "$OUT/license-out.txt")
awk -v t="$best" -v n="$N" -v src="$src" -v sum="$summary" 'BEGIN {
	printf "rpmvet license check: %d expressions (%s)\n", n, src
	printf "result: %s\n", sum
	printf "best of 3: %.3f s, %.0f expressions/s; target < 1 s: %s\n", t, n / t, (t < 1 ? "met" : "NOT met") }'
