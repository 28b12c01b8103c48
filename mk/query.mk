# query: the run filter language, comparison, downsampling and plots.
libmlwb_a_SOURCES += src/rx.c src/rx.h src/query.c src/query.h \
	src/db_query.c src/db_query.h \
	src/db_series.c src/db_series.h src/series.c src/series.h \
	src/plot.c src/plot.h src/compare.c src/compare.h
check_PROGRAMS += tests/unit/test_query
TESTS += tests/unit/test_query
tests_unit_test_query_LDADD = $(MLWB_LIBS)
UI_SOURCES += ui/cli_query.c
EXTRA_DIST += bench/compare/run
check_PROGRAMS += tests/unit/test_plot tests/unit/test_compare
TESTS += tests/unit/test_plot tests/unit/test_compare
tests_unit_test_plot_LDADD = $(MLWB_LIBS)
tests_unit_test_compare_LDADD = $(MLWB_LIBS)
TESTS += tests/cli/query.sh
EXTRA_DIST += tests/cli/query.sh tests/data/query
UI_SOURCES += ui/view_compare.c ui/view_chart.c
FUZZ_TARGETS += fuzz_query
EXTRA_DIST += tests/fuzz/fuzz_query.c tests/fuzz/corpus/fuzz_query
EXTRA_DIST += doc/query.md
TESTS += tests/tui/query.sh
EXTRA_DIST += tests/tui/query.sh
