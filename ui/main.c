/*
 * main: the mlwb program.  Parses the global options, then runs either a
 * command from the table in cmd.h or, with no command, the terminal
 * UI on the workspace.  This is the only place that decides the exit
 * status of the process.
 */
#include "config.h"

#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "cli.h"
#include "cmd.h"
#include "out.h"
#include "screen.h"
#include "xmem.h"

int
main(int argc, char **argv)
{
	static const struct option longopts[] = {
		CLI_COMMON_LONGOPTS,
		{ "theme", required_argument, NULL, 't' },
		{ "mouse", no_argument, NULL, 'm' },
		{ "project", required_argument, NULL, 'p' },
		{ "version", no_argument, NULL, 'V' },
		{ "script", required_argument, NULL, 'S' },
		{ "dump-screen", required_argument, NULL, 'D' },
		{ "size", required_argument, NULL, 'Z' },
		{ NULL, 0, NULL, 0 }
	};
	const struct cmd_entry	*e;
	struct cli		 cli;
	const char		*env;
	int			 opt, r;

	setlocale(LC_ALL, "");
	memset(&cli, 0, sizeof cli);
	cli.db_path = (env = getenv("MLWB_DB")) != NULL && *env ? env :
	    "mlwb.db";
	cli.format = OUT_AUTO;

	while ((opt = getopt_long(argc, argv, "+h", longopts, NULL)) != -1) {
		if ((r = cli_common_opt(&cli, opt, optarg)) == 1)
			continue;
		if (r < 0)
			return EXIT_USAGE;
		switch (opt) {
		case 't':
			cli.theme = optarg;
			break;
		case 'm':
			cli.mouse = 1;
			break;
		case 'p':
			cli.project = optarg;
			break;
		case 'S':
			cli.script = optarg;
			break;
		case 'D':
			cli.dump_screen = optarg;
			break;
		case 'Z':
			if (sscanf(optarg, "%dx%d", &cli.width, &cli.height) !=
			    2 || cli.width < 1 || cli.height < 1 ||
			    cli.width > 1000 || cli.height > 1000) {
				cli_error("--size %s: expected WxH, e.g. 80x24",
				    optarg);
				return EXIT_USAGE;
			}
			break;
		case 'V':
			printf("mlwb %s\n", PACKAGE_VERSION);
			return EXIT_OK;
		case 'h':
			cmd_print_usage(stdout);
			return EXIT_OK;
		default:
			cmd_print_usage(stderr);
			return EXIT_USAGE;
		}
	}
	argc -= optind;
	argv += optind;
	/* A fatal error while the UI is up gives the terminal back first. */
	xmem_set_fatal_hook(screen_stop);
	if (argc == 0)
		return ui_run(&cli);
	/* A command, not the UI (which draws escapes of its own). */
	out_guard();
	if (strcmp(argv[0], "help") == 0) {
		cmd_print_usage(stdout);
		return EXIT_OK;
	}
	if ((e = cmd_find(argv[0])) != NULL) {
		cli_getopt_reset();
		return e->exec(&cli, argc, argv);
	}
	cli_error("'%s' is not a command; see 'mlwb --help'", argv[0]);
	return EXIT_USAGE;
}
