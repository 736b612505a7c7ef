#!/bin/bash
# bench/export.sh - benchmark of `rpmvet export` (SPDX 2.3 and CycloneDX 1.6) on a repository of
# 10,000 packages.
#
# Usage (from the project root, after `make`):
#     bash bench/export.sh
#
# Environment:
#     BENCH_OUT=DIR     where data goes (default: bench/out, git-ignored), shared with bench/admit.sh.
#                       The repository exported is bench/admit.sh's large one, OUT/admit/repo-big.
#                       When it is missing or does not hold BENCH_BIG_N (or BENCH_BIG_N + 2, after a
#                       full bench/admit.sh run) packages, it is made by
#                           BENCH_FILL_ONLY=1 bash bench/admit.sh
#                       (its generator: BENCH_BIG_N tiny signed SRPMs, cached in OUT/big/; the first
#                       time also OUT/set/ from bench/verify.sh; ~3 min, then ~1.5 min with the
#                       SRPMs cached).
#     BENCH_RUNS=N      timed runs per format (default 5; median reported).
#     BENCH_BIG_N=N     packages in the repository (default 10000).
#     RPMVET=PATH       the binary to benchmark (default: ./rpmvet; copied before use, so a
#                       concurrent `make` cannot swap it mid-run).
#
# What it does, for each format (spdx, cyclonedx):
#     one untimed warm-up run, whose output must be one JSON document (jq) listing every package
#     of the repository; then BENCH_RUNS runs of
#         rpmvet export --repo R --format FMT >FILE
#     each under /usr/bin/time (wall clock from bash, peak RSS from time's %M); the output of
#     every run must be byte-identical to the warm-up's (the export is deterministic).
#     Reported: median wall time, median and maximum peak RSS, document size, and, as the measure
#     of bounded memory, peak RSS per package and peak RSS / document size.
#     Targets: median < 1 s; peak RSS < 4x the document size (an in-memory tree of the whole
#     document costs far more than that). For scale, also (info) `rpmvet list` on the same
#     repository (the fixed cost of opening it).
# The table is saved under OUT/results/.
#
# Exit status: 0 when everything ran (even if a target is NOT met); non-zero if something failed.
# Needs bash >= 5, /usr/bin/time (GNU), jq, coreutils, awk; to build the repository, what
# bench/admit.sh needs.

if [ -z "${BASH_VERSION:-}" ]; then
    exec bash "$0" "$@"
fi

. "$(dirname "$0")/lib.sh"

[ "${BASH_VERSINFO[0]}" -ge 5 ] || die "bash >= 5 needed (EPOCHREALTIME)"

RPMVET_SRC=${RPMVET:-$ROOT/rpmvet}
RUNS=${BENCH_RUNS:-5}
BIG_N=${BENCH_BIG_N:-10000}
for v in RUNS BIG_N; do
    case ${!v} in ''|*[!0-9]*|0) die "$v must be a positive number, not '${!v}'";; esac
done
for t in /usr/bin/time jq awk sort cmp stat; do
    command -v "$t" >/dev/null 2>&1 || die "required tool '$t' not found"
done
[ -x "$RPMVET_SRC" ] || die "$RPMVET_SRC not found or not executable: run 'make' first"

OUT=${BENCH_OUT:-$ROOT/bench/out}
mkdir -p "$OUT" || die "cannot create $OUT"
OUT=$(cd "$OUT" && pwd)
LOAD_START=$(cut -d' ' -f1-3 /proc/loadavg)
T_START=$(us)

TMPD=$(mktemp -d "${TMPDIR:-/tmp}/rpmvet-export.XXXXXX")
trap 'rm -rf "$TMPD"' EXIT
trap 'exit 130' INT TERM
RPMVET=$TMPD/rpmvet
cp "$RPMVET_SRC" "$RPMVET"

median() {  # median of the numbers on stdin
    sort -g | awk '{ v[NR] = $1 } END { if (NR == 0) exit 1
        if (NR % 2) printf "%.3f", v[(NR + 1) / 2]; else printf "%.3f", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}
runs_of() { awk '{ printf "%s%s", sep, $1; sep = " " }' "$1"; }

# the repository: bench/admit.sh's large one, made by its generator when missing
R=$OUT/admit/repo-big
count() { "$RPMVET" list --repo "$R" 2>/dev/null | tail -n 1; }
n_pkgs=
if [ -f "$R/rpmvet.db" ]; then
    n_pkgs=$(count)
fi
if [ "$n_pkgs" != "$BIG_N package(s)" ] && [ "$n_pkgs" != "$((BIG_N + 2)) package(s)" ]; then
    log "no $BIG_N-package repository in $R: making it with BENCH_FILL_ONLY=1 bench/admit.sh"
    BENCH_OUT=$OUT BENCH_BIG_N=$BIG_N BENCH_FILL_ONLY=1 RPMVET=$RPMVET_SRC bash "$ROOT/bench/admit.sh" ||
        die "bench/admit.sh could not make the repository"
    n_pkgs=$(count)
fi
N=${n_pkgs% package(s)}
case $N in ''|*[!0-9]*) die "rpmvet list --repo $R says '$n_pkgs'";; esac
log "exporting $R ($N packages, db $(du -h "$R/rpmvet.db" | cut -f1))"

WORK=$OUT/export
rm -rf "$WORK"
mkdir -p "$WORK" "$OUT/results"
STAMP=$(date +%Y%m%d-%H%M%S)

