#!/bin/sh
# Screen 5 in a real terminal (tmux): launch the example project's train
# entry from the form, follow its output live, kill it with K; a job
# launched from the UI outlives the UI quitting and the terminal going
# away (tmux killed: SIGHUP).
. "$(dirname "$0")/lib.sh"
# The store by its full path: the UI runs in the project's folder.
W=$MLWB_DB
"$MLWB" --db "$W" init >/dev/null
"$MLWB" project example ex >/dev/null
tui_cleanup() {
	for p in $(pgrep -f "$W jobs supervise"); do kill "$p"; done
}
# state NAME: the state of the job of run NAME, from the command line.
state() {
	"$MLWB" --db "$W" jobs ls --all --format csv |
	    awk -F, -v n="$1" '$3 == n { print $5 }'
}
wait_state() {
	i=0
	while [ $i -lt 200 ]; do
		[ "$(state "$1")" = "$2" ] && return 0
		sleep 0.1
		i=$((i + 1))
	done
	return 1
}

tui_open 120 36
keys "cd '$T/ex' && '$MLWB' --db '$W'; echo EXIT-\$?" Enter
ok "the UI starts" wait_for "experiments"
keys 5
ok "5 opens the jobs screen" wait_for "no jobs yet: r launches"
keys r
ok "r lists the entry points of ./mlwb.yaml" wait_for "> train +sh train.sh"
keys Enter
ok "Enter opens the parameter form with the defaults" wait_for "epochs +int +10"
keys j Enter BSpace BSpace x Enter
ok "a wrong type is refused" wait_for "epochs must be an integer"
keys Enter BSpace BSpace 4 0 Enter
ok "a right one is taken" wait_for "epochs +int +40"
keys j j j j j j Enter C-u u i - r u n - 1 Enter
ok "run name set" wait_for "run name +ui-run-1"
keys r
ok "r launches and goes back to the jobs" wait_for "ui-run-1 .*train +running"
keys o
ok "o follows the output" wait_for "Epoch 2/40"
like "the progress bar in its last state" "$(screen)" "938/938 \\[=+\\] - 2s 3ms/step - loss: "
ok "metrics on top as they are captured, with sparklines" \
    wait_for "val_acc +0\\.[0-9]+ +[▁▂▃▄▅▆▇█]+"
unlike "no raw escape or CR shown" "$(screen)" "ETA"
ok "still following" wait_for "Epoch 5/40"
keys K
ok "K asks first" wait_for "Kill ui-run-1 \\(running\\)\\? \\[y/N\\]"
keys y
ok "killed" wait_for "ui-run-1 +killed"
is "the command line agrees" "$(state ui-run-1)" "killed"
keys q
ok "q back to the jobs" wait_for "ui-run-1 .*train +killed +[0-9]+s +143"

# A job outlives the UI.
keys r Enter
wait_for "epochs +int +10"
keys j Enter BSpace BSpace 2 5 Enter j j j j j j Enter C-u u i - r u n - 2 Enter r
ok "second launch" wait_for "ui-run-2 .*train +running"
keys Q
ok "the UI quits" wait_for "EXIT-0"
sleep 0.5
is "the job goes on without the UI" "$(state ui-run-2)" "running"

# A job outlives its terminal.
keys "'$MLWB' --db '$W'" Enter
wait_for "experiments"
keys 5 r Enter
wait_for "epochs +int +10"
keys j Enter BSpace BSpace 2 5 Enter j j j j j j Enter C-u u i - r u n - 3 Enter r
ok "third launch" wait_for "ui-run-3 .*train +running"
tm kill-server
sleep 0.5
is "the terminal is gone, the job is not" "$(state ui-run-3)" "running"
ok "and it finishes" wait_state ui-run-3 finished
ok "so does the one the UI left" wait_state ui-run-2 finished
ok "its metrics were captured" "$MLWB" --db "$W" metrics example/ui-run-3 val_acc --format csv
is "one point per epoch" "$(sed 1d "$T/out" | wc -l | tr -d ' ')" "25"
ok "doctor: jobs and runs agree" "$MLWB" --db "$W" doctor
done_testing
