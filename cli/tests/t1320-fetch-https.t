#!/bin/sh
# SPDX-License-Identifier: MIT
# fetch over https: TLS verification on (--ca), and no redirect from https down to http.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/data/repo-lib.sh"
. "$(dirname "$0")/data/fetch-lib.sh"
fetch_setup rpmbuild openssl

mkdir -p "$T/specs"
mkspec "$T/specs/h1.spec" hello 1.0 1
build_srpms "$T/pkgs" "$T"/specs/*.spec || { echo "Bail out! cannot build"; exit 1; }
mk_upstream "$T/up" "$T"/pkgs/*.src.rpm
openssl req -x509 -newkey rsa:2048 -nodes -keyout "$T/key.pem" -out "$T/cert.pem" -days 2 \
	-subj /CN=127.0.0.1 -addext subjectAltName=IP:127.0.0.1 >/dev/null 2>&1 ||
	{ echo "Bail out! openssl cannot make a certificate"; exit 1; }
serve plain "$T/up"
serve tls "$T/up" --tls "$T/cert.pem" "$T/key.pem" \
	--rule /down/repodata/repomd.xml=redirect:http://127.0.0.1:$plain_port/repodata/repomd.xml
S="https://127.0.0.1:$tls_port"
O="$T/o"; mkdir -p "$O"

run rpmvet fetch --from "$S/" -o "$O" hello
is_rc 3 "a certificate no CA vouches for is refused"
err_has "mirror '$S/' skipped: cannot fetch '$S/repodata/repomd.xml': SSL certificate problem" "TLS verification is on"
run rpmvet fetch --from "$S/" --ca "$T/cert.pem" -o "$O" hello
is_rc 0 "with --ca the mirror is trusted"
out_has "hello-1.0-1.src  $O/hello-1.0-1.src.rpm  from $S/Packages/hello-1.0-1.src.rpm" "fetched over https"

run rpmvet fetch --from "$S/down/" --ca "$T/cert.pem" -o "$O" hello
is_rc 3 "a redirect from https to http is refused"
err_has "cannot fetch '$S/down/repodata/repomd.xml': Protocol \"http\" not supported" "no downgrade"
[ ! -s "$T/plain.log" ]; ok $? "the http server was never asked"
run rpmvet fetch --from "http://127.0.0.1:$plain_port/" -o "$O" hello
is_rc 0 "plain http stays allowed when asked for"
done_testing
