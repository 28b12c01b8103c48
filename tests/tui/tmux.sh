#!/bin/sh
# End-to-end tests in a real terminal: mlwb under tmux, driven with
# send-keys and read with capture-pane.  Start, drill in, sort, filter,
# mark, resize, NO_COLOR, the mouse, Ctrl-Z and fg, quit with Q and with
# Ctrl-C, and the shell is usable afterwards.
. "$(dirname "$0")/lib.sh"
"$MLWB" --db "$W" demo >/dev/null
tui_open 120 40
keys "cd '$T' && '$MLWB' --db '$W'; echo EXIT-\$?" Enter
ok "the UI starts on the experiments" wait_for "experiments +3"
like "three experiments listed" "$(screen)" "bert-sentiment .*12 .*1 .*1"
keys j Enter
ok "Enter opens the runs of an experiment" wait_for "runs of cifar10-resnet +24"
like "runs with status and params" "$(screen)" "resnet18-sgd-lr0.1-bs64 +finished"
# The run under the cursor (the first in natural order, which differs
# between the stores: doc/team.md).
first=$(screen | sed -n 3p | awk '{ print $1 }' | tr -d '>')
keys Enter
ok "Enter opens a run" wait_for "cifar10-resnet › run $first"
like "its metrics with sparklines" "$(screen)" "train_loss .*50"
keys q
ok "q goes back to the runs" wait_for "runs of cifar10-resnet"
keys S
ok "S sorts by the selected column, descending" wait_for "name▼"
# Natural order on PostgreSQL is ICU's numeric collation, which compares
# "0.03" and "0.1" by their digit runs (03 > 1), not as fractions.
case $W in
postgres://*|postgresql://*) last=resnet18-sgd-lr0.03-bs256 ;;
*) last=resnet18-sgd-lr0.1-bs256 ;;
esac
like "the first run is the last in natural order" "$(screen | sed -n 3p)" "$last"
keys / a d a m Enter
ok "/ filters" wait_for "filter: adam"
unlike "only adam runs" "$(screen | sed -n '3,14p')" "sgd"
keys Space
ok "Space marks" wait_for "1 marked"
like "the mark is shown" "$(screen)" "^\\*"
tm resize-window -t t -x 80 -y 24
ok "resize to 80x24" wait_for "filter: adam"
screen > "$T/small"
long=$(while IFS= read -r l; do
	[ "$(printf %s "$l" | LC_ALL=C.UTF-8 wc -m)" -gt 80 ] && echo "$l"
done < "$T/small")
is "every line fits 80 columns" "$long" ""
tm resize-window -t t -x 40 -y 10
ok "too small says so" wait_for "terminal too small"
tm resize-window -t t -x 120 -y 40
ok "and recovers" wait_for "runs of cifar10-resnet"
quit
ok "Q quits with status 0" wait_for "EXIT-0"
keys "stty -a | grep -Eo '(^| )-?(icanon|echo)( |$)' | tr -d ' ' | tr '\\n' ,; echo" Enter
ok "the terminal is restored (icanon, echo)" wait_for "^icanon,echo,"

keys clear Enter
keys "'$MLWB' --db '$W'; echo EXIT-\$?" Enter
ok "started again" wait_for "experiments +3"
keys C-c
ok "Ctrl-C quits cleanly" wait_for "EXIT-0"

keys clear Enter
keys "NO_COLOR=1 '$MLWB' --db '$W'" Enter
ok "NO_COLOR starts" wait_for "experiments +3"
tm capture-pane -p -e -t t > "$T/esc"
unlike "no colour sequences under NO_COLOR" "$(cat "$T/esc")" "[[;](3|4)[0-8](;|m)"
like "but reverse video for the cursor" "$(cat "$T/esc")" "[[;]7m"
quit
tm capture-pane -p -e -t t > /dev/null
keys clear Enter
keys "'$MLWB' --db '$W'" Enter
ok "colour otherwise" wait_for "experiments +3"
tm capture-pane -p -e -t t > "$T/esc"
like "colours are used" "$(cat "$T/esc")" "[[;](3|4)[0-8](;|m)"
quit

keys clear Enter
keys "LANG=C LC_ALL=C '$MLWB' --db '$W'" Enter
ok "LANG=C starts" wait_for "experiments +3"
keys j Enter
ok "ASCII sort marker in LANG=C" wait_for "started\\^"
quit

keys clear Enter
keys "'$MLWB' --db '$W' --read-only; echo EXIT-\$?" Enter
ok "read-only mode" wait_for "\\[read-only\\]"
quit
ok "quits" wait_for "EXIT-0"

