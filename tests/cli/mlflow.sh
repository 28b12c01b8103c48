#!/bin/sh
# `mlwb import-mlflow`: MLflow SQLite databases of four schema generations
# (0.9 without step/is_nan, 1.4 without latest_metrics, 2.9, 3.13 with
# workspaces) and an mlruns/ file store, all from tests/data/mlflow
# (written by make-fixtures.py there).  Counts after import are compared
# with the source's own, latest values with its latest_metrics; re-import
# must change nothing; new points and runs are picked up; a broken source
# changes nothing and is named.
. "$(dirname "$0")/lib.sh"
D="$top_srcdir/tests/data/mlflow"
cp -R "$D/mlruns" mlruns
for v in 0 1 2 3; do sqlite3 v$v.db < "$D/v$v.sql" || exit 1; done
STORE=$MLWB_DB		# lib.sh's store: PostgreSQL under check-pg

q() { sqlite3 "$MLWB_DB" "$@"; }
dump() { sqlite3 "$MLWB_DB" .dump | md5sum; }

# What the source holds for its active runs in active experiments.
ACTIVE="JOIN runs r ON r.run_uuid = x.run_uuid JOIN experiments e ON
 e.experiment_id = r.experiment_id WHERE r.lifecycle_stage = 'active' AND
 e.lifecycle_stage = 'active'"
src_count() { sqlite3 "$1" "SELECT count(*) FROM $2 x $ACTIVE"; }
SRC_LATEST="SELECT x.run_uuid || ' ' || x.key || ' ' || x.step || ' ' ||
 CASE WHEN x.is_nan THEN 'NaN' WHEN x.value >= 1.7976931348623157e308 THEN
 'inf' WHEN x.value <= -1.7976931348623157e308 THEN '-inf' ELSE
 printf('%.15g', x.value) END FROM latest_metrics x $ACTIVE ORDER BY 1"
WS_LATEST="SELECT r.uuid || ' ' || k.name || ' ' || s.last_step || ' ' ||
 CASE WHEN s.last IS NULL THEN 'NaN' WHEN s.last > 1.7976931348623157e308
 THEN 'inf' WHEN s.last < -1.7976931348623157e308 THEN '-inf' ELSE
 printf('%.15g', s.last) END FROM metric_summary s JOIN runs r ON
 r.id = s.run_id JOIN metric_keys k ON k.id = s.key_id ORDER BY 1"
WS_ALIASES="SELECT m.name || ' ' || a.alias || ' ' || v.version FROM
 model_aliases a JOIN models m ON m.id = a.model_id JOIN model_versions v
 ON v.id = a.version_id ORDER BY 1"
# Every alias's holder equals its last event.
WS_ALIAS_DRIFT="SELECT count(*) FROM model_aliases a JOIN model_versions v
 ON v.id = a.version_id WHERE v.version IS NOT (SELECT to_version FROM
 registry_events e WHERE e.model_id = a.model_id AND e.alias = a.alias
 ORDER BY e.id DESC LIMIT 1)"

for v in 0 1 2 3; do
	export MLWB_DB="$T/w$v.db"
	before=$(md5sum < v$v.db)
	ok "v$v: import" "$MLWB" import-mlflow v$v.db
	is "v$v: source not written" "$(md5sum < v$v.db)" "$before"
	is "v$v: no journal or WAL left by the reader" \
	    "$(ls v$v.db-* 2>/dev/null)" ""
	is "v$v: runs" "$(q 'SELECT count(*) FROM runs')" \
	    "$(sqlite3 v$v.db "SELECT count(*) FROM runs x JOIN experiments e
	    ON e.experiment_id = x.experiment_id WHERE x.lifecycle_stage =
	    'active' AND e.lifecycle_stage = 'active'")"
	is "v$v: params" "$(q 'SELECT count(*) FROM params')" \
	    "$(src_count v$v.db params)"
	is "v$v: tags" "$(q 'SELECT count(*) FROM tags')" \
	    "$(src_count v$v.db tags)"
	is "v$v: metric points" "$(q 'SELECT sum(count) FROM metric_summary')" \
	    "$(src_count v$v.db metrics)"
	is "v$v: chunks hold every point" \
	    "$(q 'SELECT sum(n) FROM metric_chunks')" \
	    "$(src_count v$v.db metrics)"
	is "v$v: run name from runs.name or the mlflow.runName tag" \
	    "$(q 'SELECT name FROM runs ORDER BY name' | tr '\n' ' ')" \
	    "$( [ $v = 3 ] && echo 'resnet-a resnet-b still-going team-run ' ||
	    echo 'resnet-a resnet-b still-going ')"
	is "v$v: statuses" \
	    "$(q 'SELECT status FROM runs ORDER BY name' | tr '\n' ' ')" \
	    "$( [ $v = 3 ] && echo 'finished failed running finished ' ||
	    echo 'finished failed running ')"
	before=$(dump)
	ok "v$v: import again" "$MLWB" import-mlflow v$v.db
	like "v$v: nothing new" "$(cat "$T/out")" "\(0 new, 0 updated, 2 skipped\).*\(0 new\)"
	is "v$v: re-import changes nothing at all" "$(dump)" "$before"
