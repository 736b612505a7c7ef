#!/bin/sh
# SPDX-License-Identifier: MIT
# bench/fetch.sh: fetch and verify N source packages (default 200) from a
# loopback server with rpmvet, against curl downloading the same files, and
# print the ratio.  Uses bench/out/verify/srpms when bench/verify.sh left
# them there, else generates a smaller set of tiny SRPMs.
set -eu
N=${N:-200}
RPMVET=${RPMVET:-$(dirname "$0")/../rpmvet}
T=$(mktemp -d); trap 'kill $srv 2>/dev/null; rm -rf "$T"' EXIT
mkdir -p "$T/up/Packages"
SRC=$(dirname "$0")/out/verify/srpms
if [ -d "$SRC" ] && ls "$SRC"/*.src.rpm >/dev/null 2>&1; then
	ls "$SRC"/*.src.rpm | head -n "$N" | xargs -I{} cp {} "$T/up/Packages/"
else
	i=0
	while [ $i -lt "$N" ]; do
		printf 'Name: b%03d\nVersion: 1\nRelease: 1\nSummary: b\nLicense: MIT\n%%description\nb\n%%files\n' $i > "$T/b$i.spec"
		i=$((i + 1))
	done
	rpmbuild --quiet -bs --define "_topdir $T/rb" --define "_srcrpmdir $T/up/Packages" "$T"/b*.spec >/dev/null 2>&1
fi
createrepo_c -q "$T/up"
python3 "$(dirname "$0")/../cli/tests/data/fetch-server.py" "$T/up" > "$T/port" 2>/dev/null & srv=$!
while [ ! -s "$T/port" ]; do sleep 0.05; done
U="http://127.0.0.1:$(cat "$T/port")"
names=$(cd "$T/up/Packages" && ls | sed 's/\.src\.rpm$//')
mkdir -p "$T/a" "$T/b"
t0=$(date +%s.%N)
(cd "$T/b" && for f in "$T"/up/Packages/*; do echo "url = $U/Packages/$(basename "$f")"; echo "output = $(basename "$f")"; done | curl -s -K - )
t1=$(date +%s.%N)
XDG_CACHE_HOME=$T/cache "$RPMVET" -q fetch --from "$U/" -o "$T/a" $names >/dev/null
t2=$(date +%s.%N)
echo "$N packages: curl $(echo "$t1 - $t0" | bc) s, rpmvet fetch $(echo "$t2 - $t1" | bc) s, ratio $(echo "scale=2; ($t2 - $t1) / ($t1 - $t0)" | bc)x"
