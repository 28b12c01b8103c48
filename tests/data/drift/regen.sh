#!/bin/sh
# Regenerate the drift test data and the expected values (expected.txt).
#
#   apt-get install python3-numpy python3-scipy python3-pandas \
#       python3-vega-datasets
#   tests/data/drift/regen.sh [ORACLE]
#
# ORACLE defaults to ../shared/tools/drift_oracle.py (the project's
# reference implementation of Evidently's formulas over numpy/scipy).
# gen.py writes the CSVs (synthetic ones from a fixed seed, and
# seattle-weather.csv of python3-vega-datasets, BSD-3-Clause, split by
# year and at random); then every case of cases.txt gets the oracle's
# key=value lines, plus a Hellinger distance computed by hellinger.py.
# test_drift compares libmlwb's values with these to 1e-9 relative.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
oracle=${1:-$here/../../../../../shared/tools/drift_oracle.py}
[ -f "$oracle" ] || oracle=/work/shared/tools/drift_oracle.py
py=/usr/bin/python3
cd "$here"
$py gen.py
out=expected.txt.new
: >"$out"
grep -v '^#' cases.txt | while read -r name ref cur col flag; do
	[ -n "$name" ] || continue
	echo "case $name $ref $cur $col ${flag:--}" >>"$out"
	if [ "${flag:--}" = cat ]; then
		$py "$oracle" "$ref" "$cur" "$col" --cat >>"$out"
		$py hellinger.py "$ref" "$cur" "$col" cat >>"$out"
	else
		$py "$oracle" "$ref" "$cur" "$col" >>"$out"
		$py hellinger.py "$ref" "$cur" "$col" auto >>"$out"
	fi
	echo end >>"$out"
done
mv "$out" expected.txt
echo "wrote $here/expected.txt"