done

# Values: NaN rows, +-1.797e308 as +-inf, the later of two points of a step.
export MLWB_DB="$T/w2.db"
R1=b7f86a38be91c3c164aeba52940975e8
R2=$(sqlite3 v2.db "SELECT run_uuid FROM tags WHERE key = 'mlflow.runName'
    AND value = 'resnet-b'")
for v in 2 3; do
	export MLWB_DB="$T/w$v.db"
	is "v$v: last values equal latest_metrics" "$(q "$WS_LATEST")" \
	    "$(sqlite3 v$v.db "$SRC_LATEST")"
	is "v$v: model versions (Deleted_Internal skipped)" \
	    "$(q 'SELECT count(*) FROM model_versions')" \
	    "$(sqlite3 v$v.db "SELECT count(*) FROM model_versions WHERE
	    current_stage <> 'Deleted_Internal'")"
	is "v$v: models (one without versions)" \
	    "$(q 'SELECT count(*) FROM models')" \
	    "$(sqlite3 v$v.db 'SELECT count(*) FROM registered_models')"
	is "v$v: aliases, and stages as aliases (Archived is not one)" \
	    "$(q "$WS_ALIASES" | tr '\n' ' ')" \
	    "resnet challenger 3 resnet champion 2 resnet production 2 resnet staging 3 "
	is "v$v: source aliases all kept" \
	    "$(q "SELECT count(*) FROM model_aliases WHERE alias NOT IN
	    ('staging', 'production')")" \
	    "$(sqlite3 v$v.db 'SELECT count(*) FROM registered_model_aliases')"
	is "v$v: one import event per alias" \
	    "$(q "SELECT count(*) FROM registry_events WHERE action = 'import'")" 4
	is "v$v: every alias's holder equals its last event" \
	    "$(q "$WS_ALIAS_DRIFT")" 0
	is "v$v: version run links" \
	    "$(q "SELECT v.version || ':' || r.name FROM model_versions v
	    JOIN runs r ON r.id = v.run_id ORDER BY 1" | tr '\n' ' ')" \
	    "1:resnet-a 2:resnet-a 3:resnet-b "
	is "v$v: description kept" \
	    "$(q "SELECT description FROM model_versions WHERE version = 2")" \
	    "version 2"
	is "v$v: datasets used by active runs" \
	    "$(q "SELECT name || ' ' || coalesce(n_rows, '') FROM datasets ORDER BY 1" | tr '\n' ' ')" \
	    "cifar10-test 10000 cifar10-train 50000 "
	is "v$v: run inputs with their context" \
	    "$(q "SELECT r.name || ' ' || d.name || ' ' || i.role FROM
	    run_inputs i JOIN runs r ON r.id = i.run_id JOIN datasets d ON
	    d.id = i.dataset_id ORDER BY 1" | tr '\n' ' ')" \
	    "resnet-a cifar10-test eval resnet-a cifar10-train training resnet-b cifar10-train training "
	ok "v$v: NaN and inf points" "$MLWB" metrics resnet-b grad_norm --format csv
	is "v$v: +-1.797e308 are +-inf" "$(cut -d, -f3 "$T/out" | tr '\n' ' ')" \
	    "value inf -inf 3.5 "
	ok "v$v: is_nan row" "$MLWB" metrics resnet-b loss --format csv
	is "v$v: NaN at step 3" "$(sed -n 5p "$T/out" | cut -d, -f1,3)" "3,NaN"
done
export MLWB_DB="$T/w2.db"
ok "the registry commands read the imported models" "$MLWB" model show resnet --format csv
like "aliases of version 2" "$(cat "$T/out")" "^2,champion production,vision/resnet-a,"
ok "model history" "$MLWB" model history resnet --format csv
like "import events, with who" "$(cat "$T/out")" \
    ",import,production,,2,[^,]+@[^,]+,.*imported from MLflow v2.db"
export MLWB_DB="$T/w3.db"
is "v3: other workspace's experiment named WORKSPACE/NAME" \
    "$(q 'SELECT name FROM experiments ORDER BY 1' | tr '\n' ' ')" \
    "Default team/vision vision "
is "v3: version artifact is the storage location" \
    "$(q 'SELECT artifact_path FROM model_versions WHERE version = 2')" \
    "/store/2"
# MLflow's dataset filter fields, on the imported inputs.
ok "v3: --filter dataset.name" "$MLWB" runs ls --filter "dataset.name = 'cifar10-test'" --format csv
is "v3: the run that used it" "$(tail -n +2 "$T/out" | cut -d, -f3 | tr '\n' ' ')" "resnet-a "
ok "v3: --filter dataset.context" "$MLWB" runs ls --filter "dataset.context = 'training'" --order-by run_name --format csv
is "v3: training inputs" "$(tail -n +2 "$T/out" | cut -d, -f3 | tr '\n' ' ')" "resnet-a resnet-b "
ok "v3: --filter dataset.digest" "$MLWB" runs ls --filter "dataset.digest = 'ef567890' AND dataset.context = 'eval'" --format csv
is "v3: both on one run" "$(tail -n +2 "$T/out" | cut -d, -f3 | tr '\n' ' ')" "resnet-a "
export MLWB_DB="$T/w1.db"
is "v1: stages become aliases without an aliases table" \
    "$(q "$WS_ALIASES" | tr '\n' ' ')" "resnet production 2 resnet staging 3 "
ok "v1: the later point of step 9 is last" "$MLWB" runs show resnet-a --format csv
like "v1: loss last" "$(cat "$T/out")" "^metric,loss,last 0.05 \(step 9\).*count 11"
export MLWB_DB="$T/w0.db"
ok "v0: no step column: steps are 0" "$MLWB" metrics resnet-a acc --format csv
is "v0: 10 points at step 0" "$(grep -c '^0,' "$T/out")" 10

# New points and runs are picked up; updated runs refreshed, no duplicates.
export MLWB_DB="$T/w2.db"
sqlite3 v2.db "INSERT INTO metrics VALUES ('loss', 0.04, 1700000030000,
    '$R1', 10, 0); UPDATE latest_metrics SET value = 0.04, step = 10,
    timestamp = 1700000030000 WHERE run_uuid = '$R1' AND key = 'loss';
    UPDATE runs SET status = 'FINISHED', end_time = 1700000999000 WHERE
    name = 'still-going';
    INSERT INTO runs VALUES ('00000000000000000000000000000007', 'late',
    'LOCAL', 'train.py', '', 'ana', 'FINISHED', 1700001000000,
    1700001001000, '', 'active', '', 1, NULL);
    INSERT INTO params VALUES ('lr', '0.3', '00000000000000000000000000000007');
    INSERT INTO metrics VALUES ('loss', 0.5, 1700001000500,
    '00000000000000000000000000000007', 0, 0);
    INSERT INTO latest_metrics VALUES ('loss', 0.5, 1700001000500, 0, 0,
    '00000000000000000000000000000007')"
