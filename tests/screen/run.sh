#!/bin/sh
# Screen tests: each NAME.keys is replayed headless against the demo
# workspace (mlwb --script) and the screen compared with NAME.screen.
# The first lines of a .keys file may say "# size: WxH" and "# lang: C",
# and "# db: NAME" (demo by default; "scratch" is a fresh copy of the
# demo workspace for each test that writes, such as deleting runs).
# To accept new output after a deliberate change: MLWB_SCREEN_UPDATE=1.
. "$(dirname "$0")/../cli/lib.sh"
dir="$top_srcdir/tests/screen"
export TZ=UTC
"$MLWB" --db demo.db demo >/dev/null || { echo "Bail out! demo failed"; exit 1; }
# A workspace whose run name and params carry escape sequences and a
# bare CR (its times are now, so only the sanitized test looks at it).
R=$("$MLWB" --db evil.db log --new -e evil --name "$(printf 'x\033[2Jy\033]0;pwned\007z\rw')" \
    -p "$(printf 'k\033[31m')=$(printf 'v\033[0m')")
# A text artifact with escape sequences and a CR, for the pager.
printf 'epoch 1: \033[31mred\033[0m\nbell\007 and \033]0;pwned\007title\nbar 50%%\rbar 100%%\nplain last line\n' > notes.txt
printf 'bin\000ary' > blob.bin
printf 'a,b\n1,x\n2,y\n' > train.csv
"$MLWB" --db evil.db log --run "$R" --status finished --artifact notes.txt \
    --artifact blob.bin --input train.csv:train --output notes.txt >/dev/null
sqlite3 evil.db "UPDATE runs SET started_at = 1793491200000,
    ended_at = 1793491260000, created_at = 1793491200000,
    updated_at = 1793491260000, host = 'box', user = 'me',
    uuid = 'e71e71e71e71e71e71e71e71e71e71e7'" ||
    { echo "Bail out! sqlite3 is needed"; exit 1; }
# An MLflow 3 import (tests/data/mlflow/v3.sql): versions that register
# logged models.  Its registry events are dated now: set to a fixed time.
sqlite3 ml3.db < "$top_srcdir/tests/data/mlflow/v3.sql" &&
    USER=ana LOGNAME=ana "$MLWB" --db mlflow3.db import-mlflow ml3.db >/dev/null &&
    sqlite3 mlflow3.db "DROP TRIGGER registry_events_no_update;
    UPDATE registry_events SET at = 1700000100000, host = 'box'" ||
    { echo "Bail out! the MLflow 3 workspace"; exit 1; }

# Verify watches on the demo's model (events at fixed times, host box):
# production v4 passed, challenger v4 failed on its 3rd check (kept: no
# earlier holder), champion v3 rolled back after a failed check.
cp demo.db verified.db && sqlite3 verified.db "INSERT INTO registry_events
    (model_id, version_id, action, alias, from_version, to_version, actor,
    host, reason, deploy_status, deploy_output, at) VALUES
    (1, 4, 'verify-start', 'production', NULL, 4, 'demo', 'box',
     'watch 600s every 30s pid 1', NULL, NULL, 1795435260000),
    (1, 4, 'verify-pass', 'production', NULL, 4, 'demo', 'box',
     '20 checks passed in 10m00s', 0, 'ok', 1795435860000),
    (1, 4, 'verify-start', 'challenger', 3, 4, 'demo', 'box',
     'watch 300s every 60s pid 2', NULL, NULL, 1795435900000),
    (1, 4, 'verify-fail', 'challenger', NULL, 4, 'demo', 'box',
     'check 3: exit status 1: p99 latency 900ms; no earlier holder: alias kept',
     1, 'p99 latency 900ms', 1795436020000)" ||
    { echo "Bail out! the verified workspace"; exit 1; }

