# PostgreSQL: the shared team store (src/db_pg.c, libpq) and its schema,
# built only when configure finds libpq.
EXTRA_DIST += data/schema-pg.sql
if HAVE_LIBPQ
libmlwb_a_SOURCES += src/db_pg.c
nodist_libmlwb_a_SOURCES += src/schema_pg_sql.c
CLEANFILES += src/schema_pg_sql.c
FUZZ_GENERATED += src/schema_pg_sql.c
endif
src/schema_pg_sql.c: $(srcdir)/data/schema-pg.sql $(srcdir)/mk/embed.sh
	@$(MKDIR_P) src
	$(AM_V_GEN)$(SHELL) $(srcdir)/mk/embed.sh schema_pg_sql \
	    $(srcdir)/data/schema-pg.sql > $@.tmp && mv $@.tmp $@

# The experiments' run counts (kept by triggers on PostgreSQL), both stores.
TESTS += tests/cli/exp_counts.sh
EXTRA_DIST += tests/cli/exp_counts.sh

# `make check-pg MLWB_TEST_DB=postgresql://USER@HOST:PORT/DB`: the
# command-line suites and the tmux suites of tests/tui against PostgreSQL
# (a fresh database per script, see tests/cli/lib.sh), plus the concurrent writers test, the UI's live
# refresh and reconnect in tmux (tests/pg/ui_live.sh), and kill -9 and
# server-restart failures (tests/pg/failures.sh).  escape.sh stays
# on SQLite: its names hold invalid UTF-8, which PostgreSQL's text refuses.  Not part of
# `make check`: it needs a server (./quickstart test starts one).
EXTRA_DIST += tests/pg/cluster.sh tests/pg/writers.sh tests/pg/ui_live.sh \
	tests/pg/failures.sh bench/postgres/run bench/README
check-pg:
	@test -n "$(MLWB_TEST_DB)" || { echo "check-pg: set" \
	    "MLWB_TEST_DB=postgresql://USER@HOST:PORT/DB" >&2; exit 2; }
	@tests=''; for t in $(TESTS); do case $$t in \
	    tests/cli/escape.sh) ;; tests/cli/*|tests/tui/*) \
	    tests="$$tests $$t";; \
	    esac; done; \
	MLWB_TEST_DB='$(MLWB_TEST_DB)' $(MAKE) $(AM_MAKEFLAGS) check \
	    TESTS="$$tests tests/pg/writers.sh tests/pg/ui_live.sh \
	    tests/pg/failures.sh"
.PHONY: check-pg
