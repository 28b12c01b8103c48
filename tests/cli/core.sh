#!/bin/sh
# Command-line tests of the core: init, doctor, listing an empty workspace,
# refusing what is not a workspace, usage errors.
. "$(dirname "$0")/lib.sh"

exits 1 "runs ls without a workspace fails" "$MLWB" runs ls
like "and says how to make one" "$(cat "$T/err")" "mlwb init"
ok "init creates a workspace" "$MLWB" init
is "init says so" "$(cat "$T/out")" "workspace $T/mlwb.db ready"
ok "doctor on a fresh workspace" "$MLWB" doctor
is "doctor says ok" "$(cat "$T/out")" "$T/mlwb.db: ok"
ok "exp ls on an empty workspace" "$MLWB" exp ls --format csv
is "header only" "$(cat "$T/out")" "name,runs,running,failed,last_activity,uuid"
ok "runs ls json on an empty workspace" "$MLWB" runs ls --format json
is "empty array" "$(cat "$T/out")" "[]"
ok "--db overrides MLWB_DB" "$MLWB" --db "$T/other.db" init
ok "and the file exists" test -f "$T/other.db"
ok "--db after the command too" "$MLWB" exp ls --db "$T/other.db"

printf 'not a database at all, just some text that is long enough....\n%.0s' 1 2 3 4 5 6 7 8 > "$T/junk.db"
exits 1 "a text file is not a workspace" "$MLWB" --db "$T/junk.db" runs ls
like "error names the file" "$(cat "$T/err")" "junk.db"

exits 2 "unknown command" "$MLWB" frobnicate
like "usage error says so" "$(cat "$T/err")" "not a command"
exits 2 "bad --format" "$MLWB" runs ls --format xml
exits 2 "runs without a subcommand" "$MLWB" runs
ok "--help" "$MLWB" --help
like "help lists commands" "$(cat "$T/out")" "runs +List and show runs"
ok "runs --help" "$MLWB" runs --help
like "runs help explains RUN" "$(cat "$T/out")" "UUID prefix"
exits 1 "runs show of a missing run" "$MLWB" runs show nope
like "says not found" "$(cat "$T/err")" "not found"
exits 1 "metrics of a missing run" "$MLWB" metrics nope loss
ok "--version" "$MLWB" --version
like "prints the version" "$(cat "$T/out")" "^mlwb [0-9]"

done_testing
