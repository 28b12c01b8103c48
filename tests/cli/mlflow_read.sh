#!/bin/sh
# `mlwb import-mlflow` reading metrics laid out as MLflow leaves them when
# runs are not logged one after another: two runs logged at the same
# time (rows alternating), a run resumed after other runs logged (its
# rows in two stretches), a run logged backwards with a step twice and a
# NaN (mlflow_db.c's sort), orphan rows, and a run of an experiment left
# out.  The same rows go into three sources: MLflow 2.x's (an index on
# run_uuid: the reader walks it), one without the index (1.x: ORDER BY
# sorts) and one whose metrics table is WITHOUT ROWID.  Every source must
# give the same stored points, as many as it has, in step order.
. "$(dirname "$0")/lib.sh"

A=aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa	# alternates with B, resumed later
B=bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb
C=cccccccccccccccccccccccccccccccc	# two ranges, backwards, NaN, dup step
D=dddddddddddddddddddddddddddddddd	# one range
H=abababababababababababababababab	# key by key, one key backwards
G=eeeeeeeeeeeeeeeeeeeeeeeeeeeeeeee	# experiment 2, left out
O=ffffffffffffffffffffffffffffffff	# orphan rows: no such run

# make_src FILE idx|noidx|wr
make_src() {
	case $2 in
	wr)	wr=" WITHOUT ROWID" ;;
	*)	wr="" ;;
	esac
	idx=""
	[ "$2" = idx ] && idx="CREATE INDEX index_metrics_run_uuid ON metrics (run_uuid);"
	sqlite3 "$1" "
CREATE TABLE experiments (experiment_id INTEGER NOT NULL PRIMARY KEY,
  name VARCHAR(256) NOT NULL UNIQUE, artifact_location VARCHAR(256),
  lifecycle_stage VARCHAR(32), creation_time BIGINT, last_update_time BIGINT);
CREATE TABLE runs (run_uuid VARCHAR(32) NOT NULL PRIMARY KEY, name VARCHAR(250),
  source_type VARCHAR(20), source_name VARCHAR(500), entry_point_name VARCHAR(50),
  user_id VARCHAR(256), status VARCHAR(9), start_time BIGINT, end_time BIGINT,
  source_version VARCHAR(50), lifecycle_stage VARCHAR(20),
  artifact_uri VARCHAR(200), experiment_id INTEGER, deleted_time BIGINT);
CREATE TABLE metrics (\"key\" VARCHAR(250) NOT NULL, value FLOAT NOT NULL,
  timestamp BIGINT NOT NULL, run_uuid VARCHAR(32) NOT NULL,
  step BIGINT DEFAULT '0' NOT NULL, is_nan BOOLEAN DEFAULT '0' NOT NULL,
  PRIMARY KEY (\"key\", timestamp, step, run_uuid, value, is_nan))$wr;
$idx
INSERT INTO experiments VALUES (1, 'one', '', 'active', 0, 0),
  (2, 'two', '', 'active', 0, 0);
INSERT INTO runs (run_uuid, name, status, start_time, lifecycle_stage,
  experiment_id) VALUES ('$A', 'ra', 'FINISHED', 1, 'active', 1),
  ('$B', 'rb', 'FINISHED', 1, 'active', 1),
  ('$C', 'rc', 'FINISHED', 1, 'active', 1),
  ('$D', 'rd', 'FINISHED', 1, 'active', 1),
  ('$H', 'rh', 'FINISHED', 1, 'active', 1),
  ('$G', 'rg', 'FINISHED', 1, 'active', 2);
-- A and B logged at once: their rows alternate, an orphan now and then.
WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < 39)
INSERT INTO metrics SELECT 'loss', CASE w WHEN 0 THEN 1.0 / (i + 1)
  WHEN 1 THEN 2.0 / (i + 1) ELSE i END, 1000 + i,
  CASE w WHEN 0 THEN '$A' WHEN 1 THEN '$B' ELSE '$O' END, i, 0
  FROM n, (SELECT 0 AS w UNION ALL SELECT 1 UNION ALL SELECT 2)
  WHERE w < 2 OR i % 10 = 0 ORDER BY i, w;
-- C, steps 9 to 5, backwards; step 7 twice.
WITH RECURSIVE n(i) AS (SELECT 9 UNION ALL SELECT i - 1 FROM n WHERE i > 5)
INSERT INTO metrics SELECT 'acc', i / 10.0, 2000 + i, '$C', i, 0 FROM n;
INSERT INTO metrics VALUES ('acc', 0.75, 2007, '$C', 7, 0);
-- D in one stretch, and G (left out) in another.
WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < 199)
INSERT INTO metrics SELECT 'loss', 1.0 / (i + 1), 3000 + i, '$D', i, 0 FROM n;
WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < 29)
INSERT INTO metrics SELECT 'loss', i, 4000 + i, '$G', i, 0 FROM n;
-- C again, steps 4 to 0 and a NaN; A resumed, steps 40 to 44.
WITH RECURSIVE n(i) AS (SELECT 4 UNION ALL SELECT i - 1 FROM n WHERE i > 0)
INSERT INTO metrics SELECT 'acc', i / 10.0, 2000 + i, '$C', i, 0 FROM n;
INSERT INTO metrics VALUES ('acc', 0, 2010, '$C', 10, 1);
WITH RECURSIVE n(i) AS (SELECT 40 UNION ALL SELECT i + 1 FROM n WHERE i < 44)
INSERT INTO metrics SELECT 'loss', 1.0 / (i + 1), 1000 + i, '$A', i, 0 FROM n;
INSERT INTO metrics VALUES ('val', 3.5, 5000, '$O', 1, 0);
-- H logs key by key, k2 backwards: several sorted stretches to merge.
WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < 9)
INSERT INTO metrics SELECT k, CASE k WHEN 'k2' THEN 9 - i ELSE i END + 0.5,
  6000 + CASE k WHEN 'k2' THEN 9 - i ELSE i END, '$H',
  CASE k WHEN 'k2' THEN 9 - i ELSE i END, 0
  FROM (SELECT 'k1' AS k UNION ALL SELECT 'k2' UNION ALL SELECT 'k3'), n
  ORDER BY k, i;
