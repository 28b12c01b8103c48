#!/bin/sh
# Migration of a schema-1 workspace (24-byte point records) to compressed
# chunks: read-only commands read it as it is; the first writable open
# migrates it with a progress line on stderr; every point reads the same
# afterwards; kill -9 during the migration leaves the old format, whole
# and readable, and the next open finishes the job.
. "$(dirname "$0")/lib.sh"

q() { sqlite3 -cmd '.timeout 5000' "$1" "$2"; }
sqlite3 ws.db < "$top_srcdir/tests/data/scale/v1-workspace.sql"
is "the fixture is schema 1" "$(q ws.db 'PRAGMA user_version')" 1
is "its 4 chunks are raw records" \
    "$(q ws.db 'SELECT count(*) FROM metric_chunks WHERE length(points) = 24 * n')" 4

ok "runs ls reads schema 1 read-only" "$MLWB" --db ws.db runs ls --format csv
like "both runs" "$(cat "$T/out")" "big"
ok "exp ls reads schema 1 read-only (no experiment_tags there)" "$MLWB" --db ws.db exp ls --format json
like "with no tags" "$(cat "$T/out")" '"name": "old", .*"tags": \{\}'
for k in loss acc lr; do
	"$MLWB" --db ws.db metrics big $k --format csv > "before-$k.csv"
done
"$MLWB" --db ws.db metrics small val_loss --format csv > before-val.csv
"$MLWB" --db ws.db doctor --quick > /dev/null 2> "$T/err"
is "doctor reads schema 1 without migrating (no error)" "$? $(cat "$T/err")" "1 "
is "read-only opens did not migrate" "$(q ws.db 'PRAGMA user_version')" 1
like "NaN, inf, -inf and -0 in the old chunks" "$(sed -n 19,22p before-loss.csv | cut -d, -f3 | tr '\n' ' ')" \
    "^NaN inf -inf -0 $"

ok "a writable open migrates" "$MLWB" --db ws.db init
like "progress starts at 0" "$(cat "$T/err")" "^mlwb: ws.db: compressing metric chunks: 0 of 4 \(0%\)$"
like "and ends at 100%" "$(cat "$T/err")" "compressing metric chunks: 4 of 4 \(100%\)$"
is "the latest schema (12) now" "$(q ws.db 'PRAGMA user_version')" 12
is "no raw chunk left" \
    "$(q ws.db 'SELECT count(*) FROM metric_chunks WHERE length(points) = 24 * n')" 0
small=$(q ws.db 'SELECT sum(length(points)) < 903 * 4 FROM metric_chunks')
is "903 points in under 4 bytes each (random doubles in acc included)" "$small" 1
for k in loss acc lr; do
	"$MLWB" --db ws.db metrics big $k --format csv > "after-$k.csv"
	is "metric $k reads the same" "$(cmp before-$k.csv after-$k.csv && echo same)" same
done
"$MLWB" --db ws.db metrics small val_loss --format csv > after-val.csv
is "a 3-point metric reads the same" "$(cmp before-val.csv after-val.csv && echo same)" same
ok "runs show: params and tags kept" "$MLWB" --db ws.db runs show big --format csv
like "param" "$(cat "$T/out")" "^param,batch,64$"
ok "doctor clean" "$MLWB" --db ws.db doctor
ok "a second open has nothing to do" "$MLWB" --db ws.db init
is "and says nothing" "$(cat "$T/err")" ""

# kill -9 halfway: 1,500 more raw chunks of random records (the worst
# case for the codec, so the migration takes long enough to be caught).
sqlite3 big.db < "$top_srcdir/tests/data/scale/v1-workspace.sql"
sqlite3 big.db >/dev/null <<'SQL'
PRAGMA journal_mode = WAL;
BEGIN;
INSERT INTO metric_keys (name) VALUES ('noise');
WITH RECURSIVE c(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM c WHERE i < 1499)
INSERT INTO metric_chunks (run_id, key_id, seq, n, step_min, step_max, points)
    SELECT 1, (SELECT id FROM metric_keys WHERE name = 'noise'), i, 1024,
        i * 1024, i * 1024 + 1023, randomblob(24 * 1024) FROM c;
INSERT INTO metric_summary (run_id, key_id, count, first, first_step, last,
    last_step, last_ts) SELECT 1, id, 1536000, 0, 0, 0, 1535999, 0
    FROM metric_keys WHERE name = 'noise';
