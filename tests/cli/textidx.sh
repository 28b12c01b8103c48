#!/bin/sh
# The runs screen's plain-text filter (`/text`) through the text index
# (src/db_textidx.c: FTS5 trigram on SQLite, pg_trgm on PostgreSQL)
# counts exactly the runs the scan finds: the store's own client runs the
# scan's query (name, param and tag keys and values, LIKE on SQLite,
# ILIKE on PostgreSQL) for each pattern, beside the count in the runs
# screen's title.  Patterns of every length, accents in both cases, CJK,
# LIKE's own characters; after renames, tag removal, deletes, a purge and
# runs brought in by a push and by an MLflow import (one killed before
# its commit).  Doctor reports the index in step, and says when the
# filter scans.  Runs on both stores.
. "$(dirname "$0")/lib.sh"
export TZ=UTC
W=${MLWB_DB#"$T"/}
ws() { "$MLWB" --db "$W" "$@"; }
case $MLWB_DB in
postgres://*|postgresql://*) LK=ILIKE ;;
*) LK=LIKE ;;
esac

i=0
for name in run-1 run-12 Run-123 RUN-7 résumé RÉSUMÉ straße 日本語の実験 \
    '100%-done' a_b 'back\slash' 'quo"te' 'space here' ωmega Ωmega x y; do
	i=$((i + 1))
	ws log --new -e "exp$((i % 3))" --name "$name" -p "lr=0.0$i" \
	    -p "optimizer=$(echo adam SGD AdamW résumé 日本 | cut -d' ' -f$((i % 5 + 1)))" \
	    -t "team=$(echo vision NLP Ωteam | cut -d' ' -f$((i % 3 + 1)))" \
	    -m loss=1 >/dev/null
done

# count PATTERN: the runs screen's count for /PATTERN (its title).
count() {
	printf '2\n/%s\n' "$1" > "$T/keys"
	"$MLWB" --db "$W" --script "$T/keys" --dump-screen "$T/screen" \
	    --size 160x40 >/dev/null 2>&1 || { echo "script failed"; return; }
	head -1 "$T/screen" | sed -E 's/.*runs of all experiments +([0-9]+) .*/\1/'
}
# scan PATTERN: the same count by the store's own client, scanning.
scan() {
	p=$(printf %s "$1" | sed -e 's/\\/\\\\/g' -e 's/%/\\%/g' -e 's/_/\\_/g')
	wsql "SELECT count(*) FROM runs r WHERE r.deleted_at IS NULL AND
	    (r.name $LK '%$p%' ESCAPE '\\'
	    OR r.id IN (SELECT run_id FROM params WHERE key $LK '%$p%'
	    ESCAPE '\\' OR value $LK '%$p%' ESCAPE '\\')
	    OR r.id IN (SELECT run_id FROM tags WHERE key $LK '%$p%'
	    ESCAPE '\\' OR value $LK '%$p%' ESCAPE '\\'))"
}
check_all() {	# check_all WHEN
	bad=''
	seen=0
	for p in a r ru run RUN-1 un-12 run-123 é É résumé RÉSUMÉ ésu 'ss' \
	    straße 日本 日本語 本語の 100% 0%- a_b _ '\' 'back\' 'o"t' \
	    'e h' ωme Ωme adam ADAMW opt lr 0.01 0.0 team NLP Ωte zzz; do
		c=$(count "$p")
		s=$(scan "$p")
		[ "$c" = "$s" ] || bad="$bad [$p: screen $c, scan $s]"
		seen=$((seen + s))
	done
	is "$1: index equals scan" "$bad" ""
	ok "$1: the patterns match runs ($seen)" test "$seen" -gt 50
}

check_all "fresh runs"
like "doctor is clean" "$(ws doctor)" ": ok$"

ws runs rename run-12 renamed-12 >/dev/null
ws runs rename résumé plain >/dev/null
ws runs tag Run-123 --remove team >/dev/null
ws runs tag x team=résumé-team >/dev/null
ws runs delete RUN-7 >/dev/null
ws runs delete y >/dev/null
ws runs purge y >/dev/null
check_all "after renames, tags, deletes and a purge"

# Runs that arrive by a push (SQLite: into this file; PostgreSQL: into
# the store) are found as well.
for n in pushed-run-1 PUSHED-RÉSUMÉ; do
	"$MLWB" --db box.db log --new -e exp9 --name "$n" -p lr=0.5 \
	    -t team=far -m loss=2 >/dev/null
done
ok "push into the workspace" "$MLWB" --db box.db push --to "$MLWB_DB"
check_all "after a push"
like "doctor is still clean" "$(ws doctor)" ": ok$"
unlike "and does not say the filter scans" "$(ws doctor)" "note:"

# An MLflow import writes its new runs' text a row at a time and indexes
# it once, at its commit (db_textidx_defer): the same answers, the FTS5
# index in step with its table, the triggers back for later writers.  A
# kill -9 before the commit leaves index and tables as they were.
sqlite3 mlf.db "CREATE TABLE experiments (experiment_id INTEGER, name TEXT);
    CREATE TABLE runs (run_uuid TEXT, name TEXT, experiment_id INTEGER);
    CREATE TABLE params (key TEXT, value TEXT, run_uuid TEXT);
    CREATE TABLE tags (key TEXT, value TEXT, run_uuid TEXT);
    INSERT INTO experiments VALUES (1, 'mlf');
    INSERT INTO runs VALUES ('000000000000000000000000000000a1', 'mlf-run-1', 1),
    ('000000000000000000000000000000a2', 'MLF-RÉSUMÉ', 1),
    ('000000000000000000000000000000a3', 'mlf 日本語', 1);
    INSERT INTO params VALUES ('optimizer', 'AdamW-mlf', '000000000000000000000000000000a1'),
    ('lr', '0.0123', '000000000000000000000000000000a2'),
    ('note', 'back\slash 100%', '000000000000000000000000000000a3');
    INSERT INTO tags VALUES ('team', 'Ωteam-mlf', '000000000000000000000000000000a2'),
    ('mlflow.user', 'straße', '000000000000000000000000000000a3')"
