# The run lifecycle and nested runs (issue 15): soft delete, restore,
# purge with tombstones, rename, tags, notes, parents (src/db_life.c) and
# their commands (ui/cli_life.c).
libmlwb_a_SOURCES += src/db_life.c src/db_life.h
UI_SOURCES += ui/cli_life.c ui/cli_life.h ui/editor.c ui/editor.h \
	ui/view_life.c ui/view_life.h
TESTS += tests/cli/runs_life.sh tests/tui/life.sh
EXTRA_DIST += tests/cli/runs_life.sh tests/tui/life.sh
