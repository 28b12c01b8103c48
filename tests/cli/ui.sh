#!/bin/sh
# The UI's configuration through the headless mode: keys remapped in
# config.yaml, themes chosen and refused with file:line, :commands,
# --read-only, the scripted mode's own errors.
. "$(dirname "$0")/lib.sh"
export TZ=UTC XDG_CONFIG_HOME="$T/config"
mkdir -p "$T/config/mlwb/themes"
# The store under test: a file (named from $T, where we are), or under
# check-pg a PostgreSQL database.
W=${MLWB_DB#"$T"/}
"$MLWB" --db "$W" demo >/dev/null
dump() {	# dump SCRIPT-TEXT [ARGS]: run a script, screen in $T/screen
	printf '%s\n' "$1" > "$T/keys"
	shift
	"$MLWB" --db "$W" --script "$T/keys" --dump-screen "$T/screen" \
	    --size 100x20 "$@"
}

ok "a script runs" dump "j"
like "cursor moved down with j" "$(sed -n 4p "$T/screen")" "^ >cifar10-resnet"
cat > "$T/config/mlwb/config.yaml" <<'YAML'
theme: light
keys:
  down: J
  up: [K, <C-p>]
YAML
ok "with a config.yaml" dump "J J K"
like "down remapped to J" "$(sed -n 4p "$T/screen")" "^ >cifar10-resnet"
ok "help shows the remapped keys" dump "?"
like "from the keymap in force" "$(cat "$T/screen")" "J +down +Move down"
like "a list of keys" "$(cat "$T/screen")" "K <C-p> +up"
cat > "$T/config/mlwb/config.yaml" <<'YAML'
keys:
  down: J
  explode: X
YAML
ok "a bad config file" dump "" --size 132x20
like "names file:line:col and keeps the defaults" "$(cat "$T/screen")" "config.yaml:3:3: unknown action 'explode'; default keys in use"
ok "and then" dump "j"
like "defaults in force (j moved)" "$(sed -n 4p "$T/screen")" "^ >cifar10-resnet"
rm "$T/config/mlwb/config.yaml"
printf 'columns: [eval_loss, seed]\n' > "$T/config/mlwb/config.yaml"
ok "default columns from config.yaml" dump "<Enter>"
like "are the runs list's" "$(sed -n 2p "$T/screen")" "duration seed +eval_loss"
rm "$T/config/mlwb/config.yaml"

exits 2 "an unknown --theme is refused" dump "" --theme nope
like "says so on stderr" "$(cat "$T/err")" "no theme 'nope' \\(shipped: default, light, mono, high-contrast\\)"
printf 'normal: {fg: default}\nheader: {fg: purple}\n' > "$T/config/mlwb/themes/bad.yaml"
exits 2 "a broken theme file is refused" dump "" --theme bad
like "file:line:col of the bad colour" "$(cat "$T/err")" "bad.yaml:2:[0-9]+: unknown colour 'purple'"
printf 'theme: nope\n' > "$T/config/mlwb/config.yaml"
ok "config.yaml naming no theme: the UI starts" dump ""
like "and says so on stderr in --script mode" "$(cat "$T/err")" "no theme 'nope'.*default theme in use"
like "and in the status line" "$(cat "$T/screen")" "no theme 'nope'"
printf 'confirm_quit: maybe\n' > "$T/config/mlwb/config.yaml"
ok "a bad confirm_quit" dump ""
like "is named with file:line:col" "$(cat "$T/err")" "config.yaml:1:[0-9]+: confirm_quit: true or false"
printf 'confirm_quit: false\n' > "$T/config/mlwb/config.yaml"
ok "confirm_quit: false" dump "q"
is "q quits at once" "$(cat "$T/screen")" "(mlwb quit)"
rm "$T/config/mlwb/config.yaml"
ok "by default" dump "q"
like "q asks first" "$(cat "$T/screen")" "Quit mlwb\\? \\[y/N\\]"
printf 'header: {fg: 208, attrs: [bold]}\n' > "$T/config/mlwb/themes/mine.yaml"
ok "a user theme" dump ":theme mine"
like "is taken" "$(cat "$T/screen")" "theme mine"
for t in default light mono high-contrast; do
	ok ":theme $t" dump ":theme $t"
	like "theme $t loads" "$(tail -2 "$T/screen" | head -1)" "^theme $t"
done
ok ":export writes the table" dump ":export $T/exps.csv"
is "as CSV" "$(cut -d, -f1,2 "$T/exps.csv")" "name,runs
bert-sentiment,12
cifar10-resnet,24
tabular-xgb,8"
ok ":export of runs exports every run, not just the window" dump "2
:export $T/runs.csv"
is "44 runs" "$(tail -n +2 "$T/runs.csv" | wc -l | tr -d ' ')" "44"
is "a run_id column, params and metrics apart (lr is both)" \
    "$(head -1 "$T/runs.csv")" "run_id,name,status,started,duration_s,experiment,params.batch_size,params.lr,params.optimizer,metrics.lr,metrics.train_acc,metrics.train_loss,metrics.val_acc,metrics.val_loss,metrics.eval_accuracy,metrics.eval_loss,metrics.learning_rate"
like "each row starts with the run's UUID" "$(sed -n 2p "$T/runs.csv")" "^[0-9a-f]{32},resnet18-sgd-lr0.1-bs64,finished,"
is "one column per header" "$(awk -F, 'NR > 1 && NF != 17 { bad++ } END { print bad + 0 }' "$T/runs.csv")" 0
ok "params vs a metric: :svg of the scatter" dump "j <Enter>
v <Enter>
:svg $T/scatter.svg"
like "an SVG with a dot per run" "$(grep -c '<circle' "$T/scatter.svg")" "^24$"
ok ":svg of the parallel coordinates" dump "j <Enter>
v v v
:svg $T/parallel.svg"
like "a line per run with the metric" "$(grep -c '<path fill=\"none\"' "$T/parallel.svg")" "^24$"
ok ":export of the ranking" dump "j <Enter>
v
:export $T/rank.csv"
is "as CSV, strongest first" "$(cut -d, -f1,2,5 "$T/rank.csv")" "param,measure,runs
batch_size,spearman,24
lr,spearman,24
optimizer,eta,24"
ok ":dump-screen" dump "<Enter>
:dump-screen $T/inner.txt"
like "wrote the screen" "$(head -1 "$T/inner.txt")" "runs of bert-sentiment"
ok "an unknown command" dump ":frobnicate"
like "says so" "$(cat "$T/screen")" "unknown command :frobnicate"
ok "command completion with Tab" dump ":exp<Tab>"
ok "--read-only shows it" dump "" --read-only
like "in the title" "$(head -1 "$T/screen")" "\\[read-only\\]"
ok "--size 132x43" dump "" --size 132x43
is "43 lines" "$(wc -l < "$T/screen" | tr -d ' ')" "43"
printf 'j <Nope>\n' > "$T/bad.keys"
exits 2 "an unknown key in a script" "$MLWB" --db "$W" --script "$T/bad.keys" --dump-screen "$T/x"
like "file:line" "$(cat "$T/err")" "bad.keys:1: unknown key '<Nope>'"
exits 2 "a bad --size" "$MLWB" --db "$W" --script "$T/keys" --size huge
exits 1 "no workspace" "$MLWB" --db nope.db --script "$T/keys" --dump-screen "$T/x"
exits 2 "the UI needs a terminal" sh -c "'$MLWB' --db '$W' < /dev/null > /dev/null"
like "and says what to do instead" "$(cat "$T/err")" "needs a terminal"
# Names sort the way people read them: run-2 before run-10 (NATSORT).
NAT=$(store nat)
for n in run-10 run-2 Run-1 run-100 run-9; do
	"$MLWB" --db "$NAT" log --new -e nat --name "$n" >/dev/null
done
printf '<Enter>\n:sort name\n' > "$T/nat.keys"
ok "sort by name in a script" "$MLWB" --db "$NAT" --script "$T/nat.keys" \
    --dump-screen "$T/nat" --size 80x12
is "numeric-aware, case-insensitive name order" \
    "$(sed -n '3,7p' "$T/nat" | awk '{print $1}' | tr -d '>' | tr '\n' ' ')" \
    "Run-1 run-2 run-9 run-10 run-100 "

# The kill prompt of the jobs screen (5, K), on a queued job (killing it
# needs no process): the question once with one [y/N]; n cancels; y kills.
wsql "UPDATE jobs SET state = 'queued', started_at = NULL,
    ended_at = NULL, exit_code = NULL, pid = NULL, pgid = NULL,
    supervisor_pid = NULL WHERE id = (SELECT max(id) FROM jobs);
    UPDATE runs SET status = 'queued', ended_at = NULL WHERE id =
    (SELECT run_id FROM jobs WHERE id = (SELECT max(id) FROM jobs))"
QJ=$(wsql "SELECT r.name FROM jobs j JOIN runs r ON
    r.id = j.run_id WHERE j.state = 'queued'")
jstate() { "$MLWB" --db "$W" jobs ls --format csv | grep ",$QJ," | cut -d, -f5; }
kdump() {	# kdump KEYS...: the jobs screen after KEYS, in $T/kscreen
	printf '%s\n' 5 "$@" > "$T/kkeys"
	"$MLWB" --db "$W" --script "$T/kkeys" --dump-screen "$T/kscreen" \
	    --size 100x20
}
ok "K on a queued job" kdump K
is "the question once" "$(grep -c "Kill $QJ (queued)?" "$T/kscreen")" 1
is "with one [y/N]" "$(grep -o '\[y/N\]' "$T/kscreen" | wc -l | tr -d ' ')" 1
ok "K then n" kdump K n
is "n cancels: no prompt left" "$(grep -c '\[y/N\]' "$T/kscreen")" 0
is "and the job is still queued" "$(jstate)" queued
ok "K then Esc" kdump K '<Esc>'
is "Esc cancels too" "$(jstate)" queued
ok "K then y" kdump K y
is "y kills it" "$(jstate)" killed
like "and says so (no signal for a job that never started)" \
    "$(cat "$T/kscreen")" "$QJ: taken off the queue \(killed\)"
ok "K on the killed job" kdump K
like "asks nothing: it has ended" "$(cat "$T/kscreen")" "$QJ has already ended \(killed\)"
is "no prompt" "$(grep -c '\[y/N\]' "$T/kscreen")" 0
done_testing
