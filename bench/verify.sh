#!/bin/bash
# shellcheck disable=SC2034,SC2154,SC2317  # CMD_*/LABEL_*/MED_* are used through namerefs; cleanup runs from a trap
# bench/verify.sh - throughput and peak-memory benchmark of `rpmvet verify`.
#
# Usage (from the project root, after `make`):
#     bash bench/verify.sh          # or: sh bench/verify.sh, or: make bench
#
# Environment:
#     BENCH_OUT=DIR       where data goes (default: bench/out, git-ignored). Cached there:
#                         set/ (200 signed SRPMs, ~500 MiB), gnupg/ + bench.asc (the throwaway
#                         signing key), huge/ (one SRPM with a 1 GiB payload). Rebuilt each run:
#                         keys/ (rpmvet trust store), rpmdb/ (rpmkeys), results/ (tables).
#     BENCH_SKIP_HUGE=1   skip the 1 GiB peak-RSS part (saves ~2 GiB of disk and ~15 s once).
#     BENCH_GENERATE_ONLY=1   build the cached data if missing (set/, and huge/ unless
#                         BENCH_SKIP_HUGE=1), then exit 0 without benchmarking (bench/admit.sh uses it).
#     BENCH_RUNS=N        timed runs per command (default 3; the median is reported).
#     RPMVET=PATH         the binary to benchmark (default: ./rpmvet).
#     BENCH_RSS_TOOL=gnu-time|vmhwm-poll   force how peak RSS is measured (default: GNU time
#                         if present, else `apt-get install -y time` as root, else VmHWM polling).
#
# What it does:
#  1. Once (stamp file set/.stamp): a throwaway RSA-3072 key (gpg, no passphrase) and 200 SRPMs
#     built with deterministic random payloads (86 of 1-10 MiB, 114 of 25-460 KB, like
#     API-NOTES section 5), all signed by one `rpmsign --addsign` process. ~20-30 s.
#  2. A trust store (rpmvet key add) and a throwaway rpmdb (rpmkeys --import).
#  3. Warm page cache; median of BENCH_RUNS runs of
#       (a) rpmvet verify --jobs 1   (b) rpmvet verify (all CPUs)
#       (c) rpmkeys --checksig with _pkgverify_level all (one process)   (d) openssl dgst -sha256
#     plus user+sys CPU time of (a). Every run must exit 0, else the script stops.
#  4. Peak RSS of rpmvet and rpmkeys on the 1 GiB SRPM (GNU time %M, else VmHWM polling).
#  5. A table with the ratios and targets; also saved under OUT/results/.
#
# Exit status: 0 when everything ran (even if a target is NOT met), non-zero if something failed.
# Needs bash, rpm/rpmbuild/rpmsign/rpmkeys 4.18, gnupg 2.2, openssl, coreutils, awk.

# `sh bench/verify.sh` (dash on Debian): re-run under bash before any bash syntax is parsed.
if [ -z "${BASH_VERSION:-}" ]; then
    exec bash "$0" "$@"
fi

. "$(dirname "$0")/lib.sh"

RPMVET_SRC=${RPMVET:-$ROOT/rpmvet}
RUNS=${BENCH_RUNS:-3}
SKIP_HUGE=${BENCH_SKIP_HUGE:-0}
case $RUNS in ''|*[!0-9]*|0) die "BENCH_RUNS must be a positive number, not '$RUNS'";; esac

# ---- parameters of the generated data (change SET_VERSION/HUGE_VERSION when changing them) ---
SET_VERSION=1
SEED=rpmvet-bench
N_BIG=86                 # 1-10 MiB random payload
N_SMALL=114              # files of 25-460 KB
N_ALL=$((N_BIG + N_SMALL))
HUGE_VERSION=1
HUGE_BYTES=$((1024 * 1024 * 1024))
KEY_UID='rpmvet bench <bench@rpmvet.test>'
KEY_ADDR='<bench@rpmvet.test>'   # '<addr>' = exact e-mail match (plain addr is a substring match)

for t in rpm rpmbuild rpmsign rpmkeys gpg gpgconf openssl awk sort stat head cat; do
    command -v "$t" >/dev/null 2>&1 || die "required tool '$t' not found"
done
[ -x "$RPMVET_SRC" ] || die "$RPMVET_SRC not found or not executable: run 'make' first"

