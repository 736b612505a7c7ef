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
jq_is '.packages[0] | [.path, .nevra, .resolved, .dynamic_buildrequires] | @tsv' "$H	hello-1.0-1.src	false	false" \
	"path, source NEVRA, not resolved, no dynamic BuildRequires"
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

# the fixture upstream (testdata/README.md): versioned, file (filelists only), rich deps
UP="$FX/upstream"
BR="$FX/buildreq"
cl() { rpmvet closure --upstream "$UP" --format json "$@"; }
run cl "$BR/hello-br-1.0-1.src.rpm"
is_rc 0 "hello-br closes"
jq_is '.packages[0].closure | join(" ")' \
	"binutils-2.40-1.x86_64 gcc-12.2-1.x86_64 glibc-2.36-1.x86_64 make-4.3-1.x86_64 perl-5.36.0-1.x86_64 python3-3.11.2-1.x86_64" \
	"gcc >= 4.8 picks gcc 12.2, not 4.4; (python3 or python2) gives python3; (zlib-devel if openssl-devel) pulls nothing"
jq_is '.packages[0].sources | join(" ")' \
	"binutils-2.40-1.src gcc-12.2-1.src glibc-2.36-1.src make-4.3-1.src perl-5.36.0-1.src python3-3.11.2-1.src" \
	"each binary's source package"
run cl "$BR/needsdata-1.0-1.src.rpm"
is_rc 0 "needsdata closes"
jq_is '.packages[0].closure | join(" ")' \
	"datapkg-1.0-1.noarch glibc-2.36-1.x86_64 openssl-devel-3.0.9-1.x86_64 python3-3.11.2-1.x86_64 wantsrich-1.0-1.noarch zlib-devel-1.2.13-1.x86_64" \
	"a file dependency found only in filelists; (zlib-devel if openssl-devel) pulls zlib-devel once openssl-devel is in"
jq_is '.packages[0].sources | index("openssl-3.0.9-1.src") != null' true "a subpackage's source is its SRPM (openssl)"
run cl "$BR/needsmissing-1.0-1.src.rpm"
is_rc 1 "needsmissing does not close"
jq_is '[.packages[0].unresolved[].dependency] | join("|")' "gcc < 4|nonexistent >= 1|nonexistent-lib >= 2" \
	"every unresolvable BuildRequires, including one deep in the closure"
jq_is '.packages[0].unresolved[2].reason' "nothing provides nonexistent-lib >= 2 needed by broken-1.0-1.noarch" "libsolv's explanation names the package"
jq_is '.packages[0].closure | join(" ")' "glibc-2.36-1.x86_64 make-4.3-1.x86_64" "the partial closure of what can be installed"
run cl "$BR/richforms-1.0-1.src.rpm"
is_rc 0 "every rich-dependency form resolves"
jq_is '.packages[0].closure | length' 7 "richforms closure"
run cl "$BR/dynamic-1.0-1.src.rpm"
is_rc 0 "dynamic BuildRequires"
jq_is '.packages[0] | [.resolved, .dynamic_buildrequires] | @tsv' "true	true" "reported as dynamic (partial), the static ones resolved"
run rpmvet closure --upstream "$UP" "$BR/dynamic-1.0-1.src.rpm"
out_has "PARTIAL dynamic-1.0-1.src" "text says partial"

# the import frontier against a curated repository (empty here: everything is to import)
rpmvet init "$T/cur" >/dev/null 2>&1
run rpmvet closure --upstream "$UP" --repo "$T/cur" --format json "$BR/hello-br-1.0-1.src.rpm"
jq_is '.packages[0].frontier | length' 6 "an empty repository lacks all six sources"

# --recursive through upstream source metadata, with the build cycle
cp -r "$FX/cycle-src" "$T/srcrepo" && createrepo_c -q "$T/srcrepo"
run rpmvet closure --recursive --upstream "$FX/cycle" --upstream "$T/srcrepo" --format json "$FX/cycle-src/a-1.0-1.src.rpm"
is_rc 0 "recursive closure of a"
jq_is '.packages[0].all_sources | join(" ")' "b-1.0-1.src" "b is needed to build a"
jq_is '.packages[0].cycles | map(join(" ")) | join("|")' "a-1.0-1.src b-1.0-1.src" "and a and b form a build cycle"
run rpmvet closure --recursive --upstream "$UP" --format json "$BR/hello-br-1.0-1.src.rpm"
jq_is '.packages[0].no_source_metadata | length' 6 "sources without upstream metadata are named"

