#!/bin/sh
# SPDX-License-Identifier: MIT
# The bundled demo: a trust store of test keys, rpmvet verify over a mix of good and
# bad fixture packages (built by testdata/mkfixtures.sh), the license policy, a curated
# repository, the build dependency closure over the fixture upstream, admitting by name from
# a loopback mirror, audit queries.
# RPMVET (the binary), RPMVET_FIXTURES and RPMVET_DEMO_OUT (what it writes, removed
# first) default to this tree's rpmvet, testdata/build and testdata/build/demo.
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
fx="${RPMVET_FIXTURES:-$top/testdata/build}"
out="${RPMVET_DEMO_OUT:-$fx/demo}"
rpmvet="${RPMVET:-$top/rpmvet}"

rm -rf "$out"
mkdir -p "$out"
# the demo's own cache (key facts, parsed upstream metadata), so that running
# the demo leaves nothing in ~/.cache
XDG_CACHE_HOME="$out/cache"
export XDG_CACHE_HOME
say() { printf '\n== %s\n' "$*"; }
# shown ARGS...: print the rpmvet command line, then run it
shown() { printf '\n$ rpmvet %s\n' "$*"; "$rpmvet" "$@"; }

say "a trust store of full fingerprints: rpmvet key add --keys $out/keys ..."
"$rpmvet" key add --keys "$out/keys" "$fx/keys/rsa.asc" "$fx/keys/ed25519.asc" \
	"$fx/keys/expired.asc" "$fx/keys/revoked.asc" "$fx/keys/subkey.asc"
"$rpmvet" key list --keys "$out/keys"

say "rpmvet verify --keys $out/keys <good and bad packages>"
set +e
(cd "$fx" && "$rpmvet" verify --keys "$out/keys" \
	srpms/rsa.src.rpm srpms/ed25519.src.rpm srpms/subkey.src.rpm rpms/fxlib-1.0-1.noarch.rpm \
	srpms/unsigned.src.rpm srpms/otherkey.src.rpm srpms/expiredkey.src.rpm \
	srpms/revokedkey.src.rpm srpms/sha1.src.rpm srpms/header-tampered.src.rpm \
	srpms/payload-tampered.src.rpm srpms/truncated.src.rpm srpms/garbage.src.rpm)
rc=$?
set -e
echo "exit status: $rc (1 = at least one package rejected)"

say "with the license policy: rpmvet verify --policy policies/fedora.yaml ..."
set +e
(cd "$fx" && "$rpmvet" verify --keys "$out/keys" --policy "$top/policies/fedora.yaml" \
	srpms/license-allowed.src.rpm srpms/license-notallowed.src.rpm \
	srpms/license-legacy.src.rpm srpms/license-content.src.rpm)
set -e

say "one-off license questions: rpmvet license check --policy policies/fedora.yaml ..."
"$rpmvet" license check --policy "$top/policies/fedora.yaml" \
	"GPL-2.0-or-later WITH Classpath-exception-2.0" "MIT and BSD-3-Clause" "GPLv2+ and MIT" || true

say "a curated repository: rpmvet init, key add --repo, admit"
repo="$out/repo"
"$rpmvet" init "$repo" --policy "$top/policies/fedora.yaml"
"$rpmvet" key add --repo "$repo" "$fx/keys/rsa.asc" "$fx/keys/ed25519.asc" >/dev/null
set +e
(cd "$fx" && "$rpmvet" admit --repo "$repo" srpms/rsa.src.rpm rpms/fxlib-1.0-1.noarch.rpm \
	rpms/fxtool-2.1-3.noarch.rpm srpms/unsigned.src.rpm srpms/license-notallowed.src.rpm)
set -e
echo "Packages/: $(ls "$repo/Packages" | tr '\n' ' ')"

say "a re-signed package: the same hello build signed by another key replaces the admitted one (repo.resigned, a warning)"
(cd "$fx" && "$rpmvet" admit --repo "$repo" srpms/ed25519.src.rpm)
echo "Packages/: $(ls "$repo/Packages" | tr '\n' ' ')"

say "build dependencies: rpmvet closure --upstream <an rpm-md mirror> --repo <the curated repository>"
set +e
(cd "$fx" && "$rpmvet" closure --upstream upstream --repo "$repo" \
	buildreq/hello-br-1.0-1.src.rpm buildreq/needsmissing-1.0-1.src.rpm)
