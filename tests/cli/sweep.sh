#!/bin/sh
# `mlwb sweep rank|scatter|parallel`: the params-vs-metric views without a
# screen.  The sweep is logged here: lr moves acc (acc = 1 - lr), seed
# does not, opt is a category; one run's param key holds an escape.
. "$(dirname "$0")/lib.sh"
export TZ=UTC

i=0
for lr in 0.1 0.2 0.3 0.4 0.5 0.6; do
	i=$((i + 1))
	seed=$(( (i * 7) % 5 ))
	opt=adam; [ $((i % 2)) = 0 ] && opt=sgd
	acc=$(awk "BEGIN { print 1 - $lr }")
	ok "run $i" "$MLWB" log --new -e sw --name "r$i" -p lr=$lr \
	    -p seed=$seed -p opt=$opt -m acc=$acc -m loss=$lr
done
for v in 1 2 3; do
	ok "a run elsewhere $v" "$MLWB" log --new -e other --name "o$v" -p "k$(printf '\033')]0;x$(printf '\007')=$v" -m acc=0.$v
done

ok "rank" "$MLWB" sweep rank -e sw --metric acc --ascii
like "names the metric" "$(cat "$T/out")" "acc"
is "lr ranks first" "$(grep -E '^.?(lr|seed|opt) ' "$T/out" | head -1 | sed 's/^.//' | awk '{print $1}')" "lr"
like "with rho -1" "$(cat "$T/out")" "lr +rho +-1 +6 +#+$"
unlike "no trailing blank rows" "$(tail -1 "$T/out")" "^$"

ok "scatter against a chosen param" "$MLWB" sweep scatter -e sw --metric acc --vs lr --width 60 --height 12 --ascii
like "x axis named" "$(cat "$T/out")" "lr"
like "y axis is the metric" "$(head -1 "$T/out")" "acc"
is "12 rows at most" "$(test "$(wc -l < "$T/out")" -le 12 && echo yes)" "yes"
ok "scatter's default x is the top param" "$MLWB" sweep scatter -e sw --metric acc --ascii
like "lr" "$(tail -1 "$T/out")" "lr"

ok "parallel coordinates" "$MLWB" sweep parallel -e sw --metric acc --ascii
like "an axis per param" "$(cat "$T/out")" "seed"
like "ending in the metric" "$(cat "$T/out")" "acc"
unlike "ASCII only" "$(cat "$T/out")" "$(printf '\342')"

ok "a filter narrows the runs" "$MLWB" sweep rank -e sw --metric acc --filter "params.opt = 'adam'" --ascii
like "three runs" "$(cat "$T/out")" "lr +rho +-1 +3 "

ok "SVG out" "$MLWB" sweep rank -e sw --metric acc --out "$T/r.svg"
like "says so" "$(cat "$T/out")" "^wrote .*r.svg \(rank\)$"
like "an SVG document" "$(head -2 "$T/r.svg" | tail -1)" "^<svg "
like "closed" "$(tail -1 "$T/r.svg")" "</svg>"
like "the ranking's bars name lr" "$(cat "$T/r.svg")" ">lr<"
ok "scatter as SVG" "$MLWB" sweep scatter -e sw --metric acc --out "$T/s.svg"
like "an SVG document too" "$(cat "$T/s.svg")" "</svg>"

ok "a hostile key" "$MLWB" sweep rank -e other --metric acc --ascii
unlike "no raw ESC on stdout" "$(cat "$T/out")" "$(printf '\033')"
like "shown escaped" "$(cat "$T/out")" 'k\\e\]0;x\\x07'

exits 1 "an unknown metric" "$MLWB" sweep rank -e sw --metric nosuch
like "is named" "$(cat "$T/err")" "nosuch"
exits 1 "a bad filter" "$MLWB" sweep rank -e sw --filter "params.x ==="
like "with its place" "$(cat "$T/err")" "^mlwb: filter:1:"
exits 1 "an unknown experiment" "$MLWB" sweep rank -e nosuch
exits 2 "an unknown view" "$MLWB" sweep pie
like "names the views" "$(cat "$T/err")" "rank, scatter or parallel"
exits 2 "--vs outside scatter" "$MLWB" sweep rank --vs lr
exits 2 "--format is refused" "$MLWB" sweep rank --format json
exits 2 "a silly height" "$MLWB" sweep rank --height 3
ok "--help" "$MLWB" sweep --help
like "documents the views" "$(cat "$T/out")" "parallel"

done_testing
