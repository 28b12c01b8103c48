#!/bin/sh
# push, pull and merge (one sync, db_sync.c) between workspace files and
# the workspace under test ($MLWB_DB: a file, or under check-pg a
# PostgreSQL store): round trips that change nothing, updates that
# propagate (status, new points, params, tags, registry events, aliases),
# conflicts reported and left alone, idempotent re-runs, drift reports,
# jobs, the import ledger, experiment tags and logged models carried, and
# a sync killed before its commit leaving the receiver as it was.
. "$(dirname "$0")/lib.sh"

TEAM=$MLWB_DB
D=$top_srcdir/tests/data/drift
b1() { "$MLWB" --db box1.db "$@"; }
b2() { "$MLWB" --db box2.db "$@"; }
team() { "$MLWB" --db "$TEAM" "$@"; }
field() {	# field STORE RUN COLUMN: one field of runs show --format csv
	"$MLWB" --db "$1" runs show "$2" --format csv | grep "^run,$3," | cut -d, -f3
}

# A box with a run still running, and one finished.
R=$(b1 log --new -e cifar --name long -p lr=0.1 -t box=one -m loss=2.0)
b1 log --run "$R" -m loss=1.5 >/dev/null
F=$(b1 log --new -e cifar --name short -m acc=0.5)
b1 log --run "$F" --status finished >/dev/null

# Into the empty team store (created by the push).
ok "push into the empty team store" b1 push --to "$TEAM"
like "reports it" "$(cat "$T/out")" ": 2 new runs, 0 updated, 0 unchanged, 3 new points, 1 new experiments$"
is "the running run is there, running" "$(field "$TEAM" "$R" status)" running
ok "its points" team metrics "$R" loss --format csv
is "both points" "$(cut -d, -f1,3 "$T/out" | tail -n +2)" "0,2
1,1.5"
ok "params and tags came" team runs show "$R" --format csv
like "param" "$(cat "$T/out")" "^param,lr,0.1$"
like "tag" "$(cat "$T/out")" "^tag,box,one$"

# Round trips change nothing.
sum_team=$(wsum)
ok "push again" b1 push
like "nothing to send" "$(cat "$T/out")" ": 0 new runs, 0 updated, 2 unchanged, 0 new points"
cp box1.db box1.before
ok "pull from the team store" b1 pull --from "$TEAM"
like "nothing to bring" "$(cat "$T/out")" ": 0 new runs, 0 updated, 2 unchanged, 0 new points"
is "the team store is unchanged by the round trip" "$(wsum)" "$sum_team"
is "the box's runs are unchanged" "$("$MLWB" --db box1.db runs ls --format csv)" "$("$MLWB" --db box1.before runs ls --format csv)"

# The run kept running on the box: new points, a tag, then it ended.
b1 log --run "$R" -m loss=1.0 -m acc=0.7 -t note=better >/dev/null
b1 log --run "$R" -m loss=0.8 --status finished >/dev/null
ok "push the update (to the last peer)" b1 push
like "one run updated, 3 new points" "$(cat "$T/out")" ": 0 new runs, 1 updated, 1 unchanged, 3 new points"
is "status propagated" "$(field "$TEAM" "$R" status)" finished
ok "all points" team metrics "$R" loss --format csv
is "four loss points" "$(cut -d, -f1,3 "$T/out" | tail -n +2)" "0,2
1,1.5
2,1
3,0.8"
ok "new metric" team metrics "$R" acc --format csv
is "acc point" "$(cut -d, -f1,3 "$T/out" | tail -n +2)" "0,0.7"
ok "runs show" team runs show "$R" --format csv
like "new tag" "$(cat "$T/out")" "^tag,note,better$"
like "summary brought up to date" "$(cat "$T/out")" "^metric,loss,last 0.8 \\(step 3\\) +min 0.8 +max 2 +count 4$"
ok "doctor on the team store" team doctor

# A second box pulls it all, then the team store changes and it pulls again.
ok "box2 pulls" b2 pull --from "$TEAM"
like "two new runs" "$(cat "$T/out")" ": 2 new runs, 0 updated, 0 unchanged, 6 new points, 1 new experiments"
team log --run "$F" -t reviewed=yes >/dev/null
ok "box2 pulls again (its last peer)" b2 pull
like "one run updated" "$(cat "$T/out")" ": 0 new runs, 1 updated, 1 unchanged, 0 new points"
ok "the tag arrived" b2 runs show "$F" --format csv
like "reviewed" "$(cat "$T/out")" "^tag,reviewed,yes$"
ok "pulling once more" b2 pull
like "changes nothing" "$(cat "$T/out")" ": 0 new runs, 0 updated, 2 unchanged, 0 new points, 0 new experiments$"