ok "re-import after MLflow logged more" "$MLWB" import-mlflow v2.db
like "one new run, two updated, two new points" "$(cat "$T/out")" \
    "4 runs \(1 new, 2 updated, 2 skipped\).*\(2 new\)"
is "points equal the source's, no duplicates" \
    "$(q 'SELECT sum(count) FROM metric_summary')" "$(src_count v2.db metrics)"
is "last values equal latest_metrics again" "$(q "$WS_LATEST")" \
    "$(sqlite3 v2.db "$SRC_LATEST")"
is "status refreshed" "$(q "SELECT status FROM runs WHERE name = 'still-going'")" finished
is "no run duplicated" "$(q 'SELECT count(*) FROM runs')" 4
is "no new alias events" "$(q 'SELECT count(*) FROM registry_events')" 4
ok "doctor is clean on chunks and summaries" "$MLWB" doctor

# A model version moved in MLflow: alias moves, with an event from -> to.
sqlite3 v2.db "UPDATE registered_model_aliases SET version = 3 WHERE alias = 'champion'"
ok "alias moved in MLflow" "$MLWB" import-mlflow v2.db
like "one alias set" "$(cat "$T/out")" "4 aliases \(1 set\)"
is "event from 2 to 3" "$(q "SELECT from_version || '->' || to_version FROM
    registry_events WHERE alias = 'champion' ORDER BY id DESC LIMIT 1")" "2->3"
