#!/bin/sh
# Hostile bytes in names and values never reach a terminal raw: every
# printing command is run on a pseudo-terminal (util-linux script(1)), and
# its output must hold no ESC, no other C0/C1 control, no bidi override or
# isolate, no zero-width character and no invalid UTF-8 byte -- they show
# escaped ("\e", "\x07", "<U+202E>", "\xff").  The same data through a
# pipe stays exact (CSV) or escaped by JSON's own rules.
. "$(dirname "$0")/lib.sh"

E=$(printf '\033')
BEL=$(printf '\007')
RLO=$(printf '\342\200\256')		# U+202E right-to-left override
LRI=$(printf '\342\201\246')		# U+2066 left-to-right isolate
ZWSP=$(printf '\342\200\213')		# U+200B zero-width space
BOM=$(printf '\357\273\277')		# U+FEFF zero-width no-break space
CSI=$(printf '\302\233')		# U+009B, the C1 CSI
FF=$(printf '\377')			# never valid in UTF-8

# Forbidden on a terminal (script(1) turns LF into CR LF; TAB is kept).
BAD=$(printf '[\001-\010\013\014\016-\037\177\377]|\302[\200-\237]|\342\200[\213-\217\250-\256]|\342\201[\240\246-\251]|\357\273\277|\330\234')

# onterm NAME CMD...: run mlwb CMD on a pty; its output (stdout and stderr
# together, as the user sees them) in $T/NAME.tty.
onterm() {
	_f=$1; shift
	script -qec "\"$MLWB\" $*" /dev/null </dev/null >"$T/$_f.tty" 2>&1
}
# clean DESC NAME: no forbidden byte in $T/NAME.tty.
clean() {
	if LC_ALL=C grep -Eq -- "$BAD" "$T/$2.tty"; then
		_report 1 "$1"
		echo "#   raw bytes on the terminal:"
		LC_ALL=C grep -E -- "$BAD" "$T/$2.tty" | od -c | head -5 |
		    sed 's/^/#   /'
	else
		_report 0 "$1"
	fi
}

"$MLWB" init >/dev/null
KEY="loss${E}]52;c;aGVsbG8${BEL}"	# would write the clipboard
PKEY="lr${E}]0;pwned${BEL}${ZWSP}"		# would retitle the terminal
NAME="cat${RLO}gpj.exe${E}[2J${LRI}"	# reversed, then clears the screen
R=$("$MLWB" log --new -e "exp${CSI}2J" --name "$NAME" -p "$PKEY=0.1" \
    -t "note=a${BOM}b${FF}c" -m "$KEY=0.5")
like "a run with hostile names" "$R" '^[0-9a-f]{32}$'
R2=$("$MLWB" log --new -e "exp${CSI}2J" --name "plain" -p "$PKEY=0.2" \
    -m "$KEY=0.4")

onterm ls runs ls
clean "runs ls: headers (param and metric keys) and cells escaped" ls
like "runs ls shows the escape" "$(cat "$T/ls.tty")" 'loss\\e\]52;c;aGVsbG8\\x07'
like "runs ls shows the bidi override" "$(cat "$T/ls.tty")" 'cat<U\+202E>gpj\.exe\\e\[2J<U\+2066>'
onterm csv runs ls --format csv
clean "runs ls --format csv on a terminal escaped" csv
onterm json runs ls --format json
clean "runs ls --format json on a terminal escaped" json
onterm show runs show "$R"
clean "runs show escaped (name, param, tag with U+FEFF and 0xff)" show
like "runs show: invalid UTF-8 shown as \\xff" "$(cat "$T/show.tty")" 'a<U\+FEFF>b\\xffc'
onterm exp exp ls
clean "exp ls escaped (C1 CSI)" exp
like "exp ls: C1 shown as \\x" "$(cat "$T/exp.tty")" 'exp\\xc2\\x9b2J'
onterm cmp compare "$R" "$R2"
clean "compare: run names, param and metric keys escaped" cmp
onterm met metrics "$R" "'$KEY'"
clean "metrics escaped" met
onterm plot plot "$R" "$R2" --metric "'$KEY'"
clean "plot: legend escaped" plot
onterm err runs show "'x${E}]0;T${BEL}'"
clean "an error message quoting the argument escaped" err
like "the error is there" "$(cat "$T/err.tty")" 'not found'

# launch: the start line names the run, and the job's output follows.
cat >mlwb.yaml <<'EOF'
experiment: esc
entry_points:
  say: sh -c 'printf "x\033]0;T\007y\342\200\256z\n"'
EOF
onterm launch launch say --name "'n${E}]0;T${RLO}'"
clean "launch: start line and job output escaped" launch
like "launch start line shown" "$(cat "$T/launch.tty")" 'n\\e\]0;T<U\+202E>\) started'
onterm jobs jobs ls --all
clean "jobs ls escaped" jobs

# Invalid UTF-8 in a log's file name and header: imported, shown escaped.
mkdir "bad${FF}dir"
printf 'epoch,lo\377ss\n1,0.5\n' > "bad${FF}dir/ru${FF}n.csv"
onterm imp import "bad${FF}dir/ru${FF}n.csv"
clean "import's summary line escaped" imp
like "the file name shown with \\xff" "$(cat "$T/imp.tty")" 'bad\\xffdir/ru\\xffn\.csv: keras'
onterm imp2 runs ls -e "'bad${FF}dir'"
clean "its run and metric shown escaped" imp2
like "the metric key with \\xff" "$(cat "$T/imp2.tty")" 'metrics\.lo\\xffss'

# Through a pipe the data stays exact.
"$MLWB" runs ls --format csv >"$T/pipe.csv"
LC_ALL=C grep -Fq -- "metrics.$KEY" "$T/pipe.csv"
_report $? "csv to a pipe keeps the metric key byte for byte"
LC_ALL=C grep -Fq -- "$NAME" "$T/pipe.csv"
_report $? "csv to a pipe keeps the run name byte for byte"
"$MLWB" runs ls --format json >"$T/pipe.json"
LC_ALL=C grep -Fq -- 'loss\u001b]52;c;aGVsbG8\u0007' "$T/pipe.json"
_report $? "json to a pipe escapes controls its own way"
LC_ALL=C grep -q "$E" "$T/pipe.json"
[ $? = 1 ]
_report $? "json holds no raw ESC"

# lib.sh itself: unlike must fail on a pattern grep cannot read.
like "unlike reports a malformed pattern as a failure" \
    "$(unlike "malformed" "abc" 'a(')" '^not ok'

done_testing
