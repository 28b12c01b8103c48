#!/bin/sh
# Pipelines (mlwb pipeline): project check of pipelines: with FILE:LINE:COL,
# a run whose steps are child runs (check, entry points, register, promote
# with its gate), a failing step skipping its dependants and not its
# independent sibling, a schema change failing `check`, --resume taking
# unchanged steps from cache and re-running a step whose input changed,
# a scheduled run skipping while one runs, cancel, kill -9 of the
# pipeline's supervisor (lost) and a resume after it, kill -9 of the
# driver (failed, its steps read from their runs), schedules through a
# stand-in crontab, and a pipeline run carried by push.
. "$(dirname "$0")/lib.sh"
"$MLWB" init >/dev/null
# Registered models go to the artifact store (PostgreSQL needs a root).
mkdir art && "$MLWB" config artifact-root "$T/art" >/dev/null
TAG=pipe$$
trap 'for p in $(pgrep -f "sleeper.sh $TAG"); do kill -9 "$p"; done
    lib_cleanup' EXIT

mkdir proj
cd proj
cat > mlwb.yaml <<EOF
entry_points:
  prep:
    command: sh prep.sh
    outputs: [prepared.csv]
  train:
    command: sh train.sh {fail}
    parameters:
      fail: {default: "no"}
  evaluate:
    command: sh evaluate.sh {run}
    parameters:
      run: {default: ""}
  side: sh side.sh
  sleeper:
    command: sh sleeper.sh $TAG {secs}
    parameters:
      secs: {type: int, default: 60}
gates:
  clf: "acc:max"
pipelines:
  ct:
    params: {fail: "no"}
    steps:
      validate:
        check: {data: data.csv, reference: ref.csv}
      prep:
        run: prep
        needs: [validate]
        inputs: [extra.txt]
      train:
        run: train
        needs: [prep]
        params: {fail: '{params.fail}'}
      evaluate:
        run: evaluate
        needs: [train]
        params: {run: '{steps.train.run}'}
        metric: acc
      side: {run: side}
      register:
        register: {model: clf, from: '{steps.evaluate.run}',
          artifact: '{steps.prep.outputs.prepared}'}
        needs: [evaluate, prep]
        when: steps.evaluate.metrics.acc >= 0.9
      promote:
        promote: {model: clf, alias: champion,
          version: '{steps.register.version}'}
        needs: [register]
  slow:
    params: {secs: 60}
    steps:
      first: {run: side}
      wait: {run: sleeper, needs: [first], params: {secs: '{params.secs}'}}
      after: {run: side, needs: [wait]}
EOF
cat > prep.sh <<'EOF'
cp data.csv prepared.csv
echo "prep $(cat extra.txt)" >> ../prep.count
EOF
cat > train.sh <<'EOF'
echo "loss=0.4"
echo "train" >> ../train.count
[ "$1" = yes ] && { echo "boom"; exit 3; }
exit 0
EOF
cat > evaluate.sh <<'EOF'
echo "evaluating $1"
echo "acc=$(cat acc.txt)"
EOF
cat > side.sh <<'EOF'
echo "side" >> ../side.count
EOF
cat > sleeper.sh <<'EOF'
sleep "$2"
EOF
awk 'BEGIN { print "a,b"; for (i = 0; i < 200; i++)
    printf "%d,%s\n", i % 17, (i % 3 ? "x" : "y") }' > ref.csv
cp ref.csv data.csv
echo one > extra.txt
echo 0.93 > acc.txt

# project check ------------------------------------------------------------
ok "project check reads the pipelines" "$MLWB" project check --quiet
cp mlwb.yaml good.yaml
sed 's/needs: \[validate\]/needs: [train]/' good.yaml > mlwb.yaml
exits 1 "a cycle is refused" "$MLWB" project check
like "FILE:LINE:COL and the loop" "$(cat "$T/err")" \
    'mlwb.yaml:[0-9]+:[0-9]+: pipeline ct: steps wait for each other in a cycle: (prep -> train -> prep|train -> prep -> train)$'
