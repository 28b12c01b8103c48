#!/bin/sh
# `mlwb import`: every supported log format with its quirks (fixtures in
# tests/data/import, written for this project), default names, params
# from sidecar files, idempotency, and bad files changing nothing.
. "$(dirname "$0")/lib.sh"
D="$top_srcdir/tests/data/import"
cp -R "$D" data
D=data

ok "import a Keras log (CRLF, sci notation)" "$MLWB" import $D/keras/training.log.csv
like "summary line" "$(cat "$T/out")" "training.log.csv: keras, experiment keras: 1 run, 5 metrics, 15 points"
ok "lr kept exactly" "$MLWB" metrics keras/training.log lr --format csv
is "values and steps" "$(cut -d, -f1,3 "$T/out")" "step,value
0,0.001
1,0.00020000001
2,4.0000003e-05"

ok "import a folder of Lightning versions" "$MLWB" import $D/lightning_logs
like "both versions" "$(cat "$T/out")" "version_0/metrics.csv: lightning, experiment data: 1 run, 3 metrics, 12 points, 7 params"
like "second version" "$(cat "$T/out")" "version_1/metrics.csv: lightning, experiment data: 1 run, 5 metrics, 15 points"
like "unsafe YAML skipped with a warning" "$(cat "$T/err")" "skipped 2 parameter values with unsafe YAML tags"
ok "hparams became params" "$MLWB" runs show data/version_0 --format csv
like "scalar" "$(cat "$T/out")" "^param,lr,1.0e-05$"
like "nested map flattened" "$(cat "$T/out")" "^param,optimizer.name,adam$"
like "list kept as text" "$(cat "$T/out")" '^param,layers,"\[20, 20\]"$'
unlike "python object not imported" "$(cat "$T/out")" "param,loss"
ok "sparse rows: val_loss at its own steps" "$MLWB" metrics data/version_0 val_loss --format csv
is "val rows share the train row's step" "$(cut -d, -f1,3 "$T/out")" "step,value
1,2.25
3,1.25"
ok "unsorted columns, val steps never in train rows" "$MLWB" metrics data/version_1 val_rmse --format csv
is "values in sci notation" "$(cut -d, -f1,3 "$T/out")" "step,value
108,0.3
217,0.2"

ok "import YOLO results (padded)" "$MLWB" import $D/yolo
like "ultralytics" "$(cat "$T/out")" "results.csv: ultralytics, experiment yolo: 1 run, 4 metrics, 12 points, 6 params"
ok "padded names and values" "$MLWB" metrics yolo/train2 'metrics/mAP50-95(B)' --format csv
is "values" "$(cut -d, -f1,3 "$T/out")" "step,value
0,0.05678
1,0.1234
2,0.21"
ok "args.yaml became params" "$MLWB" runs show yolo/train2 --format csv
like "Windows path kept" "$(cat "$T/out")" '^param,data,C:\\datasets\\lego.yaml$'

ok "Stable-Baselines progress.csv" "$MLWB" import $D/sb/progress.csv
ok "steps are TimestepsSoFar" "$MLWB" metrics data/sb EpRewMean --format csv
is "nan kept" "$(cut -d, -f1,3 "$T/out")" "step,value
1024,0.083
2048,0.5
3072,NaN"
ok "baselines HER progress.csv with slash names" "$MLWB" import $D/her/progress.csv
ok "slash metric" "$MLWB" metrics data/her test/success_rate --format csv
is "by epoch" "$(cut -d, -f1,3 "$T/out")" "step,value
0,0
1,0.1"

ok "TensorBoard exports of one run" "$MLWB" import $D/tb
ok "loss from the file name" "$MLWB" metrics data/tb loss --format csv
is "steps and wall time" "$(cat "$T/out")" "step,timestamp,value
0,1559699797289,12.435992240905762
1,1559702341019,8.378080368041992
2,1559704881500,6.25"
ok "accuracy in the same run" "$MLWB" runs show data/tb --format csv
like "two metrics in one run" "$(grep -c '^metric,' "$T/out")" "^2$"

ok "long format" "$MLWB" import $D/long/scalars.csv
ok "run b" "$MLWB" metrics long/b acc --format csv
is "Infinity" "$(cat "$T/out")" "step,timestamp,value
0,1700000000000,inf"

