#!/bin/sh
# What a launched run keeps to be run again (issue 15): the environment
# with secrets redacted (built-in names, mlwb.yaml's redact:, MLWB_REDACT,
# URL passwords), the patch of a dirty tree (binary-safe, exact, cut at
# patch_limit and said so), the Python interpreter and pip freeze (a
# missing pip is a status), the GPU driver and CUDA versions (a fake
# nvidia-smi; none without it); runs show's summary, --env, --packages,
# --patch and JSON; log --capture-env; runs diff and its exit status;
# launch --rerun (same entry and params, refused when the code differs
# unless --force); pull and push carrying it all.
. "$(dirname "$0")/lib.sh"

# A fake Python (FAKE_NOPIP=1: without pip) and a fake nvidia-smi, in
# folders of their own so that a run can be launched without either.
mkdir bin gbin
cat > bin/python3 <<'EOF'
#!/bin/sh
case "$1" in
-c)	echo "/opt/fake/bin/python3"; echo "3.11.7" ;;
-m)	if [ -n "$FAKE_NOPIP" ]; then
		echo "/opt/fake/bin/python3: No module named pip" >&2; exit 1
	fi
	printf 'numpy==1.26.4\ntorch==%s\n-e git+https://example.org/x.git#egg=x\n' \
	    "${FAKE_TORCH:-2.2.0}" ;;
*)	echo "loss: 0.5"; echo "loss: 0.25" ;;
esac
EOF
cat > gbin/nvidia-smi <<'EOF'
#!/bin/sh
case "$1" in
--query-gpu=driver_version) printf '535.104.05\n535.104.05\n' ;;
--query-gpu=name) printf 'NVIDIA A100-SXM4-40GB\nNVIDIA A100-SXM4-40GB\n' ;;
"") echo "| NVIDIA-SMI 535.104.05   Driver Version: 535.104.05   CUDA Version: 12.2 |" ;;
*) exit 6 ;;
esac
EOF
chmod +x bin/python3 gbin/nvidia-smi
BASE=$PATH
# launched: the run UUID in launch's message ($T/out, $T/err).
launched() {
	sed -n 's/^run \([0-9a-f]*\) .*/\1/p' "$T/out" "$T/err" | head -1
}
"$MLWB" init >/dev/null

mkdir proj
cd proj
git init -q .
git config user.email t@example.org
git config user.name t
cat > mlwb.yaml <<'EOF'
entry_points:
  train:
    command: python3 train.py --lr {lr}
    parameters:
      lr: {type: float, default: 0.1}
  shell:
    command: sh -c 'exit 0'
reproducibility:
  redact: ["MY_*"]
EOF
echo 'print("hi")' > train.py
printf 'bin\377\000ary' > weights.bin
git add . && git commit -qm init

# A clean tree, no GPU: no patch, no GPU lines; Python and packages kept.
export MY_CRED=zz-c1 GH_TOKEN=zz-t1 api_key=zz-k1 DB_PASSWORD=zz-p1 PLAIN=visible
export DBURL=postgresql://alice:s3cret@db.example.org/x
export MLWB_REDACT="EXTRA_*, ALSO"
export EXTRA_ONE=zz-e1 ALSO=zz-a1
ok "launch with a clean tree" env PATH="$T/bin:$BASE" "$MLWB" launch train
R1=$(launched)
ok "runs show" "$MLWB" runs show "$R1" --format csv
show=$(cat "$T/out")
like "command shown" "$show" '^run,command,python3 train.py --lr 0.1$'
like "git commit shown" "$show" "^run,git_commit,$(git rev-parse HEAD)\$"
like "dirty flag shown" "$show" '^run,git_dirty,no$'
like "host shown" "$show" "^run,host,$(hostname)\$"
like "environment summary" "$show" '^repro,env,"[0-9]+ variables, [0-9]+ redacted \(--env lists them\)"$'
unlike "no patch for a clean tree" "$show" '^repro,patch'
like "python version and interpreter" "$show" '^repro,python,3.11.7 \(/opt/fake/bin/python3\)$'
like "packages counted" "$show" '^repro,packages,3 \(pip freeze\)'
unlike "no GPU without nvidia-smi" "$show" '^repro,(gpu|cuda)'

