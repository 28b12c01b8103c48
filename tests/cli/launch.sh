#!/bin/sh
# The launch area's commands with real child processes: project check
# (errors with line and column), launch (parameters, output capture with
# \r progress bars and ANSI colours, exit codes, signals), jobs ls/log/
# kill/max, a job surviving its launcher's SIGHUP, lost detection, the
# queue, and scalars test.
. "$(dirname "$0")/lib.sh"
rmdir proj 2>/dev/null
cp -R "$top_srcdir/tests/data/launch/proj" proj
cp -R "$top_srcdir/tests/data/launch/proj2" proj2
mkdir -p proj/sub
"$MLWB" init >/dev/null
# Jobs that never end carry this tag, so that a failed run of this test
# leaves none behind (and only its own are ever touched).
TAG=tag$$
trap 'for p in $(pgrep -f "sh stubborn.sh $TAG"); do kill -9 "$p"; done
    lib_cleanup' EXIT

# wait_for RUN STATE [SECONDS]: poll jobs ls until RUN is in STATE.
wait_for() {
	_i=0
	while [ $_i -lt $((${3:-20} * 10)) ]; do
		"$MLWB" jobs ls --all --format csv 2>/dev/null |
		    grep -q "^$1[0-9a-f]*,.*,$2," && return 0
		sleep 0.1
		_i=$((_i + 1))
	done
	return 1
}
# state RUN: the job's state.
state() {
	"$MLWB" jobs ls --all --format csv | grep "^$1" | cut -d, -f5
}
# uuid: the run UUID in the launch message in $T/err or $T/out.
uuid() {
	sed -n 's/^run \([0-9a-f]*\) .*/\1/p' "$T/err" "$T/out" | head -1
}

# project check ----------------------------------------------------------
ok "project check from a subfolder finds mlwb.yaml above" \
    sh -c 'cd proj/sub && "$MLWB" project check --format csv'
like "entry points listed" "$(cat "$T/out")" \
    '^train,sh train.sh --lr \{lr\} --epochs \{epochs\},"lr:float=0.01 epochs:int=3 opt:str=adam\{adam,sgd\}",launch-test$'
like "shell entry shown as sh -c" "$(cat "$T/out")" \
    "^shout,sh -c 'echo \{msg\} \| tr a-z A-Z',msg:str=hello world,launch-test$"
ok "--project names the file" "$MLWB" project check --project proj/mlwb.yaml --format table
like "table says ok" "$(cat "$T/out")" "proj/mlwb.yaml: ok, 10 entry points"
ok "global --project works too" "$MLWB" --project proj/mlwb.yaml project check --quiet

printf 'entry_points:\n  train:\n    command: [x]\n    parameters:\n      lr: {type: flaot}\n' > bad.yaml
exits 1 "unknown type refused" "$MLWB" project check --project bad.yaml
is "FILE:LINE:COL" "$(cat "$T/err")" "mlwb: bad.yaml:5:18: unknown type 'flaot' (int, float, str, bool, path, dataset)"
printf 'entry_points:\n  a: python3 x.py > log\n' > bad.yaml
exits 1 "shell syntax without a shell" "$MLWB" project check --project bad.yaml
like "column of the >" "$(cat "$T/err")" "bad.yaml:2:19: '>' is shell syntax"
printf 'entry_points:\n  a: [x, {lr}]\n' > bad.yaml
exits 1 "YAML mapping where a word goes" "$MLWB" project check --project bad.yaml
like "line and column" "$(cat "$T/err")" "bad.yaml:2:10: each word of the command must be a string"
printf 'entry_points:\n  a: [x\n' > bad.yaml
exits 1 "YAML syntax error" "$MLWB" project check --project bad.yaml
like "libyaml's position" "$(cat "$T/err")" "bad.yaml:3:1: "
exits 1 "YAML error refuses a launch too" "$MLWB" launch a --project bad.yaml
like "with line and column" "$(cat "$T/err")" "bad.yaml:3:1: "
mkdir empty
exits 1 "no project file" sh -c 'cd empty && "$MLWB" project check'
like "says where it looked" "$(cat "$T/err")" "no mlwb.yaml in \. or any folder above it"
exits 2 "usage" "$MLWB" project frob

