#!/bin/sh
# SPDX-License-Identifier: MIT
# Upstream key continuity: the upstream signers of each admitted source
# package are recorded (schema 6, under the admit record); a later version
# signed by another upstream key is provenance.upstream-key-changed, unless the
# embedded keyring shows the old key certified the new one, or a waiver covers it.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/data/repo-lib.sh"
need_fixtures
U="$FX/upsig"
[ -d "$U" ] || skip_all "upstream signature fixtures not built"
upa=$(awk '$1 == "upa" { print $2 }' "$U/fingerprints.txt")
upb=$(awk '$1 == "upb" { print $2 }' "$U/fingerprints.txt")
V1="$U/upkey-1.0-1.src.rpm" CERT="$U/upkey-2.0-1.src.rpm" UNCERT="$U/upkey-2.0-2.src.rpm"
current() { "$RPMVET" list --repo "$1" --format json | jq -r '[.packages[].nevra] | sort | join(" ")'; }
signers() { sqlite3 "$1/rpmvet.db" "SELECT p.nevra || ' ' || u.fingerprint || ' ' || coalesce(u.certifiers, '-') FROM upstream_signers u JOIN packages p ON p.id = u.package_id ORDER BY p.id"; }

# ---- the key changes, uncertified: rejected, the repository unchanged ----
R="$T/uncert"
new_repo "$R" || { echo "Bail out! setup"; exit 1; }
run rpmvet admit --repo "$R" "$V1"
is_rc 0 "1.0, signed upstream by key A, is admitted"
is "$(signers "$R")" "upkey-1.0-1.src $upa -" "its upstream signer is recorded"
is "$(sqlite3 "$R/rpmvet.db" "SELECT value FROM meta WHERE key = 'schema'")" 8 "in schema 8 (6 added the upstream signers)"
before=$(sqlite3 "$R/rpmvet.db" 'SELECT count(*) FROM packages')
run rpmvet admit --repo "$R" "$UNCERT"
is_rc 1 "2.0-2, signed by key B that A never certified, is rejected"
out_has "error   provenance.upstream-key-changed: upstream key changed: 'upkey-2.0.tar.gz' is signed by $upb, but upkey-1.0-1.src was signed by $upa, and the new key is not certified by the old one" \
	"as upstream-key-changed, naming both fingerprints"
is "$(current "$R")" "upkey-1.0-1.src" "only 1.0 is admitted"
is "$(sqlite3 "$R/rpmvet.db" 'SELECT count(*) FROM packages')" "$before" "no package row was added"
run rpmvet audit verify --repo "$R"
is_rc 0 "the event log still verifies"

# ---- the key history survives removal ----
run rpmvet remove --repo "$R" --reason "test" upkey-1.0-1.src
is_rc 0 "1.0 is removed"
run rpmvet admit --repo "$R" "$UNCERT"
is_rc 1 "after the removal, the changed key is still caught"
out_has "error   provenance.upstream-key-changed" "as upstream-key-changed"

# ---- certified by the old key: admitted ----
R="$T/cert"
new_repo "$R" && "$RPMVET" admit --repo "$R" "$V1" >/dev/null || { echo "Bail out! setup"; exit 1; }
run rpmvet admit --repo "$R" "$CERT"
is_rc 0 "2.0-1, signed by key B certified by A in the embedded keyring, is admitted"
out_lacks "upstream-key-changed" "with no upstream-key-changed"
is "$(signers "$R" | tail -1)" "upkey-2.0-1.src $upb $upa" "B is recorded, certified by A"
run rpmvet show --repo "$R" upkey-2.0-1.src
is_rc 0 "show"
out_has "upstream signer: $upb (upkey-2.0.tar.gz, signature upkey-2.0.tar.gz.asc, certified by $upa)" "show names the upstream signer"
run rpmvet show --repo "$R" --format json upkey-2.0-1.src
jq_is '.package.upstream_signers[0].fingerprint' "$upb" "show's JSON names it"
jq_is '.package.upstream_signers[0].certifiers[0]' "$upa" "and its certifier"
run rpmvet history --repo "$R" upkey
is_rc 0 "history"
out_has "upstream signer $upb" "history shows the upstream signer of each admission"
out_has "upstream signer $upa" "of both versions"

# ---- both versions in one run: the earlier one of the run counts ----
R="$T/onerun"
new_repo "$R" || { echo "Bail out! setup"; exit 1; }
run rpmvet admit --repo "$R" "$V1" "$UNCERT"
is_rc 1 "1.0 and the uncertified 2.0-2 in one run: 2.0-2 is rejected"
out_has "error   provenance.upstream-key-changed: upstream key changed: 'upkey-2.0.tar.gz' is signed by $upb, but upkey-1.0-1.src was signed by $upa" \
	"against 1.0 admitted earlier in the run"

# ---- a waiver covers it ----
R="$T/waived"
write_policy "$T/waive.yaml" 'waivers:
  - package: upkey
    finding: provenance.upstream-key-changed
    reason: "upstream rotated its key, announced on the list, TICKET-7"
'
new_repo "$R" "$T/waive.yaml" && "$RPMVET" admit --repo "$R" "$V1" >/dev/null || { echo "Bail out! setup"; exit 1; }
run rpmvet admit --repo "$R" "$UNCERT"
is_rc 0 "a waived key change is admitted"
is "$(current "$R")" "upkey-1.0-1.src upkey-2.0-2.src" "beside 1.0"

# ---- the recorded signer is under the admit record: tampering is caught ----
R="$T/cert"
sqlite3 "$R/rpmvet.db" "UPDATE upstream_signers SET fingerprint = '$upa' WHERE fingerprint = '$upb'"
run rpmvet audit verify --repo "$R"
is_rc 1 "a changed upstream signer fails audit verify"
out_has "upstream_signers" "naming the table"

done_testing
