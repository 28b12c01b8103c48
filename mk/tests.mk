# Layer 3: the tests.  Every test speaks TAP: the unit tests are C
# programs linked with libmlwb.a, the others shell scripts driving the
# built mlwb (tests/cli), its headless screen mode (tests/screen), and a
# real terminal through tmux (tests/tui).  `make check` runs them all on
# SQLite; `make check-pg` runs the command-line and tmux suites again on
# PostgreSQL.  tests/unit/tap.h and tests/cli/lib.sh are the two harnesses.
TEST_EXTENSIONS = .sh
LOG_DRIVER = env AM_TAP_AWK='$(AWK)' $(SHELL) \
	$(top_srcdir)/build-aux/tap-driver.sh
SH_LOG_DRIVER = $(LOG_DRIVER)
SH_LOG_COMPILER = $(SHELL)
AM_TESTS_ENVIRONMENT = \
	MLWB='$(abs_top_builddir)/mlwb'; export MLWB; \
	top_srcdir='$(abs_top_srcdir)'; export top_srcdir; \
	top_builddir='$(abs_top_builddir)'; export top_builddir; \
	MANDOC='$(MANDOC)'; export MANDOC; \
	LC_ALL=C.UTF-8; export LC_ALL; \
	ASAN_OPTIONS=detect_leaks=1:abort_on_error=0; export ASAN_OPTIONS; \
	UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1; export UBSAN_OPTIONS;
EXTRA_DIST += tests/unit/tap.h tests/unit/project_text.h tests/cli/lib.sh \
	tests/valgrind/run.sh

# Unit tests, one per area of src/ (test_xmem: ui/xmem.c alone).
UNIT_TESTS = tests/unit/test_core tests/unit/test_db tests/unit/test_parse \
	tests/unit/test_fault tests/unit/test_codec tests/unit/test_migrate \
	tests/unit/test_textidx tests/unit/test_tfevents tests/unit/test_mlflow \
	tests/unit/test_query tests/unit/test_plot tests/unit/test_compare \
	tests/unit/test_pvm tests/unit/test_drift tests/unit/test_registry \
	tests/unit/test_project tests/unit/test_scalars tests/unit/test_jobs \
	tests/unit/test_repro tests/unit/test_pipeline
check_PROGRAMS += $(UNIT_TESTS) tests/unit/test_xmem
TESTS += $(UNIT_TESTS) tests/unit/test_xmem
LDADD = $(MLWB_LIBS)
tests_unit_test_xmem_SOURCES = tests/unit/test_xmem.c ui/xmem.c ui/xmem.h
tests_unit_test_xmem_LDADD =

# The command line, by area, and the layers' own check.
CLI_TESTS = tests/cli/core.sh tests/cli/log.sh tests/cli/escape.sh \
	tests/cli/import.sh tests/cli/import_lock.sh tests/cli/full_disk.sh \
	tests/cli/tfevents.sh \
	tests/cli/mlflow.sh tests/cli/mlflow_read.sh tests/cli/merge.sh \
	tests/cli/sync.sh \
	tests/cli/exp_counts.sh tests/cli/query.sh tests/cli/sweep.sh \
	tests/cli/scale.sh tests/cli/textidx.sh tests/cli/drift.sh \
	tests/cli/registry.sh tests/cli/verify.sh tests/cli/launch.sh \
	tests/cli/jobs_host.sh tests/cli/repro.sh tests/cli/sysmetrics.sh \
	tests/cli/artifacts.sh tests/cli/lineage.sh tests/cli/runs_life.sh \
	tests/cli/pipeline.sh tests/cli/complete.sh tests/cli/json.sh \
	tests/cli/stream.sh tests/cli/progress.sh tests/cli/longpath.sh \
	tests/cli/ui.sh tests/cli/layers.sh
TESTS += $(CLI_TESTS)
EXTRA_DIST += $(CLI_TESTS) tests/cli/jsoncheck.py tests/cli/tfwriter.py \
	tests/data/import tests/data/mlflow tests/data/query tests/data/scale \
	tests/data/drift tests/data/registry tests/data/launch

# Screens: headless (--script) screen captures, then tmux end to end.
TUI_TESTS = tests/tui/tmux.sh tests/tui/query.sh tests/tui/drift.sh \
	tests/tui/registry.sh tests/tui/launch.sh tests/tui/life.sh \
	tests/tui/pipeline.sh
TESTS += tests/screen/run.sh $(TUI_TESTS)
EXTRA_DIST += tests/screen $(TUI_TESTS) tests/tui/lib.sh
# Two tmux suites at once load the machine enough to expose a race in
# tests/tui/tmux.sh (keys typed while mlwb is still quitting): run
# query.sh after it.
tests/tui/query.log: tests/tui/tmux.log

# `make check-pg MLWB_TEST_DB=postgresql://USER@HOST:PORT/DB`: the
# command-line suites and the tmux suites of tests/tui against PostgreSQL
# (a fresh database per script, see tests/cli/lib.sh), plus the concurrent
# writers test, the UI's live refresh and reconnect in tmux
# (tests/pg/ui_live.sh), and kill -9 and server-restart failures
# (tests/pg/failures.sh).  escape.sh stays on SQLite: its names hold
# invalid UTF-8, which PostgreSQL's text refuses.  Not part of `make
# check`: it needs a server (./quickstart test starts one).
PG_TESTS = tests/pg/writers.sh tests/pg/ui_live.sh tests/pg/failures.sh
EXTRA_DIST += $(PG_TESTS) tests/pg/cluster.sh
check-pg:
	@test -n "$(MLWB_TEST_DB)" || { echo "check-pg: set" \
	    "MLWB_TEST_DB=postgresql://USER@HOST:PORT/DB" >&2; exit 2; }
	@tests=''; for t in $(TESTS); do case $$t in \
	    tests/cli/escape.sh) ;; tests/cli/*|tests/tui/*) \
	    tests="$$tests $$t";; \
	    esac; done; \
	MLWB_TEST_DB='$(MLWB_TEST_DB)' $(MAKE) $(AM_MAKEFLAGS) check \
	    TESTS="$$tests $(PG_TESTS)"
.PHONY: check-pg

# Test folders are distributed whole; leave out what a test run left there
# (an in-tree build writes its .log/.trs next to the scripts).
dist-hook:
	find $(distdir)/tests \( -name '*.log' -o -name '*.trs' \) \
	    -exec rm -f {} +