OUT=${BENCH_OUT:-$ROOT/bench/out}
mkdir -p "$OUT" || die "cannot create $OUT"
OUT=$(cd "$OUT" && pwd)

TMPD=$(mktemp -d "${TMPDIR:-/tmp}/rpmvet-bench.XXXXXX")
export HOME=$TMPD/home            # keep ~/.rpmmacros and ~/.gnupg out of it
mkdir -p "$HOME"
# gpg-agent puts its socket into GNUPGHOME when /run/user/UID is missing; sun_path holds 108
# bytes, so reach a long OUT through a short symlink.
if [ ${#OUT} -gt 60 ]; then
    ln -s "$OUT/gnupg" "$TMPD/g"
    export GNUPGHOME=$TMPD/g
else
    export GNUPGHOME=$OUT/gnupg
fi
GEN=                              # generation scratch dir (big), removed on exit
BGPIDS=                           # background processes we started

cleanup() {
    local rc=$?
    local p
    for p in $BGPIDS; do kill "$p" 2>/dev/null || true; done
    if [ -d "$OUT/gnupg" ]; then
        gpgconf --homedir "$GNUPGHOME" --kill all >/dev/null 2>&1 || true
    fi
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

g() { gpg --batch --quiet --no-tty --pinentry-mode loopback --passphrase '' "$@"; }
kill_agent() { gpgconf --homedir "$GNUPGHOME" --kill all >/dev/null 2>&1 || true; }

SIGNDEFS=(
    --define "__gpg /usr/bin/gpg"          # Debian's default %__gpg is /usr/bin/gpg2 (missing)
    --define "_gpg_path $GNUPGHOME"
    --define "_gpg_name $KEY_ADDR"
)

# random_file NAME BYTES FILE: deterministic random bytes (AES-128-CTR keystream of a fixed pass).
random_file() {
    openssl enc -aes-128-ctr -pass "pass:$SEED-$1" -nosalt -pbkdf2 -iter 1 </dev/zero 2>/dev/null |
        head -c "$2" >"$3"
    [ "$(stat -c %s "$3")" = "$2" ] || die "could not write $2 random bytes to $3"
}

# write_spec NAME SOURCEFILE SPECFILE
write_spec() {
    cat >"$3" <<EOF
Name:           $1
Version:        1.0
Release:        1
Summary:        rpmvet benchmark package $1
License:        MIT
URL:            https://bench.rpmvet.test/$1
BuildRequires:  gcc >= 4.8
BuildRequires:  make
Source0:        $2

%description
Benchmark package for rpmvet verify: a random payload, nothing to build.

%prep
%build
%install
EOF
}

rpmbuild_defs() {  # rpmbuild_defs TOPDIR OUTDIR PAYLOAD
    printf '%s\n' --define "_topdir $1" --define "_sourcedir $1/SOURCES" \
        --define "_specdir $1/SPECS" --define "_srcrpmdir $2" --define "_tmppath $1/tmp" \
        --define "_buildhost bench.rpmvet.test" --define "_source_payload $3"
}

# ---- 1. the SRPM set -------------------------------------------------------------------------
SET=$OUT/set
SET_STAMP="rpmvet-bench set v$SET_VERSION seed=$SEED big=$N_BIG small=$N_SMALL"

build_set() {
    local t0 t1 i n sz name lf defs pids p rc cnt total
    t0=$(now)
    log "building the benchmark set in $SET (once; ~20-30 s)"
    rm -rf "$SET" "$OUT/gnupg" "$OUT/bench.asc"
    mkdir -p "$SET"
    mkdir -m 700 "$OUT/gnupg"
    lf=$SET/.gen.log
    : >"$lf"

    t1=$(now)
    run_log "$lf" "gpg --quick-gen-key" g --quick-gen-key "$KEY_UID" rsa3072 sign never
    g --armor --export "$KEY_ADDR" >"$OUT/bench.asc.tmp"
    cnt=$(gpg --batch --with-colons --show-keys "$OUT/bench.asc.tmp" 2>/dev/null | grep -c '^pub:' || true)
    [ "$cnt" = 1 ] || die "exported key file holds $cnt keys, expected 1"
    mv "$OUT/bench.asc.tmp" "$OUT/bench.asc"
    log "  RSA-3072 key generated ($(elapsed "$t1") s)"

    # sizes: minstd LCG (exact in any awk's doubles), exactly N_BIG big ones shuffled among N_ALL
    t1=$(now)
    GEN=$OUT/gen-tmp
    rm -rf "$GEN"
    # every directory rpmbuild creates, made here: two rpmbuild processes racing to mkdir one
    # fail with "failed to create directory %{_rpmdir}: File exists"
    mkdir -p "$GEN/SOURCES" "$GEN/SPECS" "$GEN/tmp" "$GEN/BUILD" "$GEN/RPMS" "$GEN/BUILDROOT"
    awk -v nb="$N_BIG" -v ns="$N_SMALL" 'BEGIN {
        x = 20261123
        n = nb + ns
        for (i = 1; i <= n; i++) big[i] = (i <= nb)
        for (i = n; i > 1; i--) {            # Fisher-Yates
            x = (x * 16807) % 2147483647; j = 1 + (x % i)
            t = big[i]; big[i] = big[j]; big[j] = t
        }
        for (i = 1; i <= n; i++) {
            x = (x * 16807) % 2147483647
            if (big[i]) sz = 1048576 + (x % (9 * 1048576 + 1))          # 1..10 MiB payload
            else        sz = 20480 + (x % (435 * 1024 + 1))             # 20..455 KiB payload
            printf "%d %d\n", i, sz
        }
    }' >"$GEN/sizes"
    n=0
    while read -r i sz; do
        name=$(printf 'rvb-%03d' "$i")
        random_file "$name" "$sz" "$GEN/SOURCES/$name-1.0.bin"
        write_spec "$name" "$name-1.0.bin" "$GEN/SPECS/$name.spec"
        n=$((n + 1))
        if [ $((n % 50)) = 0 ]; then log "  payloads $n/$N_ALL"; fi
    done <"$GEN/sizes"
    log "  $N_ALL random payloads written ($(elapsed "$t1") s)"

    # rpmbuild -bs: two processes (one per half of the specs), each builds many specs
    t1=$(now)
    mapfile -t defs < <(rpmbuild_defs "$GEN" "$SET" w9.gzdio)
    local specs=("$GEN"/SPECS/*.spec)
    local half=$(( (${#specs[@]} + 1) / 2 ))
    pids=
    rpmbuild --quiet -bs "${defs[@]}" "${specs[@]:0:half}" </dev/null >"$GEN/rpmbuild1.log" 2>&1 &
    pids="$pids $!"
    rpmbuild --quiet -bs "${defs[@]}" "${specs[@]:half}" </dev/null >"$GEN/rpmbuild2.log" 2>&1 &
    pids="$pids $!"
    BGPIDS=$pids
    rc=0
    for p in $pids; do wait "$p" || rc=1; done
    BGPIDS=
    cat "$GEN"/rpmbuild*.log >>"$lf"
    if [ "$rc" != 0 ]; then
        tail -n 20 "$lf" >&2
        die "rpmbuild -bs failed (log: $lf)"
    fi
    cnt=$(find "$SET" -maxdepth 1 -name '*.src.rpm' | wc -l)
    [ "$cnt" = "$N_ALL" ] || die "rpmbuild produced $cnt SRPMs, expected $N_ALL (log: $lf)"
    log "  $N_ALL SRPMs built, 2 rpmbuild processes ($(elapsed "$t1") s)"
    rm -rf "$GEN"
    GEN=

    t1=$(now)
    run_log "$lf" "rpmsign --addsign" rpmsign --addsign "${SIGNDEFS[@]}" "$SET"/*.src.rpm
    kill_agent
    log "  signed by one rpmsign process ($(elapsed "$t1") s)"

    total=$(stat -c %s "$SET"/*.src.rpm | awk '{ s += $1 } END { printf "%.1f", s / 1048576 }')
    printf '%s\n' "$SET_STAMP" >"$SET/.stamp"
    printf '%s\n' "$(elapsed "$t0")" >"$SET/.gen-seconds"
    log "set ready: $N_ALL SRPMs, $total MiB, generated in $(cat "$SET/.gen-seconds") s"
}

if [ ! -f "$SET/.stamp" ] || [ "$(cat "$SET/.stamp")" != "$SET_STAMP" ] || [ ! -s "$OUT/bench.asc" ]; then
    build_set
else
    log "using the cached set in $SET (generated in $(cat "$SET/.gen-seconds" 2>/dev/null || echo '?') s)"
fi

FILES=("$SET"/*.src.rpm)
[ "${#FILES[@]}" = "$N_ALL" ] || die "$SET holds ${#FILES[@]} SRPMs, expected $N_ALL: delete $SET and rerun"
TOTAL_BYTES=$(stat -c %s "${FILES[@]}" | awk '{ s += $1 } END { printf "%d", s }')

# ---- the 1 GiB SRPM (peak memory) ------------------------------------------------------------
HUGE=$OUT/huge
HUGE_FILE=$HUGE/rvb-huge-1.0-1.src.rpm
KEY_SUM=$(sha256sum "$OUT/bench.asc" | cut -d' ' -f1)
HUGE_STAMP="rpmvet-bench huge v$HUGE_VERSION bytes=$HUGE_BYTES key=$KEY_SUM"

build_huge() {
    local t0 lf defs
    t0=$(now)
    log "building a SRPM with a $((HUGE_BYTES / 1048576)) MiB payload in $HUGE (once; ~15-25 s)"
    rm -rf "$HUGE"
    mkdir -p "$HUGE"
    lf=$HUGE/.gen.log
    : >"$lf"
    GEN=$HUGE/gen-tmp
    mkdir -p "$GEN/SOURCES" "$GEN/SPECS" "$GEN/tmp"
    random_file rvb-huge "$HUGE_BYTES" "$GEN/SOURCES/rvb-huge-1.0.bin"
    write_spec rvb-huge rvb-huge-1.0.bin "$GEN/SPECS/rvb-huge.spec"
    log "  payload written ($(elapsed "$t0") s)"
    # gzip level 0 (stored blocks): still a gzip payload, but no minute spent deflating random data
    mapfile -t defs < <(rpmbuild_defs "$GEN" "$HUGE" w0.gzdio)
    run_log "$lf" "rpmbuild -bs (huge)" rpmbuild --quiet -bs "${defs[@]}" "$GEN/SPECS/rvb-huge.spec"
    rm -rf "$GEN"
    GEN=
    [ -s "$HUGE_FILE" ] || die "rpmbuild did not produce $HUGE_FILE"
    log "  SRPM built ($(elapsed "$t0") s)"
    run_log "$lf" "rpmsign --addsign (huge)" rpmsign --addsign "${SIGNDEFS[@]}" "$HUGE_FILE"
    kill_agent
    printf '%s\n' "$HUGE_STAMP" >"$HUGE/.stamp"
    printf '%s\n' "$(elapsed "$t0")" >"$HUGE/.gen-seconds"
    log "huge SRPM ready: $(stat -c %s "$HUGE_FILE") bytes, generated in $(cat "$HUGE/.gen-seconds") s"
}

if [ "$SKIP_HUGE" != 1 ]; then
    if [ ! -f "$HUGE/.stamp" ] || [ "$(cat "$HUGE/.stamp")" != "$HUGE_STAMP" ] || [ ! -s "$HUGE_FILE" ]; then
        build_huge
    else
        log "using the cached huge SRPM in $HUGE (generated in $(cat "$HUGE/.gen-seconds" 2>/dev/null || echo '?') s)"
    fi
fi

if [ "${BENCH_GENERATE_ONLY:-0}" = 1 ]; then
    log "data ready in $OUT (BENCH_GENERATE_ONLY=1: no benchmark run)"
    exit 0
fi

# ---- 2. trust store and rpmdb ----------------------------------------------------------------
KEYS=$OUT/keys
RPMDB=$OUT/rpmdb
rm -rf "$KEYS" "$RPMDB"
SETUP_LOG=$TMPD/setup.log
: >"$SETUP_LOG"
run_log "$SETUP_LOG" "rpmvet key add" "$RPMVET" key add --keys "$KEYS" "$OUT/bench.asc"
run_log "$SETUP_LOG" "rpmkeys --import" rpmkeys --dbpath "$RPMDB" --import "$OUT/bench.asc"

RESULTS=$OUT/results
mkdir -p "$RESULTS"
STAMP=$(date +%Y%m%d-%H%M%S)
CHECKDIR=$RESULTS/$STAMP-check     # output of the untimed check runs
mkdir -p "$CHECKDIR"

# ---- 3. timed runs ---------------------------------------------------------------------------
CMD_a=("$RPMVET" verify --keys "$KEYS" --jobs 1)
CMD_b=("$RPMVET" verify --keys "$KEYS")
CMD_c=(rpmkeys --dbpath "$RPMDB" --checksig --define '_pkgverify_level all')
CMD_d=(openssl dgst -sha256)
# JSON carries each file's SHA-256, a second hash of every byte (text skips it)
CMD_e=("$RPMVET" verify --keys "$KEYS" --jobs 1 --format json)
LABEL_a='rpmvet verify --jobs 1'
LABEL_b="rpmvet verify (all CPUs, $(nproc))"
LABEL_c='rpmkeys --checksig (level all)'
LABEL_d='openssl dgst -sha256'
LABEL_e='rpmvet --jobs 1 --format json'

# check_run KEY FILES...: untimed run with the output kept; it must exit 0.
check_run() {
    local k=$1 rc=0
    shift
    local -n cmd=CMD_$k
    "${cmd[@]}" "$@" </dev/null >"$CHECKDIR/$k.out" 2>"$CHECKDIR/$k.err" || rc=$?
    if [ "$rc" != 0 ]; then
        local lbl=LABEL_$k
        printf '%s: --- %s exited %s; non-passing lines of stdout: ---\n' "$prog" "${!lbl}" "$rc" >&2
        grep -v -e '^PASS' -e ': digests signatures OK$' -e '^SHA2-256(' "$CHECKDIR/$k.out" | head -n 40 >&2 || true
        printf '%s: --- stderr: ---\n' "$prog" >&2
        head -n 40 "$CHECKDIR/$k.err" >&2
        die "${!lbl} failed (exit $rc) on the benchmark files; a benchmark of failing runs is meaningless (output in $CHECKDIR)"
    fi
}

# timed KEY FILES...: one run; appends "real user sys" to $TMPD/times.KEY; it must exit 0.
timed() {
    local k=$1 rc=0
    shift
    local -n cmd=CMD_$k
    local TIMEFORMAT='%3R %3U %3S'
    { time "${cmd[@]}" "$@" </dev/null >/dev/null 2>"$TMPD/err.$k" || rc=$?; } 2>"$TMPD/time.$k"
    if [ "$rc" != 0 ]; then
        local lbl=LABEL_$k
        head -n 40 "$TMPD/err.$k" >&2
        die "${!lbl} exited $rc in a timed run"
    fi
    tail -n 1 "$TMPD/time.$k" >>"$TMPD/times.$k"
}

median() {  # median of the numbers on stdin
    sort -g | awk '{ v[NR] = $1 } END { if (NR == 0) exit 1
        if (NR % 2) printf "%.3f", v[(NR + 1) / 2]; else printf "%.3f", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

log "warming the page cache ($(awk -v b="$TOTAL_BYTES" 'BEGIN { printf "%.1f", b / 1048576 }') MiB)"
cat "${FILES[@]}" >/dev/null

log "check runs (untimed; output in $CHECKDIR)"
for k in a b c d e; do check_run "$k" "${FILES[@]}"; done
n_pass=$(grep -c '^PASS' "$CHECKDIR/a.out" || true)
n_ok=$(grep -c 'digests signatures OK$' "$CHECKDIR/c.out" || true)

log "timed runs: $RUNS x 5 commands"
for r in $(seq 1 "$RUNS"); do
    for k in a b c d e; do timed "$k" "${FILES[@]}"; done
    log "  run $r/$RUNS done"
done

for k in a b c d e; do
    printf -v "MED_$k" '%s' "$(awk '{ print $1 }' "$TMPD/times.$k" | median)"
    printf -v "RUNS_$k" '%s' "$(awk '{ printf "%s%s", sep, $1; sep = " " }' "$TMPD/times.$k")"
done
CPU_a=$(awk '{ print $2 + $3 }' "$TMPD/times.a" | median)
CPU_b=$(awk '{ print $2 + $3 }' "$TMPD/times.b" | median)

# ---- 4. peak RSS on the 1 GiB SRPM -----------------------------------------------------------
RSS_TOOL=
gnu_time_ok() { [ -x /usr/bin/time ] && /usr/bin/time -f %M -o /dev/null true >/dev/null 2>&1; }

# peak_rss KEY FILE: run CMD_KEY FILE once; sets RSS_KIB and RSS_SECS; it must exit 0.
peak_rss() {
    local k=$1 f=$2 rc=0 t0 pid v
    local -n cmd=CMD_$k
    local lbl=LABEL_$k
    RSS_KIB=0
    t0=$(now)
    if [ "$RSS_TOOL" = gnu-time ]; then
        /usr/bin/time -f %M -o "$TMPD/rss.$k" "${cmd[@]}" "$f" </dev/null >"$TMPD/hout.$k" 2>"$TMPD/herr.$k" || rc=$?
        RSS_KIB=$(tail -n 1 "$TMPD/rss.$k")
    else
        "${cmd[@]}" "$f" </dev/null >"$TMPD/hout.$k" 2>"$TMPD/herr.$k" &
        pid=$!
        BGPIDS=$pid
        while [ -d "/proc/$pid" ]; do
            v=$(awk '$1 == "VmHWM:" { print $2 }' "/proc/$pid/status" 2>/dev/null || true)
            if [ -n "$v" ] && [ "$v" -gt "$RSS_KIB" ]; then RSS_KIB=$v; fi
            # a zombie has no VmHWM: stop polling once it is gone
            grep -q '^State:.*Z' "/proc/$pid/status" 2>/dev/null && break
            sleep 0.01
        done
        wait "$pid" || rc=$?
        BGPIDS=
    fi
    RSS_SECS=$(elapsed "$t0")
    if [ "$rc" != 0 ]; then
        cat "$TMPD/hout.$k" "$TMPD/herr.$k" | head -n 40 >&2
        die "${!lbl} exited $rc on $f"
    fi
    case $RSS_KIB in ''|*[!0-9]*) die "could not read the peak RSS of ${!lbl} ('$RSS_KIB')";; esac
}

if [ "$SKIP_HUGE" != 1 ]; then
    if [ -n "${BENCH_RSS_TOOL:-}" ]; then
        case $BENCH_RSS_TOOL in
            gnu-time) gnu_time_ok || die "BENCH_RSS_TOOL=gnu-time but /usr/bin/time is not GNU time";;
            vmhwm-poll) ;;
            *) die "BENCH_RSS_TOOL must be gnu-time or vmhwm-poll, not '$BENCH_RSS_TOOL'";;
        esac
        RSS_TOOL=$BENCH_RSS_TOOL
    elif gnu_time_ok; then
        RSS_TOOL=gnu-time
    elif [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
        log "GNU time missing: apt-get install -y time"
        DEBIAN_FRONTEND=noninteractive apt-get install -y -q time >"$TMPD/apt.log" 2>&1 || true
        if gnu_time_ok; then RSS_TOOL=gnu-time; else RSS_TOOL=vmhwm-poll; fi
    else
        RSS_TOOL=vmhwm-poll
    fi
    log "peak RSS on the 1 GiB SRPM (via $RSS_TOOL)"
    cat "$HUGE_FILE" >/dev/null
    peak_rss a "$HUGE_FILE"; RSS_a=$RSS_KIB; RSS_SECS_a=$RSS_SECS
    peak_rss c "$HUGE_FILE"; RSS_c=$RSS_KIB; RSS_SECS_c=$RSS_SECS
fi

# ---- 5. report -------------------------------------------------------------------------------
REPORT=$RESULTS/$STAMP-verify.txt
cpu_model=$(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo 2>/dev/null || true)
{
    awk -v n="$N_ALL" -v b="$TOTAL_BYTES" -v r="$RUNS" -v c="$(nproc)" 'BEGIN {
        printf "rpmvet verify benchmark: %d signed SRPMs, %.1f MiB, warm page cache, median of %d runs, %d CPUs\n",
            n, b / 1048576, r, c }'
    printf '%s | rpm %s | %s | %s\n' "$("$RPMVET" version 2>/dev/null || echo rpmvet)" \
        "$(rpm --version | awk '{ print $3 }')" "$(openssl version | awk '{ print $1, $2 }')" "${cpu_model:-unknown CPU}"
    printf 'check runs: rpmvet %s/%s PASS, rpmkeys %s/%s OK (all exit 0)\n\n' "$n_pass" "$N_ALL" "$n_ok" "$N_ALL"
    printf '%-36s %9s %9s %8s   %s\n' command 'median s' 'MiB/s' 'pkg/s' 'runs (s)'
    for k in a b c d e; do
        lbl=LABEL_$k; med=MED_$k; runs=RUNS_$k
        awk -v k="$k" -v l="${!lbl}" -v m="${!med}" -v b="$TOTAL_BYTES" -v n="$N_ALL" -v rs="${!runs}" 'BEGIN {
            if (m > 0) printf "(%s) %-32s %9.3f %9.0f %8.0f   %s\n", k, l, m, b / 1048576 / m, n / m, rs
            else printf "(%s) %-32s %9.3f %9s %8s   %s\n", k, l, m, "-", "-", rs
        }'
    done
    awk -v c="$CPU_a" -v cb="$CPU_b" 'BEGIN {
        printf "%-36s %9.3f\n", "(a) rpmvet --jobs 1: CPU user+sys", c
        printf "%-36s %9.3f\n", "(b) rpmvet all CPUs: CPU user+sys", cb }'
    echo
    printf '%-40s %8s   %-10s %s\n' ratio value target result
    awk -v a="$MED_a" -v b="$MED_b" -v c="$MED_c" -v d="$MED_d" -v e="$MED_e" -v ca="$CPU_a" 'BEGIN {
        r = c / a; printf "%-40s %8.2f   %-10s %s\n", "rpmkeys / rpmvet --jobs 1", r, ">= 3.0", (r >= 3.0 ? "met" : "NOT met")
        r = a / d; printf "%-40s %8.2f   %-10s %s\n", "rpmvet --jobs 1 / openssl", r, "<= 1.3", (r <= 1.3 ? "met" : "NOT met")
        r = c / b; printf "%-40s %8.2f   %-10s %s\n", "rpmkeys / rpmvet (all CPUs)", r, "-", "(info)"
        r = ca / d; printf "%-40s %8.2f   %-10s %s\n", "rpmvet --jobs 1 CPU s / openssl s", r, "-", "(info)"
        r = c / e; printf "%-40s %8.2f   %-10s %s\n", "rpmkeys / rpmvet json (+file SHA-256)", r, "-", "(info)"
        r = e / d; printf "%-40s %8.2f   %-10s %s\n", "rpmvet json (+file SHA-256) / openssl", r, "-", "(info)"
    }'
    echo
    if [ "$SKIP_HUGE" = 1 ]; then
        printf 'peak RSS on a 1 GiB SRPM: skipped (BENCH_SKIP_HUGE=1); target < 50 MiB: not measured\n'
    else
        awk -v hb="$(stat -c %s "$HUGE_FILE")" -v t="$RSS_TOOL" 'BEGIN {
            printf "peak RSS, one SRPM of %.1f MiB (measured with %s):\n", hb / 1048576, t }'
        awk -v ra="$RSS_a" -v rc="$RSS_c" -v sa="$RSS_SECS_a" -v sc="$RSS_SECS_c" 'BEGIN {
            m = ra / 1024
            printf "  %-34s %8.1f MiB  (%5.2f s)   target < 50 MiB: %s\n", "rpmvet verify --jobs 1", m, sa, (m < 50 ? "met" : "NOT met")
            printf "  %-34s %8.1f MiB  (%5.2f s)   (info)\n", "rpmkeys --checksig", rc / 1024, sc
        }'
    fi
    if [ -f "$SET/.gen-seconds" ]; then
        printf '\ndata generation time (cached in the stamps): set %s s' "$(cat "$SET/.gen-seconds")"
        if [ "$SKIP_HUGE" != 1 ]; then printf ', huge SRPM %s s' "$(cat "$HUGE/.gen-seconds" 2>/dev/null || echo '?')"; fi
        printf '\n'
    fi
} >"$REPORT"

# raw per-run numbers next to the table
for k in a b c d e; do
    lbl=LABEL_$k
    awk -v l="${!lbl}" '{ printf "%s\trun %d\treal %s\tuser %s\tsys %s\n", l, NR, $1, $2, $3 }' "$TMPD/times.$k"
done >"$RESULTS/$STAMP-verify.raw.tsv"

cat "$REPORT"
log "table saved to $REPORT"
exit 0
