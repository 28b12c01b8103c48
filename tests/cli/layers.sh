#!/bin/sh
# The layers: the core library (src/, libmlwb.a) never sees the terminal.
# No file of src/ includes a curses header, the library is compiled with
# its own flags (no ui/, no curses flags, and mk/core-only's poisoned
# curses headers first on its path), and the UI's theme data is linked
# into mlwb, not into the library.
. "$(dirname "$0")/lib.sh"

is "no src/ file includes curses" \
    "$(grep -lE '#[[:space:]]*include[[:space:]]*[<"](n?curses|ncursesw/curses|term|panel)\.h' \
    "$top_srcdir"/src/*.c "$top_srcdir"/src/*.h)" ""
like "the library has flags of its own, the poisoned headers first" \
    "$(grep -A1 '^libmlwb_a_CPPFLAGS' "$top_srcdir/Makefile.am" | tr -d '\\\n')" \
    '^libmlwb_a_CPPFLAGS = -I\$\(srcdir\)/mk/core-only -I\$\(srcdir\)/src[[:space:]]+-I\$\(builddir\)/src '
unlike "and no curses flags" \
    "$(grep -A1 '^libmlwb_a_CFLAGS' "$top_srcdir/Makefile.am")" 'NCURSES'
for h in curses.h ncurses.h term.h panel.h ncursesw/curses.h ncursesw/ncurses.h; do
	printf '#include <%s>\nint x;\n' "$h" > inc.c
	${CC:-cc} -fsyntax-only -I"$top_srcdir/mk/core-only" inc.c 2> cc.err
	is "<$h> on the library's path stops the build" "$?" 1
	like "saying why" "$(cat cc.err)" "must not include curses"
done
lib=$(dirname "$MLWB")/libmlwb.a
ok "the library is built" test -f "$lib"
is "the library holds no theme data" \
    "$(nm "$lib" 2>/dev/null | grep -cE ' [DR] theme_(default|light|mono|high_contrast)$')" 0
is "no curses symbol is called from it" \
    "$(nm -u "$lib" 2>/dev/null | grep -cE ' U (initscr|newwin|wrefresh|endwin|doupdate|wattr_on|mvwaddnstr)$')" 0
is "mlwb holds the themes" \
    "$(nm "$MLWB" 2>/dev/null | grep -cE ' [DR] theme_(default|light|mono|high_contrast)$')" 4

done_testing
