#!/bin/sh
# Artifacts: `mlwb log --artifact` (files and folders, content-addressed,
# the same bytes kept once), `artifacts ls` and `get` (checked), a
# tampered blob refused by name, the artifact root (SQLite's default
# beside the file, PostgreSQL's must be set, one root shared by two
# workspaces), `model register --artifact` and `model path` through the
# store, and push/pull carrying the records, and the blobs where the roots
# differ.  $MLWB_DB is a file, or under check-pg a PostgreSQL store.
. "$(dirname "$0")/lib.sh"

team() { "$MLWB" --db "$MLWB_DB" "$@"; }
blobs() { find "$1/blobs" -type f | wc -l | tr -d ' '; }

mkdir -p src/model/sub
printf 'weights v1\n' > src/model/w.bin
printf 'a: 1\n' > src/model/sub/config.yaml
printf 'precision,recall\n0.9,0.8\n' > src/metrics.csv
cp src/metrics.csv src/copy.csv

# The root: SQLite keeps it beside the file; PostgreSQL has none until set.
case $MLWB_DB in
postgres://*|postgresql://*)
	team init >/dev/null
	R=$(team log --new -e art --name r1)
	exits 1 "PostgreSQL: no artifact root, no artifact" team log --run "$R" --artifact src/metrics.csv
	like "says how to set one every box can reach" "$(cat "$T/err")" "no artifact root: on PostgreSQL set one that every box can reach .*mlwb config artifact-root PATH"
	exits 1 "and config prints the same" team config artifact-root
	ok "set it" team config artifact-root "$T/teamroot"
	is "says where" "$(cat "$T/out")" "artifact root: $T/teamroot"
	;;
*)
	R=$(team log --new -e art --name r1)
	ok "SQLite: a default root" team config artifact-root
	is "FILE.files beside the file" "$(cat "$T/out")" "$T/mlwb.db.files"
	ok "set it elsewhere" team config artifact-root teamroot
	is "kept absolute" "$(cat "$T/out")" "artifact root: $T/teamroot"
	;;
esac
ROOT=$T/teamroot
ok "config as json" team config artifact-root --format json
like "names the root" "$(cat "$T/out")" "\"artifact_root\": \"$ROOT\""

ok "log a file and a folder" team log --run "$R" --artifact src/metrics.csv --artifact src/model/
ok "the same bytes under another name" team log --run "$R" --artifact src/copy.csv
is "kept once: 4 distinct contents and a manifest" "$(blobs "$ROOT")" 4
ok "and again, renamed" team log --run "$R" --artifact src/metrics.csv --name scores.csv
is "still kept once" "$(blobs "$ROOT")" 4
is "no temporary left behind" "$(ls "$ROOT/tmp" | wc -l | tr -d ' ')" 0
ok "artifacts ls" team artifacts ls "$R" --format csv
is "name, kind, size, files, sha256" "$(cut -d, -f1-5 "$T/out")" "name,kind,size,files,sha256
copy.csv,file,25,1,$(sha256sum src/metrics.csv | cut -c1-64)
metrics.csv,file,25,1,$(sha256sum src/metrics.csv | cut -c1-64)
model,dir,16,2,$( (cd src/model && find . -type f | sed 's|^\./||' | LC_ALL=C sort | xargs sha256sum) | sha256sum | cut -c1-64)
scores.csv,file,25,1,$(sha256sum src/metrics.csv | cut -c1-64)"
ok "artifacts ls as a table" team artifacts ls art/r1 --format table
like "a sha256 prefix" "$(cat "$T/out")" "model +dir +16 +2 +[0-9a-f]{12} "
ok "artifacts ls as json" team artifacts ls "$R" --format json
like "one object per artifact" "$(cat "$T/out")" '"name": "model", "kind": "dir", "size": 16, "files": 2, "sha256": "[0-9a-f]{64}"'

# Getting them back, checked.
ok "get a file" team artifacts get "$R" metrics.csv --to got
like "says it was checked" "$(cat "$T/out")" "got/metrics.csv \(file, 25 bytes, sha256 [0-9a-f]{12}\) checked"
ok "the same bytes" cmp src/metrics.csv got/metrics.csv
ok "get a folder" team artifacts get "$R" model --to got
ok "the same tree" diff -r src/model got/model
ok "get into the current folder" team artifacts get "$R" scores.csv
ok "there" cmp src/metrics.csv scores.csv
exits 1 "an unknown name" team artifacts get "$R" nope
like "says so" "$(cat "$T/err")" "no artifact named 'nope'"
exits 1 "an unknown run" team artifacts ls nosuchrun
exits 2 "get without a name" team artifacts get "$R"
exits 2 "get refuses --format json" team artifacts get "$R" model --format json

