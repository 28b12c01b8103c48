# writers: 8 processes write one PostgreSQL workspace at once (two
# imports, three `mlwb log` loops, two launched jobs, a promotion loop);
# each one's work is counted and compared with what is stored.  Run by
# `make check-pg` (it needs MLWB_TEST_DB, see doc/team.md).
. "$(dirname "$0")/../cli/lib.sh"
case $MLWB_DB in
postgres://*|postgresql://*) ;;
*)	echo "Bail out! tests/pg/writers.sh needs MLWB_TEST_DB=postgresql://..."
	exit 1 ;;
esac
ROWS=20000	# per import
LOGS=150	# points per log loop
BURST=30000	# metric lines per launched job
MOVES=12	# alias moves

ok "init" "$MLWB" init
for i in 1 2; do
	awk -v n=$ROWS -v s=$i 'BEGIN { print "step,loss,acc";
	    for (k = 0; k < n; k++) printf "%d,%.6g,%.6g\n", k, s / (k + 1),
	    k / n }' > "imp$i.csv"
done
mkdir proj
cat > proj/mlwb.yaml <<'YAML'
experiment: writers
entry_points:
  burst:
    command: ["sh", "-c", "awk -v n={n} 'BEGIN { for (i = 1; i <= n; i++) printf \"loss: %d\\n\", i }'"]
    parameters:
      n: {type: int, default: 10}
YAML
ok "a run for the model" "$MLWB" log --new -e writers --name base -m acc=0.5
ok "model create" "$MLWB" model create m
ok "register v1" "$MLWB" model register m --run writers/base
ok "register v2" "$MLWB" model register m --run writers/base

# The writers, all started before any is waited for.
pids=""
for i in 1 2; do
	"$MLWB" import --experiment writers --run imp$i "imp$i.csv" \
	    >"w-imp$i.out" 2>"w-imp$i.err" &
	pids="$pids $!"
done
for i in 1 2 3; do
	(
		"$MLWB" log --new -e writers --name log$i -p loop=$i || exit 1
		k=0
		while [ $k -lt $LOGS ]; do
			"$MLWB" log --run writers/log$i -m x=$k --step $k ||
			    exit 1
			k=$((k + 1))
		done
	) >"w-log$i.out" 2>"w-log$i.err" &
	pids="$pids $!"
done
for i in 1 2; do
	(cd proj && "$MLWB" launch burst -P n=$BURST --detach) \
	    >"w-job$i.out" 2>"w-job$i.err" &
	pids="$pids $!"
done
(
	k=0
	while [ $k -lt $MOVES ]; do
		"$MLWB" model promote m $((k % 2 + 1)) --to champion \
		    --reason "move $k" || exit 1
		k=$((k + 1))
	done
) >w-promote.out 2>w-promote.err &
pids="$pids $!"

n=0
for p in $pids; do
	wait "$p" && n=$((n + 1))
done
is "all 8 writers exited 0" "$n" 8
is "no writer printed an error" "$(cat w-*.err | grep -v '^run .* started' |
    grep -vi 'detach' | head -3)" ""

# The launched jobs finish on their own supervisors.
i=0
until [ "$("$MLWB" jobs ls --all --format csv | grep -c ',finished,')" = 2 ] ||
    [ $i -ge 600 ]; do
	sleep 0.1
	i=$((i + 1))
done
is "both jobs finished" "$("$MLWB" jobs ls --all --format csv |
    grep -c ',finished,')" 2

for i in 1 2; do
	is "import $i: every row stored" "$(wsql "SELECT s.count FROM
	    metric_summary s JOIN runs r ON r.id = s.run_id JOIN metric_keys k
	    ON k.id = s.key_id WHERE r.name = 'imp$i' AND k.name = 'loss'")" \
	    $ROWS
done
for i in 1 2 3; do
	is "log loop $i: every point stored" "$("$MLWB" metrics writers/log$i x \
	    --format csv | tail -n +2 | wc -l)" $LOGS
done
is "jobs: every point stored" "$(wsql "SELECT sum(s.count) FROM
    metric_summary s JOIN jobs j ON j.run_id = s.run_id")" $((2 * BURST))
is "every alias move recorded, in order" "$(wsql "SELECT string_agg(reason,
    ',' ORDER BY id) FROM registry_events WHERE action = 'promote'")" \
    "$(k=0; while [ $k -lt $MOVES ]; do printf 'move %d' $k;
    k=$((k + 1)); [ $k -lt $MOVES ] && printf ,; done)"
is "the alias holds the last move's version" "$(wsql "SELECT v.version
    FROM model_aliases a JOIN model_versions v ON v.id = a.version_id
    WHERE a.alias = 'champion'")" $(( (MOVES - 1) % 2 + 1 ))
# The run counts kept by triggers (exp_run_counts) with 8 writers at once.
is "exp ls counts what the runs table holds" "$("$MLWB" exp ls --all \
    --format csv | tail -n +2 | cut -d, -f1-4 | tr , '|' | sort)" \
    "$(wsql "SELECT e.name, count(r.id) FILTER (WHERE r.deleted_at IS NULL),
    count(r.id) FILTER (WHERE r.deleted_at IS NULL AND r.status = 'running'),
    count(r.id) FILTER (WHERE r.deleted_at IS NULL AND r.status = 'failed')
    FROM experiments e LEFT JOIN runs r ON r.experiment_id = e.id
    GROUP BY e.id, e.name" | sort)"
ok "doctor finds the workspace consistent" "$MLWB" doctor
done_testing
