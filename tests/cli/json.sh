#!/bin/sh
# The JSON of every command that prints data, parsed and checked against
# its schema in doc/json.md (tests/cli/jsoncheck.py reads the notation);
# every command is covered or refuses --format; a running run's ended_at
# is null; runs ls carries tags.
. "$(dirname "$0")/lib.sh"
DOC="$top_srcdir/doc/json.md"
chk="$top_srcdir/tests/cli/jsoncheck.py"

ok "demo workspace" "$MLWB" demo
files=$(ls -d "$T"/*.files)
run=$(wsql "SELECT uuid FROM runs ORDER BY uuid LIMIT 1")
run2=$(wsql "SELECT uuid FROM runs ORDER BY uuid LIMIT 1 OFFSET 1")
ok "a running run" "$MLWB" log --new -e live --name now -t team=t1 -m loss=0.5
live=$(cat "$T/out")

# check NAME ARGS...: run mlwb ARGS --format json, check against NAME.
check() {
	_name=$1; shift
	"$MLWB" "$@" --format json > "$T/j.json" 2> "$T/j.err"
	_s=$?
	[ $_s -le 1 ] || { echo "# exit $_s: $*"; sed 's/^/#   /' "$T/j.err"; }
	ok "$_name: JSON as doc/json.md says" python3 "$chk" "$DOC" "$_name" "$T/j.json"
	sed 's/^/# /' "$T/out"
	echo "$_name" >> "$T/checked"
}

check "exp ls" exp ls
check "runs ls" runs ls
cp "$T/j.json" runs.json
check "runs show" runs show "$live"
cp "$T/j.json" show.json
check "runs diff" runs diff "$run" "$run2"
check "metrics" metrics "$live" loss
"$MLWB" log --new -e doomed --name d1 -m loss=1 > /dev/null
check "runs delete" runs delete d1
check "runs note" runs note "$live"
check "exp delete" exp delete doomed
check "log --new" log --new -e json --name j1
check "import" --db imp.db import "$top_srcdir/tests/data/import/keras/training.log.csv"
check "import-mlflow" --db mlf.db import-mlflow "$top_srcdir/tests/data/mlflow/mlruns"
check "compare" compare "$run" "$run2"
check "drift" drift "$files/loan_reference.csv" "$files/loan_week1.csv"
check "drift ls" drift ls
check "drift show" drift show loan-inputs
check "model ls" model ls
check "model show" model show cifar10-classifier
check "model history" model history cifar10-classifier
mkdir vproj && printf 'entry_points:\n  x: "true"\nverify: "true"\n' > vproj/mlwb.yaml
ok "a verify watch" "$MLWB" --project vproj/mlwb.yaml model verify cifar10-classifier --alias production
check "model verify-status" model verify-status cifar10-classifier
like "with its row" "$(cat "$T/j.json")" '"state": "passed"'
# The demo's registered versions are artifacts of their runs.
arun=$(wsql "SELECT r.uuid FROM runs r JOIN run_artifacts a ON a.run_id = r.id ORDER BY r.uuid LIMIT 1")
check "artifacts ls" artifacts ls "$arun"
check "config artifact-root" config artifact-root
# A run with data sets, a version of it, and a drift report against one.
cp "$files/loan_reference.csv" lref.csv
lrun=$("$MLWB" log --new -e lin --name l1 --input lref.csv:train --output "$files/loan_week1.csv")
"$MLWB" --quiet model create lin-model
"$MLWB" --quiet model register lin-model --run "$lrun"
"$MLWB" drift --model lin-model:1 "$files/loan_week1.csv" >/dev/null
check "lineage" lineage models:/lin-model/1
like "with its drift report" "$(cat "$T/j.json")" '"drift_reports": \[\{'
cd "$files/example-project"
check "project check" project check
cd "$T"
check "jobs ls" jobs ls
# A pipeline of one check step, run, listed, shown; a stand-in crontab.
mkdir pipe
printf 'a\n1\n2\n' > pipe/d.csv
printf 'entry_points:\n  e: "true"\npipelines:\n  p:\n    steps:\n      c: {check: {data: d.csv, reference: d.csv}}\n' > pipe/mlwb.yaml
"$MLWB" --quiet pipeline run p --project pipe/mlwb.yaml 2>/dev/null
check "pipeline ls" pipeline ls
check "pipeline show" pipeline show "$(sed -n 's/.*"run": *"\([0-9a-f]*\)".*/\1/p' "$T/j.json" | head -1)"
like "its step, done" "$(cat "$T/j.json")" '"state": *"done"'
printf '#!/bin/sh\n[ "$1" = -l ] && echo "* * * * * x # mlwb-pipeline p /x/mlwb.yaml"\n' > crontab
chmod +x crontab
MLWB_CRONTAB=$T/crontab check "pipeline schedule ls" pipeline schedule ls
printf 'epoch 1\nloss: 0.31\n' > out.txt
"$MLWB" scalars test --format json < out.txt > "$T/j.json"
ok "scalars test: JSON as doc/json.md says" python3 "$chk" "$DOC" "scalars test" "$T/j.json"
echo "scalars test" >> "$T/checked"

python3 "$chk" "$DOC" --names | sort > names
is "every schema in doc/json.md was checked" "$(sort "$T/checked" | comm -23 names -)" ""

# Every command prints JSON (a schema above) or refuses --format.
"$MLWB" __table > table
missing=""
for c in $(sed -n 's/^command //p' table); do
	grep -q "^textonly $c$" table && continue
	grep -q "^$c\( \|$\)" names || missing="$missing $c"
done
is "each command has a schema or is text-only" "$missing" ""
for c in $(sed -n 's/^textonly //p' table); do
	exits 2 "$c refuses --format json" "$MLWB" "$c" --format json
done
for s in "model path models:/x/1" "artifacts get x y" "config artifact-root d" "model create m" "jobs kill x" "jobs log x" "project example d" "pipeline run x" "pipeline cancel x" "pipeline schedule x @daily"; do
	# shellcheck disable=SC2086
	exits 2 "$s refuses --format json" "$MLWB" $s --format json
done

ok "a running run's ended_at is null" python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
assert d["status"] == "running" and d["ended_at"] is None, d
r = [x for x in json.load(open(sys.argv[2])) if x["uuid"] == d["uuid"]][0]
assert r["ended_at"] is None, r
assert r["tags"] == {"team": "t1"}, r
' show.json runs.json
done_testing
