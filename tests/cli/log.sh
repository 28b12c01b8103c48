#!/bin/sh
# `mlwb log`: recording a run from a shell script, all or nothing.
. "$(dirname "$0")/lib.sh"

ok "log --new creates a run" "$MLWB" log --new -e mnist --name cnn -p lr=0.01 -p optimizer=adam -t team=vision
RUN=$(cat "$T/out")
like "and prints its UUID" "$RUN" '^[0-9a-f]{32}$'
ok "metrics without --step" "$MLWB" log --run "$RUN" -m loss=0.5 -m acc=0.8
ok "count up from the last step" "$MLWB" log --run "$RUN" -m loss=0.4
ok "an explicit step" "$MLWB" log --run "$RUN" -m loss=0.3 --step 10
ok "nan is a value" "$MLWB" log --run "$RUN" -m loss=nan
"$MLWB" metrics "$RUN" loss --format csv | cut -d, -f1,3 > "$T/loss"
is "steps 0, 1, 10, 11 with their values" "$(cat "$T/loss")" "step,value
0,0.5
1,0.4
10,0.3
11,NaN"
ok "a point at the largest step" "$MLWB" log --run "$RUN" -m big=1 --step 9223372036854775807
exits 1 "counting up from it is refused (it would wrap)" "$MLWB" log --run "$RUN" -m big=2
like "saying why" "$(cat "$T/err")" "big: its last step is 9223372036854775807"
is "and nothing was added" "$("$MLWB" metrics "$RUN" big --format csv | cut -d, -f1 | tr '\n' ' ')" "step 9223372036854775807 "
exits 1 "a metric that is not a number" "$MLWB" log --run "$RUN" -p batch=32 -m loss=abc
like "is refused, naming it" "$(cat "$T/err")" "loss=abc: not a number"
ok "show the run" "$MLWB" runs show mnist/cnn --format csv
unlike "and nothing of the failed call was written" "$(cat "$T/out")" "batch"
like "params kept" "$(cat "$T/out")" "^param,optimizer,adam$"
like "tags kept" "$(cat "$T/out")" "^tag,team,vision$"
like "status running" "$(cat "$T/out")" "^run,status,running$"
ok "--status finished ends the run" "$MLWB" log --run "$RUN" --status finished
"$MLWB" runs show "$RUN" --format csv > "$T/show"
like "status finished" "$(cat "$T/show")" "^run,status,finished$"
like "with an end time" "$(cat "$T/show")" "^run,ended,2[0-9]{3}-"
exits 2 "a bad status" "$MLWB" log --run "$RUN" --status done
exits 2 "--run and --new together" "$MLWB" log --run "$RUN" --new
exits 2 "a param without =" "$MLWB" log --run "$RUN" -p lr
exits 1 "an unknown run" "$MLWB" log --run nope -m loss=1
ok "log --help" "$MLWB" log --help
like "shows an example" "$(cat "$T/out")" 'RUN=\$\(mlwb log --new'

done_testing