ok "a generic wide log (iteration, duplicate names, NaN/inf)" "$MLWB" import $D/wide/log.csv
ok "duplicate name gets .1" "$MLWB" metrics data/wide loss.1 --format csv
is "second loss column" "$(cut -d, -f1,3 "$T/out")" "step,value
10,1.6
20,1.3
30,1.1"
ok "grad_norm" "$MLWB" metrics data/wide grad_norm --format csv
is "NaN, inf, -inf" "$(cut -d, -f3 "$T/out" | tr '\n' ' ')" "value NaN inf -inf "
ok "'it' is a step column" "$MLWB" import $D/wide/custom.csv
like "and the summary says so" "$(cat "$T/out")" "custom.csv: wide, .*, step from column it "
ok "a column of rising whole numbers is the step" "$MLWB" import $D/wide/counter.csv
like "which column was taken" "$(cat "$T/out")" "counter.csv: wide, .*step from column batches "
ok "at its steps" "$MLWB" metrics wide/counter loss --format csv
is "batches" "$(cut -d, -f1,3 "$T/out")" "step,value
100,0.5
200,0.25
300,0.125"
ok "a non-rising column is a metric" "$MLWB" metrics wide/counter seed --format csv
exits 1 "no step column and nothing rising" "$MLWB" import $D/wide/nostep.csv
like "says which option takes it" "$(cat "$T/err")" "nostep.csv:1: .*use --step-col COLUMN"
ok "--step-col takes it" "$MLWB" import --step-col seed $D/wide/nostep.csv
like "and is said" "$(cat "$T/out")" "step from column seed "
printf 'epoch,loss,batches\n0,0.5,100\n1,0.25,200\n' > kerasb.csv
ok "--step-col overrides a format's own step" "$MLWB" import --step-col batches kerasb.csv
like "keras, step from batches" "$(cat "$T/out")" "kerasb.csv: keras, .*step from column batches "
ok "metrics" "$MLWB" metrics kerasb loss --format csv
like "steps from batches" "$(cut -d, -f1 "$T/out" | tr '\n' ' ')" "^step 100 200 $"

# The table of formats and doc/formats.md agree, in order.
ok "--list-formats" "$MLWB" import --list-formats
grep '^| `' "$top_srcdir/doc/formats.md" | awk -F' [|] ' '{ gsub(/^[|] `|`$/, "", $1); print $1 "\t" $2 }' > doc-table
is "doc/formats.md's table is the program's" "$(cat doc-table)" "$(cat "$T/out")"
like "every format" "$(wc -l < "$T/out")" "^ *1[0-9]|2[0-9]$"

ok "scikit-learn cv_results_" "$MLWB" import $D/sweeps/cv_results.csv
like "one run per candidate" "$(cat "$T/out")" "sklearn, experiment sweeps: 3 runs, 5 metrics, 15 points, 6 params"
ok "candidate params" "$MLWB" runs show sweeps/candidate-2 --format csv
like "param_C" "$(cat "$T/out")" "^param,C,10$"
like "score" "$(cat "$T/out")" "^metric,mean_test_score,last 0.75 "
ok "Optuna trials" "$MLWB" import $D/sweeps/optuna.csv
ok "runs" "$MLWB" runs ls -e sweeps --format csv
like "FAIL is failed" "$(grep ',trial-0,' "$T/out")" ",failed,"
like "RUNNING is running" "$(grep ',trial-2,' "$T/out")" ",running,"
like "PRUNED is pruned" "$(grep ',trial-3,' "$T/out")" ",pruned,"
like "sci-notation param" "$(grep ',trial-1,' "$T/out")" "8.10423485456831e-08"
ok "MLflow search_runs export (BOM, quoted newline)" "$MLWB" import $D/sweeps/mlflow_runs.csv
ok "run_id kept as the UUID" "$MLWB" runs show 0123456789abcdef0123456789abcdef --format json
like "name from tags.mlflow.runName" "$(cat "$T/out")" '"name": "bright-owl-7"'
like "tuple param" "$(cat "$T/out")" '"ngram": "\(1,2\)"'
like "tag with a newline" "$(cat "$T/out")" '"note": "line one\\nline two"'
like "times parsed" "$(cat "$T/out")" '"started_at": 1722781709123'
ok "failed run" "$MLWB" runs show fedcba98 --format csv
like "status" "$(cat "$T/out")" "^run,status,failed$"

