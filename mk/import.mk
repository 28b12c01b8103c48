# import: filled in by its area.
libmlwb_a_SOURCES += src/import.c src/import.h src/import_int.h \
	src/import_file.c src/import_json.c src/db_import.c \
	src/import_detect.c src/pyrepr.c src/pyrepr.h \
	src/import_tfevents.c src/tfevents.c src/tfevents.h
TESTS += tests/cli/import.sh tests/cli/tfevents.sh tests/cli/import_lock.sh
EXTRA_DIST += tests/cli/import.sh tests/data/import tests/cli/tfevents.sh \
	tests/cli/tfwriter.py tests/cli/import_lock.sh
FUZZ_TARGETS += fuzz_import
EXTRA_DIST += tests/fuzz/fuzz_import.c tests/fuzz/corpus/fuzz_import
EXTRA_DIST += bench/import/run
FUZZ_TARGETS += fuzz_tfevents
EXTRA_DIST += tests/fuzz/fuzz_tfevents.c tests/fuzz/corpus/fuzz_tfevents
check_PROGRAMS += tests/unit/test_tfevents
TESTS += tests/unit/test_tfevents
tests_unit_test_tfevents_LDADD = $(MLWB_LIBS)
