# query: the run filter language, comparison, downsampling and charts.
libmlwb_a_SOURCES += src/rx.c src/rx.h src/query.c src/query.h \
	src/db_query.c src/db_query.h \
	src/db_series.c src/db_series.h src/series.c src/series.h \
	src/plot.c src/plot.h src/chart.c src/chart.h src/compare.c src/compare.h
UI_SOURCES += ui/view_compare.c ui/view_chart.c

check_PROGRAMS += tests/unit/test_query tests/unit/test_plot \
	tests/unit/test_compare
tests_unit_test_query_LDADD = $(MLWB_LIBS)
tests_unit_test_plot_LDADD = $(MLWB_LIBS)
tests_unit_test_compare_LDADD = $(MLWB_LIBS)
TESTS += tests/unit/test_query tests/unit/test_plot tests/unit/test_compare \
	tests/cli/query.sh tests/cli/sweep.sh tests/tui/query.sh

FUZZ_TARGETS += fuzz_query

EXTRA_DIST += tests/cli/query.sh tests/cli/sweep.sh tests/tui/query.sh tests/data/query \
	tests/fuzz/fuzz_query.c tests/fuzz/corpus/fuzz_query \
	bench/compare/run bench/compare/bench.c doc/query.md

# Two tmux suites at once load the machine enough to expose a race in
# tests/tui/tmux.sh (keys typed while mlwb is still quitting): run ours
# after it.
tests/tui/query.log: tests/tui/tmux.log
