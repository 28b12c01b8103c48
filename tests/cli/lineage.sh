#!/bin/sh
# Data sets and lineage: `mlwb log --input/--output PATH[:ROLE]` (path,
# sha256, size, CSV rows and schema; the same bytes at the same path kept
# once), `mlwb lineage URI|RUN` as a tree (UTF-8 and ASCII), CSV and JSON,
# MLflow's imported datasets shown, drift from lineage (`drift --model
# URI CUR.csv`: the training input as reference, refused by name when it
# changed or is gone, the report linked to the version and shown in the
# lineage), and push carrying data sets.  $MLWB_DB is a file, or under
# check-pg a PostgreSQL store.
. "$(dirname "$0")/lib.sh"
D=$top_srcdir/tests/data/drift

cp "$D/mid_ref.csv" train.csv
cp "$D/mid_cur.csv" current.csv
printf 'id\tlabel\n1\tcat\n2\tdog\n' > labels.tsv
printf 'not a csv\n' > notes.txt

R=$("$MLWB" log --new -e lin --name r1 --input train.csv:train --input labels.tsv)
ok "log an output with a role" "$MLWB" log --run "$R" --output notes.txt:report
ok "lineage of the run as CSV" "$MLWB" lineage "$R" --format csv
is "inputs then outputs, with sha256, size, rows and columns" "$(cut -d, -f2-10 "$T/out")" "direction,role,name,path,sha256,size,rows,columns,drift_reports
input,,labels.tsv,$T/labels.tsv,$(sha256sum labels.tsv | cut -c1-64),$(wc -c < labels.tsv | tr -d ' '),2,2,0
input,train,train.csv,$T/train.csv,$(sha256sum train.csv | cut -c1-64),$(wc -c < train.csv | tr -d ' '),3000,6,0
output,report,notes.txt,$T/notes.txt,$(sha256sum notes.txt | cut -c1-64),10,,,0"
ok "lineage as JSON" "$MLWB" lineage "$R" --format json
like "the CSV schema, typed by the drift reader" "$(cat "$T/out")" '"schema": "\{\\"mlflow_colspec\\": \[\{\\"type\\": \\"double\\", \\"name\\": \\"x\\"\}'
like "a TSV's text column is a string" "$(cat "$T/out")" 'label\\", \\"type|\\"type\\": \\"string\\", \\"name\\": \\"label\\"'

# Bad input: named, and nothing recorded.
exits 1 "a missing input" "$MLWB" log --run "$R" --input nope.csv:train -m loss=1
like "names it" "$(cat "$T/err")" "nope.csv: No such file"
printf 'a,b\n1,2\n3,4,5\n' > bad.csv
exits 1 "a CSV that does not parse" "$MLWB" log --run "$R" --input bad.csv
like "names file and line" "$(cat "$T/err")" "bad.csv:3:"
exits 1 "a folder is not a data set" "$MLWB" log --run "$R" --input "$T"
like "says what to do" "$(cat "$T/err")" "log a folder with --artifact"
ok "still three data sets" "$MLWB" lineage "$R" --format csv
is "three" "$(tail -n +2 "$T/out" | wc -l | tr -d ' ')" 3
ok "no metric was logged" "$MLWB" runs show "$R" --format csv
unlike "no loss" "$(cat "$T/out")" "^metric,loss"

# The same file read by two runs is one data set.
R2=$("$MLWB" log --new -e lin --name r2 --input train.csv:train)
ok "r2's lineage" "$MLWB" lineage "$R2" --format json
u1=$("$MLWB" lineage "$R" --format json | python3 -c 'import json,sys; print([d["uuid"] for d in json.load(sys.stdin)["datasets"] if d["role"] == "train"][0])')
like "the same data set uuid" "$(cat "$T/out")" "\"uuid\": \"$u1\""

