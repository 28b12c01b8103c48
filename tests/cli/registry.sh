#!/bin/sh
# `mlwb model`: every subcommand and exit status (2 usage, 3 gate refused,
# 4 deploy failed), artifact hashes of files and directories, MLflow stage
# names, rollback after several promotions, a history nothing can rewrite,
# 12 concurrent promotions of one alias, and the doctor check.
. "$(dirname "$0")/lib.sh"
D="$top_srcdir/tests/data/registry"
export USER=tester
# A PostgreSQL store keeps artifacts only under a root that is set.
case $MLWB_DB in postgres://*|postgresql://*)
	"$MLWB" config artifact-root "$T/artifacts" >/dev/null ;;
esac

# Three runs: val_loss 0.5, 0.3, 0.4; acc 0.7, 0.9, 0.8.
i=0
for l in 0.5 0.3 0.4; do
	i=$((i + 1))
	R=$("$MLWB" log --new -e cls --name "r$i" -m val_loss=$l -m acc=0.$((6 + i)))
	eval "R$i=$R"
	"$MLWB" log --run "$R" --status finished
done
"$MLWB" log --run "$R2" -m acc=0.9 >/dev/null

ok "model create" "$MLWB" model create clf --description "image classifier"
is "says so" "$(cat "$T/out")" "model clf created"
exits 1 "create twice" "$MLWB" model create clf
like "already exists" "$(cat "$T/err")" "model 'clf' already exists"
exits 1 "a name with a slash" "$MLWB" model create a/b
like "explains why" "$(cat "$T/err")" "models:/ URIs"
ok "register v1 with a directory artifact" "$MLWB" model register clf --run cls/r1 --artifact "$D/model-dir"
is "version 1" "$(cat "$T/out")" "clf: version 1 registered"
ok "register v2 with a file artifact" "$MLWB" model register clf --run "$R2" --artifact "$D/model.pkl" --description "more data"
ok "register v3 without artifact" "$MLWB" model register clf --run r3
exits 1 "register from an unknown run" "$MLWB" model register clf --run nope
like "names the run" "$(cat "$T/err")" "run 'nope' not found"
exits 1 "register a missing artifact" "$MLWB" model register clf --run r1 --artifact missing.bin
like "names the file" "$(cat "$T/err")" "missing.bin: No such file"
exits 2 "register without --run" "$MLWB" model register clf
exits 1 "register to an unknown model" "$MLWB" model register zzz --run r1
like "names it" "$(cat "$T/err")" "no model named 'zzz'"

ok "model show" "$MLWB" model show clf --format csv
like "v1 with the directory's sha256 (as sha256sum over sorted files)" "$(cat "$T/out")" \
    "^1,,cls/r1,acc=0.7 val_loss=0.5,622290023624648fa0da78aa8842f142adf3439fa29d8a5290f35fa2e88ff48f,"
like "v2 with the file's sha256" "$(cat "$T/out")" \
    "^2,,cls/r2,acc=0.9 val_loss=0.3,0dca3038a927fc36c0ddc3f116dab6417242444342747177035c503cb8a38db0,.*,more data,$"
if command -v sha256sum >/dev/null; then
	h=$(cd "$D/model-dir" && find . -type f | sed 's|^\./||' | LC_ALL=C sort | xargs sha256sum | sha256sum | cut -c1-64)
	like "the directory hash is what coreutils computes" "$(cat "$T/out")" "$h"
fi
ok "model show --format json" "$MLWB" model show clf --format json
like "metrics as an object" "$(cat "$T/out")" '"metrics": ?\{"acc": ?0.9, ?"val_loss": ?0.3\}'
ok "model show table" "$MLWB" model show clf --format table
like "sha256 prefix in the table" "$(cat "$T/out")" "0dca3038a927 "
exits 1 "show an unknown model" "$MLWB" model show nope

