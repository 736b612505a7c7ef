#!/bin/bash
# shellcheck disable=SC2034,SC2154,SC2317  # Q_*/L_*/QN_*/M_* are used through namerefs and printf -v; cleanup runs from a trap
# bench/admit.sh - benchmark of `rpmvet admit` and of the queries on a large curated repository.
#
# Usage (from the project root, after `make`):
#     bash bench/admit.sh
#
# Environment:
#     BENCH_OUT=DIR     where data goes (default: bench/out, git-ignored). Reused from bench/verify.sh:
#                       set/ (200 signed SRPMs, ~491 MiB) and bench.asc + gnupg/ (its RSA-3072 key);
#                       when set/ is missing, `BENCH_GENERATE_ONLY=1 BENCH_SKIP_HUGE=1 bash
#                       bench/verify.sh` builds it (~30 s). Cached here: big/ (the many tiny SRPMs,
#                       stamp big/.stamp). Rebuilt each run: admit/ (the repositories under test).
#     BENCH_RUNS=N      runs of part 1 (default 3; median reported).
#     BENCH_QRUNS=N     runs of each part 2 measurement (default 5; median reported).
#     BENCH_BIG_N=N     packages in the large repository (default 10000).
#     BENCH_BATCH=N     packages per `rpmvet admit` call when filling it (default 500).
#     BENCH_FILL_ONLY=1 only build the data and fill OUT/admit/repo-big with BENCH_BIG_N packages
#                       (part 1 and every timed measurement skipped, no report); used by
#                       bench/export.sh to make its repository.
#     RPMVET=PATH       the binary to benchmark (default: ./rpmvet; copied before use, so a
#                       concurrent `make` cannot swap it mid-run).
#
# What it does:
#  1. Admission throughput. Median of BENCH_RUNS runs, each into a fresh repository (`rpmvet init`
#     with a policy accepting the set's License tags, `key add` of bench.asc; both untimed, and
#     `sync` before the timed command) of
#         rpmvet admit --repo R  <the 200 SRPMs>
#     against the baseline, timed as one sum per run:
#         rpmkeys --checksig --define '_pkgverify_level all' <the 200 SRPMs>   (rpmdb with the key)
#       + createrepo_c <dir of hard links to the same files>                   (repodata/ removed first)
#     Target: rpmvet / (rpmkeys + createrepo_c) <= 1.0. For attribution, also (info) the
#     verification alone: rpmvet verify --policy P --format json (json: it hashes each file too,
#     as admit does), and the I/O floor of placement: cp of the files + fsync of each.
#  2. A large repository. Once (stamp big/.stamp): BENCH_BIG_N tiny SRPMs (spec + a small
#     source, varied licenses, BuildRequires on their neighbour) built by `rpmbuild -bs`,
#     two processes through xargs -P2, and signed with a dedicated Ed25519 key (two rpmsign
#     processes: an RSA-3072 signature costs ~18 ms in gpg-agent, Ed25519 ~4 ms, so 10,000
#     RSA signatures alone would take ~3 min); plus 6 extra SRPMs signed with the RSA key of
#     part 1: 5 new names and 1 update (a new version of an existing name).
#     Each run: a repository with both keys is filled through `rpmvet admit` in batches of
#     BENCH_BATCH (every call must exit 0 with all passed; per-batch times are reported), then
#     snapshotted (cp -a). Timed, median of BENCH_QRUNS, each on a fresh copy of the snapshot:
#         admitting ONE new package (target < 1 s)
#         (info) admitting ONE update of an admitted name (the old version stays: BIG_N + 2);
#                `admit --dry-run` of the new one; the new one into an EMPTY repository with the
#                same keys and policy (the part of the cost that does not grow with the size)
#     and on the snapshot plus those two packages, median of BENCH_QRUNS (one untimed warm-up):
#         rpmvet list, rpmvet history NAME, rpmvet query --license MIT   (target < 0.05 s each)
#         (info) rpmvet query --license ISC (a selective query)
#  3. A table with medians, ratios and targets (met / NOT met), saved under OUT/results/; the
#     final large repository stays in OUT/admit/repo-big for inspection.
#
# Duration (2 vCPUs): ~2.2 min with the data cached; the first run adds ~70 s for the tiny SRPMs
# (and ~20 s for set/ when bench/verify.sh has not built it). Disk: ~0.6 GiB besides set/.
#
# Exit status: 0 when everything ran (even if a target is NOT met); non-zero if something failed
# (any rpmvet admit not exiting 0 or not admitting every package, any baseline command failing).
# Needs bash >= 5, rpm/rpmbuild/rpmsign/rpmkeys 4.18, createrepo_c, gnupg 2.2, coreutils, awk.

if [ -z "${BASH_VERSION:-}" ]; then
    exec bash "$0" "$@"
fi

. "$(dirname "$0")/lib.sh"

[ "${BASH_VERSINFO[0]}" -ge 5 ] || die "bash >= 5 needed (EPOCHREALTIME)"

