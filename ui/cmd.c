/*
 * cmd: the command table and what is built from it: lookup, the global
 * and per-command help, and each command's getopt table.  The entries
 * themselves live with their handlers in ui/cli_*.c.
 */
#include "config.h"

#include "cmd.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "xmem.h"

extern const struct cmd_entry cmd_init_entry, cmd_demo_entry,
    cmd_exp_entry, cmd_runs_entry, cmd_metrics_entry, cmd_log_entry,
    cmd_merge_entry, cmd_doctor_entry, cmd_import_entry,
    cmd_import_mlflow_entry, cmd_compare_entry, cmd_plot_entry, cmd_sweep_entry,
    cmd_drift_entry, cmd_model_entry, cmd_project_entry, cmd_launch_entry,
    cmd_jobs_entry, cmd_scalars_entry, cmd_completion_entry,
    cmd_complete_entry, cmd_table_entry, cmd_push_entry, cmd_pull_entry,
    cmd_artifacts_entry, cmd_config_entry, cmd_lineage_entry,
    cmd_pipeline_entry;

const struct cmd_entry *const cmd_table[] = {
	&cmd_init_entry,
	&cmd_config_entry,
	&cmd_demo_entry,
	&cmd_exp_entry,
	&cmd_runs_entry,
	&cmd_metrics_entry,
	&cmd_log_entry,
	&cmd_artifacts_entry,
	&cmd_lineage_entry,
	&cmd_merge_entry,
	&cmd_push_entry,
	&cmd_pull_entry,
	&cmd_doctor_entry,
	&cmd_import_entry,
	&cmd_import_mlflow_entry,
	&cmd_compare_entry,
	&cmd_plot_entry,
	&cmd_sweep_entry,
	&cmd_drift_entry,
	&cmd_model_entry,
	&cmd_project_entry,
	&cmd_launch_entry,
	&cmd_jobs_entry,
	&cmd_pipeline_entry,
	&cmd_scalars_entry,
	&cmd_completion_entry,
	&cmd_complete_entry,
	&cmd_table_entry,
	NULL
};

/* The options every command takes; cmd_getopt handles them itself. */
static const struct cmd_opt common_opts[] = {
	{ "db", 0, OPT_DB, CMD_ARG_FILE, "FILE|URL",
	  "the workspace ($MLWB_DB, else ./mlwb.db)", 0 },
	{ "format", 0, OPT_FORMAT, CMD_ARG_CHOICE, "table|csv|json",
	  "table on a terminal, else csv", 0 },
	{ "read-only", 0, OPT_READONLY, CMD_ARG_NONE, NULL,
	  "open the workspace read-only", 0 },
	{ "quiet", 0, OPT_QUIET, CMD_ARG_NONE, NULL,
	  "no progress and no confirmations", 0 },
	{ "help", 'h', 'h', CMD_ARG_NONE, NULL, "this help", 0 },
	{ NULL, 0, 0, CMD_ARG_NONE, NULL, NULL, 0 }
};

/* Kind words of operand lists and the default metavariables. */
static const struct {
	const char	*word;
	enum cmd_arg	 kind;
	const char	*meta;
} kinds[] = {
	{ "text", CMD_ARG_TEXT, "TEXT" },
	{ "number", CMD_ARG_NUMBER, "N" },
	{ "file", CMD_ARG_FILE, "FILE" },
	{ "dir", CMD_ARG_DIR, "DIR" },
	{ "run", CMD_ARG_RUN, "RUN" },
	{ "experiment", CMD_ARG_EXPERIMENT, "EXPERIMENT" },
	{ "metric", CMD_ARG_METRIC, "METRIC" },
	{ "param", CMD_ARG_PARAM, "PARAM" },
	{ "model", CMD_ARG_MODEL, "MODEL" },
	{ "alias", CMD_ARG_ALIAS, "ALIAS" },
	{ "entry", CMD_ARG_ENTRY, "ENTRY" },
	{ "report", CMD_ARG_REPORT, "REPORT" },
	{ "choice", CMD_ARG_CHOICE, "WORD" },
};