ok "promote v1 to champion" "$MLWB" model promote clf 1 --to champion --reason "first model"
is "from nobody" "$(cat "$T/out")" "clf: champion nobody -> v1"
ok "gate on val_loss: v3 (0.4) beats v1 (0.5)" "$MLWB" model promote clf 3 --to champion --gate val_loss
like "says pass with both values" "$(cat "$T/out")" "gate: val_loss 0.4 vs 0.5 \(v1, lower is better\): pass"
exits 3 "gate refuses v1 (0.5) against v3 (0.4)" "$MLWB" model promote clf 1 --to champion --gate val_loss
like "shows both values" "$(cat "$T/err")" "val_loss 0.5 vs 0.4 \(v3, lower is better\): refused"
exits 3 "acc is higher-is-better: v1 (0.7) loses to v3 (0.8)" "$MLWB" model promote clf 1 --to champion --gate acc
exits 3 "a metric the candidate lacks refuses" "$MLWB" model promote clf 1 --to champion --gate f1
like "saying so" "$(cat "$T/err")" "v1 has no value"
ok "--force overrides" "$MLWB" model promote clf 1 --to champion --gate val_loss --force --reason "rollback test"
like "and says forced" "$(cat "$T/out")" "refused \(forced\)"
ok "v2 beats v1 on val_loss:min" "$MLWB" model promote clf 2 --to champion --gate val_loss:min
ok "v3 forced over v2" "$MLWB" model promote clf 3 --to champion --gate val_loss --force
exits 2 "promote without --to" "$MLWB" model promote clf 1
exits 2 "promote a non-number version" "$MLWB" model promote clf one --to champion
exits 1 "promote an unknown version" "$MLWB" model promote clf 7 --to champion
like "says which" "$(cat "$T/err")" "model clf has no version 7"
exits 1 "a bad alias" "$MLWB" model promote clf 1 --to "bad alias"
exits 1 "a bad gate direction" "$MLWB" model promote clf 1 --to champion --gate val_loss:best
ok "MLflow stage name as alias" "$MLWB" model promote clf 2 --to Production
is "normalised" "$(cat "$T/out")" "clf: production nobody -> v2"
exits 1 "promoting a version to the alias it holds is refused" "$MLWB" model promote clf 2 --to production
like "says so" "$(cat "$T/err")" "clf v2 already holds production: nothing to promote"

# Holders of champion: 1, 3, 1, 2, 3.
ok "rollback" "$MLWB" model rollback clf --alias champion --reason "bad canary"
is "3 -> 2" "$(cat "$T/out")" "clf: champion v3 -> v2"
ok "rollback again" "$MLWB" model rollback clf --alias champion
is "2 -> 1" "$(cat "$T/out")" "clf: champion v2 -> v1"
ok "and again" "$MLWB" model rollback clf --alias champion
is "1 -> 3" "$(cat "$T/out")" "clf: champion v1 -> v3"
ok "and again" "$MLWB" model rollback clf --alias champion
is "3 -> 1" "$(cat "$T/out")" "clf: champion v3 -> v1"
exits 1 "nothing before the first holder" "$MLWB" model rollback clf --alias champion
like "says so" "$(cat "$T/err")" "no earlier holder"
exits 1 "rollback an alias nobody holds" "$MLWB" model rollback clf --alias staging
exits 2 "rollback without --alias" "$MLWB" model rollback clf

# model path serves the registered bytes from the artifact store, checked.
AR=$("$MLWB" config artifact-root)
ok "model path @alias" "$MLWB" model path models:/clf@champion
is "the directory, rebuilt from the store" "$(cat "$T/out")" "$AR/trees/622290023624648fa0da78aa8842f142adf3439fa29d8a5290f35fa2e88ff48f"
ok "with the registered files" diff -r "$D/model-dir" "$(cat "$T/out")"
ok "model path /VERSION" "$MLWB" model path models:/clf/2
is "the file's blob" "$(cat "$T/out")" "$AR/blobs/0d/ca3038a927fc36c0ddc3f116dab6417242444342747177035c503cb8a38db0"
ok "with its bytes" cmp "$D/model.pkl" "$(cat "$T/out")"
ok "model path /Production (MLflow form)" "$MLWB" model path models:/clf/Production
is "v2's file" "$(cat "$T/out")" "$AR/blobs/0d/ca3038a927fc36c0ddc3f116dab6417242444342747177035c503cb8a38db0"
ok "the version's artifact is also the run's" "$MLWB" artifacts ls cls/r2 --format csv
like "named after the file, same sha256" "$(cat "$T/out")" "^model.pkl,file,.*,0dca3038a927fc36c0ddc3f116dab6417242444342747177035c503cb8a38db0,"
exits 1 "latest has no artifact" "$MLWB" model path models:/clf/latest
like "says so" "$(cat "$T/err")" "version 3 has no artifact"
exits 1 "unheld alias" "$MLWB" model path models:/clf@staging
exits 1 "not a model URI" "$MLWB" model path runs:/x
like "shows the forms" "$(cat "$T/err")" "models:/NAME@ALIAS or models:/NAME/VERSION"

