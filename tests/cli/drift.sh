#!/bin/sh
# `mlwb drift`: exit codes (0 no drift, 1 drift, 2 error), the JSON object
# scripts rely on, the schema checks, per-column methods, bad CSVs with
# file:line, and --save / --model then `drift ls` and `drift show`.
. "$(dirname "$0")/lib.sh"
D="$top_srcdir/tests/data/drift"
cols=precipitation,temp_max,temp_min,wind,weather

exits 1 "seattle 2012 vs 2015 drifts" "$MLWB" drift $D/seattle_2012.csv $D/seattle_2015.csv --columns $cols --format json
j=$(cat "$T/out")
like "json: 5 tested" "$j" '"tested_columns":5,'
like "json: 3 drifted (temp_max, temp_min, weather)" "$j" '"drifted_columns":3,"drift_share":0.6,'
like "json: dataset_drift true" "$j" '"dataset_drift":true'
like "json: a column object" "$j" '\{"column":"temp_max","type":"num","method":"ks","statistic":0\.1525[0-9]*,"p_value":0\.000315[0-9]*,"threshold":0\.05,"drifted":true'
like "json: chisquare on categories" "$j" '"column":"weather","type":"cat","method":"chisquare"'
cp "$T/out" seattle.json
ok "python reads the json" /usr/bin/python3 -c "
import json,sys; d=json.load(open('seattle.json'))
assert [c['column'] for c in d['columns'] if c['drifted']]==['temp_max','temp_min','weather']
assert all(set(['column','type','method','statistic','p_value','threshold','drifted'])<=set(c) for c in d['columns'])
"

exits 0 "a random split of the same data: no drift" "$MLWB" drift $D/seattle_randa.csv $D/seattle_randb.csv --columns $cols --format csv
is "csv: no column drifted" "$(cut -d, -f11 "$T/out" | sort -u | tr '\n' ' ')" "drifted false "
like "verdict on stderr under csv" "$(cat "$T/err")" "no data set drift: 0 of 5 columns drifted"

exits 1 "wasserstein everywhere (--method)" "$MLWB" drift $D/seattle_2012.csv $D/seattle_2015.csv --columns temp_max,wind --method wasserstein --format csv
like "method column" "$(cat "$T/out")" "^temp_max,num,366,365,0,0,wasserstein,"
exits 0 "--method-for with its own threshold" "$MLWB" drift $D/seattle_2012.csv $D/seattle_2015.csv --columns temp_max,wind --method-for temp_max=psi:0.9 --format csv
like "psi at threshold 0.9" "$(cat "$T/out")" "^temp_max,num,366,365,0,0,psi,[0-9.e-]+,,0.9,false$"
exits 0 "--drift-share 0.7 (3 of 5 is not enough)" "$MLWB" drift $D/seattle_2012.csv $D/seattle_2015.csv --columns $cols --drift-share 0.7 --format json
exits 1 "--categorical makes a numeric column categorical" "$MLWB" drift $D/small_ref.csv $D/small_cur.csv --columns k --categorical k --format csv
like "k tested with chisquare" "$(cat "$T/out")" "^k,cat,200,150,0,0,chisquare,"
exits 1 "--method ks leaves categorical columns to their default" "$MLWB" drift $D/small_ref.csv $D/small_cur.csv --method ks --format csv
like "x with ks" "$(cat "$T/out")" "^x,num,192,144,[0-9.]+,[0-9.]+,ks,"
like "color keeps chisquare" "$(cat "$T/out")" "^color,cat,195,146,[0-9.]+,[0-9.]+,chisquare,"
exits 2 "ks chosen for a categorical column is an error" "$MLWB" drift $D/small_ref.csv $D/small_cur.csv --method-for color=ks
like "says which column" "$(cat "$T/err")" "column 'color': ks needs a numeric column"