# repo closure of the fixture upstream: only 'broken' is unresolved (the conditional ones are met)
run rpmvet repo closure --upstream "$UP" --format json
is_rc 1 "the upstream has one broken package"
jq_is '[.packages[].nevra] | join(" ")' "broken-1.0-1.noarch" "only broken, not the conditional (zlib-devel if openssl-devel) or (perl if make)"
jq_is '.checked' 14 "all fourteen checked"

# the closure stage in verify and admit, behind the policy
make_store "$T/ks" rsa
printf 'version: 1\nlicenses:\n  categories: {MIT: allowed}\nclosure:\n  upstream: [%s]\n  enforce: error\n' "$UP" > "$T/pol-ok.yaml"
printf 'version: 1\nlicenses:\n  categories: {MIT: allowed}\nclosure:\n  upstream: [%s]\n  enforce: error\n' "$U" > "$T/pol-bad.yaml"
printf 'version: 1\nlicenses:\n  categories: {MIT: allowed}\nclosure:\n  upstream: [%s]\n  enforce: warning\n' "$U" > "$T/pol-warn.yaml"
run rpmvet verify --keys "$T/ks" --policy "$T/pol-ok.yaml" --format json "$H"
is_rc 0 "BuildRequires resolvable upstream: pass"
ls "$HOME"/.cache/rpmvet/*.solv >/dev/null 2>&1; _report $? "the closure stage writes the cache under ~/.cache/rpmvet"
run rpmvet verify --keys "$T/ks" --policy "$T/pol-ok.yaml" --format json "$H"
is_rc 0 "and passes again from it"
jq_is '[.packages[0].findings[] | select(.check == "closure") | .code] | join(" ")' "closure.ok" "closure.ok recorded"
run rpmvet verify --keys "$T/ks" --policy "$T/pol-bad.yaml" --format json "$H"
is_rc 1 "unresolvable BuildRequires: rejected when the policy enforces errors"
jq_is '[.packages[0].findings[] | select(.code == "closure.unresolved") | .severity] | unique | join(" ")' "error" "as errors"
jq_is '[.packages[0].findings[] | select(.code == "closure.unresolved")] | length' 4 "one finding per BuildRequires"
run rpmvet verify --keys "$T/ks" --policy "$T/pol-warn.yaml" "$H"
is_rc 0 "only warned when the policy says warning"
out_has "warning closure.unresolved: BuildRequires gcc >= 4.8 cannot be resolved" "and says so"
rpmvet init "$T/cr" --policy "$T/pol-bad.yaml" >/dev/null 2>&1
rpmvet key add --repo "$T/cr" "$FX/keys/rsa.asc" >/dev/null 2>&1
run rpmvet admit --repo "$T/cr" "$H"
is_rc 1 "admit rejects a package whose BuildRequires cannot be resolved"
is "$(ls "$T/cr/Packages" | wc -l)" 0 "and admits nothing"
printf 'version: 1\nclosure:\n  enforce: error\n' > "$T/pol-noup.yaml"
run rpmvet license check --policy "$T/pol-noup.yaml" MIT
is_rc 2 "closure.enforce without upstream is a policy error"
err_has "closure.enforce needs closure.upstream" "says so"

# librepo's own test repositories (SHA-1 and SHA-256 repomd checksums), when present
if [ -d "$SHARED/librepo-repos/01/repodata" ]; then
	for r in 01 02; do
		run rpmvet repo closure --upstream "$SHARED/librepo-repos/$r" --format json
		is_rc 1 "librepo repository $r loads, its checksums verified"
		jq_is '.checked' 1 "librepo $r: one package checked"
		jq_is '.packages[0].unresolved | join(" ")' "setup" \
			"librepo $r: filesystem's Requires(pre) on setup is unresolved (pre-requirements count)"
	done
	cp -r "$SHARED/librepo-repos/01" "$T/lr01" && chmod -R u+w "$T/lr01"
	f=$(ls "$T"/lr01/repodata/*-filelists.xml.gz)
	printf 'x' >> "$f"
	run rpmvet repo closure --upstream "$T/lr01"
	is_rc 3 "librepo 01 with a damaged filelists: refused"
	err_has "does not match its checksum in repomd.xml" "names the checksum problem"
fi

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

# the parsed-metadata cache: keyed by repomd.xml and the files it names, written after a verified load
export XDG_CACHE_HOME="$T/xdg"
cp -r "$UP" "$T/upc"
run rpmvet repo closure --no-cache --upstream "$T/upc"
is_rc 1 "--no-cache: the metadata is read"
is "$(ls "$T/xdg/rpmvet" 2>/dev/null | wc -l)" 0 "--no-cache writes nothing"
run rpmvet repo closure --upstream "$T/upc" --format json
is_rc 1 "first run with the cache"
jq_is '[.checked, (.packages | map(.nevra) | join(" "))] | @tsv' "14	broken-1.0-1.noarch" "same answer as without it"
is "$(ls "$T/xdg/rpmvet" | grep -c '^[0-9a-f]\{64\}\.solv$')" 1 "one cache file, named by a SHA-256"
# proof that the cache is read: plant the fixture-binaries repository's cache under upc's name
c_up=$(ls "$T"/xdg/rpmvet/*.solv)
run rpmvet repo closure --upstream "$U"
is "$(ls "$T"/xdg/rpmvet/*.solv | wc -l)" 2 "a second repository, a second cache file"
c_u=$(ls "$T"/xdg/rpmvet/*.solv | grep -vF "$c_up")
cp "$c_u" "$c_up"
run rpmvet repo closure --upstream "$T/upc" --format json
is_rc 0 "second run answers from the cache, not the metadata"
jq_is '.checked' 3 "(the planted three packages)"
run rpmvet repo closure --no-cache --upstream "$T/upc" --format json
is_rc 1 "--no-cache reads the metadata again"
jq_is '.checked' 14 "fourteen packages"
if [ "$(id -u)" = 0 ] && id nobody >/dev/null 2>&1; then
	chown nobody "$c_up"
	run rpmvet repo closure --upstream "$T/upc" --format json
	jq_is '.checked' 14 "a cache file owned by another user is not believed"
fi
cp "$c_u" "$c_up"
chmod 666 "$c_up"
run rpmvet repo closure --upstream "$T/upc" --format json
jq_is '.checked' 14 "nor a world-writable one"
rm -f "$c_up"
mkfifo "$c_up"
run timeout 20 "$RPMVET" repo closure --upstream "$T/upc" --format json
jq_is '.checked' 14 "a FIFO in its place neither blocks nor is read"
rm -f "$c_up"
f=$(ls "$T"/upc/repodata/*-primary.xml*)
printf 'x' >> "$f"
run rpmvet repo closure --upstream "$T/upc"
is_rc 3 "metadata damaged since it was cached: read again and refused"
err_has "does not match its checksum in repomd.xml" "names the checksum problem"
for c in "$T"/xdg/rpmvet/*.solv; do printf 'garbage' > "$c"; done
cp -r "$UP" "$T/upc2"
run rpmvet repo closure --upstream "$T/upc2" --format json
is_rc 1 "a damaged cache file is ignored"
jq_is '.checked' 14 "and the metadata loaded instead"
run rpmvet closure --upstream "$T/upc2" --format json "$BR/hello-br-1.0-1.src.rpm"
is_rc 0 "closure answers from the same cache"
jq_is '.packages[0].closure | length' 6 "the same six binaries"
# the cache holds no file lists, only the file provides it has seen: a new path loads filelists
cp -r "$UP" "$T/upc3"
run rpmvet repo closure --upstream "$T/upc3"
is_rc 1 "cache written by repo closure (no binary requires a path)"
for i in 1 2; do
	run rpmvet closure --upstream "$T/upc3" --format json "$BR/needsdata-1.0-1.src.rpm"
	is_rc 0 "run $i: a path found only in filelists resolves"
	jq_is '.packages[0].closure | index("datapkg-1.0-1.noarch") != null' true "run $i: datapkg provides it"
done
chmod -R a-w "$T/xdg/rpmvet"
run rpmvet repo closure --upstream "$T/upc3" --format json
is_rc 1 "an unwritable cache is not an error"
jq_is '.checked' 14 "(the answer is the same)"
chmod -R u+w "$T/xdg/rpmvet"
unset XDG_CACHE_HOME

done_testing
