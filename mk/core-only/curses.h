/*
 * Found first on the core library's include path (Makefile.am,
 * libmlwb_a_CPPFLAGS): src/ never touches the terminal, so a curses
 * header included there stops the build.  The UI (ui/) finds the real one.
 */
#error "src/ is the core library: it must not include curses (see DESIGN.md)"
