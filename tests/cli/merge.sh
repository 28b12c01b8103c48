#!/bin/sh
# `mlwb merge`: runs of other workspaces by UUID, idempotent, read-only
# on the other file, nothing written on error.
. "$(dirname "$0")/lib.sh"

"$MLWB" --db box1.db demo >/dev/null
R=$("$MLWB" --db box2.db log --new -e cifar10-resnet --name box2-run -p lr=0.2 -m loss=1.5)
"$MLWB" --db box2.db log --run "$R" -m loss=1.0 -t box=two
"$MLWB" --db box2.db log --new -e new-exp --name only-here -m acc=0.5 >/dev/null
cp box2.db box2.orig
sum_before=$(sha256sum box2.db | cut -d' ' -f1)

ok "merge a second box" "$MLWB" --db box1.db merge box2.db
is "reports what it did" "$(cat "$T/out")" "box2.db: 2 new runs, 0 updated, 0 unchanged, 3 new points, 1 new experiments"
ok "merge again" "$MLWB" --db box1.db merge box2.db
is "nothing new the second time" "$(cat "$T/out")" "box2.db: 0 new runs, 0 updated, 2 unchanged, 0 new points, 0 new experiments"
is "the other file was not written" "$(sha256sum box2.db | cut -d' ' -f1)" "$sum_before"
ok "the merged run is whole" "$MLWB" --db box1.db runs show "$R" --format csv
like "its experiment matched by name" "$(cat "$T/out")" "^run,experiment,cifar10-resnet$"
like "params" "$(cat "$T/out")" "^param,lr,0.2$"
like "tags" "$(cat "$T/out")" "^tag,box,two$"
like "metric summary" "$(cat "$T/out")" "^metric,loss,last 1 \\(step 1\\) +min 1 +max 1.5 +count 2$"
ok "points too" "$MLWB" --db box1.db metrics "$R" loss --format csv
is "both points" "$(cut -d, -f1,3 "$T/out")" "step,value
0,1.5
1,1"
ok "exp ls" "$MLWB" --db box1.db exp ls --format csv
is "counts" "$(cut -d, -f1,2 "$T/out")" "name,runs
bert-sentiment,12
cifar10-resnet,25
new-exp,1
tabular-xgb,8"
ok "doctor after merge" "$MLWB" --db box1.db doctor
# The text index (db_textidx.c) of the merged runs is filled in bulk,
# its triggers set aside meanwhile: the index is whole, holds the new
# names, params and tags, and the triggers are back for later writes.
is "the text index is sound after a merge" "$(sqlite3 box1.db "INSERT INTO run_fts (run_fts) VALUES ('integrity-check'); SELECT count(*) FROM run_text")" \
    "$(sqlite3 box1.db "SELECT (SELECT count(*) FROM runs) + (SELECT count(*) FROM params) + (SELECT count(*) FROM tags)")"
# (detail=none takes no phrases: each term is one trigram)
is "it finds the merged run by name, param and tag" "$(sqlite3 box1.db "SELECT group_concat(k || '=' || v) FROM (SELECT DISTINCT t.k, t.v FROM run_fts f JOIN run_text t ON t.id = f.rowid JOIN runs r ON r.id = t.run_id WHERE run_fts MATCH '\"2-r\" OR \"0.2\" OR \"two\"' AND r.uuid = '$R' ORDER BY t.src)")" "=box2-run,lr=0.2,box=two"
is "the insert triggers are back" "$(sqlite3 box1.db "SELECT count(*) FROM sqlite_master WHERE type = 'trigger' AND name GLOB '*_text_ai'")" 4
"$MLWB" --db box1.db log --new -e new-exp --name after-merge -p opt=sgd >/dev/null
is "and index what is written after it" "$(sqlite3 box1.db "SELECT count(*) FROM run_fts WHERE run_fts MATCH '\"r-m\"'")" 1

cp box1.db before.db
sum1=$(sha256sum box1.db | cut -d' ' -f1)
exits 1 "a file that is not a workspace" "$MLWB" --db box1.db merge /etc/hostname
exits 1 "a missing file" "$MLWB" --db box1.db merge nope.db
like "named in the error" "$(cat "$T/err")" "nope.db"
exits 1 "itself" "$MLWB" --db box1.db merge box1.db
is "the workspace is unchanged after the errors" "$(sha256sum box1.db | cut -d' ' -f1)" "$sum1"

# A damaged workspace is refused with the damage named, nothing copied:
# a B-tree page overwritten, and summaries that disagree with their points.
"$MLWB" --db box3.db demo >/dev/null
cp box3.db broken.db
root=$(sqlite3 broken.db "SELECT rootpage FROM sqlite_master WHERE name = 'params'")
psize=$(sqlite3 broken.db "PRAGMA page_size")
printf '\377\377\377\377\377\377\377\377\377\377\377\377' |
    dd of=broken.db bs=1 seek=$(( (root - 1) * psize )) conv=notrunc 2>/dev/null
exits 1 "a workspace with a broken page is refused" "$MLWB" --db box1.db merge broken.db
like "naming the damage" "$(cat "$T/err")" "broken.db: damaged, nothing merged: Page $root: "
cp box3.db skewed.db
sqlite3 skewed.db "UPDATE metric_summary SET count = count + 1 WHERE run_id = (SELECT min(run_id) FROM metric_summary)"
exits 1 "a workspace whose summaries disagree with its points is refused" "$MLWB" --db box1.db merge skewed.db
like "naming the run" "$(cat "$T/err")" "skewed.db: damaged, nothing merged: run [0-9a-f]{32} \([^)]*\): metric [^:]+: summary says [0-9]+ points, chunks hold"
# A copy cut short (a transfer that stopped): refused, naming the file.
cp box3.db cut.db
truncate -s $(( $(stat -c %s box3.db) * 9 / 10 / 4096 * 4096 )) cut.db
exits 1 "a truncated workspace is refused" "$MLWB" --db box1.db merge cut.db
like "naming the file and the damage" "$(cat "$T/err")" "cut.db: .*malformed"
# The check runs beside the copy (db_merge.c): a damaged file whose rows
# copy cleanly is still refused, its damage named, before the commit.
cp box3.db late.db
sqlite3 late.db "UPDATE metric_summary SET count = count + 1 WHERE run_id = (SELECT max(run_id) FROM metric_summary)"
exits 1 "a file damaged past the rows the copy reads first is refused" "$MLWB" --db box1.db merge late.db
like "naming the damage" "$(cat "$T/err")" "late.db: damaged, nothing merged: run [0-9a-f]{32}"
is "the workspace is unchanged" "$(sha256sum box1.db | cut -d' ' -f1)" "$sum1"
ok "the sound copy merges" "$MLWB" --db box1.db merge box3.db

done_testing
