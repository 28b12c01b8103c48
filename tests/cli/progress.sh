#!/bin/sh
# The progress line of long work: nothing on stderr when it is not a
# terminal (or with --quiet); on a terminal one line redrawn in place with
# done, total, rate and time left, cleared at the end.  A long import is
# watched in tmux, stopped (SIGSTOP) while the line is captured, so what
# is read does not depend on timing.  The other commands (import-mlflow,
# merge, push, pull, doctor, drift, log --artifact, model register
# --artifact) run under script(1) and every byte they wrote to the
# terminal is read: the first report is always drawn, so the line is in
# that record however fast the work was.
. "$(dirname "$0")/lib.sh"

# 2,000,000 rows (47 MB): a few seconds of work.
big() { seq 0 1999999 | awk -v h="$2" 'BEGIN { print "step,loss," h }
    { printf "%d,%.6f,%.4f\n", $1, 1 / ($1 + 1), ($1 % 1000) / 1000 }' > "$1"; }
big big.csv acc
big big2.csv acc2

"$MLWB" init >/dev/null
"$MLWB" import big.csv > out.txt 2> err.txt
is "an import with stderr to a file succeeds" "$?" 0
is "and prints no progress there" "$(cat err.txt)" ""
like "its summary is on stdout" "$(cat out.txt)" "^big.csv: wide, .*4000000 points"

sock="mlwb-progress-$$"
tm() { tmux -L "$sock" -f /dev/null "$@"; }
trap 'tm kill-server 2>/dev/null; lib_cleanup' EXIT
screen() { tm capture-pane -p -t t; }
wait_for() {	# wait_for REGEX: until the pane shows it (20 s at most)
	i=0
	while [ $i -lt 400 ]; do
		screen | grep -Eq -- "$1" && return 0
		sleep 0.05
		i=$((i + 1))
	done
	return 1
}
tm new-session -d -s t -x 120 -y 10 \
    "sh -c 'echo \$\$ > \"$T/pid\"; exec \"$MLWB\" --db \"$MLWB_DB\" import \"$T/big2.csv\"'; echo EXIT-\$?; sleep 600"
ok "on a terminal a progress line shows, with a rate once it has one" \
    wait_for "MB of [0-9]+\\.[0-9] MB \\([0-9]+%\\), [0-9.]+ MB/s"
pid=$(cat pid)
kill -STOP "$pid"
line=$(screen | grep "MB of")
kill -CONT "$pid"
like "it names the file, done of total, the share, rate and time left" "$line" \
    "^mlwb: .*big2\\.csv: [0-9.]+ [kM]?B of [0-9]+\\.[0-9] MB \\([0-9]+%\\), [0-9.]+ MB/s, [0-9]+ s left$"
is "on one line" "$(screen | grep -c 'MB of')" 1
ok "the import ends" wait_for "EXIT-0"
unlike "the line is cleared at the end" "$(screen)" "MB of"
like "the summary stands alone on its line" "$(screen | grep big2.csv)" "^[^ ]*big2\\.csv: wide, "

"$MLWB" import --quiet big2.csv --experiment q 2> err.txt >/dev/null
is "--quiet prints no progress either" "$(cat err.txt)" ""
rm -f big.csv big2.csv

# ontty NAME ARGS...: mlwb ARGS on a terminal (script(1)); all it wrote is
# in NAME.tty, its exit status is returned.
ontty() {
	_f=$1
	shift
	script -qec "\"$MLWB\" $*" /dev/null </dev/null >"$T/$_f.tty" 2>&1
}
# lines NAME: what the terminal was sent, one line per '\r' or '\n'.
lines() { tr '\r' '\n' < "$T/$1.tty"; }
ESC=$(printf '\033')
# erased NAME: a "\r ESC[K" that erases the line (a drawn line starts
# with "mlwb: " instead).
erased() { lines "$1" | grep -aq "^$ESC\\[K"; }
# watch WHAT NAME PATTERN ARGS...: on a terminal a line matching PATTERN
# shows and is erased before the summary; on a pipe and with --quiet
# nothing is written to stderr.
watch() {
	_what=$1 _name=$2 _pat=$3
	shift 3
	ontty "$_name" "$@"
	is "$_what on a terminal succeeds" "$?" 0
	like "$_what: a progress line" "$(lines "$_name" | grep -a '^mlwb: ')" \
	    "$_pat"
	ok "$_what: the line is erased before what follows" erased "$_name"
	ontty "$_name-q" --quiet "$@"
	is "$_what --quiet on a terminal succeeds" "$?" 0
	is "$_what --quiet: no line" "$(lines "$_name-q" | grep -ac '^mlwb: ')" 0
}
# piped WHAT ARGS...: on a pipe stderr has no progress line (no '\r' and
# no escape; drift's verdict is on stderr by design).
piped() {
	_what=$1
	shift
	"$MLWB" "$@" > out.txt 2> err.txt
	is "$_what to a pipe succeeds" "$?" 0
	is "$_what to a pipe: no progress on stderr" \
	    "$(tr -dc "\r$ESC" < err.txt | wc -c)" 0
}

# import-mlflow: runs of the source's runs.
D="$top_srcdir/tests/data/mlflow"
sqlite3 v3.db < "$D/v3.sql" || exit 1
cp -R "$D/mlruns" mlruns
watch "import-mlflow" mlflow "^mlwb: v3\\.db: [0-9]+ of 6 runs \\([0-9]+%\\)" \
    import-mlflow v3.db
piped "import-mlflow" import-mlflow mlruns

# merge, push and pull: runs of the sender's runs.
for i in 1 2 3; do printf 'step,loss\n1,0.%d\n2,0.1\n' $i > r$i.csv; done
MLWB_DB="$T/other.db" "$MLWB" import r1.csv r2.csv r3.csv > /dev/null
watch "merge" merge "^mlwb: other\\.db: [0-9]+ of 3 runs \\([0-9]+%\\)" \
    merge other.db
piped "merge" merge other.db
team=$(store team)
n=$("$MLWB" runs ls --format csv | tail -n +2 | wc -l)
watch "push" push "^mlwb: .*[0-9]+ of $n runs \\([0-9]+%\\)" push --to "$team"
piped "push" push --to "$team"
watch "pull" pull "^mlwb: .*[0-9]+ of $n runs \\([0-9]+%\\)" pull --from "$team"
piped "pull" pull --from "$team"

# doctor: its five checks.
watch "doctor" doctor "^mlwb: doctor: [0-5] of 5 checks \\([0-9]+%\\)" doctor
piped "doctor" doctor

# drift: bytes of both files (each about 490 kB).
for f in ref cur; do
	seq 1 100000 | awk '{ printf "%d,%d\n", $1 % 97, $1 % 5 }' |
	    sed '1i a,b' > $f.csv
done
size=$(($(wc -c < ref.csv) + $(wc -c < cur.csv)))
watch "drift" drift "^mlwb: cur\\.csv: [0-9.]+ k?B of $(awk "BEGIN { printf \"%.1f\", $size / 1000 }") kB \\([0-9]+%\\)" \
    drift ref.csv cur.csv
piped "drift" drift ref.csv cur.csv

# log --artifact and model register --artifact: bytes stored.
case $MLWB_DB in postgres*) "$MLWB" config artifact-root "$T/root" >/dev/null ;; esac
head -c 3000000 /dev/zero > model.bin
R=$("$MLWB" runs ls --format csv | sed -n 2p | cut -d, -f1)
watch "log --artifact" log "^mlwb: model\\.bin: [0-9.]+ [kM]?B of 3\\.0 MB \\([0-9]+%\\)" \
    log --run "$R" --artifact model.bin
piped "log --artifact" log --run "$R" --artifact model.bin
"$MLWB" model create clf > /dev/null
watch "model register --artifact" register "^mlwb: model\\.bin: [0-9.]+ [kM]?B of 3\\.0 MB \\([0-9]+%\\)" \
    model register clf --run "$R" --artifact model.bin
piped "model register --artifact" model register clf --run "$R" --artifact model.bin

done_testing
