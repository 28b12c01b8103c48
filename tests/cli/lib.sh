# lib.sh: TAP helpers for command-line tests.  Source it, call the checks,
# end with `done_testing`.  $MLWB is the binary; each test script gets a
# fresh scratch directory in $T (removed at exit) and runs there.

: "${MLWB:?MLWB must name the mlwb binary}"
: "${top_srcdir:=$(cd "$(dirname "$0")/../.." && pwd)}"
T=$(mktemp -d "${TMPDIR:-/tmp}/mlwb-cli.XXXXXX")
cd "$T" || exit 1
export MLWB_DB="$T/mlwb.db"
# MLWB_TEST_DB=postgresql://USER@HOST:PORT/DB: the same tests on a
# PostgreSQL store, in a fresh database per script (dropped at exit).
if [ -n "${MLWB_TEST_DB:-}" ]; then
	_pgdb=mlwbt_$(basename "$T" | tr -dc 'a-zA-Z0-9' | tr 'A-Z' 'a-z')
	psql -qX "$MLWB_TEST_DB" -c "CREATE DATABASE $_pgdb" >/dev/null ||
	    { echo "Bail out! cannot create database $_pgdb"; exit 1; }
	# this box's files of the workspace (job logs): where a file's are
	export MLWB_LOCAL_DIR="$T"
	MLWB_DB=$(printf %s "$MLWB_TEST_DB" |
	    sed -E "s|^([a-z]+://[^/]*)(/[^?]*)?|\\1/$_pgdb|")
fi
# lib_cleanup: what the exit trap does (scripts that set their own trap
# call it last): the scratch directory, and under MLWB_TEST_DB the
# script's databases (see store).
lib_cleanup() {
	if [ -n "${_pgdb:-}" ]; then
		for _d in $(psql -qAtX "$MLWB_TEST_DB" -c "SELECT datname FROM
		    pg_database WHERE datname = '$_pgdb' OR
		    starts_with(datname, '${_pgdb}_')" 2>/dev/null); do
			psql -qX "$MLWB_TEST_DB" -c "DROP DATABASE IF EXISTS $_d
			    WITH (FORCE)" >/dev/null 2>&1
		done
	fi
	rm -rf "$T"
}
trap lib_cleanup EXIT
# store NAME: another, empty workspace of the store under test: $T/NAME.db,
# or under MLWB_TEST_DB a fresh database of its own (dropped at exit).
store() {
	if [ -z "${_pgdb:-}" ]; then
		echo "$T/$1.db"
		return
	fi
	psql -qX "$MLWB_TEST_DB" -c "CREATE DATABASE ${_pgdb}_$1" >/dev/null ||
	    return 1
	printf %s "$MLWB_DB" | sed "s|/$_pgdb|/${_pgdb}_$1|"
}
_n=0
_failed=0

# wsql SQL: run SQL on the workspace as its store's own client would
# (sqlite3 or psql), rows as "a|b" lines; waits for writers' locks.
wsql() {
	case $MLWB_DB in
	postgres://*|postgresql://*)
		psql -qAtX -v ON_ERROR_STOP=1 "$MLWB_DB" -c "$1" ;;
	*)	sqlite3 -cmd ".timeout 10000" "$MLWB_DB" "$1" ;;
	esac
}

# wait_file FILE: until it exists, 60 s at most (a writer stopped by a
# test hook, db_test_stall, makes it: the test then kills it or takes the
# server away mid-transaction however fast the writer is).
wait_file() {
	_i=0
	while [ $_i -lt 600 ] && [ ! -e "$1" ]; do
		sleep 0.1
		_i=$((_i + 1))
	done
	[ -e "$1" ]
}

# wsum: a checksum of the whole workspace (the file; on PostgreSQL its
# rows, leaving out the sequences a rolled-back insert still advances,
# pg_dump's random \restrict keys, the metric key names, which are
# committed apart (see doc/team.md), and the run counts' deltas, which
# the same counts may be folded differently into).
wsum() {
	case $MLWB_DB in
	postgres://*|postgresql://*)
		pg_dump -a --exclude-table-data=metric_keys \
		    --exclude-table-data=exp_run_counts "$MLWB_DB" |
		    grep -v -e 'pg_catalog.setval' -e '^.restrict ' \
		    -e '^.unrestrict ' |
		    sha256sum | cut -d' ' -f1 ;;
	*)	sha256sum "$MLWB_DB" | cut -d' ' -f1 ;;
	esac
}

_report() {	# _report STATUS DESCRIPTION
	_n=$((_n + 1))
	if [ "$1" = 0 ]; then
		echo "ok $_n - $2"
	else
		echo "not ok $_n - $2"
		_failed=$((_failed + 1))
	fi
}

# ok DESC CMD...: CMD exits 0.  Output goes to $T/out, $T/err.
ok() {
	_d=$1; shift
	"$@" >"$T/out" 2>"$T/err"
	_s=$?
	_report $_s "$_d"
	[ $_s = 0 ] || { echo "#   exit $_s: $*"; sed 's/^/#   /' "$T/err" | head -5; }
}

# exits N DESC CMD...: CMD exits with status N.
exits() {
	_want=$1; _d=$2; shift 2
	"$@" >"$T/out" 2>"$T/err"
	_s=$?
	[ "$_s" = "$_want" ]
	_report $? "$_d"
	[ "$_s" = "$_want" ] || { echo "#   exit $_s, expected $_want: $*"; sed 's/^/#   /' "$T/err" | head -5; }
}

# is DESC GOT EXPECTED
is() {
	[ "$2" = "$3" ]
	_report $? "$1"
	[ "$2" = "$3" ] || { echo "#   got:      $(printf %s "$2" | head -c 400)"; echo "#   expected: $(printf %s "$3" | head -c 400)"; }
}

# like DESC TEXT PATTERN (grep -E)
like() {
	printf '%s\n' "$2" | grep -Eq -- "$3"
	_s=$?
	_report $_s "$1"
	[ $_s = 0 ] || { echo "#   '$(printf %s "$2" | head -c 400)'"; echo "#   does not match /$3/"; }
}

# unlike DESC TEXT PATTERN: no match.  A pattern grep cannot read (status
# 2) is a failure, not a pass.
unlike() {
	printf '%s\n' "$2" | grep -Eq -- "$3"
	_s=$?
	[ $_s = 1 ]
	_report $? "$1"
	[ $_s != 2 ] || echo "#   grep cannot read the pattern /$3/"
}

done_testing() {
	echo "1..$_n"
	[ $_failed = 0 ]
}