ok "detectron2 metrics.json" "$MLWB" import $D/json/metrics.json
ok "restart keeps both iteration 19s" "$MLWB" metrics data/json total_loss --format csv
is "in step order, arrival order for ties" "$(cut -d, -f1,3 "$T/out")" "step,value
19,1.5
19,1.6
39,1.25"
ok "bare NaN" "$MLWB" metrics data/json bbox/APs --format csv
like "kept" "$(cat "$T/out")" "^39,0,NaN$"
ok "the restart is marked" "$MLWB" runs show data/json --format csv
like "restarts" "$(cat "$T/out")" "^tag,mlwb.restarts,1$"
like "where" "$(cat "$T/out")" "^tag,mlwb.restart_at,line 3 \(iteration 19 after 39\)$"

# W&B: run.history() and the runs export with Python dict reprs.
ok "W&B history export" "$MLWB" import $D/wandb/history.csv
like "step from _step" "$(cat "$T/out")" "history.csv: wandb, experiment data: 1 run, 3 metrics, 7 points, 0 params, step from column _step "
ok "sparse metric" "$MLWB" metrics data/wandb val/acc --format csv
is "_timestamp is the time; the table cell is no point" "$(cat "$T/out")" "step,timestamp,value
2,1700000005000,0.5"
ok "W&B runs export" "$MLWB" import $D/wandb/runs.csv
like "one run per row" "$(cat "$T/out")" "runs.csv: wandb-runs, experiment wandb: 2 runs, 5 metrics, 8 points, 13 params"
ok "config as params" "$MLWB" runs show wandb/vivid-sun-3 --format csv
like "nested config" "$(cat "$T/out")" "^param,optimizer.name,adam$"
like "list as text" "$(cat "$T/out")" '^param,sizes,"\[64, 64\]"$'
like "True as Python writes it" "$(cat "$T/out")" "^param,useAdam,True$"
like "None is empty" "$(cat "$T/out")" "^param,scheduler,$"
like "summary as last values at _step" "$(cat "$T/out")" "^metric,test_RMSE,last 0.23914627730846405 \(step 99\)"
like "nested summary" "$(cat "$T/out")" "^metric,val.acc,last 0.91 "
like "nan" "$(cat "$T/out")" "^metric,val_loss,last NaN "
unlike "no histogram, no _wandb, no strings" "$(cat "$T/out")" "weights|_wandb|note|runtime,last 880"
ok "summary timestamp" "$MLWB" metrics wandb/vivid-sun-3 test_RMSE --format csv
like "from _timestamp" "$(cat "$T/out")" "^99,1700188120021,"
ok "run times" "$MLWB" runs show wandb/misty-fog-2 --format json
like "ended at _timestamp, started _runtime before" "$(head -1 "$T/out")" '"started_at": 1700099600000, "ended_at": 1700100000500'
ok "old config wrapper" "$MLWB" runs show wandb/misty-fog-2 --format csv
like "{'value': v, 'desc': ...} unwrapped" "$(cat "$T/out")" "^param,beta,0.1$"
printf ',summary,config,name\n0,"{\x27a\x27: 1","{}",x\n' > badwb.csv
exits 1 "a broken dict repr" "$MLWB" import badwb.csv
like "file:line and column" "$(cat "$T/err")" "badwb.csv:2: column 'summary': not a Python dict repr: unclosed bracket"

# Ray Tune: a trial folder is one run; progress.csv over result.json.
ok "Ray Tune experiment folder" "$MLWB" import $D/ray
like "progress.csv" "$(cat "$T/out")" "00000_0_lr=0.001_2021-03-11_15-53-44/progress.csv: raytune, experiment PPO_2021-03-11_15-53-44: 1 run, 14 metrics, 42 points, 7 params, step from column training_iteration "
like "result.json where there is no progress.csv" "$(cat "$T/out")" "00001_1_lr=0.0001_2021-03-11_15-53-45/result.json: raytune-json, experiment PPO_2021-03-11_15-53-44: 1 run, 2 metrics, 4 points, 2 params"
is "two trials, two runs" "$(grep -c ': raytune' "$T/out")" "2"
r1=PPO_2021-03-11_15-53-44/PPO_CentralEnv_93911_00000_0_lr=0.001_2021-03-11_15-53-44
ok "timesteps_total kept as a metric" "$MLWB" metrics $r1 timesteps_total --format csv
is "by training_iteration, timestamp from timestamp" "$(cat "$T/out")" "step,timestamp,value
1,1615474442000,4000
2,1615474460000,8000
3,1615474478000,12000"
ok "params.json and tags" "$MLWB" runs show $r1 --format csv
like "nested params.json" "$(cat "$T/out")" '^param,env_config.bs_list,"\[A, B\]"$'
like "class repr kept as text" "$(cat "$T/out")" "^param,callbacks,<class 'deepcomp"
like "trial_id a tag" "$(cat "$T/out")" "^tag,trial_id,93911_00000$"
unlike "list cells and dates are no metric" "$(cat "$T/out")" "hist_stats|^metric,date|^metric,done"
exits 1 "params.json on its own" "$MLWB" import $D/ray/PPO_2021-03-11_15-53-44/PPO_CentralEnv_93911_00001_1_lr=0.0001_2021-03-11_15-53-45/params.json
like "is read with its log" "$(cat "$T/err")" "read with the log beside it"

