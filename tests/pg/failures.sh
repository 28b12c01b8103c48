#!/bin/sh
# Failures on PostgreSQL: a writer killed with kill -9 in the middle of
# its transaction loses only its own uncommitted work (the other writers'
# work is all there, nothing of the killed import is), and a server
# restart during a long import gives a clear error and leaves the store as
# it was (the import run again then succeeds).  The restart uses a private
# throwaway cluster (tests/pg/cluster.sh), never $MLWB_TEST_DB's.  Run by
# make check-pg.
. "$(dirname "$0")/../cli/lib.sh"
case $MLWB_DB in
postgres://*|postgresql://*) ;;
*)	echo "Bail out! tests/pg/failures.sh needs MLWB_TEST_DB=postgresql://..."
	exit 1 ;;
esac
ROWS=1000000	# x 5 metrics: an import of several seconds
LOGS=40		# points of the log loop
awk -v n=$ROWS 'BEGIN { print "step,loss,acc,lr,f1,prec";
    for (k = 0; k < n; k++) printf "%d,%.6g,%.6g,%.6g,%.6g,%.6g\n", k,
    1 / (k + 1), k / n, 0.1, 0.5, 0.25 }' > big.csv

# The imports stop with every row written, before their commit, until
# the file the test hook names is removed (db_test_stall): the kill and
# the restart then happen mid-transaction however fast the import is.
# wait_file (tests/cli/lib.sh) waits for that file.

# wait_tx DB: until a connection of DB is inside a transaction that
# wrote metric points (the import's), 20 s at most.
wait_tx() {
	i=0
	while [ $i -lt 200 ]; do
		n=$(psql -qAtX "$1" -c "SELECT count(*) FROM pg_stat_activity
		    WHERE datname = current_database() AND pid <>
		    pg_backend_pid() AND backend_xid IS NOT NULL AND
		    xact_start < now() - interval '0.2 s'")
		[ "${n:-0}" -gt 0 ] && return 0
		sleep 0.1
		i=$((i + 1))
	done
	return 1
}

# -- kill -9 of a writer mid-transaction -------------------------------------
ok "init" "$MLWB" init
R=$("$MLWB" log --new -e other --name loop -m loss=1)
before=$(wsql "SELECT count(*) FROM runs")
MLWB_TEST_IMPORT_STALL=$T/stall1 "$MLWB" import --experiment imp \
    --run killed big.csv >/dev/null 2>&1 &
imp=$!
ok "the import wrote its rows" wait_file "$T/stall1"
ok "the import is inside its transaction" wait_tx "$MLWB_DB"
# Another writer keeps logging meanwhile.
i=1
while [ $i -le $LOGS ]; do
	"$MLWB" log --run "$R" -m loss=0.$i || echo "log $i failed"
	i=$((i + 1))
done > log.out 2>&1 &
logger=$!
sleep 0.5
kill -9 $imp
wait $imp 2>/dev/null
wait $logger
is "the other writer never failed" "$(cat log.out)" ""
is "all its points are stored" "$(wsql "SELECT s.count FROM metric_summary s JOIN runs r ON r.id = s.run_id WHERE r.uuid = '$R'")" $((LOGS + 1))
is "nothing of the killed import" "$(wsql "SELECT count(*) FROM runs")" "$before"
is "no chunk without its run" "$(wsql "SELECT count(*) FROM metric_chunks c WHERE NOT EXISTS (SELECT 1 FROM runs r WHERE r.id = c.run_id)")" 0
ok "doctor is clean" "$MLWB" doctor
ok "the import, run again, succeeds" "$MLWB" import --experiment imp --run again big.csv
is "with every point" "$(wsql "SELECT sum(s.count) FROM metric_summary s JOIN runs r ON r.id = s.run_id WHERE r.name = 'again'")" $((ROWS * 5))

# -- a server restart during a long import -----------------------------------
cluster=$top_srcdir/tests/pg/cluster.sh
port=$(( 30000 + ($$ + 7919) % 20000 ))
while ss -Hltn "sport = :$port" | grep -q .; do port=$((port + 1)); done
CL=$T/cluster
chmod 755 "$T"
# Set before the start: a start that fails half way is cleaned up too.
trap 'sh "$cluster" stop "$CL"; psql -qX "$MLWB_TEST_DB" -c "DROP DATABASE IF EXISTS $_pgdb WITH (FORCE)" >/dev/null 2>&1; rm -rf "$T"' EXIT
url=$(sh "$cluster" start "$CL" $port) ||
    { echo "Bail out! cannot start a private cluster"; exit 1; }
psql -qX "$url" -c "CREATE DATABASE restart" >/dev/null
W=$(printf %s "$url" | sed 's|/postgres$|/restart|')
"$MLWB" --db "$W" log --new -e base --name first -m loss=1 >/dev/null
dump() { pg_dump -a --exclude-table-data=metric_keys "$W" |
    grep -v -e 'pg_catalog.setval' -e '^.restrict ' -e '^.unrestrict ' |
    sha256sum | cut -d' ' -f1; }
sum=$(dump)
MLWB_TEST_IMPORT_STALL=$T/stall2 "$MLWB" --db "$W" import --experiment imp \
    --run cut big.csv >imp.out 2>imp.err &
imp=$!
ok "the import wrote its rows" wait_file "$T/stall2"
ok "the import is inside its transaction" wait_tx "$W"
sh "$cluster" pause "$CL"
rm -f "$T/stall2"
wait $imp
st=$?
is "the import fails (exit 1)" "$st" 1
like "with a clear error naming the file and the server" "$(cat imp.err)" "big.csv: .*(server closed the connection|terminating connection|connection to server)"
sh "$cluster" resume "$CL" $port
is "the store is as it was" "$(dump)" "$sum"
ok "doctor is clean" "$MLWB" --db "$W" doctor
ok "the import, run again, succeeds" "$MLWB" --db "$W" import --experiment imp --run cut big.csv
is "with every point" "$(psql -qAtX "$W" -c "SELECT sum(s.count) FROM metric_summary s JOIN runs r ON r.id = s.run_id WHERE r.name = 'cut'")" $((ROWS * 5))

done_testing
