#!/bin/sh
# SPDX-License-Identifier: MIT
# rpmvet verify: every fixture's verdict, finding codes and exit code, from a table.
. "$(dirname "$0")/lib.sh"
need_fixtures

S="$T/store"
make_store "$S" rsa ed25519 expired revoked rsa1024 dsa subkey nosign nosignsub || { echo "Bail out! cannot make the store"; exit 1; }

grep -v '^#' "$(dirname "$0")/data/verify-fixtures.tsv" | while IFS='	' read -r file verdict code errors others; do
	[ -n "$file" ] || continue
	run rpmvet verify --keys "$S" --format json "$FX/$file"
	is_rc "$code" "$file"
	jq_is '.packages[0].verdict' "$verdict" "$file: verdict $verdict"
	want=$(printf '%s' "$errors" | tr ',' '\n' | grep -v '^-$' | sort | tr '\n' ' ')
	jq_is '[.packages[0].findings[] | select(.severity == "error") | .code] | sort | join(" ")' \
		"$(echo "$want" | sed 's/ $//')" "$file: error findings are exactly: $errors"
	for c in $(printf '%s' "$others" | tr ',' ' '); do
		[ "$c" = - ] && continue
		jq_is "[.packages[0].findings[].code] | index(\"$c\") != null" true "$file: has $c"
	done
	jq_is '.packages[0].sha256' "$(sha256sum < "$FX/$file" | cut -d' ' -f1)" "$file: sha256 of the file"
	err_empty "$file: nothing on stderr"
	# the text form carries the same verdict on one line
	run rpmvet verify --keys "$S" "$FX/$file"
	is_rc "$code" "$file: text exit code"
	head -1 "$T/out" | grep -q "^$(echo "$verdict" | tr a-z A-Z) *$FX/$file"; ok $? "$file: text verdict line"
	# a final finished marker keeps the subshell's counter visible
	echo "$_n $_failed" > "$T/count"
done
read -r _n _failed < "$T/count"
done_testing
