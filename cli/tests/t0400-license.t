#!/bin/sh
# SPDX-License-Identifier: MIT
# rpmvet license check: the table of expressions, stdin, JSON, policy errors,
# and the license stage of verify.
. "$(dirname "$0")/lib.sh"

D="$(dirname "$0")/data"
POL="$D/license-policy.yaml"

grep -v '^#' "$D/license-cases.tsv" | while IFS='	' read -r expr pkg spdx verdict codes text; do
	[ -n "$expr" ] || continue
	code=1; [ "$verdict" = pass ] && code=0
	if [ "$pkg" = - ]; then
		run rpmvet license check --policy "$POL" --format json "$expr"
	else
		run rpmvet license check --policy "$POL" --format json --package "$pkg" "$expr"
	fi
	is_rc "$code" "'$expr' ($pkg)"
	jq_is '.results[0] | "\(.spdx) \(.verdict)"' "$spdx $verdict" "'$expr' ($pkg): spdx $spdx, $verdict"
	for c in $(printf '%s' "$codes" | tr ',' ' '); do
		[ "$c" = - ] && continue
		jq_is "[.results[0].findings[].code] | index(\"$c\") != null" true "'$expr' ($pkg): $c"
	done
	if [ "$text" != - ]; then
		jq -r '.results[0].findings[].message' "$T/out" | grep -qF -- "$text"
		ok $? "'$expr' ($pkg): says \"$text\""
	fi
	if [ "$spdx" = true ]; then
		jq_is '[.results[0].findings[].code] | map(select(. == "license.legacy" or . == "license.syntax")) | length' 0 \
			"'$expr': a valid expression is never called legacy or mixed"
	fi
	echo "$_n $_failed" > "$T/count"
done
read -r _n _failed < "$T/count"

# stdin: one expression per line, blank lines skipped, order kept
printf 'MIT\n\nSSPL-1.0\r\nMIT and BSD-3-Clause\n' > "$T/in"
run sh -c "'$RPMVET' license check --policy '$POL' --format json - < '$T/in'"
is_rc 1 "stdin with a rejected expression"
jq_is '[.results[].expression] | join("|")' "MIT|SSPL-1.0|MIT and BSD-3-Clause" "three expressions in order, CR stripped"
jq_is '.summary | "\(.total) \(.passed) \(.rejected)"' "3 1 2" "summary"
jq_is '.results[2].canonical' "MIT AND BSD-3-Clause" "canonical form"
jq_is 'keys_unsorted | join(",")' "format_version,results,summary" "JSON top level"
jq_is '.results[0] | keys_unsorted | join(",")' "expression,spdx,canonical,verdict,findings" "JSON result keys"

run rpmvet license check --policy "$POL" MIT "GPLv2+ and MIT"
is_rc 1 "text output"
out_has "PASS    MIT" "pass line"
out_has "REJECT  GPLv2+ and MIT" "reject line"
out_has "        error   license.legacy:" "finding indented"
out_has "2 expression(s): 1 passed, 1 rejected" "summary line"

# the built-in default is policies/default.yaml, the policy repo init writes
run rpmvet license check MIT
is_rc 0 "the built-in default accepts MIT, as policies/default.yaml does"
out_has "PASS    MIT" "and says so"
run rpmvet license check SSPL-1.0
is_rc 1 "the built-in default rejects a not-allowed license"
out_has "license.not-acceptable: SSPL-1.0 is not-allowed" "naming its category"
run rpmvet license check --policy "$(dirname "$0")/../../policies/default.yaml" --format json MIT SSPL-1.0 ISC
cp "$T/out" "$T/explicit.json"
run rpmvet license check --format json MIT SSPL-1.0 ISC
is "$(cat "$T/out")" "$(cat "$T/explicit.json")" "without --policy exactly as with --policy policies/default.yaml"

run rpmvet license check
is_rc 2 "no subcommand"
run rpmvet license check --policy "$POL"
is_rc 2 "no expressions"
err_has "no expressions given" "says so"
run rpmvet license frob MIT
is_rc 2 "unknown subcommand"

