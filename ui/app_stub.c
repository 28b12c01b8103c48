/*
 * app_stub: what `mlwb` with no command does until the terminal UI lands:
 * print the workspace's runs.
 */
#include "config.h"

#include "cli.h"
#include "commands.h"

int	ui_run(struct cli *cli);

int
ui_run(struct cli *cli)
{
	char	 ls[] = "ls", runs[] = "runs";
	char	*argv[] = { runs, ls, NULL };

	return cmd_runs(cli, 2, argv);
}