is "holder still equals its last event" "$(q "$WS_ALIAS_DRIFT")" 0
sqlite3 v2.db "INSERT INTO registered_model_aliases VALUES ('Production', 3, 'resnet')"
ok "an explicit alias named like a stage" "$MLWB" import-mlflow v2.db
is "wins over the stage, in the registry's form" \
    "$(q "$WS_ALIASES" | tr '\n' ' ')" \
    "resnet challenger 3 resnet champion 3 resnet production 3 resnet staging 3 "
is "and the registry agrees with its events" "$(q "$WS_ALIAS_DRIFT")" 0
ok "doctor is clean" "$MLWB" doctor

# Options.
export MLWB_DB="$T/opt.db"
ok "--dry-run" "$MLWB" import-mlflow --dry-run v2.db
like "counts printed" "$(cat "$T/out")" "dry run, MLflow sqlite, 2 experiments, 4 runs"
is "dry run wrote nothing" "$(q 'SELECT count(*) FROM runs')" 0
ok "--experiment" "$MLWB" import-mlflow --experiment vision v3.db
is "only that experiment" "$(q 'SELECT DISTINCT e.name FROM runs r JOIN
    experiments e ON e.id = r.experiment_id')" "vision"
ok "--experiment of another workspace" "$MLWB" import-mlflow --experiment team/vision v3.db
is "its run" "$(q "SELECT r.name FROM runs r JOIN experiments e ON e.id =
    r.experiment_id WHERE e.name = 'team/vision'")" "team-run"
export MLWB_DB="$T/byid.db"
ok "--experiment by MLflow id" "$MLWB" import-mlflow --experiment 1 mlruns
is "experiment 1 is vision" "$(q 'SELECT DISTINCT e.name FROM runs r JOIN
    experiments e ON e.id = r.experiment_id')" "vision"
is "its registry versions" "$(q 'SELECT count(*) FROM model_versions')" 3
exits 1 "--experiment that does not exist" "$MLWB" import-mlflow --experiment nope v3.db
like "says so" "$(cat "$T/err")" "v3.db: no experiment named 'nope'"
export MLWB_DB="$T/del.db"
ok "--include-deleted" "$MLWB" import-mlflow --include-deleted v2.db
is "deleted run and experiment's run kept" "$(q 'SELECT count(*) FROM runs')" \
    "$(sqlite3 v2.db 'SELECT count(*) FROM runs')"
is "deleted experiment archived" \
    "$(q "SELECT archived FROM experiments WHERE name = 'old-stuff'")" 1
is "MLflow's deleted run is deleted here" \
    "$(q "SELECT name FROM runs WHERE deleted_at IS NOT NULL")" "deleted-run"
is "at MLflow's deleted_time (or the import)" \
    "$(q "SELECT count(*) FROM runs WHERE deleted_at > 0")" 1
is "the deleted experiment is deleted" \
    "$(q "SELECT count(*) FROM experiments WHERE name = 'old-stuff' AND deleted_at IS NOT NULL")" 1
unlike "runs ls hides both" "$("$MLWB" runs ls --format csv)" "deleted-run|old-stuff"
is "runs ls --deleted lists them" \
    "$("$MLWB" runs ls --deleted --format csv | tail -n +2 | cut -d, -f2,3 | sort | tr '\n' ' ')" \
    "old-stuff,ancient vision,deleted-run "
ok "restore the MLflow-deleted run" "$MLWB" runs restore deleted-run
ok "a re-import" "$MLWB" import-mlflow --include-deleted v2.db
is "keeps the restore (only a new run takes MLflow's state)" \
    "$(q "SELECT count(*) FROM runs WHERE name = 'deleted-run' AND deleted_at IS NULL")" 1
# Nested runs: MLflow's mlflow.parentRunId tag is the link.
cp v2.db nest.db
sqlite3 nest.db "INSERT INTO tags VALUES('mlflow.parentRunId', 'b7f86a38-be91-c3c1-64ae-ba52940975e8', '53df48573ea771412c78e3a48bf0b437')"
export MLWB_DB="$T/nest.ws"
ok "import a nested run" "$MLWB" import-mlflow nest.db
is "its parent is linked" \
    "$(q "SELECT p.name FROM runs r JOIN runs p ON p.id = r.parent_id WHERE r.uuid = '53df48573ea771412c78e3a48bf0b437'")" "resnet-a"
is "parent = NAME selects it" \
    "$("$MLWB" runs ls --filter "parent = 'resnet-a'" --format csv | tail -n +2 | cut -d, -f1)" 53df48573ea771412c78e3a48bf0b437
