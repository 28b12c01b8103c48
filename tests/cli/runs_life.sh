#!/bin/sh
# The run lifecycle (doc/runs.md, "Lifecycle"): delete hides a run from
# every list, count, search and completion and keeps its points; restore
# brings it back; purge removes it for good, refuses a run that backs a
# model version, and leaves a tombstone that push/pull honour; rename,
# tag, note (also through $EDITOR); experiments' rename, delete, restore;
# the deleted = true filter; and the changes travelling with push/pull.
# Runs on both stores ($MLWB_DB is a PostgreSQL store under check-pg).
. "$(dirname "$0")/lib.sh"

ws() { "$MLWB" "$@"; }
A=$(ws log --new -e life --name alpha -p lr=0.1 -t team=a -m loss=1.0)
ws log --run "$A" -m loss=0.5 >/dev/null
B=$(ws log --new -e life --name beta -m loss=2.0)
C=$(ws log --new -e other --name gamma -m loss=3.0)

ok "runs delete by name" ws runs delete alpha --format csv
like "prints what it deleted" "$(cat "$T/out")" "^deleted,$A,life,alpha,"
unlike "runs ls hides it" "$(ws runs ls --format csv)" "$A"
like "runs ls --deleted shows only it" "$(ws runs ls --deleted --format csv | tail -n +2)" "^$A,life,alpha,"
is "runs ls --deleted: one run" "$(ws runs ls --deleted --format csv | tail -n +2 | wc -l)" 1
is "runs ls --all: three" "$(ws runs ls --all --format csv | tail -n +2 | wc -l)" 3
is "filter deleted = true" "$(ws runs ls --filter 'deleted = true' --format csv | tail -n +2 | cut -d, -f1)" "$A"
is "filter with a term hides it" "$(ws runs ls --filter 'metrics.loss < 5' --format csv | tail -n +2 | wc -l)" 2
is "exp ls counts live runs" "$(ws exp ls --format csv | grep '^life,' | cut -d, -f2)" 1
unlike "completion leaves it out" "$(ws __complete run al 2>/dev/null; ws __complete run "$(printf %s "$A" | cut -c1-6)" 2>/dev/null)" "alpha|$A"
is "its points are kept" "$(wsql "SELECT count(*) FROM metric_summary s JOIN runs r ON r.id = s.run_id WHERE r.uuid = '$A'")" 1
ok "runs show still shows a deleted run" ws runs show "$A" --format csv
like "and says when it was deleted" "$(cat "$T/out")" "^run,deleted,"
ok "deleting again is no error" ws runs delete "$A" --format csv
like "it says so" "$(cat "$T/out")" "^already deleted,"
ok "runs restore" ws runs restore "$A" --format csv
like "restored" "$(cat "$T/out")" "^restored,$A,"
is "back in runs ls" "$(ws runs ls --format csv | grep -c "$A")" 1

ok "runs delete --filter" ws runs delete --filter "name = 'beta'"
is "beta deleted" "$(ws runs ls --deleted --format csv | tail -n +2 | cut -d, -f1)" "$B"
ok "runs restore --filter" ws runs restore --filter "name = 'beta'"
exits 2 "runs delete without a run" ws runs delete
exits 1 "a bad filter" ws runs delete --filter "nope ="
like "named" "$(cat "$T/err")" "filter:1:"
exits 1 "an unknown run" ws runs delete nosuchrun
is "nothing changed by the failures" "$(ws runs ls --format csv | tail -n +2 | wc -l)" 3

# rename, tag, note
ok "runs rename" ws runs rename "$A" alpha2 --format csv
like "renamed, with the old name" "$(cat "$T/out")" "^renamed,$A,life,alpha2,alpha$"
ok "runs tag k=v" ws runs tag "$A" stage=tuned owner=me
ok "runs tag --remove" ws runs tag "$A" --remove team
tags=$(ws runs show "$A" --format csv | grep '^tag,' | cut -d, -f2- | tr '\n' ' ')
is "tags set and removed" "$tags" "owner,me stage,tuned "
exits 2 "a tag without =" ws runs tag "$A" oops
ok "runs note TEXT" ws runs note "$A" "lr too high; rerun with 0.01"
ok "runs note prints it" ws runs note "$A"
is "the note" "$(cat "$T/out")" "lr too high; rerun with 0.01"
cat > ed.sh <<'ED'
#!/bin/sh
echo "second line from the editor" >> "$1"
ED
chmod +x ed.sh
VISUAL="$T/ed.sh" ok "runs note --edit runs \$VISUAL" ws runs note "$A" --edit
is "the edited note" "$(ws runs note "$A")" "lr too high; rerun with 0.01
second line from the editor"
printf '#!/bin/sh\nexit 3\n' > fail.sh; chmod +x fail.sh
VISUAL= EDITOR="$T/fail.sh" exits 1 "an editor that fails saves nothing" ws runs note "$A" --edit
is "note as it was" "$(ws runs note "$A" | wc -l)" 2
printf '#!/bin/sh\ntrue\n' > same.sh; chmod +x same.sh
VISUAL="$T/same.sh" ok "an unchanged note" ws runs note "$A" --edit
like "is not saved" "$(cat "$T/err")" "note unchanged"
ok "runs note '' clears it" ws runs note "$A" ""
is "no note" "$(ws runs note "$A")" ""

# experiments
ok "exp rename" ws exp rename other others
like "the runs follow" "$(ws runs ls --format csv)" "$C,others,gamma"
exits 1 "exp rename to a name in use" ws exp rename others life
like "named" "$(cat "$T/err")" "an experiment named 'life' already exists"
ok "exp delete" ws exp delete others
unlike "its runs are hidden" "$(ws runs ls --format csv)" "$C"
unlike "exp ls hides it" "$(ws exp ls --format csv)" "^others,"
like "exp ls --deleted shows it" "$(ws exp ls --deleted --format csv)" "^others,"
like "its runs are among the deleted" "$(ws runs ls --deleted --format csv)" "$C"
ok "exp restore" ws exp restore others
like "its runs are back" "$(ws runs ls --format csv)" "$C"