keys clear Enter
keys "'$MLWB' --db '$W' --theme high-contrast; echo EXIT-\$?" Enter
wait_for "experiments +3" >/dev/null
pkill -TERM -f -- "--db $W --theme high-contrast"
ok "SIGTERM: the UI ends with 128+15" wait_for "EXIT-143"
keys "stty -a | grep -Eo '(^| )-?(icanon|echo)( |$)' | tr -d ' ' | tr '\\n' ,; echo" Enter
ok "and the terminal is restored" wait_for "^icanon,echo,"

# Live refresh: another process logs a run while the UI shows the list.
keys clear Enter
keys "'$MLWB' --db '$W'" Enter
wait_for "experiments +3" >/dev/null
"$MLWB" --db "$W" log --new -e live --name appeared >/dev/null
ok "a run logged by another process shows up" wait_for "live +1"
quit
# The mouse (--mouse): xterm's X10 reports, as tmux sends them for TERM=screen:
# ESC [ M, then 32+button, 33+column, 33+row.
keys clear Enter
keys "'$MLWB' --db '$W' --mouse" Enter
wait_for "experiments +3" >/dev/null
keys Enter
wait_for "runs of bert-sentiment" >/dev/null
tm send-keys -t t -l "$(printf '\033[M *&\033[M#*&')"
ok "a click selects the run under it" wait_for "^ >bert-base-lr5e-05-w500-s2 "
tm send-keys -t t -l "$(printf '\033[Ma*&')"
ok "the wheel scrolls down" wait_for "^ >bert-base-lr3e-05-w0-s1 "
quit
# Ctrl-Z suspends to the shell (the terminal usable), fg brings it back.
keys clear Enter
keys "'$MLWB' --db '$W'" Enter
wait_for "experiments +4" >/dev/null
keys C-z
ok "Ctrl-Z suspends the UI" wait_for "Stopped"
keys "stty -a | grep -Eo '(^| )-?(icanon|echo)( |$)' | tr -d ' ' | tr '\\n' ,; echo" Enter
ok "with the terminal restored" wait_for "^icanon,echo,"
keys clear Enter fg Enter
ok "fg resumes it, redrawn" wait_for "experiments +4"
quit
sleep 0.5
keys clear Enter "echo AFTER-\$?" Enter
ok "and it quits normally" wait_for "AFTER-0"

# Nothing quits by accident: on every top-level screen, Esc, Alt-x and an
# arrow key split in two (Esc, then "[A" 300 ms later, as over a slow
# link) leave the UI open; q asks first, n keeps it, y quits.
keys clear Enter
keys "'$MLWB' --db '$W'; echo EXIT-\$?" Enter
wait_for "experiments +4" >/dev/null
for n in 1 2 3 4 5; do
	keys "$n"
	case $n in
	1) t="experiments +4" ;; 2) t="runs of all" ;; 3) t="drift reports" ;;
	4) t="models" ;; 5) t="jobs" ;;
	esac
	ok "screen $n shown" wait_for "$t"
	keys Escape
	sleep 0.3
	keys M-x
	sleep 0.3
	keys Escape
	sleep 0.3
	tm send-keys -t t -l '[A'
	sleep 0.5
	like "screen $n: Esc, Alt-x and a split arrow do not quit" \
	    "$(screen | head -1)" "^ mlwb \\| .*$t"
	unlike "screen $n: and type nothing" "$(screen)" "EXIT-"
done
keys 1
wait_for "experiments +4" >/dev/null
keys q
ok "q on a top-level screen asks" wait_for "Quit mlwb\\? \\[y/N\\]"
keys n
ok "n keeps the UI" wait_for "cancelled"
unlike "still open" "$(screen)" "EXIT-"
keys Enter
wait_for "runs of bert-sentiment" >/dev/null
keys Space Space p
ok "a chart" wait_for "chart "
keys "?"
ok "help on the chart lists the chart's keys" wait_for "chart screen"
like "zoom" "$(screen)" "\\+ = +zoom-in"
like "smoothing on s" "$(screen)" "^  s +smooth-more"
unlike "not + for smoothing" "$(screen)" "\\+ +smooth-more"
unlike "no import key" "$(screen)" "import"
keys q q q
ok "q goes back to the top-level screen" wait_for "experiments +4"
keys q
wait_for "Quit mlwb" >/dev/null
keys y
ok "y quits" wait_for "EXIT-0"

# A terminal that cannot move the cursor: a message, not a broken screen.
keys clear Enter
keys "TERM=dumb '$MLWB' --db '$W'; echo EXIT-\$?" Enter
ok "TERM=dumb is refused" wait_for "EXIT-1"
like "with a message saying why" "$(screen)" "terminal 'dumb' cannot move the cursor"
done_testing
