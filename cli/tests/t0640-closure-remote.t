#!/bin/sh
# SPDX-License-Identifier: MIT
# closure and repo closure over a remote --upstream (http:// on loopback, and
# file://): the same results as over the local path; the metadata is mirrored
# into the user cache, so a second run fetches only repomd.xml; a corrupted
# primary is exit 3 with nothing cached; stale metadata is refused; a cache
# directory that is not ours is refused; the admit closure stage takes a
# policy naming a remote upstream.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/data/repo-lib.sh"
. "$(dirname "$0")/data/fetch-lib.sh"
fetch_setup
C="$T/cache/rpmvet"

UP="$FX/upstream"
BR="$FX/buildreq"
SRPMS="$BR/hello-br-1.0-1.src.rpm $BR/needsdata-1.0-1.src.rpm $BR/needsmissing-1.0-1.src.rpm $BR/richforms-1.0-1.src.rpm"
serve a "$UP"
U="http://127.0.0.1:$a_port/"
# log_since N: the requests the server logged after its first N lines
log_since() { tail -n +"$(($1 + 1))" "$T/a.log"; }

# ---- the same results as over the local path ----
# shellcheck disable=SC2086
rpmvet closure --no-cache --upstream "$UP" --format json $SRPMS > "$T/local.json"; lrc=$?
# shellcheck disable=SC2086
run rpmvet closure --upstream "$U" --format json $SRPMS
is_rc "$lrc" "closure over $U: the exit status of the local run"
cmp -s "$T/out" "$T/local.json"; ok $? "closure over http: the same JSON document as over the local path"
jq_is '[.packages[] | .resolved] | map(tostring) | join(" ")' "true true false true" "resolved and unresolved alike"
err_empty "nothing on stderr"
is "$(grep -c 'GET /repodata/' "$T/a.log")" 3 "first run: repomd.xml, primary and filelists fetched"
is "$(find "$C/remote" -name repomd.xml | wc -l)" 1 "mirrored into one directory of the cache"
D=$(dirname "$(dirname "$(find "$C/remote" -name repomd.xml)")")
is "$(basename "$D")" "$(printf '%s' "$U" | sha256sum | cut -d' ' -f1)" "named by the SHA-256 of the URL"
is "$(stat -c %a "$D")" 700 "private"
cmp -s "$D/repodata/repomd.xml" "$UP/repodata/repomd.xml"; ok $? "repomd.xml as served"

# ---- a second run: the cache (only repomd.xml is fetched) ----
n=$(wc -l < "$T/a.log")
# shellcheck disable=SC2086
run rpmvet -vv closure --upstream "$U" --format json $SRPMS
is_rc "$lrc" "second run"
cmp -s "$T/out" "$T/local.json"; ok $? "the same document again"
is "$(log_since "$n" | tr '\n' ' ')" "GET /repodata/repomd.xml range=None " "the server saw only repomd.xml"
err_has "rpmvet: debug: upstream '$U': read from the cache '$C'" "the parsed metadata (.solv) came from the cache"

# ---- repo closure ----
rpmvet repo closure --no-cache --upstream "$UP" --format json > "$T/rlocal.json"; lrc=$?
run rpmvet repo closure --upstream "$U" --format json
is_rc "$lrc" "repo closure over http: the local run's exit status"
jq_is '[.checked, (.packages | length)] | @tsv' "$(jq -r '[.checked, (.packages | length)] | @tsv' "$T/rlocal.json")" "as many packages checked and unresolved"
is "$(jq -c 'del(.packages[].repository)' "$T/out")" "$(jq -c 'del(.packages[].repository)' "$T/rlocal.json")" \
	"the same document but the repository's name"
jq_is '[.packages[].repository] | unique | join(" ")' "$U" "which is the URL given"
run rpmvet repo closure --upstream "file://$UP" --format json
is "$(jq -c 'del(.packages[].repository)' "$T/out")" "$(jq -c 'del(.packages[].repository)' "$T/rlocal.json")" \
	"file:// too"

XDG_CACHE_HOME="$T/nc" run rpmvet repo closure --no-cache --upstream "$U" --format json
is "$(jq -c 'del(.packages[].repository)' "$T/out")" "$(jq -c 'del(.packages[].repository)' "$T/rlocal.json")" \
	"--no-cache: the same document"
[ ! -e "$T/nc" ]; ok $? "--no-cache: nothing written to the cache"

