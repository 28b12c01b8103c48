# Core: errors, memory, strings, the database and the tracking store, and
# the command-line frame (main, output formats).
libmlwb_a_SOURCES += src/err.c src/err.h src/mem.c src/mem.h \
	src/strbuf.c src/strbuf.h src/text.c src/text.h \
	src/db.c src/db.h src/db_internal.h src/db_sqlite.c \
	src/db_run.c src/db_run.h src/db_metric.c src/db_metric.h \
	src/db_copy.c src/sha256.c src/sha256.h src/csvread.c src/csvread.h src/progress.h \
	src/yamldoc.c src/yamldoc.h src/demo.h src/demo_tracking.c \
	src/db_merge.c src/db_merge.h src/db_sync.c src/db_sync.h
UI_SOURCES += ui/actions.c ui/actions.h ui/draw.c ui/draw.h ui/view.h

check_PROGRAMS += tests/unit/test_core tests/unit/test_db tests/unit/test_parse \
	tests/unit/test_fault
TESTS += tests/unit/test_core tests/unit/test_db tests/unit/test_parse \
	tests/unit/test_fault \
	tests/cli/core.sh tests/cli/log.sh tests/cli/merge.sh tests/cli/sync.sh
tests_unit_test_core_LDADD = $(MLWB_LIBS)
tests_unit_test_db_LDADD = $(MLWB_LIBS)
EXTRA_DIST += tests/cli/core.sh tests/cli/log.sh tests/cli/merge.sh \
	tests/cli/sync.sh
tests_unit_test_parse_LDADD = $(MLWB_LIBS)
EXTRA_DIST += tests/valgrind/run.sh quickstart .ci/run
tests_unit_test_fault_LDADD = $(MLWB_LIBS)
FUZZ_TARGETS += fuzz_yaml
EXTRA_DIST += tests/fuzz/fuzz_yaml.c tests/fuzz/corpus/fuzz_yaml
# Hostile bytes never reach a terminal raw (issue 11).
TESTS += tests/cli/escape.sh
EXTRA_DIST += tests/cli/escape.sh