# policy files: a clear FILE:LINE and exit 2; never half-applied
bad() { # NAME CONTENT EXPECTED-TEXT
	printf '%s\n' "$2" > "$T/$1.yaml"
	run rpmvet license check --policy "$T/$1.yaml" MIT
	is_rc 2 "policy $1 refused"
	err_has "$3" "policy $1: $3"
}
bad yaml 'licenses: [unclosed' "$T/yaml.yaml:2:"
bad topkey 'version: 1
colsure: {}' "$T/topkey.yaml:2: unknown key 'colsure' in the policy (expected one of: version, licenses, repo, closure, headers, provenance, upstream, export, findings, waivers)"
bad lickey 'licenses:
  acept: [allowed]' "$T/lickey.yaml:2: unknown key 'acept' in licenses"
bad type 'licenses:
  accept: {allowed: yes}' "$T/type.yaml:2: licenses.accept must be a list of strings"
bad category 'licenses:
  accept: [allowed, alowed-content]' "unknown category 'alowed-content' in licenses.accept"
bad catmap 'licenses:
  categories:
    MIT: permitted' "$T/catmap.yaml:3: unknown category 'permitted'"
bad date 'licenses:
  exceptions:
    - package: x
      license: MIT
      reason: r
      expires: next year' "$T/date.yaml:6: exception expires must be a date like 2027-01-31, not 'next year'"
bad reason 'licenses:
  exceptions:
    - package: x
      license: MIT' "$T/reason.yaml:3: an exception needs package, license and reason"
bad version 'version: 2' "unsupported policy version '2'"
bad sev 'licenses:
  id-case: loud' "licenses.id-case must be info, warning or error, not 'loud'"
bad data 'licenses:
  data: nowhere.json' "$T/data.yaml:2: licenses.data: cannot read '$T/nowhere.json'"
printf '{"x": {"license": {"expression": "MIT", "status": ["allowed", "fancy"]}}}' > "$T/fancy.json"
bad datacat "licenses:
  data: fancy.json" "unknown status 'fancy'"
printf '{"x": ' > "$T/broken.json"
bad datajson "licenses:
  data: broken.json" "broken.json:1:"
bad sev3 'licenses:
  spdx3-additions: fatal' "$T/sev3.yaml:2: licenses.spdx3-additions must be info, warning or error, not 'fatal'"

# WITH AdditionRef- (SPDX 3.0): its severity is the policy's, never valid SPDX 2.3
for sev in info warning error; do
	printf 'licenses:\n  categories: {BSD-3-Clause: allowed}\n  spdx3-additions: %s\n' "$sev" > "$T/add-$sev.yaml"
	run rpmvet license check --policy "$T/add-$sev.yaml" --format json "BSD-3-Clause WITH AdditionRef-Fedora-x"
	code=0; verdict=pass; [ "$sev" = error ] && { code=1; verdict=reject; }
	is_rc "$code" "spdx3-additions: $sev"
	jq_is '.results[0] | "\(.spdx) \(.verdict) \(.findings[] | select(.code == "license.spdx3-addition") | .severity)"' \
		"false $verdict $sev" "spdx3-additions: $sev: not SPDX 2.3, $verdict, a finding of severity $sev"
done
run rpmvet license check --format json "BSD-3-Clause WITH AdditionRef-Fedora-x"
jq_is '[.results[0].findings[] | select(.code == "license.spdx3-addition") | .severity] | join(" ")' warning \
	"the built-in default makes an SPDX 3.0 addition a warning"

run rpmvet license check --policy "$T/missing.yaml" MIT
is_rc 3 "a missing policy file"
err_has "cannot open the policy '$T/missing.yaml'" "names it"
: > "$T/empty.yaml"
run rpmvet license check --policy "$T/empty.yaml" MIT
is_rc 1 "an empty policy is the default policy"

