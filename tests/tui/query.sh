#!/bin/sh
# End-to-end checks of the compare and chart screens in a real terminal
# (tmux): mark runs, c compares, u hides unchanged rows, b moves the
# baseline, p charts, the cursor moves and reads values, L, s, zoom, g,
# a resize redraws the chart at the new size, q back, Q quits cleanly.
. "$(dirname "$0")/lib.sh"
"$MLWB" --db "$W" demo >/dev/null

tui_open 120 40 LC_ALL=C.UTF-8
keys "cd '$T' && '$MLWB' --db '$W'; echo EXIT-\$?" Enter
ok "the UI starts" wait_for "experiments +3"
keys j Enter
ok "runs of an experiment" wait_for "runs of cifar10-resnet"
keys Space j Space j Space
ok "three runs marked" wait_for "3 marked"
keys c
ok "c opens the compare screen" wait_for "compare 3 runs"
like "params side by side, differing starred" "$(screen)" "\\*batch_size +64 +[0-9]+ +[0-9]+"
like "metrics with their direction" "$(screen)" "train_loss \\(min\\)"
keys u
ok "u hides unchanged rows" wait_for "unchanged hidden"
unlike "same arch hidden" "$(screen)" "^ +arch "
keys b
ok "b moves the baseline" wait_for "baseline: resnet18-"
keys q
ok "q back to the runs" wait_for "runs of cifar10-resnet"
keys p
ok "p opens the chart" wait_for "chart train_loss +3 runs"
like "legend with whole names" "$(screen)" "■ resnet18-sgd-lr0\\.1-bs64 +■ resnet18-"
like "braille curves" "$(screen)" "⠉|⠒|⣀|⠤"
like "cursor read-out at the last step" "$(screen)" "^step 49: "
keys h h h h h
ok "h moves the cursor" wait_for "^step 4[0-8]: "
keys m
ok "m: next metric" wait_for "chart val_acc"
keys L
ok "L: log scale" wait_for "val_acc \\(log\\)"
keys s s
ok "s: smoothing" wait_for "smoothed 0.8"
keys +
ok "+ zooms in" wait_for "^step "
tm resize-window -t t -x 80 -y 24
ok "a resize redraws the chart" wait_for "chart val_acc"
sleep 0.5
screen > "$T/small"
long=$(while IFS= read -r l; do
	[ "$(printf %s "$l" | LC_ALL=C.UTF-8 wc -m)" -gt 80 ] && echo "$l"
done < "$T/small")
is "every line fits 80 columns" "$long" ""
like "the x axis spans the new width" "$(grep -c '└' "$T/small")" "^1$"
keys g
ok "g: small multiples" wait_for "metrics +m next +g single chart"
keys q
ok "back to the runs" wait_for "runs of cifar10-resnet"
keys Q
ok "Q quits with status 0" wait_for "EXIT-0"
done_testing
