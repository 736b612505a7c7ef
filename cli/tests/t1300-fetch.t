#!/bin/sh
# SPDX-License-Identifier: MIT
# rpmvet fetch: resolution by name, and every transfer fault of a misbehaving
# server ends with the right error and exit code, and nothing partial on disk.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/data/repo-lib.sh"
. "$(dirname "$0")/data/fetch-lib.sh"
fetch_setup rpmbuild

mkdir -p "$T/specs"
mkspec "$T/specs/h1.spec" hello 1.0 1
mkspec "$T/specs/h2.spec" hello 2.0 1
mkspec "$T/specs/he.spec" hello 0.5 1 1
mkspec "$T/specs/hl.spec" hello-libs 1.0 3
mkspec "$T/specs/hlt.spec" hello-libs-tools 2.0 1
build_srpms "$T/pkgs" "$T"/specs/*.spec || { echo "Bail out! cannot build"; cat "$T/rpmbuild.log"; exit 1; }
mk_upstream "$T/up" "$T"/pkgs/*.src.rpm
serve a "$T/up" \
	--rule /Packages/hello-libs-1.0-3.src.rpm=truncate \
	--rule /Packages/hello-1.0-1.src.rpm=truncate-once \
	--rule /Packages/hello-libs-tools-2.0-1.src.rpm=500-once
U="http://127.0.0.1:$a_port/"
O="$T/o"; mkdir -p "$O"

# by name: the newest (epoch counts), by NAME-VERSION, by NAME-VERSION-RELEASE, with EPOCH:
run rpmvet fetch --from "$U" -o "$O" hello
is_rc 0 "fetch by name"
out_has "hello-1:0.5-1.src  $O/hello-0.5-1.src.rpm  from ${U}Packages/hello-0.5-1.src.rpm" "the newest EVR: epoch 1 wins"
cmp -s "$O/hello-0.5-1.src.rpm" "$T/up/Packages/hello-0.5-1.src.rpm"; ok $? "the bytes are the upstream's"
run rpmvet fetch --from "$U" -o "$O" hello-2.0 hello-2.0-1 hello-1:0.5-1
is_rc 0 "fetch by NAME-VERSION, NAME-VERSION-RELEASE, NAME-EPOCH:VERSION-RELEASE"
is "$(grep -c 'hello-2.0-1.src ' "$T/out")" 2 "hello-2.0 and hello-2.0-1 are the same package"
out_has "hello-1:0.5-1.src" "with an epoch"

# names contain dashes: hello-libs is a name before it is hello-VERSION
run rpmvet fetch --from "$U" -o "$O" hello-libs-tools
is_rc 0 "a dashed name is a name first (a 500, then success)"
out_has "hello-libs-tools-2.0-1.src" "hello-libs-tools fetched"
is "$(grep -c 'GET /Packages/hello-libs-tools-2.0-1.src.rpm' "$T/a.log")" 2 "the 500 was retried once"

# no match, and the candidates named
run rpmvet fetch --from "$U" -o "$O" hel nope hello-9
is_rc 2 "no match is an error"
err_has "cannot fetch 'hel': no source package matches 'hel'; candidates: hello, hello-libs, hello-libs-tools" "candidates named"
err_has "cannot fetch 'nope': no source package matches 'nope'" "a name with nothing like it"
err_has "cannot fetch 'hello-9': no source package matches 'hello-9'; candidates: hello" "a version that does not exist"

# a truncated body every time: retried (resumed), then an error; nothing partial
run rpmvet fetch --from "$U" -o "$O" --retries 1 hello-libs hello-2.0
is_rc 3 "a body cut short every time: the run could not complete"
err_has "cannot fetch 'hello-libs': " "the package is named"
out_has "hello-2.0-1.src" "the rest of the batch goes on"
[ ! -e "$O/hello-libs-1.0-3.src.rpm" ]; ok $? "no file for the truncated package"
nothing_partial "$O"; ok $? "no temporary file left in the output directory"

# a body cut once: resumed with a Range request, the whole file re-verified
run rpmvet fetch --from "$U" -o "$O" hello-1.0
is_rc 0 "a body cut once is resumed"
grep -q 'GET /Packages/hello-1.0-1.src.rpm range=bytes=' "$T/a.log"; ok $? "the second request asked for the rest (Range)"
cmp -s "$O/hello-1.0-1.src.rpm" "$T/up/Packages/hello-1.0-1.src.rpm"; ok $? "the resumed file is whole"
stop_servers

# corrupted bytes, a 404, a redirect loop, a stall past the timeout
serve b "$T/up" \
	--rule /Packages/hello-2.0-1.src.rpm=corrupt \
	--rule /Packages/hello-libs-1.0-3.src.rpm=404 \
	--rule /Packages/hello-libs-tools-2.0-1.src.rpm=loop \
	--rule /Packages/hello-1.0-1.src.rpm=stall
U="http://127.0.0.1:$b_port/"
O="$T/o2"; mkdir -p "$O"
run rpmvet fetch --from "$U" -o "$O" --timeout 1 hello-2.0 hello-libs hello-libs-tools hello-1.0 hello-0.5
is_rc 3 "every fault is an error of the run"
err_has "cannot fetch 'hello-2.0': '${U}Packages/hello-2.0-1.src.rpm' does not match its sha256 checksum in the metadata" "corrupted bytes: a checksum mismatch"
err_has "cannot fetch 'hello-libs': cannot fetch '${U}Packages/hello-libs-1.0-3.src.rpm': HTTP 404" "a 404"
is "$(grep -c 'GET /Packages/hello-libs-1.0-3.src.rpm' "$T/b.log")" 1 "a 404 is not retried"
err_has "cannot fetch 'hello-libs-tools': cannot fetch '${U}Packages/hello-libs-tools-2.0-1.src.rpm': Maximum (5) redirects followed" "a redirect loop ends"
err_has "cannot fetch 'hello-1.0': cannot fetch '${U}Packages/hello-1.0-1.src.rpm': Operation too slow" "a stall past the timeout"
out_has "hello-1:0.5-1.src" "the good package of the batch"
run rpmvet fetch --from "$U" -o "$O" hello-libs
is_rc 3 "a listed package the mirror answers with 404 alone: a failed download, not an unknown name"
is "$(ls "$O")" "hello-0.5-1.src.rpm" "only the good package is in the output directory"
nothing_partial "$O"; ok $? "nothing partial"
stop_servers

# a file changed after the metadata was written
cp -r "$T/up" "$T/up2"
cp "$T/pkgs/hello-2.0-1.src.rpm" "$T/up2/Packages/hello-1.0-1.src.rpm"
serve c "$T/up2"
run rpmvet fetch --from "http://127.0.0.1:$c_port/" -o "$O" hello-1.0
is_rc 3 "a package that changed after the metadata was written"
grep -Eq "cannot fetch 'hello-1.0': .*(larger than the [0-9]+ bytes expected|does not match its sha256 checksum in the metadata)" "$T/err"
ok $? "its size or checksum against primary (the two builds may have one size)"
[ ! -e "$O/hello-1.0-1.src.rpm" ]; ok $? "not taken"
stop_servers

# usage
run rpmvet fetch hello
is_rc 2 "--from is required"
err_has "give at least one --from URL" "said so"
run rpmvet fetch --from ftp://x/ hello
is_rc 2 "only http, https and file URLs"
err_has "'ftp://x/' is not an http, https or file URL" "said so"
done_testing
