#!/bin/sh
# Command-line tests of the core: init, doctor, listing an empty workspace,
# refusing what is not a workspace, usage errors.
. "$(dirname "$0")/lib.sh"

exits 1 "runs ls without a workspace fails" "$MLWB" runs ls
like "and says how to make one" "$(cat "$T/err")" "mlwb init"
ok "init creates a workspace" "$MLWB" init
is "init says so" "$(cat "$T/out")" "workspace $MLWB_DB ready"
ok "doctor on a fresh workspace" "$MLWB" doctor
is "doctor says ok" "$(cat "$T/out")" "$MLWB_DB: ok"
ok "exp ls on an empty workspace" "$MLWB" exp ls --format csv
is "header only" "$(cat "$T/out")" "name,runs,running,failed,last_activity,uuid,tags"
ok "runs ls json on an empty workspace" "$MLWB" runs ls --format json
is "empty array" "$(cat "$T/out")" "[]"
ok "--db overrides MLWB_DB" "$MLWB" --db "$T/other.db" init
ok "and the file exists" test -f "$T/other.db"
ok "--db after the command too" "$MLWB" exp ls --db "$T/other.db"

printf 'not a database at all, just some text that is long enough....\n%.0s' 1 2 3 4 5 6 7 8 > "$T/junk.db"
exits 1 "a text file is not a workspace" "$MLWB" --db "$T/junk.db" runs ls
like "error names the file" "$(cat "$T/err")" "junk.db"

exits 2 "unknown command" "$MLWB" frobnicate
like "usage error says so" "$(cat "$T/err")" "not a command"
exits 2 "bad --format" "$MLWB" runs ls --format xml
exits 2 "runs without a subcommand" "$MLWB" runs
ok "--help" "$MLWB" --help
like "help lists commands" "$(cat "$T/out")" "runs +List and show runs"
ok "runs --help" "$MLWB" runs --help
like "runs help explains RUN" "$(cat "$T/out")" "UUID prefix"
exits 1 "runs show of a missing run" "$MLWB" runs show nope
like "says not found" "$(cat "$T/err")" "not found"
exits 1 "metrics of a missing run" "$MLWB" metrics nope loss
ok "--version" "$MLWB" --version
like "prints the version" "$(cat "$T/out")" "^mlwb [0-9]"

