#!/bin/sh
# Long paths and long names are used whole or refused by name, never cut
# short: a folder nested past 4096 bytes (the kernel's PATH_MAX) where
# relative paths work and absolute ones fail saying so; a sweep's parent
# run named with 300 bytes; a TensorBoard hparam with a 300-byte name and
# a 3000-byte value.  $MLWB_DB stays short (a file, or under check-pg a
# PostgreSQL store).
. "$(dirname "$0")/lib.sh"

case $MLWB_DB in
postgres*) "$MLWB" config artifact-root "$T/root" >/dev/null ;;
*) "$MLWB" init >/dev/null ;;
esac

# 75 folders of 64 bytes: 4,800 bytes below $T.
i=0
while [ $i -lt 75 ]; do
	d=$(printf 'd%03d%060d' $i 0)
	mkdir "$d" && cd -P "$d" || exit 1
	i=$((i + 1))
done
deep=$(pwd -P)
is "the folder is deeper than 4096 bytes" "$(( ${#deep} > 4096 ))" 1
printf 'step,loss\n1,0.5\n2,0.25\n' > log.csv
head -c 100000 /dev/zero | tr '\0' 'w' > model.bin

# Relative paths work there.
ok "log --artifact by a relative path" "$MLWB" log --new -e deep --artifact model.bin
R=$(cat "$T/out")
ok "artifacts get into a relative folder" "$MLWB" artifacts get "$R" model.bin --to got
is "the bytes came back whole" "$(cmp model.bin got/model.bin && echo same)" same
ok "drift of two relative paths" "$MLWB" drift log.csv log.csv

# What needs the absolute path fails, naming the file and why.
exits 1 "import needs the absolute path: refused" "$MLWB" import log.csv
like "naming the file and saying it is too long" "$(cat "$T/err")" "log\\.csv: File name too long"
exits 1 "model register --artifact: refused" "$MLWB" model register m --run "$R" --artifact model.bin
like "naming the file" "$(cat "$T/err")" "model\\.bin: "
cd "$T" || exit 1

# A sweep's parent run takes --run whole (it was cut at 255 bytes).
long=$(printf 'sweep%0295d' 7)
ok "a sweep import named with 300 bytes" "$MLWB" import --run "$long" "$top_srcdir/tests/data/import/sweeps/optuna.csv"
ok "runs ls" "$MLWB" runs ls --format csv
is "the parent run has the whole name" "$(grep -c ",$long," "$T/out")" 1

# A TensorBoard hparam with a long name and value is kept whole (they
# were cut at 255 and 1023 bytes).
key=$(printf 'k%0299d' 1)
val=$(printf 'v%02999d' 2)
python3 - "$top_srcdir/tests/cli" "$key" "$val" <<'EOF' || exit 1
import sys
sys.path.insert(0, sys.argv[1])
import tfwriter as t
t.write("tb/hp/events.out.tfevents.1.box",
        [t.VERSION, t.event(t.W, 0, t.hparams({sys.argv[2]: sys.argv[3]})),
         t.event(t.W + 1, 0, t.simple("loss", 1.0))])
EOF
ok "import the event file" "$MLWB" import tb
ok "its params" "$MLWB" runs show tb/hp --format csv
is "the hparam's whole name and value" "$(grep -c "^param,$key,$val\$" "$T/out")" 1

done_testing