sed 's/run: evaluate$/run: evaluat/' good.yaml > mlwb.yaml
exits 1 "an unknown entry is refused" "$MLWB" project check
is "with line and column" "$(cat "$T/err")" "mlwb: $T/proj/mlwb.yaml:35:14: step evaluate: no entry point evaluat"
sed "s/{steps.train.run}/{steps.side.run}/" good.yaml > mlwb.yaml
exits 1 "a reference to a step not waited for is refused" "$MLWB" project check
like "says so" "$(cat "$T/err")" "step evaluate: \{steps.side.run\}: step side is not among the steps it needs"
exits 1 "and no pipeline runs from a broken file" "$MLWB" pipeline run ct
cp good.yaml mlwb.yaml
exits 1 "an unknown pipeline" "$MLWB" pipeline run nope
like "lists the pipelines" "$(cat "$T/err")" "no pipeline nope \(pipelines: ct, slow\)"
exits 1 "an unknown pipeline param" "$MLWB" pipeline run ct -P lr=1
like "names it" "$(cat "$T/err")" "-P lr: pipeline ct has no param lr"

# a run that passes --------------------------------------------------------
"$MLWB" jobs max 2 >/dev/null
ok "pipeline run follows to the end" "$MLWB" pipeline run ct
like "the driver's output" "$(cat "$T/out")" "step promote done -- clf@champion -> version 1, gate"
P1=$("$MLWB" pipeline ls ct --format csv | sed -n 2p | cut -d, -f1)
ok "pipeline show" "$MLWB" pipeline show "$P1" --format csv
like "every step done" "$(cut -d, -f1,3 "$T/out" | tr '\n' ' ')" \
    "^step,state validate,done side,done prep,done train,done evaluate,done register,done promote,done $"
like "the key metric" "$(cat "$T/out")" "^evaluate,run,done,[0-9]+,acc 0.93,"
ok "the steps are child runs of the pipeline run" "$MLWB" runs ls --format csv
is "seven children" "$(wsql "SELECT count(*) FROM runs WHERE parent_id = (SELECT id FROM runs WHERE uuid = '$P1')")" "7"
ok "the model was registered and promoted" "$MLWB" model show clf --format json
like "champion is version 1" "$(cat "$T/out")" '"champion"'
ok "pipeline show --format json" "$MLWB" pipeline show "$P1" --format json
cp "$T/out" j.json
ok "JSON as doc/json.md says" python3 "$top_srcdir/tests/cli/jsoncheck.py" \
    "$top_srcdir/doc/json.md" "pipeline show" j.json

# a failing step -----------------------------------------------------------
exits 1 "a failing step fails the pipeline" "$MLWB" pipeline run ct -P fail=yes
P2=$("$MLWB" pipeline ls ct --format csv | sed -n 2p | cut -d, -f1)
ok "pipeline ls" "$MLWB" pipeline ls --format csv
like "failed, naming the step" "$(cat "$T/out")" "^$P2,ct,failed,.*,step train failed: exit status 3$"
ok "show" "$MLWB" pipeline show "$P2" --format csv
like "train failed" "$(cat "$T/out")" "^train,run,failed,[0-9]+,,[0-9a-f]{32},prep,exit status 3$"
like "evaluate, which needs it, skipped" "$(cat "$T/out")" "^evaluate,run,skipped,,,,train,\"needs train, which failed\"$"
like "and what needs that" "$(cat "$T/out")" "^promote,promote,skipped,"
like "the independent sibling ran" "$(cat "$T/out")" "^side,run,done,"

# resume -------------------------------------------------------------------
rm -f ../prep.count ../train.count
ok "resume of the passing run: nothing changed" "$MLWB" pipeline run ct --resume "$P1"
P3=$("$MLWB" pipeline ls ct --format csv | sed -n 2p | cut -d, -f1)
ok "show" "$MLWB" pipeline show "$P3" --format json
cp "$T/out" j.json
ok "every step done from cache" python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
assert d["state"] == "done", d
assert all(s["state"] == "done" and s["cached"] for s in d["steps"]), d
' j.json
is "nothing ran" "$(cat ../prep.count ../train.count 2>/dev/null)" ""
echo two > extra.txt
echo 0.95 > acc.txt
ok "resume after an input file changed" "$MLWB" pipeline run ct --resume "$P3"
P4=$("$MLWB" pipeline ls ct --format csv | sed -n 2p | cut -d, -f1)
ok "show" "$MLWB" pipeline show "$P4" --format json
cp "$T/out" j.json
ok "prep and what follows re-ran; validate and side did not" python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
c = {s["name"]: s["cached"] for s in d["steps"]}
assert d["state"] == "done", d
assert c == {"validate": True, "side": True, "prep": False, "train": False,
    "evaluate": False, "register": False, "promote": False}, c