# Schema checks fail the verdict even when nothing drifts.
printf 'a,b,c\n1,x,5\n2,y,6\n3,x,7\n4,y,8\n' > ref.csv
printf 'a,b,d\n1,x,1\n2,y,2\n3,x,3\n,y,4\n' > cur.csv
exits 1 "missing/added columns and missing share fail the verdict" "$MLWB" drift ref.csv cur.csv --format json
like "column missing in current" "$(cat "$T/out")" '\{"column":"c","issue":"missing in current"\}'
like "column added in current" "$(cat "$T/out")" '\{"column":"d","issue":"added in current"\}'
like "missing share jumped" "$(cat "$T/out")" '\{"column":"a","issue":"missing share jumped from 0.0% to 25.0%"\}'
exits 1 "the same as text" "$MLWB" drift ref.csv cur.csv --format csv
like "the verdict names what failed" "$(cat "$T/err")" 'schema checks failed: [a-z]+ \([a-z]+'
like "each of them" "$(cat "$T/err")" 'schema checks failed: .*c \(missing in current\).*d \(added in current\)|schema checks failed: .*d \(added in current\).*c \(missing in current\)'
printf 'a,b\n1,x\n2,y\n3,x\n' > r2.csv
printf 'a,b\n1,x\nten,y\n3,x\n' > c2.csv
exits 1 "type changed is reported" "$MLWB" drift r2.csv c2.csv --format json
like "numeric -> categorical" "$(cat "$T/out")" '"issue":"type changed: numeric in reference, categorical in current"'

# Errors: exit 2 with file:line.
printf 'a,b\n1,2\n3,4,5\n' > bad.csv
exits 2 "bad CSV" "$MLWB" drift ref.csv bad.csv
is "file:line: what" "$(cat "$T/err")" "mlwb: bad.csv:3: 3 fields, the header has 2"
printf 'a,b\n1,"2\n' > quote.csv
exits 2 "unterminated quote" "$MLWB" drift quote.csv ref.csv
like "file:line" "$(cat "$T/err")" "^mlwb: quote.csv:2:"
printf 'a\nNaN\n\n' > empty.csv
printf 'a\n1\n' > one.csv
exits 2 "all-missing column: a clear error" "$MLWB" drift one.csv empty.csv
like "says so" "$(cat "$T/err")" "column 'a': no values in the current data"
printf 'a,b,c,d\n1,x,1,5\n2,y,2,6\n3,x,3,7\n' > many.csv
printf 'a,b,c,d\n1,x,,5\n2,y,NA,6\n3,x,nan,7\n' > manyc.csv
exits 2 "an all-missing column among others (columns tested on two threads)" "$MLWB" drift many.csv manyc.csv
is "the one error, once" "$(cat "$T/err")" "mlwb: column 'c': no values in the current data (3 missing)"
printf 'a,\033[2Jb\n1,\n2,\n' > esc.csv
printf 'a,\033[2Jb\n1,\n2,\n' > esc2.csv
exits 2 "an error quoting a column name" "$MLWB" drift esc.csv esc2.csv
is "is sanitised" "$(cat "$T/err")" 'mlwb: column '"'"'\e[2Jb'"'"': no values in the reference (2 missing)'
exits 2 "missing file" "$MLWB" drift nosuch.csv ref.csv
exits 2 "unknown method" "$MLWB" drift ref.csv cur.csv --method foo
exits 2 "unknown --columns name" "$MLWB" drift ref.csv cur.csv --columns zz
like "names it" "$(cat "$T/err")" "no column 'zz'"
exits 2 "unknown --categorical name" "$MLWB" drift ref.csv cur.csv --categorical zz
like "names it" "$(cat "$T/err")" "--categorical: no column 'zz'"
exits 2 "one file only" "$MLWB" drift ref.csv
ok "--help" "$MLWB" drift --help
like "help lists the methods" "$(cat "$T/out")" "jensenshannon hellinger"

