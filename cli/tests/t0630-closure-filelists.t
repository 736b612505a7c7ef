#!/bin/sh
# SPDX-License-Identifier: MIT
# filelists.xml is read only for the file dependencies primary cannot answer
# (createrepo lists /etc/*, *bin/* and /usr/lib/sendmail in primary), and then
# only the paths asked for are kept. A filelists that is malformed, a gzip
# bomb or declares entities, its checksum in repomd.xml matching, is never
# decompressed when primary answers everything, and refused (exit 3, naming
# the upstream, the file and the problem) when a path needs it.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/data/repo-lib.sh"
need_fixtures
command -v python3 >/dev/null || skip_all "python3 is not installed"

UP="$FX/upstream"
BR="$FX/buildreq"
FL=$(cd "$UP/repodata" && ls *-filelists.xml.gz)
export XDG_CACHE_HOME="$T/xdg"

# mirror NAME: a fresh copy of the fixture upstream
mirror() { rm -rf "$T/$1"; cp -r "$UP" "$T/$1"; }
# refl NAME PYTHON: filelists.xml of mirror NAME rewritten by PYTHON (on bytes `doc`),
# gzipped again under the same name, its checksum in repomd.xml made to match
refl() {
	python3 - "$T/$1/repodata/$FL" "$2" <<-'PY' || return 1
	import gzip, sys
	path, code = sys.argv[1], sys.argv[2]
	with gzip.open(path, "rb") as f:
	    doc = f.read()
	env = {"doc": doc}
	exec(code, env)
	with gzip.open(path, "wb", 9) as g:
	    for part in env["out"] if isinstance(env["doc"], list) else [env["doc"]]:
	        g.write(part)
	PY
	_sum=$(sha256sum "$T/$1/repodata/$FL" | cut -d' ' -f1)
	sed -i "s#<checksum type=\"sha256\">${FL%%-filelists.xml.gz}</checksum>#<checksum type=\"sha256\">$_sum</checksum>#" \
		"$T/$1/repodata/repomd.xml"
}
# cl NAME SRPM...: closure over mirror NAME, no cache, bounded in time
cl() { _u=$1; shift; run timeout 20 "$RPMVET" closure --no-cache --upstream "$T/$_u" --format json "$@"; }

HELLO_CLOSURE="binutils-2.40-1.x86_64 gcc-12.2-1.x86_64 glibc-2.36-1.x86_64 make-4.3-1.x86_64 perl-5.36.0-1.x86_64 python3-3.11.2-1.x86_64"

# ---- a filelists that is not XML after its first package ----
mirror cut; refl cut 'doc = doc[:doc.index(b"<package", doc.index(b"<package") + 1) + 20]' ||
	echo "Bail out! cannot cut filelists.xml"
cl cut "$BR/hello-br-1.0-1.src.rpm"
is_rc 0 "BuildRequires /usr/bin/perl (primary) over a broken filelists: closes, filelists never read"
jq_is '.packages[0].closure | join(" ")' "$HELLO_CLOSURE" "the same closure as over the intact upstream"
run timeout 20 "$RPMVET" repo closure --no-cache --upstream "$T/cut" --format json
is_rc 1 "repo closure needs no file list either (broken's missing requirement: exit 1)"
jq_is '.checked' 14 "all fourteen packages checked"
cl cut "$BR/needsdata-1.0-1.src.rpm"
is_rc 3 "a path only filelists can answer: the broken filelists is refused"
err_has "rpmvet: error: cannot load upstream '$T/cut': '$T/cut/repodata/$FL' is not well-formed XML: line " \
	"names the upstream, the file and the line"
out_empty "and reports nothing"