enum cmd_arg
cmd_arg_kind(const char *word, size_t len)
{
	size_t	i;

	for (i = 0; i < sizeof kinds / sizeof kinds[0]; i++)
		if (strlen(kinds[i].word) == len &&
		    strncmp(kinds[i].word, word, len) == 0)
			return kinds[i].kind;
	return CMD_ARG_TEXT;
}

const char *
cmd_opt_meta(const struct cmd_opt *o)
{
	size_t	i;

	if (o->meta != NULL)
		return o->meta;
	for (i = 0; i < sizeof kinds / sizeof kinds[0]; i++)
		if (kinds[i].kind == o->arg)
			return kinds[i].meta;
	return "ARG";
}

const struct cmd_entry *
cmd_find(const char *name)
{
	size_t	i;

	for (i = 0; cmd_table[i] != NULL; i++)
		if (strcmp(cmd_table[i]->name, name) == 0 ||
		    (cmd_table[i]->alias != NULL &&
		    strcmp(cmd_table[i]->alias, name) == 0))
			return cmd_table[i];
	return NULL;
}

void
cmd_print_usage(FILE *fp)
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
	for (i = 0; cmd_table[i] != NULL; i++)
		if (!(cmd_table[i]->flags & CMD_HIDDEN))
			fprintf(fp, "  %-14s %s\n", cmd_table[i]->name,
			    cmd_table[i]->summary);
	fprintf(fp, "\nEvery listing takes --format table|csv|json.\n"
	    "'mlwb COMMAND --help' describes a command; 'man mlwb' all.\n");
}

static void
print_opt(FILE *fp, const struct cmd_opt *o)
{
	const char	*meta = cmd_opt_meta(o), *p;
	char		 left[64];
	int		 n, many;

	/* A long list of choices is listed below the option, not in it. */
	many = o->arg == CMD_ARG_CHOICE && strlen(meta) > 16;
	if (o->short_name)
		n = snprintf(left, sizeof left, "-%c, --%s", o->short_name,
		    o->name);
	else
		n = snprintf(left, sizeof left, "    --%s", o->name);
	if (o->arg != CMD_ARG_NONE && n > 0 && (size_t)n < sizeof left)
		snprintf(left + n, sizeof left - (size_t)n,
		    o->flags & CMD_OPT_OPTIONAL ? "[=%s]" : " %s",
		    many ? "WORD" : meta);
	if (strlen(left) > 26)
		fprintf(fp, "  %s\n  %-26s %s\n", left, "", o->help);
	else
		fprintf(fp, "  %-26s %s\n", left, o->help);
	if (many) {
		fprintf(fp, "  %-26s one of: ", "");
		for (p = meta; *p != '\0'; p++)
			fputc(*p == '|' ? ' ' : *p, fp);
		fputc('\n', fp);
	}
}

void
cmd_print_help(const struct cmd_entry *e, FILE *fp)
{
	const struct cmd_opt	*o;

	fprintf(fp, "usage: %s\n", e->usage);
	if (e->help != NULL)
		fprintf(fp, "\n%s", e->help);
	fputs("\nOptions:\n", fp);
	for (o = e->opts; o != NULL && o->name != NULL; o++)
		print_opt(fp, o);
	for (o = common_opts; o->name != NULL; o++)
		if (!(o->val == OPT_FORMAT && (e->flags & CMD_NOFORMAT)))
			print_opt(fp, o);
	if (e->alias != NULL)
		fprintf(fp, "\n'mlwb %s' is also 'mlwb %s'.\n", e->name,
		    e->alias);
}

/* Does e define an option called name (then it shadows a common one)? */
static int
own_opt(const struct cmd_entry *e, const char *name)
{
	const struct cmd_opt	*o;

	for (o = e->opts; o != NULL && o->name != NULL; o++)
		if (strcmp(o->name, name) == 0)
			return 1;
	return 0;
}

/*
 * The getopt tables of the entry in use, built at its first call.  A
 * process runs one command, so one cache is enough.
 */
static struct {
	const struct cmd_entry	*e;
	struct option		 lo[64];
	char			 so[64];
} built;

