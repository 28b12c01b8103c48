#!/bin/sh
# The registry screen in a real terminal (tmux): open a model, promote a
# version with a gate through the box (reason, y), see it in the history
# pane and in `mlwb model history`; roll it back with B; --read-only says
# promotion is off and changes nothing.
. "$(dirname "$0")/lib.sh"
export USER=tuiuser
"$MLWB" --db "$W" demo >/dev/null

tui_open 110 32
keys "cd '$T' && '$MLWB' --db '$W'; echo EXIT-\$?" Enter
ok "the UI starts" wait_for "experiments +3"
keys 4
ok "4 opens the registry" wait_for "models +2"
keys j Enter
ok "Enter opens a model's versions" wait_for "model sentiment-bert +4 versions"
like "alias badges" "$(screen)" "v2 \\[production\\]"
keys j P C-u p r o d u c t i o n Space e v a l _ a c c u r a c y Enter
ok "P shows the promote box" wait_for "Promote sentiment-bert v3 to production \\(held by v2\\)"
like "with the gate's verdict" "$(screen)" "gate: eval_accuracy 0.915004 vs 0.896014 \\(v2, higher is better\\): pass"
keys "canary was clean" Enter
ok "a reason, then the question" wait_for "Promote v3 to production of sentiment-bert\\? \\[y/N\\]"
keys y
ok "y promotes" wait_for "sentiment-bert: production v2 -> v3"
like "the history pane shows it" "$(screen)" "promote +production v2>v3 +tuiuser canary was clean"
"$MLWB" --db "$W" model history sentiment-bert --format csv | tail -1 > "$T/last"
like "recorded with the gate and who" "$(cat "$T/last")" ",promote,production,2,3,tuiuser@[^,]*,eval_accuracy:max,.*pass\",false,,canary was clean,"
keys B Enter
ok "B asks where the rollback goes" wait_for "Roll production of sentiment-bert back from v3 to v2\\? \\[y/N\\]"
keys n
ok "anything but y cancels" wait_for "cancelled"
keys B Enter
wait_for "back from v3 to v2"
keys y
ok "y rolls back" wait_for "production v3 -> v2 \\(rollback\\)"
ok "doctor is clean after the UI's writes" "$MLWB" --db "$W" doctor
keys Q
ok "Q quits" wait_for "EXIT-0"

# With a project file: the gate comes prefilled and the deploy runs.
mkdir proj
cp "$top_srcdir/tests/data/registry/proj/deploy.sh" proj/
cat > proj/mlwb.yaml <<'YAML'
entry_points:
  deploy:
    command: ["sh", "deploy.sh"]
    env: {DEPLOY_TARGET: "tui-cluster"}
gates:
  sentiment-bert: "eval_accuracy:max"
YAML
keys "clear; cd proj && '$MLWB' --db '$MLWB_DB'; echo EXIT-\$?; cd .." Enter
ok "UI in the project" wait_for "experiments +3"
keys 4 j Enter g P
ok "the project's gate is prefilled" wait_for "promote to alias \\[gate metric\\]: champion eval_accuracy:max"
keys Enter
ok "the box shows the gate" wait_for "gate: eval_accuracy 0.930772 vs .*: pass|gate: eval_accuracy .*no current holder: pass"
keys "ship it" Enter y
ok "promoted and deployed" wait_for "sentiment-bert: champion nobody -> v4, deployed"
"$MLWB" --db "$W" model history sentiment-bert --format json > "$T/h.json"
like "the deploy saw the model" "$(cat "$T/h.json")" "deploying sentiment-bert v4 as champion to tui-cluster"
keys Q
ok "quits" wait_for "EXIT-0"

keys "clear; '$MLWB' --db '$W' --read-only; echo EXIT-\$?" Enter
ok "read-only UI" wait_for "experiments +3"
keys 4 Enter
ok "a model" wait_for "model cifar10-classifier"
like "the footer says promotion is off" "$(screen)" "read-only workspace: promotion and rollback are off"
keys P
ok "P refuses with a message" wait_for "read-only workspace: promotion and rollback are off \\(started"
keys Q
ok "quits" wait_for "EXIT-0"
n=$("$MLWB" --db "$W" model history cifar10-classifier --format csv | wc -l)
is "nothing written" "$n" 13
done_testing
