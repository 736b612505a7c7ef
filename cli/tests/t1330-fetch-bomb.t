#!/bin/sh
# SPDX-License-Identifier: MIT
# A hostile mirror serving a decompression bomb as primary, with the right
# checksum in its (unsigned) repomd.xml: fetch refuses it (exit 3) naming the
# file and the bound, and leaves nothing in the output directory or the
# cache; the same padding under the bound still works.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/data/repo-lib.sh"
. "$(dirname "$0")/data/fetch-lib.sh"
fetch_setup rpmbuild

mkdir -p "$T/specs"
mkspec "$T/specs/h1.spec" hello 1.0 1
build_srpms "$T/pkgs" "$T"/specs/*.spec || { echo "Bail out! cannot build"; cat "$T/rpmbuild.log"; exit 1; }

# bomb DIR MIB: DIR's primary padded with MIB MiB of blanks after <metadata ...>,
# its new checksum written into repomd.xml (the mirror controls both)
bomb() {
	_p=$(primary_of "$1")
	python3 "$(dirname "$0")/data/md-pad.py" "$_p" "$2" || return 1
	_old=$(basename "$_p"); _old=${_old%%-primary.xml.gz}
	_sum=$(sha256sum "$_p" | cut -d' ' -f1)
	sed -i "s#<checksum type=\"sha256\">$_old</checksum>#<checksum type=\"sha256\">$_sum</checksum>#" "$1/repodata/repomd.xml"
	# keep the file named by its checksum, as createrepo_c does
	mv "$_p" "$(dirname "$_p")/$_sum-primary.xml.gz"
	sed -i "s#$_old-primary.xml.gz#$_sum-primary.xml.gz#" "$1/repodata/repomd.xml"
}
mkdir -p "$T/srv"
mk_upstream "$T/srv/bomb" "$T/pkgs/hello-1.0-1.src.rpm"
mk_upstream "$T/srv/pad" "$T/pkgs/hello-1.0-1.src.rpm"
bomb "$T/srv/bomb" 80 && bomb "$T/srv/pad" 32 || { echo "Bail out! cannot make the bomb"; exit 1; }
P=$(primary_of "$T/srv/bomb")
is "$(stat -c %s "$P" | awk '{ print ($1 < 1048576) }')" 1 "(the bomb is smaller than 1 MiB)"
is "$(zcat "$P" | wc -c | awk '{ print ($1 > 80 * 1048576) }')" 1 "(and decompresses to more than 80 MiB)"
serve s "$T/srv"
B="http://127.0.0.1:$s_port"
O="$T/o"; mkdir -p "$O"
PURL="$B/bomb/repodata/$(basename "$P")"

run timeout 60 "$RPMVET" fetch --from "$B/bomb/" -o "$O" hello
is_rc 3 "80 MiB out of a primary under 1 MiB: refused"
err_has "'$PURL' decompresses to more than 67108864 bytes (256 times its size, at least 64 MiB)" \
	"names the file and the bound"
err_has "mirror '$B/bomb/' skipped: " "the mirror is named"
out_empty "nothing reported as fetched"
is "$(ls -A "$O")" "" "nothing in the output directory"
is "$(ls -A "$XDG_CACHE_HOME/rpmvet/fetch-metadata")" "" "the bomb is not kept in the cache"
nothing_partial "$XDG_CACHE_HOME"; ok $? "nothing partial in the cache"

run timeout 60 "$RPMVET" fetch --from "$B/pad/" -o "$O" hello
is_rc 0 "the same padding under the bound: it is the cap that stops the bomb"
out_has "hello-1.0-1.src  $O/hello-1.0-1.src.rpm  from $B/pad/Packages/hello-1.0-1.src.rpm" "fetched"

done_testing
