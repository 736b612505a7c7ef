#!/bin/sh
# SPDX-License-Identifier: MIT
# The policy decides every finding: findings: overrides a code's severity
# (verify --policy), a code that can never be lowered is refused at load with
# FILE:LINE (exit 2), an unknown code too; the built-in default policy is
# policies/default.yaml.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/data/repo-lib.sh"
need_fixtures

S="$T/store"
make_store "$S" rsa ed25519 || { echo "Bail out! cannot make the store"; exit 1; }
SHA1="$FX/srpms/sha1.src.rpm"
POL="$T/policy.yaml"

# ---- today's severity without the policy saying otherwise ----
write_policy "$POL"
run rpmvet verify --keys "$S" --policy "$POL" "$SHA1"
is_rc 1 "a SHA-1 signature rejects by default"
out_has "error   crypto.weak-hash: signature uses the SHA1 hash" "as an error"

# ---- findings: crypto.weak-hash: warning ----
write_policy "$POL" 'findings:
  crypto.weak-hash: warning
'
run rpmvet verify --keys "$S" --policy "$POL" "$SHA1"
is_rc 0 "findings: {crypto.weak-hash: warning} passes the sha1 fixture"
out_has "PASS    $SHA1  hello-1.0-1.src" "PASS line"
out_has "warning crypto.weak-hash: signature uses the SHA1 hash, which is not accepted" "with a warning"
out_has "1 package(s): 1 passed, 0 rejected" "summary"
run rpmvet verify --keys "$S" --policy "$POL" --format json "$SHA1"
is_rc 0 "json: exit 0"
jq -e . "$T/out" >/dev/null; ok $? "the JSON report is valid"
jq_is '.packages[0].verdict' pass "json verdict pass"
jq_is '[.packages[0].findings[] | select(.code == "crypto.weak-hash") | .severity] | join(",")' warning \
	"json severity warning"
run rpmvet verify --keys "$S" --policy "$POL" --format junit "$SHA1"
is_rc 0 "junit: exit 0"
xmllint --noout "$T/out" 2>/dev/null; ok $? "the JUnit report is well-formed"
is "$(xmllint --xpath 'count(//testcase/failure)' "$T/out")" 0 "no failure in JUnit"
out_has "warning crypto.weak-hash:" "the warning in system-out"

# raising a code works the same way: an info finding made an error rejects
write_policy "$POL" 'findings: {license.ok: error}
'
run rpmvet verify --keys "$S" --policy "$POL" "$FX/srpms/rsa.src.rpm"
is_rc 1 "findings: {license.ok: error} rejects"
out_has "error   license.ok: acceptable: MIT" "license.ok as an error"

# ---- never lowered: refused at load, FILE:LINE, exit 2 ----
write_policy "$POL" 'findings:
  crypto.weak-hash: warning
  signature.bad: warning
'
run rpmvet verify --keys "$S" --policy "$POL" "$FX/srpms/header-tampered.src.rpm"
is_rc 2 "a policy lowering signature.bad is refused"
err_has "rpmvet: error: $POL:11: 'signature.bad' can never be lowered below error" "FILE:LINE and the code"
err_has "never lowered or waived: signature.bad, " "the list of such codes"
out_empty "nothing verified"
for code in digest.header.bad digest.payload.bad package.truncated package.corrupt io.read header.invalid-text stage.failed; do
	write_policy "$POL" "findings: {$code: info}
"
	run rpmvet verify --keys "$S" --policy "$POL" "$SHA1"
	is_rc 2 "findings: {$code: info} is refused"
	err_has "$POL:9: '$code' can never be lowered below error" "$code: FILE:LINE"
done
# error is no lowering; the descriptive header text may be lowered
write_policy "$POL" 'findings: {signature.bad: error, header.invalid-text.descriptive: warning, signature.nokey: info}
'
run rpmvet verify --keys "$S" --policy "$POL" "$FX/srpms/header-tampered.src.rpm" "$FX/srpms/otherkey.src.rpm"
is_rc 1 "signature.bad: error is accepted, and still rejects"
out_has "REJECT  $FX/srpms/header-tampered.src.rpm" "the tampered header rejects"
out_has "PASS    $FX/srpms/otherkey.src.rpm" "signature.nokey lowered to info passes"

# ---- an unknown code, a bad severity ----
write_policy "$POL" 'findings:
  crypto.weak-hsh: warning
'
run rpmvet verify --keys "$S" --policy "$POL" "$SHA1"
is_rc 2 "an unknown code is refused"
err_has "$POL:10: unknown finding code 'crypto.weak-hsh' in findings" "FILE:LINE and the code"
write_policy "$POL" 'findings: {crypto.weak-hash: ignore}
'
run rpmvet verify --keys "$S" --policy "$POL" "$SHA1"
is_rc 2 "a bad severity is refused"
err_has "$POL:9: a finding's severity must be info, warning or error, not 'ignore'" "FILE:LINE and the value"
write_policy "$POL" 'findings: {crypto.weak-hash: warning, crypto.weak-hash: error}
'
run rpmvet verify --keys "$S" --policy "$POL" "$SHA1"
is_rc 2 "a code given twice is refused"
err_has "key 'crypto.weak-hash' given twice" "names the code"

# ---- license check takes findings: too ----
write_policy "$POL" 'findings: {license.not-acceptable: warning}
'
run rpmvet license check --policy "$POL" SSPL-1.0
is_rc 0 "license check: license.not-acceptable lowered to a warning passes"
out_has "warning license.not-acceptable: SSPL-1.0 is not-allowed" "as a warning"

# ---- one default policy: policies/default.yaml ----
run rpmvet license check MIT
is_rc 0 "license check MIT without a policy accepts MIT"
run rpmvet init "$T/repo"
is_rc 0 "init without --policy"
cmp -s "$T/repo/policy.yaml" "$TOP/policies/default.yaml"; ok $? "init writes policies/default.yaml, byte for byte"
run rpmvet license check --policy "$T/repo/policy.yaml" --format json MIT SSPL-1.0 GPLv2+ ISC
cp "$T/out" "$T/init.json"
run rpmvet license check --format json MIT SSPL-1.0 GPLv2+ ISC
is "$(cat "$T/out")" "$(cat "$T/init.json")" "license check without --policy judges as the repository init made"

# ---- dates are dates ----
write_policy "$POL" 'waivers:
  - {package: hello, finding: crypto.weak-hash, reason: r, expires: 2027-02-31}
'
run rpmvet verify --keys "$S" --policy "$POL" "$SHA1"
is_rc 2 "a waiver expiring on 2027-02-31 is refused"
err_has "$POL:10: waiver expires must be a date like 2027-01-31, not '2027-02-31'" "FILE:LINE and the date"
write_policy "$POL" '  exceptions:
    - {package: hello, license: SSPL-1.0, reason: r, expires: 2027-02-30}
'
run rpmvet license check --policy "$POL" SSPL-1.0
is_rc 2 "a licence exception expiring on 2027-02-30 is refused (it was read as March 2nd)"
err_has "$POL:10: exception expires must be a date like 2027-01-31, not '2027-02-30'" "FILE:LINE and the date"

done_testing
