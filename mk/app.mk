# Layer 2: the mlwb program, ui/.  The screens and the command line, both
# on top of libmlwb.a; ui/ never writes SQL.  The UI's files (all of ui/
# but main.c) are linked as objects rather than an archive, so that the
# weak view constructors in view.h resolve; UI unit tests list
# $(UI_SOURCES) too.
mlwb_SOURCES = ui/main.c $(UI_SOURCES)
mlwb_LDADD = $(MLWB_LIBS)

# The command line: the command table (ui/cmd.c), one file per command
# family (each defines its commands' table entries next to their
# handlers), the output formats (ui/out.c), the progress line, and the
# shared plumbing (cli.c, xmem.c).
UI_SOURCES += ui/cli.h ui/cli.c ui/out.c ui/out.h ui/cmd.c ui/cmd.h \
	ui/progress_line.c ui/progress_line.h ui/xmem.c ui/xmem.h \
	ui/cli_workspace.c ui/cli_demo.c ui/cli_runs.c ui/cli_log.c \
	ui/cli_import.c ui/cli_mlflow.c ui/cli_compare.c ui/cli_plot.c \
	ui/cli_sweep.c ui/cli_drift.c ui/cli_model.c ui/cli_project.c \
	ui/cli_jobs.c ui/cli_complete.c ui/cli_sync.c ui/cli_sync.h \
	ui/cli_life.c ui/cli_life.h ui/cli_artifacts.c ui/cli_config.c \
	ui/cli_lineage.c ui/cli_repro.c ui/cli_repro.h ui/cli_pipeline.c \
	ui/editor.c ui/editor.h ui/verify_job.c ui/verify_job.h

# The terminal application: the frame (app, screen, keys, keymap, themes,
# the headless --script mode) and one file per screen.
UI_SOURCES += ui/app.c ui/app.h ui/app_int.h ui/script.c ui/screen.c \
	ui/screen.h ui/keyin.c ui/keyin.h ui/keymap.c ui/keymap.h \
	ui/theme.c ui/theme.h ui/draw.c ui/draw.h ui/view.h ui/actions.c \
	ui/actions.h ui/lineedit.c ui/lineedit.h ui/list.c ui/list.h \
	ui/jobs_common.c ui/jobs_common.h \
	ui/view_experiments.c ui/view_runs.c ui/view_run.c ui/view_life.c \
	ui/view_life.h ui/view_compare.c ui/view_chart.c ui/view_pvm.c \
	ui/view_drift.c ui/view_drift.h ui/view_drift_report.c \
	ui/view_drift_column.c ui/view_drift_trend.c ui/view_registry.c \
	ui/view_model.c ui/view_jobs.c ui/view_joblog.c ui/view_launch.c \
	ui/view_pipelines.c ui/view_text.c ui/view_help.c

# The themes are the UI's data: compiled into mlwb, not into libmlwb.a.
nodist_mlwb_SOURCES = ui/themes_embed.c
CLEANFILES += ui/themes_embed.c
ui/themes_embed.c: $(dist_themes_DATA) $(srcdir)/mk/embed.sh
	@$(MKDIR_P) ui
	$(AM_V_GEN){ \
	  $(SHELL) $(srcdir)/mk/embed.sh theme_default $(srcdir)/themes/default.yaml; \
	  $(SHELL) $(srcdir)/mk/embed.sh theme_light $(srcdir)/themes/light.yaml; \
	  $(SHELL) $(srcdir)/mk/embed.sh theme_mono $(srcdir)/themes/mono.yaml; \
	  $(SHELL) $(srcdir)/mk/embed.sh theme_high_contrast $(srcdir)/themes/high-contrast.yaml; \
	} > $@.tmp && mv $@.tmp $@

# Shell completion: the scripts come from the built mlwb (they are
# generated from its command table) and go where each shell looks.
bashcompdir = $(datadir)/bash-completion/completions
nodist_bashcomp_DATA = completion/mlwb
zshcompdir = $(datadir)/zsh/site-functions
nodist_zshcomp_DATA = completion/_mlwb
fishcompdir = $(datadir)/fish/vendor_completions.d
nodist_fishcomp_DATA = completion/mlwb.fish
CLEANFILES += completion/mlwb completion/_mlwb completion/mlwb.fish
completion/mlwb: mlwb$(EXEEXT)
	@$(MKDIR_P) completion
	$(AM_V_GEN)./mlwb$(EXEEXT) completion bash > $@.tmp && mv $@.tmp $@
completion/_mlwb: mlwb$(EXEEXT)
	@$(MKDIR_P) completion
	$(AM_V_GEN)./mlwb$(EXEEXT) completion zsh > $@.tmp && mv $@.tmp $@
completion/mlwb.fish: mlwb$(EXEEXT)
	@$(MKDIR_P) completion
	$(AM_V_GEN)./mlwb$(EXEEXT) completion fish > $@.tmp && mv $@.tmp $@