ok "model ls" "$MLWB" model ls --format csv
like "versions, latest, aliases" "$(cat "$T/out")" "^clf,3,3,champion=1 production=2,.*,image classifier$"

ok "model history" "$MLWB" model history clf --format csv
is "every event, in order" "$(cut -d, -f2-5 "$T/out" | tr '\n' ' ')" \
    "action,alias,from,to create,,, register,,,1 register,,,2 register,,,3 promote,champion,,1 promote,champion,1,3 refuse,champion,3,1 refuse,champion,3,1 refuse,champion,3,1 promote,champion,3,1 promote,champion,1,2 promote,champion,2,3 promote,production,,2 rollback,champion,3,2 rollback,champion,2,1 rollback,champion,1,3 rollback,champion,3,1 "
like "who is \$USER@host" "$(cat "$T/out")" ",tester@"
like "forced and its reason" "$(cat "$T/out")" "promote,champion,3,1,tester@[^,]*,val_loss:min,.*refused\",true,,rollback test,"
like "rollback reason" "$(cat "$T/out")" "rollback,champion,3,2,.*,bad canary,"
ok "history as JSON" "$MLWB" model history clf --format json
like "forced is a boolean" "$(cat "$T/out")" '"forced": ?true'

ok "doctor is clean" "$MLWB" doctor
if command -v sqlite3 >/dev/null; then
	wsql "UPDATE registry_events SET reason = 'rewritten'" 2>"$T/err"
	[ $? != 0 ]; _report $? "UPDATE on events is refused"
	like "by the trigger" "$(cat "$T/err")" "append-only"
	wsql "DELETE FROM registry_events" 2>"$T/err"
	[ $? != 0 ]; _report $? "DELETE on events is refused"
	is "history intact" "$(wsql "SELECT count(*) FROM registry_events WHERE reason = 'rewritten'")" 0
	wsql "UPDATE model_aliases SET version_id = (SELECT id FROM model_versions WHERE version = 2) WHERE alias = 'champion'"
	exits 1 "doctor sees an alias moved behind the history's back" "$MLWB" doctor
	like "naming it" "$(cat "$T/out")" "alias champion is held by version 2 but its last event says version 1"
	wsql "UPDATE model_aliases SET version_id = (SELECT id FROM model_versions WHERE version = 1) WHERE alias = 'champion'"
	# SQLite only: REPLACE and tampered files (the UPDATE and DELETE
	# refusals above run on both stores).
	if [ -z "${MLWB_TEST_DB:-}" ]; then
		# REPLACE deletes the old row without firing DELETE triggers.
		before=$(sqlite3 "$MLWB_DB" "SELECT * FROM registry_events WHERE id = 2")
		sqlite3 "$MLWB_DB" "INSERT OR REPLACE INTO registry_events (id, model_id, action, at) VALUES (2, 1, 'rewritten', 0)" 2>"$T/err"
		[ $? != 0 ]; _report $? "INSERT OR REPLACE on an event is refused"
		like "by the trigger" "$(cat "$T/err")" "append-only"
		sqlite3 "$MLWB_DB" "REPLACE INTO registry_events (id, model_id, action, at) VALUES (2, 1, 'rewritten', 0)" 2>"$T/err"
		[ $? != 0 ]; _report $? "REPLACE INTO too"
		is "the event is as it was" "$(sqlite3 "$MLWB_DB" "SELECT * FROM registry_events WHERE id = 2")" "$before"
		ok "doctor is clean again" "$MLWB" doctor
		# Guards removed behind mlwb's back: doctor names them.
		cp "$MLWB_DB" "$T/tamper.db"
		sqlite3 "$T/tamper.db" "DROP TRIGGER registry_events_no_delete; DELETE FROM registry_events WHERE id IN (4, 5)"
		exits 1 "doctor sees a dropped trigger and deleted events" "$MLWB" --db "$T/tamper.db" doctor
		like "the trigger" "$(cat "$T/out")" "trigger registry_events_no_delete is missing"
		like "the hole" "$(cat "$T/out")" "2 of events 1 to [0-9]+ missing \(deleted\), the first 4"
		cp "$MLWB_DB" "$T/tamper2.db"
		sqlite3 "$T/tamper2.db" "DROP TRIGGER registry_events_no_update; CREATE TRIGGER registry_events_no_update BEFORE UPDATE ON registry_events BEGIN SELECT 1; END"
		exits 1 "doctor sees a trigger that no longer refuses" "$MLWB" --db "$T/tamper2.db" doctor
		like "names it" "$(cat "$T/out")" "registry_events_no_update is changed"
		# A workspace of schema version 2 (before the REPLACE guard) is migrated.
		cp "$MLWB_DB" "$T/v1.db"
		sqlite3 "$T/v1.db" "DROP TRIGGER registry_events_no_replace; DROP TRIGGER registry_events_count; DROP TABLE registry_events_written; PRAGMA user_version = 2"
		exits 1 "doctor (read-only, no migration) names the missing guard" "$MLWB" --db "$T/v1.db" doctor
		like "the REPLACE trigger" "$(cat "$T/out")" "trigger registry_events_no_replace is missing"
		like "and the missing count" "$(cat "$T/out")" "the count of events written is missing"
		ok "a write command migrates a version-2 workspace" "$MLWB" --db "$T/v1.db" init
		ok "doctor is clean after" "$MLWB" --db "$T/v1.db" doctor
		is "at the latest version" "$(sqlite3 "$T/v1.db" "PRAGMA user_version")" "$(sqlite3 "$MLWB_DB" "PRAGMA user_version")"
		is "the count is of the events there" "$(sqlite3 "$T/v1.db" "SELECT n = (SELECT count(*) FROM registry_events) FROM registry_events_written")" 1
		sqlite3 "$T/v1.db" "INSERT OR REPLACE INTO registry_events (id, model_id, action, at) VALUES (2, 1, 'rewritten', 0)" 2>"$T/err"
		[ $? != 0 ]; _report $? "where REPLACE is refused now"
		ok "its history is intact" "$MLWB" --db "$T/v1.db" model history clf
	fi
