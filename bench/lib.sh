# SPDX-License-Identifier: MIT
# bench/lib.sh - what every benchmark starts with: strict shell, the C locale
# and UTC, messages named by the script, clocks, and the project root as the
# working directory.  Source it first: . "$(dirname "$0")/lib.sh"
set -eu
umask 022
export LC_ALL=C TZ=UTC

prog=bench/$(basename "$0")
log() { printf '%s: %s\n' "$prog" "$*" >&2; }
die() { printf '%s: error: %s\n' "$prog" "$*" >&2; exit 1; }
us() { local t=${EPOCHREALTIME/./}; echo "${t#0}"; }           # wall clock, microseconds (bash 5)
secs() { awk -v u="$1" 'BEGIN { printf "%.3f\n", u / 1e6 }'; }   # microseconds -> seconds
since() { secs $(( $(us) - $1 )); }
now() { date +%s.%N; }                                          # wall clock, seconds
elapsed() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.1f", b - a }'; }

ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