" || exit 1
}

# points DB: every point of the runs of experiment 'one', as CSV.
points() {
	for rk in "ra loss" "rb loss" "rc acc" "rd loss" "rh k1" "rh k2" \
	    "rh k3"; do
		set -- $rk
		echo "# $1 $2"
		MLWB_DB=$_pdb "$MLWB" metrics "$1" "$2" --format csv || echo FAILED
	done
}

for kind in idx noidx wr; do
	make_src $kind.db $kind
done
is "the source has 327 points of experiment one" \
    "$(sqlite3 idx.db "SELECT count(*) FROM metrics m JOIN runs r ON
    r.run_uuid = m.run_uuid WHERE r.experiment_id = 1")" 327
is "C's rows are not one rowid range" \
    "$(sqlite3 idx.db "SELECT max(rowid) - min(rowid) + 1 > count(*) FROM
    metrics WHERE run_uuid = '$C'")" 1

# The ranged reader on the store under test; the others on SQLite files.
ok "import with an index on run_uuid" "$MLWB" import-mlflow idx.db \
    --experiment one
like "counts" "$(cat "$T/out")" "5 runs .*327 points"
_pdb=$MLWB_DB
points > idx.txt
for kind in noidx wr; do
	ok "import without an index ($kind)" "$MLWB" --db "$T/ws-$kind.db" \
	    import-mlflow $kind.db --experiment one
	like "$kind: counts" "$(cat "$T/out")" "5 runs .*327 points"
	_pdb="$T/ws-$kind.db"
	points > $kind.txt
done
unlike "every run's points print" "$(cat idx.txt noidx.txt wr.txt)" FAILED
is "points by rowid range equal points by ORDER BY run_uuid" \
    "$(cat idx.txt)" "$(cat noidx.txt)"
is "and equal those of a metrics table WITHOUT ROWID" \
    "$(cat idx.txt)" "$(cat wr.txt)"
is "A: 45 points, in step order across its two stretches" \
    "$(sed -n '/^# ra/,/^# rb/p' idx.txt | grep -c '^[0-9]')" 45
is "A's steps 39 and 40 follow each other" \
    "$(grep -A1 '^39,1039,' idx.txt | sed -n 2p | cut -d, -f1,2)" "40,1040"
is "C: 12 points, sorted by step, the NaN kept" \
    "$(sed -n '/^# rc/,/^# rd/p' idx.txt | grep '^[0-9]' | cut -d, -f1,3 |
    tr '\n' ' ')" \
    "0,0 1,0.1 2,0.2 3,0.3 4,0.4 5,0.5 6,0.6 7,0.7 7,0.75 8,0.8 9,0.9 10,NaN "
is "C: 12 points in its summary" \
    "$(wsql "SELECT s.count FROM metric_summary s JOIN runs r ON r.id =
    s.run_id WHERE r.name = 'rc'")" 12
is "D: 200 points" \
    "$(sed -n '/^# rd/,/^# rh/p' idx.txt | grep -c '^[0-9]')" 200
for k in k1 k2 k3; do
	is "H's $k: its 10 points in step order" \
	    "$(sed -n "/^# rh $k/,/^# rh k[^$k]/p" idx.txt | grep '^[0-9]' |
	    tr '\n' ' ')" \
	    "$(sqlite3 idx.db "SELECT step || ',' || timestamp || ',' || value
	    FROM metrics WHERE run_uuid = '$H' AND key = '$k' ORDER BY step" |
	    tr '\n' ' ')"
done
is "the orphan rows and experiment two's run are not imported" \
    "$(wsql "SELECT count(*) FROM runs WHERE name = 'rg' OR uuid LIKE 'fff%'")" 0

# Importing again finds nothing new, whichever way it reads.
ok "import again" "$MLWB" import-mlflow idx.db --experiment one
like "nothing new" "$(cat "$T/out")" "\(0 new, 0 updated"

done_testing