# Saving, listing, showing; the database is untouched by errors.
ok "init" "$MLWB" init
exits 1 "--save" "$MLWB" drift $D/seattle_2012.csv $D/seattle_2015.csv --columns $cols --save weather-yearly --format table
like "saved line" "$(cat "$T/out")" "saved as report 1 "
exits 0 "--save again (random split)" "$MLWB" drift $D/seattle_randa.csv $D/seattle_randb.csv --columns $cols --save weather-yearly
exits 2 "a bad run saves nothing" "$MLWB" drift ref.csv bad.csv --save weather-yearly
exits 2 "unknown model" "$MLWB" drift ref.csv ref.csv --model nosuch
like "no such model" "$(cat "$T/err")" "no model 'nosuch'"
is "still 2 reports" "$(wsql 'SELECT count(*) FROM drift_reports')" 2
wsql "INSERT INTO models (name, created_at) VALUES ('weather', 0);
    INSERT INTO model_versions (model_id, version, created_at) VALUES (1, 1, 0), (1, 2, 0);"
exits 0 "--model NAME (latest version)" "$MLWB" drift $D/seattle_randa.csv $D/seattle_randb.csv --columns $cols --model weather --save w
exits 0 "--model NAME:VERSION" "$MLWB" drift $D/seattle_randa.csv $D/seattle_randb.csv --columns $cols --model weather:1
exits 2 "--model with an unknown version" "$MLWB" drift ref.csv ref.csv --model weather:7
ok "drift ls" "$MLWB" drift ls --format csv
is "4 reports, newest first" "$(cut -d, -f1,3,4,6,7,10 "$T/out")" "id,name,model,drifted,tested,dataset_drift
4,,weather:1,0,5,false
3,w,weather:2,0,5,false
2,weather-yearly,,0,5,false
1,weather-yearly,,3,5,true"
ok "drift ls NAME" "$MLWB" drift ls weather-yearly --format csv
is "2 of that name" "$(wc -l < "$T/out" | tr -d ' ')" 3
ok "show by name = latest" "$MLWB" drift show weather-yearly --format json
like "report 2" "$(cat "$T/out")" '^\{"id":2,'
like "with histograms and stats" "$(cat "$T/out")" '"histogram":\{"edges":\[.*"stats":\{"ref":\{"count":730,'
ok "show by id" "$MLWB" drift show 1 --format json
like "the saved numbers" "$(cat "$T/out")" '"column":"temp_max","type":"num","method":"ks","statistic":0\.1525'
like "inputs with sha256" "$(cat "$T/out")" '"reference":\{"path":"[^"]*seattle_2012.csv","sha256":"[0-9a-f]{64}","rows":366\}'
uuid=$(wsql 'SELECT substr(uuid, 1, 8) FROM drift_reports WHERE id = 3')
ok "show by uuid prefix" "$MLWB" drift show "$uuid" --format table
like "table header names the report" "$(cat "$T/out")" "^report 3 "
like "categorical histogram saved" "$(wsql "SELECT hist FROM drift_columns WHERE report_id = 3 AND name = 'weather'")" '^\{"categories":\["drizzle",'
exits 1 "show an unknown report" "$MLWB" drift show nosuch
exits 1 "ls on a missing workspace" "$MLWB" --db nosuch.db drift ls
# --on-drift ENTRY: continuous training.  The entry point is launched as a
# job when the data set drifts, with the saved report in its environment.
# (the launched job writes to the workspace: sqlite3 waits for its locks)
sq() { wsql "$1"; }
mkdir proj
cat > proj/mlwb.yaml <<'YAML'
entry_points:
  retrain:
    command: ["sh", "-c", "echo report=$MLWB_DRIFT_REPORT id=$MLWB_DRIFT_REPORT_ID share=$MLWB_DRIFT_SHARE > retrained"]
