#!/bin/bash
# bench/fetch.sh - `rpmvet fetch` of 200 SRPMs from a loopback mirror against curl fetching the same files.
#
# Usage (from the project root, after `make`):
#     bash bench/fetch.sh
#
# Environment:
#     BENCH_OUT=DIR   where the data is (default: bench/out, git-ignored): the 200 signed SRPMs of
#                     bench/verify.sh (set/), built by it once when missing (about 45 s).
#     BENCH_RUNS=N    timed runs per command (default 3; the median is reported).
#     RPMVET=PATH     the binary to benchmark (default: ./rpmvet; copied before use).
#
# What it does:
#  1. An upstream source repository: the 200 SRPMs (hard links) under Packages/ with
#     createrepo_c metadata (sha256 checksums).
#  2. Serves it with `python3 -m http.server` on 127.0.0.1, a free port. That server speaks
#     HTTP/1.0 and closes the connection after each response, so neither client waits on a
#     kept-alive connection (cli/tests/data/fetch-server.py keeps connections alive without
#     TCP_NODELAY: every response on a reused connection then waits ~40 ms for a delayed ACK,
#     which made curl's figure 9 s instead of 0.5 s).
#  3. Warm page cache (one untimed run of each, which must succeed), then the median of
#     BENCH_RUNS runs of
#       (a) curl: one process given every URL (`curl -K`), then `openssl dgst -sha256` of the 200
#           files compared with their checksums (taken from the files served, which are primary's);
#       (b) rpmvet -q fetch --from URL -o DIR <the 200 names>: repomd.xml, primary (checked against
#           repomd.xml), then each package downloaded and checked for size and checksum against
#           primary; a fresh metadata cache each run, so it downloads and parses primary each time.
#     Both start from an empty output directory. Also (info) curl alone, nothing checked.
#  4. Prints the seconds and the ratio (b)/(a); target: at most 1.15.
#
# Exit status: 0 when everything ran (even if the target is not met), non-zero if something failed.
. "$(dirname "$0")/lib.sh"

RUNS=${BENCH_RUNS:-3}
case $RUNS in ''|*[!0-9]*|0) die "BENCH_RUNS must be a positive number, not '$RUNS'";; esac
RPMVET_SRC=${RPMVET:-$ROOT/rpmvet}
[ -x "$RPMVET_SRC" ] || die "$RPMVET_SRC not found or not executable: run 'make' first"
for t in curl createrepo_c python3 openssl cmp awk; do
    command -v "$t" >/dev/null 2>&1 || die "required tool '$t' not found"
done
OUT=${BENCH_OUT:-$ROOT/bench/out}
SET=$OUT/set

if [ ! -f "$SET/.stamp" ]; then
    log "no benchmark set in $SET: building it with bench/verify.sh (once, about 45 s)"
    BENCH_OUT=$OUT BENCH_GENERATE_ONLY=1 BENCH_SKIP_HUGE=1 bash bench/verify.sh
fi
FILES=("$SET"/*.src.rpm)
[ "${#FILES[@]}" = 200 ] || die "$SET holds ${#FILES[@]} SRPMs, expected 200: delete $SET and rerun"

T=$(mktemp -d "${TMPDIR:-/tmp}/rpmvet-bench-fetch.XXXXXX")
srv=
cleanup() {
    local rc=$?
    [ -z "$srv" ] || kill "$srv" 2>/dev/null || true
    rm -rf "$T"
    exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

RPMVET=$T/rpmvet
cp "$RPMVET_SRC" "$RPMVET"
mkdir -p "$T/up/Packages"
cp -l "${FILES[@]}" "$T/up/Packages/" 2>/dev/null || cp "${FILES[@]}" "$T/up/Packages/"
createrepo_c -q "$T/up" || die "createrepo_c failed"
# the SHA-256 of every file as `openssl dgst -sha256 -r` prints it ("HEX *NAME"): openssl's SHA-256
# (SHA-NI) is 3-4x faster here than coreutils' sha256sum, which would flatter rpmvet
sums() { openssl dgst -sha256 -r -- *.src.rpm | sort -k2; }
(cd "$T/up/Packages" && sums) >"$T/sums"
TOTAL=$(stat -c %s "$T"/up/Packages/*.src.rpm | awk '{ s += $1 } END { printf "%.0f", s / 1048576 }')

python3 -u -m http.server --bind 127.0.0.1 --directory "$T/up" 0 >"$T/server.log" 2>&1 &
srv=$!
port=
for _ in $(seq 100); do
    port=$(sed -n 's/.* port \([0-9][0-9]*\).*/\1/p' "$T/server.log" | head -n 1)
    [ -n "$port" ] && break
    sleep 0.05
done
[ -n "$port" ] || die "the http server did not start: $(cat "$T/server.log")"
U=http://127.0.0.1:$port
for f in "$T"/up/Packages/*.src.rpm; do
    b=${f##*/}
    printf 'url = "%s/Packages/%s"\noutput = "%s"\n' "$U" "$b" "$b"
done >"$T/curl.cfg"
mapfile -t NAMES < <(cd "$T/up/Packages" && ls -- *.src.rpm | sed 's/-[^-]*-[^-]*\.src\.rpm$//')

run_curl() {
    rm -rf "$T/c" && mkdir "$T/c"
    (cd "$T/c" && curl -sSf -K "$T/curl.cfg" && sums | cmp -s - "$T/sums")
}
run_curl_only() {
    rm -rf "$T/c" && mkdir "$T/c"
    (cd "$T/c" && curl -sSf -K "$T/curl.cfg")
}
run_rpmvet() {
    rm -rf "$T/r" "$T/cache" && mkdir "$T/r"
    XDG_CACHE_HOME=$T/cache "$RPMVET" -q fetch --from "$U/" -o "$T/r" "${NAMES[@]}" >/dev/null
}
# time_median FN: the median of RUNS timed runs of FN, in seconds
time_median() {
    local i t0 t1
    for i in $(seq "$RUNS"); do
        t0=$(now)
        "$1" || die "$1 failed"
        t1=$(now)
        awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f\n", b - a }'
    done | sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'
}

log "warming up: one untimed run of each (200 SRPMs, $TOTAL MiB, from $U)"
run_curl || die "the check run of curl failed"
run_rpmvet || die "the check run of rpmvet fetch failed"
n=$(find "$T/r" -name '*.src.rpm' | wc -l)
[ "$n" = 200 ] || die "rpmvet fetch wrote $n packages, expected 200"
(cd "$T/r" && sums | cmp -s - "$T/sums") || die "rpmvet fetch wrote different bytes"

C=$(time_median run_curl)
R=$(time_median run_rpmvet)
C0=$(time_median run_curl_only)
ratio=$(awk -v r="$R" -v c="$C" 'BEGIN { printf "%.2f", r / c }')
met=$(awk -v x="$ratio" 'BEGIN { print (x <= 1.15) ? "met" : "NOT met" }')
printf '\n200 SRPMs (%s MiB) from a loopback python3 http.server, warm page cache, median of %s runs\n' "$TOTAL" "$RUNS"
printf '| command | seconds |\n|---|---|\n'
printf '| curl -K (one process, 200 URLs) + openssl dgst -sha256 compared | %s |\n' "$C"
printf '| rpmvet fetch (metadata + 200 packages, size and checksum checked) | %s |\n' "$R"
printf '| (info) curl -K alone, nothing checked | %s |\n' "$C0"
printf '\nratio rpmvet / curl: %sx (target <= 1.15x: %s)\n' "$ratio" "$met"