# Lightning 0.6/0.7 (TestTube): meta_tags.csv key,value rows are params.
ok "TestTube version folder" "$MLWB" import $D/testtube
like "testtube" "$(cat "$T/out")" "metrics.csv: testtube, experiment default: 1 run, 1 metric, 3 points, 4 params"
ok "meta_tags" "$MLWB" runs show default/version_0 --format csv
like "quoted list" "$(cat "$T/out")" '^param,hidden_nodes,"\[20, 20\]"$'
like "object repr as text" "$(cat "$T/out")" "^param,train_dataset,<cp_detection.GeneralModeDataset object at 0x7fb48c6f4f10>$"
ok "created_at is the time" "$MLWB" metrics default/version_0 train_loss --format csv
like "microseconds cut to ms" "$(sed -n 2p "$T/out")" "^0,1581717185789,"

ok "Hugging Face trainer_state.json" "$MLWB" import --run hf $D/json/trainer_state.json
ok "eval entries" "$MLWB" metrics data/hf eval_accuracy --format csv
is "at their steps" "$(cut -d, -f1,3 "$T/out")" "step,value
10,0.8
20,0.875"

# Idempotency and refresh.
ok "importing the same file again" "$MLWB" import $D/keras/training.log.csv
is "adds nothing and says so" "$(cat "$T/out")" "$D/keras/training.log.csv: already imported, nothing added"
ok "runs ls" "$MLWB" runs ls -e keras --format csv
is "still one run" "$(tail -n +2 "$T/out" | wc -l | tr -d ' ')" "1"
printf '3,0.9,0.4,1e-05,0.85,0.8\r\n' >> $D/keras/training.log.csv
ok "a grown log replaces its earlier import" "$MLWB" import $D/keras/training.log.csv
ok "runs ls" "$MLWB" runs ls -e keras --format csv
is "still one run" "$(tail -n +2 "$T/out" | wc -l | tr -d ' ')" "1"
ok "with the new epoch" "$MLWB" metrics keras/training.log loss --format csv
is "four points" "$(tail -n +2 "$T/out" | wc -l | tr -d ' ')" "4"
printf 'step,loss\n1,0.5\n' > new.csv
ok "dry run" "$MLWB" import --dry-run --experiment dry new.csv
like "reports" "$(cat "$T/out")" "dry run, wide, experiment dry: 1 run"
exits 1 "and writes nothing" "$MLWB" runs ls -e dry

