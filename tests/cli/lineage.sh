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