export MLWB_DB="$T/fsdel.db"
ok "--include-deleted on mlruns reads .trash/" "$MLWB" import-mlflow --include-deleted mlruns
is "deleted run and the deleted experiment's run" \
    "$(q "SELECT e.name || '/' || r.name FROM runs r JOIN experiments e ON
    e.id = r.experiment_id ORDER BY 1" | tr '\n' ' ')" \
    "old-stuff/ancient vision/deleted-run vision/resnet-a vision/resnet-b vision/still-going "
is "the experiment from .trash/ archived" \
    "$(q "SELECT archived FROM experiments WHERE name = 'old-stuff'")" 1
is "the run and experiment from .trash/ are deleted here" \
    "$("$MLWB" runs ls --deleted --format csv | tail -n +2 | cut -d, -f2,3 | sort | tr '\n' ' ')" \
    "old-stuff,ancient vision,deleted-run "
export MLWB_DB="$T/uri.db"
ok "sqlite:/// URI" "$MLWB" import-mlflow "sqlite:///$T/v1.db"
ok "--format json" "$MLWB" import-mlflow v1.db --format json
like "json counts" "$(cat "$T/out")" '"runs": 3, "runs_new": 0'
exits 2 "no path" "$MLWB" import-mlflow
exits 1 "missing path" "$MLWB" import-mlflow nothing-here.db
like "names it" "$(cat "$T/err")" "nothing-here.db: No such file"

# A database another process is writing: its WAL holds rows the main file
# does not yet have, so the reader must not open it immutable.
export MLWB_DB="$T/wal.db"
cp v1.db live.db
sqlite3 live.db "PRAGMA journal_mode = WAL" >/dev/null
sqlite3 live.db ".dbconfig no_ckpt_on_close on" "INSERT INTO params VALUES
    ('in-wal', '1', '$R1')" >/dev/null
is "the WAL is there" "$(ls live.db-wal)" "live.db-wal"
ok "import a database with a live WAL" "$MLWB" import-mlflow live.db
is "rows only in the WAL are read" \
    "$(q "SELECT value FROM params WHERE key = 'in-wal'")" 1

# The smallest database that is MLflow's: no step, no is_nan, a NULL value.
export MLWB_DB="$T/tiny.db"
sqlite3 tiny-src.db "CREATE TABLE experiments (experiment_id INTEGER, name TEXT);
    CREATE TABLE runs (run_uuid TEXT, experiment_id INTEGER);
    CREATE TABLE metrics (key TEXT, value FLOAT, timestamp BIGINT, run_uuid TEXT);
    INSERT INTO experiments VALUES (7, 'tiny');
    INSERT INTO runs VALUES ('0123456789ABCDEF0123456789ABCDEF', 7);
    INSERT INTO metrics VALUES ('m', 1.5, 10, '0123456789ABCDEF0123456789ABCDEF'),
    ('m', NULL, 20, '0123456789ABCDEF0123456789ABCDEF')"
ok "a minimal MLflow database" "$MLWB" import-mlflow tiny-src.db
ok "its run, named by its UUID (lower case)" "$MLWB" metrics 0123456789abcdef0123456789abcdef m --format csv
is "a NULL value is NaN" "$(cut -d, -f2,3 "$T/out" | tr '\n' ' ')" "timestamp,value 10,1.5 20,NaN "

# A broken source changes nothing and says what is wrong.
export MLWB_DB="$T/w2.db"
before=$(dump)
echo "not a database at all, just some text that is long enough" > text.db
exits 1 "a text file" "$MLWB" import-mlflow text.db
like "not SQLite" "$(cat "$T/err")" "text.db: not an SQLite database"
sqlite3 other.db "CREATE TABLE experiments (experiment_id INTEGER, name TEXT);
    CREATE TABLE t (x)"
exits 1 "an SQLite file that is not MLflow's" "$MLWB" import-mlflow other.db
like "no runs table" "$(cat "$T/err")" "other.db: not an MLflow tracking database \(no runs table\)"
cp v2.db bad.db
sqlite3 bad.db "INSERT INTO runs VALUES ('00000000000000000000000000000008',
    'b', 'LOCAL', '', '', '', 'FINISHED', 1, 2, '', 'active', '', 1, NULL);
    INSERT INTO metrics VALUES ('loss', 'oops', 1, '00000000000000000000000000000008', 0, 0)"
exits 1 "a metric value that is text" "$MLWB" import-mlflow bad.db
like "names the table, run and key" "$(cat "$T/err")" \
    "bad.db: metrics: run 00000000000000000000000000000008, key 'loss': value 'oops' is not a number"