# timed OUTFILE CMD...: run CMD under /usr/bin/time, stdout to OUTFILE; sets T_US (wall, µs) and
# RSS_KB (peak RSS, KiB). It must exit 0 and print nothing on stderr but the expected warning (the
# generated packages have no vendor or dist tag, and admit.sh's policy no export.purl-namespace, so
# the purls use the repository's name), else the script stops.
timed() {
    local of=$1 t0 rc=0
    shift
    t0=$(us)
    /usr/bin/time -o "$TMPD/time" -f '%M' "$@" </dev/null >"$of" 2>"$TMPD/err" || rc=$?
    T_US=$(( $(us) - t0 ))
    if [ "$rc" != 0 ] || grep -v -q "^rpmvet: warning: no purl namespace for '" "$TMPD/err"; then
        head -n 20 "$TMPD/err" >&2
        die "'$*' exited $rc or printed on stderr"
    fi
    RSS_KB=$(tail -n 1 "$TMPD/time")
}

# (info) the fixed cost of opening the repository and reading its rows
timed /dev/null "$RPMVET" list --repo "$R"
: >"$TMPD/t.list"
for r in $(seq 1 "$RUNS"); do
    timed /dev/null "$RPMVET" list --repo "$R"
    secs "$T_US" >>"$TMPD/t.list"
done
M_LIST=$(median <"$TMPD/t.list")

for fmt in spdx cyclonedx; do
    ref=$WORK/export.$fmt.json
    timed "$ref" "$RPMVET" export --repo "$R" --format "$fmt"      # warm-up, kept
    case $fmt in
        spdx) got=$(jq '[.packages[] | select(.SPDXID | startswith("SPDXRef-Package-"))] | length' "$ref") ;;
        cyclonedx) got=$(jq '.components | length' "$ref") ;;
    esac
    [ "$got" = "$N" ] || die "the $fmt document lists $got packages, expected $N"
    printf '%s\n' "$(stat -c %s "$ref")" >"$TMPD/size.$fmt"
    : >"$TMPD/t.$fmt"
    : >"$TMPD/rss.$fmt"
    for r in $(seq 1 "$RUNS"); do
        timed "$WORK/run.json" "$RPMVET" export --repo "$R" --format "$fmt"
        cmp -s "$ref" "$WORK/run.json" || die "$fmt run $r differs from the first export (not deterministic)"
        secs "$T_US" >>"$TMPD/t.$fmt"
        echo "$RSS_KB" >>"$TMPD/rss.$fmt"
        log "  $fmt run $r/$RUNS: $(tail -n 1 "$TMPD/t.$fmt") s, peak RSS $((RSS_KB / 1024)) MiB"
    done
    rm -f "$WORK/run.json"
done

# ---- report ------------------------------------------------------------------------------------
REPORT=$OUT/results/$STAMP-export.txt
cpu_model=$(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo 2>/dev/null || true)
{
    printf 'rpmvet export benchmark | %s | %s CPUs | %s\n' "$("$RPMVET" version 2>/dev/null || echo rpmvet)" \
        "$(nproc)" "${cpu_model:-unknown CPU}"
    printf 'load average at start %s, at end %s (other load on the machine skews every number)\n' \
        "$LOAD_START" "$(cut -d' ' -f1-3 /proc/loadavg)"
    printf 'repository %s: %d packages; median of %d runs, warm page cache, output to a file\n\n' "$R" "$N" "$RUNS"
    printf '%-34s %9s %10s %10s %9s  %s\n' format 'median s' 'RSS MiB' 'doc MiB' 'RSS/doc' 'runs (s)'
    for fmt in spdx cyclonedx; do
        rss=$(median <"$TMPD/rss.$fmt")
        awk -v f="rpmvet export --format $fmt" -v t="$(median <"$TMPD/t.$fmt")" -v r="$rss" \
            -v s="$(cat "$TMPD/size.$fmt")" -v runs="$(runs_of "$TMPD/t.$fmt")" 'BEGIN {
            printf "%-34s %9.3f %10.1f %10.1f %9.2f  %s\n", f, t, r / 1024, s / 1048576, r * 1024 / s, runs }'
    done
    printf '%-34s %9s\n' '(info) rpmvet list' "$M_LIST"
    echo
    printf '%-52s %10s   %-12s %s\n' targets value target result
    for fmt in spdx cyclonedx; do
        awk -v f="$fmt" -v n="$N" -v t="$(median <"$TMPD/t.$fmt")" -v r="$(sort -n "$TMPD/rss.$fmt" | tail -n 1)" \
            -v s="$(cat "$TMPD/size.$fmt")" 'BEGIN {
            printf "%-52s %10.3f   %-12s %s\n", "export " f " of " n " packages (s)", t, "< 1 s", (t < 1 ? "met" : "NOT met")
            q = r * 1024 / s
            printf "%-52s %10.2f   %-12s %s\n", "export " f ": max peak RSS / document size", q, "< 4", (q < 4 ? "met" : "NOT met")
            printf "%-52s %10.1f   %-12s\n", "(info) export " f ": peak RSS per package (KiB)", r / n, "-" }'
    done
    printf 'this run took %s s\n' "$(secs $(( $(us) - T_START )))"
} >"$REPORT"
cat "$REPORT"
log "table saved to $REPORT; documents kept in $WORK"
exit 0
