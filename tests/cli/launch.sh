#!/bin/sh
# The launch area's commands: `project check` (the project file, its
# errors with line and column).
. "$(dirname "$0")/lib.sh"
cp -R "$top_srcdir/tests/data/launch/proj" proj

ok "project check from a subfolder finds mlwb.yaml above" \
    sh -c 'cd proj/sub && "$MLWB" project check --format csv'
is "entry points listed" "$(cat "$T/out")" 'entry,command,parameters,experiment
train,sh train.sh --lr {lr} --epochs {epochs},"lr:float=0.01 epochs:int=3 opt:str=adam{adam,sgd}",launch-test
evaluate,sh eval.sh --model {model},model:path=model.bin,launch-test
shout,sh -c '"'"'echo {msg} | tr a-z A-Z'"'"',msg:str=hello world,launch-test'
ok "--project names the file" "$MLWB" project check --project proj/mlwb.yaml --format table
like "table says ok" "$(cat "$T/out")" "proj/mlwb.yaml: ok, 3 entry points"
ok "global --project works too" "$MLWB" --project proj/mlwb.yaml project check --quiet

printf 'entry_points:\n  train:\n    command: [x]\n    parameters:\n      lr: {type: flaot}\n' > bad.yaml
exits 1 "unknown type refused" "$MLWB" project check --project bad.yaml
is "FILE:LINE:COL" "$(cat "$T/err")" "mlwb: bad.yaml:5:18: unknown type 'flaot' (int, float, str, bool, path)"
printf 'entry_points:\n  a: python3 x.py > log\n' > bad.yaml
exits 1 "shell syntax without a shell" "$MLWB" project check --project bad.yaml
like "column of the >" "$(cat "$T/err")" "bad.yaml:2:19: '>' is shell syntax"
printf 'entry_points:\n  a: [x, {lr}]\n' > bad.yaml
exits 1 "YAML mapping where a word goes" "$MLWB" project check --project bad.yaml
like "line and column" "$(cat "$T/err")" "bad.yaml:2:10: each word of the command must be a string"
printf 'entry_points:\n  a: [x\n' > bad.yaml
exits 1 "YAML syntax error" "$MLWB" project check --project bad.yaml
like "libyaml's position" "$(cat "$T/err")" "bad.yaml:3:1: "
mkdir empty
exits 1 "no project file" sh -c 'cd empty && "$MLWB" project check'
like "says where it looked" "$(cat "$T/err")" "no mlwb.yaml in \. or any folder above it"
exits 2 "usage" "$MLWB" project frob

done_testing
