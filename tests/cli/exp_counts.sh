#!/bin/sh
# The experiments list's run counts (exp ls, the experiments screen): live
# runs, running and failed, per experiment.  SQLite counts its index;
# PostgreSQL keeps them in exp_run_counts by triggers (data/schema-pg.sql,
# doc/team.md).  After every kind of write the counts must equal a count
# of the runs table itself: new runs, status changes, delete, restore,
# purge, experiments deleted and restored, import (COPY on PostgreSQL),
# push of a file into the store, many single-row statements (the deltas
# are folded every 64th), concurrent writers, and on PostgreSQL the
# migration that adds the table to an older store.
# Runs on both stores ($MLWB_DB is a PostgreSQL store under check-pg).
. "$(dirname "$0")/lib.sh"

ws() { "$MLWB" "$@"; }
# What exp ls --all says, and what counting the runs says: "name|runs|running|failed".
listed() { ws exp ls --all --format csv | tail -n +2 | cut -d, -f1-4 | tr , '|' | sort; }
counted() {
	wsql "SELECT e.name,
	    sum(CASE WHEN r.id IS NOT NULL AND r.deleted_at IS NULL THEN 1 ELSE 0 END),
	    sum(CASE WHEN r.deleted_at IS NULL AND r.status = 'running' THEN 1 ELSE 0 END),
	    sum(CASE WHEN r.deleted_at IS NULL AND r.status = 'failed' THEN 1 ELSE 0 END)
	    FROM experiments e LEFT JOIN runs r ON r.experiment_id = e.id
	    GROUP BY e.id, e.name" | sort
}
same() {	# same DESCRIPTION: the listed counts are the counted ones
	is "$1" "$(listed)" "$(counted)"
}
pg=0
case $MLWB_DB in postgres://*|postgresql://*) pg=1 ;; esac

A=$(ws log --new -e counts --name a -m loss=1)
B=$(ws log --new -e counts --name b -m loss=2)
C=$(ws log --new -e other --name c -m loss=3)
is "two running runs in counts" "$(listed | grep '^counts|')" "counts|2|2|0"
same "new runs (running)"
ws log --run "$A" --status finished >/dev/null
ws log --run "$B" --status failed >/dev/null
is "finished and failed" "$(listed | grep '^counts|')" "counts|2|0|1"
same "status changes"
ok "delete a failed run" ws runs delete "$B"
is "it no longer counts, nor its failure" "$(listed | grep '^counts|')" "counts|1|0|0"
same "after delete"
ok "delete a running run" ws runs delete "$C"
same "after deleting a running run"
ok "restore it" ws runs restore "$C"
is "it counts again as running" "$(listed | grep '^other|')" "other|1|1|0"
ok "exp delete" ws exp delete other
like "a deleted experiment keeps its own counts" "$(ws exp ls --deleted --format csv)" "other,1,1,0"
ok "exp restore" ws exp restore other
same "after experiment delete and restore"
ok "purge the deleted run" ws runs purge "$B"
is "purged: still not counted" "$(listed | grep '^counts|')" "counts|1|0|0"
same "after purge"
ok "rename the experiment" ws exp rename counts counted
same "after rename"

# import: many runs' rows in one statement (COPY on PostgreSQL)
printf 'step,loss\n0,1\n1,0.5\n' > one.csv
for i in 1 2 3; do cp one.csv "run$i.csv"; done
ok "import three files" ws import --experiment imported run1.csv run2.csv run3.csv
same "after import"

# push of a file's runs into the store under test (one transaction)
box=$T/box.db
for i in 1 2 3 4 5; do
	"$MLWB" --db "$box" log --new -e pushed --name "p$i" -m acc=0.$i >/dev/null
done
"$MLWB" --db "$box" log --run pushed/p1 --status failed >/dev/null
ok "push a file into the store" "$MLWB" --db "$box" push --to "$MLWB_DB"
is "pushed runs counted" "$(listed | grep '^pushed|')" "pushed|5|4|1"
"$MLWB" --db "$box" log --run pushed/p2 --status finished >/dev/null
ok "push a status change" "$MLWB" --db "$box" push --to "$MLWB_DB"
is "the change counted" "$(listed | grep '^pushed|')" "pushed|5|3|1"
same "after push"

# Concurrent writers: new runs and status changes from 4 processes.
pids=""
for w in 1 2 3 4; do
	(
		k=0
		while [ $k -lt 6 ]; do
			r=$("$MLWB" log --new -e "busy$((k % 2))" --name "w$w-$k") || exit 1
			case $k in
			0|3) "$MLWB" log --run "$r" --status failed >/dev/null || exit 1 ;;
			1) "$MLWB" log --run "$r" --status finished >/dev/null || exit 1 ;;
			esac
			k=$((k + 1))
		done
	) >"w$w.out" 2>"w$w.err" &
	pids="$pids $!"
done
n=0
for p in $pids; do wait "$p" && n=$((n + 1)); done
is "4 concurrent writers exited 0" "$n" 4
is "and printed no error" "$(cat w*.err)" ""
is "busy0: 12 runs, 8 running, 4 failed" "$(listed | grep '^busy0|')" "busy0|12|8|4"
is "busy1: 12 runs, 4 running, 4 failed" "$(listed | grep '^busy1|')" "busy1|12|4|4"
same "after concurrent writers"

if [ $pg = 1 ]; then
	# 150 single-row statements: deltas folded twice or more on the way.
	sql=""
	i=0
	while [ $i -lt 150 ]; do
		sql="$sql UPDATE runs SET status = CASE WHEN status = 'running'
		    THEN 'failed' WHEN status = 'failed' THEN 'finished'
		    ELSE 'running' END WHERE id = (SELECT min(id) + $i % 7 FROM runs);"
		i=$((i + 1))
	done
	ok "150 single-row statements" wsql "$sql"
	same "after many statements (folded)"
	like "the deltas were folded" "$(wsql "SELECT count(*) < 60 FROM exp_run_counts")" "^t$"
	# A run moved to another experiment, and a bulk delete.
	ok "move runs between experiments" wsql "UPDATE runs SET experiment_id =
	    (SELECT id FROM experiments WHERE name = 'busy1')
	    WHERE name LIKE 'w1-%'"
	same "after moving runs"
	ok "concurrent statements" sh -c "
	    for w in 1 2 3; do
	        psql -qAtX -v ON_ERROR_STOP=1 '$MLWB_DB' -c \"$sql\" >/dev/null &
	    done; wait"
	same "after concurrent single-row statements"

	# The migration that adds the table (10 -> 11) to a store without it.
	v=$(wsql "SELECT value FROM mlwb_meta WHERE key = 'schema_version'")
	ok "make the store one version older" wsql "DROP TABLE exp_run_counts;
	    DROP FUNCTION exp_run_counts_keep() CASCADE;
	    DROP SEQUENCE exp_run_counts_changes;
	    UPDATE mlwb_meta SET value = '$((v - 1))'
	    WHERE key = 'schema_version'"
	ok "a write command migrates it" ws init
	is "to the latest version" "$(wsql "SELECT value FROM mlwb_meta WHERE key = 'schema_version'")" "$v"
	same "counts after the migration"
	ws log --new -e busy0 --name after-migration >/dev/null
	same "and kept after it"
fi
ok "doctor" ws doctor
done_testing
