#!/bin/sh
# SPDX-License-Identifier: MIT
# A key given twice in a policy, at any level, is a configuration error naming
# both lines, never a silent override: each case below is a reviewed rule
# (first) cancelled by a later repetition, so that SSPL-1.0 (the License of
# license-notallowed.src.rpm) would pass.  license check, verify, init and
# admit all refuse it with exit 2 and leave nothing behind.
. "$(dirname "$0")/lib.sh"

NOTALLOWED="$FX/srpms/license-notallowed.src.rpm"
[ -f "$FX/.complete" ] && make_store "$T/store" rsa

# name	line	key	first line	policy (printf %b)
cases='top	4	licenses	1	licenses:\n  categories: {SSPL-1.0: not-allowed}\nversion: 1\nlicenses:\n  allow: [SSPL-1.0]
licenses	5	deny	3	version: 1\nlicenses:\n  deny: [SSPL-1.0]\n  allow: [SSPL-1.0]\n  deny: []
categories	5	SSPL-1.0	3	licenses:\n  categories:\n    SSPL-1.0: not-allowed\n    MIT: allowed\n    SSPL-1.0: allowed
categories-case	4	sspl-1.0	3	licenses:\n  categories:\n    SSPL-1.0: not-allowed\n    sspl-1.0: allowed
flow	2	SSPL-1.0	1	licenses: {categories: {SSPL-1.0: not-allowed,\n  SSPL-1.0: allowed}}
accept	4	accept	2	licenses:\n  accept: [allowed]\n  categories: {SSPL-1.0: not-allowed}\n  accept: [allowed, not-allowed]
accept-for	6	packages	4	licenses:\n  categories: {SSPL-1.0: not-allowed}\n  accept-for:\n    - packages: [foo-doc]\n      categories: [not-allowed]\n      packages: ["*"]
exceptions	7	package	4	licenses:\n  categories: {SSPL-1.0: not-allowed}\n  exceptions:\n    - package: foo\n      license: SSPL-1.0\n      reason: FESCo ticket 1\n      package: "*"
expires	8	expires	7	licenses:\n  categories: {SSPL-1.0: not-allowed}\n  exceptions:\n    - package: "*"\n      license: SSPL-1.0\n      reason: FESCo ticket 1\n      expires: 2020-01-01\n      expires: 2099-12-31
legacy	5	GPLv2+	4	licenses:\n  categories: {SSPL-1.0: not-allowed}\n  legacy:\n    GPLv2+: GPL-2.0-or-later\n    GPLv2+: SSPL-1.0
closure	4	enforce	2	closure:\n  enforce: error\n  upstream: [up]\n  enforce: off\nlicenses:\n  categories: {SSPL-1.0: not-allowed}
repo	3	allow-replace	2	repo:\n  allow-replace: false\n  allow-replace: true\nlicenses:\n  categories: {SSPL-1.0: not-allowed}'

printf '%s\n' "$cases" > "$T/cases"
while IFS='	' read -r name line key first yaml; do
	P="$T/$name.yaml"
	printf '%b\n' "$yaml" > "$P"
	want="$P:$line: key '$key' given twice (first at line $first"

	run rpmvet license check --policy "$P" --package foo SSPL-1.0
	is_rc 2 "$name: license check refuses the policy"
	err_has "$want" "$name: license check names both lines"
	out_empty "$name: license check judges nothing"

	run rpmvet init "$T/repo-$name" --policy "$P"
	is_rc 2 "$name: init refuses the policy"
	err_has "$want" "$name: init names both lines"
	[ ! -e "$T/repo-$name" ]; ok $? "$name: init creates nothing"

	if [ -f "$FX/.complete" ]; then
		run rpmvet verify --keys "$T/store" --policy "$P" --format json "$NOTALLOWED"
		is_rc 2 "$name: verify refuses the policy"
		err_has "$want" "$name: verify names both lines"
		out_empty "$name: verify reports nothing"
	fi
	echo "$_n $_failed" > "$T/count"
done < "$T/cases"
read -r _n _failed < "$T/count"

# the same policy without its repetition is accepted and judges as it reads
printf 'version: 1\nlicenses:\n  deny: [SSPL-1.0]\n  allow: [SSPL-1.0]\n' > "$T/once.yaml"
run rpmvet license check --policy "$T/once.yaml" SSPL-1.0
is_rc 1 "deny given once: SSPL-1.0 rejected"
out_has "SSPL-1.0 is denied by the policy" "by the deny list"

# the repository's own policy.yaml, edited after init: admit refuses to run
if [ -f "$FX/.complete" ]; then
	printf 'version: 1\nlicenses:\n  categories: {SSPL-1.0: not-allowed}\n' > "$T/good.yaml"
	run rpmvet init "$T/repo" --policy "$T/good.yaml"
	is_rc 0 "init with the policy given once"
	run rpmvet key add --repo "$T/repo" "$FX/keys/rsa.asc"
	is_rc 0 "key add --repo"
	printf '  categories: {SSPL-1.0: allowed}\n' >> "$T/repo/policy.yaml"
	events=$(sqlite3 "$T/repo/rpmvet.db" 'SELECT count(*) FROM events')
	run rpmvet admit --repo "$T/repo" "$NOTALLOWED"
	is_rc 2 "admit under a policy.yaml with a repeated key"
	err_has "$T/repo/policy.yaml:4: key 'categories' given twice (first at line 3)" "names the repository's policy and both lines"
	is "$(ls -A "$T/repo/Packages")" "" "nothing is admitted"
	is "$(sqlite3 "$T/repo/rpmvet.db" 'SELECT count(*) FROM events')" "$events" "no event is recorded"
fi

# license data (JSON): a repeated key is refused by the JSON parser with its line
printf '{"a": {"license": {"expression": "SSPL-1.0", "status": ["not-allowed"]}},\n "a": {"license": {"expression": "SSPL-1.0", "status": ["allowed"]}}}\n' > "$T/dup.json"
printf 'licenses:\n  data: dup.json\n' > "$T/data.yaml"
run rpmvet license check --policy "$T/data.yaml" SSPL-1.0
is_rc 2 "a data file with a repeated key"
err_has "$T/data.yaml:2: licenses.data: $T/dup.json:2: duplicate object key" "names the data file and its line"
printf '{"a": {"license": {"expression": "SSPL-1.0", "status": ["not-allowed"], "status": ["allowed"]}}}\n' > "$T/dup2.json"
printf 'licenses:\n  legacy-map: dup2.json\n' > "$T/data2.yaml"
run rpmvet license check --policy "$T/data2.yaml" SSPL-1.0
is_rc 2 "a repeated key inside an entry of a data file"
err_has "dup2.json:1: duplicate object key" "names the data file"

done_testing
