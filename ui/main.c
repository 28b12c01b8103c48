/*
 * main: the mlwb program.  Parses the global options, then runs either a
 * command from the table in commands.h or, with no command, the terminal
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
#include "commands.h"
#include "out.h"

struct command {
	const char	*name;
	int		(*fn)(struct cli *, int, char **);
	const char	*help;
};

static const struct command commands[] = {
#define COMMAND_ENTRY(fn, name, help) { name, cmd_##fn, help },
	COMMANDS(COMMAND_ENTRY)
#undef COMMAND_ENTRY
};


static void
usage(FILE *fp)
{
	size_t	i;

	fprintf(fp,
	    "usage: mlwb [--db FILE] [--read-only] [--theme NAME] [--mouse]\n"
	    "       mlwb [--db FILE] --script KEYS --dump-screen OUT "
	    "[--size WxH]\n"
	    "       mlwb [--db FILE] COMMAND [ARGS...]\n\n"
	    "With no command, mlwb opens the terminal UI on the workspace\n"
	    "(--db FILE, else $MLWB_DB, else ./mlwb.db).\n\n"
	    "Commands:\n");
	for (i = 0; i < sizeof commands / sizeof commands[0]; i++)
		fprintf(fp, "  %-14s %s\n", commands[i].name, commands[i].help);
	fprintf(fp, "\nEvery listing takes --format table|csv|json.\n"
	    "'mlwb COMMAND --help' describes a command; 'man mlwb' all.\n");
}

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
	struct cli	 cli;
	const char	*env;
	size_t		 i;
	int		 opt, r;

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
			usage(stdout);
			return EXIT_OK;
		default:
			usage(stderr);
			return EXIT_USAGE;
		}
	}
	argc -= optind;
	argv += optind;
	if (argc == 0)
		return ui_run(&cli);
	/* A command, not the UI (which draws escapes of its own). */
	out_guard();
	if (strcmp(argv[0], "help") == 0) {
		usage(stdout);
		return EXIT_OK;
	}
	for (i = 0; i < sizeof commands / sizeof commands[0]; i++) {
		if (strcmp(argv[0], commands[i].name) == 0) {
			cli_getopt_reset();
			return commands[i].fn(&cli, argc, argv);
		}
	}
	cli_error("'%s' is not a command; see 'mlwb --help'", argv[0]);
	return EXIT_USAGE;
}
