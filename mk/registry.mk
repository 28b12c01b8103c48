# registry: models, versions, aliases, promotion with gates and deploy,
# the append-only event log; `mlwb model`; the registry screen.
libmlwb_a_SOURCES += src/demo_registry.c src/db_registry.c src/db_registry.h \
	src/registry.c src/registry.h src/deploy.c src/deploy.h \
	src/verify.c src/verify.h
UI_SOURCES += ui/view_registry.c ui/verify_job.c ui/verify_job.h
check_PROGRAMS += tests/unit/test_registry
TESTS += tests/unit/test_registry tests/cli/registry.sh tests/cli/verify.sh
tests_unit_test_registry_LDADD = $(MLWB_LIBS)
EXTRA_DIST += tests/cli/registry.sh tests/cli/verify.sh tests/data/registry
EXTRA_DIST += doc/registry.md
TESTS += tests/tui/registry.sh
EXTRA_DIST += tests/tui/registry.sh
FUZZ_TARGETS += fuzz_registry
EXTRA_DIST += tests/fuzz/fuzz_registry.c tests/fuzz/corpus/fuzz_registry
EXTRA_DIST += bench/registry/run
