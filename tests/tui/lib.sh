# tests/tui/lib.sh: what every tmux suite shares, on top of
# tests/cli/lib.sh (TAP, a fresh folder $T as the working directory, a
# fresh store in $MLWB_DB).  A suite sources it first, then:
#   W                the store under test as the suite passes it to mlwb:
#                    a file named from $T, where we are, or under check-pg
#                    a PostgreSQL URL
#   tui_open W H [VAR=VALUE...]   a W x H tmux session running sh, the
#                    status line off (the variables go into sh's env)
#   keys KEYS...     send-keys to it;  screen: the pane's text
#   wait_for RE [TENTHS]   poll the screen for RE (grep -E), 10 s or
#                    TENTHS/10 s (TUI_WAIT sets the default)
#   quit             Q, then wait until the UI has left the screen, so
#                    that what is typed next goes to the shell, not to a UI
#                    still quitting (under load)
#   tui_cleanup      a suite's own exit work (redefine it): runs before the
#                    tmux server is killed and $T removed
# tmux is required: without it the suite fails, it is not skipped.
. "$(dirname "$0")/../cli/lib.sh"
command -v tmux >/dev/null 2>&1 ||
    { echo "Bail out! tmux is not installed (tests/tui needs it)"; exit 1; }
export TZ=UTC
W=${MLWB_DB#"$T"/}
tui_sock="mlwb-$(basename "$0" .sh)-$$"
tm() { tmux -L "$tui_sock" -f /dev/null "$@"; }
tui_cleanup() { :; }
trap 'tui_cleanup; tm kill-server 2>/dev/null; lib_cleanup' EXIT
screen() { tm capture-pane -p -t t; }
wait_for() {
	_i=0
	while [ $_i -lt "${2:-${TUI_WAIT:-100}}" ]; do
		screen | grep -Eq -- "$1" && return 0
		sleep 0.1
		_i=$((_i + 1))
	done
	return 1
}
keys() { tm send-keys -t t "$@"; }
quit() {
	keys Q
	_i=0
	while [ $_i -lt 100 ] && screen | head -1 | grep -q '^ mlwb |'; do
		sleep 0.1
		_i=$((_i + 1))
	done
}
tui_open() {
	_w=$1 _h=$2
	shift 2
	tm new-session -d -s t -x "$_w" -y "$_h" "env PS1='$ ' $* sh"
	tm set-option -t t status off >/dev/null
}