# Bad input loses nothing.
before=$(team artifacts ls "$R" --format csv)
exits 1 "a missing path" team log --run "$R" --artifact src/nope.bin -m loss=1
like "names it" "$(cat "$T/err")" "src/nope.bin: No such file"
exits 1 "a name with a slash" team log --run "$R" --artifact src/metrics.csv --name a/b
like "says why" "$(cat "$T/err")" "artifact name 'a/b'"
exits 2 "--name with two artifacts" team log --run "$R" --artifact src/metrics.csv --artifact src/copy.csv --name x
is "nothing changed" "$(team artifacts ls "$R" --format csv)" "$before"
ok "and no metric was logged" team runs show "$R" --format csv
unlike "no loss" "$(cat "$T/out")" "loss"

# A blob whose bytes changed is never served, and named.
wblob=$ROOT/blobs/$(printf 'weights v1\n' | sha256sum | cut -c1-2)/$(printf 'weights v1\n' | sha256sum | cut -c3-64)
ok "the weights' blob is there, read-only" test -f "$wblob" -a ! -w "$wblob" -o "$(id -u)" = 0
chmod u+w "$wblob"
printf 'weights v2\n' > "$wblob"
exits 1 "get a folder with a tampered blob" team artifacts get "$R" model --to bad
like "names the artifact, the file and the blob" "$(cat "$T/err")" "artifact 'model': file w.bin: blob $wblob does not match its sha256"
ok "nothing was written" test ! -e bad
mblob=$ROOT/blobs/$(sha256sum src/metrics.csv | cut -c1-2)/$(sha256sum src/metrics.csv | cut -c3-64)
chmod u+w "$mblob"
printf 'precision,recall\n0.1,0.8\n' > "$mblob"
exits 1 "get a tampered file" team artifacts get "$R" metrics.csv --to bad2
like "names it" "$(cat "$T/err")" "artifact 'metrics.csv': blob $mblob does not match"
ok "no file, not even a temporary" test -z "$(ls -A bad2 2>/dev/null)"
# Logging the same bytes again repairs the store.
ok "log the folder again" team log --run "$R" --artifact src/model --artifact src/metrics.csv
ok "the blob is whole again" team artifacts get "$R" model --to good
ok "the same tree" diff -r src/model good/model

# model register --artifact goes through the store; model path checks it.
ok "create a model" team model create clf
ok "register a folder" team model register clf --run "$R" --artifact src/model
ok "model path" team model path models:/clf/1
mpath=$(cat "$T/out")
is "a tree rebuilt in the store" "$mpath" "$ROOT/trees/$( (cd src/model && find . -type f | sed 's|^\./||' | LC_ALL=C sort | xargs sha256sum) | sha256sum | cut -c1-64)"
ok "with the registered files" diff -r src/model "$mpath"
chmod u+w "$wblob"
printf 'weights v3\n' > "$wblob"
exits 1 "model path with a changed file" team model path models:/clf/1
like "says which file changed" "$(cat "$T/err")" "models:/clf/1: version 1's artifact: file w.bin: blob $wblob does not match its sha256"
printf 'one file\n' > src/one.bin
ok "register a file" team model register clf --run "$R" --artifact src/one.bin
ok "its path is the checked blob" team model path models:/clf/latest
ok "with its bytes" cmp src/one.bin "$(cat "$T/out")"

# An entry point's outputs: are logged as the run's artifacts at its end.
mkdir proj
cat > proj/mlwb.yaml <<'YAML'
entry_points:
  train:
    command: sh train.sh
    outputs: [model.bin, "plots/*.txt", missing.txt]
  bad:
    command: sh train.sh
    outputs: {model: model.bin}
YAML
cat > proj/train.sh <<'SH'
mkdir -p plots
printf 'trained\n' > model.bin
printf 'a\n' > plots/a.txt
printf 'b\n' > plots/b.txt
echo "loss: 0.5"
SH
exits 1 "project check refuses outputs that are not paths" "$MLWB" project check --project proj/mlwb.yaml
like "names file, line and column" "$(cat "$T/err")" "mlwb.yaml:7:14: outputs must be a path or a list of paths"
sed -i '/^  bad:/,$d' proj/mlwb.yaml
ok "project check takes outputs" "$MLWB" project check --project proj/mlwb.yaml
ok "launch the entry point" sh -c 'cd proj && "$0" launch train' "$MLWB"
LR=$(sed -n 's/^run \([0-9a-f]*\) .*/\1/p' "$T/err" "$T/out" | head -1)
ok "its artifacts" team artifacts ls "$LR" --format csv
is "the outputs that exist, by name" "$(cut -d, -f1-4 "$T/out")" "name,kind,size,files
a.txt,file,2,1
b.txt,file,2,1
model.bin,file,8,1"
ok "the job's log says what was missing" "$MLWB" jobs log "$LR"
like "missing.txt" "$(cat "$T/out")" "output missing.txt: nothing there"
ok "and the run finished" team runs show "$LR" --format csv
like "finished" "$(cat "$T/out")" "^run,status,finished$"

