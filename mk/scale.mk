# Scale: the compressed chunk codec of metric points (and its tests).
libmlwb_a_SOURCES += src/chunk_codec.c src/chunk_codec.h src/db_recompress.c \
	src/db_doctor.c src/db_textidx.c src/db_textidx.h
check_PROGRAMS += tests/unit/test_codec
TESTS += tests/unit/test_codec
tests_unit_test_codec_LDADD = $(MLWB_LIBS)
FUZZ_TARGETS += fuzz_codec
EXTRA_DIST += tests/fuzz/fuzz_codec.c tests/fuzz/corpus/fuzz_codec
check_PROGRAMS += tests/unit/test_migrate
TESTS += tests/unit/test_migrate
tests_unit_test_migrate_LDADD = $(MLWB_LIBS)
TESTS += tests/cli/scale.sh
EXTRA_DIST += tests/cli/scale.sh tests/data/scale
check_PROGRAMS += tests/unit/test_textidx
TESTS += tests/unit/test_textidx
tests_unit_test_textidx_LDADD = $(MLWB_LIBS)
TESTS += tests/cli/textidx.sh
EXTRA_DIST += tests/cli/textidx.sh
