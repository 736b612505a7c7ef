#!/bin/sh
# SPDX-License-Identifier: MIT
# The same NEVRA again with another file (issue #10 part 4): re-signed (same
# header and payload digests, another signature) is repo.resigned, a warning,
# told apart from a rebuild (repo.rebuilt, an error unless repo.allow-replace).
# Placing a re-signed file is still a replacement: repo.replace gates it as
# before (error unless repo.allow-replace, lowered by findings:).
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/data/repo-lib.sh"
need_fixtures
command -v rpmbuild >/dev/null && command -v rpmsign >/dev/null || skip_all "rpmbuild/rpmsign not installed"

mkdir -p "$T/a" "$T/b"
mkspec "$T/a/h30.spec" hello 3.0 1
mkspec "$T/b/h30.spec" hello 3.0 1 "" MIT "# rebuilt from another spec: another payload"
build_srpms "$T/pa" "$T/a/h30.spec" && build_srpms "$T/pb" "$T/b/h30.spec" &&
	sign_pkgs rsa "$T"/pa/*.rpm "$T"/pb/*.rpm ||
	{ echo "Bail out! cannot build or sign the test packages"; cat "$T/rpmbuild.log" "$T/rpmsign.log"; exit 1; }
HELLO="$FX/srpms/rsa.src.rpm"
ED="$FX/srpms/ed25519.src.rpm"
EDFPR=$(fpr_of ed25519)
A="$T/pa/hello-3.0-1.src.rpm"
B="$T/pb/hello-3.0-1.src.rpm"
codes() { jq -r '[.packages[0].findings[] | select(.check == "repo") | .severity + ":" + .code] | join(" ")' "$T/out"; }
placed() { ls "$1/Packages" | wc -l | tr -d ' '; sha "$1/Packages/$(ls "$1/Packages" | head -1)"; }
hdr() { rpm -qp --qf '%{SHA256HEADER}' "$1" 2>/dev/null; }

# ---- re-signed: the same build with another key ----
R="$T/resign"
new_repo "$R" && "$RPMVET" admit --repo "$R" "$HELLO" >/dev/null || { echo "Bail out! setup"; exit 1; }
st=$(packages_state "$R")
run rpmvet admit --repo "$R" "$ED"
is_rc 1 "a re-signed file is a replacement the default policy does not allow"
out_has "warning repo.resigned: hello-1.0-1.src is already admitted with the same header and payload (header sha256 $(hdr "$HELLO")): only its signature differs (now signed by $EDFPR)" \
	"repo.resigned, a warning, naming the header digest and the new signer"
out_has "error   repo.replace: hello-1.0-1.src is already admitted with different content (sha256 $(sha "$HELLO"))" \
	"the replacement gate as before"
out_lacks "repo.rebuilt" "not a rebuild"
is "$(packages_state "$R")" "$st" "nothing changes"

write_policy "$T/allow.yaml" 'repo:
  allow-replace: true
'
R="$T/resign-allowed"
new_repo "$R" "$T/allow.yaml" && "$RPMVET" admit --repo "$R" "$HELLO" >/dev/null || { echo "Bail out! setup"; exit 1; }
run rpmvet admit --repo "$R" --format json "$ED"
is_rc 0 "with repo.allow-replace the re-signed file is admitted"
is "$(codes)" "warning:repo.resigned warning:repo.replaced" "repo.resigned and repo.replaced, both warnings"
is "$(placed "$R")" "1
$(sha "$ED")" "one file, the re-signed one"
run rpmvet show --repo "$R" --format json hello-1.0-1.src
jq_is '.package.signer' "$EDFPR" "show names the new signer"

# ---- rebuilt: the same NEVRA from another spec ----
R="$T/rebuild"
new_repo "$R" && "$RPMVET" admit --repo "$R" "$A" >/dev/null || { echo "Bail out! setup"; exit 1; }
st=$(packages_state "$R")
run rpmvet admit --repo "$R" "$B"
is_rc 1 "a rebuild of an admitted NEVRA is rejected"
out_has "error   repo.rebuilt: hello-3.0-1.src is already admitted with different content (sha256 $(sha "$A")): a rebuild, header sha256 $(hdr "$A") -> $(hdr "$B")" \
	"repo.rebuilt, naming both header digests"
out_has "the policy does not allow replacement (repo.allow-replace)" "and the knob"
out_lacks "repo.resigned" "not a re-signature"
out_lacks "repo.replace:" "repo.rebuilt takes the place of repo.replace for a rebuild"
is "$(packages_state "$R")" "$st" "nothing changes"
run rpmvet admit --repo "$R" --format json "$B"
is "$(codes)" "error:repo.rebuilt" "JSON: one repository finding, an error"

R="$T/rebuild-allowed"
new_repo "$R" "$T/allow.yaml" && "$RPMVET" admit --repo "$R" "$A" >/dev/null || { echo "Bail out! setup"; exit 1; }
run rpmvet admit --repo "$R" --format json "$B"
is_rc 0 "with repo.allow-replace the rebuild replaces the admitted one"
is "$(codes)" "warning:repo.rebuilt warning:repo.replaced" "repo.rebuilt lowered to a warning, repo.replaced"
is "$(placed "$R")" "1
$(sha "$B")" "one file, the rebuild"
run rpmvet audit verify --repo "$R"
is_rc 0 "history intact"

write_policy "$T/lower.yaml" 'findings:
  repo.rebuilt: warning
'
R="$T/rebuild-lowered"
new_repo "$R" "$T/lower.yaml" && "$RPMVET" admit --repo "$R" "$A" >/dev/null || { echo "Bail out! setup"; exit 1; }
run rpmvet admit --repo "$R" --format json "$B"
is_rc 0 "repo.rebuilt lowered by findings: replaces, as repo.replace did"
is "$(placed "$R")" "1
$(sha "$B")" "one file, the rebuild"
run rpmvet repo check --repo "$R"
is_rc 0 "consistent"

# ---- a re-signed rebuild is a rebuild; a newer re-signed one is no rollback ----
R="$T/both"
new_repo "$R" && "$RPMVET" admit --repo "$R" "$B" >/dev/null || { echo "Bail out! setup"; exit 1; }
cp "$A" "$T/a-ed.src.rpm" && sign_pkgs ed25519 "$T/a-ed.src.rpm"
run rpmvet admit --repo "$R" --format json "$T/a-ed.src.rpm"
is_rc 1 "another build signed by another key"
is "$(codes)" "error:repo.rebuilt" "is a rebuild"

done_testing