ok "runs show --env" "$MLWB" runs show "$R1" --env --format csv
envs=$(grep '^env,' "$T/out")
for v in MY_CRED GH_TOKEN api_key DB_PASSWORD EXTRA_ONE ALSO; do
	like "$v redacted" "$envs" "^env,$v,\\[redacted\\]\$"
done
unlike "no secret value anywhere" "$(cat "$T/out")" 'zz-|s3cret'
like "a plain variable kept" "$envs" '^env,PLAIN,visible$'
like "a URL's password masked" "$envs" '^env,DBURL,postgresql://alice:\*\*\*@db.example.org/x$'
like "the job's own variables too" "$envs" '^env,PATH,'
ok "runs show --packages" "$MLWB" runs show "$R1" --packages --format csv
like "name and version" "$(cat "$T/out")" '^package,torch,2.2.0$'
like "a line without a version" "$(cat "$T/out")" '^package,-e git\+https://example.org/x.git#egg=x,$'
exits 1 "--patch of a clean run" "$MLWB" runs show "$R1" --patch
like "says why" "$(cat "$T/err")" "keeps no patch"

# A dirty tree with a binary change and a GPU: the exact patch.
echo '# tuned' >> train.py
printf 'bin\377\001ary\000' > weights.bin
git diff HEAD --binary > "$T/want.patch"
ok "launch with a dirty tree and a GPU" env PATH="$T/gbin:$T/bin:$BASE" \
    FAKE_TORCH=2.3.1 "$MLWB" launch train -P lr=0.2
R2=$(launched)
ok "runs show" "$MLWB" runs show "$R2" --format csv
show=$(cat "$T/out")
like "dirty" "$show" '^run,git_dirty,yes$'
like "patch summary" "$show" "^repro,patch,$(wc -c < "$T/want.patch") bytes \\(--patch prints it\\)\$"
like "GPU driver" "$show" '^repro,gpu_driver,535.104.05$'
like "CUDA version" "$show" '^repro,cuda,12.2$'
like "GPU names, once each" "$show" '^repro,gpus,NVIDIA A100-SXM4-40GB$'
"$MLWB" runs show "$R2" --patch > "$T/got.patch"
ok "--patch is the exact patch, binary parts too" cmp "$T/want.patch" "$T/got.patch"
git stash -q
ok "and it applies to the commit" git apply --check "$T/got.patch"
git stash pop -q

ok "JSON" "$MLWB" runs show "$R2" --format json --env --packages
cp "$T/out" "$T/show.json"
ok "JSON parses" python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
assert d["command"] == "python3 train.py --lr 0.2", d["command"]
assert len(d["git_commit"]) == 40 and d["git_dirty"] is True
assert d["repro"]["patch"]["cut"] is False
assert d["repro"]["python"]["version"] == "3.11.7"
assert d["repro"]["python"]["packages_status"] == "ok"
assert d["repro"]["gpu"]["cuda"] == "12.2"
assert d["env"]["GH_TOKEN"] == "[redacted]" and d["env"]["PLAIN"] == "visible"
assert {"name": "torch", "version": "2.3.1"} in d["packages"]
assert d["rerun_of"] is None
' "$T/show.json"

# A cut patch says so; a missing pip is a status, not a failure.
sed 's/^  redact: \["MY_\*"\]/  redact: ["MY_*"]\n  patch_limit: 64/' mlwb.yaml > m2 && mv m2 mlwb.yaml
ok "launch with a small patch limit and no pip" env PATH="$T/bin:$BASE" \
    FAKE_NOPIP=1 "$MLWB" launch train