' j.json
is "prep ran once, with the new input" "$(cat ../prep.count)" "prep two"
echo 0.97 > acc.txt
ok "resume of the failed run re-runs the failed step" "$MLWB" pipeline run ct --resume "$P2"
ok "show" "$MLWB" pipeline show "$("$MLWB" pipeline ls ct --format csv | sed -n 2p | cut -d, -f1)" --format csv
like "train re-ran" "$(cat "$T/out")" "^train,run,done,[0-9]+,,[0-9a-f]{32},prep,$"
like "side from cache" "$(cat "$T/out")" "^side,run,done \(cached\)|^side,run,done,"
echo 0.98 > acc.txt
ok "--from re-runs a step that did not change" "$MLWB" pipeline run ct --resume "$P4" --from evaluate
ok "show" "$MLWB" pipeline show "$("$MLWB" pipeline ls ct --format csv | sed -n 2p | cut -d, -f1)" --format json
cp "$T/out" j.json
ok "evaluate and after re-ran, train did not" python3 -c '
import json, sys
c = {s["name"]: s["cached"] for s in json.load(open(sys.argv[1]))["steps"]}
assert c["train"] and not c["evaluate"] and not c["promote"], c
' j.json
exits 2 "--from without --resume" "$MLWB" pipeline run ct --from train

# a schema change fails check ----------------------------------------------
cut -d, -f1 ref.csv > data.csv
exits 1 "a dropped column" "$MLWB" pipeline run ct
like "fails validate, naming the column" "$(cat "$T/out")" "step validate failed: schema changed: column b missing in current"
P5=$("$MLWB" pipeline ls ct --format csv | sed -n 2p | cut -d, -f1)
ok "show" "$MLWB" pipeline show "$P5" --format csv
like "prep never started" "$(cat "$T/out")" "^prep,run,skipped,,,,validate,\"needs validate, which failed\"$"
cp ref.csv data.csv

# scheduled skip, cancel ---------------------------------------------------
ok "a long pipeline, detached" "$MLWB" pipeline run slow --detach
S1=$(sed -n 's/^pipeline slow: run \([0-9a-f]*\) .*/\1/p' "$T/out")
like "its run" "$S1" "^[0-9a-f]{32}$"
i=0
while [ $i -lt 300 ] && ! "$MLWB" pipeline show "$S1" --format csv | grep -q "^wait,run,running,"; do
	sleep 0.1; i=$((i + 1))
done
# What follows needs it running: say so, with its jobs and log, if not.
if ! ok "its wait step runs" sh -c '"$MLWB" pipeline show "$1" --format csv |
    grep -q "^wait,run,running,"' sh "$S1"; then
	"$MLWB" pipeline show "$S1" --format csv | sed 's/^/#   /'
	"$MLWB" jobs ls --all --format csv | sed 's/^/#   /'
	"$MLWB" jobs log "$S1" 2>&1 | sed 's/^/#   /'
fi
ok "push while it runs" "$MLWB" push --to "$T/other.db"
ok "a scheduled run while it runs" "$MLWB" pipeline run slow --scheduled
like "says it skipped" "$(cat "$T/out")" "^pipeline slow: run [0-9a-f]{32} skipped: the previous run $S1 is still running$"
ok "pipeline ls" "$MLWB" pipeline ls slow --format csv
like "the skip is recorded" "$(sed -n 2p "$T/out")" "^[0-9a-f]{32},slow,skipped,.*,the previous run $S1 is still running$"
ok "pipeline cancel" "$MLWB" pipeline cancel "$S1"
i=0
while [ $i -lt 300 ] && ! "$MLWB" pipeline ls slow --format csv | grep -q "^$S1,slow,cancelled,"; do
	sleep 0.1; i=$((i + 1))
