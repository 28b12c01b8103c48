#!/bin/sh
# The layers: the core library (src/, libmlwb.a) never sees the terminal.
# No file of src/ includes a curses header, and the UI's theme data is
# linked into mlwb, not into the library.
. "$(dirname "$0")/lib.sh"

is "no src/ file includes curses" \
    "$(grep -lE '#[[:space:]]*include[[:space:]]*[<"](n?curses|ncursesw/curses|term|panel)\.h' \
    "$top_srcdir"/src/*.c "$top_srcdir"/src/*.h)" ""
lib=$(dirname "$MLWB")/libmlwb.a
ok "the library is built" test -f "$lib"
is "the library holds no theme data" \
    "$(nm "$lib" 2>/dev/null | grep -cE ' [DR] theme_(default|light|mono|high_contrast)$')" 0
is "no curses symbol is called from it" \
    "$(nm -u "$lib" 2>/dev/null | grep -cE ' U (initscr|newwin|wrefresh|endwin|doupdate|wattr_on|mvwaddnstr)$')" 0
is "mlwb holds the themes" \
    "$(nm "$MLWB" 2>/dev/null | grep -cE ' [DR] theme_(default|light|mono|high_contrast)$')" 4

done_testing
