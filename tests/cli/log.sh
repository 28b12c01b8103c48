#!/bin/sh
# `mlwb log`: recording a run from a shell script, all or nothing.
. "$(dirname "$0")/lib.sh"

ok "log --new creates a run" "$MLWB" log --new -e mnist --name cnn -p lr=0.01 -p optimizer=adam -t team=vision
RUN=$(cat "$T/out")
like "and prints its UUID" "$RUN" '^[0-9a-f]{32}$'
ok "metrics without --step" "$MLWB" log --run "$RUN" -m loss=0.5 -m acc=0.8
ok "count up from the last step" "$MLWB" log --run "$RUN" -m loss=0.4
ok "an explicit step" "$MLWB" log --run "$RUN" -m loss=0.3 --step 10
ok "nan is a value" "$MLWB" log --run "$RUN" -m loss=nan
"$MLWB" metrics "$RUN" loss --format csv | cut -d, -f1,3 > "$T/loss"
is "steps 0, 1, 10, 11 with their values" "$(cat "$T/loss")" "step,value
0,0.5
1,0.4
10,0.3
11,NaN"
ok "a point at the largest step" "$MLWB" log --run "$RUN" -m big=1 --step 9223372036854775807
exits 1 "counting up from it is refused (it would wrap)" "$MLWB" log --run "$RUN" -m big=2
like "saying why" "$(cat "$T/err")" "big: its last step is 9223372036854775807"
is "and nothing was added" "$("$MLWB" metrics "$RUN" big --format csv | cut -d, -f1 | tr '\n' ' ')" "step 9223372036854775807 "
exits 1 "a metric that is not a number" "$MLWB" log --run "$RUN" -p batch=32 -m loss=abc
like "is refused, naming it" "$(cat "$T/err")" "loss=abc: not a number"
ok "show the run" "$MLWB" runs show mnist/cnn --format csv
unlike "and nothing of the failed call was written" "$(cat "$T/out")" "batch"
like "params kept" "$(cat "$T/out")" "^param,optimizer,adam$"
like "tags kept" "$(cat "$T/out")" "^tag,team,vision$"
like "status running" "$(cat "$T/out")" "^run,status,running$"
ok "--status finished ends the run" "$MLWB" log --run "$RUN" --status finished
"$MLWB" runs show "$RUN" --format csv > "$T/show"
like "status finished" "$(cat "$T/show")" "^run,status,finished$"
like "with an end time" "$(cat "$T/show")" "^run,ended,2[0-9]{3}-"
exits 2 "a bad status" "$MLWB" log --run "$RUN" --status done
exits 2 "--run and --new together" "$MLWB" log --run "$RUN" --new
exits 2 "a param without =" "$MLWB" log --run "$RUN" -p lr
exits 1 "an unknown run" "$MLWB" log --run nope -m loss=1
# Another writer holding the workspace for 9 s (an MLflow import or a
# merge holds SQLite's write lock to its commit): `mlwb log` and an import
# wait for it, as a script would rather pause than lose a point or a
# parse; a command a person types gives up after 5 s on SQLite, writing
# nothing; MLWB_LOCK_WAIT says how long.  On PostgreSQL writers wait as
# the server has them.
hold() {	# hold SECONDS: another writer's open transaction, in the background
	rm -f "$T/held"
	case $MLWB_DB in
	postgres://*|postgresql://*)
		psql -qX "$MLWB_DB" >/dev/null 2>&1 <<SQL &
BEGIN;
SELECT 1 FROM runs WHERE uuid = '$RUN' FOR UPDATE;
\\! touch "$T/held"
SELECT pg_sleep($1);
COMMIT;
SQL
		;;
	*)	sqlite3 "$MLWB_DB" "BEGIN IMMEDIATE; DELETE FROM runs WHERE 0;" \
		    ".system touch '$T/held'" ".system sleep $1" "COMMIT;" \
		    >/dev/null 2>&1 & ;;
	esac
	holder=$!
	wait_file "$T/held"
}
sqlite_only() { case $MLWB_DB in postgres://*|postgresql://*) return 1 ;; esac; }
"$MLWB" log --run "$RUN" -m held=1 --step 1 >/dev/null
hold 9
t0=$(date +%s.%N)
"$MLWB" log --run "$RUN" -m held=2 --step 2 >"$T/log.out" 2>"$T/log.err" &
logger=$!
"$MLWB" runs tag "$RUN" held=yes >"$T/tag.out" 2>"$T/tag.err" &
tagger=$!
printf 'step,loss\n0,1\n1,0.5\n' > held.csv
"$MLWB" import --experiment held held.csv >"$T/imp.out" 2>"$T/imp.err" &
importer=$!
ok "log waits for the other writer" wait $logger
t1=$(date +%s.%N)
is "its point is there" "$("$MLWB" metrics "$RUN" held --format csv | cut -d, -f1,3 | tr '\n' ' ')" "step,value 1,1 2,2 "
ok "a CSV import waits too" wait $importer
is "its run is there" "$("$MLWB" runs ls -e held --format csv | tail -n +2 | cut -d, -f2,3)" "held,held"
if sqlite_only; then
	ok "longer than the 5 s others wait" test "$(echo "$t1 - $t0 > 5.5" | bc)" = 1
	exits 1 "another command gives up after 5 s" wait $tagger
	like "saying so" "$(cat "$T/tag.err")" "database is locked: waited 5\.[0-9] s for another writer; nothing of this was written \(MLWB_LOCK_WAIT=SECONDS waits longer\)$"
	unlike "and its tag is not there" "$("$MLWB" runs show "$RUN" --format csv)" "^tag,held,"
else
	ok "another command waits too" wait $tagger
	like "and its tag is there" "$("$MLWB" runs show "$RUN" --format csv)" "^tag,held,yes$"
fi
wait $holder
if sqlite_only; then
	hold 4
	exits 1 "log with MLWB_LOCK_WAIT=1 gives up" env MLWB_LOCK_WAIT=1 "$MLWB" log --run "$RUN" -m held=3 --step 3
	like "after a second" "$(cat "$T/err")" "waited 1\.[0-9] s for another writer; nothing of this was written"
	wait $holder
	is "and wrote nothing" "$("$MLWB" metrics "$RUN" held --format csv | wc -l)" 3
fi
exits 1 "MLWB_LOCK_WAIT that is not a number" env MLWB_LOCK_WAIT=soon "$MLWB" log --run "$RUN" -m held=4
like "is refused" "$(cat "$T/err")" "MLWB_LOCK_WAIT=soon: not a number of seconds from 0 to 86400"

ok "log --help" "$MLWB" log --help
like "shows an example" "$(cat "$T/out")" 'RUN=\$\(mlwb log --new'

done_testing