# launch: refused before anything starts ---------------------------------
cd proj
exits 1 "wrong-type parameter refused" "$MLWB" launch train -P lr=abc
is "says which and why" "$(cat "$T/err")" "mlwb: -P lr=abc: lr must be a float"
exits 1 "choice outside the list refused" "$MLWB" launch train -P opt=rmsprop
is "lists the choices" "$(cat "$T/err")" "mlwb: -P opt=rmsprop: opt must be one of: adam, sgd"
exits 1 "unknown parameter refused" "$MLWB" launch train -P batch=3
exits 1 "unknown entry point" "$MLWB" launch trian
like "lists the entries" "$(cat "$T/err")" "no entry point 'trian' in .*mlwb.yaml \(it has: train, evaluate, shout"
ok "nothing was recorded" "$MLWB" runs ls --format csv
is "no runs" "$(sed 1d "$T/out")" ""
is "no log folder" "$(ls -A "$T" | grep -c '^.mlwb$')" "0"
is "no model written" "$(ls model.bin 2>/dev/null)" ""

# launch: a training run followed to its end -----------------------------
git init -q . && git add mlwb.yaml train.sh &&
    git -c user.name=t -c user.email=t@example.com commit -qm init
COMMIT=$(git rev-parse HEAD)
echo "# changed" >> train.sh
ok "launch train follows to the end" "$MLWB" launch train -P lr=0.5 -P epochs=3
R=$(uuid)
like "launch message" "$(cat "$T/err")" "^run $R \(launch-test/train-[0-9a-f]{6}\) started; log .*/\.mlwb/logs/$R\.log$"
like "output shown" "$(cat "$T/out")" "training with lr=0.5 for 3 epochs \(hi there\)"
like "progress bar shown in its last state, colours stripped" "$(cat "$T/out")" '^100%\|######\| loss: 0.9$'
unlike "no escape bytes on the terminal" "$(cat "$T/out")" "$(printf '\033')"
like "end reported" "$(cat "$T/err")" "run ${R%${R#????????}} \(train-[0-9a-f]{6}\) finished"
is "model file written in the project" "$(cat model.bin)" "lr 0.5 epochs 3"
ok "runs show" "$MLWB" runs show "$R" --format csv
like "status finished" "$(cat "$T/out")" "^run,status,finished$"
like "param lr" "$(cat "$T/out")" "^param,lr,0.5$"
like "param epochs" "$(cat "$T/out")" "^param,epochs,3$"
like "default param opt" "$(cat "$T/out")" "^param,opt,adam$"
like "command recorded" "$(cat "$T/out")" "^run,command,sh train.sh --lr 0.5 --epochs 3$"
like "entry tag" "$(cat "$T/out")" "^tag,mlwb.entry,train$"
like "git commit" "$(cat "$T/out")" "^run,git_commit,$COMMIT"
like "exit code" "$(cat "$T/out")" "^run,exit_code,0$"
ok "jobs ls" "$MLWB" jobs ls --format csv
like "host, git commit and dirty flag" "$(grep "^$R" "$T/out")" ",$(hostname),$(echo "$COMMIT" | cut -c1-8)\+dirty$"
ok "loss captured from the \\r bars" "$MLWB" metrics "$R" loss --format csv
is "last segment, at the epoch's step" "$(cut -d, -f1,3 "$T/out")" "step,value
1,0.9
2,0.8
3,0.7"
ok "val_acc captured" "$MLWB" metrics "$R" val_acc --format csv
is "name=value lines" "$(cut -d, -f1,3 "$T/out")" "step,value
1,0.71
2,0.72
3,0.73"
ok "epoch captured" "$MLWB" metrics "$R" epoch --format csv
is "Epoch N/M" "$(cut -d, -f1,3 "$T/out" | tail -1)" "3,3"
L="$T/.mlwb/logs/$R.log"
ok "raw log kept" test -f "$L"
is "log has the raw \\r bytes" "$(grep -c "$(printf '\r')" "$L")" "3"
ok "jobs log prints it cleaned" "$MLWB" jobs log "$R"
like "cleaned" "$(cat "$T/out")" '^100%\|######\| loss: 0.7$'
unlike "no escape bytes" "$(cat "$T/out")" "$(printf '\033')"
ok "evaluate with a path parameter" "$MLWB" launch evaluate
like "ran" "$(cat "$T/out")" "^accuracy: 0.75$"

