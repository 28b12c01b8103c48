/*
 * cmd: the table of `mlwb COMMAND`s (tmux's cmd_entry is the model).
 * Each command family's file (ui/cli_runs.c, ui/cli_model.c, ...) defines
 * a `const struct cmd_entry` per command next to its handler: its name,
 * aliases, usage, help, options with their argument kinds, subcommands
 * and operands.  cmd.c lists the entries; from them come the dispatch in
 * main.c, `mlwb --help` and `mlwb COMMAND --help`, each handler's getopt
 * table (cmd_getopt), the man page check (`mlwb __table`) and shell
 * completion (ui/cli_complete.c).
 */
#ifndef MLWB_CMD_H
#define MLWB_CMD_H

#include <stdio.h>

struct cli;

/*
 * What an option's argument or an operand names.  Completion offers live
 * names for the kinds that have them (runs, experiments, models ...).
 */
enum cmd_arg {
	CMD_ARG_NONE,		/* a flag, no argument */
	CMD_ARG_TEXT,		/* free text */
	CMD_ARG_NUMBER,
	CMD_ARG_FILE,
	CMD_ARG_DIR,
	CMD_ARG_RUN,		/* UUID, prefix, EXPERIMENT/NAME or name */
	CMD_ARG_EXPERIMENT,
	CMD_ARG_METRIC,		/* a metric key */
	CMD_ARG_PARAM,		/* a param key */
	CMD_ARG_MODEL,
	CMD_ARG_ALIAS,		/* a model alias */
	CMD_ARG_ENTRY,		/* an entry point of mlwb.yaml */
	CMD_ARG_REPORT,		/* a saved drift report */
	CMD_ARG_CHOICE		/* one of the words of meta, '|'-separated */
};

/* Option flags. */
#define CMD_OPT_OPTIONAL	0x1	/* --name[=ARG] */

struct cmd_opt {
	const char	*name;		/* long name, without "--" */
	char		 short_name;	/* -X, or 0 */
	int		 val;		/* what cmd_getopt returns for it */
	enum cmd_arg	 arg;
	const char	*meta;		/* "EXPR"; choices for CMD_ARG_CHOICE */
	const char	*help;
	int		 flags;
};

/*
 * A subcommand: `mlwb runs show RUN`.  Its operands are a space-separated
 * list of kind words (cmd_arg_kind()): "run metric", "file..." (the last
 * repeats).  The parent's handler runs it.
 */
struct cmd_sub {
	const char	*name;
	const char	*operands;
	const char	*summary;
};

/* Entry flags. */
#define CMD_HIDDEN	0x1	/* internal: not in --help or completion */
#define CMD_NOFORMAT	0x2	/* prints text only: --format is refused */

struct cmd_entry {
	const char		*name;
	const char		*alias;		/* another name, or NULL */
	const char		*summary;	/* one line for mlwb --help */
	const char		*usage;		/* without "usage: " */
	const char		*help;		/* paragraphs for --help */
	const struct cmd_opt	*opts;		/* ends with a NULL name */
	const struct cmd_sub	*subs;		/* ends with a NULL name */
	const char		*operands;	/* as cmd_sub's, without subs */
	int			(*exec)(struct cli *, int, char **);
	int			 flags;
};

/* Every command, in the order mlwb --help lists them; NULL-terminated. */
extern const struct cmd_entry *const cmd_table[];

/* The command called name (or aliased so); NULL if none. */
const struct cmd_entry *cmd_find(const char *name);

/* `mlwb --help`: the global usage and the list of commands. */
void	 cmd_print_usage(FILE *fp);
/* `mlwb COMMAND --help`. */
void	 cmd_print_help(const struct cmd_entry *e, FILE *fp);

/* What cmd_getopt returns besides an option's val. */
#define CMD_GETOPT_END		0	/* no more options: operands at optind */
#define CMD_GETOPT_HELPED	(-1)	/* --help printed: exit EXIT_OK */
#define CMD_GETOPT_BAD		(-2)	/* message printed: exit EXIT_USAGE */

/*
 * getopt_long over e's options and the shared ones (--db, --format,
 * --read-only, --quiet, --help), which it handles itself into cli.
 * Returns the val of e's next option (its argument in optarg), or one of
 * the CMD_GETOPT_ codes.  Call cli_getopt_reset() before the first call
 * for an argv (main does, before the handler runs).
 */
int	 cmd_getopt(struct cli *cli, const struct cmd_entry *e, int argc,
	    char **argv);
/* The exit status for a CMD_GETOPT_HELPED or CMD_GETOPT_BAD result. */
int	 cmd_getopt_exit(int r);

/* The kind named by an operand word ("run", "file"), CMD_ARG_TEXT if none. */
enum cmd_arg cmd_arg_kind(const char *word, size_t len);
/* The metavariable shown for an option: its meta, else from its kind. */
const char *cmd_opt_meta(const struct cmd_opt *o);

/* The internal commands: `mlwb __table` lists the table for tests. */
int	 cmd_table_dump(struct cli *cli, int argc, char **argv);

#endif