YAML
exits 2 "--on-drift with an unknown entry point" "$MLWB" drift $D/seattle_2012.csv $D/seattle_2015.csv --columns $cols --on-drift nosuch --project proj/mlwb.yaml
like "says which" "$(cat "$T/err")" "--on-drift nosuch: .*mlwb.yaml has no such entry point"
n=$(sq "SELECT count(*) FROM drift_reports")
exits 0 "no drift: nothing launched" "$MLWB" drift $D/seattle_randa.csv $D/seattle_randb.csv --columns $cols --on-drift retrain --project proj/mlwb.yaml
is "and no report saved" "$(sq "SELECT count(*) FROM drift_reports")" "$n"
is "no job" "$(sq "SELECT count(*) FROM jobs")" "0"
exits 1 "drift: exit 1 and the entry is launched" "$MLWB" drift $D/seattle_2012.csv $D/seattle_2015.csv --columns $cols --on-drift retrain --project proj/mlwb.yaml
like "it says so" "$(cat "$T/err")" "drift: launched retrain as run [0-9a-f]{32}"
launched=$(sed -n 's/^drift: launched retrain as run \([0-9a-f]*\) .*/\1/p' "$T/err")
uuid=$(sq "SELECT uuid FROM drift_reports ORDER BY id DESC LIMIT 1")
id=$(sq "SELECT id FROM drift_reports ORDER BY id DESC LIMIT 1")
i=0
while [ ! -s proj/retrained ] && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
is "the job saw the saved report" "$(cat proj/retrained 2>/dev/null)" "report=$uuid id=$id share=0.6"
i=0
until [ "$(sq "SELECT state FROM jobs")" = finished ] || [ $i -ge 100 ]; do
	sleep 0.1; i=$((i + 1))
done
is "and the job is recorded as finished" "$(sq "SELECT entry || ' ' || state FROM jobs")" "retrain finished"
# The launched run is linked to the report, not only through its environment.
ok "lineage of the launched run" "$MLWB" lineage "$launched" --format table
like "names the drift report that launched it" "$(cat "$T/out")" "^run .*  launched by drift report $uuid$"
ok "and as JSON" "$MLWB" lineage "$launched" --format json
like "launched_by_drift_report" "$(cat "$T/out")" "\"launched_by_drift_report\": \"$uuid\""

# Ranges that overflow a double, constant columns, subnormals, infinities:
# every method gives a defined result or says why not (Sturges' bin count
# from an infinite range was a heap overflow; ASan runs this in CI).
printf 'x\n-1.7e308\n1.7e308\n0\n1\n' > "$T/huge_a.csv"
printf 'x\n-1.7e308\n1.7e308\n5\n1\n' > "$T/huge_b.csv"
printf 'x\n4.9e-324\n1e-320\n2e-320\n3e-310\n' > "$T/sub_a.csv"
printf 'x\n4.9e-324\n1e-321\n2e-320\n3e-309\n' > "$T/sub_b.csv"
printf 'x\n7\n7\n7\n7\n' > "$T/const_a.csv"
printf 'x\n7\n7\n7\n8\n' > "$T/const_b.csv"
printf 'x\n1\ninf\n-inf\n2\n3\n' > "$T/inf_a.csv"
printf 'x\n1\n1e999\n2\n3\n4\n' > "$T/inf_b.csv"
for pair in huge sub const inf; do
	for m in auto ks psi js hellinger wasserstein chisquare; do
		"$MLWB" drift "$T/${pair}_a.csv" "$T/${pair}_b.csv" --method $m --format csv > "$T/out" 2> "$T/err"
		s=$?
		if [ $s = 0 ] || [ $s = 1 ]; then
			# A result: the method asked for, and a number.
			got=$(sed -n 2p "$T/out" | cut -d, -f7,8)
			case $m in auto) want='[a-z]+' ;; js) want=jensenshannon ;; *) want=$m ;; esac
			like "$pair / $m: a number from $m" "$got" "^$want,(-?[0-9.e+-]+|inf)\$"
		else
			like "$pair / $m: exit 2 with a reason" "$s $(cat "$T/err")" "^2 mlwb: column 'x': $m "
		fi
	done
done
exits 2 "--method z on more than two values is an error" "$MLWB" drift "$T/huge_a.csv" "$T/huge_b.csv" --method z --format csv
like "naming z and the column" "$(cat "$T/err")" "column 'x': z needs at most 2 distinct values"
unlike "and no other method" "$(cat "$T/out" "$T/err")" "chisquare"
exits 0 "--method z on two values works" "$MLWB" drift "$T/const_a.csv" "$T/const_b.csv" --method z --format csv
like "and says z" "$(sed -n 2p "$T/out")" ",z,"
done_testing
