# launch: the project file (mlwb.yaml), output-scalar capture, launching
# and supervising jobs, and the jobs screen.
libmlwb_a_SOURCES += src/demo_launch.c src/project.c src/project.h
UI_SOURCES += ui/cli_launch.c
check_PROGRAMS += tests/unit/test_project
TESTS += tests/unit/test_project tests/cli/launch.sh
tests_unit_test_project_LDADD = $(MLWB_LIBS)
EXTRA_DIST += tests/cli/launch.sh tests/data/launch
FUZZ_TARGETS += fuzz_project
EXTRA_DIST += tests/fuzz/fuzz_project.c tests/fuzz/corpus/fuzz_project
