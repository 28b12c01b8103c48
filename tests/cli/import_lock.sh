#!/bin/sh
# A long import takes the workspace's write lock only to publish what it
# parsed: writers running meanwhile (a training script's `mlwb log`) wait
# at most about a second and never fail, and the import stays all or
# nothing and invisible until it ends.  A kill -9 mid-import leaves the
# workspace as it was.  MLWB_LOCK_ROWS sets the size (default 2,000,000
# rows x 2 metrics, 62 MB); the worst wait seen is printed as a comment.
#
# Waits are compared with the import's own duration, not with a fixed
# time, so that the test holds on a loaded machine: before the stage, a
# writer waited for nearly the whole import (the parse held the lock).
. "$(dirname "$0")/lib.sh"

ROWS=${MLWB_LOCK_ROWS:-2000000}
awk -v n="$ROWS" 'BEGIN { print "step,loss,acc";
	for (i = 0; i < n; i++) printf "%d,%.12f,%.10f\n", i, 1 / (i + 1), i / n }' > "$T/big.csv"
ok "a run to log into" "$MLWB" log --new -e live --name train
RUN=$(cat "$T/out")

now_ms() { date +%s%3N; }
# The big run's loss count as the runs listing shows it ("" while absent).
count_of() {	# count_of RUN KEY
	"$MLWB" runs show "$1" --format csv 2>/dev/null |
	    sed -n "s/^metric,$2,.* count \([0-9]*\)\$/\1/p"
}
big_count() { count_of big/big loss; }

( t0=$(now_ms); "$MLWB" import --experiment big --run big "$T/big.csv" \
    > "$T/imp.out" 2> "$T/imp.err"; s=$?; echo $(($(now_ms) - t0)) > "$T/imp.ms"; exit $s ) &
pid=$!
n=0; fails=0; worst=0; partial=0
while kill -0 $pid 2>/dev/null; do
	t0=$(now_ms)
	"$MLWB" log --run "$RUN" -m loss=$n > /dev/null 2>> "$T/log.err" ||
	    fails=$((fails + 1))
	t1=$(now_ms)
	[ $((t1 - t0)) -gt $worst ] && worst=$((t1 - t0))
	n=$((n + 1))
	c=$(big_count)
	[ -z "$c" ] || [ "$c" = "$ROWS" ] || partial=$((partial + 1))
done
wait $pid
ok "the import succeeded" test $? = 0
took=$(cat "$T/imp.ms")
echo "# $n writes during the $took ms import; the longest took $worst ms"
ok "writers ran while it did (at least 5)" test $n -ge 5
is "none of them failed" "$fails $(head -c 300 "$T/log.err")" "0 "
ok "none waited half as long as the import (they wait for the publish only)" \
    test $((worst * 2)) -lt "$took"
is "never a partial import in sight" "$partial" 0
is "the import is whole" "$(big_count)" "$ROWS"
is "every write is there, in order" \
    "$("$MLWB" metrics "$RUN" loss --format csv | tail -n +2 | cut -d, -f3 | tr '\n' ' ')" \
    "$(i=0; while [ $i -lt $n ]; do printf '%d ' $i; i=$((i + 1)); done)"

# kill -9 while it parses: nothing of it appears, the workspace is sound.
{ cat "$T/big.csv"; echo "$ROWS,0.5,1"; } > "$T/big2.csv"
"$MLWB" import --experiment big2 --run big2 "$T/big2.csv" > /dev/null 2>&1 &
pid=$!
sleep 1
kill -9 $pid
wait $pid 2>/dev/null
ok "after a kill -9 mid-import, doctor finds nothing wrong" "$MLWB" doctor
is "and nothing of that import is there" \
    "$("$MLWB" runs ls -e big2 --format csv 2>/dev/null | tail -n +2)" ""
ok "the same file imports again in full" "$MLWB" import --experiment big2 --run big2 "$T/big2.csv"
is "whole" "$(count_of big2/big2 acc)" "$((ROWS + 1))"

done_testing