set -e
(cd "$fx" && "$rpmvet" repo closure --upstream upstream) || true

say "an upstream key change: upkey 1.0 signed upstream by key A, then 2.0 by key B that A never certified"
set +e
(cd "$fx" && "$rpmvet" admit --repo "$repo" upsig/upkey-1.0-1.src.rpm upsig/upkey-2.0-2.src.rpm)
set -e

say "a sources mismatch: provsrc's embedded tarball against a dist-git ledger that pins another digest"
set +e
(cd "$fx" && "$rpmvet" admit --repo "$repo" --sources ledger/bad.sources ledger/provsrc-1.0-1.src.rpm)
set -e
(cd "$fx" && "$rpmvet" admit --repo "$repo" --sources ledger/checkout ledger/provsrc-1.0-1.src.rpm >/dev/null)
shown history --repo "$repo" provsrc
# ---- admit by name from a loopback mirror (issue #11) ----
say "admit by name from a mirror: an rpm-md source repository served by python3 http.server on 127.0.0.1"
mirror="$out/mirror"
mkdir -p "$mirror/Packages" "$out/fetched"
cp "$fx/srpms/rsa.src.rpm" "$mirror/Packages/hello-1.0-1.src.rpm"
cp "$fx/upsig/up-plain-1.0-1.src.rpm" "$mirror/Packages/"
createrepo_c -q "$mirror"
python3 -u -m http.server --bind 127.0.0.1 --directory "$mirror" 0 >"$out/mirror.log" 2>&1 &
mirror_pid=$!
trap 'kill "$mirror_pid" 2>/dev/null' EXIT
port= i=0
while [ -z "$port" ] && [ $i -lt 100 ]; do
	sleep 0.05
	port=$(sed -n 's/.* port \([0-9][0-9]*\).*/\1/p' "$out/mirror.log" | head -n 1)
	i=$((i + 1))
done
[ -n "$port" ] || { echo "demo: the mirror did not start: $(cat "$out/mirror.log")" >&2; exit 3; }
url="http://127.0.0.1:$port/"
shown fetch --from "$url" -o "$out/fetched" hello
set +e
shown admit --repo "$repo" --from "$url" up-plain
set -e
shown show --repo "$repo" up-plain
say "the same mirror through a metalink: repomd.xml must have the metalink's size and sha512 before anything reads it"
md="$mirror/repodata/repomd.xml"
{
	echo '<?xml version="1.0" encoding="utf-8"?>'
	echo '<metalink version="3.0" xmlns="http://www.metalinker.org/" xmlns:mm0="http://fedorahosted.org/mirrormanager">'
	echo ' <files><file name="repomd.xml">'
	echo "  <mm0:timestamp>$(date +%s)</mm0:timestamp><size>$(wc -c < "$md" | tr -d ' ')</size>"
	echo "  <verification><hash type=\"sha512\">$(sha512sum "$md" | cut -d' ' -f1)</hash></verification>"
	echo "  <resources><url protocol=\"http\" type=\"http\" preference=\"100\">${url}repodata/repomd.xml</url></resources>"
	echo ' </file></files>'
	echo '</metalink>'
} > "$mirror/metalink.xml"
mkdir -p "$out/fetched-ml"
shown fetch --metalink "${url}metalink.xml" -o "$out/fetched-ml" hello
kill "$mirror_pid" 2>/dev/null
wait "$mirror_pid" 2>/dev/null || true
trap - EXIT
# ---- end of: admit by name from a loopback mirror ----

say "auditor questions: what is in the repository, who admitted it, under which policy"
shown list --repo "$repo"
shown history --repo "$repo" hello
shown query --repo "$repo" --license Apache-2.0
shown audit verify --repo "$repo"
shown repo check --repo "$repo"

say "the same verify run as JSON, for CI: rpmvet verify --format json ... | jq"
(cd "$fx" && "$rpmvet" verify --keys "$out/keys" --format json \
	srpms/rsa.src.rpm srpms/otherkey.src.rpm > "$out/report.json") || true
if command -v jq >/dev/null 2>&1; then
	jq -c '.packages[] | {path, nevra, verdict, signer: .signer.fingerprint,
	       errors: [.findings[] | select(.severity == "error") | .code]}' "$out/report.json"
else
	cat "$out/report.json"
fi
echo "JSON report: $out/report.json"
[ "$rc" -eq 1 ]
