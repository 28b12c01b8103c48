#!/bin/sh
# Deploys that verify themselves: the project's verify: command runs after
# a promotion's deploy; a failing check rolls the alias back (a rollback
# event with reason "verify failed: ...") and deploys the previous version
# again; a passing one keeps it; a check failing on its 3rd run inside the
# window rolls back; a first holder keeps the alias; the window from the
# project file; --no-verify, --detach, `model verify`, verify-status; a
# watch survives the hangup of its promoter; kill -9 of the watcher shows
# as lost; hostile bytes in verify's output are shown escaped.
. "$(dirname "$0")/lib.sh"
export USER=tester

cat > mlwb.yaml <<'EOF'
entry_points:
  deploy:
    command: sh deploy.sh
verify:
  run: sh check.sh
EOF
cat > deploy.sh <<'EOF'
echo "deploy v$MLWB_MODEL_VERSION as $MLWB_MODEL_ALIAS" >> deploys.log
EOF
# check.sh: counts its runs in ./count; fails when ./fail exists, or from
# run FAIL_AT on; writes what it saw to checks.log.
cat > check.sh <<'EOF'
n=$(cat count 2>/dev/null || echo 0); n=$((n + 1)); echo $n > count
echo "$MLWB_MODEL_NAME v$MLWB_MODEL_VERSION $MLWB_MODEL_ALIAS check $MLWB_VERIFY_CHECK watch $MLWB_VERIFY_WATCH" >> checks.log
[ -f hostile ] && { printf 'bad \033[31mred\033]0;title\007 \r\n'; exit 2; }
[ -f fail ] && { echo "  "; echo "health: 503 Service Unavailable"; echo more; exit 3; }
[ -n "$FAIL_AT" ] && [ "$n" -ge "$FAIL_AT" ] && { echo "p99 latency 900ms"; exit 1; }
[ -f hang ] && { echo probing; sleep 30; }
echo fine
EOF
for i in 1 2 3; do
	"$MLWB" log --new -e e --name "r$i" -m acc=0.$i >/dev/null
done
"$MLWB" model create clf >/dev/null
for i in 1 2 3; do "$MLWB" model register clf --run "r$i" >/dev/null; done
reset() { rm -f count fail deploys.log checks.log hostile hang; }
# hist: the events as "action,alias,from,to,deploy,reason" lines.
hist() {
	"$MLWB" model history clf --format json | python3 -c '
import json, sys
for e in json.load(sys.stdin):
    print(",".join("" if e[k] is None else str(e[k]) for k in
        ("action", "alias", "from", "to", "deploy", "reason")))'
}

# A first holder: verify passes.
ok "promote v1: deploy, then verify" "$MLWB" model promote clf 1 --to prod
like "says the check passed" "$(cat "$T/out")" "verify: check 1: passed"
is "verify saw the model's environment" "$(cat checks.log)" "clf v1 prod check 1 watch 0"
like "verify-start and verify-pass recorded" "$(hist | tail -2)" \
    "^verify-start,prod,,1,,watch 600s once pid [0-9]+
verify-pass,prod,,1,0,1 check passed$"
ok "verify-status: passed" "$MLWB" model verify-status clf --format csv
like "prod v1 passed" "$(cat "$T/out")" "^prod,1,passed,"

# A failing verify rolls the alias back and deploys the old version again.
reset; touch fail
exits 5 "promote v2 whose verify fails exits 5" "$MLWB" model promote clf 2 --to prod
like "names the failure and the rollback" "$(cat "$T/out")" \
    "verify: check 1: failed: exit status 3: health: 503 Service Unavailable
verify: prod rolled back: v2 -> v1 \(deployed again\)"
is "v2 deployed, then v1 again" "$(cat deploys.log)" "deploy v2 as prod
deploy v1 as prod"
like "the rollback event with its reason" "$(hist | tail -3)" \
    "^verify-start,prod,1,2,,watch 600s once pid [0-9]+