fi

exits 1 "--read-only" "$MLWB" --read-only model promote clf 2 --to champion
like "says read-only" "$(cat "$T/err")" "read-only"

# 12 promotions of one alias at the same moment, from 12 processes.
ok "model for the race" "$MLWB" model create race
for v in 1 2 3 4 5 6 7 8 9 10 11 12; do
	"$MLWB" --quiet model register race --run r$(( (v % 3) + 1 )) --artifact "$D/model.pkl" || echo "register $v failed"
done
i=0
while [ $i -lt 12 ]; do
	( "$MLWB" --quiet model promote race $(( i + 1 )) --to champion --reason "p$i" \
	    --no-deploy 2>"$T/race.$i.err"; echo $? > "$T/race.$i" ) &
	i=$((i + 1))
done
wait
fails=0
i=0
while [ $i -lt 12 ]; do
	[ "$(cat "$T/race.$i")" = 0 ] || { fails=$((fails + 1)); sed 's/^/#   /' "$T/race.$i.err"; }
	i=$((i + 1))
done
is "all 12 promotions succeeded" "$fails" 0
"$MLWB" model history race --format csv | grep ',promote,' > "$T/race.csv"
is "none lost: 12 promote events" "$(wc -l < "$T/race.csv" | tr -d ' ')" 12
is "12 different reasons" "$(cut -d, -f11 "$T/race.csv" | sort -u | wc -l | tr -d ' ')" 12
# Serialised: each event's from is the previous event's to.
chain=$(awk -F, 'NR > 1 && $4 != prev { bad++ } { prev = $5 } END { print bad + 0 }' "$T/race.csv")
is "serialised: each from is the previous to" "$chain" 0
last=$(tail -1 "$T/race.csv" | cut -d, -f5)
ok "champion resolves" "$MLWB" model path models:/race@champion
"$MLWB" model ls --format csv | grep '^race,' > "$T/race.ls"
like "the holder is the last event's version" "$(cat "$T/race.ls")" "champion=$last"
ok "doctor clean after the race" "$MLWB" doctor

# The deploy hook and gates from the project file (mlwb.yaml).
cp -R "$D/proj" proj
cd proj || exit 1
ok "promote runs the project's deploy entry" "$MLWB" model promote clf 2 --to staging --reason "deploy test"
like "and reports its status" "$(cat "$T/out")" "deploy: exit status 0"
"$MLWB" model history clf --format json > "$T/hist.json"
like "the deploy script saw the model in its environment" "$(cat "$T/hist.json")" \
    "deploying clf v2 as staging to cluster-a"
