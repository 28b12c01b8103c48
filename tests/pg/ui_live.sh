#!/bin/sh
# The UI on PostgreSQL in a real terminal (tmux): live refresh (another
# process logs a run; the open UI shows it within 2 s, through
# LISTEN/NOTIFY), and the server going away and coming back (the status
# line says "reconnecting", then the UI reloads, showing what was written
# meanwhile).  The server it stops is a private throwaway cluster of its
# own (tests/pg/cluster.sh), never $MLWB_TEST_DB's.  Run by make check-pg.
. "$(dirname "$0")/../cli/lib.sh"
case $MLWB_DB in
postgres://*|postgresql://*) ;;
*)	echo "Bail out! tests/pg/ui_live.sh needs MLWB_TEST_DB=postgresql://..."
	exit 1 ;;
esac
command -v tmux >/dev/null 2>&1 ||
    { echo "Bail out! tmux is not installed"; exit 1; }
export TZ=UTC
cluster=$top_srcdir/tests/pg/cluster.sh
# A free loopback port for the private cluster.
port=$(( 30000 + $$ % 20000 ))
while ss -Hltn "sport = :$port" | grep -q .; do port=$((port + 1)); done
CL=$T/cluster
# The cluster's owner (postgres, when run as root) must reach its folder.
chmod 755 "$T"
# Set before the start: a start that fails half way is cleaned up too.
trap 'tm kill-server >/dev/null 2>&1; sh "$cluster" stop "$CL"; psql -qX "$MLWB_TEST_DB" -c "DROP DATABASE IF EXISTS $_pgdb WITH (FORCE)" >/dev/null 2>&1; rm -rf "$T"' EXIT
url=$(sh "$cluster" start "$CL" $port) ||
    { echo "Bail out! cannot start a private cluster"; exit 1; }
psql -qX "$url" -c "CREATE DATABASE live" >/dev/null
W=$(printf %s "$url" | sed 's|/postgres$|/live|')
sock="mlwb-pg-$$"
tm() { tmux -L "$sock" -f /dev/null "$@"; }
screen() { tm capture-pane -p -t t; }
# wait_for PATTERN [SECONDS]: poll the screen (10 s by default).
wait_for() {
	i=0
	while [ $i -lt $((${2:-10} * 10)) ]; do
		screen | grep -Eq -- "$1" && return 0
		sleep 0.1
		i=$((i + 1))
	done
	return 1
}
keys() { tm send-keys -t t "$@"; }

"$MLWB" --db "$W" log --new -e base --name first -m loss=1 >/dev/null
tm new-session -d -s t -x 120 -y 30 "env PS1='$ ' sh"
tm set-option -t t status off >/dev/null
keys "cd '$T' && '$MLWB' --db '$W'; echo EXIT-\$?" Enter
ok "the UI starts on the PostgreSQL store" wait_for "experiments +1"

# Live refresh: a commit by another process (another box, say).
"$MLWB" --db "$W" log --new -e live --name appeared >/dev/null
t0=$(date +%s%N)
ok "a run logged by another process shows within 2 s" wait_for "live +1" 2
t1=$(date +%s%N)
echo "# shown after $(( (t1 - t0) / 1000000 )) ms"

# The server goes away.
sh "$cluster" pause "$CL"
ok "the status line says reconnecting" wait_for "reconnecting: .*server unreachable" 5
unlike "the UI is still open" "$(screen)" "EXIT-"
keys j
ok "keys still work (the cursor moves)" wait_for "^ >"
# ... and comes back, after a write the UI was not told about.
sh "$cluster" resume "$CL" $port
"$MLWB" --db "$W" log --new -e meanwhile --name m >/dev/null
ok "reconnected" wait_for "reconnected to " 10
ok "and reloaded: what was written while away shows" wait_for "meanwhile +1" 3
"$MLWB" --db "$W" log --new -e after --name a >/dev/null
ok "live refresh works again after the reconnect" wait_for "after +1" 2
keys Q
ok "quits with status 0" wait_for "EXIT-0"

done_testing
