#!/bin/sh
# Memory checks: the main commands under valgrind (a build without
# sanitizers: valgrind and ASan do not mix).  TAP; `quickstart test` runs
# it on ./build.  Usage: tests/valgrind/run.sh BUILD_DIR
build=$(cd "${1:?usage: run.sh BUILD_DIR}" && pwd)
MLWB=$build/mlwb
export MLWB
top_srcdir=$(cd "$(dirname "$0")/../.." && pwd)
export top_srcdir
# pcre2 JIT code is opaque to valgrind (false "uninitialised" reports).
MLWB_RX_NOJIT=1
export MLWB_RX_NOJIT
. "$top_srcdir/tests/cli/lib.sh"

if ! command -v valgrind >/dev/null 2>&1; then
	echo "1..0 # SKIP valgrind is not installed"
	exit 0
fi
vg() {	# vg DESC ARGS...: mlwb ARGS under valgrind, no errors, no leaks
	_d=$1; shift
	valgrind -q --error-exitcode=99 --leak-check=full \
	    --errors-for-leak-kinds=definite,indirect \
	    "$MLWB" "$@" <"${VG_STDIN:-/dev/null}" >"$T/out" 2>"$T/err"
	_s=$?
	# No valgrind error (99), and the command did what it should: exit
	# status ${VG_EXIT:-0}, so that a usage error cannot pass for clean.
	[ $_s = "${VG_EXIT:-0}" ]
	_report $? "valgrind: $_d"
	[ $_s = "${VG_EXIT:-0}" ] || { echo "#   exit $_s"; sed 's/^/#   /' "$T/err" | head -20; }
}

vg "demo" --db vg.db demo
vg "exp ls" --db vg.db exp ls --format table
vg "runs ls json" --db vg.db runs ls --format json
vg "runs show" --db vg.db runs show tabular-xgb/xgb-d3-eta0.1
vg "metrics" --db vg.db metrics tabular-xgb/xgb-d3-eta0.1 valid-rmse
vg "log" --db vg.db log --new -e x --name y -p a=1 -m loss=0.5
vg "doctor" --db vg.db doctor
"$MLWB" --db vg2.db log --new -e x --name z -m m=1 >/dev/null
vg "merge" --db vg.db merge vg2.db
vg "import" --db vg.db import "$top_srcdir/tests/data/import/keras" "$top_srcdir/tests/data/import/lightning_logs" "$top_srcdir/tests/data/import/json" "$top_srcdir/tests/data/import/sweeps"
vg "import W&B, Ray Tune, TestTube" --db vg.db import "$top_srcdir/tests/data/import/wandb" "$top_srcdir/tests/data/import/ray" "$top_srcdir/tests/data/import/testtube" "$top_srcdir/tests/data/import/wide/counter.csv"
python3 "$top_srcdir/tests/cli/tfwriter.py" tf
vg "import TensorBoard event files" --db vg.db import tf/logs tf/proj/lightning_logs
VG_EXIT=1 vg "import a bad event file" --db vg.db import tf/bad
vg "runs ls, MLflow syntax" --db vg.db runs ls --filter "tags.team IS NULL AND \`params\`.lr IS NOT NULL OR dataset.name = 'x' OR attributes.\`Run name\` LIKE 'p%'"
vg "runs ls --filter" --db vg.db runs ls --filter "metrics.valid-rmse < 5 AND params.max_depth ~ '^[0-9]+$'" --order-by "metrics.valid-rmse ASC"
vg "compare" --db vg.db compare tabular-xgb/xgb-d3-eta0.1 tabular-xgb/xgb-d6-eta0.1 --format json
vg "plot" --db vg.db plot tabular-xgb/xgb-d3-eta0.1 tabular-xgb/xgb-d6-eta0.1 --metric valid-rmse
vg "plot svg" --db vg.db plot tabular-xgb/xgb-d3-eta0.1 --metric valid-rmse --out "$T/p.svg"
VG_EXIT=1 vg "drift" --db vg.db drift vg.db.files/loan_reference.csv vg.db.files/loan_week4.csv --save vgtest --format json
vg "drift ls/show" --db vg.db drift show vgtest
vg "model show" --db vg.db model show cifar10-classifier
vg "model promote" --db vg.db model promote cifar10-classifier 2 --to vg --reason valgrind --no-deploy
vg "model history" --db vg.db model history cifar10-classifier --format json
vg "model path" --db vg.db model path models:/cifar10-classifier@vg
sqlite3 vgmlflow.db < "$top_srcdir/tests/data/mlflow/v3.sql"
vg "import-mlflow" --db vg.db import-mlflow vgmlflow.db
vg "project check" --db vg.db --project vg.db.files/example-project/mlwb.yaml project check
vg "jobs ls" --db vg.db jobs ls
printf 'epoch 1/3 loss: 0.5 val_acc=0.9\n' > scal.txt
VG_STDIN=scal.txt vg "scalars test" --db vg.db scalars test
for t in "$build"/tests/unit/test_*; do
	case $t in *.log|*.trs|*.o) continue ;; esac
	[ -x "$t" ] || continue
	valgrind -q --error-exitcode=99 --leak-check=full \
	    --errors-for-leak-kinds=definite,indirect "$t" >"$T/out" 2>"$T/err"
	_s=$?
	[ $_s != 99 ]
	_report $? "valgrind: $(basename "$t")"
	[ $_s != 99 ] || sed 's/^/#   /' "$T/err" | head -20
done

done_testing