like "MLWB_MODEL_ARTIFACT" "$(cat "$T/hist.json")" "artifact=$(cd "$D" && pwd -P)/model.pkl"
like "MLWB_MODEL_SHA256" "$(cat "$T/hist.json")" "sha256=0dca3038a927fc36c0ddc3f116dab6417242444342747177035c503cb8a38db0"
like "status kept with the event" "$(cat "$T/hist.json")" '"action": ?"promote", ?"alias": ?"staging".*"deploy": ?0'
exits 4 "a failing deploy exits 4" env DEPLOY_FAIL=1 "$MLWB" model promote clf 1 --to staging
like "shows the deploy's output" "$(cat "$T/err")" "health check failed"
is "its lines as lines, no literal \\n" "$(grep '^  ' "$T/err" | sed 's/=.*/=/')" \
    "$(printf '  deploying clf v1 as staging to cluster-a\n  artifact=\n  sha256=\n  health check failed')"
like "and says the alias stayed" "$(cat "$T/err")" "alias left where it was"
"$MLWB" model ls --format csv > "$T/ls"
like "staging still on v2" "$(cat "$T/ls")" "staging=2"
"$MLWB" model history clf --format csv > "$T/hist.csv"
like "recorded as deploy-failed with status 1 and its output" "$(cat "$T/hist.csv")" "^[^,]*,deploy-failed,staging,2,1,[^,]*,,,false,1,,\"deploying clf v1"
exits 4 "--keep-on-failure moves it anyway" env DEPLOY_FAIL=1 "$MLWB" model promote clf 1 --to staging --keep-on-failure
"$MLWB" model ls --format csv > "$T/ls"
like "staging on v1" "$(cat "$T/ls")" "staging=1"
ok "rollback deploys too" "$MLWB" model rollback clf --alias staging
like "back to v2, deployed" "$(cat "$T/out")" "clf: staging v1 -> v2
deploy: exit status 0"
ok "--no-deploy skips it" env DEPLOY_FAIL=1 "$MLWB" model promote clf 1 --to canary --no-deploy
unlike "no deploy line" "$(cat "$T/out")" "deploy:"
ok "the project's gate for a model" "$MLWB" model create gated
"$MLWB" --quiet model register gated --run r2
"$MLWB" --quiet model register gated --run r1
ok "v1 first" "$MLWB" model promote gated 1 --to champion --no-deploy
exits 3 "gates: in mlwb.yaml refuses v2 (0.5) against v1 (0.3)" "$MLWB" model promote gated 2 --to champion --no-deploy
like "with the file's gate" "$(cat "$T/err")" "val_loss 0.5 vs 0.3 \(v1, lower is better\): refused"
ok "--gate on the command line wins" "$MLWB" model promote gated 2 --to champion --gate acc:min --no-deploy
# A deploy slower than SQLite's busy timeout (5 s) holds no database lock:
# other writers go on, and a second promotion waits its turn.
( DEPLOY_SLEEP=7 "$MLWB" model promote clf 2 --to slow >"$T/slow.out" 2>&1
  echo $? > "$T/slow.st" ) &
slow=$!
i=0
until [ -f deploying ] || [ -f "$T/slow.st" ] || [ $i -ge 50 ]; do
	sleep 0.1; i=$((i + 1))	# until the deploy script runs