# init can set the root of a new workspace.
ok "init --artifact-root" "$MLWB" --db box0.db init --artifact-root r0
ok "config says so" "$MLWB" --db box0.db config artifact-root
is "absolute" "$(cat "$T/out")" "$T/r0"
exits 1 "a root that cannot be made" "$MLWB" --db box0.db init --artifact-root /proc/nope/x
like "names it" "$(cat "$T/err")" "/proc/nope"

# One root shared by two workspaces: the same bytes kept once for both.
ok "box1 uses the shared root" "$MLWB" --db box1.db config artifact-root shared
ok "box2 too" "$MLWB" --db box2.db config artifact-root shared
B1=$("$MLWB" --db box1.db log --new -e art --name b1)
B2=$("$MLWB" --db box2.db log --new -e art --name b2)
ok "box1 logs the folder" "$MLWB" --db box1.db log --run "$B1" --artifact src/model
ok "box2 logs the same folder" "$MLWB" --db box2.db log --run "$B2" --artifact src/model
is "3 blobs for both" "$(blobs shared)" 3
ok "box2 serves it" "$MLWB" --db box2.db artifacts get "$B2" model --to from2
ok "whole" diff -r src/model from2/model

# push and pull carry the records, and the blobs where the roots differ.
printf 'box3 only\n' > src/b3.txt
B3=$("$MLWB" --db box3.db log --new -e art --name b3)
ok "box3 (default root) logs a file" "$MLWB" --db box3.db log --run "$B3" --artifact src/b3.txt
ok "box3 pushes to the team store" "$MLWB" --db box3.db push --to "$MLWB_DB"
ok "the team store lists it" team artifacts ls "$B3" --format csv
like "the record came" "$(cat "$T/out")" "^b3.txt,file,10,1,$(sha256sum src/b3.txt | cut -c1-64),"
ok "and the blob: the team store serves it" team artifacts get "$B3" b3.txt --to fromteam
ok "whole" cmp src/b3.txt fromteam/b3.txt
ok "push again" "$MLWB" --db box3.db push
like "nothing new" "$(cat "$T/out")" ": 0 new runs, 0 updated, 1 unchanged"
printf 'later\n' > src/later.txt
ok "box3 logs one more artifact" "$MLWB" --db box3.db log --run "$B3" --artifact src/later.txt
ok "push it" "$MLWB" --db box3.db push
like "the run is updated" "$(cat "$T/out")" ": 0 new runs, 1 updated"
ok "the team store serves the new one" team artifacts get "$B3" later.txt --to fromteam
ok "whole" cmp src/later.txt fromteam/later.txt
ok "box1 (shared root) pushes" "$MLWB" --db box1.db push --to "$MLWB_DB"
ok "the team store serves box1's folder" team artifacts get "$B1" model --to fromteam
ok "whole" diff -r src/model fromteam/model
ok "box4 pulls everything" "$MLWB" --db box4.db pull --from "$MLWB_DB"
ok "box4 lists the team's artifacts" "$MLWB" --db box4.db artifacts ls "$R" --format csv
like "with the registered folder" "$(cat "$T/out")" "^model,dir,16,2,"
ok "box4 serves box3's file from its own root" "$MLWB" --db box4.db artifacts get "$B3" later.txt --to from4
ok "whole" cmp src/later.txt from4/later.txt
ok "the blob is in box4's root" test -f "$T/box4.db.files/blobs/$(sha256sum src/later.txt | cut -c1-2)/$(sha256sum src/later.txt | cut -c3-64)"
# A damaged blob is not carried: the pull fails, naming it, and box5 is left as it was.
chmod u+w "$ROOT/blobs/$(sha256sum src/later.txt | cut -c1-2)/$(sha256sum src/later.txt | cut -c3-64)"
printf 'damaged\n' > "$ROOT/blobs/$(sha256sum src/later.txt | cut -c1-2)/$(sha256sum src/later.txt | cut -c3-64)"
"$MLWB" --db box5.db init >/dev/null
exits 1 "a pull meeting a damaged blob fails" "$MLWB" --db box5.db pull --from "$MLWB_DB"
like "naming the artifact and the blob" "$(cat "$T/err")" "later.txt: blob $ROOT/blobs/.* does not match its sha256"
ok "box5 has no runs" "$MLWB" --db box5.db runs ls --format csv
is "none" "$(tail -n +2 "$T/out")" ""

done_testing