# merge: a run that finished after an earlier merge is updated.
M=$("$MLWB" --db box3.db log --new -e mnist --name m -m loss=3)
ok "merge box3 while its run runs" team merge box3.db
"$MLWB" --db box3.db log --run "$M" -m loss=2 --status failed >/dev/null
ok "merge it again" team merge box3.db
is "merge reports the update" "$(cat "$T/out")" "box3.db: 0 new runs, 1 updated, 0 unchanged, 1 new points, 0 new experiments"
is "its status" "$(field "$TEAM" "$M" status)" failed
ok "merge once more" team merge box3.db
is "idempotent" "$(cat "$T/out")" "box3.db: 0 new runs, 0 updated, 1 unchanged, 0 new points, 0 new experiments"

# The registry: versions, events in order, aliases fast-forwarded.
b1 model create clf >/dev/null
b1 model register clf --run "$R" >/dev/null
b1 model register clf --run "$F" >/dev/null
b1 model promote clf 1 --to prod --reason first >/dev/null
ok "push the registry" b1 push
like "registry counted" "$(cat "$T/out")" "registry: 1 models, 2 versions, 4 events, 1 aliases moved"
ok "team history" team model history clf --format csv
hist_team=$(cut -d, -f2- "$T/out")
ok "box history" b1 model history clf --format csv
is "the same history, in the same order" "$hist_team" "$(cut -d, -f2- "$T/out")"
ok "box2 pulls the registry" b2 pull
b1 model promote clf 2 --to prod --reason second >/dev/null
ok "a move on box1 only" b1 push
like "fast-forwards the alias" "$(cat "$T/out")" "registry: 0 models, 0 versions, 1 events, 1 aliases moved"
ok "team model show" team model show clf --format csv
like "prod is v2 there" "$(cat "$T/out")" "^2,prod,"

# box2 (prod still v1 there) moves prod on its own, to a version of its
# own: the version travels, the alias is a conflict both ways.
b2 model register clf --run "$R" >/dev/null
b2 model promote clf 3 --to prod --reason mine >/dev/null
exits 3 "push with a conflict exits 3" b2 push
like "the conflict is named" "$(cat "$T/err")" "conflict: model clf alias prod: moved here \\(now version 2\\) and in .*box2.db \\(now version 3\\) since they last agreed"
like "the rest is sent" "$(cat "$T/out")" "registry: 0 models, 1 versions, 1 events, 0 aliases moved; 1 conflicts left as they were"
ok "team model show" team model show clf --format csv
like "prod is still v2 there" "$(cat "$T/out")" "^2,prod,"
like "v3 arrived" "$(cat "$T/out")" "^3,,"
is "box2's move is not in the team's history" "$(team model history clf --format csv | grep -c ',mine,')" 0
sum_team=$(wsum)
exits 3 "again: the same conflict" b2 push
is "nothing else changed" "$(wsum)" "$sum_team"
exits 3 "pull reports it from the other side" b2 pull
like "named" "$(cat "$T/err")" "conflict: model clf alias prod: moved here \\(now version 3\\) and in .* \\(now version 2\\)"
ok "box2 keeps its prod" b2 model show clf --format csv
like "v3" "$(cat "$T/out")" "^3,prod,"

# The same version number registered differently on two boxes.
"$MLWB" --db box4.db log --new -e other --name x -m a=1 >/dev/null
"$MLWB" --db box4.db model create clf >/dev/null
"$MLWB" --db box4.db model register clf --run x >/dev/null
exits 3 "a version registered differently is a conflict" team merge box4.db
like "named with both runs" "$(cat "$T/err")" "conflict: model clf version 1: registered here from run $R and in .*box4.db from run [0-9a-f]{32}"

# Drift reports and ended jobs travel too.
b1 drift "$D/seattle_2012.csv" "$D/seattle_2015.csv" --columns temp_max,wind --save weather >/dev/null
cat >mlwb.yaml <<'YAML'
experiment: jobs
entry_points:
  hello: sh -c 'echo loss=0.5'
YAML
ok "a job runs on box1" b1 launch hello
ok "push them" b1 push
like "one drift report, one job" "$(cat "$T/out")" "; 1 drift reports; 1 jobs$"
ok "drift ls on the team store" team drift ls --format csv
like "the report" "$(cat "$T/out")" "weather"
ok "jobs ls on the team store" team jobs ls --all --format csv
like "the job, finished" "$(cat "$T/out")" "hello.*finished"
ok "push once more" b1 push
unlike "nothing sent twice" "$(cat "$T/out")" "drift reports|jobs|registry"