# ---- a corrupted primary: exit 3, naming the URL and the problem, nothing cached ----
P=$(basename "$(primary_of "$UP")")
serve b "$UP" --rule "/repodata/$P=corrupt"
B="http://127.0.0.1:$b_port/"
XDG_CACHE_HOME="$T/c2" run rpmvet closure --upstream "$B" "$BR/hello-br-1.0-1.src.rpm"
is_rc 3 "a primary that does not match repomd.xml's checksum"
err_has "rpmvet: error: cannot load upstream '$B': '${B}repodata/$P' does not match its sha256 checksum in the metadata" "names the URL and the problem"
out_empty "reports nothing"
is "$(find "$T/c2" -type f | wc -l)" 0 "nothing cached: no metadata, no .solv, no freshness record"

# ---- no repository there ----
XDG_CACHE_HOME="$T/c3" run rpmvet repo closure --upstream "${U}nowhere/"
is_rc 3 "a URL with no repository"
err_has "rpmvet: error: cannot load upstream '${U}nowhere/': cannot fetch '${U}nowhere/repodata/repomd.xml': HTTP 404" "names it"

# ---- stale metadata after fresher metadata was seen ----
cp -r "$UP" "$T/up2"
serve s "$T/up2"
S="http://127.0.0.1:$s_port/"
run rpmvet repo closure --upstream "$S"
is_rc "$lrc" "fresh metadata"
rev=$(sed -n 's/.*<revision>\(.*\)<\/revision>.*/\1/p' "$T/up2/repodata/repomd.xml")
sed -i "s/<revision>$rev</<revision>$((rev - 100))</" "$T/up2/repodata/repomd.xml"
run rpmvet repo closure --upstream "$S"
is_rc 3 "older metadata than seen before"
err_has "cannot load upstream '$S': upstream.stale-metadata: '${S}repodata/repomd.xml' has revision $((rev - 100))" "names the URL and both instants"
err_has "older than revision $rev" "and the one seen"

# ---- the cache directory must be ours: a symbolic link is refused ----
mkdir -p "$T/c4/rpmvet/remote" "$T/elsewhere"
ln -s "$T/elsewhere" "$T/c4/rpmvet/remote/$(printf '%s' "$U" | sha256sum | cut -d' ' -f1)"
XDG_CACHE_HOME="$T/c4" run rpmvet repo closure --upstream "$U"
is_rc 3 "a planted symbolic link in the cache"
err_has "is not a private directory of ours" "is refused"
is "$(find "$T/elsewhere" -type f | wc -l)" 0 "nothing written through it"

# ---- admit: the closure stage with a policy naming a remote upstream ----
mkdir -p "$T/s" && cp "$BR/hello-br-1.0-1.src.rpm" "$T/s/"
sign_pkgs rsa "$T/s/hello-br-1.0-1.src.rpm" || { echo "Bail out! cannot sign"; cat "$T/rpmsign.log"; exit 1; }
write_policy "$T/pol.yaml" "closure:
  upstream: [$U]
  enforce: error
"
new_repo "$T/repo" "$T/pol.yaml"
n=$(wc -l < "$T/a.log")
run rpmvet admit --repo "$T/repo" --format json "$T/s/hello-br-1.0-1.src.rpm"
is_rc 0 "admitted, its BuildRequires resolved over the remote upstream"
jq_is '[.packages[0].findings[] | select(.check == "closure") | .code] | join(" ")' "closure.ok" "closure.ok"
log_since "$n" | grep -q 'GET /repodata/repomd.xml.asc'; ok $? "with the repository's trust store, repomd.xml.asc is looked for"
printf 'closure:\n  upstream: [%s]\n  enforce: error\nupstream:\n  repomd-signature: required\n' "$U" > "$T/req.yaml"
write_policy "$T/pol2.yaml" "$(cat "$T/req.yaml")
"
new_repo "$T/repo2" "$T/pol2.yaml"
run rpmvet admit --repo "$T/repo2" "$T/s/hello-br-1.0-1.src.rpm"
is_rc 3 "upstream.repomd-signature: required and no repomd.xml.asc"
err_has "'${U}repodata/repomd.xml.asc' is missing and the policy requires a signed repomd.xml" "names the URL and the problem"
is "$(ls "$T/repo2/Packages" | wc -l)" 0 "nothing admitted"

stop_servers
done_testing