# A model version's lineage, and drift from it.
ok "create a model" "$MLWB" model create clf
ok "register r1" "$MLWB" model register clf --run "$R"
ok "promote it" "$MLWB" model promote clf 1 --to champion --no-deploy
exits 0 "drift against the champion's training data" "$MLWB" drift --model clf@champion current.csv --format csv
like "the reference is train.csv" "$(cat "$T/out")" "num"
ok "the report is saved against the version" "$MLWB" drift ls --format csv
like "clf:1" "$(cat "$T/out")" "^1,[0-9a-f]*,,clf:1,"
ok "lineage of the version, as a tree" env LANG=C.UTF-8 LC_ALL=C.UTF-8 "$MLWB" lineage models:/clf@champion --format table
like "version, then run" "$(cat "$T/out")" "^models:/clf@champion  version 1  sha256|^models:/clf@champion  version 1$"
like "the run" "$(cat "$T/out")" "^└── run lin/r1  [0-9a-f]{12}  running$"
like "the training input with its rows" "$(cat "$T/out")" "^    ├── input train $T/train.csv  3000 rows x 6 columns"
like "the drift report made against it" "$(cat "$T/out")" "^    │   └── drift report [0-9a-f]+  .*no drift, drift share 0.00  \(this data as its reference\)$"
like "the output last" "$(cat "$T/out")" "^    └── output report $T/notes.txt  10 bytes"
ok "ASCII under LANG=C" env LANG=C LC_ALL=C "$MLWB" lineage models:/clf/1 --format table
like "ASCII branches" "$(cat "$T/out")" "^\`-- run lin/r1"
like "and bars" "$(cat "$T/out")" "^    \|   \`-- drift report"
unlike "no UTF-8" "$(cat "$T/out")" "$(printf '\342\224')"
ok "lineage JSON of the version" "$MLWB" lineage models:/clf/1 --format json
like "version and its drift report" "$(tr -d '\n' < "$T/out")" '"version": \{"uri": "models:/clf/1", "version": 1,.*"drift_reports": \[\{"uuid": "[0-9a-f]{32}", "name": null, "created": "[^"]*", "dataset_drift": false, "drift_share": 0, "as": "reference"\}\]'

# The training data changed, or is gone: refused, naming the file.
printf '1,2,3,4,5,6\n' >> train.csv
exits 2 "changed training data" "$MLWB" drift --model clf@champion current.csv
like "names the file and both hashes" "$(cat "$T/err")" "models:/clf@champion: the training data $T/train.csv changed since run lin/r1 recorded it \(sha256 [0-9a-f]{12}, now [0-9a-f]{12}\)"
rm train.csv
exits 2 "training data gone" "$MLWB" drift --model clf:1 current.csv
like "names it" "$(cat "$T/err")" "models:/clf/1: the training data is gone: $T/train.csv: No such file"
ok "two inputs, one of them train: still fine to choose" true
R3=$("$MLWB" log --new -e lin --name r3 --input labels.tsv --input current.csv)
ok "register r3" "$MLWB" model register clf --run "$R3"
exits 2 "two inputs and no train role" "$MLWB" drift --model clf current.csv
like "says how to mark one" "$(cat "$T/err")" "models:/clf/latest: run lin/r3 has more than one input data sets with role train: record it with mlwb log --run RUN --input PATH:train"
exits 2 "drift with one file and no --model" "$MLWB" drift current.csv
ok "drift ls still has one report" "$MLWB" drift ls --format csv
is "one" "$(tail -n +2 "$T/out" | wc -l | tr -d ' ')" 1

# MLflow's imported datasets are shown.
ok "import-mlflow" "$MLWB" --db mlf.db import-mlflow "$top_srcdir/tests/data/mlflow/mlruns"
mr=$(sqlite3 mlf.db "SELECT r.uuid FROM runs r JOIN run_inputs i ON i.run_id = r.id LIMIT 1" 2>/dev/null)
if [ -n "$mr" ]; then
	ok "an MLflow run's lineage" "$MLWB" --db mlf.db lineage "$mr" --format json
	like "its dataset, with MLflow's source type" "$(cat "$T/out")" '"direction": "input", .*"source_type": "[a-z]+"'
else
	ok "the MLflow fixture has a run with a dataset" false
fi

# Launched entry points record their dataset params and inputs: when the
# job starts, with sha256, size, rows and columns; a missing file refuses
# the launch, naming it, and a file gone before a queued job starts fails
# that job, naming it.
mkdir -p lproj/data
cat > lproj/mlwb.yaml <<'EOF'
experiment: lin-launch
entry_points:
  train:
    command: ["cat", "{train}"]
    parameters:
      train: {type: dataset, default: data/train.csv}
      split: {type: str, default: a}
    inputs: ["data/test_{split}.csv:test", "data/*.txt"]
  hold:
    command: ["sh", "-c", "while [ ! -e go ]; do sleep 0.1; done"]