# Pipeline runs (doc/pipelines.md), made as the driver records them: a
# parent run tagged mlwb.pipeline with its steps as JSON, the steps' runs
# by UUID.  One failed at evaluate (its dependants skipped, its
# independent sibling done), one done; fixed times.
pstep() {	# pstep NAME UUID [METRIC=VALUE]
	"$MLWB" --db pipes.db log --new -e pipelines --name "$1" ${3:+-m "$3"} \
	    --status finished >/dev/null &&
	    sqlite3 pipes.db "UPDATE runs SET uuid = '$2' WHERE name = '$1'"
}
S1='{"name":"validate","kind":"check","needs":[],"state":"done","reason":null,"run":"a1000000000000000000000000000001","cached":false,"started_at":1795435200000,"ended_at":1795435202000,"metric":null,"key":null,"version":null}'
S2='{"name":"train","kind":"run","needs":["validate"],"state":"done","reason":null,"run":"a2000000000000000000000000000002","cached":false,"started_at":1795435202000,"ended_at":1795435265000,"metric":"val_loss","key":null,"version":null}'
S3='{"name":"report","kind":"run","needs":["validate"],"state":"done","reason":null,"run":"a3000000000000000000000000000003","cached":false,"started_at":1795435202000,"ended_at":1795435210000,"metric":null,"key":null,"version":null}'
S4='{"name":"evaluate","kind":"run","needs":["train"],"state":"failed","reason":"exit status 1","run":"a4000000000000000000000000000004","cached":false,"started_at":1795435265000,"ended_at":1795435270000,"metric":"val_acc","key":null,"version":null}'
S5='{"name":"register","kind":"register","needs":["evaluate"],"state":"skipped","reason":"evaluate failed","run":null,"cached":false,"started_at":0,"ended_at":0,"metric":null,"key":null,"version":null}'
S6='{"name":"promote","kind":"promote","needs":["register","report"],"state":"skipped","reason":"register skipped","run":null,"cached":false,"started_at":0,"ended_at":0,"metric":null,"key":null,"version":null}'
pstep validate a1000000000000000000000000000001 &&
pstep train a2000000000000000000000000000002 val_loss=0.3127 &&
pstep report a3000000000000000000000000000003 &&
pstep evaluate a4000000000000000000000000000004 &&
"$MLWB" --db pipes.db log --new -e pipelines --name "train #2" \
    -t mlwb.pipeline=train -t mlwb.pipeline.state=failed \
    -t "mlwb.pipeline.reason=step evaluate failed" \
    -t "mlwb.pipeline.steps=[$S1,$S2,$S3,$S4,$S5,$S6]" --status failed >/dev/null &&
"$MLWB" --db pipes.db log --new -e pipelines --name "nightly #1" \
    -t mlwb.pipeline=nightly -t mlwb.pipeline.state=done \
    -t "mlwb.pipeline.steps=[$S1]" --status finished >/dev/null &&
sqlite3 pipes.db "UPDATE runs SET started_at = 1795435200000,
    ended_at = 1795435270000, created_at = 1795435200000,
    updated_at = 1795435270000, host = 'box', user = 'me';
    UPDATE runs SET uuid = 'b2000000000000000000000000000002'
    WHERE name = 'train #2';
    UPDATE runs SET started_at = 1795348800000, ended_at = 1795348802000,
    uuid = 'b1000000000000000000000000000001' WHERE name = 'nightly #1'" ||
    { echo "Bail out! the pipelines workspace"; exit 1; }

# A model whose first version's run read and wrote data sets, with drift
# reports against its training data (paths, times and UUIDs fixed).
D=$top_srcdir/tests/data/drift
awk -F, 'NR == 1 { print; next } { OFS = ","; $1 = $1 * 3 + 20; $2 = $2 * 2; print }' \
    "$D/mid_ref.csv" > shifted.csv
printf 'id\tlabel\n1\tcat\n2\tdog\n' > lookup.tsv
printf 'p\n0.1\n' > preds.csv
L=$(cp "$D/mid_ref.csv" ref.csv && "$MLWB" --db lin.db log --new -e churn \
    --name train-1 --input ref.csv:train --input lookup.tsv \
    --output preds.csv:predictions) &&
    L2=$("$MLWB" --db lin.db log --new -e churn --name train-2 -m val_auc=0.8) &&
    USER=ana LOGNAME=ana "$MLWB" --db lin.db --quiet model create churn-clf &&
    USER=ana LOGNAME=ana "$MLWB" --db lin.db --quiet model register churn-clf --run "$L" &&
    USER=ana LOGNAME=ana "$MLWB" --db lin.db --quiet model register churn-clf --run "$L2" &&
    "$MLWB" --db lin.db drift --model churn-clf:1 "$D/mid_cur.csv" --save weekly-check >/dev/null &&
    "$MLWB" --db lin.db drift ref.csv shifted.csv --drift-share 0.3 --save shifted >/dev/null
[ $? -le 1 ] && sqlite3 lin.db "DROP TRIGGER registry_events_no_update;
    UPDATE registry_events SET at = 1700000000000 + id * 3600000, host = 'box';
    UPDATE datasets SET path = '/data/' || name, created_at = 1700000000000;
    UPDATE drift_reports SET created_at = 1700000000000 + id * 86400000,
        uuid = printf('%032x', id), ref_path = '/data/ref.csv', cur_path = '/data/cur.csv';
    UPDATE model_versions SET created_at = 1700000000000 + id * 3600000;
    UPDATE models SET created_at = 1700000000000;
    UPDATE runs SET uuid = printf('%032x', id), started_at = 1700000000000,
        ended_at = 1700000060000, created_at = 1700000000000,
        updated_at = 1700000060000, host = 'box', user = 'ana'" ||
    { echo "Bail out! the lineage workspace"; exit 1; }