static void
build(const struct cmd_entry *e)
{
	const struct cmd_opt	*lists[2], *o;
	size_t			 nl = 0, ns = 0, i;

	memset(&built, 0, sizeof built);
	built.e = e;
	lists[0] = e->opts;
	lists[1] = common_opts;
	for (i = 0; i < 2; i++) {
		for (o = lists[i]; o != NULL && o->name != NULL; o++) {
			if (i == 1 && own_opt(e, o->name))
				continue;
			/* The table is static and small: overflow is a bug. */
			if (nl + 2 > sizeof built.lo / sizeof built.lo[0] ||
			    ns + 4 > sizeof built.so)
				ui_fatal("command table: %s has too many "
				    "options", e->name);
			built.lo[nl].name = o->name;
			built.lo[nl].has_arg = o->arg == CMD_ARG_NONE ?
			    no_argument : o->flags & CMD_OPT_OPTIONAL ?
			    optional_argument : required_argument;
			built.lo[nl].val = o->val;
			nl++;
			if (o->short_name) {
				built.so[ns++] = o->short_name;
				if (o->arg != CMD_ARG_NONE)
					built.so[ns++] = ':';
			}
		}
	}
}

int
cmd_getopt(struct cli *cli, const struct cmd_entry *e, int argc, char **argv)
{
	int	opt, r;

	if (built.e != e)
		build(e);
	for (;;) {
		opt = getopt_long(argc, argv, built.so, built.lo, NULL);
		if (opt == -1)
			return CMD_GETOPT_END;
		if (opt == 'h' && !own_opt(e, "help")) {
			cmd_print_help(e, stdout);
			return CMD_GETOPT_HELPED;
		}
		if (opt == '?' || opt == ':') {
			fprintf(stderr, "Try 'mlwb %s --help'.\n", e->name);
			return CMD_GETOPT_BAD;
		}
		if (opt == OPT_FORMAT && (e->flags & CMD_NOFORMAT)) {
			cli_error("%s: --format: this command prints text "
			    "only", e->name);
			return CMD_GETOPT_BAD;
		}
		if (opt >= OPT_DB && opt < OPT_FIRST_LOCAL) {
			if ((r = cli_common_opt(cli, opt, optarg)) < 0)
				return CMD_GETOPT_BAD;
			if (r == 1)
				continue;
		}
		return opt;
	}
}

int
cmd_getopt_exit(int r)
{
	return r == CMD_GETOPT_HELPED ? EXIT_OK : EXIT_USAGE;
}

/*
 * `mlwb __table`: one line per command, subcommand and option, for the
 * test that checks doc/mlwb.1 documents every one of them.
 */
int
cmd_table_dump(struct cli *cli, int argc, char **argv)
{
	const struct cmd_entry	*e;
	const struct cmd_sub	*s;
	const struct cmd_opt	*o;
	size_t			 i;

	(void)cli;
	(void)argc;
	(void)argv;
	for (o = common_opts; o->name != NULL; o++)
		printf("option - --%s\n", o->name);
	for (i = 0; (e = cmd_table[i]) != NULL; i++) {
		if (e->flags & CMD_HIDDEN)
			continue;
		printf("command %s\n", e->name);
		if (e->flags & CMD_NOFORMAT)
			printf("textonly %s\n", e->name);
		if (e->alias != NULL)
			printf("alias %s %s\n", e->name, e->alias);
		for (s = e->subs; s != NULL && s->name != NULL; s++)
			printf("sub %s %s\n", e->name, s->name);
		for (o = e->opts; o != NULL && o->name != NULL; o++) {
			printf("option %s --%s", e->name, o->name);
			if (o->short_name)
				printf(" -%c", o->short_name);
			putchar('\n');
		}
	}
	return ferror(stdout) ? EXIT_FAIL : EXIT_OK;
}

const struct cmd_entry cmd_table_entry = {
	.name = "__table",
	.summary = "list the command table (for tests)",
	.usage = "mlwb __table",
	.exec = cmd_table_dump,
	.flags = CMD_HIDDEN,
};
