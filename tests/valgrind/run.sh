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
	    "$MLWB" "$@" >"$T/out" 2>"$T/err"
	_s=$?
	[ $_s != 99 ]
	_report $? "valgrind: $_d"
	[ $_s != 99 ] || sed 's/^/#   /' "$T/err" | head -20
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