verify-fail,prod,,2,3,check 1: exit status 3: health: 503 Service Unavailable
rollback,prod,2,1,0,verify failed: exit status 3: health: 503 Service Unavailable$"
ok "model show" "$MLWB" model show clf --format csv
like "prod is v1 again" "$(cat "$T/out")" "^1,prod,"
ok "verify-status: failed" "$MLWB" model verify-status clf --format csv
like "prod v2 failed" "$(cat "$T/out")" "^prod,2,failed,.*check 1: exit status 3"
ok "the failing output is kept with verify-fail" "$MLWB" model history clf --format json
like "in deploy_output" "$(cat "$T/out")" '"action": ?"verify-fail".*"deploy_output": ?"  \\nhealth: 503 Service Unavailable\\nmore\\n"'
ok "doctor is clean" "$MLWB" doctor

# Every second for a window: the 3rd check fails, the alias rolls back.
reset
exits 5 "--watch 60s --every 1s, failing at check 3" env FAIL_AT=3 "$MLWB" model promote clf 2 --to prod --watch 60s --every 1s
like "two passes, then the failure" "$(cat "$T/out")" \
    "watching prod v2 for 1m00s, every 1s \(watcher pid [0-9]+\)
verify: check 1: passed
verify: check 2: passed
verify: check 3: failed: exit status 1: p99 latency 900ms
verify: prod rolled back: v2 -> v1"
is "three checks ran, with the window in the environment" "$(cat checks.log)" "clf v2 prod check 1 watch 60
clf v2 prod check 2 watch 60
clf v2 prod check 3 watch 60"
like "rolled back, recorded" "$(hist | tail -1)" "^rollback,prod,2,1,0,verify failed: exit status 1: p99 latency 900ms$"

# A window that passes: every check passes, the alias stays.
reset
ok "--watch 2s --every 1s passes" "$MLWB" model promote clf 3 --to prod --watch 2s --every 1s
like "two checks, passed" "$(cat "$T/out")" "check 2: passed"
like "verify-pass says so" "$(hist | tail -1)" "^verify-pass,prod,,3,0,2 checks passed in 2s$"
ok "model show" "$MLWB" model show clf --format csv
like "prod stays v3" "$(cat "$T/out")" "^3,prod,"

# No earlier holder: the alias is kept (nothing to roll back to).
reset; touch fail
exits 5 "a first holder whose verify fails exits 5" "$MLWB" model promote clf 3 --to canary
like "says it keeps the alias" "$(cat "$T/out")" "canary has no earlier holder than v3: kept"
like "verify-fail says so, no rollback" "$(hist | tail -1)" "^verify-fail,canary,,3,3,check 1: exit status 3: health: 503 Service Unavailable; no earlier holder: alias kept$"
ok "model show" "$MLWB" model show clf --format csv
like "canary stays v3" "$(cat "$T/out")" "^3,(canary prod|prod canary),"

# The window from the project file; a check past the window is killed.
cat > mlwb.yaml <<'EOF'
entry_points:
  deploy: sh deploy.sh
verify:
  run: sh check.sh
  watch: 3s
  every: 1s
EOF
reset; touch hang
exits 5 "a check still running at the window's end fails" "$MLWB" model promote clf 1 --to stage
like "timed out" "$(cat "$T/out")" "check 1: failed: timed out at the end of the 3s window: probing"
is "the window came from mlwb.yaml" "$(cat checks.log)" "clf v1 stage check 1 watch 3"
reset
ok "--no-verify skips it" "$MLWB" model promote clf 2 --to stage --no-verify
unlike "no verify line" "$(cat "$T/out")" "verify:"
is "verify did not run" "$(cat checks.log 2>/dev/null)" ""
exits 2 "a bad duration" "$MLWB" model promote clf 3 --to stage --watch 10x
like "names it" "$(cat "$T/err")" "--watch: '10x' is not a duration"

# model verify: the same watch on the current holder.
reset; touch fail
exits 5 "model verify of stage (v2) fails and rolls back" "$MLWB" model verify clf --alias stage --watch 1s
like "back to v1" "$(cat "$T/out")" "stage rolled back: v2 -> v1"
exits 1 "nobody holds it" "$MLWB" model verify clf --alias nobody
like "says so" "$(cat "$T/err")" "nobody holds nobody of model clf"

# Output with escape sequences is shown escaped.
reset; touch hostile
exits 5 "hostile output" "$MLWB" model verify clf --alias prod --watch 1s
like "escaped on the terminal" "$(cat "$T/out")" 'failed: exit status 2: bad \\e\[31mred\\e\]0;title\\x07$'
unlike "no raw escape" "$(cat "$T/out")" "$(printf '\033')"
ok "history table" "$MLWB" model history clf --format table
unlike "no raw escape in the history" "$(cat "$T/out")" "$(printf '\033')"