RPMVET_SRC=${RPMVET:-$ROOT/rpmvet}
RUNS=${BENCH_RUNS:-3}
QRUNS=${BENCH_QRUNS:-5}
BIG_N=${BENCH_BIG_N:-10000}
BATCH=${BENCH_BATCH:-500}
FILL_ONLY=${BENCH_FILL_ONLY:-0}
for v in RUNS QRUNS BIG_N BATCH; do
    case ${!v} in ''|*[!0-9]*|0) die "$v must be a positive number, not '${!v}'";; esac
done

for t in rpm rpmbuild rpmsign rpmkeys createrepo_c gpg gpgconf awk sort stat sync xargs cp; do
    command -v "$t" >/dev/null 2>&1 || die "required tool '$t' not found"
done
[ -x "$RPMVET_SRC" ] || die "$RPMVET_SRC not found or not executable: run 'make' first"

OUT=${BENCH_OUT:-$ROOT/bench/out}
mkdir -p "$OUT" || die "cannot create $OUT"
OUT=$(cd "$OUT" && pwd)
T_START=$(us)
LOAD_START=$(cut -d' ' -f1-3 /proc/loadavg)

TMPD=$(mktemp -d "${TMPDIR:-/tmp}/rpmvet-admit.XXXXXX")
export HOME=$TMPD/home            # keep ~/.rpmmacros and ~/.gnupg out of it
mkdir -p "$HOME"
GEN=
GNUPG_HOMES=

