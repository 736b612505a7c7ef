#!/bin/sh
# SPDX-License-Identifier: MIT
# rpmvet closure: BuildRequires resolution over upstream rpm-md repositories.
. "$(dirname "$0")/lib.sh"
need_fixtures
command -v createrepo_c >/dev/null || skip_all "createrepo_c is not installed"

U="$T/up"
mkdir "$U" && cp "$FX"/rpms/*.rpm "$U"/ && createrepo_c -q "$U"
H="$FX/srpms/rsa.src.rpm"

run rpmvet closure --upstream "$U" --format json "$H"
is_rc 1 "unresolvable BuildRequires exit 1"
jq_is '.format_version' 1 "format_version"
jq_is '.packages[0] | [.path, .nevra, .complete] | @tsv' "$H	hello-1.0-1.src	true" "path, source NEVRA, complete"
jq_is '[.packages[0].unresolved[].dependency] | join("|")' "(python3 or python2)|/usr/bin/perl|gcc >= 4.8|make" \
	"every unresolvable BuildRequires is named, sorted (rich, file and versioned ones)"
jq_is '.packages[0].unresolved[0].reason' "nothing provides requested (python3 or python2)" "with libsolv's explanation"
jq_is '.packages[0].closure | length' 0 "nothing to install"

run rpmvet closure --upstream "$U" "$H"
is_rc 1 "text"
out_has "UNRESOLVED hello-1.0-1.src  0 binary package(s) from 0 source package(s)" "one line per package"
out_has "        unresolved gcc >= 4.8: nothing provides requested gcc >= 4.8" "unresolved indented"

# metadata is checked against repomd.xml before use
cp -r "$U" "$T/bad"
f=$(ls "$T"/bad/repodata/*-primary.xml.gz)
echo x >> "$f"
run rpmvet closure --upstream "$T/bad" "$H"
is_rc 3 "corrupt primary metadata: the run cannot complete"
err_has "$f' does not match its checksum in repomd.xml" "names the file"
out_empty "and reports nothing"
run rpmvet closure --upstream "$T/nowhere" "$H"
is_rc 3 "a missing upstream"
err_has "cannot read '$T/nowhere/repodata/repomd.xml'" "names it"
run rpmvet closure --upstream "$U"
is_rc 2 "no packages"
run rpmvet closure --upstream "$U" --format xml "$H"
is_rc 2 "unknown format"
run rpmvet closure --upstream "$U" "$T/missing.src.rpm"
is_rc 3 "an unreadable SRPM"
out_has "ERROR   cannot read '$T/missing.src.rpm'" "named in the report"

# repo closure over the fixture binaries: fxtool requires fxlib >= 1.0
run rpmvet repo closure --upstream "$U" --format json
is_rc 0 "a closed repository"
jq_is '[.checked, (.packages | length)] | @tsv' "3	0" "three packages checked, none unresolved"
mkdir "$T/open" && cp "$FX/rpms/fxtool-2.1-3.noarch.rpm" "$T/open/" && createrepo_c -q "$T/open"
run rpmvet repo closure --upstream "$T/open"
is_rc 1 "fxtool without fxlib"
out_has "package: fxtool-2.1-3.noarch from $T/open" "names the package and its repository"
out_has "    fxlib >= 1.0" "and the unresolved requirement"
out_has "1 of 1 package(s) have unresolved dependencies" "summary"
run rpmvet repo closure --upstream "$T/open" --upstream "$U" --format json
is_rc 0 "a second repository provides it"
jq_is '.checked' 4 "both repositories are checked"
run rpmvet repo closure
is_rc 2 "repo closure needs --upstream"

done_testing