# ---- a gzip bomb: 80 MiB of blanks in under 1 MiB ----
mirror bomb
refl bomb 'at = doc.index(b">", doc.index(b"<filelists")) + 1
out = [doc[:at]] + [b" " * (1 << 20)] * 80 + [doc[at:]]
doc = []' || echo "Bail out! cannot make the gzip bomb"
is "$(stat -c %s "$T/bomb/repodata/$FL" | awk '{ print ($1 < 1048576) }')" 1 "(the bomb is smaller than 1 MiB)"
cl bomb "$BR/hello-br-1.0-1.src.rpm"
is_rc 0 "the bomb is not decompressed when primary answers every file dependency"
cl bomb "$BR/needsdata-1.0-1.src.rpm"
is_rc 3 "decompressed when a path needs it: cut off at the cap"
err_has "cannot load upstream '$T/bomb': '$T/bomb/repodata/$FL' decompresses to more than 67108864 bytes" \
	"names the file and the cap"

# ---- entities: a document type declaration is refused ----
mirror dtd
refl dtd 'doc = doc.replace(b"?>\n", b"?>\n<!DOCTYPE filelists [<!ENTITY d \"/opt/tool/share/data.txt\">]>\n", 1).replace(b"<file>/opt/tool/share/data.txt</file>", b"<file>&d;</file>")' ||
	echo "Bail out! cannot write the DTD"
cl dtd "$BR/needsdata-1.0-1.src.rpm"
is_rc 3 "a filelists declaring entities"
err_has "'$T/dtd/repodata/$FL' declares a document type (refused: entities)" "says so"

# ---- what libsolv does with file lists, the scan does too ----
# a path listed without its leading '/'; a package primary does not list
mirror rel
refl rel 'doc = doc.replace(b"<file>/opt/tool/share/data.txt</file>", b"<file>opt/tool/share/data.txt</file>").replace(b"</filelists>", b"<package pkgid=\"00\" name=\"ghost\" arch=\"noarch\"><version epoch=\"0\" ver=\"1\" rel=\"1\"/><file>/opt/ghost/only</file></package></filelists>")' ||
	echo "Bail out! cannot rewrite filelists.xml"
cl rel "$BR/needsdata-1.0-1.src.rpm"
is_rc 0 "a path listed without its leading '/' still answers /opt/tool/share/data.txt"
jq_is '.packages[0].closure | index("datapkg-1.0-1.noarch") != null' true "provided by datapkg"

# directories count, paths in primary come from primary, paths nobody has are named
mkspec "$T/wants.spec" wantsfiles 1.0 1 "" MIT "BuildArch: noarch
BuildRequires: /opt/tool/share
BuildRequires: /usr/bin/as
BuildRequires: /opt/ghost/only"
build_srpms "$T/srpms" "$T/wants.spec" || echo "Bail out! rpmbuild -bs failed: $(cat "$T/rpmbuild.log")"
cl rel "$T/srpms/wantsfiles-1.0-1.src.rpm"
is_rc 1 "a path nobody in primary has stays unresolved"
jq_is '.packages[0].closure | join(" ")' "binutils-2.40-1.x86_64 datapkg-1.0-1.noarch glibc-2.36-1.x86_64" \
	"the directory /opt/tool/share (filelists) gives datapkg, /usr/bin/as (primary) binutils"
jq_is '[.packages[0].unresolved[].dependency] | join(" ")' "/opt/ghost/only" \
	"a package filelists lists but primary does not provides nothing"

# ---- the cache: primary-only first, a filelists path later ----
mirror warm
run "$RPMVET" closure --upstream "$T/warm" --format json "$BR/hello-br-1.0-1.src.rpm"
is_rc 0 "cold, cached: primary answers /usr/bin/perl"
run "$RPMVET" closure --upstream "$T/warm" --format json "$BR/needsdata-1.0-1.src.rpm"
is_rc 0 "warm: a path the cache has not seen reads filelists"
jq_is '.packages[0].closure | index("datapkg-1.0-1.noarch") != null' true "and resolves it"
run "$RPMVET" closure --upstream "$T/warm" --format json "$BR/needsdata-1.0-1.src.rpm" "$BR/hello-br-1.0-1.src.rpm"
is_rc 0 "warm again, both paths recorded"
jq_is '[.packages[].closure | length] | join(" ")' "6 6" "the same closures"

done_testing
