#!/bin/sh
# The pipelines screen in a real terminal (tmux): a small pipeline runs
# (prep, then train and report beside each other, train waiting for a
# file); 6 lists it running, Enter shows its steps as a tree and they
# finish on screen as the driver moves on; Enter on a step opens its run,
# o its output; r re-runs from a step after y; K cancels a running
# pipeline after y.
. "$(dirname "$0")/lib.sh"
export USER=tuiuser
TUI_WAIT=300
"$MLWB" --db "$W" init >/dev/null
cat > mlwb.yaml <<'EOF'
entry_points:
  prep: sh prep.sh
  train: sh train.sh
  report: sh report.sh
  wait: sh wait.sh
pipelines:
  small:
    steps:
      prep: {run: prep}
      train: {run: train, needs: [prep], metric: loss}
      report: {run: report, needs: [prep]}
  long:
    steps:
      wait: {run: wait}
EOF
echo 'echo prepared' > prep.sh
echo 'echo reported' > report.sh
echo 'while [ ! -f stop ]; do sleep 0.2; done' > wait.sh
cat > train.sh <<'EOF'
echo "training"
while [ ! -f go ]; do sleep 0.2; done
echo "loss: 0.25"
EOF
tui_cleanup() { touch "$T/go" "$T/stop"; sleep 1; }

ok "two jobs at once" "$MLWB" --db "$W" jobs max 3
ok "the pipeline starts detached" "$MLWB" --db "$W" pipeline run small --detach
tui_open 120 30
keys "cd '$T' && NO_COLOR=1 LANG=C LC_ALL=C '$MLWB' --db '$W'; echo EXIT-\$?" Enter
ok "the UI starts" wait_for "experiments"
keys 6
ok "6 lists the pipeline runs" wait_for "small +\\[>\\] running"
keys Enter
ok "Enter shows the steps" wait_for "pipeline small +3 steps"
ok "train runs, with ASCII marks under LANG=C" wait_for "\\|- train +run +\\[>\\] running"
like "prep done, report beside train" "$(screen)" "^> prep +run +\\[\\+\\] done"
ok "report finishes beside train" wait_for "\`- report +run +\\[\\+\\] done"
touch go
ok "train finishes live, with its key metric" wait_for "\\|- train +run +\\[\\+\\] done .*loss 0.25"
ok "the pipeline is done" wait_for "small +[0-9a-f]{8} +\\[\\+\\] done"
keys j Enter
ok "Enter on a step opens its run" wait_for "loss"
keys q o
ok "o follows its output" wait_for "training"
keys q
wait_for "pipeline small"
keys r
ok "r asks before re-running from train" wait_for "Re-run small from step train \\(and what needs it\\)\\? \\[y/N\\]"
keys y
ok "y re-runs it: train runs again" wait_for "re-running small from train"
ok "the new run's train is done (go is there)" wait_for "\\|- train +run +\\[\\+\\] done"
ok "prep comes from the earlier run" "$MLWB" --db "$W" pipeline ls --format csv
like "two runs of small" "$(grep -c ',small,' "$T/out")" "^2$"
keys q
ok "the long pipeline starts" "$MLWB" --db "$W" pipeline run long --detach
ok "it lists running" wait_for "long +\\[>\\] running"
keys g K
ok "K asks before cancelling" wait_for "Cancel pipeline long \\([0-9a-f]{8}\\)\\? \\[y/N\\]"
keys y
ok "y cancels it" wait_for "long +\\[/\\] cancelled"
keys Q
ok "Q quits" wait_for "EXIT-0"
done_testing
