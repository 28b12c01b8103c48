# drift: data drift between a reference and a current CSV (issue 5).
libmlwb_a_SOURCES += src/dataset.c src/dataset.h src/csvfast.c src/csvfast.h \
	src/drift.c src/drift.h \
	src/drift_ks.c src/drift_report.c src/drift_report.h \
	src/db_drift.c src/db_drift.h src/demo_drift.c
check_PROGRAMS += tests/unit/test_drift
TESTS += tests/unit/test_drift
tests_unit_test_drift_LDADD = $(MLWB_LIBS)
EXTRA_DIST += tests/data/drift
UI_SOURCES += ui/view_drift.c
TESTS += tests/cli/drift.sh
EXTRA_DIST += tests/cli/drift.sh
EXTRA_DIST += bench/drift/run bench/drift/bench_drift.c
FUZZ_TARGETS += fuzz_dataset
EXTRA_DIST += tests/fuzz/fuzz_dataset.c tests/fuzz/corpus/fuzz_dataset
EXTRA_DIST += doc/drift.md
TESTS += tests/tui/drift.sh
EXTRA_DIST += tests/tui/drift.sh