ok "a burst of 120,000 lines" "$MLWB" launch burst --detach
B=$(uuid)
ok "ends" wait_for "$B" finished
ok "runs show" "$MLWB" runs show "$B" --format csv
like "every point stored" "$(cat "$T/out")" "^metric,loss,last 120000 \(step 119999\).*count 120000$"

# exit codes and signals --------------------------------------------------
exits 3 "a failing job: mlwb exits with its code" "$MLWB" launch fail
like "stderr of the job shown" "$(cat "$T/out")" "^bad news$"
like "failed with exit code" "$(cat "$T/err")" "failed with exit code 3"
F=$(uuid)
is "state failed" "$(state "$F")" "failed"
exits 139 "a crash (SIGSEGV)" "$MLWB" launch crash
like "is a failure by signal" "$(cat "$T/err")" "failed by signal 11"
exits 127 "a program that does not exist" "$MLWB" launch missing
like "says so in the output" "$(cat "$T/out")" "mlwb: cannot run ./no-such-program: No such file or directory"
ok "shell: true runs through sh" "$MLWB" launch shout -P msg="it's fine"
is "pipe ran, value quoted" "$(cat "$T/out")" "IT'S FINE"
ok "environment" "$MLWB" launch env
E=$(uuid)
is "MLWB_RUN_ID and entry env" "$(cat "$T/out")" "run=$E greeting="

# kill --------------------------------------------------------------------
ok "launch --detach returns at once" "$MLWB" launch stubborn -P tag=$TAG --detach
K=$(uuid)
like "detached message on stdout" "$(cat "$T/out")" "^run $K .* started"
ok "it runs" wait_for "$K" running
# wait_log RUN TEXT: until the job's log has TEXT (10 s at most).
wait_log() {
	_i=0
	while [ $_i -lt 100 ]; do
		grep -q "$2" "$T/.mlwb/logs/$1.log" 2>/dev/null && return 0
		sleep 0.1
		_i=$((_i + 1))
	done
	return 1
}
ok "its TERM trap is set" wait_log "$K" "stubborn: started"
ok "jobs ls shows it" "$MLWB" jobs ls --format csv
like "running row" "$(cat "$T/out")" "^$K,launch-test,stubborn-[0-9a-f]{6},stubborn,running,"
ok "jobs kill (SIGTERM ignored, SIGKILL after the grace)" "$MLWB" jobs kill "$K" --grace 1
like "killed by signal 9" "$(cat "$T/err")" "killed by signal 9"
is "state killed" "$(state "$K")" "killed"
ok "runs show" "$MLWB" runs show "$K" --format csv
like "run status killed" "$(cat "$T/out")" "^run,status,killed$"
like "the log has the TERM it ignored" "$(cat "$T/.mlwb/logs/$K.log")" "stubborn: ignoring TERM"
is "no process left" "$(pgrep -f "sh stubborn.sh $TAG" | wc -l)" "0"
exits 1 "killing it again" "$MLWB" jobs kill "$K"
like "already ended" "$(cat "$T/err")" "already ended \(killed\)"

# SIGHUP of the launching process -----------------------------------------
setsid sh -c '"$MLWB" launch slow -P n=20 --name "$2" >"$1/hup.out" \
    2>"$1/hup.err"' sh "$T" "hup$$" &
_i=0
while [ $_i -lt 100 ] && ! grep -q "^loss: 1$" "$T/hup.out" 2>/dev/null; do
	sleep 0.1
	_i=$((_i + 1))
