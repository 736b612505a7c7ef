#!/bin/bash
# shellcheck disable=SC2034,SC2154,SC2317  # CMD_*/LABEL_*/MED_* are used through namerefs and printf -v; cleanup runs from a trap
# bench/closure.sh - benchmark of `rpmvet closure` and `rpmvet repo closure` against dnf repoclosure.
#
# Usage (from the project root, after `make`):
#     bash bench/closure.sh
#
# Environment:
#     BENCH_OUT=DIR       where data goes (default: bench/out, git-ignored). Cached there (stamp
#                         closure/.stamp): closure/upstream/ (rpm-md metadata of BENCH_CLOSURE_PKGS
#                         binary packages, no .rpm files), closure/srpms/ (100 tiny SRPMs),
#                         closure/expected-unresolved.txt (the names the generator made unresolvable).
#                         Rebuilt each run: results/ (tables, outputs of the check runs).
#     BENCH_RUNS=N        timed runs per command (default 3; the median is reported).
#     BENCH_CLOSURE_PKGS=N   binary packages in the generated repository (default 20000).
#     BENCH_GENERATE_ONLY=1  build the cached data if missing, then exit 0 without benchmarking.
#     RPMVET=PATH         the binary to benchmark (default: ./rpmvet; copied before use, so a
#                         concurrent `make` cannot swap it mid-run).
#
# What it does:
#  1. Once: an upstream rpm-md repository written directly (building 20,000 real rpms would take
#     minutes; see API-NOTES section 5: rpmbuild of 10,000 subpackages takes 81 s). One awk pass
#     writes primary.xml, filelists.xml and other.xml (no changelogs) in createrepo_c's format;
#     they are gzipped and repomd.xml is written with their sha256 and sizes (open and gzipped).
#     The packages p00001..pNNNNN come from 5,000 source packages (4 binaries each, same EVR, a
#     few with epoch 1), 6/7 x86_64 and 1/7 noarch, with 5-44 files each (filelists) of which only
#     /usr/bin/* reaches primary, as createrepo_c does. Dependency fan-out is tiered like a
#     distribution: 300 "core" packages need only lower core packages; "libraries" (up to 5,000)
#     need mostly core, some libraries; "applications" need core and libraries, rarely other
#     applications, very rarely anything (cycles). Each package requires 3-8 others: plain names,
#     `>=` versions, `=` EVR of a sibling from the same source, sonames `libpN.so.1()(64bit)`,
#     paths only in filelists (/usr/share/pN/data), /usr/bin/pN, and `/bin/sh` (pre) for 10 %.
#     2 % carry a rich dependency: (a or b), (a >= v or b), (a if b), (missing or a),
#     (a if missing). Exactly 100 (0.5 %; 10 libraries, 90 applications) get one unresolvable
#     requirement: a missing name (70), a missing name as Requires(pre) (10), a version no package
#     has (10), a path no package has (10);
#     their names go to expected-unresolved.txt. An SRPM's build closure holds about 80-850
#     packages.
#     Plus 100 SRPMs (rpmbuild -bs, one spec file each, no sources) with 3-10 BuildRequires on
#     the generated packages (names, `>=`, paths from filelists, sonames, rich (a or b)/(a if b));
#     5 of them also need a name that no package provides.
#  2. Check runs (untimed, outputs kept under results/): every command must run (exit 0 or 1;
#     1 = something unresolved); `rpmvet closure --format json` must give a result without
#     "error" for every SRPM.
#  3. Median of BENCH_RUNS timed runs, warm page cache, of
#       (a) rpmvet closure --no-cache --upstream UP --format json  <the 100 SRPMs>
#       (b) rpmvet repo closure --no-cache --upstream UP
#       (c) dnf repoclosure (API-NOTES section 5 invocation) with a fresh installroot and cachedir
#           per run: no .solv cache, what rpmvet always does
#       (d) (info) dnf repoclosure with a warm cache (the .solv files of an untimed run kept)
#       (e) (info) rpmvet closure of ONE SRPM: loading the repository, not resolving
#       (f) (a) and (g) (b) with rpmvet's .solv cache warm (written by the untimed check run)
#     and the peak RSS of (a), (b) and (c) (GNU time %M; `apt-get install -y time` as root if missing).
#  4. Agreement: the set of package names with unresolved requirements from rpmvet repo closure
#     (JSON when `--format json` works, text otherwise) against dnf repoclosure's
#     "package: NEVRA from REPO" lines, and both against the generator's list; also the
#     (package, unresolved dependency) pairs of the two tools. Disagreements are printed with
#     examples; they do not change the exit status.
#  5. A table with medians, ratios against dnf (targets: (a)/(c), (b)/(c), cold, and (f)/(d),
#     (g)/(d), warm, each <= 0.5),
#     peak memory, agreement; saved under OUT/results/.
#
# Duration (2 vCPUs): generating the data once ~2 s (cached); the benchmark ~1-1.5 min, most of
# it dnf (4 cold runs of ~2.3 s plus their start-up) and the repo closure runs.
#
# Exit status: 0 when everything ran (even if a target is NOT met or the tools disagree);
# non-zero if something failed to run.
# Needs bash >= 4.3, rpmbuild 4.18, dnf 4 with dnf-plugins-core (repoclosure), gzip, sha256sum,
# jq, coreutils, awk (mawk is enough).

# `sh bench/closure.sh` (dash on Debian): re-run under bash before any bash syntax is parsed.
if [ -z "${BASH_VERSION:-}" ]; then
    exec bash "$0" "$@"
fi

. "$(dirname "$0")/lib.sh"

RPMVET_SRC=${RPMVET:-$ROOT/rpmvet}
RUNS=${BENCH_RUNS:-3}
N_PKG=${BENCH_CLOSURE_PKGS:-20000}
case $RUNS in ''|*[!0-9]*|0) die "BENCH_RUNS must be a positive number, not '$RUNS'";; esac
case $N_PKG in ''|*[!0-9]*) die "BENCH_CLOSURE_PKGS must be a number, not '$N_PKG'";; esac
if [ "$N_PKG" -lt 10000 ] || [ "$N_PKG" -gt 99999 ]; then die "BENCH_CLOSURE_PKGS must be 10000-99999"; fi

# ---- parameters of the generated data (change DATA_VERSION when changing the generator) -------
DATA_VERSION=1
SEED=20261124            # minstd LCG seed (exact in any awk's doubles)
N_CORE=300
N_LIBS=5000              # packages 1..N_LIBS are core + libraries, the rest applications
PER_SRC=4                # binaries per source package: N_PKG / 4 = 5,000 sources
N_SRPM=100
REPO_ID=up               # dnf's name for the repository