# --detach: the command returns, the watch goes on and ends on its own.
reset
ok "--detach returns at once" "$MLWB" model promote clf 2 --to stage --watch 2s --every 1s --detach
like "says where to look" "$(cat "$T/out")" "in the background"
i=0
until "$MLWB" model verify-status clf --format csv | grep -q "^stage,2,passed," || [ $i -ge 300 ]; do
	sleep 0.1; i=$((i + 1))
done
ok "verify-status" "$MLWB" model verify-status clf --format csv
like "the detached watch passed" "$(cat "$T/out")" "^stage,2,passed,"

# A hangup of the promoter leaves the watch running to its outcome.
reset
"$MLWB" model promote clf 3 --to stage --watch 3s --every 1s > hup.out 2>&1 &
ppid=$!
i=0
until grep -q "check 1" checks.log 2>/dev/null || [ $i -ge 300 ]; do
	sleep 0.1; i=$((i + 1))
done
kill -HUP $ppid
wait $ppid
i=0
until "$MLWB" model verify-status clf --format csv | grep -q "^stage,3,passed," || [ $i -ge 300 ]; do
	sleep 0.1; i=$((i + 1))
done
ok "verify-status" "$MLWB" model verify-status clf --format csv
like "the watch ended after the promoter's hangup" "$(cat "$T/out")" "^stage,3,passed,.*3 checks passed in 3s"

# kill -9 of the watcher: no outcome; verify-status says lost.
reset
"$MLWB" model promote clf 1 --to stage --watch 60s --every 1s > k9.out 2>&1 &
ppid=$!
i=0
until grep -q "check 1" checks.log 2>/dev/null || [ $i -ge 300 ]; do
	sleep 0.1; i=$((i + 1))
done
ok "verify-status while it runs" "$MLWB" model verify-status clf --format csv
like "watching, until the window's end" "$(cat "$T/out")" "^stage,1,watching,.*,20[0-9-]+ [0-9:]+,watch 60s every 1s pid"
wpid=$(sed -n 's/.*watcher pid \([0-9]*\).*/\1/p' k9.out)
kill -9 "$wpid"
wait $ppid
is "the promoter says the watcher died" "$?" 1
like "and how" "$(cat k9.out)" "the watcher \(pid $wpid\) ended without an outcome"
ok "verify-status after kill -9" "$MLWB" model verify-status clf --format csv
like "lost" "$(cat "$T/out")" "^stage,1,lost,"

# A pipeline's promote step with verify: the driver watches the new
# holder; a failing check rolls the alias back and fails the step.
cat > mlwb.yaml <<'EOF'
entry_points:
  deploy: sh deploy.sh
verify:
  run: sh check.sh
pipelines:
  ship:
    steps:
      promote:
        promote: {model: clf, alias: ship, version: '2'}
        verify: 5s
EOF
reset
ok "ship holds v1 first" "$MLWB" model promote clf 1 --to ship --no-verify
touch fail
exits 1 "the pipeline fails at its promote step" "$MLWB" pipeline run ship
ok "pipeline ls" "$MLWB" pipeline ls --format csv
like "failed at promote" "$(cat "$T/out")" "ship,.*failed"
like "the step ran verify for the new holder" "$(cat checks.log)" "^clf v2 ship check 1 watch 5$"
like "rolled back by verify" "$(hist | tail -1)" "^rollback,ship,2,1,0,verify failed: exit status 3: health: 503 Service Unavailable$"
is "and v1 deployed again" "$(tail -1 deploys.log)" "deploy v1 as ship"
ok "verify-status" "$MLWB" model verify-status clf --format csv
cp "$T/out" status.here

# The watches travel with push (as every registry event does).
O=$(store other)
ok "push to another store" "$MLWB" push --to "$O"
ok "verify-status there" "$MLWB" --db "$O" model verify-status clf --format csv
is "the same states there" "$(cat "$T/out")" "$(cat status.here)"
ok "history there" "$MLWB" --db "$O" model history clf --format csv
like "with the rollback's reason" "$(cat "$T/out")" "rollback,prod,2,1,.*verify failed: exit status 3: health: 503"
done_testing