done
ok "a run is logged while the slow deploy runs" "$MLWB" log --new -e during --name x
[ ! -f "$T/slow.st" ]
_report $? "before the deploy has ended"
ok "a second promotion during the deploy waits its turn" "$MLWB" model promote clf 1 --to slow --no-deploy
wait $slow
is "the slow promotion succeeded" "$(cat "$T/slow.st")" 0
"$MLWB" model history clf --format csv | grep ',slow,' > "$T/slow.csv"
like "in order: v2 deployed, then v1 from v2" "$(cat "$T/slow.csv")" "promote,slow,,2,.*
.*promote,slow,2,1,"
ok "doctor clean" "$MLWB" doctor
# A promoter killed (kill -9) mid-deploy: its deploy keeps the registry
# lock until it ends, so the next promotion does not deploy over it, and
# that promotion records the lost outcome as deploy-orphaned.
rm -f deploying
( DEPLOY_SLEEP=3 DEPLOY_LOG="$T/deploys" exec "$MLWB" model promote clf 2 --to orphan >/dev/null 2>&1 ) &
killed=$!
i=0
until [ -f deploying ] || [ $i -ge 50 ]; do sleep 0.1; i=$((i + 1)); done
kill -9 $killed
wait $killed 2>/dev/null
ok "the next promotion (with its deploy) succeeds" env DEPLOY_LOG="$T/deploys" "$MLWB" model promote clf 1 --to orphan
is "after the killed promoter's deploy had ended: no overlap" "$(tr '\n' ' ' < "$T/deploys")" "start 2 end 2 start 1 end 1 "
"$MLWB" model history clf --alias orphan --format csv > "$T/orphan.csv"
# The deploy marker: in the lock file beside a SQLite workspace, in table
# deploy_markers on PostgreSQL (where the guardian keeps the promoter's
# connection, and with it the advisory lock).
like "the lost deploy is recorded as deploy-orphaned" "$(cat "$T/orphan.csv")" ",deploy-orphaned,orphan,,2,.*promoter \(pid $killed on"
like "then the promotion" "$(tr '\n' ' ' < "$T/orphan.csv")" ",deploy-orphaned,orphan,,2,.*,promote,orphan,,1,"
ok "doctor clean" "$MLWB" doctor
ok "a promotion after that records nothing more" "$MLWB" model promote clf 2 --to orphan --no-deploy
is "one orphan only" "$("$MLWB" model history clf --alias orphan --format csv | grep -c deploy-orphaned)" 1
cd .. || exit 1
cp -R "$D/badproj" badproj
cd badproj || exit 1
n=$("$MLWB" model history clf --format csv | wc -l)
exits 1 "a broken project file stops the promotion" "$MLWB" model promote clf 3 --to staging
like "with file:line" "$(cat "$T/err")" "mlwb.yaml:[0-9]+"
is "and nothing was written" "$("$MLWB" model history clf --format csv | wc -l)" "$n"
cd .. || exit 1
ok "--project names the file" "$MLWB" --project "$T/proj/mlwb.yaml" model promote clf 3 --to staging
like "deployed from there" "$(cat "$T/out")" "deploy: exit status 0"
ok "doctor is clean" "$MLWB" doctor

# The newest events deleted behind the triggers' back leave no hole in the
# ids; the count of events written still sees it, on both stores, also
# after SQLite hands the deleted ids out again.
if command -v sqlite3 >/dev/null; then
	case $MLWB_DB in
	postgres://*|postgresql://*)
		off="ALTER TABLE registry_events DISABLE TRIGGER registry_events_no_delete"
		on="ALTER TABLE registry_events ENABLE TRIGGER registry_events_no_delete" ;;
	*)	off="DROP TRIGGER registry_events_no_delete"
		on="CREATE TRIGGER registry_events_no_delete BEFORE DELETE ON registry_events BEGIN SELECT RAISE(ABORT, 'registry_events is append-only'); END" ;;
	esac
	last=$(wsql "SELECT max(id) FROM registry_events")
	wsql "$off; DELETE FROM registry_events WHERE id > $last - 2; $on"
	exits 1 "doctor sees the newest events deleted" "$MLWB" doctor
	like "names them" "$(cat "$T/out")" "registry history: the newest events were deleted: 2 of the [0-9]+ written are gone, the last id written was $last, the table ends at $((last - 2))"
	unlike "no trigger is missing" "$(cat "$T/out")" "trigger"
	ok "a promotion after the deletion" "$MLWB" --project "$T/proj/mlwb.yaml" model promote clf 1 --to staging --no-deploy
	ok "and another" "$MLWB" --project "$T/proj/mlwb.yaml" model promote clf 3 --to staging --no-deploy
	exits 1 "doctor still sees the deletion" "$MLWB" doctor
	like "2 gone" "$(cat "$T/out")" "registry history: .*2 of the [0-9]+ (events )?written are gone"
	wsql "UPDATE registry_events_written SET n = n - 1" 2>"$T/err"
	[ $? != 0 ]; _report $? "the count cannot be lowered"
	like "by its trigger" "$(cat "$T/err")" "only grows"
fi

exits 2 "no subcommand" "$MLWB" model
exits 2 "unknown subcommand" "$MLWB" model frobnicate
ok "--help" "$MLWB" model --help
like "documents exit 3" "$(cat "$T/out")" "exits 3"
done_testing
