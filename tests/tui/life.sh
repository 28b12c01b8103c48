#!/bin/sh
# The note editor round trip in a real terminal: on a run, E leaves the
# terminal to $EDITOR (in its normal, cooked mode: the editor script
# checks with stty), the editor writes a line, and mlwb takes the
# terminal back, repainted, with the note on the run screen; then d/y
# deletes a run and u brings it back.  (doc/runs.md, "Lifecycle".)
. "$(dirname "$0")/lib.sh"
"$MLWB" --db "$W" demo >/dev/null
cat > ed.sh <<'ED'
#!/bin/sh
stty -a > "$(dirname "$0")/stty.txt"
echo "EDITOR WAS HERE"
echo "tuned by the editor" >> "$1"
sleep 0.3
ED
chmod +x ed.sh

tui_open 100 30
keys "cd '$T' && EDITOR='$T/ed.sh' VISUAL= '$MLWB' --db '$W'; echo EXIT-\$?" Enter
ok "the UI starts" wait_for "experiments +3"
keys Enter Enter
ok "a run is open" wait_for "› run bert-base-lr5e-05-w0-s1"
like "with no note yet" "$(screen)" "\(none: E writes one\)"
keys E
ok "E ran the editor and the UI came back with the note" wait_for "^ +tuned by the editor"
like "the status line says it was saved" "$(screen)" "note saved"
unlike "the editor's output is gone (repainted)" "$(screen)" "EDITOR WAS HERE"
like "the editor had a cooked terminal: canonical mode" "$(cat stty.txt)" "[^-]icanon"
like "and echo" "$(cat stty.txt)" "[^-]echo "
is "the note is in the workspace" "$("$MLWB" --db "$W" runs note bert-base-lr5e-05-w0-s1)" "tuned by the editor"
keys q
ok "back on the runs" wait_for "runs of bert-sentiment +12"
keys d
ok "d asks" wait_for "Delete run bert-base-lr5e-05-w0-s1\\? \\[y/N\\]"
keys y
ok "y deletes; the status line offers undo" wait_for "deleted 1 run .*u: undo"
ok "the list has one run less" wait_for "runs of bert-sentiment +11"
keys u
ok "u restores it" wait_for "restored 1 run"
ok "the list is whole again" wait_for "runs of bert-sentiment +12"
keys Q
ok "quits cleanly" wait_for "EXIT-0"
done_testing
