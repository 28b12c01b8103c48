#!/bin/sh
# Streamed listings: runs ls prints rows as it reads them.  Its columns
# (the union of the matching runs' param and metric keys) come from one
# key query before the first row; a table sizes its columns on the first
# 1,000 rows and lets a later, wider cell push its row right rather than
# cut it; JSON stays one valid array; a write error is reported.
. "$(dirname "$0")/lib.sh"

"$MLWB" init >/dev/null
# 1,200 runs straight in SQL, as each store writes a number sequence.
case $MLWB_DB in
postgres://*|postgresql://*)
	seq="generate_series(1, 1200) AS g(i)"
	uuid="lpad(i::text, 32, '0')"; name="'run-' || lpad(i::text, 4, '0')" ;;
*)	seq="(WITH RECURSIVE c(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM c WHERE i < 1200) SELECT i FROM c) AS g"
	uuid="printf('%032d', i)"; name="printf('run-%04d', i)" ;;
esac
wide=a-run-name-far-wider-than-any-of-the-first-thousand
wsql "INSERT INTO experiments (uuid, name, created_at)
    VALUES ('$(printf %032d 0)', 'big', 1793491200000)" >/dev/null
wsql "INSERT INTO runs (uuid, experiment_id, name, status, started_at,
    ended_at, created_at, updated_at)
    SELECT $uuid, (SELECT id FROM experiments WHERE name = 'big'),
        CASE WHEN i = 1100 THEN '$wide' ELSE $name END, 'finished',
        1793491200000 + i * 60000, 1793491200000 + i * 60000 + 1000,
        1793491200000, 1793491200000 FROM $seq" >/dev/null
wsql "INSERT INTO params (run_id, key, value) SELECT id, 'lr', '0.1' FROM runs" >/dev/null
wsql "INSERT INTO params (run_id, key, value)
    SELECT id, 'late', 'x' FROM runs WHERE name = 'run-1150'" >/dev/null
wsql "INSERT INTO metric_keys (name) VALUES ('acc')" >/dev/null
wsql "INSERT INTO metric_summary (run_id, key_id, count, first, first_step,
    last, last_step, last_ts, min, min_step, max, max_step)
    SELECT id, (SELECT id FROM metric_keys WHERE name = 'acc'), 1, 0.5, 0,
        0.5, 0, 0, 0.5, 0, 0.5, 0 FROM runs WHERE name = 'run-0007'" >/dev/null

ok "runs ls as CSV" "$MLWB" runs ls --format csv
is "1,200 rows and a header" "$(wc -l < "$T/out")" 1201
is "the header has every key, one only run 1150 has among them" \
    "$(head -1 "$T/out")" \
    "uuid,experiment,name,status,started,duration,params.late,params.lr,metrics.acc"
like "run 1150's late param is in its column" "$(grep ',run-1150,' "$T/out")" ",x,0.1,$"
like "run 7's metric is in its column" "$(grep ',run-0007,' "$T/out")" ",,0.1,0.5$"
cp "$T/out" all.csv

ok "a filter" "$MLWB" runs ls --format csv --filter "attributes.run_name LIKE 'run-000%'"
is "keeps the keys of the runs it matches only" "$(head -1 "$T/out")" \
    "uuid,experiment,name,status,started,duration,params.lr,metrics.acc"
is "9 rows" "$(($(wc -l < "$T/out") - 1))" 9
ok "a filter matching no run" "$MLWB" runs ls --format csv --filter "attributes.run_name = 'none'"
is "prints the header alone" "$(cat "$T/out")" "uuid,experiment,name,status,started,duration"

ok "runs ls as a table" "$MLWB" runs ls --format table
is "1,200 rows and a header" "$(wc -l < "$T/out")" 1201
# Column offsets: "status" in the header, "finished" in a row.
col() { awk -v w="$2" '{ print index($0, w) }' "$1"; }
head -1 "$T/out" > head.txt; grep run-0001 "$T/out" > first.txt
grep -- "$wide" "$T/out" > wide.txt
is "the first rows are aligned under the header" "$(col first.txt finished)" "$(col head.txt status)"
like "the wide name after the look-ahead is printed whole" "$(cat wide.txt)" " $wide  finished "
is "and pushes its row right instead of widening the column" \
    "$(( $(col wide.txt finished) > $(col head.txt status) ))" 1

ok "runs ls as JSON" "$MLWB" runs ls --format json
is "one valid array of 1,200 runs, in the CSV's order" \
    "$(python3 -c 'import json,sys; print(",".join(r["name"] for r in json.load(open(sys.argv[1]))))' "$T/out" | md5sum)" \
    "$(tail -n +2 all.csv | cut -d, -f3 | paste -sd, | md5sum)"

ok "--order-by a name (an index walk)" "$MLWB" runs ls --format csv --order-by 'attributes.run_name DESC'
is "first the greatest name" "$(sed -n 2p "$T/out" | cut -d, -f3)" run-1200
is "last the least" "$(tail -1 "$T/out" | cut -d, -f3)" "$wide"

"$MLWB" runs ls --format json > /dev/full 2> err.txt
is "a full disk fails the listing" "$?" 1
is "and says so" "$(cat err.txt)" "mlwb: cannot write to standard output"
"$MLWB" metrics run-0007 acc --format csv > /dev/full 2> err.txt
is "so does metrics" "$? $(cat err.txt)" "1 mlwb: cannot write to standard output"

done_testing
