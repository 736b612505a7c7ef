#!/bin/sh
# SPDX-License-Identifier: MIT
# The repodata of a curated repository as consumers read it: dnf (offline,
# file:// repository) and the rpm-md files themselves.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/data/repo-lib.sh"
need_fixtures
command -v dnf >/dev/null 2>&1 || skip_all "dnf is not installed"

R="$T/repo"
new_repo "$R" || { echo "Bail out! cannot make the repository"; exit 1; }

# dnf, offline, on this repository only; a fresh cache each time so nothing stale is read
n=0
dnfq() {
	n=$((n + 1))
	dnf -q --disableplugin='*' --setopt=reposdir=/dev/null --setopt=cachedir="$T/dnf$n/cache" \
		--installroot "$T/dnf$n/root" --releasever 1 --forcearch x86_64 \
		--repofrompath=cur,"file://$R" --repo cur --setopt=cur.gpgcheck=0 \
		repoquery --arch noarch,src,x86_64 --qf '%{name}-%{evr}.%{arch} %{location}' "$@"
}
md_href() { xmllint --xpath "string(//*[local-name()='data'][@type='$1']/*[local-name()='location']/@href)" "$R/repodata/repomd.xml"; }

run dnfq
is_rc 0 "dnf reads the empty repository"
out_empty "no packages"

run rpmvet admit --repo "$R" "$FX/srpms/rsa.src.rpm" "$FX"/rpms/fx*.rpm
is_rc 0 "admit four packages"
run dnfq
is_rc 0 "dnf repoquery"
is "$(sort "$T/out")" "fxdata-0.5-1.noarch Packages/fxdata-0.5-1.noarch.rpm
fxlib-1.0-1.noarch Packages/fxlib-1.0-1.noarch.rpm
fxtool-2.1-3.noarch Packages/fxtool-2.1-3.noarch.rpm
hello-1.0-1.src Packages/hello-1.0-1.src.rpm" "dnf lists exactly the admitted packages and their files"
run dnfq --whatprovides libfx
is "$(cat "$T/out")" "fxlib-1.0-1.noarch Packages/fxlib-1.0-1.noarch.rpm" "dnf resolves a Provides"
run dnfq --whatprovides /opt/fx/share/data.txt
is "$(cat "$T/out")" "fxdata-0.5-1.noarch Packages/fxdata-0.5-1.noarch.rpm" "dnf resolves a file from filelists"
run dnfq --requires fxtool
out_has "fxlib >= 1.0" "dnf sees fxtool's Requires"

# the rpm-md files: repomd.xml names primary, filelists and other; each file matches its checksum
for t in primary filelists other; do
	h=$(md_href $t)
	case $h in repodata/*-$t.xml.gz) r=0 ;; *) r=1 ;; esac
	ok $r "repomd.xml lists $t ($h)"
	sum=$(xmllint --xpath "string(//*[local-name()='data'][@type='$t']/*[local-name()='checksum'])" "$R/repodata/repomd.xml")
	is "$(sha "$R/$h")" "$sum" "$t matches its checksum in repomd.xml"
	zcat "$R/$h" | xmllint --noout - 2>/dev/null; ok $? "$t is well-formed XML"
done
for p in hello fxlib fxtool fxdata; do
	zcat "$R/$(md_href primary)" | grep -q "<name>$p</name>"; ok $? "primary names $p"
done
is "$(zcat "$R/$(md_href primary)" | grep -o 'packages="[0-9]*"')" 'packages="4"' "primary counts 4 packages"
is "$(zcat "$R/$(md_href filelists)" | grep -c '<package ')" 4 "filelists has 4 packages"
is "$(zcat "$R/$(md_href other)" | grep -c '<package ')" 4 "other has 4 packages"
zcat "$R/$(md_href other)" | grep -q 'Initial fixture package'; ok $? "other carries the changelog"
zcat "$R/$(md_href primary)" | grep -q "<checksum type=\"sha256\" pkgid=\"YES\">$(sha "$FX/rpms/fxlib-1.0-1.noarch.rpm")</checksum>"
ok $? "primary carries each package's sha256"
zcat "$R/$(md_href primary)" | grep -q "<size package=\"$(stat -c %s "$FX/srpms/rsa.src.rpm")\""
ok $? "and its size"
is "$(ls "$R/repodata" | wc -l)" 4 "no stale metadata files are left in repodata/"

# createrepo_c reads the repository too: --update reuses the metadata of unchanged packages
if command -v createrepo_c >/dev/null 2>&1; then
	cp -r "$R" "$T/copy"
	run createrepo_c --update --quiet "$T/copy"
	is_rc 0 "createrepo_c --update accepts the repository"
	is "$(zcat "$T/copy/repodata/"*-primary.xml.gz | grep -o '<name>[^<]*</name>' | sort | tr '\n' ' ')" \
		"<name>fxdata</name> <name>fxlib</name> <name>fxtool</name> <name>hello</name> " \
		"and describes the same packages"
fi

# after a remove, dnf no longer sees the package
run rpmvet remove --repo "$R" --reason "no longer wanted" fxdata-0.5-1.noarch
is_rc 0 "remove fxdata"
run dnfq
is "$(sort "$T/out" | cut -d' ' -f1 | tr '\n' ' ')" "fxlib-1.0-1.noarch fxtool-2.1-3.noarch hello-1.0-1.src " "dnf no longer lists it"
run dnfq --whatprovides /opt/fx/share/data.txt
out_empty "nor its files"
is "$(ls "$R/repodata" | wc -l)" 4 "the old metadata files are gone"

# a replacement and a new version appear as such
mkdir -p "$T/specs"
mkspec "$T/specs/h2.spec" hello 2.0 1
if build_srpms "$T/pkgs" "$T/specs/h2.spec" && sign_pkgs ed25519 "$T/pkgs/hello-2.0-1.src.rpm"; then
	run rpmvet admit --repo "$R" "$T/pkgs/hello-2.0-1.src.rpm"
	is_rc 0 "admit hello-2.0"
	run dnfq hello
	is "$(sort "$T/out" | cut -d' ' -f1 | tr '\n' ' ')" "hello-1.0-1.src hello-2.0-1.src " "dnf sees both versions"
else
	echo "Bail out! cannot build or sign hello-2.0"
	exit 1
fi

done_testing