# Bad files: file:line, exit 1, and the database byte for byte as before.
ok "doctor before the bad files" "$MLWB" doctor
sum=$(wsum)
exits 1 "unterminated quote" "$MLWB" import $D/bad/unterminated.csv
like "file and lines" "$(cat "$T/err")" "unterminated.csv:4: unterminated quoted field \\(the record starts on line 3\\)"
exits 1 "a word in a metric column" "$MLWB" import $D/bad/notnumber.csv
like "file:line and column" "$(cat "$T/err")" "notnumber.csv:4: column 'loss': 'oops' is not a number"
exits 1 "a ragged row" "$MLWB" import $D/bad/ragged.csv
like "file:line" "$(cat "$T/err")" "ragged.csv:3: 4 fields, the header has 2"
exits 1 "a two-row pandas header" "$MLWB" import $D/bad/two_row_header.csv
like "refused with a hint" "$(cat "$T/err")" "not a training log of a known shape.*--as long"
exits 1 "a scoreboard" "$MLWB" import $D/bad/scoreboard.csv
exits 1 "a YAML file on its own" "$MLWB" import $D/lightning_logs/version_0/hparams.yaml
like "is read with its log" "$(cat "$T/err")" "read with the log beside it"
exits 1 "a missing file" "$MLWB" import $D/nope.csv
exits 1 "a good and a bad file: exit 1" "$MLWB" import $D/bad/notnumber.csv $D/wide/custom.csv --step-col it
like "the good one is still reported" "$(cat "$T/out")" "custom.csv: already imported"
is "the database is byte for byte as before" "$(wsum)" "$sum"
ok "doctor after" "$MLWB" doctor
exits 2 "an unknown --format" "$MLWB" import --format parquet $D/wide/log.csv
exits 2 "an unknown --as" "$MLWB" import --as parquet $D/wide/log.csv
like "names it" "$(cat "$T/err")" "--as parquet: not a log format"
# --as is the log format; --format NAME (the old spelling) still works,
# with a note; --format csv|json is the summary's format.
ok "--as keras" "$MLWB" --db as.db import --as keras $D/keras/training.log.csv
like "summary line" "$(cat "$T/out")" "keras, experiment"
ok "the old --format keras" "$MLWB" --db as2.db import --format keras $D/keras/training.log.csv
like "with a note" "$(cat "$T/err")" "note: import --format keras is now --as keras"
like "and imports" "$(cat "$T/out")" "keras, experiment"
exits 1 "--format json: a summary row per file, exit 1 for the missing one" "$MLWB" --db as3.db import --format json $D/keras/training.log.csv $D/nope.csv
cp "$T/out" sum.json
ok "it is JSON" python3 -c 'import json,sys; r=json.load(open(sys.argv[1])); assert [x["result"] for x in r]==["imported","failed"], r; assert r[0]["format"]=="keras" and r[0]["runs"]==1 and r[0]["points"]>0, r' sum.json
ok "--format csv" "$MLWB" --db as3.db import --format csv $D/keras/training.log.csv
like "a header and an already row" "$(cat "$T/out")" "^file,result,format,experiment,runs,metrics,points,params,step_col,seconds
.*training.log.csv,already,keras,"

# Error messages quote cells: their control bytes are shown escaped.
printf 'epoch,loss\n1,0.5\n2,\033[2Jx\n' > evil.csv
exits 1 "a cell with an escape sequence is refused" "$MLWB" import evil.csv
like "and quoted escaped in the message" "$(cat "$T/err")" "evil.csv:3: .*'\\\\e\\[2Jx' is not a number"
unlike "no raw ESC on stderr" "$(cat "$T/err")" "$(printf '\033')"
# The ledger holds the sha256 and size of exactly the bytes imported.
printf 'epoch,loss\n1,0.5\n2,0.25\n' > ledger.csv
printf '{"iteration": 1, "loss": 0.5}\n{"iteration": 2, "loss": 0.4}\n' > ledger.json
ok "a CSV log for the ledger" "$MLWB" import ledger.csv
ok "a JSON log for the ledger" "$MLWB" import ledger.json
for f in ledger.csv ledger.json; do
	row=$(wsql "SELECT sha256 || ' ' || size FROM imports WHERE path = '$T/$f'")
	is "imports: sha256 and size of $f" "$row" "$(sha256sum $f | cut -d' ' -f1) $(wc -c < $f | tr -d ' ')"
done

# A file written to while it is imported fails, and nothing is imported.
awk 'BEGIN { print "step,loss"; for (i = 0; i < 300000; i++) printf "%d,%.6f\n", i, 1 / (i + 1) }' > grow.csv
sum=$(wsum)
( "$MLWB" import grow.csv >"$T/grow.out" 2>"$T/grow.err"; echo $? >"$T/grow.rc" ) &
grow=$!
i=300000
while kill -0 $grow 2>/dev/null; do
	echo "$i,0.1" >> grow.csv
	i=$((i + 1))
	sleep 0.01
done
wait $grow
is "a growing log: exit 1" "$(cat "$T/grow.rc")" 1
like "says it changed" "$(cat "$T/grow.err")" "grow.csv: the file changed while it was imported"
is "the database is byte for byte as before" "$(wsum)" "$sum"
ok "imported once it is complete" "$MLWB" import grow.csv
is "with every row appended" "$(wsql "SELECT points FROM imports WHERE path = '$T/grow.csv'")" $i

