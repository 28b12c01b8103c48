# repro: what a run keeps to be run again (environment, patch, Python
# packages, GPU versions), rerun and runs diff.
libmlwb_a_SOURCES += src/repro.c src/repro.h src/db_repro.c src/db_repro.h \
	src/launch_rerun.c
UI_SOURCES += ui/cli_repro.c ui/cli_repro.h
TESTS += tests/cli/repro.sh
EXTRA_DIST += tests/cli/repro.sh
dist_doc_DATA += doc/runs.md
