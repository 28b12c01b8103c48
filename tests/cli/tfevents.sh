#!/bin/sh
# `mlwb import` of TensorBoard event files, which tfwriter.py writes here
# (TFRecord framing, masked CRC32C, Event/Summary/TensorProto/hparams in
# the protobuf wire format; no TensorFlow): PyTorch-style simple_value,
# TF2 tensor scalars, hparams, a truncated tail, a bad CRC, a restart's
# two files in one folder, Lightning's hparams.yaml.
. "$(dirname "$0")/lib.sh"
python3 "$top_srcdir/tests/cli/tfwriter.py" . || exit 1

ok "import a logdir" "$MLWB" import logs
like "one run per folder, named by its path under logdir" "$(cat "$T/out")" "^logs/tf2/train: tfevents, experiment logs: 1 run, 2 metrics, 6 points, 0 params"
is "five folders" "$(grep -c ': tfevents, experiment logs: 1 run' "$T/out")" "5"

ok "run times" "$MLWB" runs show logs/pt --format json
like "from the first and last wall time" "$(head -1 "$T/out")" '"started_at": 1700000000500, "ended_at": 1700000002500'
ok "PyTorch simple_value" "$MLWB" metrics logs/pt loss --format csv
is "steps, wall time as the timestamp, float32 as logged" "$(cat "$T/out")" "step,timestamp,value
0,1700000000500,1.5
1,1700000001500,1
2,1700000002500,0.5"
ok "TF2 float tensors (plugin named on the first event only)" "$MLWB" metrics logs/tf2/train epoch_loss --format csv
is "all three, packed and unpacked float_val" "$(cut -d, -f1,3 "$T/out")" "step,value
0,2
1,1.5
2,1"
ok "TF2 double tensors" "$MLWB" metrics logs/tf2/train epoch_lr --format csv
is "tensor_content doubles" "$(cut -d, -f1,3 "$T/out")" "step,value
0,0.001
1,0.0005
2,0.0003333333333333333"
ok "run shown" "$MLWB" runs show logs/tf2/train --format csv
unlike "histograms and text are no metrics" "$(cat "$T/out")" "weights|notes"

ok "hparams plugin" "$MLWB" runs show logs/hp --format csv
like "number" "$(cat "$T/out")" "^param,lr,0.01$"
like "string" "$(cat "$T/out")" "^param,optimizer,adam$"
like "bool" "$(cat "$T/out")" "^param,use_bn,true$"
like "integer-valued number" "$(cat "$T/out")" "^param,layers,4$"

ok "two files in one folder (a restart)" "$MLWB" metrics logs/restart loss --format csv
is "merged by step, both values of step 2 kept in time order" "$(cut -d, -f1,3 "$T/out")" "step,value
0,3
1,2
2,1
2,0.3
3,0.2"

ok "a truncated last record is not an error" "$MLWB" metrics logs/trunc loss --format csv
is "the complete records" "$(tail -n +2 "$T/out" | wc -l | tr -d ' ')" "3"
ok "acc" "$MLWB" metrics logs/trunc acc --format csv
is "the cut one is missing" "$(tail -n +2 "$T/out" | wc -l | tr -d ' ')" "2"
ok "the same folder again" "$MLWB" import logs/trunc
is "already imported" "$(cat "$T/out")" "logs/trunc: already imported, nothing added"
python3 "$top_srcdir/tests/cli/tfwriter.py" --finish .
ok "after the writer finished" "$MLWB" import logs/trunc
like "re-import replaces the run with all of it" "$(cat "$T/out")" "logs/trunc: tfevents, experiment logs: 1 run, 2 metrics, 6 points"
ok "acc" "$MLWB" metrics logs/trunc acc --format csv
is "now three" "$(tail -n +2 "$T/out" | wc -l | tr -d ' ')" "3"
ok "runs ls" "$MLWB" runs ls -e logs --format csv
is "still one trunc run" "$(grep -c ',trunc,' "$T/out")" "1"

mkdir -p one/pt
cp logs/pt/events.out.tfevents.1700000000.box.1.0 one/pt/events.out.tfevents.1700000200.box.1.0
ok "an event file stands for its folder" "$MLWB" import --experiment single one/pt/events.out.tfevents.1700000200.box.1.0
like "named by the folder" "$(cat "$T/out")" "experiment single: 1 run, 2 metrics, 6 points"
ok "run pt in single" "$MLWB" metrics single/pt acc --format csv

ok "Lightning TensorBoardLogger" "$MLWB" import proj/lightning_logs
like "experiment above lightning_logs, hparams.yaml as params" "$(cat "$T/out")" "version_0: tfevents, experiment proj: 1 run, 1 metric, 1 points, 2 params"

ok "doctor before the bad file" "$MLWB" doctor
sum=$(sha256sum mlwb.db | cut -d' ' -f1)
exits 1 "a bad CRC is an error" "$MLWB" import bad
like "with file and record number" "$(cat "$T/err")" "bad/run1/events.out.tfevents.1700000000.box.7.0: record 3 \\(byte 82\\): bad data CRC"
is "nothing imported" "$(sha256sum mlwb.db | cut -d' ' -f1)" "$sum"
printf 'not an event file at all, but long enough' > logs/pt/events.out.tfevents.9.junk
exits 1 "a foreign file with an event file's name" "$MLWB" import logs/pt
like "bad length CRC" "$(cat "$T/err")" "events.out.tfevents.9.junk: record 1 \\(byte 0\\): bad length CRC"
mkdir empty
exits 1 "a folder without event files" "$MLWB" import --as tfevents empty/
exits 1 "--as tfevents on a CSV" "$MLWB" import --as tfevents "$top_srcdir/tests/data/import/wide/log.csv"
like "says what it takes" "$(cat "$T/err")" "takes a folder of event files"
done_testing