# A NUL byte in a cell or a header is an error, not a value cut short.
sum=$(wsum)
printf 'epoch,loss\n1,7\000garbage\n' > nulcell.csv
exits 1 "a NUL byte in a cell" "$MLWB" import nulcell.csv
like "names file and line" "$(cat "$T/err")" "nulcell.csv:2: a NUL byte \\(at byte 4 of the line\\)"
printf 'epoch,lo\000ss\n1,2\n' > nulhead.csv
exits 1 "a NUL byte in the header" "$MLWB" import nulhead.csv
like "names file and line" "$(cat "$T/err")" "nulhead.csv:1: a NUL byte"
printf '{"iteration": 1, "lo\\u0000ss": 2}\n' > nulkey.json
exits 1 "a NUL escape in a JSON key" "$MLWB" import nulkey.json
like "names file and line" "$(cat "$T/err")" "nulkey.json:1:.*NUL"
is "the database is still as before" "$(wsum)" "$sum"
# Folder links: each real folder once, the links skipped are named.
mkdir -p loop/a/b
printf 'epoch,loss\n1,0.5\n2,0.4\n' > loop/a/b/metrics.csv
ln -s .. loop/a/b/up
ln -s ../.. loop/a/b/up2
ln -s a loop/again
ln loop/a/b/metrics.csv loop/a/hard.csv
ok "a folder with link loops ends" timeout 30 "$MLWB" --db loop.db import loop
is "each file imported once" "$(grep -c 'metrics.csv' "$T/out")" 1
like "the loop is named" "$(cat "$T/err")" "loop/a/b/up: a link to the folder loop/a, already searched; skipped"
like "the second loop too" "$(cat "$T/err")" "loop/a/b/up2: a link to the folder loop, already searched; skipped"
like "the link to a folder walked" "$(cat "$T/err")" "loop/again: a link to the folder loop/a, already searched; skipped"
like "a hard link to the same file" "$(cat "$T/err")" "loop/a/hard.csv: the same file as loop/a/b/metrics.csv; skipped|loop/a/b/metrics.csv: the same file as loop/a/hard.csv; skipped"
is "one run" "$("$MLWB" --db loop.db runs ls --format csv | tail -n +2 | wc -l | tr -d ' ')" 1

# --dry-run never creates the workspace.
ok "a dry run without a workspace" "$MLWB" --db fresh.db import --dry-run loop/a/b/metrics.csv
like "reports what it would import" "$(cat "$T/out")" "dry run, .*1 run"
[ ! -e fresh.db ] && [ ! -e fresh.db-wal ] && [ ! -e fresh.db-shm ]
_report $? "and leaves no file"
# Coercions: an error with its place, or a rule the summary counts.
printf '{"step": 1.5, "loss": 1}\n' > halfstep.json
exits 1 "a JSON step of 1.5 is refused (not stored as 1)" "$MLWB" import halfstep.json
like "with file:line:col" "$(cat "$T/err")" "halfstep.json:1:10: step '1.5' is not a whole number"
printf '{"step": 1, "loss": 1e999, "acc": 1e-999, "mode": "abc", "y": "Infinity", "ok": true, "w": null, "big": 1%0400d}\n{"step": 2, "loss": 0.5}\n' 0 > coerce.json
ok "a JSON log with values out of range and text" "$MLWB" import coerce.json
like "overflow counted" "$(cat "$T/err")" "coerce.json: note: 2 values out of range kept as inf or -inf"
like "underflow counted" "$(cat "$T/err")" "coerce.json: note: 1 nonzero value too small for a double kept as 0"
like "text and booleans counted" "$(cat "$T/err")" "coerce.json: note: 2 text or true/false values skipped \(not metrics\)"
ok "the 401-digit number" "$MLWB" metrics "$(basename "$T")/coerce" big --format csv
is "is a number (inf), not dropped" "$(sed 1d "$T/out" | cut -d, -f3)" "inf"
ok "the quoted Infinity" "$MLWB" metrics "$(basename "$T")/coerce" y --format csv
is "is a number (protobuf JSON)" "$(sed 1d "$T/out" | cut -d, -f3)" "inf"
printf 'epoch,loss\n1,1e999\n2,-1e999\n3,1e-999\n4,0.0\n' > range.csv
ok "a CSV log with values out of range" "$MLWB" import range.csv
like "overflow counted" "$(cat "$T/err")" "range.csv: note: 2 values out of range kept as inf or -inf"
like "underflow counted" "$(cat "$T/err")" "range.csv: note: 1 nonzero value too small"
done_testing