COMMIT;
SQL
sum_points() { q big.db 'SELECT hex(points) FROM metric_chunks ORDER BY id' | cksum; }
before=$(sum_points)
"$MLWB" --db big.db metrics big noise --format csv | cksum > noise-before
"$MLWB" --db big.db init >/dev/null 2>progress &
pid=$!
i=0
while ! grep -q '[1-9][0-9]*%' progress 2>/dev/null && [ $i -lt 3000 ]; do
	sleep 0.01
	i=$((i + 1))
done
kill -9 $pid 2>/dev/null
wait $pid 2>/dev/null
like "killed while it was compressing" "$(cat progress)" "compressing metric chunks: [0-9]+ of 1504 \(([1-9]|[1-9][0-9])%\)"
unlike "before it finished" "$(cat progress)" "100%"
is "still schema 1" "$(q big.db 'PRAGMA user_version')" 1
is "every chunk still raw" \
    "$(q big.db 'SELECT count(*) FROM metric_chunks WHERE length(points) = 24 * n')" 1504
is "every byte of every chunk as it was" "$(sum_points)" "$before"
ok "readable read-only after the kill" "$MLWB" --db big.db metrics big noise --format csv
is "the same points" "$(cksum < "$T/out")" "$(cat noise-before)"
ok "the next open migrates" "$MLWB" --db big.db init
is "the latest schema (12)" "$(q big.db 'PRAGMA user_version')" 12
ok "read after migrating" "$MLWB" --db big.db metrics big noise --format csv
is "the same points again" "$(cksum < "$T/out")" "$(cat noise-before)"
ok "doctor clean" "$MLWB" --db big.db doctor

# doctor and doctor --quick find summaries that disagree with their chunks
# and chunks with no summary, by name.
cp ws.db dr.db
ok "doctor --quick on a sound workspace" "$MLWB" --db dr.db doctor --quick
is "says ok (quick)" "$(cat "$T/out")" "dr.db: ok (quick)"
q dr.db "UPDATE metric_summary SET count = count + 2 WHERE key_id =
    (SELECT id FROM metric_keys WHERE name = 'acc')"
q dr.db "DELETE FROM metric_summary WHERE key_id =
    (SELECT id FROM metric_keys WHERE name = 'val_loss')"
for mode in --quick ""; do
	exits 1 "doctor $mode: exit 1" "$MLWB" --db dr.db doctor $mode
	like "doctor $mode: the miscounted summary" "$(cat "$T/out")" \
	    "^problem: run [0-9a-f]{32} \(big\): metric acc: summary says 302 points, chunks hold 300$"
	like "doctor $mode: chunks without a summary" "$(cat "$T/out")" \
	    "^problem: run [0-9a-f]{32} \(small\): metric val_loss: 3 points in chunks without a summary$"
	like "doctor $mode: two problems" "$(cat "$T/out")" "^dr.db: 2 problems$"
done
q dr.db "PRAGMA foreign_keys = OFF; DELETE FROM runs WHERE name = 'small'"
exits 1 "doctor: a foreign key broken" "$MLWB" --db dr.db doctor
like "named" "$(cat "$T/out")" "^problem: foreign key: metric_chunks row [0-9]+ refers to a missing runs row$"

# Wide logs: 3,000 metric columns, and repeated names numbered as pandas
# does (the third "loss" is loss.2; it used to become a second loss.1).
awk 'BEGIN { printf "epoch"; for (c = 0; c < 3000; c++) printf ",m%d", c;
	print ""; for (r = 0; r < 4; r++) { printf "%d", r;
	for (c = 0; c < 3000; c++) printf ",%d.%d", r, c; print "" } }' > wide.csv
ok "a 3,000-column log imports" "$MLWB" --db wide.db import wide.csv
like "every column a metric" "$(cat "$T/out")" "1 run, 3000 metrics, 12000 points"
is "3000 summaries of 4 points" "$(q wide.db 'SELECT count(*) FROM metric_summary WHERE count = 4')" 3000
ok "the last column reads back" "$MLWB" --db wide.db metrics wide m2999 --format csv
is "its values" "$(cut -d, -f1,3 "$T/out" | tr '\n' ' ')" "step,value 0,0.2999 1,1.2999 2,2.2999 3,3.2999 "
printf 'epoch,loss,loss,loss,acc\n0,1,2,3,0.5\n1,4,5,6,0.6\n' > dup.csv
ok "repeated names" "$MLWB" --db dup.db import dup.csv
is "loss, loss.1, loss.2" "$(q dup.db 'SELECT group_concat(name, " ") FROM (SELECT name FROM metric_keys ORDER BY name)')" \
    "acc loss loss.1 loss.2"
ok "loss.2 is the third column" "$MLWB" --db dup.db metrics dup loss.2 --format csv
is "its values" "$(cut -d, -f3 "$T/out" | tr '\n' ' ')" "value 3 6 "

done_testing
