#!/bin/sh
# Jobs across hosts: a supervisor's heartbeat, a job of another host lost
# once its heartbeat is older than the limit (60 s), kept while it beats
# even though no pid of it can be checked here, and `jobs kill` naming the
# host to run it on.  The other host is faked by writing the job's host
# and heartbeat fields, as another box sharing the store would.
. "$(dirname "$0")/lib.sh"

cat >mlwb.yaml <<'YAML'
experiment: hosts
entry_points:
  nap: sh -c 'echo loss=1; sleep 30'
YAML
TAG=$$
"$MLWB" init >/dev/null
trap 'pg=$(wsql "SELECT pgid FROM jobs WHERE pgid > 0" 2>/dev/null)
    for p in $pg; do kill -9 -- "-$p" 2>/dev/null; done
    for p in $(wsql "SELECT supervisor_pid FROM jobs WHERE supervisor_pid > 0" 2>/dev/null); do kill -9 "$p" 2>/dev/null; done
    lib_cleanup' EXIT

# state RUN: the job's state as jobs ls shows it (jobs ls looks for lost jobs).
state() {
	"$MLWB" jobs ls --all --format csv | grep "^$1" | cut -d, -f5
}
now_ms() { echo $(( $(date +%s) * 1000 )); }

ok "launch a job detached" "$MLWB" launch nap --detach
R=$(grep -oE '[0-9a-f]{32}' "$T/out" | head -1)
i=0
while [ "$(state "$R")" != running ] && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
is "it runs" "$(state "$R")" running
i=0
while [ -z "$(wsql "SELECT heartbeat_at FROM jobs")" ] && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
hb=$(wsql "SELECT heartbeat_at FROM jobs")
st=$(wsql "SELECT started_at FROM jobs")
ok "the supervisor wrote a heartbeat when the job started" test -n "$hb" -a "$hb" -ge "$st"

# Its supervisor and the job die without a word (the box went down).
sup=$(wsql "SELECT supervisor_pid FROM jobs")
pg=$(wsql "SELECT pgid FROM jobs")
kill -9 "$sup"; kill -9 -- "-$pg" 2>/dev/null
# ... on another box, which beat 5 s ago: no pid check from here.
wsql "UPDATE jobs SET host = 'trainbox-7', heartbeat_at = $(( $(now_ms) - 5000 ))" >/dev/null
is "another host's job with a fresh heartbeat stays running" "$(state "$R")" running
exits 1 "jobs kill of another host's job refuses" "$MLWB" jobs kill "$R"
like "naming the host and the command" "$(cat "$T/err")" "the job runs on host trainbox-7, not here \\($(hostname)\\): run mlwb jobs kill $R on trainbox-7"
is "and asks nothing of its supervisor" "$(wsql "SELECT coalesce(kill_at, 0) FROM jobs")" 0

# Its heartbeat grows older than the limit (60 s): lost, on every box.
wsql "UPDATE jobs SET started_at = $(( $(now_ms) - 120000 )), heartbeat_at = $(( $(now_ms) - 61000 ))" >/dev/null
is "a heartbeat 61 s old: lost" "$(state "$R")" lost
is "the run says so too" "$("$MLWB" runs show "$R" --format csv | grep '^run,status,' | cut -d, -f3)" lost
e=$(wsql "SELECT ended_at - heartbeat_at FROM jobs")
is "its end is its last heartbeat" "$e" 0
exits 1 "a lost job of another host cannot be killed from here" "$MLWB" jobs kill "$R"

# On its own box the pid check stays: a dead supervisor is lost at once,
# whatever its heartbeat says.
ok "launch another" "$MLWB" launch nap --detach
R2=$(grep -oE '[0-9a-f]{32}' "$T/out" | head -1)
i=0
while [ "$(state "$R2")" != running ] && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
sup=$(wsql "SELECT supervisor_pid FROM jobs j JOIN runs r ON r.id = j.run_id WHERE r.uuid = '$R2'")
pg=$(wsql "SELECT pgid FROM jobs j JOIN runs r ON r.id = j.run_id WHERE r.uuid = '$R2'")
kill -9 "$sup"; kill -9 -- "-$pg" 2>/dev/null
sleep 0.2
wsql "UPDATE jobs SET heartbeat_at = $(now_ms) WHERE run_id = (SELECT id FROM runs WHERE uuid = '$R2')" >/dev/null
is "this host's dead supervisor: lost, fresh heartbeat or not" "$(state "$R2")" lost

done_testing