for t in rpm rpmbuild dnf gzip sha256sum jq awk sort comm stat head cat; do
    command -v "$t" >/dev/null 2>&1 || die "required tool '$t' not found"
done
[ -x "$RPMVET_SRC" ] || die "$RPMVET_SRC not found or not executable: run 'make' first"

OUT=${BENCH_OUT:-$ROOT/bench/out}
mkdir -p "$OUT" || die "cannot create $OUT"
OUT=$(cd "$OUT" && pwd)
DATA=$OUT/closure
UP=$DATA/upstream
SRPMDIR=$DATA/srpms

TMPD=$(mktemp -d "${TMPDIR:-/tmp}/rpmvet-bench-closure.XXXXXX")
export HOME=$TMPD/home            # keep ~/.rpmmacros and dnf's user state out of it
mkdir -p "$HOME"
GEN=                              # generation scratch dir, removed on exit

cleanup() {
    local rc=$?
    [ -z "$GEN" ] || rm -rf "$GEN"
    rm -rf "$TMPD"
    exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# Copy the binary so that a concurrent `make` cannot swap it in the middle of the runs.
RPMVET=$TMPD/rpmvet
cp "$RPMVET_SRC" "$RPMVET"

# run_log LOG DESC CMD...: run CMD with its output in LOG; on failure show the tail and die.
run_log() {
    local lf=$1 desc=$2
    shift 2
    if ! "$@" </dev/null >>"$lf" 2>&1; then
        tail -n 20 "$lf" >&2
        die "$desc failed (log: $lf)"
    fi
}

# ---- 1. the data -----------------------------------------------------------------------------
STAMP_TEXT="rpmvet-bench closure v$DATA_VERSION seed=$SEED pkgs=$N_PKG core=$N_CORE libs=$N_LIBS per_src=$PER_SRC srpms=$N_SRPM"

# gen_metadata DIR: DIR/primary.xml, filelists.xml, other.xml, pkgs.tsv, expected-unresolved.txt
gen_metadata() {
    awk -v dir="$1" -v N="$N_PKG" -v CORE="$N_CORE" -v LIBS="$N_LIBS" -v PER="$PER_SRC" \
        -v seed="$SEED" '
    function rnd(n) { x = (x * 16807) % 2147483647; return x % n }
    function unif() { x = (x * 16807) % 2147483647; return x / 2147483647 }
    function pn(i) { return sprintf("p%05d", i) }
    function xa(s) { gsub(/&/, "\\&amp;", s); gsub(/</, "\\&lt;", s); gsub(/>/, "\\&gt;", s); return s }
    # attributes of a versioned entry: flags epoch ver [rel]
    function ent(name, flags, e, v, r,   s) {
        s = "      <rpm:entry name=\"" xa(name) "\""
        if (flags != "") {
            s = s " flags=\"" flags "\" epoch=\"" e "\" ver=\"" v "\""
            if (r != "") s = s " rel=\"" r "\""
        }
        return s "/>"
    }
    # a dependency target for package i (tiers; see the header of bench/closure.sh)
    function target(i,   r, u, lim) {
        r = rnd(1000)
        if (i <= CORE) { lim = i - 1; if (lim < 1) return 0; u = unif(); return 1 + int(lim * u * u) }
        if (i <= LIBS) {
            if (r < 780) { u = unif(); return 1 + int(CORE * u * u) }
            return CORE + 1 + rnd(i - CORE)
        }
        if (r < 500) { u = unif(); return 1 + int(CORE * u * u) }
        if (r < 940) { u = unif(); return CORE + 1 + int((LIBS - CORE) * u * u) }
        if (r < 998) return LIBS + 1 + rnd(i - LIBS)
        return 1 + rnd(N)
    }
    BEGIN {
        x = seed
        NSRC = int((N + PER - 1) / PER)
        P = dir "/primary.xml"; F = dir "/filelists.xml"; O = dir "/other.xml"
        T = dir "/pkgs.tsv"; X = dir "/expected-unresolved.txt"
        # package attributes first (requirements need the targets EVR)
        for (i = 1; i <= N; i++) {
            s = 1 + int((i - 1) / PER); src[i] = s
            ep[i] = (s % 61 == 0) ? 1 : 0
            ve[i] = (1 + s % 9) "." (s % 17) "." (s % 4)
            re[i] = (1 + s % 3) ".rv1"
            ar[i] = (i % 7 == 0) ? "noarch" : "x86_64"
            lib[i] = (ar[i] == "x86_64" && i <= LIBS && i % 3 != 0)
            bin[i] = (i % 4 == 1)
        }
        # exactly 10 broken libraries and 90 broken applications
        nb = 0
        while (nb < 10) { j = CORE + 1 + rnd(LIBS - CORE); if (!(j in broken)) { broken[j] = nb % 10; nb++ } }
        while (nb < 100) { j = LIBS + 1 + rnd(N - LIBS); if (!(j in broken)) { broken[j] = nb % 10; nb++ } }
        for (j in broken) print pn(j) > X
        close(X)

        ns = "xmlns=\"http://linux.duke.edu/metadata/common\" xmlns:rpm=\"http://linux.duke.edu/metadata/rpm\""
        printf "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<metadata %s packages=\"%d\">\n", ns, N > P
        printf "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<filelists xmlns=\"http://linux.duke.edu/metadata/filelists\" packages=\"%d\">\n", N > F
        printf "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<otherdata xmlns=\"http://linux.duke.edu/metadata/other\" packages=\"%d\">\n", N > O

        for (i = 1; i <= N; i++) {
            n = pn(i); s = src[i]
            pkgid = sprintf("%08x", i)
            for (k = 0; k < 7; k++) pkgid = pkgid sprintf("%08x", rnd(2147483647))
            nvra = n "-" ve[i] "-" re[i] "." ar[i]
            ver = "<version epoch=\"" ep[i] "\" ver=\"" ve[i] "\" rel=\"" re[i] "\"/>"
            nfiles = 5 + rnd(40)
            isz = 0

            # files: dirs and files of the package; /usr/bin/* also in primary
            nf = 0; delete fl; delete ft
            fl[++nf] = "/usr/share/" n; ft[nf] = "dir"
            fl[++nf] = "/usr/share/" n "/data"; ft[nf] = ""
            fl[++nf] = "/usr/share/doc/" n; ft[nf] = "dir"
            fl[++nf] = "/usr/share/doc/" n "/README"; ft[nf] = ""
            if (bin[i]) { fl[++nf] = "/usr/bin/" n; ft[nf] = "" }
            if (i == 1) { fl[++nf] = "/usr/bin/sh"; ft[nf] = ""; fl[++nf] = "/usr/bin/bash"; ft[nf] = "" }
            if (lib[i]) { fl[++nf] = "/usr/lib64/lib" n ".so.1"; ft[nf] = ""; fl[++nf] = "/usr/lib64/lib" n ".so.1.0.0"; ft[nf] = "" }
            for (k = nf; k < nfiles; k++) { fl[++nf] = sprintf("/usr/share/%s/f%02d.dat", n, k); ft[nf] = "" }

            # requirements
            nr = 0; delete rq; delete seen
            k = 3 + rnd(6)
            for (t = 0; t < k && t < 50; t++) {     # 3-8 distinct targets (fewer in the first core)
                j = target(i)
                if (j < 1 || j == i || (j in seen)) { k++; continue }
                seen[j] = 1
                r = rnd(100); m = pn(j)
                if (r < 60) rq[++nr] = ent(m)
                else if (r < 75) rq[++nr] = ent(m, "GE", ep[j], (rnd(2) ? ve[j] : "1.0"))
                else if (r < 83) rq[++nr] = ent("/usr/share/" m "/data")
                else if (r < 88 && bin[j]) rq[++nr] = ent("/usr/bin/" m)
                else if (r < 95 && lib[j] && ar[i] == "x86_64") rq[++nr] = ent("lib" m ".so.1()(64bit)")
                else rq[++nr] = ent(m)
            }
            # a sibling from the same source, by exact EVR (foo-libs = %{version}-%{release})
            if ((i - 1) % PER != 0 && rnd(2)) rq[++nr] = ent(pn(i - 1), "EQ", ep[i], ve[i], re[i])
            if (i > 1 && rnd(10) == 0) rq[++nr] = "      <rpm:entry name=\"/bin/sh\" pre=\"1\"/>"
            # 2 % rich
            if (i > CORE && rnd(50) == 0) {
                a = target(i); b = target(i)
                if (a < 1 || a == i) a = 1
                if (b < 1 || b == i || b == a) b = (a == 2 ? 3 : 2)
                r = rnd(5)
                if (r == 0) d = "(" pn(a) " or " pn(b) ")"
                else if (r == 1) d = "(" pn(a) " >= " ve[a] " or " pn(b) ")"
                else if (r == 2) d = "(" pn(a) " if " pn(b) ")"
                else if (r == 3) d = "(missing-alt-" i " or " pn(a) ")"
                else d = "(" pn(a) " if missing-cond-" i ")"
                rq[++nr] = ent(d)
            }
            # 0.5 %: one unresolvable requirement
            if (i in broken) {
                kind = broken[i]
                if (kind < 7) rq[++nr] = ent("missing-" n)
                else if (kind == 7) rq[++nr] = "      <rpm:entry name=\"missing-pre-" n "\" pre=\"1\"/>"
                else if (kind == 8) { j = (i > 1 ? i - 1 : 2); rq[++nr] = ent(pn(j), "GE", 0, "999") }
                else rq[++nr] = ent("/usr/share/missing-" n "/data")
            }

            # primary
            printf "<package type=\"rpm\">\n  <name>%s</name>\n  <arch>%s</arch>\n  %s\n", n, ar[i], ver > P
            printf "  <checksum type=\"sha256\" pkgid=\"YES\">%s</checksum>\n", pkgid > P
            printf "  <summary>Benchmark package %s</summary>\n  <description>Generated package %s for the rpmvet closure benchmark.</description>\n", n, n > P
            printf "  <packager>Bench Packager &lt;bench@rpmvet.test&gt;</packager>\n  <url>https://bench.rpmvet.test/%s</url>\n", n > P
            psz = 6000 + nfiles * 300 + rnd(200000)
            printf "  <time file=\"1700000000\" build=\"1700000000\"/>\n  <size package=\"%d\" installed=\"%d\" archive=\"%d\"/>\n", psz, psz * 3, psz * 3 + 1024 > P
            printf "  <location href=\"Packages/p/%s.rpm\"/>\n  <format>\n", nvra > P
            printf "    <rpm:license>%s</rpm:license>\n    <rpm:vendor>rpmvet bench</rpm:vendor>\n    <rpm:group>Unspecified</rpm:group>\n", (i % 5 ? "MIT" : "GPL-2.0-or-later") > P
            printf "    <rpm:buildhost>bench.rpmvet.test</rpm:buildhost>\n    <rpm:sourcerpm>s%04d-%s-%s.src.rpm</rpm:sourcerpm>\n", s, ve[i], re[i] > P
            printf "    <rpm:header-range start=\"4504\" end=\"%d\"/>\n    <rpm:provides>\n", 6000 + nfiles * 120 + nr * 40 > P
            print ent(n, "EQ", ep[i], ve[i], re[i]) > P
            if (lib[i]) print ent("lib" n ".so.1()(64bit)") > P
            if (i % 11 == 0) print ent("pkgconfig(" n ")", "EQ", 0, ve[i]) > P
            if (i == 1) print ent("/bin/sh") > P
            printf "    </rpm:provides>\n" > P
            if (nr > 0) {
                printf "    <rpm:requires>\n" > P
                for (t = 1; t <= nr; t++) print rq[t] > P
                printf "    </rpm:requires>\n" > P
            }
            for (t = 1; t <= nf; t++)
                if (fl[t] ~ /^\/usr\/bin\//) printf "    <file>%s</file>\n", fl[t] > P
            printf "  </format>\n</package>\n" > P

            # filelists, other
            printf "<package pkgid=\"%s\" name=\"%s\" arch=\"%s\">\n  %s\n", pkgid, n, ar[i], ver > F
            for (t = 1; t <= nf; t++) {
                if (ft[t] == "dir") printf "  <file type=\"dir\">%s</file>\n", fl[t] > F
                else printf "  <file>%s</file>\n", fl[t] > F
            }
            printf "</package>\n" > F
            printf "<package pkgid=\"%s\" name=\"%s\" arch=\"%s\">\n  %s\n</package>\n", pkgid, n, ar[i], ver > O

            printf "%d\t%s\t%d\t%s\t%s\t%s\t%d\t%d\n", i, n, ep[i], ve[i], re[i], ar[i], lib[i], bin[i] > T
        }
        print "</metadata>" > P
        print "</filelists>" > F
        print "</otherdata>" > O
    }'
}

# write_repomd REPODATA: gzip primary/filelists/other.xml there, write repomd.xml (createrepo_c layout)
write_repomd() {
    local rd=$1 t sum osum size osize f ts=1700000000
    {
        printf '<?xml version="1.0" encoding="UTF-8"?>\n'
        printf '<repomd xmlns="http://linux.duke.edu/metadata/repo" xmlns:rpm="http://linux.duke.edu/metadata/rpm">\n'
        printf '  <revision>%s</revision>\n' "$ts"
    } >"$rd/repomd.xml.tmp"
    for t in primary filelists other; do
        osum=$(sha256sum "$rd/$t.xml" | cut -d' ' -f1)
        osize=$(stat -c %s "$rd/$t.xml")
        gzip -n -6 "$rd/$t.xml"
        sum=$(sha256sum "$rd/$t.xml.gz" | cut -d' ' -f1)
        size=$(stat -c %s "$rd/$t.xml.gz")
        f=$sum-$t.xml.gz
        mv "$rd/$t.xml.gz" "$rd/$f"
        cat >>"$rd/repomd.xml.tmp" <<EOF
  <data type="$t">
    <checksum type="sha256">$sum</checksum>
    <open-checksum type="sha256">$osum</open-checksum>
    <location href="repodata/$f"/>
    <timestamp>$ts</timestamp>
    <size>$size</size>
    <open-size>$osize</open-size>
  </data>
EOF
    done
    printf '</repomd>\n' >>"$rd/repomd.xml.tmp"
    mv "$rd/repomd.xml.tmp" "$rd/repomd.xml"
}

# gen_specs PKGS.TSV SPECDIR: N_SRPM spec files bcNNN.spec
gen_specs() {
    awk -F'\t' -v dir="$2" -v NS="$N_SRPM" -v CORE="$N_CORE" -v LIBS="$N_LIBS" -v seed="$((SEED + 1))" '
    function rnd(n) { x = (x * 16807) % 2147483647; return x % n }
    function unif() { x = (x * 16807) % 2147483647; return x / 2147483647 }
    function pick(   r, u) {
        r = rnd(100)
        if (r < 40) { u = unif(); return 1 + int(CORE * u * u) }
        if (r < 85) return CORE + 1 + rnd(LIBS - CORE)
        return LIBS + 1 + rnd(N - LIBS)
    }
    function evr(j) { return (ep[j] ? ep[j] ":" : "") ve[j] }
    { nm[$1] = $2; ep[$1] = $3; ve[$1] = $4; lib[$1] = $7; N = $1 }
    END {
        x = seed
        for (s = 1; s <= NS; s++) {
            f = sprintf("%s/bc%03d.spec", dir, s)
            printf "Name:           bc%03d\nVersion:        1.0\nRelease:        1\n", s > f
            printf "Summary:        rpmvet closure benchmark consumer %d\nLicense:        MIT\n", s > f
            printf "URL:            https://bench.rpmvet.test/bc%03d\nBuildArch:      noarch\n", s > f
            k = 3 + rnd(8); delete seen
            for (t = 0; t < k; t++) {                 # 3-10 distinct packages
                j = pick()
                if (j in seen) { k++; continue }
                seen[j] = 1
                r = rnd(100)
                if (r < 60) d = nm[j]
                else if (r < 75) d = nm[j] " >= " evr(j)
                else if (r < 85) d = "/usr/share/" nm[j] "/data"
                else if (r < 95) { b = pick(); d = "(" nm[j] (rnd(2) ? " or " : " if ") nm[b] ")" }
                else if (lib[j]) d = "lib" nm[j] ".so.1()(64bit)"
                else d = nm[j]
                printf "BuildRequires:  %s\n", d > f
            }
            if (s % 20 == 7) printf "BuildRequires:  missing-build-dep-%03d\n", s > f
            printf "\n%%description\nGenerated consumer for the rpmvet closure benchmark.\n\n%%prep\n%%build\n%%install\n%%files\n" > f
            close(f)
        }
    }' "$1"
}

build_data() {
    local t0 t1 lf cnt specs defs
    t0=$(now)
    log "generating the closure data in $DATA (once)"
    rm -rf "$DATA"
    mkdir -p "$UP/repodata" "$SRPMDIR"
    lf=$DATA/.gen.log
    : >"$lf"
    GEN=$DATA/gen-tmp
    mkdir -p "$GEN/SPECS" "$GEN/SOURCES" "$GEN/tmp" "$GEN/BUILD" "$GEN/RPMS" "$GEN/BUILDROOT"

    t1=$(now)
    gen_metadata "$UP/repodata"
    mv "$UP/repodata/pkgs.tsv" "$GEN/pkgs.tsv"
    sort "$UP/repodata/expected-unresolved.txt" >"$DATA/expected-unresolved.txt"
    rm "$UP/repodata/expected-unresolved.txt"
    cnt=$(grep -c '^<package type="rpm">' "$UP/repodata/primary.xml" || true)
    [ "$cnt" = "$N_PKG" ] || die "the generator wrote $cnt packages, expected $N_PKG"
    log "  primary/filelists/other.xml written: $N_PKG packages, $(grep -c '<file' "$UP/repodata/filelists.xml") files, $(awk '{ s += length($0) + 1 } END { printf "%.0f", s / 1048576 }' "$UP/repodata/"*.xml) MiB of XML ($(elapsed "$t1") s)"

    t1=$(now)
    write_repomd "$UP/repodata"
    log "  gzipped, repomd.xml written ($(du -sm "$UP/repodata" | cut -f1) MiB; $(elapsed "$t1") s)"

    t1=$(now)
    gen_specs "$GEN/pkgs.tsv" "$GEN/SPECS"
    defs=(--define "_topdir $GEN" --define "_sourcedir $GEN/SOURCES" --define "_specdir $GEN/SPECS"
          --define "_srcrpmdir $SRPMDIR" --define "_tmppath $GEN/tmp"
          --define "_buildhost bench.rpmvet.test" --define "_source_payload w9.gzdio"
          --define "use_source_date_epoch_as_buildtime 1")
    specs=("$GEN"/SPECS/*.spec)
    SOURCE_DATE_EPOCH=1700000000 run_log "$lf" "rpmbuild -bs" rpmbuild --quiet -bs "${defs[@]}" "${specs[@]}"
    cnt=$(find "$SRPMDIR" -maxdepth 1 -name '*.src.rpm' | wc -l)
    [ "$cnt" = "$N_SRPM" ] || die "rpmbuild produced $cnt SRPMs, expected $N_SRPM (log: $lf)"
    log "  $N_SRPM SRPMs built by one rpmbuild -bs ($(elapsed "$t1") s)"
    cp "$GEN"/SPECS/bc001.spec "$DATA/example.spec"
    rm -rf "$GEN"
    GEN=

    printf '%s\n' "$STAMP_TEXT" >"$DATA/.stamp"
    printf '%s\n' "$(elapsed "$t0")" >"$DATA/.gen-seconds"
    log "closure data ready, generated in $(cat "$DATA/.gen-seconds") s"
}

if [ ! -f "$DATA/.stamp" ] || [ "$(cat "$DATA/.stamp")" != "$STAMP_TEXT" ] || [ ! -s "$UP/repodata/repomd.xml" ]; then
    build_data
else
    log "using the cached closure data in $DATA (generated in $(cat "$DATA/.gen-seconds" 2>/dev/null || echo '?') s)"
fi

SRPMS=("$SRPMDIR"/*.src.rpm)
[ "${#SRPMS[@]}" = "$N_SRPM" ] || die "$SRPMDIR holds ${#SRPMS[@]} SRPMs, expected $N_SRPM: delete $DATA and rerun"
MD_MIB=$(du -sm "$UP/repodata" | cut -f1)

if [ "${BENCH_GENERATE_ONLY:-0}" = 1 ]; then
    log "data ready in $DATA (BENCH_GENERATE_ONLY=1: no benchmark run)"
    exit 0
fi

# ---- 2. commands and check runs --------------------------------------------------------------
RESULTS=$OUT/results
mkdir -p "$RESULTS"
STAMP=$(date +%Y%m%d-%H%M%S)
CHECKDIR=$RESULTS/$STAMP-closure-check     # output of the untimed check runs
mkdir -p "$CHECKDIR"

DNF_WARM=$TMPD/dnf-warm
# dnf_repoclosure INSTALLROOT: the invocation of API-NOTES section 5
dnf_repoclosure() {
    dnf repoclosure -q --installroot "$1" --setopt=reposdir=/dev/null \
        --setopt=cachedir="$1/cache" --releasever 1 --forcearch x86_64 \
        --disableplugin='*' --enableplugin=repoclosure \
        --repofrompath="$REPO_ID,file://$UP" --repo "$REPO_ID" --setopt="$REPO_ID.gpgcheck=0"
}
# a fresh installroot per call (a new empty directory; kept until exit): no .solv cache
DNF_N=0
dnf_cold() {
    DNF_N=$((DNF_N + 1))
    mkdir "$TMPD/dnf-cold-$DNF_N"
    dnf_repoclosure "$TMPD/dnf-cold-$DNF_N"
}
dnf_warm() { dnf_repoclosure "$DNF_WARM"; }

# rpmvet's own .solv cache (XDG_CACHE_HOME/rpmvet): off for the cold runs, kept for the warm ones
export XDG_CACHE_HOME=$TMPD/rpmvet-cache
CMD_a=("$RPMVET" closure --no-cache --upstream "$UP" --format json "${SRPMS[@]}")
CMD_b=("$RPMVET" repo closure --no-cache --upstream "$UP")
CMD_c=(dnf_cold)
CMD_d=(dnf_warm)
CMD_e=("$RPMVET" closure --no-cache --upstream "$UP" --format json "${SRPMS[0]}")
CMD_f=("$RPMVET" closure --upstream "$UP" --format json "${SRPMS[@]}")
CMD_g=("$RPMVET" repo closure --upstream "$UP")
LABEL_a="rpmvet closure, $N_SRPM SRPMs, no cache"
LABEL_b='rpmvet repo closure, no cache'
LABEL_c='dnf repoclosure, no .solv cache'
LABEL_d='dnf repoclosure, warm cache'
LABEL_e='rpmvet closure, 1 SRPM, no cache'
LABEL_f="rpmvet closure, $N_SRPM SRPMs, warm cache"
LABEL_g='rpmvet repo closure, warm cache'
KEYS=(a b c d e f g)

# check_run KEY: untimed run with the output kept; exit 0 or 1 (1 = something unresolved).
check_run() {
    local k=$1 rc=0
    local -n cmd=CMD_$k
    local lbl=LABEL_$k
    "${cmd[@]}" </dev/null >"$CHECKDIR/$k.out" 2>"$CHECKDIR/$k.err" || rc=$?
    printf '%s\n' "$rc" >"$CHECKDIR/$k.rc"
    if [ "$rc" != 0 ] && [ "$rc" != 1 ]; then
        printf '%s: --- %s exited %s; stdout: ---\n' "$prog" "${!lbl}" "$rc" >&2
        head -n 30 "$CHECKDIR/$k.out" >&2
        printf '%s: --- stderr: ---\n' "$prog" >&2
        head -n 30 "$CHECKDIR/$k.err" >&2
        die "${!lbl} failed (exit $rc); output in $CHECKDIR"
    fi
    # dnf exits 1 for "No such command" too: exit 1 must come with "package:" lines
    if [ "$k" = c ] || [ "$k" = d ]; then
        local np
        np=$(grep -c '^package: ' "$CHECKDIR/$k.out" || true)
        if { [ "$rc" = 1 ] && [ "$np" = 0 ]; } || { [ "$rc" = 0 ] && [ "$np" != 0 ]; }; then
            head -n 30 "$CHECKDIR/$k.err" >&2
            die "${!lbl} exited $rc with $np 'package:' lines: it did not run as expected (output in $CHECKDIR)"
        fi
        printf -v "NPKG_$k" '%s' "$np"
    fi
}

# timed KEY: one run; appends "real user sys" to $TMPD/times.KEY; exit 0 or 1.
timed() {
    local k=$1 rc=0
    local -n cmd=CMD_$k
    local TIMEFORMAT='%3R %3U %3S'
    { time "${cmd[@]}" </dev/null >"$TMPD/out.$k" 2>"$TMPD/err.$k" || rc=$?; } 2>"$TMPD/time.$k"
    local lbl=LABEL_$k
    if [ "$rc" != "$(cat "$CHECKDIR/$k.rc")" ]; then
        head -n 30 "$TMPD/err.$k" >&2
        die "${!lbl} exited $rc in a timed run, $(cat "$CHECKDIR/$k.rc") in the check run"
    fi
    if [ "$k" = c ] || [ "$k" = d ]; then
        local np=NPKG_$k
        [ "$(grep -c '^package: ' "$TMPD/out.$k" || true)" = "${!np}" ] ||
            die "${!lbl} reported a different number of packages in a timed run than in the check run"
    fi
    tail -n 1 "$TMPD/time.$k" >>"$TMPD/times.$k"
}

median() {  # median of the numbers on stdin
    sort -g | awk '{ v[NR] = $1 } END { if (NR == 0) exit 1
        if (NR % 2) printf "%.3f", v[(NR + 1) / 2]; else printf "%.3f", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

# dnf repoclosure lives in dnf-plugins-core (not a dependency of Debian's dnf package)
dnf_has_repoclosure() {
    dnf -q --disableplugin='*' --enableplugin=repoclosure repoclosure --help </dev/null >/dev/null 2>&1
}
if ! dnf_has_repoclosure; then
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
        log "dnf has no repoclosure command: apt-get install -y dnf-plugins-core"
        DEBIAN_FRONTEND=noninteractive apt-get install -y -q dnf-plugins-core >"$TMPD/apt.log" 2>&1 || true
    fi
    dnf_has_repoclosure || die "'dnf repoclosure' is not available: install dnf-plugins-core"
fi

# `repo closure` is new: say so plainly when this binary does not have it
"$RPMVET" repo closure --help >/dev/null 2>&1 ||
    die "'$RPMVET_SRC repo closure --help' fails: this rpmvet has no 'repo closure' yet (run 'make' after it lands)"
if "$RPMVET" repo closure --help 2>&1 | grep -q -- '--format'; then
    REPO_JSON=1
else
    REPO_JSON=0
fi

log "warming the page cache ($MD_MIB MiB of metadata, $N_SRPM SRPMs)"
cat "$UP"/repodata/* "${SRPMS[@]}" >/dev/null
rm -rf "$DNF_WARM"
mkdir -p "$DNF_WARM"

log "check runs (untimed; output in $CHECKDIR)"
for k in "${KEYS[@]}"; do check_run "$k"; done   # d: fills the warm cache
ls "$DNF_WARM"/cache/*.solv >/dev/null 2>&1 || ls "$DNF_WARM"/cache/*/*.solv >/dev/null 2>&1 ||
    log "  note: no .solv file under $DNF_WARM/cache after the warm-up run: (d) may not be warm"

# (a): one result per SRPM, none with an error
jq -e 'type == "object" and (.packages | type == "array")' "$CHECKDIR/a.out" >/dev/null 2>&1 ||
    die "rpmvet closure --format json did not print a {\"packages\": [...]} document ($CHECKDIR/a.out)"
A_N=$(jq '.packages | length' "$CHECKDIR/a.out")
A_ERR=$(jq '[.packages[] | select(.error != null)] | length' "$CHECKDIR/a.out")
A_UNRES=$(jq '[.packages[] | select((.unresolved // []) | length > 0)] | length' "$CHECKDIR/a.out")
A_PARTIAL=$(jq '[.packages[] | select(.dynamic_buildrequires == true)] | length' "$CHECKDIR/a.out")
A_CLOS=$(jq '[.packages[] | (.closure // []) | length] | sort | if length == 0 then "-" else "\(.[0])/\(.[length / 2 | floor])/\(.[-1])" end' -r "$CHECKDIR/a.out")
[ "$A_N" = "$N_SRPM" ] || die "rpmvet closure reported $A_N results for $N_SRPM SRPMs ($CHECKDIR/a.out)"
if [ "$A_ERR" != 0 ]; then
    jq -r '.packages[] | select(.error != null) | "\(.path): \(.error)"' "$CHECKDIR/a.out" | head -n 10 >&2
    die "rpmvet closure: $A_ERR SRPM(s) with an error ($CHECKDIR/a.out)"
fi

# ---- 3. timed runs ---------------------------------------------------------------------------
log "timed runs: $RUNS x ${#KEYS[@]} commands"
for r in $(seq 1 "$RUNS"); do
    for k in "${KEYS[@]}"; do timed "$k"; done
    log "  run $r/$RUNS done"
done
for k in "${KEYS[@]}"; do
    printf -v "MED_$k" '%s' "$(awk '{ print $1 }' "$TMPD/times.$k" | median)"
    printf -v "CPU_$k" '%s' "$(awk '{ print $2 + $3 }' "$TMPD/times.$k" | median)"
    printf -v "RUNS_$k" '%s' "$(awk '{ printf "%s%s", sep, $1; sep = " " }' "$TMPD/times.$k")"
done

# peak RSS (GNU time)
gnu_time_ok() { [ -x /usr/bin/time ] && /usr/bin/time -f %M -o /dev/null true >/dev/null 2>&1; }
if ! gnu_time_ok && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    log "GNU time missing: apt-get install -y time"
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q time >"$TMPD/apt.log" 2>&1 || true
fi
if gnu_time_ok; then
    RSS_TOOL=gnu-time
    # peak_rss KEY: one more run under GNU time; RSS_KEY in KiB. dnf: the python process itself.
    peak_rss() {
        local k=$1 rc=0
        local -n cmd=CMD_$k
        if [ "$k" = c ]; then
            rm -rf "$TMPD/dnf-cold"; mkdir -p "$TMPD/dnf-cold"
            /usr/bin/time -f %M -o "$TMPD/rss.$k" dnf repoclosure -q --installroot "$TMPD/dnf-cold" \
                --setopt=reposdir=/dev/null --setopt=cachedir="$TMPD/dnf-cold/cache" --releasever 1 \
                --forcearch x86_64 --disableplugin='*' --enableplugin=repoclosure \
                --repofrompath="$REPO_ID,file://$UP" --repo "$REPO_ID" --setopt="$REPO_ID.gpgcheck=0" \
                </dev/null >/dev/null 2>&1 || rc=$?
        else
            /usr/bin/time -f %M -o "$TMPD/rss.$k" "${cmd[@]}" </dev/null >/dev/null 2>&1 || rc=$?
        fi
        [ "$rc" = 0 ] || [ "$rc" = 1 ] || die "peak-RSS run of (${k}) exited $rc"
        printf -v "RSS_$k" '%s' "$(tail -n 1 "$TMPD/rss.$k")"
    }
    log "peak RSS (GNU time)"
    peak_rss a; peak_rss b; peak_rss c
else
    RSS_TOOL=none
    RSS_a=; RSS_b=; RSS_c=
    log "GNU time not available: peak RSS not measured"
fi

# ---- 4. agreement ----------------------------------------------------------------------------
# Compared by package name (names are unique in the repository) and by (name, dependency) pairs.
nevra_name() { sed -E 's/-[^-]+-[^-]+$//'; }
# dnf_pairs FILE: "name<TAB>dependency" from dnf's shape: "package: NEVRA from REPO",
# "  unresolved deps (N):", "    DEP" (rpmvet's text output has the same shape)
dnf_pairs() {
    awk '$1 == "package:" { n = $2; sub(/-[^-]+-[^-]+$/, "", n); next }
         /^    [^ ]/ && n != "" { d = $0; sub(/^    /, "", d); print n "\t" d; next }
         /^  unresolved deps/ { next }
         { n = "" }' "$1" | sort -u
}
dnf_pairs "$CHECKDIR/c.out" >"$CHECKDIR/pairs.dnf"
awk '$1 == "package:" { print $2 }' "$CHECKDIR/c.out" | nevra_name | sort -u >"$CHECKDIR/unresolved.dnf"
awk '$1 == "package:" { print $2 }' "$CHECKDIR/d.out" | nevra_name | sort -u >"$CHECKDIR/unresolved.dnf-warm"
# rpmvet repo closure: {"packages": [{"nevra": N, "unresolved": [DEP...]}...]} with --format json,
# else its text output (dnf's shape)
REPO_SRC=text
if [ "$REPO_JSON" = 1 ]; then
    rc=0
    "$RPMVET" repo closure --upstream "$UP" --format json </dev/null >"$CHECKDIR/b.json" 2>"$CHECKDIR/b.json.err" || rc=$?
    if { [ "$rc" = 0 ] || [ "$rc" = 1 ]; } &&
        jq -e '.packages | type == "array"' "$CHECKDIR/b.json" >/dev/null 2>&1; then
        REPO_SRC=json
        jq -r '.packages[] | select((.unresolved // []) | length > 0) | .nevra as $n | .unresolved[]
               | "\($n)\t\(if type == "string" then . else (.dependency // tostring) end)"' "$CHECKDIR/b.json" |
            awk -F'\t' '{ n = $1; sub(/-[^-]+-[^-]+$/, "", n); print n "\t" $2 }' | sort -u >"$CHECKDIR/pairs.rpmvet"
        jq -r '.packages[] | select((.unresolved // []) | length > 0) | .nevra' "$CHECKDIR/b.json" |
            nevra_name | sort -u >"$CHECKDIR/unresolved.rpmvet"
    else
        log "  'repo closure --format json' exited $rc or printed no {\"packages\": [...]}: parsing the text output"
    fi
fi
if [ "$REPO_SRC" = text ]; then
    dnf_pairs "$CHECKDIR/b.out" >"$CHECKDIR/pairs.rpmvet"
    awk '$1 == "package:" { print $2 }' "$CHECKDIR/b.out" | nevra_name | sort -u >"$CHECKDIR/unresolved.rpmvet"
fi
EXP=$DATA/expected-unresolved.txt
n_dnf=$(wc -l <"$CHECKDIR/unresolved.dnf")
n_dnfw=$(wc -l <"$CHECKDIR/unresolved.dnf-warm")
n_rv=$(wc -l <"$CHECKDIR/unresolved.rpmvet")
n_exp=$(wc -l <"$EXP")
comm -23 "$CHECKDIR/unresolved.rpmvet" "$CHECKDIR/unresolved.dnf" >"$CHECKDIR/only.rpmvet"
comm -13 "$CHECKDIR/unresolved.rpmvet" "$CHECKDIR/unresolved.dnf" >"$CHECKDIR/only.dnf"
n_only_rv=$(wc -l <"$CHECKDIR/only.rpmvet")
n_only_dnf=$(wc -l <"$CHECKDIR/only.dnf")
n_pairs_rv=$(wc -l <"$CHECKDIR/pairs.rpmvet")
n_pairs_dnf=$(wc -l <"$CHECKDIR/pairs.dnf")
n_pairs_both=$(comm -12 "$CHECKDIR/pairs.rpmvet" "$CHECKDIR/pairs.dnf" | wc -l)
AGREE=yes
if [ "$n_only_rv" != 0 ] || [ "$n_only_dnf" != 0 ]; then AGREE=no; fi
PAIRS_AGREE=yes
if [ "$n_pairs_both" != "$n_pairs_rv" ] || [ "$n_pairs_both" != "$n_pairs_dnf" ]; then PAIRS_AGREE=no; fi
cmp -s "$CHECKDIR/unresolved.dnf" "$CHECKDIR/unresolved.dnf-warm" && DNF_SELF=same || DNF_SELF=differs
cmp -s "$CHECKDIR/unresolved.rpmvet" "$EXP" && RV_EXP=same || RV_EXP=differs
cmp -s "$CHECKDIR/unresolved.dnf" "$EXP" && DNF_EXP=same || DNF_EXP=differs

# examples: the package's requirements from primary.xml, and what each tool said
PRIMARY_GZ=$(ls "$UP"/repodata/*-primary.xml.gz)
show_examples() {  # show_examples FILE TITLE
    local f=$1 title=$2 n said
    [ -s "$f" ] || return 0
    printf '\n%s (%s; up to 3 shown):\n' "$title" "$(wc -l <"$f")"
    head -n 3 "$f" | while read -r n; do
        printf '  %s: requires (primary.xml):' "$n"
        zcat "$PRIMARY_GZ" | awk -v n="$n" '
            $0 == "  <name>" n "</name>" { on = 1 } on && /<\/package>/ { exit }
            on && /<rpm:requires>/ { r = 1; next } on && /<\/rpm:requires>/ { r = 0 }
            on && r { sub(/^ +<rpm:entry /, ""); sub(/\/>$/, ""); printf " [%s]", $0 }'
        said=$(awk -v n="$n" '$1 == "package:" { on = (index($2, n "-") == 1); next }
            on && /^    / { sub(/^ +/, ""); printf "[%s] ", $0 }' "$CHECKDIR/c.out")
        printf '\n    dnf:    %s\n' "${said:-(not reported)}"
        if [ "$REPO_SRC" = json ]; then
            said=$(jq -c --arg n "$n" '.packages[] | select(.nevra | startswith($n + "-")) | .unresolved' \
                "$CHECKDIR/b.json" 2>/dev/null | head -n 1 | cut -c1-400)
        else
            said=$(awk -v n="$n" '$1 == "package:" { on = (index($2, n "-") == 1); next }
                on && /^    / { sub(/^ +/, ""); printf "[%s] ", $0 }' "$CHECKDIR/b.out" | cut -c1-400)
        fi
        printf '    rpmvet: %s\n' "${said:-(not reported)}"
    done
}

# ---- 5. report -------------------------------------------------------------------------------
REPORT=$RESULTS/$STAMP-closure.txt
cpu_model=$(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo 2>/dev/null || true)
N_FILES=$(zcat "$UP"/repodata/*-filelists.xml.gz | grep -c '<file' || true)
{
    printf 'rpmvet closure benchmark: %d binary packages (%s files, %s MiB of gzipped rpm-md), %d SRPMs,\n' \
        "$N_PKG" "$N_FILES" "$MD_MIB" "$N_SRPM"
    printf 'warm page cache, median of %d runs, %d CPUs\n' "$RUNS" "$(nproc)"
    printf '%s | rpm %s | dnf %s | %s\n' "$("$RPMVET" version 2>/dev/null || echo rpmvet)" \
        "$(rpm --version | awk '{ print $3 }')" "$(dnf --version 2>/dev/null | head -n 1)" "${cpu_model:-unknown CPU}"
    printf 'closure of %d SRPMs: %s unresolved, %s partial, 0 errors; closure size min/median/max %s packages\n\n' \
        "$A_N" "$A_UNRES" "$A_PARTIAL" "$A_CLOS"
    printf '%-40s %9s %9s %5s   %s\n' command 'median s' 'CPU s' exit 'runs (s)'
    for k in "${KEYS[@]}"; do
        lbl=LABEL_$k; med=MED_$k; cpu=CPU_$k; runs=RUNS_$k
        printf '(%s) %-36s %9.3f %9.3f %5s   %s\n' "$k" "${!lbl}" "${!med}" "${!cpu}" "$(cat "$CHECKDIR/$k.rc")" "${!runs}"
    done
    echo
    printf '%-46s %8s   %-8s %s\n' ratio value target result
    awk -v a="$MED_a" -v b="$MED_b" -v c="$MED_c" -v d="$MED_d" -v e="$MED_e" -v f="$MED_f" -v g="$MED_g" -v n="$N_SRPM" 'BEGIN {
        r = a / c; printf "%-46s %8.2f   %-8s %s\n", "(a) rpmvet closure " n " SRPMs / dnf (c)", r, "<= 0.5", (r <= 0.5 ? "met" : "NOT met")
        r = b / c; printf "%-46s %8.2f   %-8s %s\n", "(b) rpmvet repo closure / dnf (c)", r, "<= 0.5", (r <= 0.5 ? "met" : "NOT met")
        r = a / d; printf "%-46s %8.2f   %-8s %s\n", "(a) / dnf warm cache (d)", r, "-", "(info)"
        r = b / d; printf "%-46s %8.2f   %-8s %s\n", "(b) / dnf warm cache (d)", r, "-", "(info)"
        r = f / d; printf "%-46s %8.2f   %-8s %s\n", "(f) rpmvet closure warm / dnf warm (d)", r, "<= 0.5", (r <= 0.5 ? "met" : "NOT met")
        r = g / d; printf "%-46s %8.2f   %-8s %s\n", "(g) rpmvet repo closure warm / dnf warm (d)", r, "<= 0.5", (r <= 0.5 ? "met" : "NOT met")
        printf "%-46s %8.3f   %-8s %s\n", "(a - e) / " (n - 1) ": s per extra SRPM", (a - e) / (n - 1), "-", "(info)"
    }'
    echo
    if [ "$RSS_TOOL" = gnu-time ]; then
        printf 'peak RSS (GNU time, one run each):\n'
        awk -v a="$RSS_a" -v b="$RSS_b" -v c="$RSS_c" -v la="$LABEL_a" -v lb="$LABEL_b" -v lc="$LABEL_c" 'BEGIN {
            printf "  (a) %-36s %8.1f MiB\n", la, a / 1024
            printf "  (b) %-36s %8.1f MiB\n", lb, b / 1024
            printf "  (c) %-36s %8.1f MiB\n", lc, c / 1024 }'
    else
        printf 'peak RSS: not measured (no GNU time)\n'
    fi
    echo
    printf 'agreement on packages with unresolved requirements (by name):\n'
    printf '  rpmvet repo closure (%s output): %d   dnf repoclosure: %d   dnf warm: %d   generator: %d\n' \
        "$REPO_SRC" "$n_rv" "$n_dnf" "$n_dnfw" "$n_exp"
    printf '  same packages: %s (only rpmvet: %d, only dnf: %d); rpmvet = generator: %s; dnf = generator: %s; dnf cold = warm: %s\n' \
        "$AGREE" "$n_only_rv" "$n_only_dnf" "$RV_EXP" "$DNF_EXP" "$DNF_SELF"
    printf '  same (package, dependency) pairs: %s (rpmvet %d, dnf %d, in both %d)\n' \
        "$PAIRS_AGREE" "$n_pairs_rv" "$n_pairs_dnf" "$n_pairs_both"
    show_examples "$CHECKDIR/only.rpmvet" "reported by rpmvet only"
    show_examples "$CHECKDIR/only.dnf" "reported by dnf only"
    if [ "$PAIRS_AGREE" = no ]; then
        comm -23 "$CHECKDIR/pairs.rpmvet" "$CHECKDIR/pairs.dnf" >"$CHECKDIR/pairs.only-rpmvet"
        comm -13 "$CHECKDIR/pairs.rpmvet" "$CHECKDIR/pairs.dnf" >"$CHECKDIR/pairs.only-dnf"
        printf '\n(package, unresolved dependency) pairs reported by rpmvet only: %d' "$(wc -l <"$CHECKDIR/pairs.only-rpmvet")"
        if [ -s "$CHECKDIR/pairs.only-rpmvet" ]; then printf '; first 4:\n'; head -n 4 "$CHECKDIR/pairs.only-rpmvet" | sed 's/^/  /'; else echo; fi
        printf '(package, unresolved dependency) pairs reported by dnf only: %d' "$(wc -l <"$CHECKDIR/pairs.only-dnf")"
        if [ -s "$CHECKDIR/pairs.only-dnf" ]; then printf '; first 4:\n'; head -n 4 "$CHECKDIR/pairs.only-dnf" | sed 's/^/  /'; else echo; fi
    fi
    if [ "$DNF_EXP" = differs ]; then
        comm -3 "$CHECKDIR/unresolved.dnf" "$EXP" >"$CHECKDIR/dnf-vs-generator"
        printf '\ndnf vs generator (first 5 of %d; column 1 dnf only, column 2 generator only):\n' \
            "$(wc -l <"$CHECKDIR/dnf-vs-generator")"
        head -n 5 "$CHECKDIR/dnf-vs-generator" | sed 's/^/  /'
    fi
    printf '\ndata generation time (cached in %s): %s s\n' "$DATA/.stamp" "$(cat "$DATA/.gen-seconds" 2>/dev/null || echo '?')"
} >"$REPORT"

for k in "${KEYS[@]}"; do
    lbl=LABEL_$k
    awk -v l="${!lbl}" '{ printf "%s\trun %d\treal %s\tuser %s\tsys %s\n", l, NR, $1, $2, $3 }' "$TMPD/times.$k"
done >"$RESULTS/$STAMP-closure.raw.tsv"

cat "$REPORT"
log "table saved to $REPORT (check-run outputs in $CHECKDIR)"
exit 0
