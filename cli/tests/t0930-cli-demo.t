#!/bin/sh
# SPDX-License-Identifier: MIT
# The bundled demo (make demo) runs against this build, into its own directory:
# the auditor section labels every command it runs, and the JSON lines name each
# package's path (two packages of one NEVRA cannot be told apart otherwise).
. "$(dirname "$0")/lib.sh"
need_fixtures
command -v jq >/dev/null || skip_all "jq is not installed"

D="$T/demo"
run env RPMVET="$RPMVET" RPMVET_FIXTURES="$FX" RPMVET_DEMO_OUT="$D" sh "$TOP/testdata/demo.sh"
is_rc 0 "the demo runs to its end"
ok "$([ -f "$D/report.json" ] && [ -d "$D/repo/Packages" ]; echo $?)" "it writes into RPMVET_DEMO_OUT"
ok "$([ ! -e "$HOME/.cache" ]; echo $?)" "it leaves nothing in ~/.cache"

# each auditor command is labelled, and its output follows the label
label_then() { # COMMAND-LINE FIRST-OUTPUT-LINE-PREFIX DESC
	_next=$(grep -A1 -xF -- "\$ rpmvet $1" "$T/out" | sed -n 2p)
	case $_next in
	"$2"?*) ok 0 "$3" ;;
	*) _report 1 "$3" "no line '\$ rpmvet $1' followed by '$2...'" ;;
	esac
}
label_then "list --repo $D/repo" "fxlib-1.0-1.noarch  " "list is labelled"
label_then "history --repo $D/repo hello" "20" "history is labelled"
label_then "query --repo $D/repo --license Apache-2.0" "fxtool-2.1-3.noarch  " "query is labelled"
label_then "audit verify --repo $D/repo" "event log intact: " "audit verify is labelled"
label_then "repo check --repo $D/repo" "repository consistent: " "repo check is labelled"

# the JSON lines carry the path: rsa.src.rpm and otherkey.src.rpm are both hello-1.0-1.src
out_has '{"path":"srpms/rsa.src.rpm","nevra":"hello-1.0-1.src","verdict":"pass",' "the passing package's JSON line names its path"
out_has '{"path":"srpms/otherkey.src.rpm","nevra":"hello-1.0-1.src","verdict":"reject",' "the rejected one's names its own"

done_testing
