#!/bin/sh
# The progress line of a long import: nothing on stderr when it is not a
# terminal (or with --quiet); on a terminal (tmux) one line redrawn in
# place with done, total, rate and time left, cleared at the end.  The
# process is stopped (SIGSTOP) while the line is captured, so what is
# read does not depend on timing.
. "$(dirname "$0")/lib.sh"

# 2,000,000 rows (47 MB): a few seconds of work.
big() { seq 0 1999999 | awk -v h="$2" 'BEGIN { print "step,loss," h }
    { printf "%d,%.6f,%.4f\n", $1, 1 / ($1 + 1), ($1 % 1000) / 1000 }' > "$1"; }
big big.csv acc
big big2.csv acc2

"$MLWB" init >/dev/null
"$MLWB" import big.csv > out.txt 2> err.txt
is "an import with stderr to a file succeeds" "$?" 0
is "and prints no progress there" "$(cat err.txt)" ""
like "its summary is on stdout" "$(cat out.txt)" "^big.csv: wide, .*4000000 points"

sock="mlwb-progress-$$"
tm() { tmux -L "$sock" -f /dev/null "$@"; }
trap 'tm kill-server 2>/dev/null; rm -rf "$T"' EXIT
screen() { tm capture-pane -p -t t; }
wait_for() {	# wait_for REGEX: until the pane shows it (20 s at most)
	i=0
	while [ $i -lt 400 ]; do
		screen | grep -Eq -- "$1" && return 0
		sleep 0.05
		i=$((i + 1))
	done
	return 1
}
tm new-session -d -s t -x 120 -y 10 \
    "sh -c 'echo \$\$ > \"$T/pid\"; exec \"$MLWB\" --db \"$MLWB_DB\" import \"$T/big2.csv\"'; echo EXIT-\$?; sleep 600"
ok "on a terminal a progress line shows, with a rate once it has one" \
    wait_for "MB of [0-9]+\\.[0-9] MB \\([0-9]+%\\), [0-9.]+ MB/s"
pid=$(cat pid)
kill -STOP "$pid"
line=$(screen | grep "MB of")
kill -CONT "$pid"
like "it names the file, done of total, the share, rate and time left" "$line" \
    "^mlwb: .*big2\\.csv: [0-9.]+ [kM]?B of [0-9]+\\.[0-9] MB \\([0-9]+%\\), [0-9.]+ MB/s, [0-9]+ s left$"
is "on one line" "$(screen | grep -c 'MB of')" 1
ok "the import ends" wait_for "EXIT-0"
unlike "the line is cleared at the end" "$(screen)" "MB of"
like "the summary stands alone on its line" "$(screen | grep big2.csv)" "^[^ ]*big2\\.csv: wide, "

"$MLWB" import --quiet big2.csv --experiment q 2> err.txt >/dev/null
is "--quiet prints no progress either" "$(cat err.txt)" ""

done_testing
