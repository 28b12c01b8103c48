#!/bin/sh
# End-to-end check of the drift screens in a real terminal (tmux): `3`
# opens the saved reports of the demo, Enter a report, Enter a column's
# histograms, q back, p the trend, NO_COLOR still marks drift in text,
# and Q leaves the shell usable.
. "$(dirname "$0")/lib.sh"
"$MLWB" --db "$W" demo >/dev/null

tui_open 100 30 NO_COLOR=1
keys "cd '$T' && '$MLWB' --db '$W'; echo EXIT-\$?" Enter
ok "the UI starts" wait_for "experiments"
keys 3
ok "3 opens the drift reports" wait_for "drift reports +5"
like "the newest report drifted" "$(screen)" "loan-inputs .*4/8 +DRIFT"
keys Enter
ok "Enter opens the report" wait_for "drift report 4"
like "columns by drift score, age first" "$(screen)" ">age +num +wasserstein +1\\.303"
keys Enter
ok "Enter opens the column's histograms" wait_for "report 4 . column age"
like "both sides' statistics" "$(screen)" "ref +2969 +1\\.0%"
like "bars with counts and shares" "$(screen)" "677 22\\.8%"
keys q
ok "q goes back to the report" wait_for "Enter histograms"
keys p
ok "p opens the trend" wait_for "drift trend: loan-inputs"
like "verdict history" "$(screen)" "verdict .*DRIFT"
keys Q
ok "Q quits" wait_for "EXIT-0"
done_testing
