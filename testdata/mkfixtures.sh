#!/bin/bash
# shellcheck disable=SC2154,SC2016,SC2059  # FPR_* are set via eval; literal $ and printf formats are intended
# mkfixtures.sh [OUT] - build the rpmvet test fixtures into OUT (default: testdata/build).
#
# Generates throwaway OpenPGP keys (test-only, no passphrase), builds small SRPMs and noarch
# binary rpms from testdata/specs/, signs them, and derives broken variants. Also builds unsigned
# rpm-md repositories and SRPMs with BuildRequires for the build-closure tests. See README.md.
#
# Cached: if OUT/.complete holds the sha256 of this script and the specs, exits at once.
# Otherwise OUT is wiped and rebuilt. Quiet on success; on failure prints a message (and the
# tail of the build log) on stderr and exits non-zero.
#
# Needs: rpm/rpmbuild/rpmsign 4.18 (Debian 12), gnupg 2.2, createrepo_c, tar, gzip, coreutils, perl.
set -eu
umask 022
export LC_ALL=C TZ=UTC
export SOURCE_DATE_EPOCH=1700000000

prog=mkfixtures
die() {
    echo "$prog: error: $*" >&2
    if [ -n "${LOG:-}" ] && [ -s "$LOG" ]; then
        echo "$prog: --- last lines of $LOG ---" >&2
        tail -n 25 "$LOG" >&2
    fi
    reported=1
    exit 1
}
reported=0

# run DESC CMD...: run CMD quietly (output to the log, stdin from /dev/null); die on failure.
run() {
    local desc=$1; shift
    "$@" </dev/null >>"$LOG" 2>&1 || die "$desc failed: $*"
}

self=$(readlink -f "$0")
here=$(dirname "$self")
specdir=$here/specs
OUT=${1:-$here/build}

for t in rpm rpmbuild rpmsign rpmkeys gpg gpgconf createrepo_c tar gzip sha256sum od dd perl; do
    command -v "$t" >/dev/null 2>&1 || { echo "$prog: error: required tool '$t' not found" >&2; exit 1; }
done
[ -d "$specdir" ] || { echo "$prog: error: spec dir $specdir missing" >&2; exit 1; }

