# query: the run filter language, comparison, downsampling and plots.
libmlwb_a_SOURCES += src/rx.c src/rx.h src/query.c src/query.h \
	src/db_query.c src/db_query.h
check_PROGRAMS += tests/unit/test_query
TESTS += tests/unit/test_query
tests_unit_test_query_LDADD = $(MLWB_LIBS)