R3=$(launched)
S3=$("$MLWB" runs show "$R3" --format csv)
like "cut, and how much was kept" "$S3" '^repro,patch,"[0-9]+ bytes, cut: the first 64 kept'
like "pip missing recorded" "$S3" '^repro,packages,pip missing$'
"$MLWB" runs show "$R3" --patch > "$T/cut.patch" 2> "$T/cut.err"
is "64 bytes kept" "$(wc -c < "$T/cut.patch")" 64
like "--patch warns that it was cut" "$(cat "$T/cut.err")" "cut at 64 of [0-9]+ bytes"
printf 'reproducibility:\n  patch_limit: lots\nentry_points:\n  a: [x]\n' > "$T/bad.yaml"
exits 1 "a bad patch_limit is refused" "$MLWB" project check --project "$T/bad.yaml"
like "with line and column" "$(cat "$T/err")" "bad.yaml:2:16: patch_limit must be"
git checkout -q mlwb.yaml

# A command that is not Python has no python facts.
ok "launch a shell entry" env PATH="$T/bin:$BASE" "$MLWB" launch shell
R4=$(launched)
unlike "no python line" "$("$MLWB" runs show "$R4" --format csv)" '^repro,(python|packages)'

# mlwb log --capture-env: the same facts for a script that logs itself.
ok "log --new --capture-env --python" env PATH="$T/gbin:$T/bin:$BASE" \
    "$MLWB" log --new -e scripts --capture-env --python python3 -p lr=0.2
L=$(cat "$T/out")
ok "runs show" "$MLWB" runs show "$L" --format csv
like "its commit" "$(cat "$T/out")" "^run,git_commit,$(git rev-parse HEAD)\$"
like "its patch" "$(cat "$T/out")" '^repro,patch,'
like "its python" "$(cat "$T/out")" '^repro,python,3.11.7'
like "its GPU" "$(cat "$T/out")" '^repro,cuda,12.2$'
exits 2 "--python alone is refused" "$MLWB" log --new --python python3

# runs diff: exit 0 for the same run, 1 with the differences, 2 on error.
exits 0 "a run against itself" "$MLWB" runs diff "$R2" "$R2"
is "nothing listed" "$(sed 1d "$T/out")" ""
exits 1 "two runs differ" "$MLWB" runs diff "$R1" "$R2" --format csv
d=$(cat "$T/out")
like "param" "$d" '^param,lr,0.1,0.2$'
like "command" "$d" '^run,command,python3 train.py --lr 0.1,python3 train.py --lr 0.2$'
like "dirty flag" "$d" '^run,git_dirty,no,yes$'
like "patch, by content" "$d" '^patch,patch,,sha256:[0-9a-f]{12} \([0-9]+ bytes\)$'
like "package version" "$d" '^package,torch,2.2.0,2.3.1$'
like "GPU only in b" "$d" '^gpu,driver,,535.104.05$'
unlike "the same param not listed" "$d" '^run,entry,'
unlike "secrets compare redacted" "$d" '^env,GH_TOKEN'
exits 1 "--all lists the same facts too" "$MLWB" runs diff "$R1" "$R2" --all --format csv
like "entry listed" "$(cat "$T/out")" '^run,entry,train,train$'
exits 1 "JSON" "$MLWB" runs diff "$R1" "$R2" --format json
cp "$T/out" "$T/diff.json"
ok "JSON differences" python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
assert {"section": "param", "key": "lr", "a": "0.1", "b": "0.2"} in d["differences"]
' "$T/diff.json"
exits 2 "a missing run is trouble" "$MLWB" runs diff "$R1" nosuchrun
exits 2 "one run is a usage error" "$MLWB" runs diff "$R1"

