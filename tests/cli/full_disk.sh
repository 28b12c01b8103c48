#!/bin/sh
# A full disk during the bulk writes: a CSV import (whose stage, SQLite's
# temporary file, fills first), an MLflow import (written into the
# workspace by one thread while another reads the source) and a merge.
# The disk is made full by a file-size limit (ulimit -f, SIGXFSZ
# ignored): a write past it fails with EFBIG, as one on a full disk fails
# with ENOSPC, and SQLite reports both as an I/O error.  Each must fail
# with a message naming the file that could not be written, exit 1, and
# leave the workspace as it was; the same command then succeeds.
# The workspace is a SQLite file in both runs of the suite (a server's
# disk is the server's): so the checks are the same under MLWB_TEST_DB.
. "$(dirname "$0")/lib.sh"

W="$T/full.db"
"$MLWB" --db "$W" init > /dev/null
ok "a run before" "$MLWB" --db "$W" log --new -e keep --name before \
    -m loss=0.5
# What the workspace holds, to compare after each failure.
state() {
	"$MLWB" --db "$W" runs ls --all --format csv | cut -d, -f1-4 | sort |
	    md5sum
}
S0=$(state)
# limited KB CMD...: CMD with writes past KB kilobytes failing.
limited() {
	_kb=$1
	shift
	(trap '' XFSZ; ulimit -f "$_kb" && exec "$@")
}

# A CSV log of 200,000 rows: its stage outgrows 64 KB.
awk 'BEGIN { print "step,loss,acc"; for (i = 0; i < 200000; i++)
	printf "%d,%.9f,%.6f\n", i, 1 / (i + 1), i / 200000 }' > "$T/big.csv"
mkdir "$T/tmp"
TMPDIR="$T/tmp" limited 64 "$MLWB" --db "$W" import -e big "$T/big.csv" \
    > "$T/out" 2> "$T/err"
is "a CSV import on a full disk exits 1" "$?" 1
like "naming the log and the stage's folder" "$(cat "$T/err")" \
    "^mlwb: .*big\\.csv: not imported, nothing of it stored: the import's temporary stage in $T/tmp: disk I/O error$"
is "the workspace is as it was" "$(state)" "$S0"
ok "doctor finds nothing wrong" "$MLWB" --db "$W" doctor
is "no stage file left" "$(ls -A "$T/tmp")" ""
ok "with room, the same import" "$MLWB" --db "$W" import -e big "$T/big.csv"
S1=$(state)
is "one more run" "$("$MLWB" --db "$W" runs ls --all --format csv |
    tail -n +2 | wc -l)" 2

# An MLflow database of 300 runs, 5 metrics x 40 steps each.
sqlite3 "$T/mlflow.db" > /dev/null <<'SQL'
CREATE TABLE experiments (experiment_id INTEGER PRIMARY KEY,
  name TEXT NOT NULL UNIQUE, artifact_location TEXT, lifecycle_stage TEXT,
  creation_time BIGINT, last_update_time BIGINT);
CREATE TABLE runs (run_uuid TEXT PRIMARY KEY, name TEXT, source_type TEXT,
  source_name TEXT, entry_point_name TEXT, user_id TEXT, status TEXT,
  start_time BIGINT, end_time BIGINT, source_version TEXT,
  lifecycle_stage TEXT, artifact_uri TEXT, experiment_id INTEGER,
  deleted_time BIGINT);
CREATE TABLE metrics (key TEXT NOT NULL, value FLOAT NOT NULL,
  timestamp BIGINT NOT NULL, run_uuid TEXT NOT NULL,
  step BIGINT DEFAULT 0 NOT NULL, is_nan BOOLEAN DEFAULT 0 NOT NULL,
  PRIMARY KEY (key, timestamp, step, run_uuid, value, is_nan));
CREATE INDEX index_metrics_run_uuid ON metrics (run_uuid);
CREATE TABLE params (key TEXT NOT NULL, value TEXT NOT NULL,
  run_uuid TEXT NOT NULL, PRIMARY KEY (key, run_uuid));
CREATE TABLE tags (key TEXT NOT NULL, value TEXT, run_uuid TEXT NOT NULL,
  PRIMARY KEY (key, run_uuid));
INSERT INTO experiments VALUES (0, 'Default', 'mlruns/0', 'active', 0, 0);
WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < 299)
INSERT INTO runs SELECT printf('%032x', i + 1), 'mlf-' || i, 'LOCAL',
  'train.py', '', 'u', 'FINISHED', 1700000000000 + i, 1700000000900 + i, '',
  'active', 'x', 0, NULL FROM n;
INSERT INTO params SELECT 'lr', '0.01', run_uuid FROM runs;
INSERT INTO tags SELECT 'note', 'v-' || name, run_uuid FROM runs;
WITH RECURSIVE s(j) AS (SELECT 0 UNION ALL SELECT j + 1 FROM s WHERE j < 39)
INSERT INTO metrics SELECT k.k, abs(random() % 100000) / 1000.0,
  r.start_time + s.j, r.run_uuid, s.j, 0 FROM runs r, s,
  (SELECT 'loss' AS k UNION ALL SELECT 'acc' UNION ALL SELECT 'lr'
   UNION ALL SELECT 'val_loss' UNION ALL SELECT 'val_acc') k;
SQL
limited 64 "$MLWB" --db "$W" import-mlflow "$T/mlflow.db" > "$T/out" \
    2> "$T/err"
is "an MLflow import on a full disk exits 1" "$?" 1
like "naming the workspace" "$(cat "$T/err")" \
    "^mlwb: .*full\\.db: (disk I/O error|database or disk is full)$"
is "the workspace is as it was" "$(state)" "$S1"
ok "doctor finds nothing wrong" "$MLWB" --db "$W" doctor
ok "with room, the same import" "$MLWB" --db "$W" import-mlflow "$T/mlflow.db"
is "its 300 runs" "$("$MLWB" --db "$W" runs ls -e Default --all \
    --format csv | tail -n +2 | wc -l)" 300
S2=$(state)

# A merge of another file's 300 new runs.
"$MLWB" --db "$T/other.db" init > /dev/null
"$MLWB" --db "$T/other.db" import-mlflow "$T/mlflow.db" > /dev/null
"$MLWB" --db "$T/other.db" import -e other "$T/big.csv" > /dev/null
limited 64 "$MLWB" --db "$W" merge "$T/other.db" > "$T/out" 2> "$T/err"
is "a merge on a full disk exits 1" "$?" 1
like "naming the workspace" "$(cat "$T/err")" \
    "^mlwb: .*full\\.db: (disk I/O error|database or disk is full)"
is "the workspace is as it was" "$(state)" "$S2"
ok "doctor finds nothing wrong" "$MLWB" --db "$W" doctor
ok "with room, the same merge" "$MLWB" --db "$W" merge "$T/other.db"
is "the other file's run is there" "$("$MLWB" --db "$W" runs ls -e other \
    --all --format csv | tail -n +2 | wc -l)" 1

done_testing
