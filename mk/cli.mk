# The command line: the command table (ui/cmd.c) and one file per command
# family, each defining its commands' table entries next to their
# handlers; the output formats (ui/out.c) and the shared plumbing (cli.c).
UI_SOURCES += ui/cli.h ui/cli.c ui/out.c ui/out.h ui/cmd.c ui/cmd.h \
	ui/progress_line.c ui/progress_line.h \
	ui/xmem.c ui/xmem.h \
	ui/cli_workspace.c ui/cli_demo.c ui/cli_runs.c ui/cli_log.c \
	ui/cli_import.c ui/cli_mlflow.c ui/cli_compare.c ui/cli_plot.c \
	ui/cli_sweep.c ui/cli_drift.c ui/cli_model.c ui/cli_project.c ui/cli_jobs.c \
	ui/cli_complete.c ui/cli_sync.c ui/cli_sync.h
libmlwb_a_SOURCES += src/db_complete.c src/db_complete.h

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
check_PROGRAMS += tests/unit/test_xmem
tests_unit_test_xmem_SOURCES = tests/unit/test_xmem.c ui/xmem.c ui/xmem.h
TESTS += tests/unit/test_xmem
TESTS += tests/cli/complete.sh tests/cli/json.sh tests/cli/stream.sh \
	tests/cli/progress.sh tests/cli/longpath.sh
EXTRA_DIST += tests/cli/complete.sh tests/cli/json.sh tests/cli/jsoncheck.py \
	tests/cli/stream.sh tests/cli/progress.sh tests/cli/longpath.sh \
	bench/cli/run