cleanup() {
    local rc=$? h
    for h in $GNUPG_HOMES; do gpgconf --homedir "$h" --kill all >/dev/null 2>&1 || true; done
    [ -z "$GEN" ] || rm -rf "$GEN"
    rm -rf "$TMPD"
    exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

RPMVET=$TMPD/rpmvet
cp "$RPMVET_SRC" "$RPMVET"

# gpg-agent puts its socket into GNUPGHOME when /run/user/UID is missing; sun_path holds 108
# bytes, so reach a long directory through a short symlink. gnupg_home DIR LINKNAME -> path
gnupg_home() {
    if [ ${#1} -gt 60 ]; then
        ln -sfn "$1" "$TMPD/$2"
        echo "$TMPD/$2"
    else
        echo "$1"
    fi
}

# run_log LOG DESC CMD...: run CMD with its output appended to LOG; on failure show the tail and die.
run_log() {
    local lf=$1 desc=$2
    shift 2
    if ! "$@" </dev/null >>"$lf" 2>&1; then
        tail -n 20 "$lf" >&2
        die "$desc failed (log: $lf)"
    fi
}

# timed OUTFILE ERRFILE CMD...: run CMD once, stdout/stderr to the files; sets T_US (wall, µs).
# It must exit 0, else the script stops.
timed() {
    local of=$1 ef=$2 t0 rc=0
    shift 2
    t0=$(us)
    "$@" </dev/null >"$of" 2>"$ef" || rc=$?
    T_US=$(( $(us) - t0 ))
    if [ "$rc" != 0 ]; then
        printf '%s: --- %s exited %s; stdout (non-PASS lines) and stderr: ---\n' "$prog" "$*" "$rc" >&2
        grep -v -e '^PASS' "$of" | head -n 30 >&2 || true
        head -n 30 "$ef" >&2
        die "'$1 ${2:-}' exited $rc"
    fi
}

# note_stderr FILE WHAT: anything on stderr of a passing command is odd: keep it for the report.
ODD=$TMPD/odd.txt
: >"$ODD"
note_stderr() {
    if [ -s "$1" ]; then
        { printf '%s printed on stderr:\n' "$2"; head -n 5 "$1" | sed 's/^/    /'; } >>"$ODD"
    fi
}

# expect_admitted FILE N: the admit report says all N packages passed.
expect_admitted() {
    grep -qx "$2 package(s): $2 passed, 0 rejected" "$1" ||
        die "admit did not pass all $2 packages: $(tail -n 1 "$1")"
}

median() {  # median of the numbers on stdin
    sort -g | awk '{ v[NR] = $1 } END { if (NR == 0) exit 1
        if (NR % 2) printf "%.3f", v[(NR + 1) / 2]; else printf "%.3f", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}
runs_of() { awk '{ printf "%s%s", sep, $1; sep = " " }' "$1"; }

# licenses_policy FILE LICENSE...: a policy accepting every license id in the given expressions.
licenses_policy() {
    local f=$1 id
    shift
    {
        echo 'version: 1'
        echo 'licenses:'
        echo '  categories:'
        printf '%s\n' "$@" | tr -s ' ()' '\n' | grep -v -x -e '' -e AND -e OR -e WITH | sort -u |
            while read -r id; do printf '    "%s": allowed\n' "$id"; done
    } >"$f"
}

# ---- the 200 SRPMs of bench/verify.sh ----------------------------------------------------------
SET=$OUT/set
N_SET=200
set_ok() {
    [ -f "$SET/.stamp" ] && [ -s "$OUT/bench.asc" ] && [ -d "$OUT/gnupg" ] &&
        [ "$(find "$SET" -maxdepth 1 -name '*.src.rpm' | wc -l)" = "$N_SET" ]
}
if ! set_ok; then
    log "no cached set in $SET: building it with bench/verify.sh (generation only)"
    BENCH_OUT=$OUT BENCH_GENERATE_ONLY=1 BENCH_SKIP_HUGE=1 RPMVET=$RPMVET bash "$ROOT/bench/verify.sh" ||
        die "bench/verify.sh could not generate the set"
    set_ok || die "bench/verify.sh did not leave $N_SET SRPMs in $SET"
else
    log "using the cached set in $SET ($(head -n 1 "$SET/.stamp"))"
fi
FILES=("$SET"/*.src.rpm)
SET_BYTES=$(stat -c %s "${FILES[@]}" | awk '{ s += $1 } END { printf "%d", s }')
RSA_HOME=$(gnupg_home "$OUT/gnupg" g-rsa)
GNUPG_HOMES="$GNUPG_HOMES $RSA_HOME"

WORK=$OUT/admit
rm -rf "$WORK"
mkdir -p "$WORK"
RESULTS=$OUT/results
mkdir -p "$RESULTS"
STAMP=$(date +%Y%m%d-%H%M%S)

mapfile -t SET_LICENSES < <(rpm -qp --qf '%{LICENSE}\n' "${FILES[@]}" 2>/dev/null | sort -u)
[ "${#SET_LICENSES[@]}" -gt 0 ] || die "could not read the License tags of $SET"
POLICY1=$WORK/policy-set.yaml
licenses_policy "$POLICY1" "${SET_LICENSES[@]}"
log "set licenses: ${SET_LICENSES[*]} -> policy $POLICY1"

# ================================ part 1: admit 200 SRPMs =======================================
SETUP_LOG=$WORK/setup.log
: >"$SETUP_LOG"
if [ "$FILL_ONLY" != 1 ]; then
RPMDB=$WORK/rpmdb
run_log "$SETUP_LOG" "rpmkeys --import" rpmkeys --dbpath "$RPMDB" --import "$OUT/bench.asc"
CRDIR=$WORK/createrepo
mkdir -p "$CRDIR"
ln "${FILES[@]}" "$CRDIR/" 2>/dev/null || cp "${FILES[@]}" "$CRDIR/"
R1=$WORK/repo-set

new_repo1() {
    rm -rf "$R1"
    run_log "$SETUP_LOG" "rpmvet init" "$RPMVET" init "$R1" --policy "$POLICY1"
    run_log "$SETUP_LOG" "rpmvet key add" "$RPMVET" key add --repo "$R1" "$OUT/bench.asc"
}

log "part 1: warming the page cache ($(awk -v b="$SET_BYTES" 'BEGIN { printf "%.1f", b / 1048576 }') MiB)"
cat "${FILES[@]}" >/dev/null

# untimed check runs: the baseline must pass every file
timed "$WORK/check.rpmkeys.out" "$WORK/check.rpmkeys.err" \
    rpmkeys --dbpath "$RPMDB" --checksig --define '_pkgverify_level all' "${FILES[@]}"
n_ok=$(grep -c 'digests signatures OK$' "$WORK/check.rpmkeys.out" || true)
[ "$n_ok" = "$N_SET" ] || die "rpmkeys: only $n_ok of $N_SET packages OK"
run_log "$SETUP_LOG" "rpmvet key add --keys" "$RPMVET" key add --keys "$WORK/keys" "$OUT/bench.asc"
timed "$WORK/check.verify.out" "$WORK/check.verify.err" \
    "$RPMVET" verify --keys "$WORK/keys" --policy "$POLICY1" "${FILES[@]}"
expect_admitted "$WORK/check.verify.out" "$N_SET"
note_stderr "$WORK/check.verify.err" "rpmvet verify (check run)"

# The two write-heavy commands (admit, cp+fsync) each write 491 MiB into the page cache. On a VM,
# memory the guest has not used yet is slow to fault in (here: writing 500 MiB to /dev/shm takes
# 1.3 s the first time, 0.35 s when it reuses just-freed pages), so each writes only after the
# previous copy was deleted, and one untimed copy primes that much memory before run 1.
cp_floor() {  # cp_floor: copy the set into WORK/cpfloor and fsync each file (and the directory)
    rm -rf "$WORK/cpfloor"
    mkdir -p "$WORK/cpfloor"
    sync
    # shellcheck disable=SC2016  # expanded by the inner sh
    timed /dev/null "$WORK/cp.err" sh -c 'd=$1; shift; cp -t "$d" "$@" && sync "$d"/* "$d"' \
        sh "$WORK/cpfloor" "${FILES[@]}"
    rm -rf "$WORK/cpfloor"
}
cp_floor    # untimed: primes the memory the timed runs write into

for r in $(seq 1 "$RUNS"); do
    # rpmvet admit into a fresh repository
    new_repo1
    sync
    timed "$WORK/admit.$r.out" "$WORK/admit.$r.err" "$RPMVET" admit --repo "$R1" "${FILES[@]}"
    secs "$T_US" >>"$TMPD/t.admit"
    expect_admitted "$WORK/admit.$r.out" "$N_SET"
    note_stderr "$WORK/admit.$r.err" "rpmvet admit (part 1, run $r)"
    n_listed=$("$RPMVET" list --repo "$R1" | tail -n 1)
    [ "$n_listed" = "$N_SET package(s)" ] || die "rpmvet list after admit says '$n_listed', expected $N_SET"
    rm -rf "$R1"    # 491 MiB
    # information: the I/O floor of placing the files (copy, then fsync each: what admit must do)
    cp_floor
    secs "$T_US" >>"$TMPD/t.cp"
    # baseline: rpmkeys + createrepo_c
    timed /dev/null "$WORK/rpmkeys.$r.err" \
        rpmkeys --dbpath "$RPMDB" --checksig --define '_pkgverify_level all' "${FILES[@]}"
    t_k=$T_US
    rm -rf "$CRDIR/repodata" "$CRDIR/.repodata"
    sync
    timed /dev/null "$WORK/createrepo.$r.err" createrepo_c -q "$CRDIR"
    t_c=$T_US
    secs "$t_k" >>"$TMPD/t.rpmkeys"
    secs "$t_c" >>"$TMPD/t.createrepo"
    secs $((t_k + t_c)) >>"$TMPD/t.base"
    # information: the verification alone (json = also each file's SHA-256, as admit computes)
    timed /dev/null "$WORK/verify.$r.err" \
        "$RPMVET" verify --keys "$WORK/keys" --policy "$POLICY1" --format json "${FILES[@]}"
    secs "$T_US" >>"$TMPD/t.verify"
    log "  part 1 run $r/$RUNS: admit $(tail -n 1 "$TMPD/t.admit") s, rpmkeys $(secs "$t_k") s + createrepo_c $(secs "$t_c") s, verify $(tail -n 1 "$TMPD/t.verify") s, cp+fsync $(tail -n 1 "$TMPD/t.cp") s"
done
M_ADMIT=$(median <"$TMPD/t.admit")
M_KEYS=$(median <"$TMPD/t.rpmkeys")
M_CR=$(median <"$TMPD/t.createrepo")
M_BASE=$(median <"$TMPD/t.base")
M_VERIFY=$(median <"$TMPD/t.verify")
M_CP=$(median <"$TMPD/t.cp")
rm -rf "$CRDIR" "$RPMDB"
fi  # FILL_ONLY

# ================================ part 2: a large repository ====================================
BIG=$OUT/big
BIG_VERSION=1
BIG_STAMP="rpmvet-bench big v$BIG_VERSION n=$BIG_N extra=6 rsakey=$(sha256sum "$OUT/bench.asc" | cut -c1-16)"
ED_UID='rpmvet bench ed25519 <bench-ed@rpmvet.test>'
ED_ADDR='<bench-ed@rpmvet.test>'
UPD_NAME=$(printf 'rvt-%05d' $(( (BIG_N + 1) / 2 )))   # the name the update replaces
EXTRA_NEW=rvx-00001                                  # the new package timed (rvx-00001..5 exist)

build_big() {
    local t0 t1 lf defs rc
    t0=$(us)
    log "part 2: building $BIG_N tiny signed SRPMs in $BIG (once)"
    rm -rf "$BIG"
    mkdir -p "$BIG/pkgs" "$BIG/extra"
    mkdir -m 700 "$BIG/gnupg"
    lf=$BIG/.gen.log
    : >"$lf"
    local edhome
    edhome=$(gnupg_home "$BIG/gnupg" g-ed)
    GNUPG_HOMES="$GNUPG_HOMES $edhome"
    GNUPGHOME=$edhome run_log "$lf" "gpg --quick-gen-key (ed25519)" \
        gpg --batch --quiet --no-tty --pinentry-mode loopback --passphrase '' \
        --quick-gen-key "$ED_UID" ed25519 sign never
    GNUPGHOME=$edhome gpg --batch --armor --export "$ED_ADDR" >"$BIG/ed25519.asc"
    [ -s "$BIG/ed25519.asc" ] || die "could not export the Ed25519 key"

    # specs and sources, written by one awk (licenses: 70 % MIT, 10 % each Apache-2.0 and
    # BSD-3-Clause, 5 % each ISC and GPL-2.0-or-later)
    t1=$(us)
    GEN=$BIG/gen-tmp
    # every directory rpmbuild creates, made here: two rpmbuild processes racing to mkdir one
    # fail with "failed to create directory %{_rpmdir}: File exists"
    mkdir -p "$GEN/SOURCES" "$GEN/SPECS" "$GEN/tmp" "$GEN/XSPECS" "$GEN/BUILD" "$GEN/RPMS" "$GEN/BUILDROOT"
    awk -v n="$BIG_N" -v gen="$GEN" -v upd="$UPD_NAME" 'function spec(dir, name, ver, lic, br,   f, s) {
            s = gen "/SOURCES/" name "-" ver ".txt"
            printf "%s %s: a small source file for the rpmvet admission benchmark.\n", name, ver > s
            close(s)
            f = gen "/" dir "/" name ".spec"
            printf "Name:           %s\nVersion:        %s\nRelease:        1\n", name, ver > f
            printf "Summary:        tiny rpmvet benchmark package %s\n", name > f
            printf "License:        %s\nURL:            https://bench.rpmvet.test/%s\n", lic, name > f
            printf "BuildRequires:  gcc\nBuildRequires:  make\n" > f
            if (br != "") printf "BuildRequires:  %s >= 1.0\n", br > f
            printf "Source0:        %s-%s.txt\n\n%%description\nA tiny package for the rpmvet admission benchmark.\n\n%%prep\n%%build\n%%install\n", name, ver > f
            close(f)
        }
        BEGIN {
            split("MIT MIT MIT MIT MIT MIT MIT Apache-2.0 BSD-3-Clause ISC", L, " ")
            for (i = 1; i <= n; i++) {
                lic = L[1 + (i % 10)]
                if (lic == "ISC" && i % 20 == 9) lic = "GPL-2.0-or-later"
                spec("SPECS", sprintf("rvt-%05d", i), "1.0", lic, i > 1 ? sprintf("rvt-%05d", i - 1) : "")
            }
            for (i = 1; i <= 5; i++) spec("XSPECS", sprintf("rvx-%05d", i), "1.0", "MIT", "rvt-00001")
            spec("XSPECS", upd, "1.1", "MIT", "")
        }'
    log "  specs and sources written ($(since "$t1") s)"

    t1=$(us)
    defs=(--define "_topdir $GEN" --define "_sourcedir $GEN/SOURCES" --define "_specdir $GEN/SPECS"
          --define "_tmppath $GEN/tmp" --define "_buildhost bench.rpmvet.test"
          --define "_source_payload w9.gzdio")
    rc=0
    # (xargs reads the list from a file: its stdin, which rpmbuild inherits, stays /dev/null)
    find "$GEN/SPECS" -name '*.spec' -print0 | sort -z >"$GEN/specs.list"
    xargs -r -0 -a "$GEN/specs.list" -P2 -n 500 rpmbuild --quiet -bs "${defs[@]}" \
        --define "_srcrpmdir $BIG/pkgs" </dev/null >>"$lf" 2>&1 || rc=$?
    [ "$rc" = 0 ] || { tail -n 20 "$lf" >&2; die "rpmbuild -bs failed (log: $lf)"; }
    run_log "$lf" "rpmbuild -bs (extra)" rpmbuild --quiet -bs "${defs[@]}" \
        --define "_srcrpmdir $BIG/extra" "$GEN"/XSPECS/*.spec
    [ "$(find "$BIG/pkgs" -name '*.src.rpm' | wc -l)" = "$BIG_N" ] ||
        die "rpmbuild produced $(find "$BIG/pkgs" -name '*.src.rpm' | wc -l) SRPMs, expected $BIG_N"
    log "  $BIG_N + 6 SRPMs built, xargs -P2 rpmbuild -bs, 500 specs per process ($(since "$t1") s)"
    rm -rf "$GEN"
    GEN=

    t1=$(us)
    rc=0
    find "$BIG/pkgs" -name '*.src.rpm' -print0 | sort -z >"$BIG/sign.list"
    xargs -r -0 -a "$BIG/sign.list" -P2 -n $(( (BIG_N + 1) / 2 )) rpmsign --addsign \
        --define "__gpg /usr/bin/gpg" --define "_gpg_path $edhome" --define "_gpg_name $ED_ADDR" \
        </dev/null >>"$lf" 2>&1 || rc=$?
    rm -f "$BIG/sign.list"
    [ "$rc" = 0 ] || { tail -n 20 "$lf" >&2; die "rpmsign --addsign (ed25519) failed (log: $lf)"; }
    gpgconf --homedir "$edhome" --kill all >/dev/null 2>&1 || true
    log "  $BIG_N signed (Ed25519), two rpmsign processes ($(since "$t1") s)"
    t1=$(us)
    run_log "$lf" "rpmsign --addsign (extra, RSA)" rpmsign --addsign --define "__gpg /usr/bin/gpg" \
        --define "_gpg_path $RSA_HOME" --define "_gpg_name <bench@rpmvet.test>" "$BIG"/extra/*.src.rpm
    gpgconf --homedir "$RSA_HOME" --kill all >/dev/null 2>&1 || true
    log "  6 extra signed (RSA-3072, the key of part 1) ($(since "$t1") s)"

    printf '%s\n' "$BIG_STAMP" >"$BIG/.stamp"
    secs $(( $(us) - t0 )) >"$BIG/.gen-seconds"
    log "big set ready: $BIG_N SRPMs, $(du -sh "$BIG/pkgs" | cut -f1), generated in $(cat "$BIG/.gen-seconds") s"
}

if [ ! -f "$BIG/.stamp" ] || [ "$(cat "$BIG/.stamp")" != "$BIG_STAMP" ] || [ ! -s "$BIG/ed25519.asc" ]; then
    build_big
else
    log "part 2: using the cached $BIG_N SRPMs in $BIG (generated in $(cat "$BIG/.gen-seconds" 2>/dev/null || echo '?') s)"
fi
BFILES=("$BIG"/pkgs/*.src.rpm)
[ "${#BFILES[@]}" = "$BIG_N" ] || die "$BIG/pkgs holds ${#BFILES[@]} SRPMs, expected $BIG_N: delete $BIG and rerun"
X_NEW=$BIG/extra/$EXTRA_NEW-1.0-1.src.rpm
X_UPD=$BIG/extra/$UPD_NAME-1.1-1.src.rpm
[ -s "$X_NEW" ] || die "$X_NEW missing: delete $BIG and rerun"
[ -s "$X_UPD" ] || die "extra packages missing in $BIG/extra: delete $BIG and rerun"

mapfile -t BIG_LICENSES < <(printf '%s\n' MIT Apache-2.0 BSD-3-Clause ISC GPL-2.0-or-later)
POLICY2=$WORK/policy-big.yaml
licenses_policy "$POLICY2" "${BIG_LICENSES[@]}"

# fill the repository in batches
R2=$WORK/repo-big
SNAP=$WORK/repo-big.snapshot
EMPTY=$WORK/repo-empty.snapshot     # same keys and policy, no package: the fixed cost of one admit
run_log "$SETUP_LOG" "rpmvet init (big)" "$RPMVET" init "$R2" --policy "$POLICY2"
run_log "$SETUP_LOG" "rpmvet key add (big)" "$RPMVET" key add --repo "$R2" "$BIG/ed25519.asc" "$OUT/bench.asc"
cp -a "$R2" "$EMPTY"
cat "${BFILES[@]}" >/dev/null
log "part 2: filling a repository with $BIG_N packages, $BATCH per rpmvet admit call"
FILL_T0=$(us)
: >"$TMPD/t.batches"
b=0
for ((i = 0; i < BIG_N; i += BATCH)); do
    b=$((b + 1))
    chunk=("${BFILES[@]:i:BATCH}")
    timed "$WORK/fill.out" "$WORK/fill.err" "$RPMVET" admit --repo "$R2" "${chunk[@]}"
    expect_admitted "$WORK/fill.out" "${#chunk[@]}"
    note_stderr "$WORK/fill.err" "rpmvet admit (filling, batch $b)"
    printf '%d %d %s\n' "$b" "$((i + ${#chunk[@]}))" "$(secs "$T_US")" >>"$TMPD/t.batches"
    if [ $((b % 5)) = 0 ] || [ $((i + BATCH)) -ge "$BIG_N" ]; then
        log "  batch $b: $((i + ${#chunk[@]})) packages admitted (this batch $(secs "$T_US") s, total $(since "$FILL_T0") s)"
    fi
done
FILL_SECS=$(since "$FILL_T0")
n_listed=$("$RPMVET" list --repo "$R2" | tail -n 1)
[ "$n_listed" = "$BIG_N package(s)" ] || die "rpmvet list says '$n_listed', expected $BIG_N"
DB_BYTES=$(stat -c %s "$R2/rpmvet.db")
MD_BYTES=$(du -sb "$R2/repodata" | cut -f1)
if [ "$FILL_ONLY" = 1 ]; then
    log "BENCH_FILL_ONLY: $R2 holds $BIG_N packages (filled in $FILL_SECS s)"
    exit 0
fi
rm -rf "$SNAP"
cp -a "$R2" "$SNAP"
sync

# one admission into a fresh copy of the snapshot; KIND new|update|dry
admit_one_timed() {
    local kind=$1 r=$2 f args=()
    case $kind in
        new) f=$X_NEW ;;
        update) f=$X_UPD ;;
        dry) f=$X_NEW; args=(--dry-run) ;;
        empty) f=$X_NEW ;;
    esac
    rm -rf "$R2"
    if [ "$kind" = empty ]; then
        cp -a "$EMPTY" "$R2"
    else
        cp -a "$SNAP" "$R2"
    fi
    sync
    timed "$WORK/one.$kind.out" "$WORK/one.$kind.err" "$RPMVET" admit --repo "$R2" "${args[@]}" "$f"
    expect_admitted "$WORK/one.$kind.out" 1
    note_stderr "$WORK/one.$kind.err" "rpmvet admit of one package ($kind, run $r)"
    secs "$T_US" >>"$TMPD/t.one.$kind"
}
log "part 2: admitting one package into the $BIG_N-package repository, $QRUNS runs each"
for r in $(seq 1 "$QRUNS"); do
    for kind in new update dry empty; do admit_one_timed "$kind" "$r"; done
    log "  run $r/$QRUNS: new $(tail -n 1 "$TMPD/t.one.new") s, update $(tail -n 1 "$TMPD/t.one.update") s, dry-run $(tail -n 1 "$TMPD/t.one.dry") s, into an empty repository $(tail -n 1 "$TMPD/t.one.empty") s"
done

# the queried repository: the snapshot plus the new package and the update (both versions of
# $UPD_NAME stay: BIG_N + 2 packages)
rm -rf "$R2"
cp -a "$SNAP" "$R2"
timed "$WORK/q.admit.out" "$WORK/q.admit.err" "$RPMVET" admit --repo "$R2" "$X_NEW" "$X_UPD"
expect_admitted "$WORK/q.admit.out" 2
rm -rf "$SNAP" "$EMPTY"

Q_list=("$RPMVET" list --repo "$R2")
Q_hist=("$RPMVET" history --repo "$R2" "$UPD_NAME")
Q_mit=("$RPMVET" query --repo "$R2" --license MIT)
Q_isc=("$RPMVET" query --repo "$R2" --license ISC)
L_list='rpmvet list'
L_hist="rpmvet history $UPD_NAME"
L_mit='rpmvet query --license MIT'
L_isc='rpmvet query --license ISC'
log "part 2: queries, 1 warm-up + $QRUNS timed runs each"
for q in list hist mit isc; do
    declare -n cmd=Q_$q
    timed "$WORK/q.$q.out" "$WORK/q.$q.err" "${cmd[@]}"      # warm-up, output kept
    note_stderr "$WORK/q.$q.err" "${cmd[*]:1:2}"
    for r in $(seq 1 "$QRUNS"); do
        timed /dev/null "$WORK/q.$q.err" "${cmd[@]}"
        secs "$T_US" >>"$TMPD/t.q.$q"
    done
    unset -n cmd
done
QN_list=$(tail -n 1 "$WORK/q.list.out")
QN_hist=$(grep -c '^[0-9]\{4\}-.*#[0-9]' "$WORK/q.hist.out" || true)
QN_mit=$(tail -n 1 "$WORK/q.mit.out")
QN_isc=$(tail -n 1 "$WORK/q.isc.out")
# the update is a new version beside the old one (a replacement is only for the same NEVRA)
[ "$QN_list" = "$((BIG_N + 2)) package(s)" ] || die "rpmvet list says '$QN_list', expected $((BIG_N + 2))"
[ "$QN_hist" -ge 2 ] || die "rpmvet history $UPD_NAME shows $QN_hist events, expected at least 2"

# ================================ report ========================================================
REPORT=$RESULTS/$STAMP-admit.txt
cpu_model=$(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo 2>/dev/null || true)
b1=$(awk 'NR == 1 { print $3 }' "$TMPD/t.batches")
blast=$(awk 'END { print $3 }' "$TMPD/t.batches")
bmed=$(awk '{ print $3 }' "$TMPD/t.batches" | median)
{
    printf 'rpmvet admit benchmark | %s | rpm %s | %s | %s CPUs | %s\n' \
        "$("$RPMVET" version 2>/dev/null || echo rpmvet)" "$(rpm --version | awk '{ print $3 }')" \
        "createrepo_c $(createrepo_c --version 2>/dev/null | head -n 1 | awk '{ print $2 }')" "$(nproc)" "${cpu_model:-unknown CPU}"
    printf 'load average at start %s, at end %s (other load on the machine skews every number)\n' \
        "$LOAD_START" "$(cut -d' ' -f1-3 /proc/loadavg)"
    echo
    awk -v n="$N_SET" -v b="$SET_BYTES" -v r="$RUNS" 'BEGIN {
        printf "1. admit %d signed SRPMs (%.1f MiB) into an empty repository, warm page cache, median of %d\n", n, b / 1048576, r }'
    printf '   %-58s %9s   %s\n' command 'median s' 'runs (s)'
    printf '   %-58s %9s   %s\n' 'rpmvet admit (fresh repository each run)' "$M_ADMIT" "$(runs_of "$TMPD/t.admit")"
    printf '   %-58s %9s   %s\n' "rpmkeys --checksig (_pkgverify_level all)" "$M_KEYS" "$(runs_of "$TMPD/t.rpmkeys")"
    printf '   %-58s %9s   %s\n' 'createrepo_c (default options, fresh repodata)' "$M_CR" "$(runs_of "$TMPD/t.createrepo")"
    printf '   %-58s %9s   %s\n' 'rpmkeys + createrepo_c (sum per run)' "$M_BASE" "$(runs_of "$TMPD/t.base")"
    printf '   %-58s %9s   %s\n' '(info) rpmvet verify --policy --format json (no placement)' "$M_VERIFY" "$(runs_of "$TMPD/t.verify")"
    printf '   %-58s %9s   %s\n' '(info) cp + fsync of the same files (placement I/O floor)' "$M_CP" "$(runs_of "$TMPD/t.cp")"
    echo
    printf '2. a repository of %d tiny signed SRPMs (db %.1f MiB, repodata %.1f MiB)\n' "$BIG_N" \
        "$(awk -v b="$DB_BYTES" 'BEGIN { print b / 1048576 }')" "$(awk -v b="$MD_BYTES" 'BEGIN { print b / 1048576 }')"
    printf '   filled by %d rpmvet admit calls of %d: %s s in all (%.0f packages/s); batch 1 %s s, median %s s, last %s s\n' \
        "$(wc -l <"$TMPD/t.batches")" "$BATCH" "$FILL_SECS" "$(awk -v n="$BIG_N" -v s="$FILL_SECS" 'BEGIN { print n / s }')" "$b1" "$bmed" "$blast"
    printf '   %-58s %9s   %s\n' "command (median of $QRUNS)" 'median s' 'runs (s)'
    for k in new update dry empty; do
        case $k in
            new) l="rpmvet admit ONE new package ($EXTRA_NEW)" ;;
            update) l="(info) rpmvet admit ONE update ($UPD_NAME 1.0 -> 1.1)" ;;
            dry) l='(info) rpmvet admit --dry-run of the new package' ;;
            empty) l='(info) rpmvet admit of the new package, EMPTY repository' ;;
        esac
        printf -v "M_ONE_$k" '%s' "$(median <"$TMPD/t.one.$k")"
        v=M_ONE_$k
        printf '   %-58s %9s   %s\n' "$l" "${!v}" "$(runs_of "$TMPD/t.one.$k")"
    done
    for q in list hist mit isc; do
        l=L_$q; n=QN_$q
        printf -v "M_Q_$q" '%s' "$(median <"$TMPD/t.q.$q")"
        v=M_Q_$q
        case $q in
            hist) extra="${!n} events" ;;
            isc) extra="${!n}"; l_prefix='(info) ' ;;
            *) extra="${!n}" ;;
        esac
        printf '   %-58s %9s   %s\n' "${l_prefix:-}${!l} [$extra]" "${!v}" "$(runs_of "$TMPD/t.q.$q")"
        l_prefix=
    done
    echo
    printf '%-52s %9s   %-9s %s\n' 'targets' value target result
    awk -v a="$M_ADMIT" -v b="$M_BASE" -v n="$M_ONE_new" -v l="$M_Q_list" -v h="$M_Q_hist" -v m="$M_Q_mit" \
        -v v="$M_VERIFY" -v N="$BIG_N" 'BEGIN {
        r = a / b; printf "%-52s %9.2f   %-9s %s\n", "rpmvet admit / (rpmkeys + createrepo_c)", r, "<= 1.0", (r <= 1.0 ? "met" : "NOT met")
        printf "%-52s %9.3f   %-9s %s\n", "admit ONE into " N " packages (s)", n, "< 1 s", (n < 1 ? "met" : "NOT met")
        printf "%-52s %9.3f   %-9s %s\n", "rpmvet list (s)", l, "< 0.05 s", (l < 0.05 ? "met" : "NOT met")
        printf "%-52s %9.3f   %-9s %s\n", "rpmvet history NAME (s)", h, "< 0.05 s", (h < 0.05 ? "met" : "NOT met")
        printf "%-52s %9.3f   %-9s %s\n", "rpmvet query --license MIT (s)", m, "< 0.05 s", (m < 0.05 ? "met" : "NOT met")
        r = a / v; printf "%-52s %9.2f   %-9s %s\n", "(info) rpmvet admit / rpmvet verify --format json", r, "-", "" }'
    echo
    if [ -s "$ODD" ]; then
        echo 'odd (stderr of commands that exited 0):'
        cat "$ODD"
    else
        echo 'no command printed anything on stderr'
    fi
    printf 'data generation (cached): set %s s, %d tiny SRPMs %s s; this run took %s s\n' \
        "$(cat "$SET/.gen-seconds" 2>/dev/null || echo '?')" "$BIG_N" "$(cat "$BIG/.gen-seconds" 2>/dev/null || echo '?')" \
        "$(since "$T_START")"
} >"$REPORT"
mkdir -p "$RESULTS/$STAMP-admit.raw"
cp "$TMPD"/t.* "$RESULTS/$STAMP-admit.raw/"

cat "$REPORT"
log "table saved to $REPORT (raw times in $RESULTS/$STAMP-admit.raw/)"
log "the $((BIG_N + 2))-package repository is kept in $R2 for inspection (rebuilt each run)"
exit 0
