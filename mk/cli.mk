# The command line: the command table (ui/cmd.c) and one file per command
# family, each defining its commands' table entries next to their
# handlers; the output formats (ui/out.c) and the shared plumbing (cli.c).
UI_SOURCES += ui/cli.h ui/cli.c ui/out.c ui/out.h ui/cmd.c ui/cmd.h \
	ui/cli_workspace.c ui/cli_demo.c ui/cli_runs.c ui/cli_log.c \
	ui/cli_import.c ui/cli_mlflow.c ui/cli_compare.c ui/cli_plot.c \
	ui/cli_drift.c ui/cli_model.c ui/cli_project.c ui/cli_jobs.c
