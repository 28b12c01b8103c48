# Layer 1: libmlwb.a, the core library.  Every file of src/ and nothing
# else: no ui/ file, no curses, no theme data (tests/cli/layers.sh checks
# all three).  It is compiled with flags of its own: no ui/ on the include
# path, no curses flags, and mk/core-only first on the path, whose curses.h
# (and term.h, panel.h, ncursesw/) stop the build with an #error, so src/
# compiling at all proves it sees neither the UI nor the terminal.
libmlwb_a_CPPFLAGS = -I$(srcdir)/mk/core-only -I$(srcdir)/src \
	-I$(builddir)/src -DMLWB_DATADIR='"$(pkgdatadir)"'
libmlwb_a_CFLAGS = $(WARN_CFLAGS) $(SAN_FLAGS) $(SQLITE_CFLAGS) \
	$(PCRE2_CFLAGS) $(YAML_CFLAGS) $(CRYPTO_CFLAGS) $(LIBPQ_CFLAGS)
EXTRA_DIST += mk/core-only/curses.h mk/core-only/ncurses.h \
	mk/core-only/term.h mk/core-only/panel.h \
	mk/core-only/ncursesw/curses.h mk/core-only/ncursesw/ncurses.h

# Errors, memory, strings, hashing, YAML and CSV reading.
libmlwb_a_SOURCES += src/err.c src/err.h src/mem.c src/mem.h \
	src/strbuf.c src/strbuf.h src/text.c src/text.h \
	src/sha256.c src/sha256.h src/csvread.c src/csvread.h \
	src/csvfast.c src/csvfast.h src/yamldoc.c src/yamldoc.h \
	src/progress.h src/rx.c src/rx.h src/pyrepr.c src/pyrepr.h

# The store: one interface (db.h), SQLite and PostgreSQL behind it, the
# tracking tables, the metric chunks and their codec, the text index,
# doctor, and copying between workspaces (merge, push, pull).
libmlwb_a_SOURCES += src/db.c src/db.h src/db_internal.h src/db_sqlite.c \
	src/db_run.c src/db_run.h src/db_metric.c src/db_metric.h \
	src/db_series.c src/db_series.h src/chunk_codec.c src/chunk_codec.h \
	src/db_recompress.c src/db_doctor.c src/db_textidx.c src/db_textidx.h \
	src/db_copy.c src/db_merge.c src/db_merge.h src/db_sync.c \
	src/db_sync.h src/db_life.c src/db_life.h src/db_runlist.c \
	src/db_runlist.h src/db_query.c src/db_query.h src/db_complete.c \
	src/db_complete.h
if HAVE_LIBPQ
libmlwb_a_SOURCES += src/db_pg.c
endif

# Import: CSV/JSON/YAML training logs, TensorBoard event files, MLflow.
libmlwb_a_SOURCES += src/import.c src/import.h src/import_int.h \
	src/import_file.c src/import_json.c src/import_detect.c \
	src/import_tfevents.c src/tfevents.c src/tfevents.h src/db_import.c \
	src/mlflow.c src/mlflow.h src/mlflow_int.h src/mlflow_db.c \
	src/mlflow_feed.c src/mlflow_feed.h \
	src/mlflow_store.c src/db_mlflow.c src/db_mlflow.h src/db_lmodel.c \
	src/db_lmodel.h

# Query, compare and charts.
libmlwb_a_SOURCES += src/query.c src/query.h src/series.c src/series.h \
	src/plot.c src/plot.h src/chart.c src/chart.h src/compare.c \
	src/compare.h src/pvm.c src/pvm.h

# Drift.
libmlwb_a_SOURCES += src/dataset.c src/dataset.h src/drift.c src/drift.h \
	src/drift_ks.c src/drift_report.c src/drift_report.h src/db_drift.c \
	src/db_drift.h

# Registry, deploy and verify.
libmlwb_a_SOURCES += src/db_registry.c src/db_registry.h src/registry.c \
	src/registry.h src/deploy.c src/deploy.h src/verify.c src/verify.h

# Runs: artifacts, lineage, what a run keeps to be run again, system
# metrics.
libmlwb_a_SOURCES += src/artifact.c src/artifact.h src/db_artifact.c \
	src/db_artifact.h src/lineage.c src/lineage.h src/db_lineage.c \
	src/db_lineage.h src/repro.c src/repro.h src/db_repro.c \
	src/db_repro.h src/sysmetrics.c src/sysmetrics.h src/sysm_trend.c \
	src/sysm_trend.h

# The project file, launching and supervising jobs, output scalars,
# pipelines and their schedules.
libmlwb_a_SOURCES += src/project.c src/project.h src/scalars.c \
	src/scalars.h src/db_jobs.c src/db_jobs.h src/launch.c src/launch.h \
	src/launch_rerun.c src/supervisor.c src/supervisor.h \
	src/pipeline.h src/pipeline_int.h src/pipeline_def.c \
	src/pipeline_store.c src/pipeline_run.c src/db_pipeline.c \
	src/db_pipeline.h src/schedule.c src/schedule.h

# The demo workspace's contents.
libmlwb_a_SOURCES += src/demo.h src/demo_tracking.c src/demo_drift.c \
	src/demo_registry.c src/demo_launch.c

# Data compiled into the library: the schemas, and the example project
# (which the demo writes out).  mk/embed.sh makes each a byte array.
nodist_libmlwb_a_SOURCES += src/schema_sql.c src/example_embed.c
CLEANFILES += src/schema_sql.c src/example_embed.c
if HAVE_LIBPQ
nodist_libmlwb_a_SOURCES += src/schema_pg_sql.c
CLEANFILES += src/schema_pg_sql.c
endif
src/schema_sql.c: $(srcdir)/data/schema.sql $(srcdir)/mk/embed.sh
	@$(MKDIR_P) src
	$(AM_V_GEN)$(SHELL) $(srcdir)/mk/embed.sh schema_sql \
	    $(srcdir)/data/schema.sql > $@.tmp && mv $@.tmp $@
src/schema_pg_sql.c: $(srcdir)/data/schema-pg.sql $(srcdir)/mk/embed.sh
	@$(MKDIR_P) src
	$(AM_V_GEN)$(SHELL) $(srcdir)/mk/embed.sh schema_pg_sql \
	    $(srcdir)/data/schema-pg.sql > $@.tmp && mv $@.tmp $@
src/example_embed.c: $(dist_example_DATA) $(srcdir)/mk/embed.sh
	@$(MKDIR_P) src
	$(AM_V_GEN){ \
	  $(SHELL) $(srcdir)/mk/embed.sh example_mlwb_yaml \
	    $(srcdir)/data/example-project/mlwb.yaml; \
	  $(SHELL) $(srcdir)/mk/embed.sh example_train_sh \
	    $(srcdir)/data/example-project/train.sh; \
	  $(SHELL) $(srcdir)/mk/embed.sh example_evaluate_sh \
	    $(srcdir)/data/example-project/evaluate.sh; \
	  $(SHELL) $(srcdir)/mk/embed.sh example_deploy_sh \
	    $(srcdir)/data/example-project/deploy.sh; \
	  $(SHELL) $(srcdir)/mk/embed.sh example_train_csv \
	    $(srcdir)/data/example-project/train.csv; \
	  $(SHELL) $(srcdir)/mk/embed.sh example_new_data_csv \
	    $(srcdir)/data/example-project/new-data.csv; \
	} > $@.tmp && mv $@.tmp $@
