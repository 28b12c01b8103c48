# launch: the project file (mlwb.yaml), output-scalar capture, launching
# and supervising jobs, and the jobs screen.
libmlwb_a_SOURCES += src/demo_launch.c src/project.c src/project.h \
	src/scalars.c src/scalars.h src/db_jobs.c src/db_jobs.h \
	src/launch.c src/launch.h src/supervisor.c src/supervisor.h
UI_SOURCES += ui/view_jobs.c
check_PROGRAMS += tests/unit/test_project tests/unit/test_scalars \
	tests/unit/test_jobs
TESTS += tests/unit/test_project tests/unit/test_scalars tests/unit/test_jobs tests/cli/launch.sh \
	tests/cli/jobs_host.sh \
	tests/tui/launch.sh
tests_unit_test_project_LDADD = $(MLWB_LIBS)
tests_unit_test_scalars_LDADD = $(MLWB_LIBS)
tests_unit_test_jobs_LDADD = $(MLWB_LIBS)
EXTRA_DIST += tests/cli/launch.sh tests/data/launch tests/tui/launch.sh \
	tests/cli/jobs_host.sh
dist_doc_DATA += doc/launch.md
EXTRA_DIST += bench/launch/run
FUZZ_TARGETS += fuzz_project fuzz_scalars
EXTRA_DIST += tests/fuzz/fuzz_project.c tests/fuzz/corpus/fuzz_project \
	tests/fuzz/fuzz_scalars.c tests/fuzz/corpus/fuzz_scalars

# The example project: installed as data, and compiled in for the demo.
EXAMPLE_FILES = data/example-project/mlwb.yaml data/example-project/train.sh \
	data/example-project/evaluate.sh data/example-project/deploy.sh \
	data/example-project/train.csv data/example-project/new-data.csv
exampledir = $(pkgdatadir)/example-project
dist_example_DATA = $(EXAMPLE_FILES)
nodist_libmlwb_a_SOURCES += src/example_embed.c
CLEANFILES += src/example_embed.c
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