cp v2.db bad3.db
sqlite3 bad3.db "INSERT INTO runs VALUES ('00000000000000000000000000000009',
    'b', 'LOCAL', '', '', '', 'FINISHED', 1, 2, '', 'active', '', 1, NULL);
    INSERT INTO metrics VALUES ('loss', 0.5, 1, '00000000000000000000000000000009', 'x', 0)"
exits 1 "a metric step that is text (SQLite would read 0)" "$MLWB" import-mlflow bad3.db
like "names the table, run, key and step" "$(cat "$T/err")" \
    "bad3.db: metrics: run 00000000000000000000000000000009, key 'loss': step 'x' is not an integer"
cp v2.db bad4.db
sqlite3 bad4.db "INSERT INTO runs VALUES ('0000000000000000000000000000000a',
    'b', 'LOCAL', '', '', '', 'FINISHED', 'yesterday', 2, '', 'active', '', 1, NULL)"
exits 1 "a start_time that is text (SQLite would read no time)" "$MLWB" import-mlflow bad4.db
like "names the table, run and column" "$(cat "$T/err")" \
    "bad4.db: runs: run 0000000000000000000000000000000a: start_time 'yesterday' is not an integer"
cp v2.db good5.db
sqlite3 good5.db "INSERT INTO runs VALUES ('0000000000000000000000000000000b',
    'b', 'LOCAL', '', '', '', 'FINISHED', '1700000000000', 1700000001000.0, '', 'active', '', 1, NULL)"
ok "integer text and whole floats are integers" "$MLWB" --db good5w.db import-mlflow good5.db
is "start_time kept" "$(sqlite3 good5w.db "SELECT started_at FROM runs WHERE uuid = '0000000000000000000000000000000b'")" 1700000000000
sqlite3 bad2.db "CREATE TABLE experiments (experiment_id INTEGER, name TEXT);
    CREATE TABLE runs (run_uuid TEXT, experiment_id INTEGER);
    INSERT INTO experiments VALUES (1, 'x'); INSERT INTO runs VALUES ('zz', 1)"
exits 1 "a run id that is not a UUID" "$MLWB" import-mlflow bad2.db
like "says which" "$(cat "$T/err")" "bad2.db: runs: run_uuid 'zz' is not a UUID"
is "workspace exactly as before" "$(dump)" "$before"

# The mlruns/ file store.
export MLWB_DB="$T/fs.db"
ok "mlruns: import" "$MLWB" import-mlflow mlruns
like "counts" "$(cat "$T/out")" "MLflow mlruns, 2 experiments, 3 runs \(3 new, 0 updated, 1 skipped\), 8 params, 15 tags, 34 points"
like "registry counts" "$(cat "$T/err" "$T/out")" "1 model, 3 versions, 4 aliases \(4 set\), 2 datasets, 2 inputs"
is "runs (deleted run and .trash left out)" \
    "$(q "SELECT name || ' ' || status FROM runs ORDER BY 1" | tr '\n' ' ')" \
    "resnet-a finished resnet-b failed still-going running "
is "experiments" "$(q "SELECT name || ' ' || coalesce(description, '-') FROM experiments
    ORDER BY 1" | tr '\n' ' ')" \
    "Default - vision Image models "
is "params: raw values, key folders, trailing spaces" \
    "$(q "SELECT '[' || p.key || ']=' || p.value FROM params p JOIN runs r
    ON r.id = p.run_id WHERE r.name = 'resnet-a' ORDER BY 1" | tr '\n' ' ')" \
    "[batch ]=32 [comment]=héllo wörld [epochs]=10 [lr]=0.01 [opt/name]=adam "
is "tag value with a newline, no trailing newline added" \
    "$(q "SELECT hex(value) FROM tags WHERE key = 'note'")" \
    "$(printf 'line one\nline two' | od -An -tx1 | tr -d ' \n' | tr a-f A-F)"