done
H=$(sed -n 's/^run \([0-9a-f]*\) .*/\1/p' "$T/hup.err")
like "launched and following" "$H" "^[0-9a-f]{32}$"
# Every process of that command line: a fork of the launcher that has
# not yet exec'd its program (a probe, at load) looks the same, and
# "pgrep | head -1" may pick it, and the launcher never gets the signal
# (CI failed here once with the launcher still following).
pkill -HUP -f "mlwb launch slow -P n=20 --name hup$$" 2>/dev/null
# Gone within 15 s (a sanitizer build at load 10 took over 0.3 s to exit,
# and 3 s were not enough at load 30);
# the job has 20 steps of 0.8 s (16 s).  It survived the hang-up if it
# still runs or has finished on its own with every step (a loaded machine
# may take that long); killed or lost would be the bug.
_i=0
while [ $_i -lt 150 ] && pgrep -f "launch slow -P n=20 --name hup$$" >/dev/null; do
	sleep 0.1
	_i=$((_i + 1))
done
is "the launcher is gone" "$(pgrep -f "launch slow -P n=20 --name hup$$" | wc -l)" "0"
like "the job survived the hang-up" "$(state "$H")" "^(running|finished)$"
ok "and finishes" wait_for "$H" finished 60
ok "every point captured" "$MLWB" metrics "$H" loss --format csv
is "20 steps" "$(sed 1d "$T/out" | cut -d, -f1,3 | tr '\n' ' ')" \
    "$(i=1; while [ $i -le 20 ]; do printf '%d,%d ' $i $i; i=$((i + 1)); done)"

# Ctrl-C detaches ---------------------------------------------------------
"$MLWB" launch slow -P n=6 >"$T/int.out" 2>"$T/int.err" &
LP=$!
_i=0
while [ $_i -lt 100 ] && ! grep -q "^loss: 1$" "$T/int.out" 2>/dev/null; do
	sleep 0.1
	_i=$((_i + 1))
done
kill -INT $LP
wait $LP
is "Ctrl-C: exit 0" "$?" "0"
like "detached, with how to follow again" "$(cat "$T/int.err")" "detached; the job goes on.*mlwb jobs log [0-9a-f]{8} -f"
I=$(sed -n 's/^run \([0-9a-f]*\) .*/\1/p' "$T/int.err")
ok "jobs log -f follows it to the end" "$MLWB" jobs log "$I" -f
like "whole output" "$(cat "$T/out")" "^loss: 6$"
like "end reported" "$(cat "$T/err")" "finished"

# lost --------------------------------------------------------------------
ok "another stubborn job" "$MLWB" launch stubborn -P tag=$TAG --detach
S=$(uuid)
wait_for "$S" running
SP=$(pgrep -f "$MLWB_DB jobs supervise" | head -1)
like "its supervisor" "$SP" "^[0-9]+$"
kill -9 "$SP"
sleep 0.2
ok "jobs ls" "$MLWB" jobs ls --format csv
like "the job is lost" "$(cat "$T/out")" "^$S,.*,stubborn,lost,"
ok "runs show" "$MLWB" runs show "$S" --format csv
like "run status lost" "$(cat "$T/out")" "^run,status,lost$"
is "its process is still there" "$(pgrep -f "sh stubborn.sh $TAG" | wc -l)" "1"
ok "jobs kill ends the orphan" "$MLWB" jobs kill "$S" --grace 1
is "no process left" "$(pgrep -f "sh stubborn.sh $TAG" | wc -l)" "0"

# queue -------------------------------------------------------------------
ok "jobs max says 1" "$MLWB" jobs max
is "default" "$(cat "$T/out")" "1"
ok "first queued job starts" "$MLWB" launch slow -P n=8 --queue --detach
Q1=$(uuid)
ok "second waits" "$MLWB" launch slow -P n=3 --queue --detach
Q2=$(uuid)
like "said queued" "$(cat "$T/out")" "^run $Q2 .* queued"
is "queued state" "$(state "$Q2")" "queued"
ok "runs show" "$MLWB" runs show "$Q2" --format csv
like "run status queued" "$(cat "$T/out")" "^run,status,queued$"
ok "third waits" "$MLWB" launch slow -P n=3 --queue --detach
Q3=$(uuid)
ok "jobs kill of a queued job" "$MLWB" jobs kill "$Q3"
is "it never starts" "$(state "$Q3")" "killed"
# Running or already done: on a loaded machine the 3 s job may end
# between two polls.
ok "the second starts when the first ends" wait_for "$Q2" '\(running\|finished\)'
is "the first has finished by then" "$(state "$Q1")" "finished"
ok "and finishes" wait_for "$Q2" finished
ok "jobs max 2" "$MLWB" jobs max 2
ok "two at once" "$MLWB" launch slow -P n=8 --queue --detach
Q4=$(uuid)
ok "two at once" "$MLWB" launch slow -P n=8 --queue --detach
Q5=$(uuid)
ok "both run" wait_for "$Q4" running
ok "at once" wait_for "$Q5" running
exits 2 "jobs max 0 refused" "$MLWB" jobs max 0
wait_for "$Q5" finished
wait_for "$Q4" finished

