#!/bin/sh
# SPDX-License-Identifier: MIT
# Progress on stderr: one line per package downloaded by fetch and admit --from
# (bytes, rate, ETA while it runs), and a line for long admit batches; only on
# a tty (script(1) gives one), never with -q or without a tty, and stdout the
# same either way.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/data/repo-lib.sh"
. "$(dirname "$0")/data/fetch-lib.sh"
fetch_setup script

mk_upstream "$T/up" "$FX/upsig/up-plain-1.0-1.src.rpm"
cp "$FX/srpms/rsa.src.rpm" "$T/up/Packages/hello-1.0-1.src.rpm" && createrepo_c -q "$T/up" >/dev/null
serve s "$T/up"
U="http://127.0.0.1:$s_port/"

# on_tty ARGS...: rpmvet ARGS with stderr on a tty, stdout to $T/out; what the
# tty showed goes to $T/tty, the exit code to $rc
printf '#!/bin/sh\nout=$1; shift; exec "$@" >"$out"\n' > "$T/wrap.sh"
on_tty() {
	script -qec "sh $T/wrap.sh $T/out $RPMVET $*" "$T/tty" </dev/null >/dev/null 2>&1
	rc=$?
}
tty_has() { grep -q -- "$1" "$T/tty"; _report $? "$2" "the tty lacks: $1"; }
tty_lacks() { ! grep -q -- "$1" "$T/tty"; _report $? "$2" "the tty has: $1"; }

mkdir -p "$T/o"
run rpmvet fetch --from "$U" -o "$T/o" hello up-plain
is_rc 0 "fetch without a tty"
err_empty "no progress when stderr is not a tty"
cp "$T/out" "$T/out.plain"
rm -f "$T"/o/*.rpm

on_tty fetch --from "$U" -o "$T/o" hello up-plain
is "$rc" 0 "fetch on a tty exits 0"
tty_has "rpmvet: hello-1.0-1.src.rpm  9.0 KiB  [0-9.]* [KMG]*i*B/s  [0-9.]* s" "a progress line for hello: bytes, rate, time"
tty_has "rpmvet: up-plain-1.0-1.src.rpm  7.1 KiB  " "a progress line for up-plain"
# each package's line ends (after the redraws, \r) with its time, then a newline
is "$(tr -d '\r' < "$T/tty" | grep -c "src\.rpm  [0-9.]* KiB  .*/s  [0-9.]* s$(printf '\033')\[K\$")" 2 "one finished line per package"
is "$(cat "$T/out")" "$(cat "$T/out.plain")" "stdout is the same with a tty"
rm -f "$T"/o/*.rpm

on_tty -q fetch --from "$U" -o "$T/o" hello up-plain
is "$rc" 0 "fetch -q on a tty exits 0"
tty_lacks "rpmvet:" "-q: no progress on the tty"
is "$(cat "$T/out")" "$(cat "$T/out.plain")" "stdout is the same with -q"

# a download that fails ends its line with "failed", then the error
rm -f "$T"/o/*.rpm
serve bad "$T/up" --rule /Packages/hello-1.0-1.src.rpm=500
on_tty fetch --retries 0 --from "http://127.0.0.1:$bad_port/" -o "$T/o" hello
is "$rc" 3 "a 500 on a tty exits 3"
tty_has "rpmvet: hello-1.0-1.src.rpm  0 B  failed" "the line says the download failed"
tty_has "rpmvet: error: cannot fetch 'hello': .*HTTP 500" "then the error"
[ ! -e "$T/o/hello-1.0-1.src.rpm" ]; ok $? "nothing fetched"

# admit --from: the download's line; the temporary directory differs per run
new_repo "$T/r1" && new_repo "$T/r2"
run rpmvet admit --repo "$T/r1" --from "$U" up-plain
is_rc 0 "admit --from without a tty"
err_empty "no progress when stderr is not a tty"
sed 's/rpmvet-admit-[A-Za-z0-9]*/TMP/' "$T/out" > "$T/out.plain"
on_tty admit --repo "$T/r2" --from "$U" up-plain
is "$rc" 0 "admit --from on a tty exits 0"
tty_has "rpmvet: up-plain-1.0-1.src.rpm  7.1 KiB  " "admit --from shows the download"
is "$(sed 's/rpmvet-admit-[A-Za-z0-9]*/TMP/' "$T/out")" "$(cat "$T/out.plain")" "stdout is the same with a tty"

# a long admit batch (more than 20 packages) shows how far verification is
mkdir -p "$T/batch"
i=0
while [ $i -lt 21 ]; do cp "$FX/srpms/rsa.src.rpm" "$T/batch/p$i.src.rpm"; i=$((i + 1)); done
run rpmvet admit --repo "$T/r1" --dry-run "$T/batch"
cp "$T/out" "$T/out.plain"; plainrc=$rc
is_rc 0 "a dry-run batch of 21 without a tty"
err_empty "no progress when stderr is not a tty"
on_tty admit --repo "$T/r1" --dry-run "$T/batch"
is "$rc" "$plainrc" "the same exit code on a tty"
tty_has "rpmvet: verified 21/21" "a progress line for the admit batch"
is "$(cat "$T/out")" "$(cat "$T/out.plain")" "stdout is the same with a tty"
on_tty -q admit --repo "$T/r1" --dry-run "$T/batch"
tty_lacks "verified" "-q: no batch progress"
is "$(cat "$T/out")" "$(cat "$T/out.plain")" "stdout is the same with -q"
# a batch of 20 is short: no line
rm "$T/batch/p20.src.rpm"
on_tty admit --repo "$T/r1" --dry-run "$T/batch"
tty_lacks "verified" "no progress for a batch of 20"
done_testing
