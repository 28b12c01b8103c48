#!/bin/sh
# Shell completion: `mlwb completion bash` is sourced into bash and its
# function driven as bash drives it on TAB (COMP_WORDS, COMP_CWORD); what
# it offers comes from the command table and the demo workspace's names.
. "$(dirname "$0")/lib.sh"

ok "demo workspace" "$MLWB" demo
ok "completion bash" "$MLWB" completion bash
cp "$T/out" mlwb.bash
ok "completion zsh" "$MLWB" completion zsh
like "zsh: a compdef function" "$(cat "$T/out")" "^#compdef mlwb"
ok "completion fish" "$MLWB" completion fish
like "fish: complete -c mlwb" "$(cat "$T/out")" "complete -c mlwb -f -a"
exits 2 "completion of an unknown shell" "$MLWB" completion tcsh

ok "bash registers the function" bash -c '. "$1"; complete -p mlwb' _ "$T/mlwb.bash"
is "as complete -F" "$(cat "$T/out")" "complete -F _mlwb mlwb"

# comp WORD... : what TAB offers after the words (the last is the one being
# completed), sorted, on one line.
comp() {
	bash -c '. "$0"; COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1))
	    _mlwb; printf "%s\n" "${COMPREPLY[@]}"' "$T/mlwb.bash" "$MLWB" "$@" |
	    sort | tr '\n' ' ' | sed 's/ $//'
}

is "commands" "$(comp ru)" "runs"
is "every visible command, none hidden" "$(comp '' | tr ' ' '\n' | grep -c .)" \
    "$("$MLWB" __table | grep -c '^command ')"
is "no internal command" "$(comp __)" ""
is "subcommands" "$(comp runs '')" "delete ls note purge rename restore show tag"
is "an alias's subcommands" "$(comp experiments '')" "delete ls rename restore"
is "options of the command and global ones" "$(comp runs ls --f)" "--filter --format"
is "choices of --format" "$(comp runs ls --format '')" "csv json table"
is "choices of --x" "$(comp plot r --x r)" "relative"
is "experiments for -e" "$(comp runs ls -e c)" "cifar10-resnet"
is "experiments for --experiment" "$(comp runs ls --experiment '')" \
    "bert-sentiment cifar10-resnet tabular-xgb"
is "runs by name" "$(comp runs show resnet18-adam-lr0.001-bs2)" \
    "resnet18-adam-lr0.001-bs256"
name=$(wsql "SELECT r.name FROM runs r JOIN experiments e ON e.id = r.experiment_id WHERE e.name = 'tabular-xgb' ORDER BY r.name LIMIT 1")
is "runs as EXPERIMENT/NAME" "$(comp compare tabular-xgb/x | tr ' ' '\n' | grep -c "^tabular-xgb/$name$")" 1
uuid=$(wsql "SELECT uuid FROM runs ORDER BY uuid LIMIT 1")
is "runs by UUID prefix" "$(comp runs show "$(echo "$uuid" | cut -c1-6)" | tr ' ' '\n' | grep -c "^$uuid$")" 1
is "every operand of compare is a run" "$(comp compare resnet18-adam-lr0.001-bs256 resnet18-adam-lr0.001-bs2)" \
    "resnet18-adam-lr0.001-bs256"
is "metric keys" "$(comp plot r --metric val_)" "val_acc val_loss"
is "metric of metrics RUN KEY" "$(comp metrics r val_l)" "val_loss"
is "models" "$(comp model show '')" "cifar10-classifier sentiment-bert"
is "aliases" "$(comp model promote cifar10-classifier 4 --to '')" \
    "challenger champion production staging"
is "saved drift reports" "$(comp drift show '')" "holdout-check loan-inputs"
is "drift: subcommands" "$(comp drift s)" "show"
touch ref.csv
is "drift: files when no subcommand fits" "$(comp drift re)" "ref.csv"
is "import: files" "$(comp import ref)" "ref.csv"
is "--db from the line is the workspace asked" "$(comp --db nowhere.db model show '')" ""
cd "$(ls -d "$T"/*.files/example-project)"
is "entry points from mlwb.yaml" "$(comp launch '')" "deploy evaluate train"
cd "$T"
is "global options before a command" "$(comp --re)" "--read-only"

# make install puts the scripts where each shell looks, with the manual
# and every doc/ file the README lists.
if make -s -C "$top_builddir" install DESTDIR="$T/inst" prefix=/usr \
    >"$T/install.out" 2>&1; then :; else cat "$T/install.out"; fi
for f in bin/mlwb share/man/man1/mlwb.1 share/bash-completion/completions/mlwb \
    share/zsh/site-functions/_mlwb share/fish/vendor_completions.d/mlwb.fish; do
	ok "installed: $f" test -s "$T/inst/usr/$f"
done
for f in $(sed -n 's/^- `doc\/\([a-z]*\.md\)`.*/\1/p' "$top_srcdir/README.md"); do
	ok "installed: doc $f" test -s "$T/inst/usr/share/doc/mlwb/$f"
done
is "the installed bash script is what mlwb prints" \
    "$(cat "$T/inst/usr/share/bash-completion/completions/mlwb")" "$(cat mlwb.bash)"
done_testing