# launch --rerun: the same entry and params, linked; refused when the
# code differs, unless --force.  (Still in proj, as when R2 ran: a cd
# would change OLDPWD, and the diff would rightly list it.)
ok "rerun of the dirty run, same changes" env PATH="$T/gbin:$T/bin:$BASE" \
    FAKE_TORCH=2.3.1 "$MLWB" launch --rerun "$R2"
RR=$(launched)
ok "runs show the rerun" "$MLWB" runs show "$RR" --format csv
like "linked to the old run" "$(cat "$T/out")" "^run,rerun_of,$R2\$"
like "same params" "$(cat "$T/out")" '^param,lr,0.2$'
like "same entry" "$(cat "$T/out")" '^tag,mlwb.entry,train$'
exits 0 "runs diff: the rerun is the same run again" "$MLWB" runs diff "$R2" "$RR" --format csv
is "nothing listed" "$(sed 1d "$T/out")" ""
ok "rerun with an override" env PATH="$T/bin:$BASE" "$MLWB" launch --rerun "$R2" -P lr=0.5 --detach
RO=$(launched)
like "the override wins" "$("$MLWB" runs show "$RO" --format csv)" '^param,lr,0.5$'
exits 1 "a clean run is not rerun on a dirty tree" "$MLWB" launch --rerun "$R1"
like "says why" "$(cat "$T/err")" "has uncommitted changes .* and run $R1 ran on a clean tree: commit or stash them, or pass --force"
git stash -q
exits 1 "nor a dirty run on a clean tree" "$MLWB" launch --rerun "$R2"
like "says how to restore the changes" "$(cat "$T/err")" "not those run $R2 ran with .*apply them with .mlwb runs show $R2 --patch \| git apply."
git stash pop -q
git commit -qam "tuned"
exits 1 "another commit is refused" "$MLWB" launch --rerun "$R2"
like "naming both commits" "$(cat "$T/err")" "is at commit $(git rev-parse HEAD | cut -c1-12), run $R2 ran at $(git rev-parse HEAD~1 | cut -c1-12): check that out .git checkout $(git rev-parse HEAD~1)., or pass --force"
ok "--force runs it anyway" env PATH="$T/bin:$BASE" "$MLWB" launch --rerun "$R2" --force --detach
RF=$(launched)
like "still linked" "$("$MLWB" runs show "$RF" --format csv)" "^run,rerun_of,$R2\$"
exits 1 "a run not launched has no entry to rerun" "$MLWB" launch --rerun "$L"
like "says so" "$(cat "$T/err")" "was not started by mlwb launch"
exits 1 "an unknown run" "$MLWB" launch --rerun nosuchrun
exits 2 "--force without --rerun" "$MLWB" launch train --force
exits 2 "--rerun with an entry too" "$MLWB" launch train --rerun "$R2"

# pull carries it all, bytes exact.
cd "$T"
ok "pull into a box" "$MLWB" --db box.db pull --from "$MLWB_DB"
"$MLWB" --db box.db runs show "$R2" --patch > "$T/box.patch"
ok "the patch came exact" cmp "$T/want.patch" "$T/box.patch"
ok "the box's show" "$MLWB" --db box.db runs show "$R2" --env --format csv
like "environment came (redacted)" "$(cat "$T/out")" '^env,GH_TOKEN,\[redacted\]$'
like "python came" "$(cat "$T/out")" '^repro,python,3.11.7'
like "the rerun link came" "$("$MLWB" --db box.db runs show "$RR" --format csv)" "^run,rerun_of,$R2\$"
exits 0 "the box's run is the same as the store's" "$MLWB" runs diff "$R2" "$R2"
ok "capture on the box, then push back" "$MLWB" --db box.db log --run "$R1" --capture-env
ok "push" "$MLWB" --db box.db push --to "$MLWB_DB"
is "the store has the box's facts" "$(wsql "SELECT count(*) FROM run_repro r JOIN runs u ON u.id = r.run_id WHERE u.uuid = '$R1' AND r.section = 'env' AND r.key = 'PLAIN'")" 1

done_testing