done
ok "show" "$MLWB" pipeline show "$S1" --format csv
like "the running step cancelled" "$(cat "$T/out")" "^wait,run,cancelled,"
like "what had not started too" "$(cat "$T/out")" "^after,run,cancelled,"
i=0
while [ $i -lt 100 ] && pgrep -f "sleeper.sh $TAG" >/dev/null; do
	sleep 0.1; i=$((i + 1))
done
is "no sleeper left" "$(pgrep -f "sleeper.sh $TAG" | wc -l)" "0"
exits 1 "cancel of an ended run" "$MLWB" pipeline cancel "$S1"

# kill -9 of the supervisor: lost, and resume picks up ----------------------
"$MLWB" pipeline run slow --detach > "$T/o2"
S2=$(sed -n 's/^pipeline slow: run \([0-9a-f]*\) .*/\1/p' "$T/o2")
i=0
while [ $i -lt 300 ] && ! "$MLWB" pipeline show "$S2" --format csv | grep -q "^wait,run,running,"; do
	sleep 0.1; i=$((i + 1))
done
JOB=$(wsql "SELECT j.id FROM jobs j JOIN runs r ON r.id = j.run_id WHERE r.uuid = '$S2'")
# Its own workspace in the pattern: job ids repeat across the suites
# that run at once.
SP=$(pgrep -f -- "$MLWB_DB jobs supervise $JOB\$" | head -1)
like "the pipeline's supervisor" "$SP" "^[0-9]+$"
kill -9 "$SP"
i=0
while [ $i -lt 100 ] && ! "$MLWB" pipeline ls slow --format csv | grep -q "^$S2,slow,lost,"; do
	sleep 0.1; i=$((i + 1))
done
ok "pipeline ls" "$MLWB" pipeline ls slow --format csv
like "the pipeline is lost" "$(cat "$T/out")" "^$S2,slow,lost,.*,the pipeline's driver is gone \(its job was lost\)$"
for p in $(pgrep -f "sleeper.sh $TAG"); do kill -9 "$p"; done
ok "resume after the loss" "$MLWB" pipeline run slow --resume "$S2" -P secs=0
R2=$("$MLWB" pipeline ls slow --format csv | sed -n 2p | cut -d, -f1)
ok "show" "$MLWB" pipeline show "$R2" --format csv
like "first done from cache" "$(cat "$T/out")" "^first,run,done,"
like "the lost step ran again" "$(cat "$T/out")" "^wait,run,done,[0-9]+,,[0-9a-f]{32},first,$"
like "and what followed it" "$(cat "$T/out")" "^after,run,done,"

# kill -9 of the driver itself (its supervisor stays): the pipeline failed,
# saying so; the step it had started reads as its run does; the one it had
# not started, skipped; the driver's own lines are not metrics.
"$MLWB" pipeline run slow --detach > "$T/o3"
S3=$(sed -n 's/^pipeline slow: run \([0-9a-f]*\) .*/\1/p' "$T/o3")
i=0
while [ $i -lt 300 ] && ! "$MLWB" pipeline show "$S3" --format csv | grep -q "^wait,run,running,"; do
	sleep 0.1; i=$((i + 1))
done
JOB=$(wsql "SELECT j.id FROM jobs j JOIN runs r ON r.id = j.run_id WHERE r.uuid = '$S3'")
SP=$(pgrep -f -- "$MLWB_DB jobs supervise $JOB\$" | head -1)
DP=$(pgrep -P "$SP" -f "pipeline drive" | head -1)
like "the pipeline's driver" "$DP" "^[0-9]+$"
kill -9 "$DP"
i=0
while [ $i -lt 100 ] && ! "$MLWB" pipeline ls slow --format csv | grep -q "^$S3,slow,failed,"; do
	sleep 0.1; i=$((i + 1))