# purge
ok "delete beta" ws runs delete "$B"
ok "purge --older-than 1 keeps a run deleted today" ws runs purge --older-than 1
is "beta still there" "$(ws runs ls --deleted --format csv | tail -n +2 | cut -d, -f1)" "$B"
exits 1 "purge of a live run is refused" ws runs purge "$A"
like "naming it" "$(cat "$T/err")" "run 'alpha2' is not deleted"
ok "purge" ws runs purge --format csv
like "says what it removed" "$(cat "$T/out")" "^purged,$B,life,beta,1 point$"
like "and the total" "$(cat "$T/err")" "purged 1 run and 1 metric point"
is "gone for good" "$(wsql "SELECT count(*) FROM runs WHERE uuid = '$B'")" 0
is "its points too" "$(wsql "SELECT count(*) FROM metric_chunks c LEFT JOIN runs r ON r.id = c.run_id WHERE r.id IS NULL")" 0
is "a tombstone" "$(wsql "SELECT count(*) FROM runs_purged WHERE uuid = '$B'")" 1
ws model create clf >/dev/null 2>&1
ok "a model version on gamma" ws model register clf --run "$C"
ok "delete gamma" ws runs delete "$C"
exits 1 "purge refuses the run behind a model version" ws runs purge "$C"
like "naming the model" "$(cat "$T/err")" "run 'gamma' backs model clf version 1; it is kept"
is "still there" "$(wsql "SELECT count(*) FROM runs WHERE uuid = '$C'")" 1
ok "restore gamma" ws runs restore "$C"

# Nested runs: an Optuna study's trials under one parent run.
ok "import an Optuna study" ws import -e study "$top_srcdir/tests/data/import/sweeps/optuna.csv"
like "four trials (the parent is not counted)" "$(cat "$T/out" "$T/err")" "4 runs"
is "parent = NAME selects the trials" "$(ws runs ls --filter "parent = 'optuna'" --format csv | tail -n +2 | cut -d, -f3 | tr '\n' ' ')" "trial-0 trial-1 trial-2 trial-3 "
is "parent IS NULL: the top-level runs of the study" "$(ws runs ls -e study --filter "parent IS NULL" --format csv | tail -n +2 | cut -d, -f3)" "optuna"
like "--tree indents the trials" "$(ws runs ls -e study --tree --format csv | cut -d, -f3 | tr '\n' '|')" "^name\|optuna\|  trial-0\|  trial-1\|  trial-2\|  trial-3\|$"
ok "runs show names the children" ws runs show optuna --format csv
like "child rows" "$(cat "$T/out")" "^child,trial-2,"
ok "runs show names the parent" ws runs show trial-1 --format csv
like "parent row" "$(cat "$T/out")" "^run,parent,optuna \("
P=$(ws runs ls -e study --filter "name = 'optuna'" --format csv | tail -1 | cut -d, -f1)
ok "JSON carries the parent's UUID" ws runs ls --filter "parent = '$P'" --format json
like "parent" "$(cat "$T/out")" "\"parent\": \"$P\""
ok "deleting the parent alone" ws runs delete optuna
like "says the children stay" "$(cat "$T/err")" "run 'optuna' has 4 live child runs; they are kept"
is "the trials are still listed" "$(ws runs ls -e study --format csv | tail -n +2 | wc -l)" 4
ok "restore the parent" ws runs restore optuna
ok "delete with --children" ws runs delete optuna --children --format csv
like "with its descendants" "$(cat "$T/out")" "deleted,$P,study,optuna,with 4 descendants"
is "the study is all hidden" "$(ws runs ls -e study --format csv | tail -n +2 | wc -l)" 0
ok "restore with --children" ws runs restore optuna --children
is "all back" "$(ws runs ls -e study --format csv | tail -n +2 | wc -l)" 5

# push and pull carry the lifecycle; a purge is not undone by a pull.
box() { "$MLWB" --db box.db "$@"; }
ok "pull into a box" box pull --from "$MLWB_DB"
is "the purged run does not come back" "$(box runs ls --all --format csv | grep -c "$B")" 0
ok "delete and rename on the box" box runs delete "$A"
ok "tag on the box" box runs tag "$C" --remove nosuch color=red
ok "push" box push --to "$MLWB_DB"
is "the deletion travelled" "$(ws runs ls --deleted --format csv | tail -n +2 | cut -d, -f1)" "$A"
like "the tag travelled" "$(ws runs show "$C" --format csv)" "^tag,color,red$"
ok "remove the tag on the team side" ws runs tag "$C" --remove color
ok "pull" box pull --from "$MLWB_DB"
unlike "the removal travelled" "$(box runs show "$C" --format csv)" "color"
ok "purge on the box" box runs purge "$A"
ok "push the purge" box push --to "$MLWB_DB"
is "purged on the team side too" "$(wsql "SELECT count(*) FROM runs WHERE uuid = '$A'")" 0
ok "pull again" box pull --from "$MLWB_DB"
is "still purged on the box" "$(box runs ls --all --format csv | grep -c "$A")" 0
is "the parent links travelled (by UUID)" "$(box runs ls --filter "parent = 'optuna'" --format csv | tail -n +2 | wc -l)" 4
ok "exp delete on the team side" ws exp delete life
ok "pull" box pull --from "$MLWB_DB"
like "the box has it deleted" "$(box exp ls --deleted --format csv)" "^life,"
done_testing