# custom output scalars ---------------------------------------------------
cd "$T/proj2"
ok "launch with the project's patterns" "$MLWB" launch run
P=$(uuid)
ok "free pattern with a step group" "$MLWB" metrics "$P" score --format csv
is "step 5" "$(cut -d, -f1,3 "$T/out" | tail -1)" "5,0.7"
ok "fixed key" "$MLWB" metrics "$P" val_auc --format csv
is "value" "$(cut -d, -f3 "$T/out" | tail -1)" "0.91"
ok "defaults too" "$MLWB" metrics "$P" acc --format csv
cd "$T"

# scalars test ------------------------------------------------------------
printf 'Epoch 2/5\n 10%%|#| loss=0.9\r\033[1m100%%\033[0m loss: 0.4, acc=0.8\nstep: 7\nlr: 1e-3\n' > out.txt
ok "scalars test with the defaults" sh -c '"$MLWB" scalars test --format csv < out.txt'
is "captures" "$(cat "$T/out")" "line,key,step,value
1,epoch,2,2
2,loss,2,0.4
2,acc,2,0.8
4,lr,7,0.001"
ok "--pattern" sh -c '"$MLWB" scalars test --format csv --pattern "(?<key>[a-z]+): (?<value>[0-9.e-]+)" < out.txt'
is "only that pattern" "$(sed 1d "$T/out" | cut -d, -f2 | tr '\n' ' ')" "loss lr "
ok "--key-pattern" sh -c '"$MLWB" scalars test --format csv --key-pattern "rate:lr: (\S+)" < out.txt'
is "fixed key" "$(sed 1d "$T/out")" "4,rate,0,0.001"
exits 1 "a bad pattern" sh -c '"$MLWB" scalars test --pattern "(x" < out.txt'
like "with the offset" "$(cat "$T/err")" "--pattern \(x: 2: missing closing parenthesis"
ok "--project" sh -c 'cd proj2 && echo "AUC is 0.5" | "$MLWB" scalars test --project --format csv'
is "the project's patterns" "$(sed 1d "$T/out")" "1,val_auc,0,0.5"

ok "doctor finds jobs and runs agree" "$MLWB" doctor
# project example never overwrites a file or writes through a link.
ok "project example writes a project" "$MLWB" project example ex1
[ -f ex1/mlwb.yaml ] && [ -f ex1/train.sh ] && [ -f ex1/evaluate.sh ] && [ -f ex1/deploy.sh ] && [ -f ex1/train.csv ]
_report $? "with its five files"
mkdir ex2
echo "mine" > ex2/train.sh
exits 1 "an existing train.sh is refused" "$MLWB" project example ex2
like "named" "$(cat "$T/err")" "ex2/train.sh already exists"
is "and kept" "$(cat ex2/train.sh)" "mine"
[ ! -e ex2/mlwb.yaml ] && [ ! -e ex2/deploy.sh ]
_report $? "nothing else written"
mkdir ex3
echo "secret" > victim
ln -s ../victim ex3/deploy.sh
ln -s ../nowhere ex3/evaluate.sh
exits 1 "links in the folder are refused" "$MLWB" project example ex3
like "named as links" "$(cat "$T/err")" "ex3/deploy.sh already exists \(a link\)"
like "a dangling link too" "$(cat "$T/err")" "ex3/evaluate.sh already exists \(a link\)"
is "the link's target is untouched" "$(cat victim)" "secret"
[ ! -e nowhere ] && [ ! -e ex3/mlwb.yaml ]
_report $? "nothing created through the dangling link"
done_testing