# The demo workspace: deterministic, and the listing contract scripts use.
ok "demo builds a workspace" "$MLWB" --db "$T/demo.db" demo
is "demo says how many runs" "$(cat "$T/out")" "demo workspace $T/demo.db: 44 runs"
exits 1 "demo refuses a workspace with runs" "$MLWB" --db "$T/demo.db" demo
ok "demo --force rebuilds it" "$MLWB" --db "$T/demo.db" demo --force
ok "a second demo elsewhere" "$MLWB" --db "$T/demo2.db" demo
"$MLWB" --db "$T/demo.db" runs ls --format csv > "$T/a.csv"
"$MLWB" --db "$T/demo2.db" runs ls --format csv > "$T/b.csv"
ok "the demo is deterministic (same runs, uuids, values)" cmp "$T/a.csv" "$T/b.csv"
is "44 runs listed" "$(tail -n +2 "$T/a.csv" | wc -l | tr -d ' ')" "44"
ok "exp ls" "$MLWB" --db "$T/demo.db" exp ls --format csv
is "three experiments with counts" "$(cut -d, -f1-4 "$T/out")" "name,runs,running,failed
bert-sentiment,12,1,1
cifar10-resnet,24,0,1
tabular-xgb,8,0,0"
ok "runs ls -e json" "$MLWB" --db "$T/demo.db" runs ls -e tabular-xgb --format json
like "json has uuid, name, experiment, status" "$(head -2 "$T/out")" '"uuid": "[0-9a-f]{32}", "name": "xgb-d3-eta0.1", "experiment": "tabular-xgb", "status": "finished"'
like "json has params as an object" "$(cat "$T/out")" '"params": \{"eta": "0.1", "max_depth": "3", "subsample": "0.8"\}'
like "json has metrics as last values" "$(cat "$T/out")" '"metrics": \{"train-rmse": 0\.[0-9]+, "valid-rmse": 0\.[0-9]+\}'
is "8 runs in the experiment" "$(grep -c '"uuid"' "$T/out")" "8"
ok "runs show by experiment/name" "$MLWB" --db "$T/demo.db" runs show tabular-xgb/xgb-d3-eta0.1 --format csv
like "shows the params" "$(cat "$T/out")" "^param,max_depth,3$"
like "shows metric summaries" "$(cat "$T/out")" "^metric,valid-rmse,last .* count 200$"
uuid=$(sed -n 's/^run,uuid,//p' "$T/out")
ok "runs show by a UUID prefix" "$MLWB" --db "$T/demo.db" runs show "$(echo "$uuid" | cut -c1-8)" --format json
like "same run" "$(cat "$T/out")" "\"name\": \"xgb-d3-eta0.1\""
ok "metrics as csv" "$MLWB" --db "$T/demo.db" metrics tabular-xgb/xgb-d3-eta0.1 valid-rmse --format csv
is "header step,timestamp,value" "$(head -1 "$T/out")" "step,timestamp,value"
is "one line per point" "$(tail -n +2 "$T/out" | wc -l | tr -d ' ')" "200"
tail -n +2 "$T/out" | cut -d, -f1 > "$T/steps"
ok "in step order" sh -c "sort -n '$T/steps' | cmp - '$T/steps'"
ok "a diverged run keeps its NaN" "$MLWB" --db "$T/demo.db" metrics cifar10-resnet/resnet18-adam-lr0.01-bs64 train_loss --format json
like "NaN is a JSON string" "$(cat "$T/out")" '"value": "NaN"'
ok "doctor on the demo" "$MLWB" --db "$T/demo.db" doctor
exits 1 "an unknown metric" "$MLWB" --db "$T/demo.db" metrics tabular-xgb/xgb-d3-eta0.1 nope
like "names it" "$(cat "$T/err")" "no metric named 'nope'"
exits 1 "an ambiguous run name" "$MLWB" --db "$T/demo.db" runs show nonexistent-name
# A write aimed at another program's SQLite file (an easy mistake with
# --db) is refused before anything touches it: not even its journal mode.
sqlite3 "$T/mlflow.db" 'CREATE TABLE experiments(x); INSERT INTO experiments VALUES (1)'
cp "$T/mlflow.db" "$T/mlflow.orig"
exits 1 "log into an MLflow database is refused" "$MLWB" --db "$T/mlflow.db" log --new -m loss=1
like "as not a workspace" "$(cat "$T/err")" "not an mlwb workspace"
ok "and the file is byte for byte as it was" cmp "$T/mlflow.db" "$T/mlflow.orig"
ok "read-only listing works on a read-only file" sh -c "chmod a-w '$T/demo2.db' && '$MLWB' --db '$T/demo2.db' --read-only exp ls"