fts_ok() {	# fts_ok WHEN: SQLite's run_fts matches run_text, triggers there
	case $MLWB_DB in
	postgres://*|postgresql://*) return ;;
	esac
	ok "$1: FTS5 index in step with its table" sqlite3 "$MLWB_DB" \
	    "INSERT INTO run_fts (run_fts, rank) VALUES ('integrity-check', 1)"
	is "$1: its triggers are there" "$(wsql "SELECT group_concat(name, ' ')
	    FROM (SELECT name FROM sqlite_master WHERE type = 'trigger' AND
	    tbl_name = 'run_text' ORDER BY name)")" "run_text_ad run_text_ai run_text_au"
	is "$1: the mirror's insert triggers are there" "$(wsql "SELECT
	    group_concat(name, ' ') FROM (SELECT name FROM sqlite_master WHERE
	    type = 'trigger' AND name LIKE '%_text_ai' AND tbl_name != 'run_text'
	    ORDER BY name)")" "params_text_ai runs_text_ai tags_text_ai"
	is "$1: no temporary triggers left" "$(wsql "SELECT count(*) FROM
	    sqlite_temp_master WHERE type = 'trigger'")" 0
}
before=$(wsum)
MLWB_TEST_MLFLOW_STALL="$T/stalled" "$MLWB" --db "$W" import-mlflow mlf.db \
    >/dev/null 2>&1 &
pid=$!
ok "the import stalls before its commit" wait_file "$T/stalled"
kill -9 $pid
wait $pid 2>/dev/null || true
is "killed import: nothing of it is there" "$(scan mlf)" 0
fts_ok "after the killed import"
case $MLWB_DB in
postgres://*|postgresql://*) ;;
*) is "killed import: the workspace is as before" "$(wsum)" "$before" ;;
esac
check_all "after the killed import"
ok "import from MLflow" ws import-mlflow mlf.db
is "its runs are found" "$(count mlf)" 3
check_all "after an MLflow import"
fts_ok "after the MLflow import"
wsql "INSERT INTO params (run_id, key, value) SELECT id, 'by-sqlite',
    'plain-writer' FROM runs WHERE name = 'mlf-run-1'"
is "a plain client's write is indexed" "$(count plain-wr)" 1
ok "a renamed source run imports again" sqlite3 mlf.db "UPDATE runs SET
    name = 'renamed-mlf' WHERE name = 'mlf-run-1'; UPDATE params SET
    value = 'SGD-mlf' WHERE key = 'optimizer'"
ok "import again" ws import-mlflow mlf.db
is "the old name and value are gone" "$(count AdamW-mlf)" 0
is "the new ones are found" "$(count renamed-mlf)" 1
check_all "after an MLflow re-import"
fts_ok "after the MLflow re-import"
# A run that was there gains a param and a tag and has a tag changed,
# after a new run came in (runs go in UUID order) and set the triggers
# aside: the rows written for the old run are mirrored at the commit.
ok "the source grows" sqlite3 mlf.db "INSERT INTO runs VALUES
    ('000000000000000000000000000000a0', 'mlf-late-run', 1);
    INSERT INTO params VALUES ('late', 'late-param-x9', '000000000000000000000000000000a0'),
    ('added', 'added-to-old-q7', '000000000000000000000000000000a3');
    INSERT INTO tags VALUES ('stage', 'stage-tag-z3', '000000000000000000000000000000a3');
    UPDATE tags SET value = 'Ωteam-changed' WHERE key = 'team'"
ok "import the grown source" ws import-mlflow mlf.db
is "the new run's param is found" "$(count late-param-x9)" 1
is "the old run's new param is found" "$(count added-to-old-q7)" 1
is "the old run's new tag is found" "$(count stage-tag-z3)" 1
is "the changed tag is found" "$(count Ωteam-changed)" 1
is "its old value is gone" "$(count Ωteam-mlf)" 0
check_all "after a grown source"
fts_ok "after a grown source"
like "doctor is clean after the imports" "$(ws doctor)" ": ok$"

# A CSV import: its stage has no text index of its own; the workspace's
# triggers index the runs and params it publishes.
mkdir -p ray/PPO_env_0_csvtrial
printf 'training_iteration,time_total_s,loss\n1,1.5,0.9\n2,3.0,0.7\n' \
    > ray/PPO_env_0_csvtrial/progress.csv
printf '{"optimizer": "csv-RÉSUMÉ-opt", "lr": 0.5}\n' \
    > ray/PPO_env_0_csvtrial/params.json
ok "import a Ray Tune trial" ws import --experiment csvexp ray
is "its param is found" "$(count CSV-RÉSUMÉ-OPT)" 1
check_all "after a CSV import"
fts_ok "after the CSV import"

# Without the index the filter scans and doctor says so.
case $MLWB_DB in
postgres://*|postgresql://*)
	wsql "DROP INDEX runs_name_trgm" ;;
*)	wsql "DROP TABLE run_fts" ;;
esac
like "doctor says the filter scans" "$(ws doctor)" "note: the text filter scans every run"
is "the filter still answers" "$(count run)" "$(scan run)"
ok "init builds the index again" ws init
unlike "doctor says nothing more" "$(ws doctor)" "note:"
is "through the index again" "$(count résumé)" "$(scan résumé)"
done_testing