# ---- cache check ---------------------------------------------------------------------------
stamp=$( (cd "$here" && sha256sum mkfixtures.sh specs/*) | sha256sum | cut -d' ' -f1)
if [ -f "$OUT/.complete" ] && [ "$(cat "$OUT/.complete")" = "$stamp" ]; then
    exit 0
fi

# ---- fresh OUT -------------------------------------------------------------------------------
# Only wipe a directory we created ourselves (marker file) or an empty one.
if [ -e "$OUT" ]; then
    if [ -f "$OUT/.mkfixtures-out" ] || [ -z "$(ls -A "$OUT" 2>/dev/null)" ]; then
        rm -rf "$OUT" || { echo "$prog: error: cannot remove $OUT" >&2; exit 1; }
    else
        echo "$prog: error: $OUT exists and was not made by $prog; refusing to wipe it" >&2
        exit 1
    fi
fi
mkdir -p "$OUT" || { echo "$prog: error: cannot create $OUT" >&2; exit 1; }
OUT=$(cd "$OUT" && pwd)
: > "$OUT/.mkfixtures-out"
LOG=$OUT/.build.log
: > "$LOG"

WORK=$(mktemp -d /tmp/mkfx.XXXXXX)
cd "$WORK"                            # all paths below are absolute except the SRPM topdir
export HOME=$OUT/home                 # rpm reads ~/.rpmmacros, gpg/rpm must not see the real home
mkdir -p "$HOME" "$OUT/srpms" "$OUT/rpms" "$OUT/keys" "$OUT/keys-untrusted"
mkdir -m 700 "$OUT/gnupg"
# gpg-agent puts its sockets in the home dir when /run/user/UID is missing; sun_path is limited
# to 108 bytes, so reach a long home through a short symlink.
if [ ${#OUT} -gt 70 ]; then
    ln -s "$OUT/gnupg" "$WORK/g"
    export GNUPGHOME=$WORK/g
else
    export GNUPGHOME=$OUT/gnupg
fi

cleanup() {
    rc=$?
    gpgconf --homedir "$GNUPGHOME" --kill all >/dev/null 2>&1 || true
    rm -rf "$WORK"
    if [ "$rc" -ne 0 ] && [ "$reported" -eq 0 ]; then
        echo "$prog: error: failed (exit $rc); see $LOG" >&2
    fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

g() { gpg --batch --quiet --no-tty --pinentry-mode loopback --passphrase '' "$@"; }

# ---- keys ------------------------------------------------------------------------------------
run "gen rsa key"     g --quick-gen-key 'Fixture RSA <rsa@fixture.test>'         rsa3072 sign never
run "gen ed25519 key" g --quick-gen-key 'Fixture Ed25519 <ed25519@fixture.test>' ed25519 sign never
run "gen other key"   g --quick-gen-key 'Fixture Other <other@fixture.test>'     rsa3072 sign never
run "gen expired key" g --faked-system-time 20200101T000000 \
                        --quick-gen-key 'Fixture Expired <expired@fixture.test>' rsa2048 sign 1d
run "gen revoked key" g --quick-gen-key 'Fixture Revoked <revoked@fixture.test>' rsa3072 sign never
run "gen rsa1024 key" g --quick-gen-key 'Fixture Weak RSA <rsa1024@fixture.test>' rsa1024 sign never
run "gen dsa key"     g --quick-gen-key 'Fixture DSA <dsa@fixture.test>'         dsa2048 sign never
run "gen subkey primary" g --quick-gen-key 'Fixture Subkey <subkey@fixture.test>' rsa3072 cert never
# these two lose their signing capability after they signed (see "drop the sign flag" below)
run "gen nosign key"  g --quick-gen-key 'Fixture No Sign <nosign@fixture.test>'  ed25519 sign never
run "gen nosignsub primary" g --quick-gen-key 'Fixture No Sign Subkey <nosignsub@fixture.test>' ed25519 cert never

# primary_fpr ADDR / signing_fpr ADDR: 40 hex digits from --with-colons.
primary_fpr() {
    gpg --batch --with-colons --list-keys "<$1>" 2>/dev/null |
        awk -F: '$1=="pub"{p=1;next} p&&$1=="fpr"{print $10; exit}'
}
signing_fpr() {
    # the primary if it can sign, else the first subkey that can sign
    gpg --batch --with-colons --list-keys "<$1>" 2>/dev/null |
        awk -F: '$1=="pub"||$1=="sub"{want=($12 ~ /s/); next} want&&$1=="fpr"{print $10; exit}'
}

names="rsa ed25519 other expired revoked rsa1024 dsa subkey nosign nosignsub"
for n in $names; do
    f=$(primary_fpr "$n@fixture.test")
    case $f in [0-9A-F][0-9A-F]*) ;; *) die "no fingerprint for key $n";; esac
    [ ${#f} -eq 40 ] || die "unexpected fingerprint '$f' for key $n"
    eval "FPR_$n=\$f"
done

run "add signing subkey" g --quick-add-key "$FPR_subkey" ed25519 sign never
run "add nosignsub signing subkey" g --quick-add-key "$FPR_nosignsub" ed25519 sign never

: > "$OUT/keys/fingerprints.txt"
for n in $names; do
    p=$(eval "echo \$FPR_$n")
    s=$(signing_fpr "$n@fixture.test")
    [ ${#s} -eq 40 ] || die "no signing key fingerprint for key $n"
    if [ "$n" = subkey ] || [ "$n" = nosignsub ]; then
        [ "$s" != "$p" ] || die "subkey: signing key is the primary"
    else
        [ "$s" = "$p" ] || die "$n: signing key is not the primary"
    fi
    echo "$n $p $s" >> "$OUT/keys/fingerprints.txt"
done

# ---- sources ---------------------------------------------------------------------------------
# The SRPM header stores the expanded spec (%prep etc.), which names %_sourcedir, %_builddir and
# %_buildrootdir: use a relative topdir (cwd is $WORK) and fixed fake build dirs so the header is
# the same on every run. -bs runs no scriptlet, so the fake dirs are never used.
TOP=$WORK/rpmbuild
SRPMDEFS=(
    --define "_topdir rpmbuild"
    --define "_builddir /builddir/build/BUILD"
    --define "_buildrootdir /builddir/build/BUILDROOT"
)
mkdir -p "$TOP/SOURCES" "$TOP/SPECS" "$TOP/BUILD" "$TOP/BUILDROOT" "$TOP/RPMS" "$TOP/SRPMS"
src=$WORK/src/hello-1.0
mkdir -p "$src"
cat > "$src/hello.c" <<'EOF'
#include <stdio.h>

int main(void)
{
	printf("Hello, world\n");
	return 0;
}
EOF
printf 'PREFIX ?= /usr\nCFLAGS ?= -O2\n\nhello: hello.c\n\t$(CC) $(CFLAGS) -o $@ hello.c\n\ninstall: hello\n\tinstall -D -m 0755 hello $(DESTDIR)$(PREFIX)/bin/hello\n' > "$src/Makefile"
printf 'hello 1.0 - rpmvet test fixture source.\n' > "$src/README"
printf 'MIT License\n\nCopyright (c) 2023 Fixture Vendor\n\nPermission is hereby granted, free of charge, to any person obtaining a copy of this\nsoftware, to deal in the Software without restriction. THE SOFTWARE IS PROVIDED "AS IS".\n' > "$src/LICENSE"
find "$WORK/src" -exec touch -h -d "@$SOURCE_DATE_EPOCH" {} +
run "tar hello sources" sh -c 'tar --sort=name --mtime="@$1" --owner=0 --group=0 --numeric-owner \
    --format=gnu -C "$2" -cf - hello-1.0 | gzip -9n > "$3"' sh "$SOURCE_DATE_EPOCH" "$WORK/src" \
    "$TOP/SOURCES/hello-1.0.tar.gz"
printf '%s\n' \
    '--- hello-1.0/hello.c' \
    '+++ hello-1.0/hello.c' \
    '@@ -2,6 +2,6 @@' \
    ' ' \
    ' int main(void)' \
    ' {' \
    '-	printf("Hello, world\n");' \
    '+	printf("Hello, world!\n");' \
    ' 	return 0;' \
    ' }' > "$TOP/SOURCES/hello-fix.patch"
for s in "$specdir"/*.spec; do
    cp "$s" "$TOP/SPECS/"
done
chmod 0644 "$TOP"/SOURCES/* "$TOP"/SPECS/*
touch -d "@$SOURCE_DATE_EPOCH" "$TOP"/SOURCES/* "$TOP"/SPECS/*

RPMDEFS=(
    --define "_topdir $TOP"
    --define "_dbpath $WORK/rpmdb-build"
    --define "_tmppath $WORK/tmp"
    --define "_buildhost fixture.test"
    --define "use_source_date_epoch_as_buildtime 1"
    --define "clamp_mtime_to_source_date_epoch 1"
    --define "_source_payload w9.gzdio"
    --define "_binary_payload w9.gzdio"
    --define "__os_install_post %{nil}"
    --define "_build_id_links none"
    --define "__gpg /usr/bin/gpg"
    --define "_gpg_path $GNUPGHOME"
)
mkdir -p "$WORK/tmp"

# ---- SRPMs -----------------------------------------------------------------------------------
run "rpmbuild -bs hello.spec" rpmbuild --quiet -bs "${RPMDEFS[@]}" "${SRPMDEFS[@]}" rpmbuild/SPECS/hello.spec
base=$TOP/SRPMS/hello-1.0-1.src.rpm
[ -s "$base" ] || die "rpmbuild did not produce $base"

S=$OUT/srpms
for n in unsigned rsa ed25519 otherkey expiredkey revokedkey sha1 rsa1024 dsa subkey nosign nosignsub \
         before-key future; do
    cp "$base" "$S/$n.src.rpm"
done

# sign KEYNAME EXTRA-DEFINES... -- FILES...
sign() {
    local key=$1; shift
    local defs=()
    while [ "$1" != -- ]; do defs+=("$1"); shift; done
    shift
    run "rpmsign with $key key" rpmsign --addsign "${RPMDEFS[@]}" \
        --define "_gpg_name $(eval "echo \$FPR_$key")" "${defs[@]}" "$@"
}
sign rsa     -- "$S/rsa.src.rpm"
sign ed25519 -- "$S/ed25519.src.rpm"
sign other   -- "$S/otherkey.src.rpm"
sign expired --define "_gpg_sign_cmd_extra_args --faked-system-time 20200101T120000" -- "$S/expiredkey.src.rpm"
sign revoked -- "$S/revokedkey.src.rpm"
sign rsa     --define "_gpg_digest_algo sha1" -- "$S/sha1.src.rpm"
sign rsa1024 -- "$S/rsa1024.src.rpm"
sign dsa     -- "$S/dsa.src.rpm"
sign subkey  -- "$S/subkey.src.rpm"
sign nosign  -- "$S/nosign.src.rpm"
sign nosignsub -- "$S/nosignsub.src.rpm"
# signature times: dated before the key existed, and in 2099
sign ed25519 --define "_gpg_sign_cmd_extra_args --faked-system-time 20200101T000000 --ignore-time-conflict" \
    -- "$S/before-key.src.rpm"
sign rsa     --define "_gpg_sign_cmd_extra_args --faked-system-time 20990101T000000" -- "$S/future.src.rpm"

# the same package under other License tags, for the license stage (signed with rsa)
for v in "notallowed:SSPL-1.0" "allowed:MIT AND (Apache-2.0 OR GPL-2.0-or-later)" \
         "legacy:GPLv2+ and MIT" "content:CC-BY-SA-4.0"; do
    label=${v%%:*}
    run "rpmbuild -bs hello.spec (License: ${v#*:})" rpmbuild --quiet -bs "${RPMDEFS[@]}" "${SRPMDEFS[@]}" \
        --define "fixture_license ${v#*:}" --define "_srcrpmdir rpmbuild/lic-$label" rpmbuild/SPECS/hello.spec
    cp "$TOP/lic-$label/hello-1.0-1.src.rpm" "$S/license-$label.src.rpm"
    sign rsa -- "$S/license-$label.src.rpm"
done

# revoke the 'revoked' key after it signed its package
rev=$OUT/gnupg/openpgp-revocs.d/$FPR_revoked.rev
[ -f "$rev" ] || die "revocation certificate $rev missing"
sed 's/^:-----BEGIN PGP PUBLIC KEY BLOCK-----/-----BEGIN PGP PUBLIC KEY BLOCK-----/' "$rev" > "$WORK/revoked.rev"
run "import revocation certificate" g --import "$WORK/revoked.rev"
gpg --batch --with-colons --list-keys "$FPR_revoked" 2>/dev/null | grep -q '^pub:r:' ||
    die "revoked key is not shown as revoked after importing its revocation"

# drop the sign flag after the keys signed: the nosign primary, the nosignsub subkey (-> auth)
edit_key() { # FPR COMMANDS (printf format)
    printf "$2" | gpg --batch --no-tty --pinentry-mode loopback --passphrase '' --expert \
        --command-fd 0 --edit-key "$1" >>"$LOG" 2>&1 || die "gpg --edit-key $1 failed"
}
edit_key "$FPR_nosign" 'change-usage\nS\nQ\nsave\n'
edit_key "$FPR_nosignsub" 'key 1\nchange-usage\nS\nA\nQ\nsave\n'
for n in nosign nosignsub; do
    gpg --batch --with-colons --list-keys "$(eval "echo \$FPR_$n")" 2>/dev/null |
        awk -F: '($1 == "pub" || $1 == "sub") && $12 ~ /s/ { bad = 1 } END { exit bad }' ||
        die "key $n can still sign after change-usage"
done

# key-ID twin: otherkey.src.rpm's signature rewritten to name the trusted rsa key as its issuer
# (the issuer fingerprint subpacket, and the key ID subpacket that is the fingerprint's tail)
cp "$S/otherkey.src.rpm" "$S/keyid-twin.src.rpm"
OLDFPR=$FPR_other NEWFPR=$FPR_rsa perl -0777 -i -pe '
    my ($o, $n) = map { pack "H*", $_ } @ENV{qw(OLDFPR NEWFPR)};
    my $c = s/\Q$o\E/$n/g;
    ($o, $n) = map { substr $_, 12 } $o, $n;
    $c += s/\Q$o\E/$n/g;
    die "issuer of the other key found $c times, expected 2\n" unless $c == 2;' "$S/keyid-twin.src.rpm" \
    2>>"$LOG" || die "cannot rewrite the issuer of keyid-twin.src.rpm"

# ---- broken variants (all from rsa.src.rpm) --------------------------------------------------
size=$(stat -c %s "$S/rsa.src.rpm")

cp "$S/rsa.src.rpm" "$S/header-tampered.src.rpm"
off=$(grep -obUa 'Fixture Vendor' "$S/header-tampered.src.rpm" | head -n 1 | cut -d: -f1)
[ -n "$off" ] || die "'Fixture Vendor' not found in rsa.src.rpm"
printf X | dd of="$S/header-tampered.src.rpm" bs=1 seek="$off" conv=notrunc status=none

cp "$S/rsa.src.rpm" "$S/payload-tampered.src.rpm"
off=$((size - 100))
b=$(od -An -tu1 -j "$off" -N1 "$S/payload-tampered.src.rpm" | tr -d ' ')
printf "$(printf '\\%03o' $((b ^ 255)))" |
    dd of="$S/payload-tampered.src.rpm" bs=1 seek="$off" count=1 conv=notrunc status=none

head -c $((size - 200)) "$S/rsa.src.rpm" > "$S/truncated.src.rpm"
head -c 300 "$S/rsa.src.rpm" > "$S/header-truncated.src.rpm"
: > "$S/empty.src.rpm"
printf 'this is not an rpm\nthis is not an rpm\nthis is not an rpm\nthis is not an rpm\n' > "$S/garbage.src.rpm"

# the header must still be readable in the truncated copy (cut inside the payload)
run "query truncated.src.rpm header" rpm -qp --nosignature --nodigest "${RPMDEFS[@]}" "$S/truncated.src.rpm"

# ---- binary rpms -----------------------------------------------------------------------------
run "rpmbuild -bb fx*.spec" rpmbuild --quiet -bb --nodeps "${RPMDEFS[@]}" \
    "$TOP/SPECS/fxlib.spec" "$TOP/SPECS/fxtool.spec" "$TOP/SPECS/fxdata.spec"
for p in fxlib-1.0-1 fxtool-2.1-3 fxdata-0.5-1; do
    [ -s "$TOP/RPMS/noarch/$p.noarch.rpm" ] || die "rpmbuild did not produce $p.noarch.rpm"
    cp "$TOP/RPMS/noarch/$p.noarch.rpm" "$OUT/rpms/"
done
sign rsa     -- "$OUT/rpms/fxlib-1.0-1.noarch.rpm" "$OUT/rpms/fxtool-2.1-3.noarch.rpm"
sign ed25519 -- "$OUT/rpms/fxdata-0.5-1.noarch.rpm"

# ---- build-closure fixtures: rpm-md repositories and SRPMs with BuildRequires ----------------
# specs/up-*.spec -> upstream/ (14 binary rpms + repodata), specs/cycle-*.spec -> cycle/ (binaries)
# and cycle-src/ (their SRPMs), specs/br-*.spec -> buildreq/ (SRPMs). All unsigned: the build
# closure does not check signatures, and so every byte here, repodata included, is the same on
# every run (createrepo_c: --revision/--set-timestamp-to-revision, rpm mtimes pinned, no sqlite).
BIN=$WORK/bin
# --noclean and no check-files script halve the time (fewer shells per spec); the output is the same
run "rpmbuild -bb up-*.spec cycle-*.spec" rpmbuild --quiet -bb --nodeps --noclean "${RPMDEFS[@]}" \
    --define "__check_files %{nil}" --define "_rpmdir $BIN" \
    --define '_build_name_fmt %%{NAME}-%%{VERSION}-%%{RELEASE}.%%{ARCH}.rpm' \
    "$TOP"/SPECS/up-*.spec "$TOP"/SPECS/cycle-*.spec
upstream_pkgs="glibc-2.36-1.x86_64 binutils-2.40-1.x86_64 make-4.3-1.x86_64 perl-5.36.0-1.x86_64
    python3-3.11.2-1.x86_64 gcc-12.2-1.x86_64 gcc-4.4-1.x86_64 zlib-devel-1.2.13-1.x86_64
    openssl-devel-3.0.9-1.x86_64 datapkg-1.0-1.noarch wantsrich-1.0-1.noarch broken-1.0-1.noarch
    oldtool-1.0-1.noarch newtool-2.0-1.noarch"
cycle_pkgs="pkg-a-1.0-1.noarch pkg-b-1.0-1.noarch"
n=$(find "$BIN" -name '*.rpm' | wc -l)
[ "$n" -eq 16 ] || die "rpmbuild -bb up-*/cycle-* made $n rpms, expected 16"
mkdir -p "$OUT/upstream" "$OUT/cycle"
for p in $upstream_pkgs; do
    [ -s "$BIN/$p.rpm" ] || die "rpmbuild did not produce $p.rpm"
    cp "$BIN/$p.rpm" "$OUT/upstream/"
done
for p in $cycle_pkgs; do
    [ -s "$BIN/$p.rpm" ] || die "rpmbuild did not produce $p.rpm"
    cp "$BIN/$p.rpm" "$OUT/cycle/"
done
n=$(rpm -qp --nosignature --nodigest --qf '%{SOURCERPM}\n' "$OUT"/upstream/*.rpm | sort -u | wc -l)
[ "$n" -eq 14 ] || die "upstream/: $n distinct SOURCERPM tags, expected 14"
touch -d "@$SOURCE_DATE_EPOCH" "$OUT"/upstream/*.rpm "$OUT"/cycle/*.rpm   # primary.xml <time file=>
for r in upstream cycle; do
    run "createrepo_c $r" createrepo_c --quiet --no-database --workers 1 --revision "$SOURCE_DATE_EPOCH" \
        --set-timestamp-to-revision "$OUT/$r"
done

# SRPMs (-bs never checks BuildRequires); the same relative topdir and fake build dirs as hello
run "rpmbuild -bs br-*.spec cycle-*.spec" rpmbuild --quiet -bs "${RPMDEFS[@]}" "${SRPMDEFS[@]}" \
    --define "_srcrpmdir rpmbuild/SRPMS-br" rpmbuild/SPECS/br-*.spec rpmbuild/SPECS/cycle-*.spec
mkdir -p "$OUT/buildreq" "$OUT/cycle-src" "$OUT/buildreq-nosrc"
for p in buildreq/hello-br buildreq/needsdata buildreq/needsmissing buildreq/richforms \
         buildreq/dynamic cycle-src/a cycle-src/b; do
    f=$TOP/SRPMS-br/${p#*/}-1.0-1.src.rpm
    [ -s "$f" ] || die "rpmbuild did not produce $f"
    cp "$f" "$OUT/${p%/*}/"
done
# rpm 4.18: -bs on a spec with %generate_buildrequires gives a normal src.rpm (static BRs plus
# rpmlib(DynamicBuildRequires)); only -br runs the generator. -br --nodeps exits 11 after writing
# NAME.buildreqs.nosrc.rpm, whose requires add the generated BRs. %prep runs here, so the build
# dirs must be real: relative ones keep the header the same on every run.
rc=0
rpmbuild --quiet -br --nodeps "${RPMDEFS[@]}" --define "_topdir rpmbuild" \
    --define "_builddir rpmbuild/BUILD" --define "_buildrootdir rpmbuild/BUILDROOT" \
    --define "_srcrpmdir rpmbuild/SRPMS-dyn" rpmbuild/SPECS/br-dynamic.spec </dev/null >>"$LOG" 2>&1 || rc=$?
[ "$rc" -eq 11 ] || die "rpmbuild -br br-dynamic.spec exited $rc, expected 11"
f=$TOP/SRPMS-dyn/dynamic-1.0-1.buildreqs.nosrc.rpm
[ -s "$f" ] || die "rpmbuild -br did not produce $f"
cp "$f" "$OUT/buildreq-nosrc/"

# self-check: file lists, rich deps and the dynamic-BR marker are where the tests expect them
gzip -dc "$OUT"/upstream/repodata/*-primary.xml.gz > "$WORK/primary.xml" || die "cannot read upstream primary.xml"
gzip -dc "$OUT"/upstream/repodata/*-filelists.xml.gz > "$WORK/filelists.xml" || die "cannot read upstream filelists.xml"
! grep -qF /opt/tool/share/data.txt "$WORK/primary.xml" || die "upstream primary.xml mentions /opt/tool/share/data.txt"
grep -qF '<file>/opt/tool/share/data.txt</file>' "$WORK/filelists.xml" || die "upstream filelists.xml lacks /opt/tool/share/data.txt"
for s in '<file>/usr/bin/perl</file>' '<file>/usr/bin/python3</file>' 'name="libc.so.6()(64bit)"' \
         'name="(zlib-devel if openssl-devel)"' 'name="(python3 or python2)"' 'name="(perl if make)"' \
         '<rpm:entry name="oldtool" flags="LT" epoch="0" ver="2.0"/>' 'name="nonexistent-lib" flags="GE"'; do
    grep -qF "$s" "$WORK/primary.xml" || die "upstream primary.xml lacks $s"
done
q() { rpm -qp --nosignature --nodigest --qf '[%{REQUIRENEVRS}\n]' "$1" 2>>"$LOG"; }
q "$OUT/buildreq/dynamic-1.0-1.src.rpm" | grep -qx 'rpmlib(DynamicBuildRequires) <= 4.15.0-1' ||
    die "dynamic-1.0-1.src.rpm lacks rpmlib(DynamicBuildRequires)"
q "$OUT/buildreq-nosrc/dynamic-1.0-1.buildreqs.nosrc.rpm" | grep -qx perl ||
    die "dynamic-1.0-1.buildreqs.nosrc.rpm lacks the generated BuildRequires perl"
q "$OUT/buildreq/richforms-1.0-1.src.rpm" | grep -qx '(gcc without gcc < 5)' ||
    die "richforms-1.0-1.src.rpm lacks its rich BuildRequires"
q "$OUT/cycle-src/a-1.0-1.src.rpm" | grep -qx pkg-b || die "a-1.0-1.src.rpm does not build-require pkg-b"
q "$OUT/cycle-src/b-1.0-1.src.rpm" | grep -qx pkg-a || die "b-1.0-1.src.rpm does not build-require pkg-a"

# ---- public keys -----------------------------------------------------------------------------
for n in rsa ed25519 expired revoked rsa1024 dsa subkey nosign nosignsub; do
    gpg --batch --armor --export "$(eval "echo \$FPR_$n")" > "$OUT/keys/$n.asc" 2>>"$LOG" ||
        die "export of key $n failed"
done
gpg --batch --armor --export "$FPR_other" > "$OUT/keys-untrusted/other.asc" 2>>"$LOG" ||
    die "export of key other failed"
for f in "$OUT"/keys/*.asc "$OUT/keys-untrusted/other.asc"; do
    c=$(gpg --batch --with-colons --show-keys "$f" 2>/dev/null | grep -c '^pub:' || true)
    [ "$c" = 1 ] || die "$f holds $c keys, expected 1"
done

# throwaway rpmdb holding the trusted keys (keys/*.asc)
run "rpmkeys --import" rpmkeys --dbpath "$OUT/rpmdb" --import "$OUT"/keys/*.asc

# ==== upstream signatures (issue 10 part 2) ======================================================
# SRPMs that embed an upstream tarball with a detached signature and a keyring, signed (rpm) with
# the rsa key. Upstream keys (test-only): upA, upB (upB certified by upA in the "certified"
# keyring, uncertified in the other), and the expired and revoked keys made above. The spec is
# written here; only its Source lines differ. Output: $OUT/upsig/*.src.rpm (see README.md).
run "gen upstream key A" g --quick-gen-key 'Upstream A <upa@upstream.test>' ed25519 sign never
run "gen upstream key B" g --quick-gen-key 'Upstream B <upb@upstream.test>' ed25519 sign never
run "gen upstream key R" g --quick-gen-key 'Upstream Revoked <upr@upstream.test>' ed25519 sign never
FPR_upa=$(primary_fpr upa@upstream.test); FPR_upb=$(primary_fpr upb@upstream.test)
FPR_upr=$(primary_fpr upr@upstream.test)
[ ${#FPR_upa} -eq 40 ] && [ ${#FPR_upb} -eq 40 ] && [ ${#FPR_upr} -eq 40 ] ||
    die "no fingerprint for the upstream keys"
U=$WORK/upsig; mkdir -p "$U" "$OUT/upsig"
gpg --batch --armor --export "$FPR_upa" > "$U/upa.asc" 2>>"$LOG" || die "export of upa failed"
gpg --batch --export "$FPR_upa" > "$U/upa.gpg" 2>>"$LOG" || die "export of upa failed"
gpg --batch --armor --export "$FPR_upb" > "$U/upb.asc" 2>>"$LOG" || die "export of upb failed"
run "certify upstream key B with A" g --default-key "$FPR_upa" --quick-sign-key "$FPR_upb"
gpg --batch --armor --export "$FPR_upa" "$FPR_upb" > "$U/upab-cert.asc" 2>>"$LOG" || die "export of upa+upb failed"
printf '%s %s\n' upa "$FPR_upa" upb "$FPR_upb" > "$OUT/upsig/fingerprints.txt"
# upsig NAME VERSION RELEASE KEY(-: unsigned) SIGEXT(asc|sig|-) KEYRING-SRC KEYRING-NAME [bad|orphan]
# KEYRING-SRC: a key file, - for none, or @revoke: KEY revoked after it signed, then exported
upsig() {
    local name=$1 ver=$2 rel=$3 key=$4 ext=$5 kr=$6 krname=$7 how=${8:-}
    local d=$U/$name-$ver-$rel tb=$name-$ver.tar.gz srcs="" i=0
    mkdir -p "$d/src/$name-$ver"
    printf '%s %s - upstream fixture\n' "$name" "$ver" > "$d/src/$name-$ver/README"
    touch -h -d "@$SOURCE_DATE_EPOCH" "$d/src/$name-$ver" "$d/src/$name-$ver/README"
    tar --sort=name --mtime="@$SOURCE_DATE_EPOCH" --owner=0 --group=0 --numeric-owner --format=gnu \
        -C "$d/src" -cf - "$name-$ver" | gzip -9n > "$d/$tb" || die "tar $tb failed"
    if [ "$key" != - ]; then
        local sigopt=(--detach-sign) signame=$tb.$ext faked=()
        [ "$ext" = asc ] && sigopt=(--armor --detach-sign)
        [ "$key" = expired ] && faked=(--faked-system-time 20200101T120000)
        [ "$how" = orphan ] && signame=$name-other.tar.gz.$ext
        run "upstream signature $name" g "${faked[@]}" -u "$(eval "echo \$FPR_$key")" "${sigopt[@]}" \
            -o "$d/$signame" "$d/$tb"
        [ "$how" = bad ] && { printf 'tampered\n' | gzip -9n >> "$d/$tb" || die "tamper $tb failed"; }
        srcs="$srcs $signame"
    fi
    if [ "$kr" = @revoke ]; then
        sed 's/^:-----BEGIN PGP PUBLIC KEY BLOCK-----/-----BEGIN PGP PUBLIC KEY BLOCK-----/' \
            "$OUT/gnupg/openpgp-revocs.d/$(eval "echo \$FPR_$key").rev" > "$d/rev.asc" || die "no revocation for $key"
        run "revoke $key" g --import "$d/rev.asc"
        gpg --batch --armor --export "$(eval "echo \$FPR_$key")" > "$d/$krname" 2>>"$LOG" || die "export of $key failed"
        srcs="$srcs $krname"
    elif [ "$kr" != - ]; then
        cp "$kr" "$d/$krname"; srcs="$srcs $krname"
    fi
    {
        printf 'Name: %s\nVersion: %s\nRelease: %s\nSummary: upstream signature fixture\n' "$name" "$ver" "$rel"
        printf 'License: MIT\nURL: https://upstream.test/%s\nSource0: %s\n' "$name" "$tb"
        for f in $srcs; do i=$((i + 1)); printf 'Source%d: %s\n' "$i" "$f"; done
        printf '\n%%description\nUpstream signature fixture for rpmvet.\n\n%%prep\n%%setup -q\n\n%%files\n\n'
        printf '%%changelog\n* Tue Nov 14 2023 Fixture Packager <packager@fixture.test> - %s-%s\n- fixture\n' "$ver" "$rel"
    } > "$d/$name.spec"
    find "$d" -maxdepth 1 -type f -exec touch -d "@$SOURCE_DATE_EPOCH" {} +
    run "rpmbuild -bs $name-$ver-$rel" rpmbuild --quiet -bs "${RPMDEFS[@]}" "${SRPMDEFS[@]}" \
        --define "_sourcedir $d" --define "_srcrpmdir $d" "$d/$name.spec"
    [ -s "$d/$name-$ver-$rel.src.rpm" ] || die "rpmbuild did not produce $name-$ver-$rel.src.rpm"
    cp "$d/$name-$ver-$rel.src.rpm" "$OUT/upsig/"
}
upsig up-good     1.0 1 upa     asc "$U/upa.asc"  upsig.keyring
upsig up-binary   1.0 1 upa     sig "$U/upa.gpg"  gpgkey-upstream.gpg
upsig up-bad      1.0 1 upa     sig "$U/upa.gpg"  upstream.gpg bad
upsig up-nokeyring 1.0 1 upa    asc -             -
upsig up-nosig    1.0 1 -       -   "$U/upa.asc"  KEYS.asc
upsig up-unknown  1.0 1 upb     asc "$U/upa.asc"  upstream.keyring
upsig up-expired  1.0 1 expired asc "$OUT/keys/expired.asc" upstream.keyring
upsig up-revoked  1.0 1 upr     asc @revoke       upstream.keyring
upsig up-orphan   1.0 1 upa     asc "$U/upa.asc"  upstream.keyring orphan
upsig up-plain    1.0 1 -       -   -             -
# key continuity: 1.0 by A; 2.0-1 by B certified by A (keyring A+B); 2.0-2 by B, uncertified
upsig upkey       1.0 1 upa     asc "$U/upa.asc"  upkey.keyring
upsig upkey       2.0 1 upb     asc "$U/upab-cert.asc" upkey.keyring
upsig upkey       2.0 2 upb     asc "$U/upb.asc"  upkey.keyring
sign rsa -- "$OUT"/upsig/*.src.rpm
# self-check: the signatures verify (or not) with gpg as the tests expect
gpg --batch --verify "$U/up-good-1.0-1/up-good-1.0.tar.gz.asc" "$U/up-good-1.0-1/up-good-1.0.tar.gz" \
    >>"$LOG" 2>&1 || die "upstream self-check: up-good does not verify"
! gpg --batch --verify "$U/up-bad-1.0-1/up-bad-1.0.tar.gz.sig" "$U/up-bad-1.0-1/up-bad-1.0.tar.gz" \
    >>"$LOG" 2>&1 || die "upstream self-check: up-bad verifies"
# ==== end of upstream signatures ================================================================

# ==== sources ledger (issue 10 part 1) ==========================================================
# ledger/provsrc-1.0-1.src.rpm embeds a tarball (Source0), a text file (Source1) and a patch;
# ledger/*.sources are its ledgers (good, bad, missing, extra, md5, mixed, unparseable, hostile);
# ledger/checkout/ is its dist-git checkout; ledger/provsrc-hostile-1.0-1.src.rpm embeds a file
# whose name holds an escape sequence.  Signed with rsa.
LD=$WORK/ledger
mkdir -p "$LD/src/provsrc-1.0" "$OUT/ledger/checkout"
echo 'int main(void) { return 0; }' > "$LD/src/provsrc-1.0/main.c"
touch -h -d "@$SOURCE_DATE_EPOCH" "$LD/src/provsrc-1.0" "$LD/src/provsrc-1.0/main.c"
tar --sort=name --mtime="@$SOURCE_DATE_EPOCH" --owner=0 --group=0 --numeric-owner --format=gnu \
    -C "$LD/src" -cf - provsrc-1.0 | gzip -9n > "$LD/provsrc-1.0.tar.gz" || die "tar provsrc failed"
echo 'extra data' > "$LD/provsrc-extra.txt"
printf -- '--- a/main.c\n+++ b/main.c\n' > "$LD/provsrc-fix.patch"
hostile=$(printf 'bad\033[31mname.txt')
echo 'hostile' > "$LD/$hostile"
ledger_spec() { # NAME EXTRA-SOURCE-LINE
    printf 'Name: %s\nVersion: 1.0\nRelease: 1\nSummary: sources ledger fixture\nLicense: MIT\n' "$1"
    printf 'Source0: provsrc-1.0.tar.gz\nSource1: provsrc-extra.txt\nPatch0: provsrc-fix.patch\n%s\n' "$2"
    printf '\n%%description\nSources ledger fixture for rpmvet.\n\n%%prep\n%%setup -q -n provsrc-1.0\n\n%%files\n\n'
    printf '%%changelog\n* Tue Nov 14 2023 Fixture Packager <packager@fixture.test> - 1.0-1\n- fixture\n'
}
ledger_spec provsrc "" > "$LD/provsrc.spec"
ledger_spec provsrc-hostile "Source2: $hostile" > "$LD/provsrc-hostile.spec"
find "$LD" -maxdepth 1 -type f -exec touch -d "@$SOURCE_DATE_EPOCH" {} +
for n in provsrc provsrc-hostile; do
    run "rpmbuild -bs $n" rpmbuild --quiet -bs "${RPMDEFS[@]}" "${SRPMDEFS[@]}" \
        --define "_sourcedir $LD" --define "_srcrpmdir $OUT/ledger" "$LD/$n.spec"
    [ -s "$OUT/ledger/$n-1.0-1.src.rpm" ] || die "rpmbuild did not produce $n-1.0-1.src.rpm"
done
sign rsa -- "$OUT"/ledger/*.src.rpm
ltag() { printf '%s (%s) = %s\n' "$1" "$2" "$("$(echo "$1" | tr A-Z a-z)sum" < "$LD/$2" | cut -d' ' -f1)"; }
L=$OUT/ledger
ltag SHA512 provsrc-1.0.tar.gz > "$L/good.sources"
printf 'SHA512 (provsrc-1.0.tar.gz) = %0128d\n' 0 > "$L/bad.sources"
{ ltag SHA512 provsrc-1.0.tar.gz; printf 'SHA512 (provsrc-2.0.tar.gz) = %0128d\n' 1; } > "$L/missing.sources"
{ ltag SHA512 provsrc-1.0.tar.gz; ltag SHA512 provsrc-extra.txt; ltag SHA512 provsrc-fix.patch; } > "$L/extra.sources"
printf '%s  provsrc-1.0.tar.gz\n' "$(md5sum < "$LD/provsrc-1.0.tar.gz" | cut -d' ' -f1)" > "$L/md5.sources"
{ ltag SHA512 provsrc-1.0.tar.gz; ltag SHA256 provsrc-extra.txt; } > "$L/mixed.sources"
{ ltag SHA512 provsrc-1.0.tar.gz; echo 'this is not a sources line'; } > "$L/unparseable.sources"
{ ltag SHA512 provsrc-1.0.tar.gz; printf 'SHA512 (../../etc/passwd) = %0128d\n' 2; } > "$L/hostile.sources"
cp "$L/good.sources" "$L/checkout/sources"
cp "$LD/provsrc.spec" "$LD/provsrc-extra.txt" "$LD/provsrc-fix.patch" "$L/checkout/"
printf 'stuff\n' > "$L/checkout/README.md"
mkdir -p "$L/checkout/.git"
# self-check: the good ledger matches the embedded tarball, the hostile name is in the payload
rpm -qp --qf '[%{FILENAMES} %{FILEDIGESTS}\n]' "$L/provsrc-1.0-1.src.rpm" 2>>"$LOG" |
    grep -qxF "provsrc-1.0.tar.gz $(sha256sum < "$LD/provsrc-1.0.tar.gz" | cut -d' ' -f1)" ||
    die "ledger self-check: the embedded tarball is not the one the ledgers list"
rpm -qpl "$L/provsrc-hostile-1.0-1.src.rpm" 2>>"$LOG" | grep -qF "$hostile" || die "ledger self-check: no hostile name"
# extra embedded source: extra.sources lists the patch too; good.sources leaves the extra text unlisted
# ==== end of sources ledger =====================================================================

# ---- self-check of the version-independent outcomes ------------------------------------------
ck() {  # ck EXPECT(ok|fail) FILE
    if rpmkeys --dbpath "$OUT/rpmdb" --define '_pkgverify_level all' --checksig "$2" </dev/null >>"$LOG" 2>&1; then
        [ "$1" = ok ] || die "self-check: $(basename "$2") verified OK, expected failure"
    else
        [ "$1" = fail ] || die "self-check: $(basename "$2") failed to verify, expected OK"
    fi
}
for f in rsa ed25519 subkey; do ck ok "$S/$f.src.rpm"; done
for f in unsigned otherkey keyid-twin header-tampered payload-tampered truncated header-truncated empty garbage; do
    ck fail "$S/$f.src.rpm"
done
for f in "$OUT"/rpms/*.rpm; do ck ok "$f"; done

# ---- stop the agent and make sure it is gone -------------------------------------------------
gpgconf --homedir "$GNUPGHOME" --kill all >/dev/null 2>&1 || true
agent_alive() {
    ps -eo args= | awk -v h="$GNUPGHOME" '$1 ~ /(^|\/)gpg-agent$/ {
        for (i = 2; i < NF; i++) if ($i == "--homedir" && $(i + 1) == h) found = 1 }
        END { exit !found }'
}
i=0
while agent_alive; do
    i=$((i + 1))
    [ "$i" -le 50 ] || die "gpg-agent for $GNUPGHOME is still running"
    sleep 0.1
done

echo "$stamp" > "$OUT/.complete"