done
ok "pipeline ls" "$MLWB" pipeline ls slow --format csv
like "failed, saying why" "$(cat "$T/out")" "^$S3,slow,failed,.*,the pipeline's driver was killed before it finished$"
ok "show" "$MLWB" pipeline show "$S3" --format csv
like "the step it had started runs on" "$(cat "$T/out")" "^wait,run,running,"
like "the step it had not, skipped" "$(cat "$T/out")" "^after,run,skipped,,,,wait,not started: the pipeline's driver is gone$"
for p in $(pgrep -f "sleeper.sh $TAG"); do kill -9 "$p"; done
i=0
while [ $i -lt 100 ] && "$MLWB" pipeline show "$S3" --format csv | grep -q "^wait,run,running,"; do
	sleep 0.1; i=$((i + 1))
done
ok "show" "$MLWB" pipeline show "$S3" --format csv
like "then it reads as its run ended" "$(cat "$T/out")" "^wait,run,(cancelled|failed),"
ok "runs show of the driver's run" "$MLWB" runs show "$S3" --format csv
unlike "its lines were not taken for metrics" "$(cat "$T/out")" "^metric,"

# schedules with a stand-in crontab ----------------------------------------
cat > "$T/crontab" <<'EOF'
#!/bin/sh
# A stand-in for crontab(1): the table is a file.
f=${CRONTAB_FILE:?}
case $1 in
-l) [ -f "$f" ] || { echo "no crontab for $USER" >&2; exit 1; }; cat "$f" ;;
-) cat > "$f" ;;
*) exit 2 ;;
esac
EOF
chmod +x "$T/crontab"
export MLWB_CRONTAB="$T/crontab" CRONTAB_FILE="$T/tab"
echo "0 3 * * * backup.sh # the user's own" > "$T/tab"
ok "schedule" "$MLWB" pipeline schedule ct "*/15 * * * *"
like "says where" "$(cat "$T/out")" "^pipeline ct: runs at '\*/15 \* \* \* \*' \(crontab\)$"
is "two lines" "$(wc -l < "$T/tab" | tr -d ' ')" "2"
like "the user's line kept" "$(sed -n 1p "$T/tab")" "^0 3 \* \* \* backup.sh # the user's own$"
like "the marked line" "$(sed -n 2p "$T/tab")" "^\*/15 \* \* \* \* cd '$T/proj' && MLWB_DB='.*' '.*mlwb' pipeline run 'ct' --scheduled --detach --quiet --project '$T/proj/mlwb.yaml' # mlwb-pipeline ct $T/proj/mlwb.yaml$"
ok "schedule again replaces it" "$MLWB" pipeline schedule ct "@daily"
is "still two lines" "$(wc -l < "$T/tab" | tr -d ' ')" "2"
ok "schedule ls" "$MLWB" pipeline schedule ls --format csv
is "lists it" "$(sed 1d "$T/out")" "ct,@daily,crontab,$T/proj/mlwb.yaml"
exits 1 "a bad cron expression" "$MLWB" pipeline schedule ct "* * *"
like "says why" "$(cat "$T/err")" "a cron expression has 5 fields"
exits 1 "a % is refused" "$MLWB" pipeline schedule ct "0 3 * * *%"
exits 1 "an unknown pipeline" "$MLWB" pipeline schedule nope "@daily"
ok "--remove" "$MLWB" pipeline schedule ct --remove
is "only the user's line left" "$(cat "$T/tab")" "0 3 * * * backup.sh # the user's own"
ok "--remove again" "$MLWB" pipeline schedule ct --remove
like "says there was none" "$(cat "$T/out")" "had no schedule"
exits 2 "--format with schedule NAME" "$MLWB" pipeline schedule ct "@daily" --format json
rm -f "$T/tab"
ok "a user without a crontab" "$MLWB" pipeline schedule slow "@hourly"
is "one line" "$(grep -c mlwb-pipeline "$T/tab")" "1"
unset CRONTAB_FILE
# No crontab program: a systemd user timer (a stand-in systemctl).
printf '#!/bin/sh\necho "$*" >> "%s/systemctl.log"\n' "$T" > "$T/systemctl"
chmod +x "$T/systemctl"
export MLWB_CRONTAB=none MLWB_SYSTEMCTL="$T/systemctl" XDG_CONFIG_HOME="$T/cfg"
ok "schedule without cron" "$MLWB" pipeline schedule ct "*/15 2-4 * * 1-5"
like "says systemd" "$(cat "$T/out")" "\(systemd\)$"
U=$(ls "$T/cfg/systemd/user/" | sed -n 's/\.timer$//p')
like "a timer per pipeline of the project" "$U" "^mlwb-pipeline-ct-[0-9a-f]{8}$"
like "OnCalendar from the cron fields" "$(cat "$T/cfg/systemd/user/$U.timer")" "^OnCalendar=Mon..Fri \*-\*-\* 2..4:0/15:00$"
like "the service runs the pipeline" "$(cat "$T/cfg/systemd/user/$U.service")" "^ExecStart=\".*mlwb\" pipeline run \"ct\" --scheduled --detach --quiet --project \"$T/proj/mlwb.yaml\"$"
like "enabled" "$(cat "$T/systemctl.log")" "^--user enable --now $U.timer$"
ok "schedule ls" "$MLWB" pipeline schedule ls --format csv
is "lists it" "$(sed 1d "$T/out")" "ct,*/15 2-4 * * 1-5,systemd,$T/proj/mlwb.yaml"
ok "--remove" "$MLWB" pipeline schedule ct --remove
is "the units are gone" "$(ls "$T/cfg/systemd/user/")" ""
like "disabled" "$(cat "$T/systemctl.log")" "^--user disable --now $U.timer$"
unset MLWB_CRONTAB MLWB_SYSTEMCTL XDG_CONFIG_HOME