# A sync killed before its commit leaves the receiver as it was.
b1 log --run "$F" -m extra=1 >/dev/null
sum_team=$(wsum)
MLWB_TEST_SYNC_STALL="$T/stalled" "$MLWB" --db box1.db push >/dev/null 2>&1 &
pid=$!
ok "the sync reached its commit" wait_file "$T/stalled"
kill -9 $pid
wait $pid 2>/dev/null
is "the team store is as before" "$(wsum)" "$sum_team"
ok "doctor after the kill" team doctor
ok "the next push sends it" b1 push
like "one run updated" "$(cat "$T/out")" ": 0 new runs, 1 updated, .* 1 new points"

# A param changed in place to a value of the same length.
b1 log --run "$R" -p lr=0.2 >/dev/null
ok "push a param changed in place, same length" b1 push
like "one run updated" "$(cat "$T/out")" ": 0 new runs, 1 updated, "
ok "runs show" team runs show "$R" --format csv
like "the new value" "$(cat "$T/out")" "^param,lr,0.2$"

# The import ledger travels: the team store knows the file.
printf 'step,loss\n0,1\n1,0.5\n' >small.csv
ok "import on box1" b1 import --experiment files small.csv
ok "push it" b1 push
like "with its ledger row" "$(cat "$T/out")" "; 1 imported files$"
is "the run keeps its ledger row" "$(wsql "SELECT i.path FROM runs r JOIN
    imports i ON i.id = r.import_id WHERE r.name = 'small'")" "$PWD/small.csv"
ok "importing the file on the team store" team import --experiment files small.csv
like "adds nothing" "$(cat "$T/out")" "already imported, nothing added"

# MLflow 3 logged models (with their params, tags, metric values) and
# experiment tags travel; a tag changed on both sides is a conflict.
sqlite3 v3.db <"$top_srcdir/tests/data/mlflow/v3.sql"
"$MLWB" --db boxm.db import-mlflow v3.db >/dev/null
bm() { "$MLWB" --db boxm.db "$@"; }
ok "push logged models and experiment tags" bm push --to "$TEAM"
like "counted" "$(cat "$T/out")" "; 5 logged models; 2 experiment tags"
is "logged models, params, tags, metric values" \
    "$(wsql "SELECT (SELECT count(*) FROM logged_models) || ' ' ||
    (SELECT count(*) FROM logged_model_params) || ' ' ||
    (SELECT count(*) FROM logged_model_tags) || ' ' ||
    (SELECT count(*) FROM logged_model_metrics)")" "5 8 4 12"
LM2=m-$(printf v2 | md5sum | cut -c1-32)
is "a logged model's run" "$(wsql "SELECT r.name FROM logged_models m
    JOIN runs r ON r.id = m.run_id WHERE m.uuid = '$LM2'")" "resnet-a"
is "experiment tags" "$(wsql "SELECT key || '=' || value FROM
    experiment_tags ORDER BY 1" | tr '\n' ' ')" \
    "mlflow.note.content=Image models team=vision-squad "
ok "push again" bm push
unlike "nothing sent twice" "$(cat "$T/out")" "logged models|experiment tags|imported"
sqlite3 boxm.db "UPDATE logged_model_params SET value = '0.5' WHERE key =
    'lr' AND logged_model_id = (SELECT id FROM logged_models WHERE uuid =
    '$LM2'); UPDATE logged_models SET updated_at = updated_at + 1 WHERE
    uuid = '$LM2'; UPDATE experiment_tags SET value = 'eyes' WHERE key =
    'team'"
exits 3 "a logged model changed, and an experiment tag on both sides" bm push
like "the tag is a conflict" "$(cat "$T/err")" \
    "conflict: experiment vision tag team: 'vision-squad' here, 'eyes' in .*boxm.db; kept this one's"
like "the logged model is brought up to date" "$(cat "$T/out")" "; 1 logged models"
is "its param" "$(wsql "SELECT p.value FROM logged_model_params p JOIN
    logged_models m ON m.id = p.logged_model_id WHERE m.uuid = '$LM2' AND
    p.key = 'lr'")" "0.5"
is "the team keeps its tag" "$(wsql "SELECT value FROM experiment_tags
    WHERE key = 'team'")" "vision-squad"

# Errors.
exits 2 "pull with no peer yet" "$MLWB" --db fresh.db pull
like "says so" "$(cat "$T/err")" "has not synced with another store yet: name one with --from"
exits 1 "pull from a missing file" b1 pull --from nope.db
like "names it" "$(cat "$T/err")" "nope.db"
exits 2 "push to itself" b1 push --to box1.db
like "refused" "$(cat "$T/err")" "cannot sync a workspace with itself"

done_testing
