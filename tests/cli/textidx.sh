#!/bin/sh
# The runs screen's plain-text filter (`/text`) through the text index
# (src/db_textidx.c: FTS5 trigram on SQLite, pg_trgm on PostgreSQL)
# counts exactly the runs the scan finds: the store's own client runs the
# scan's query (name, param and tag keys and values, LIKE on SQLite,
# ILIKE on PostgreSQL) for each pattern, beside the count in the runs
# screen's title.  Patterns of every length, accents in both cases, CJK,
# LIKE's own characters; after renames, tag removal, deletes, a purge and
# runs brought in by a push.  Doctor reports the index in step, and says
# when the filter scans.  Runs on both stores.
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
