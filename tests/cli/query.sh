#!/bin/sh
# `mlwb compare` and `mlwb plot`: tables in every format, best runs and
# deltas, charts as braille, ASCII and SVG, log and time axes, smoothing,
# zoom, and bad arguments (usage errors, unknown runs and metrics).
# Fixture: tests/data/query/sweep.csv (long format, 3 runs; r2 has a
# spike of 9 at step 20, r3 a NaN at step 5 and no val_loss).
. "$(dirname "$0")/lib.sh"
D="$top_srcdir/tests/data/query"
export TZ=UTC

ok "import the sweep" "$MLWB" import --experiment sweep "$D/sweep.csv"
ok "params r1" "$MLWB" log --run sweep/r1 -p lr=0.1 -p opt=adam
ok "params r2" "$MLWB" log --run sweep/r2 -p lr=0.01 -p opt=adam
ok "params r3" "$MLWB" log --run sweep/r3 -p lr=0.1 -p opt=sgd -p "note=a$(printf '\033')[2J"

ok "compare three runs as CSV" "$MLWB" compare r1 r2 r3 --format csv
is "header names the runs" "$(head -1 "$T/out")" "section,key,stat,r1,r2,r3,note"
like "differing param flagged" "$(cat "$T/out")" "^param,lr,value,0.1,0.01,0.1,differs$"
like "best loss is the lowest last value" "$(cat "$T/out")" "^metric,loss,last,0.150605,0.277548,0.392528,best r1 \(lower\)$"
like "accuracy is higher-is-better" "$(cat "$T/out")" "^metric,accuracy,last,.*,best r1 \(higher\)$"
like "max keeps the spike" "$(cat "$T/out")" "^metric,loss,max,2.6,9,1.8,$"
like "run without the metric is empty" "$(cat "$T/out")" "^metric,val_loss,last,0.296914,0.450587,,best r1 \(lower\)$"
unlike "no deltas without --baseline" "$(cat "$T/out")" "delta"

ok "compare with a baseline" "$MLWB" compare r1 r2 --baseline r2 --format csv
like "absolute delta" "$(cat "$T/out")" "^metric,val_loss,delta,-0.153673,0,vs r2$"
like "delta in percent" "$(cat "$T/out")" "^metric,val_loss,delta_pct,-34.105"

ok "direction overridden" "$MLWB" compare r1 r2 --lower accuracy --format csv
like "lowest accuracy wins" "$(cat "$T/out")" "^metric,accuracy,last,0.9623,0.9306,best r2 \(lower\)$"

ok "--diff keeps differing params" "$MLWB" compare r1 r2 --diff --format csv
unlike "same opt left out" "$(cat "$T/out")" "^param,opt"

# Tags are compared like params; --diff leaves out unchanged tags and
# metrics too; an exact tie names no best run.
ok "run u1" "$MLWB" log --new -e same --name u1 -t team=vision -t seed=1 -m flat=0.5 -m moved=0.1
ok "run u2" "$MLWB" log --new -e same --name u2 -t team=vision -t seed=2 -m flat=0.5 -m moved=0.2
ok "compare with tags" "$MLWB" compare same/u1 same/u2 --format csv
like "a differing tag flagged" "$(cat "$T/out")" "^tag,seed,value,1,2,differs$"
like "a shared tag shown" "$(cat "$T/out")" "^tag,team,value,vision,vision,$"
like "an exact tie names no best run" "$(cat "$T/out")" "^metric,flat,last,0.5,0.5,higher is better$"
like "a real best is named" "$(cat "$T/out")" "^metric,moved,last,0.1,0.2,best u2 \(higher\)$"
ok "compare --diff" "$MLWB" compare same/u1 same/u2 --diff --format csv
unlike "unchanged tag left out" "$(cat "$T/out")" "^tag,team"
unlike "unchanged metric left out" "$(cat "$T/out")" "^metric,flat"
like "the differing ones kept" "$(cat "$T/out")" "^tag,seed,.*
.*^metric,moved,last"
ok "compare --diff as JSON" "$MLWB" compare same/u1 same/u2 --diff --format json
cp "$T/out" diff.json
ok "JSON: tags, and only what differs" /usr/bin/python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
assert [t["key"] for t in d["tags"]] == ["seed"], d["tags"]
assert [m["key"] for m in d["metrics"]] == ["moved"], d["metrics"]
' diff.json
ok "compare (no --diff) as JSON" "$MLWB" compare same/u1 same/u2 --format json
cp "$T/out" tie.json
ok "JSON: a tie has best_run null" /usr/bin/python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
m = {x["key"]: x for x in d["metrics"]}
assert m["flat"]["best_run"] is None and m["moved"]["best_run"] == 1
assert {t["key"]: t["differs"] for t in d["tags"]} == {"seed": True, "team": False}
' tie.json