EOF
cp "$D/mid_ref.csv" lproj/data/train.csv
printf 'x,y\n1,2\n3,4\n5,6\n' > lproj/data/test_a.csv
printf 'one\n' > lproj/data/n1.txt
printf 'two\n' > lproj/data/n2.txt
sum() { sha256sum "$1" | cut -c1-64; }
ok "project check knows the dataset type" "$MLWB" project check --project lproj/mlwb.yaml --format csv
like "listed as dataset" "$(cat "$T/out")" "train:dataset=data/train.csv"
ok "launch an entry with a dataset param and inputs" "$MLWB" launch train --project lproj/mlwb.yaml
LR=$(sed -n 's/^run \([0-9a-f]*\) .*/\1/p' "$T/err" | head -1)
ok "its lineage" "$MLWB" lineage "$LR" --format csv
is "every data set with its role, sha256, size, rows and columns" "$(tail -n +2 "$T/out" | cut -d, -f2-9 | sort)" "input,input,n1.txt,$T/lproj/data/n1.txt,$(sum lproj/data/n1.txt),4,,
input,input,n2.txt,$T/lproj/data/n2.txt,$(sum lproj/data/n2.txt),4,,
input,test,test_a.csv,$T/lproj/data/test_a.csv,$(sum lproj/data/test_a.csv),16,3,2
input,train,train.csv,$T/lproj/data/train.csv,$(sum lproj/data/train.csv),$(wc -c < lproj/data/train.csv | tr -d ' '),3000,6"
ok "a model of the launched run" "$MLWB" model create lin-launched
ok "registered" "$MLWB" model register lin-launched --run "$LR"
ok "drift --model takes its dataset param as reference" "$MLWB" drift --model lin-launched:1 current.csv --format json
nruns() { "$MLWB" runs ls -e lin-launch --format csv | tail -n +2 | wc -l | tr -d ' '; }
exits 1 "a missing dataset file refuses the launch" "$MLWB" launch train --project lproj/mlwb.yaml -P train=data/nope.csv
like "naming the parameter and the file" "$(cat "$T/err")" "lproj/mlwb.yaml: entry point train: dataset train: $T/lproj/data/nope.csv: No such file"
exits 1 "an input path with a param that names no file" "$MLWB" launch train --project lproj/mlwb.yaml -P split=b
like "named" "$(cat "$T/err")" "input data/test_b.csv: $T/lproj/data/test_b.csv: No such file"
exits 1 "a folder is not a data set" "$MLWB" launch train --project lproj/mlwb.yaml -P train=data
like "says so" "$(cat "$T/err")" "dataset train: $T/lproj/data: not a file"
is "no run was made" "$(nruns)" 1
sed 's/test_{split}/test_{spilt}/' lproj/mlwb.yaml > lproj/bad.yaml
exits 1 "project check: an input naming no parameter" "$MLWB" project check --project lproj/bad.yaml
like "with line and column" "$(cat "$T/err")" "bad.yaml:8:14: \{spilt\}: entry point train has no parameter spilt"
printf 'experiment: x\nentry_points:\n  t:\n    command: echo\n    inputs: {a: b}\n' > lproj/bad2.yaml
exits 1 "project check: inputs that are not paths" "$MLWB" project check --project lproj/bad2.yaml
like "with line and column" "$(cat "$T/err")" "bad2.yaml:5:13: inputs must be a path or a list of paths"
# A queued job whose data set is gone when its turn comes fails, naming it.
cp "$D/mid_ref.csv" lproj/data/soon_gone.csv
ok "a job holds the only slot" "$MLWB" launch hold --project lproj/mlwb.yaml --detach
ok "a queued train" "$MLWB" launch train --project lproj/mlwb.yaml -P train=data/soon_gone.csv --queue --detach
QR=$(sed -n 's/^run \([0-9a-f]*\) .*/\1/p' "$T/out" | head -1)
like "queued" "$(cat "$T/out")" "queued"
rm lproj/data/soon_gone.csv
touch lproj/go
job_end() {
	_i=0
	while [ $_i -lt 300 ]; do
		"$MLWB" jobs ls --all --format csv 2>/dev/null |
		    grep -q "^$1[0-9a-f]*,.*,\(failed\|finished\)," && return 0
		sleep 0.1
		_i=$((_i + 1))
	done
	return 1
}
ok "the queued job ends" job_end "$QR"
like "failed" "$("$MLWB" jobs ls --all --format csv | grep "^$QR")" ",failed,"
ok "its log" "$MLWB" jobs log "$QR"
like "names the file" "$(cat "$T/out")" "dataset train: $T/lproj/data/soon_gone.csv: No such file"

# push carries data sets and their links.
ok "a box with an input" "$MLWB" --db box.db log --new -e lin --name b1 --input current.csv:train
B=$(cat "$T/out")
ok "push" "$MLWB" --db box.db push --to "$MLWB_DB"
ok "the store's lineage of that run" "$MLWB" lineage "$B" --format csv
like "the data set came" "$(cat "$T/out")" "^$B,input,train,current.csv,$T/current.csv,$(sha256sum current.csv | cut -c1-64),"
ok "an output logged later" "$MLWB" --db box.db log --run "$B" --output labels.tsv
ok "push again" "$MLWB" --db box.db push
like "the run is updated" "$(cat "$T/out")" ": 0 new runs, 1 updated"
ok "lineage has it" "$MLWB" lineage "$B" --format csv
like "the output" "$(cat "$T/out")" "^$B,output,,labels.tsv,"

done_testing