# shipped policies load and judge
for p in default fedora; do
	run rpmvet license check --policy "$TOP/policies/$p.yaml" MIT "SSPL-1.0"
	is_rc 1 "policies/$p.yaml loads"
	out_has "PASS    MIT" "policies/$p.yaml accepts MIT"
	out_has "SSPL-1.0 is not-allowed" "policies/$p.yaml rejects SSPL-1.0"
done

# Fedora's own data format, and the 2022 legacy table, when present
FL="$SHARED/fedora-license"
if [ -f "$FL/befeleme_pyp2spec/fedora_license_data.json" ]; then
	cat > "$T/fedora-data.yaml" <<EOP
version: 1
licenses:
  data: $FL/befeleme_pyp2spec/fedora_license_data.json
  legacy-map: $FL/rpminspect_rpminspect-data-fedora/fedora-licenses-2022-legacy.json
EOP
	run rpmvet license check --policy "$T/fedora-data.yaml" --format json \
		"GPL-3.0-or-later WITH Classpath-exception-2.0" "CC0-1.0" "EUPL-1.0" "GPLv3+ with exceptions" "GPLv2+ and MIT" "LicenseRef-LPPL"
	jq_is '[.results[].verdict] | join(" ")' "pass reject reject reject reject reject" "verdicts from fedora-licenses.json"
	jq_is '.results[1].findings[0].message' "CC0-1.0 is allowed-content: not acceptable for code" "CC0-1.0 category from the data"
	jq_is '.results[2].findings[0].message' "EUPL-1.0 is not-allowed" "EUPL-1.0 category from the data"
	jq_is '.results[3].findings[0].message' "'GPLv3+ with exceptions' is a legacy Fedora (Callaway) expression, not SPDX: write 'GPL-3.0-or-later WITH Classpath-exception-2.0'" "a legacy abbreviation from fedora-licenses.json"
	jq_is '.results[4].findings[0].message' "'GPLv2+ and MIT' is a legacy Fedora (Callaway) expression, not SPDX: write 'GPL-2.0-or-later AND MIT'" "the SPDX form from the 2022 table"
	run rpmvet license check --policy "$T/fedora-data.yaml" --package foo-fonts LicenseRef-LPPL
	is_rc 1 "allowed-fonts is not accepted by a package without accept-for"
fi

# the license stage in verify
if [ -f "$FX/.complete" ]; then
	make_store "$T/store" rsa
	run rpmvet verify --keys "$T/store" --policy "$TOP/policies/fedora.yaml" --format json \
		"$FX/srpms/license-allowed.src.rpm" "$FX/srpms/license-notallowed.src.rpm" \
		"$FX/srpms/license-legacy.src.rpm" "$FX/srpms/license-content.src.rpm" "$FX/srpms/rsa.src.rpm"
	is_rc 1 "verify --policy policies/fedora.yaml rejects some"
	jq_is '[.packages[].verdict] | join(" ")' "pass reject reject reject pass" "verdicts with the license stage"
	jq_is '[.packages[0].findings[] | select(.check == "license") | .message] | join("|")' \
		"acceptable: MIT (allowed), Apache-2.0 (allowed)" "the allowed expression says why it passes"
	jq_is '[.packages[1].findings[] | select(.severity == "error") | .message] | join("|")' \
		"SSPL-1.0 is not-allowed" "the not-allowed license is named with its category"
	jq_is '[.packages[2].findings[] | select(.severity == "error") | .code] | join("|")' \
		"license.legacy" "a legacy License tag"
	jq_is '[.packages[3].findings[] | select(.severity == "error") | .message] | join("|")' \
		"CC-BY-SA-4.0 is allowed-content: not acceptable for code" "content license on a code package"
	run rpmvet verify --keys "$T/store" --policy "$T/topkey.yaml" "$FX/srpms/rsa.src.rpm"
	is_rc 2 "verify with a malformed policy is a configuration error"
	out_empty "and verifies nothing"
fi

done_testing
