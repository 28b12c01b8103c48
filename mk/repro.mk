# repro: what a run keeps to be run again (environment, patch, Python
# packages, GPU versions), rerun and runs diff.
libmlwb_a_SOURCES += src/repro.c src/repro.h src/db_repro.c src/db_repro.h \
	src/launch_rerun.c src/sysmetrics.c src/sysmetrics.h \
	src/sysm_trend.c src/sysm_trend.h
UI_SOURCES += ui/cli_repro.c ui/cli_repro.h
TESTS += tests/cli/repro.sh tests/cli/sysmetrics.sh
EXTRA_DIST += tests/cli/repro.sh tests/cli/sysmetrics.sh
check_PROGRAMS += tests/unit/test_repro
TESTS += tests/unit/test_repro
tests_unit_test_repro_LDADD = $(MLWB_LIBS)