ok "compare as JSON" "$MLWB" compare r1 r2 r3 --format json
cp "$T/out" cmp.json
ok "JSON parses and holds the numbers" /usr/bin/python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
assert [r["name"] for r in d["runs"]] == ["r1", "r2", "r3"]
m = {x["key"]: x for x in d["metrics"]}
assert m["loss"]["better"] == "lower" and m["loss"]["best_run"] == 0
assert m["loss"]["max"][1] == 9
assert m["val_loss"]["last"][2] is None
assert abs(m["loss"]["delta"][1] - (0.277548 - 0.150605)) < 1e-9
p = {x["key"]: x for x in d["params"]}
assert p["lr"]["differs"] and p["opt"]["values"] == ["adam", "adam", "sgd"]
' cmp.json

ok "compare as a table" "$MLWB" compare r1 r3 --format table
like "control bytes in values made visible" "$(cat "$T/out")" 'a\\e\[2J'

exits 2 "compare without runs is a usage error" "$MLWB" compare
exits 1 "unknown run" "$MLWB" compare r1 nosuchrun
like "names the run" "$(cat "$T/err")" "nosuchrun"
exits 2 "baseline not compared" "$MLWB" compare r1 r2 --baseline r3
like "says why" "$(cat "$T/err")" "not one of the compared runs"

# Charts.
LC_ALL=C.UTF-8; export LC_ALL
ok "plot as braille text" "$MLWB" plot r1 r2 r3 --metric loss --width 50 --height 14
like "title and legend" "$(head -1 "$T/out")" "^loss  ■ r1  ■ r2  ■ r3$"
like "braille dots" "$(cat "$T/out")" "⣀"
is "14 lines" "$(wc -l < "$T/out" | tr -d ' ')" "14"
like "the spike reaches the top row" "$(sed -n 2p "$T/out")" "│ +⡇$"
like "x ticks at 1-2-5 steps" "$(tail -1 "$T/out")" "^ +0 +10 +20 +30$"

LC_ALL=C; export LC_ALL
ok "plot in LANG=C" "$MLWB" plot r1 r2 r3 --metric loss --width 50 --height 14
unlike "ASCII only" "$(cat "$T/out")" "$(printf '[\200-\377]')"
is "ASCII chart: a mark per run" "$(cat "$T/out")" "loss  * r1  o r2  + r3
         |                    o
         |                    o
         |                    o
         |                    o
         |                    o
        5+                   ooo
         |                   o o
         |*                  o o
         |++oo*              o o
         |  +++++++++++++    o o
         |             *o+++++++++++++++++++++++++
         ++---------+---------+---------+---------
          0        10        20        30"

ok "log scale, relative time, zoom" "$MLWB" plot r1 r3 --metric loss --width 50 --height 10 --x relative --log --range 0:1200000
like "log in the title" "$(head -1 "$T/out")" "^loss \(log\)"
like "durations on the x axis" "$(tail -1 "$T/out")" "0s +5m +10m +15m"
ok "wall-clock x" "$MLWB" plot r1 r2 --metric loss --width 50 --height 10 --x time
like "clock labels" "$(tail -1 "$T/out")" "[0-9][0-9]:[0-9][0-9]"
ok "smoothing" "$MLWB" plot r2 --metric loss --smooth 0.9 --width 40 --height 10 --stats
like "stats on stderr" "$(cat "$T/err")" "^plot: 40 points, 1 chunks and 0 blocks decoded"

ok "SVG file" "$MLWB" plot r1 r2 r3 --metric loss --smooth 0.6 --out chart.svg
like "says where" "$(cat "$T/out")" "wrote chart.svg \(3 runs, loss\)"
ok "SVG is well-formed XML" /usr/bin/python3 -c '
import sys, xml.dom.minidom
d = xml.dom.minidom.parse(sys.argv[1])
assert d.documentElement.tagName == "svg"
assert len(d.getElementsByTagName("path")) == 6
' chart.svg

