# import: filled in by its area.
libmlwb_a_SOURCES += src/import.c src/import.h src/import_int.h \
	src/import_file.c src/import_json.c src/db_import.c \
	src/import_detect.c src/pyrepr.c src/pyrepr.h
UI_SOURCES += ui/cli_import.c
TESTS += tests/cli/import.sh
EXTRA_DIST += tests/cli/import.sh tests/data/import
FUZZ_TARGETS += fuzz_import
EXTRA_DIST += tests/fuzz/fuzz_import.c tests/fuzz/corpus/fuzz_import
EXTRA_DIST += bench/import/run
