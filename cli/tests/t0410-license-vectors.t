#!/bin/sh
# SPDX-License-Identifier: MIT
# SPDX expression vectors from spdx-expression-parse (../shared/data/spdx):
# valid inputs parse to the same structure, invalid ones are not SPDX.
. "$(dirname "$0")/lib.sh"
V="$SHARED/spdx/npm_spdx-packages/spdx-expression-parse.test-vectors.json"
[ -f "$V" ] || skip_all "../shared/data/spdx is not present"

# the AST of the vectors rendered the way rpmvet writes canonical expressions
render='def r(p): if has("license") then .license + (if .plus then "+" else "" end)
	+ (if .exception then " WITH " + .exception else "" end)
	else (.conjunction | ascii_upcase) as $c
	| ([.left, .right] | map(r($c)) | join(" " + $c + " ")) as $s
	| if p == "AND" and $c == "OR" then "(" + $s + ")" else $s end end; .ast | r("")'

n=$(jq '.valid | length' "$V")
i=0
while [ "$i" -lt "$n" ]; do
	input=$(jq -r ".valid[$i].input" "$V")
	want=$(jq -r ".valid[$i] | $render" "$V")
	run rpmvet license check --format json "$input"
	jq_is '.results[0].canonical' "$want" "valid vector '$input' parses to $want"
	if printf '%s' "$input" | grep -qE ' ([aA][nN][dD]|[oO][rR]|[wW][iI][tT][hH]) ' &&
	   printf '%s' "$input" | grep -E -o ' ([aA][nN][dD]|[oO][rR]|[wW][iI][tT][hH]) ' | grep -qvE ' (AND|OR|WITH) '; then
		jq_is '[.results[0].spdx, (.results[0].findings | map(.code) | index("license.operator-case") != null)] | @tsv' \
			"false	true" "'$input': operators not in upper case are reported, not accepted"
	else
		jq_is '.results[0].spdx' true "'$input' is valid SPDX"
	fi
	i=$((i + 1))
done

n=$(jq '.invalid | length' "$V")
i=0
while [ "$i" -lt "$n" ]; do
	input=$(jq -r ".invalid[$i].input" "$V")
	why=$(jq -r ".invalid[$i].why" "$V")
	run rpmvet license check --format json "$input"
	is_rc 1 "invalid vector ($why) is rejected"
	jq_is '.results[0].spdx' false "invalid vector ($why) is not SPDX"
	i=$((i + 1))
done

done_testing