ok "a run without the metric is skipped" "$MLWB" plot r1 r3 --metric val_loss --width 40 --height 8
like "with a warning" "$(cat "$T/err")" "run r3 has no metric val_loss"
exits 1 "no run has it" "$MLWB" plot r3 --metric val_loss
exits 1 "unknown metric" "$MLWB" plot r1 --metric nope
like "names it" "$(cat "$T/err")" "no metric named 'nope'"
exits 2 "missing --metric" "$MLWB" plot r1
exits 2 "bad smoothing weight" "$MLWB" plot r1 --metric loss --smooth 1.5
exits 2 "bad x axis" "$MLWB" plot r1 --metric loss --x epochs
exits 2 "bad range" "$MLWB" plot r1 --metric loss --range 9:3
exits 2 "too small" "$MLWB" plot r1 --metric loss --width 10 --height 3
exits 2 "more than 8 runs" "$MLWB" plot r1 r1 r1 r1 r1 r1 r1 r1 r1 --metric loss

# Long filters: flat chains become balanced trees (SQLite's parser stack
# overflowed at 75 flat terms); what SQLite cannot take is refused by
# mlwb's own limits, as filter:LINE:COL.
chain() {	# chain OP N: "params.lr = '0' OP params.lr = '1' ... OP params.lr = '0.01'"
	_i=1; _f="params.lr = '0'"
	while [ $_i -lt $(($2 - 1)) ]; do _f="$_f $1 params.lr = '$_i'"; _i=$((_i + 1)); done
	printf '%s %s params.lr = %s' "$_f" "$1" "'0.01'"
}
names() { "$MLWB" runs ls -e sweep --filter "$1" --format csv | cut -d, -f3 | tail -n +2 | sort | tr '\n' ' '; }
is "a flat OR of 200 terms works and finds r2" "$(names "$(chain OR 200)")" "r2 "
is "a flat OR of 4096 terms" "$(names "$(chain OR 4096)")" "r2 "
# SQLite only for now: PostgreSQL planned this one for over 29 minutes
# (1000 ANDed subqueries; known limit, doc/team.md).
if [ -z "${MLWB_TEST_DB:-}" ]; then
ok "a flat AND of 1000 terms runs" "$MLWB" runs ls --filter "params.opt = 'adam' AND $(chain AND 999)"
is "a flat AND of 1000 terms finds none" "$(names "params.opt = 'adam' AND $(chain AND 999)")" ""
# The same on PostgreSQL: its backend grew past 20 GB planning this one.
is "4000 ANDs of true terms keep both adam runs" "$(names "$(i=0; f="params.opt = 'adam'"; while [ $i -lt 3999 ]; do f="$f AND metrics.loss > -$i"; i=$((i + 1)); done; echo "$f")")" "r1 r2 "
fi
is "NOT of a long chain" "$(names "NOT ($(chain OR 300))")" "r1 r3 "
exits 1 "4097 comparisons are refused" "$MLWB" runs ls --filter "$(chain OR 4097)"
like "by mlwb's limit, with line and column" "$(head -1 "$T/err")" "^mlwb: filter:1:[0-9]+: more than 4096 comparisons in one filter \(mlwb's limit\)"
unlike "not by SQLite" "$(cat "$T/err")" "mlwb.db|stack"
# The worst mix SQLite's parser sees: NOT/AND pairs, 16 levels of nesting.
deep() {	# deep N: N levels of alternating AND NOT (
	_i=0; _f="params.opt = 'sgd'"
	while [ $_i -lt $(($1 / 2)) ]; do _f="params.lr != '7' AND NOT ($_f)"; _i=$((_i + 1)); done
	printf '%s' "$_f"
}
is "16 levels of AND NOT nesting work (8 NOTs: sgd)" "$(names "$(deep 16)")" "r3 "
exits 1 "18 levels are refused" "$MLWB" runs ls --filter "$(deep 18)"
like "by mlwb's limit" "$(head -1 "$T/err")" "^mlwb: filter:1:[0-9]+: nested too deeply: more than 16 levels"
unlike "not by SQLite" "$(cat "$T/err")" "mlwb.db|stack"
is "NOT NOT x is x (and costs no nesting)" "$(names "$(i=0; f="params.opt = 'sgd'"; while [ $i -lt 40 ]; do f="NOT $f"; i=$((i + 1)); done; echo "$f")")" "r3 "
exits 1 "more than 16384 values are refused" "$MLWB" runs ls --filter "params.lr IN ($(seq -s, 1 16385))"
like "by mlwb's limit too" "$(head -1 "$T/err")" "^mlwb: filter:1:1: more than 16384 values"

done_testing