ok "metric in a subfolder" "$MLWB" metrics resnet-a train/loss --format csv
is "train/loss" "$(cut -d, -f1,3 "$T/out" | tr '\n' ' ')" "step,value 0,0.9 1,0.7 "
ok "metric file name with a trailing space" "$MLWB" metrics resnet-a "lr " --format csv
is "lr " "$(cut -d, -f3 "$T/out" | tr '\n' ' ')" "value 0.01 "
ok "two-field lines and CRLF" "$MLWB" metrics resnet-a acc --format csv
is "acc: step 0 from a two-field line" "$(sed -n 2p "$T/out")" "0,1700000000001,0.5"
is "acc: 10 points" "$(($(wc -l < "$T/out") - 1))" 10
ok "nan, inf" "$MLWB" metrics resnet-b grad_norm --format csv
is "file store +-1.797e308 as +-inf" "$(cut -d, -f3 "$T/out" | tr '\n' ' ')" "value inf -inf 3.5 "
ok "nan line" "$MLWB" metrics resnet-b loss --format csv
is "NaN at step 3" "$(sed -n 5p "$T/out" | cut -d, -f1,3)" "3,NaN"
is "aliases from models/" "$(q "$WS_ALIASES" | tr '\n' ' ')" \
    "resnet challenger 3 resnet champion 2 resnet production 2 resnet staging 3 "
is "holder equals last event" "$(q "$WS_ALIAS_DRIFT")" 0
before=$(dump)
ok "mlruns: again" "$MLWB" import-mlflow mlruns
is "mlruns: re-import changes nothing" "$(dump)" "$before"
L=$(ls -d mlruns/1/*/metrics/train | head -1)
ok "the project folder holding mlruns/ will do" "$MLWB" import-mlflow .
printf '1700000050000 0.6 2\n' >> "$L/loss"
ok "mlruns: a new point" "$MLWB" import-mlflow mlruns
like "picked up" "$(cat "$T/out")" "\(0 new, 1 updated, 1 skipped\).*35 points \(1 new\)"
is "three points now" "$(q "SELECT s.count FROM metric_summary s JOIN
    metric_keys k ON k.id = s.key_id WHERE k.name = 'train/loss'")" 3
before=$(dump)
printf '1700000060000 0.6x 3\n' >> "$L/loss"
exits 1 "mlruns: a bad metric line" "$MLWB" import-mlflow mlruns
like "file and line" "$(cat "$T/err")" "metrics/train/loss:4: value is not a number"
is "mlruns: workspace as before" "$(dump)" "$before"
sed -i '$d' "$L/loss"
M=$(ls mlruns/1/*/meta.yaml | head -1)
cp "$M" meta.bak
sed -i 's/^start_time: .*/start_time: yesterday/' "$M"
exits 1 "mlruns: a bad meta.yaml" "$MLWB" import-mlflow mlruns
like "file:line:col" "$(cat "$T/err")" "meta.yaml:[0-9]+:[0-9]+: start_time is not an integer"
is "still as before" "$(dump)" "$before"
cp meta.bak "$M"
mkdir empty
exits 1 "a folder that is not mlruns/" "$MLWB" import-mlflow empty
like "says so" "$(cat "$T/err")" "empty: not an mlruns/ folder"
is "mlruns: experiment tags" "$(q "SELECT key || '=' || value FROM
    experiment_tags ORDER BY 1" | tr '\n' ' ')" \
    "mlflow.note.content=Image models team=vision-squad "

# MLflow 3 logged models and experiment tags, on lib.sh's store (SQLite,
# or PostgreSQL under check-pg).  v3.db's versions 1-3 register logged
# models by their source (models:/m-...), as MLflow 3.13 does.
export MLWB_DB="$STORE"
LM2=m-$(printf v2 | md5sum | cut -c1-32)
ok "v3: import with logged models" "$MLWB" import-mlflow v3.db
like "counted: 5 logged models (the deleted one left out), 2 experiment tags" \
    "$(cat "$T/out")" "v3.db: 5 logged models, 2 experiment tags"
is "logged models, params, tags, metric values stored" \
    "$(wsql "SELECT (SELECT count(*) FROM logged_models) || ' ' ||
    (SELECT count(*) FROM logged_model_params) || ' ' ||
    (SELECT count(*) FROM logged_model_tags) || ' ' ||
    (SELECT count(*) FROM logged_model_metrics)")" "5 8 4 12"
is "the source run of version 2's logged model" \
    "$(wsql "SELECT r.name FROM logged_models m JOIN runs r ON
    r.id = m.run_id WHERE m.uuid = '$LM2'")" "resnet-a"
ok "model show: the logged model of each version" "$MLWB" model show resnet --format csv
is "versions 3 2 1 name theirs" "$(tail -n +2 "$T/out" | awk -F, '{print $1 "=" $NF}' | tr '\n' ' ')" \
    "3=m-$(printf v3 | md5sum | cut -c1-32) 2=$LM2 1=m-$(printf v1 | md5sum | cut -c1-32) "