# --read-only in a directory nothing can be written to (read-only media):
# a WAL workspace needs its -shm, which cannot be made there.  As root,
# permissions are moot, so the directory is made immutable (chattr +i);
# as another user, chmod a-w.  The test checks the directory really
# refuses a new file before it trusts the result.
mkdir "$T/ro"
ok "a workspace in it" "$MLWB" --db "$T/ro/w.db" demo
trap 'chattr -i "$T/ro" 2>/dev/null; chmod u+w "$T/ro" 2>/dev/null; lib_cleanup' EXIT
if [ "$(id -u)" = 0 ]; then chattr +i "$T/ro"; else chmod a-w "$T/ro"; fi
( : > "$T/ro/probe" ) 2>/dev/null
[ $? != 0 ]; _report $? "the directory refuses new files (chattr +i as root, chmod a-w else)"
ok "--read-only lists it" "$MLWB" --db "$T/ro/w.db" --read-only exp ls --format csv
like "all three experiments" "$(cat "$T/out")" "^cifar10-resnet,24,"
ok "--read-only doctor" "$MLWB" --db "$T/ro/w.db" --read-only doctor
ok "--read-only runs ls with a filter" "$MLWB" --db "$T/ro/w.db" --read-only runs ls --filter "metrics.val_loss < 1" --format csv
chattr -i "$T/ro" 2>/dev/null; chmod u+w "$T/ro"
# A -wal holding changes (a writer killed) cannot be read without its
# -shm, which cannot be made there: a clear refusal, not stale data.
sqlite3 "$T/ro/w.db" "PRAGMA wal_autocheckpoint=0; CREATE TABLE late(a); INSERT INTO late VALUES (1)" ".system kill -9 \$PPID" 2>/dev/null
rm -f "$T/ro/w.db-shm"
if [ "$(id -u)" = 0 ]; then chattr +i "$T/ro"; else chmod a-w "$T/ro"; fi
exits 1 "--read-only with a pending -wal and no way to make -shm" "$MLWB" --db "$T/ro/w.db" --read-only exp ls
like "says why" "$(cat "$T/err")" "directory cannot be written and .*w.db-wal holds changes"
chattr -i "$T/ro" 2>/dev/null; chmod u+w "$T/ro"

# The manual: lint-clean, and every command of `mlwb --help` has an entry.
ok "mandoc finds nothing to warn about in doc/mlwb.1" \
    "${MANDOC:-mandoc}" -T lint -W warning "$top_srcdir/doc/mlwb.1"
# The command table (mlwb __table) is what dispatch, --help and completion
# are built from: each command, subcommand and option must be in the
# manual, options within their command's part of it (long or short name).
"$MLWB" __table > "$T/table"
ok "the table lists commands" grep -q '^command runs$' "$T/table"
section() {	# the manual's lines about command $1
	awk -v c="$1" '
	    /Nm Cm [a-z-]+/ { match($0, /Nm Cm [a-z-]+/);
		w = substr($0, RSTART + 6, RLENGTH - 6); on = (w == c) }
	    on' "$top_srcdir/doc/mlwb.1"
}
missing=""
while read -r what c x s; do
	s=${s:-$x}
	case $what in
	command) section "$c" | grep -q . || missing="$missing $c" ;;
	sub) section "$c" | grep -q "Nm Cm $c \(.*Cm \)\{0,1\}$x\( \|$\)" ||
	    missing="$missing $c-$x" ;;
	option) if [ "$c" = - ]; then grep -q "Fl ${x#-}\( \|$\)" \
	    "$top_srcdir/doc/mlwb.1" || missing="$missing $x"
	    else section "$c" | grep -q "Fl \(${x#-}\|${s#-}\)\( \|$\)" ||
	    missing="$missing $c:$x"; fi ;;
	esac
done < "$T/table"
is "every command, subcommand and option is in the man page" "$missing" ""
# Every command's --help is built from the table: usage and each option.
for c in $(sed -n 's/^command //p' "$T/table"); do
	"$MLWB" "$c" --help > "$T/h" 2>&1 || echo "$c" >> "$T/badhelp"
	for o in $(sed -n "s/^option $c //p" "$T/table"); do
		grep -q -- "$o" "$T/h" || echo "$c $o" >> "$T/badhelp"
	done
done
is "every command's --help names its options" "$(cat "$T/badhelp" 2>/dev/null)" ""
exits 2 "a text-only command refuses --format" "$MLWB" doctor --format json
like "and says so" "$(cat "$T/err")" "doctor: --format: this command prints text only"
exits 2 "an unknown option" "$MLWB" runs ls --nosuch
like "points to --help" "$(cat "$T/err")" "Try 'mlwb runs --help'"
ok "an alias runs its command" "$MLWB" experiments ls
done_testing