# A model with a single version (its title says "1 version").
O=$("$MLWB" --db one.db log --new -e churn --name only-run -m val_auc=0.7) &&
    USER=ana LOGNAME=ana "$MLWB" --db one.db --quiet model create solo &&
    USER=ana LOGNAME=ana "$MLWB" --db one.db --quiet model register solo --run "$O" &&
    sqlite3 one.db "DROP TRIGGER registry_events_no_update;
    UPDATE registry_events SET at = 1700000000000, host = 'box';
    UPDATE model_versions SET created_at = 1700000000000;
    UPDATE models SET created_at = 1700000000000;
    UPDATE runs SET uuid = printf('%032x', id), started_at = 1700000000000,
        ended_at = 1700000060000, created_at = 1700000000000,
        updated_at = 1700000060000, host = 'box', user = 'ana'" ||
    { echo "Bail out! the one-version workspace"; exit 1; }

# The demo's jobs with system metrics on one of them (fake samples: CPU,
# memory and two GPUs), for the jobs screen's sparklines.
cp demo.db sys.db
SR=$("$MLWB" --db sys.db jobs ls --all --format csv | sed -n 3p | cut -d, -f1)
awk 'BEGIN { for (i = 0; i < 40; i++) printf "%d %.0f %.0f %.0f %.0f\n", i,
    180 + 120 * sin(i / 3), 1500 + i * 30, 60 + 35 * sin(i / 2),
    40 - 30 * sin(i / 2) }' | while read -r i c m g0 g1; do
	"$MLWB" --db sys.db log --run "$SR" --step "$i" -m system/cpu_percent="$c" \
	    -m system/rss_mb="$m" -m system/gpu0/util_percent="$g0" \
	    -m system/gpu1/util_percent="$g1" || exit 1
done || { echo "Bail out! the system metrics workspace"; exit 1; }

# A workspace deep in folders: the title keeps its file name.
mkdir -p workspaces-of-the-team/cifar10-experiments &&
    cp demo.db workspaces-of-the-team/cifar10-experiments/cifar.db ||
    { echo "Bail out! the deep workspace"; exit 1; }

# Nested runs: an Optuna study (its trials under one parent run).
"$MLWB" --db nested.db import -e study "$top_srcdir/tests/data/import/sweeps/optuna.csv" \
    >/dev/null 2>&1 && sqlite3 nested.db "UPDATE runs SET
    uuid = printf('%032x', id), source = 'optuna.csv'" ||
    { echo "Bail out! the nested workspace"; exit 1; }
# E on a run opens $VISUAL on its note: this one adds a line.
printf '#!/bin/sh\necho "a note from the editor" >> "$1"\n' > "$T/ed.sh"
chmod +x "$T/ed.sh"
export VISUAL="$T/ed.sh"
for keys in "$dir"/*.keys; do
	name=$(basename "$keys" .keys)
	size=$(sed -n 's/^# size: *//p' "$keys" | head -1)
	lang=$(sed -n 's/^# lang: *//p' "$keys" | head -1)
	[ -n "$size" ] || size=80x24
	db=$(sed -n 's/^# db: *//p' "$keys" | head -1)
	[ -n "$lang" ] || lang=C.UTF-8
	[ -n "$db" ] || db=demo
	if [ "$db" = scratch ]; then
		rm -f scratch.db scratch.db-wal scratch.db-shm
		cp demo.db scratch.db
	fi
	LC_ALL=$lang LANG=$lang "$MLWB" --db $db.db --script "$keys" \
	    --dump-screen "$T/$name.out" --size "$size" 2>"$T/err"
	s=$?
	if [ "${MLWB_SCREEN_UPDATE:-0}" = 1 ]; then
		cp "$T/$name.out" "$dir/$name.screen"
	fi
	if [ $s = 0 ] && cmp -s "$T/$name.out" "$dir/$name.screen"; then
		_report 0 "screen $name ($size, $lang)"
	else
		_report 1 "screen $name ($size, $lang)"
		diff "$dir/$name.screen" "$T/$name.out" | head -20 | sed 's/^/#   /'
		sed 's/^/#   /' "$T/err" | head -5
	fi
done
done_testing
