#!/bin/sh
# The layers: the core library (src/, libmlwb.a) never sees the terminal.
# No file of src/ includes a curses header, the library is compiled with
# its own flags (no ui/, no curses flags, and mk/core-only's poisoned
# curses headers first on its path), and the UI's theme data is linked
# into mlwb, not into the library.  The build's lists are grouped by the
# same layers: mk/lib.mk holds every file of src/ and nothing else, and
# mk/app.mk every file of ui/.
. "$(dirname "$0")/lib.sh"

lib_mk="$top_srcdir/mk/lib.mk"
app_mk="$top_srcdir/mk/app.mk"
missing=''
for f in "$top_srcdir"/src/*.c "$top_srcdir"/src/*.h; do
	f=src/${f##*/}
	grep -qE "(^|[[:space:]])$f([[:space:]]|\\\\|$)" "$lib_mk" || missing="$missing $f"
done
is "mk/lib.mk lists every file of src/" "$missing" ""
missing=''
for f in "$top_srcdir"/ui/*.c "$top_srcdir"/ui/*.h; do
	f=ui/${f##*/}
	case $f in ui/main.c|ui/themes_embed.c) continue;; esac
	grep -qE "(^|[[:space:]])$f([[:space:]]|\\\\|$)" "$app_mk" || missing="$missing $f"
done
is "mk/app.mk lists every file of ui/" "$missing" ""
is "mk/lib.mk names no ui/ file" "$(grep -cE 'ui/[a-z_]+\.[ch]' "$lib_mk")" 0
is "mk/app.mk puts no file into the library" \
    "$(grep -c '^libmlwb_a_SOURCES\|^nodist_libmlwb_a_SOURCES' "$app_mk")" 0
is "no other mk/*.mk adds to the library" \
    "$(cat "$top_srcdir"/mk/*.mk | grep -c '^libmlwb_a_SOURCES\|^nodist_libmlwb_a_SOURCES')" \
    "$(grep -c '^libmlwb_a_SOURCES\|^nodist_libmlwb_a_SOURCES' "$lib_mk")"

is "no src/ file includes curses" \
    "$(grep -lE '#[[:space:]]*include[[:space:]]*[<"](n?curses|ncursesw/curses|term|panel)\.h' \
    "$top_srcdir"/src/*.c "$top_srcdir"/src/*.h)" ""
like "the library has flags of its own, the poisoned headers first" \
    "$(grep -A1 '^libmlwb_a_CPPFLAGS' "$lib_mk" | tr -d '\\\n')" \
    '^libmlwb_a_CPPFLAGS = -I\$\(srcdir\)/mk/core-only -I\$\(srcdir\)/src[[:space:]]+-I\$\(builddir\)/src '
unlike "and no curses flags" \
    "$(grep -A1 '^libmlwb_a_CFLAGS' "$lib_mk")" 'NCURSES'
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