# the example project's pipeline -------------------------------------------
cd "$T"
ok "the example project" "$MLWB" project example ex
cd ex
ok "its pipeline runs to the end" "$MLWB" pipeline run ct
like "the model promoted and deployed" "$(cat deployed/example-classifier/champion/DEPLOYED)" "^version: 1$"
E1=$("$MLWB" pipeline ls ct --format csv | sed -n 2p | cut -d, -f1)
ok "show" "$MLWB" pipeline show "$E1" --format csv
is "its steps" "$(cut -d, -f1,3 "$T/out" | tr '\n' ' ')" \
    "step,state validate,done train,done evaluate,done register,done promote,done "
# a check whose reference is the champion's training data, from lineage
cat >> mlwb.yaml <<'EOF'
  watch:
    steps:
      drift:
        check: {data: train.csv, model: "example-classifier@champion"}
EOF
ok "project check takes check: model:" "$MLWB" project check
ok "checked against the champion's training data" "$MLWB" pipeline run watch
like "which is new-data.csv" "$(cat "$T/out")" "step drift done -- no drift in 5 columns of train.csv"
printf '30,50000,12,basic,0\n' >> new-data.csv
exits 1 "the training data changed: the check fails" "$MLWB" pipeline run watch
like "naming the file" "$(cat "$T/out")" "step drift failed: .*the training data .*new-data.csv changed since run"
cut -d, -f1-3 train.csv > new-data.csv
exits 1 "new data without a column fails validate" "$MLWB" pipeline run ct
like "naming it" "$(cat "$T/out")" "step validate failed: schema changed: column (plan|churned) missing in current"

# push carries pipeline runs -----------------------------------------------
cd "$T"
ok "push" "$MLWB" push --to "$T/other.db"
ok "pipeline ls there" "$MLWB" --db other.db pipeline ls ct --format csv
like "the run, done" "$(cat "$T/out")" "^$P1,ct,done,"
ok "pipeline show there" "$MLWB" --db other.db pipeline show "$P1" --format csv
like "with its steps" "$(cat "$T/out")" "^promote,promote,done,"
ok "pipeline ls there" "$MLWB" --db other.db pipeline ls slow --format csv
like "the pipeline pushed while running arrived cancelled" "$(cat "$T/out")" "^$S1,slow,cancelled,"
ok "pipeline show there" "$MLWB" --db other.db pipeline show "$S1" --format csv
like "and its steps too" "$(cat "$T/out")" "^wait,run,cancelled,"
exits 2 "usage" "$MLWB" pipeline frob
done_testing