ok "model show --format json" "$MLWB" model show resnet --format json
J=$(grep '"version": 2,' "$T/out")
like "its id, name, status and run" "$J" \
    "\"logged_model\": \\{\"id\":\"$LM2\",\"name\":\"model-v2\",\"status\":\"ready\",\"type\":null,\"run_uuid\":\"[0-9a-f]{32}\",\"run\":\"vision/resnet-a\""
like "its params and tags" "$J" '"params":\{"depth":"20","lr":"0.02"\},"tags":\{"mlflow.user":"ana"\}'
like "each metric's last value (highest step), NaN as MLflow had it" "$J" \
    '"metrics":\{"acc":0.82[0-9]*,"rmse":"NaN"\}'
like "and the data set it was measured on" "$J" '"metric_datasets":\{"acc":"cifar10-test@ef567890"\}'
ok "exp ls --format json" "$MLWB" exp ls --format json
like "experiment tags" "$(cat "$T/out")" \
    '"name": "vision", .*"tags": \{"mlflow.note.content":"Image models","team":"vision-squad"\}'
# MLflow's dataset fields on the imported inputs, with MLflow's operators
# (=, !=, LIKE, ILIKE, IN, NOT IN), each test a data set of its own.
dsf() {	# dsf FILTER: the run names it finds, sorted
	"$MLWB" runs ls --filter "$1" --format csv | tail -n +2 | cut -d, -f3 |
	    sort | tr '\n' ' '
}
is "dataset.name LIKE" "$(dsf "dataset.name LIKE 'cifar10-%'")" "resnet-a resnet-b "
is "dataset.name ILIKE" "$(dsf "dataset.name ILIKE 'CIFAR10-TEST'")" "resnet-a "
is "dataset.name != (a run with another data set; none without)" \
    "$(dsf "dataset.name != 'cifar10-test'")" "resnet-a resnet-b "
is "dataset.context IN" "$(dsf "dataset.context IN ('eval')")" "resnet-a "
is "dataset.context NOT IN" "$(dsf "dataset.context NOT IN ('eval')")" "resnet-a resnet-b "
is "dataset.digest =" "$(dsf "dataset.digest = 'abcd1234'")" "resnet-a resnet-b "
is "NOT (mlwb's): runs that used no such data set" \
    "$(dsf "NOT dataset.name = 'cifar10-test'")" "resnet-b still-going team-run "
exits 1 "dataset.name < is refused, as in MLflow" "$MLWB" runs ls --filter "dataset.name < 'x'"
exits 1 "an unknown dataset field is refused" "$MLWB" runs ls --filter "dataset.size = 1"
like "naming the fields" "$(cat "$T/err")" "unknown dataset field 'size' \(expected name, "

before=$(wsum)
ok "v3: again" "$MLWB" import-mlflow v3.db
is "re-import changes nothing" "$(wsum)" "$before"
sqlite3 v3.db "INSERT INTO logged_model_metrics VALUES ('$LM2', 'acc', 1700000000009, 2, 0.9, 1,
    '$R1', NULL, NULL, NULL); UPDATE logged_model_params SET param_value = '0.5'
    WHERE model_id = '$LM2' AND param_key = 'lr'; UPDATE experiment_tags
    SET value = 'eyes' WHERE \"key\" = 'team'"
ok "v3: MLflow logged more" "$MLWB" import-mlflow v3.db
ok "model show" "$MLWB" model show resnet --format json
like "the new last value and the changed param" "$(grep '"version": 2,' "$T/out")" \
    '"params":\{"depth":"20","lr":"0.5"\}.*"metrics":\{"acc":0.9,'
is "no metric value duplicated" "$(wsql "SELECT count(*) FROM logged_model_metrics")" 13
is "the changed experiment tag" "$(wsql "SELECT value FROM experiment_tags WHERE key = 'team'")" eyes
ok "doctor is clean" "$MLWB" doctor

# Names are kept whole: a 10,000-byte experiment name (once cut at 599
# bytes by a fixed buffer) and the same as a model's name.
long=$(printf '%010000d' 0 | tr 0 x)
sqlite3 v2.db "UPDATE experiments SET name = '$long' WHERE experiment_id =
    (SELECT min(experiment_id) FROM experiments WHERE lifecycle_stage = 'active')"
export MLWB_DB="$T/long.db"
ok "a 10,000-byte experiment name imports" "$MLWB" import-mlflow v2.db
is "and is kept whole" "$(q "SELECT max(length(name)) FROM experiments")" 10000
ok "exp ls shows it" "$MLWB" exp ls --format csv
is "whole" "$(grep -c "^$long," "$T/out")" 1

done_testing
