# SPDX-License-Identifier: MIT
# TAP helpers for rpmvet's end-to-end tests: source this from a .t file.
# Each test file runs in its own temporary directory; $HOME is never touched.
set -u
RPMVET=${RPMVET:-$(cd "$(dirname "$0")/../.." && pwd)/rpmvet}
TOP=$(cd "$(dirname "$0")/../.." && pwd)
FX=${RPMVET_FIXTURES:-$TOP/testdata/build}
SHARED=${RPMVET_SHARED_DATA:-$TOP/../shared/data}
T=$(mktemp -d "${TMPDIR:-/tmp}/rpmvet-test.XXXXXX")
export HOME="$T/home" NO_COLOR= LC_ALL=C.UTF-8
mkdir -p "$HOME"
trap 'rm -rf "$T"' EXIT
_n=0
_failed=0

plan() { echo "1..$1"; }
skip_all() { echo "1..0 # SKIP $1"; exit 0; }
need_fixtures() { [ -f "$FX/.complete" ] || skip_all "fixtures not built (make fixtures)"; }

_report() { # status description [diagnostics...]
	_n=$((_n + 1))
	if [ "$1" -eq 0 ]; then
		echo "ok $_n - $2"
	else
		echo "not ok $_n - $2"
		_failed=$((_failed + 1))
		shift 2
		for d in "$@"; do printf '%s\n' "$d" | sed 's/^/#   /'; done
		if [ -f "$T/out" ]; then echo "#   stdout:"; sed 's/^/#     /' "$T/out" | head -40; fi
		if [ -f "$T/err" ]; then echo "#   stderr:"; sed 's/^/#     /' "$T/err" | head -20; fi
	fi
}

# run CMD ARGS...: stdout to $T/out, stderr to $T/err, exit code in $rc
run() { "$@" >"$T/out" 2>"$T/err"; rc=$?; }
rpmvet() { "$RPMVET" "$@"; }

ok() { _report "$1" "$2"; }
is_rc() { [ "$rc" -eq "$1" ]; _report $? "$2 (exit $1)" "expected exit $1, got $rc"; }
# out_has / err_has PATTERN DESC: fixed-string match
out_has() { grep -qF -- "$1" "$T/out"; _report $? "$2" "stdout lacks: $1"; }
err_has() { grep -qF -- "$1" "$T/err"; _report $? "$2" "stderr lacks: $1"; }
out_lacks() { ! grep -qF -- "$1" "$T/out"; _report $? "$2" "stdout has: $1"; }
err_empty() { [ ! -s "$T/err" ]; _report $? "$1" "stderr is not empty"; }
out_empty() { [ ! -s "$T/out" ]; _report $? "$1" "stdout is not empty"; }
# is GOT WANT DESC
is() { [ "$1" = "$2" ]; _report $? "$3" "got:  $1" "want: $2"; }
# jq_is FILTER WANT DESC: run jq on stdout
jq_is() { _got=$(jq -r "$1" "$T/out" 2>&1); is "$_got" "$2" "$3"; }

done_testing() {
	echo "1..$_n"
	[ "$_failed" -eq 0 ]
	exit $?
}

# A trust store holding the trusted fixture keys.
make_store() { # DIR KEY...
	_d=$1; shift
	for k in "$@"; do "$RPMVET" key add --keys "$_d" "$FX/keys/$k.asc" >/dev/null || return 1; done
}
fpr_of() { awk -v n="$1" '$1 == n { print $3 }' "$FX/keys/fingerprints.txt"; }
