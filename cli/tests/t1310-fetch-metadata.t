#!/bin/sh
# SPDX-License-Identifier: MIT
# Metadata trust over HTTP: repomd.xml.asc (bad, missing under required),
# freshness (stale after fresher), mirrors tried in turn (stale, corrupt,
# good), and admit --from by name leaving nothing partial on a failure.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/data/repo-lib.sh"
. "$(dirname "$0")/data/fetch-lib.sh"
fetch_setup rpmbuild

mkdir -p "$T/specs"
mkspec "$T/specs/h1.spec" hello 1.0 1
mkspec "$T/specs/h2.spec" hello 2.0 1
build_srpms "$T/pkgs" "$T"/specs/*.spec && sign_pkgs rsa "$T"/pkgs/*.rpm ||
	{ echo "Bail out! cannot build or sign"; cat "$T/rpmbuild.log" "$T/rpmsign.log"; exit 1; }
sign_md() { GNUPGHOME=$T/g gpg -q --batch -u '<rsa@fixture.test>' --armor --detach-sign -o "$1/repodata/repomd.xml.asc" "$1/repodata/repomd.xml"; gpgconf --homedir "$T/g" --kill all >/dev/null 2>&1; }
up() { # DIR REVISION SRPM...
	_d=$1 _r=$2; shift 2
	mkdir -p "$_d/Packages" && cp "$@" "$_d/Packages/" &&
		createrepo_c -q --revision "$_r" --set-timestamp-to-revision "$_d" >/dev/null
}
up "$T/old" 1700000000 "$T/pkgs/hello-1.0-1.src.rpm"
up "$T/new" 1800000000 "$T/pkgs/hello-1.0-1.src.rpm" "$T/pkgs/hello-2.0-1.src.rpm"
sign_md "$T/new"
cp -r "$T/new" "$T/badsig"; echo '<!-- edited -->' >> "$T/badsig/repodata/repomd.xml"
cp -r "$T/new" "$T/corrupt"; P=$(primary_of "$T/corrupt"); printf 'x' >> "$P"
cp -r "$T/new" "$T/unsigned"; rm "$T/unsigned/repodata/repomd.xml.asc"
mkdir -p "$T/srv"
for d in old new badsig corrupt unsigned; do mv "$T/$d" "$T/srv/$d"; done
serve s "$T/srv"
B="http://127.0.0.1:$s_port"
make_store "$T/keys" rsa
O="$T/o"; mkdir -p "$O"

# a signed repomd.xml verified with the trust store
run rpmvet fetch --from "$B/new/" --keys "$T/keys" --require-signature -o "$O" hello
is_rc 0 "a good repomd.xml.asc"
out_has "hello-2.0-1.src" "fetched from the signed mirror"

# a bad repomd.xml.asc
run rpmvet fetch --from "$B/badsig/" --keys "$T/keys" -o "$O" hello-1.0
is_rc 3 "a bad signature of repomd.xml: no usable metadata"
err_has "mirror '$B/badsig/' skipped: '$B/badsig/repodata/repomd.xml.asc' is not a good signature of repomd.xml by a trusted key (bad signature)" "the mirror and the problem named"
[ ! -e "$O/hello-1.0-1.src.rpm" ]; ok $? "nothing fetched"

# missing under required
run rpmvet fetch --from "$B/unsigned/" --keys "$T/keys" --require-signature -o "$O" hello-1.0
is_rc 3 "no repomd.xml.asc while one is required"
err_has "'$B/unsigned/repodata/repomd.xml.asc' is missing and the policy requires a signed repomd.xml" "said so"

# primary that does not match repomd.xml's checksum (a cache of its own: the
# cache holds primary by its checksum, so the good copy would be used)
XDG_CACHE_HOME=$T/cache-c run rpmvet fetch --from "$B/corrupt/" --keys "$T/keys" -o "$O" hello-1.0
is_rc 3 "a primary that does not match repomd.xml"
err_has "does not match its sha256 checksum in the metadata" "the checksum of primary"
is "$(ls -A "$T/cache-c/rpmvet/fetch-metadata")" "" "the bad primary is not in the cache"

# stale metadata after fresher metadata was seen
run rpmvet fetch --from "$B/old/" -o "$O" hello-1.0
is_rc 0 "first sight of the old mirror: nothing to compare with"
run rpmvet fetch --from "$B/new/" --from "$B/old/" --keys "$T/keys" -o "$O" hello-1.0
is_rc 0 "the new mirror, with the old one as its mirror"
run rpmvet fetch --from "$B/old/" -o "$O" hello-1.0
is_rc 3 "the old mirror once fresher metadata was seen from the same upstream"
err_has "upstream.stale-metadata: '$B/old/repodata/repomd.xml' has revision 1700000000 (2023-11-14T22:13:20Z), older than revision 1800000000 (2027-01-15T08:00:00Z) seen before" "both instants named"

# three mirrors: stale, corrupt, good: the batch completes from the good one
rm -f "$O"/* && rm -rf "$XDG_CACHE_HOME/rpmvet/fetch-metadata"
run rpmvet fetch --from "$B/old/" --from "$B/corrupt/" --from "$B/new/" --keys "$T/keys" -o "$O" hello hello-1.0
is_rc 0 "the batch completes from the good mirror"
err_has "mirror '$B/old/' skipped: upstream.stale-metadata" "the stale mirror named"
err_has "mirror '$B/corrupt/' skipped: " "the corrupt mirror named"
out_has "hello-2.0-1.src  $O/hello-2.0-1.src.rpm  from $B/new/Packages/hello-2.0-1.src.rpm" "from the good mirror"
out_has "hello-1.0-1.src  $O/hello-1.0-1.src.rpm  from $B/new/Packages/hello-1.0-1.src.rpm" "both from the good mirror"
nothing_partial "$XDG_CACHE_HOME"; ok $? "nothing partial in the cache"

# admit --from: by name from a loopback mirror, under the repository's policy and keys
R="$T/repo"
write_policy "$T/policy.yaml" 'upstream:
  repomd-signature: required
'
new_repo "$R" "$T/policy.yaml" || { echo "Bail out! cannot make the repository"; exit 1; }
before=$(state "$R")
run rpmvet admit --repo "$R" --from "$B/unsigned/" hello
is_rc 3 "admit --from an unsigned mirror under repomd-signature: required"
err_has "(upstream.repomd-signature: required)" "the policy named"
is "$(state "$R")" "$before" "the repository and database are exactly as they were"
run rpmvet admit --repo "$R" --from "$B/corrupt/" --from "$B/new/" hello nope
is_rc 2 "one name matches nothing: the batch goes on"
err_has "cannot fetch 'nope': no source package matches 'nope'" "the bad name named"
out_has "hello-2.0-1.src" "hello admitted by name"
[ -f "$R/Packages/hello-2.0-1.src.rpm" ]; ok $? "placed in Packages/"
run rpmvet admit --repo "$R" --from "$B/new/" hello-1.0
is_rc 1 "an older version by name is a downgrade: rejected by policy"
done_testing
