# ui: the terminal application, its screens, keymap and themes.
libmlwb_a_SOURCES += src/db_runlist.c src/db_runlist.h
# The themes are the UI's data: linked into mlwb, not into libmlwb.a.
nodist_mlwb_SOURCES = ui/themes_embed.c
UI_SOURCES += ui/app.c ui/app.h ui/app_int.h ui/script.c ui/lineedit.c \
	ui/list.c ui/list.h ui/jobs_common.c ui/jobs_common.h ui/view_joblog.c \
	ui/view_launch.c ui/view_model.c ui/view_drift.h ui/view_drift_report.c \
	ui/view_drift_column.c ui/view_drift_trend.c ui/view_pvm.c \
	ui/lineedit.h ui/keyin.c ui/keyin.h ui/screen.c ui/screen.h ui/keymap.c \
	ui/keymap.h ui/theme.c ui/theme.h ui/view_experiments.c \
	ui/view_runs.c ui/view_run.c ui/view_help.c ui/view_pipelines.c
dist_themes_DATA += themes/default.yaml themes/light.yaml themes/mono.yaml \
	themes/high-contrast.yaml
CLEANFILES += ui/themes_embed.c
ui/themes_embed.c: $(dist_themes_DATA) $(srcdir)/mk/embed.sh
	@$(MKDIR_P) ui
	$(AM_V_GEN){ \
	  $(SHELL) $(srcdir)/mk/embed.sh theme_default $(srcdir)/themes/default.yaml; \
	  $(SHELL) $(srcdir)/mk/embed.sh theme_light $(srcdir)/themes/light.yaml; \
	  $(SHELL) $(srcdir)/mk/embed.sh theme_mono $(srcdir)/themes/mono.yaml; \
	  $(SHELL) $(srcdir)/mk/embed.sh theme_high_contrast $(srcdir)/themes/high-contrast.yaml; \
	} > $@.tmp && mv $@.tmp $@
TESTS += tests/screen/run.sh tests/cli/ui.sh tests/cli/layers.sh
EXTRA_DIST += tests/screen tests/cli/ui.sh tests/cli/layers.sh
TESTS += tests/tui/tmux.sh
EXTRA_DIST += tests/tui/tmux.sh
EXTRA_DIST += bench/ui/run
# Params against a metric (the runs list's v): the measures and canvas.
libmlwb_a_SOURCES += src/pvm.c src/pvm.h
check_PROGRAMS += tests/unit/test_pvm
tests_unit_test_pvm_LDADD = $(MLWB_LIBS)
TESTS += tests/unit/test_pvm
# The pipelines screen (view_pipelines.c) in a real terminal.
TESTS += tests/tui/pipeline.sh
EXTRA_DIST += tests/tui/pipeline.sh
