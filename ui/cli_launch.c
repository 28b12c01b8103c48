/*
 * cli_launch: the launch area's commands: `mlwb project check`, which
 * reads mlwb.yaml (found from the current folder upwards, or --project
 * FILE) and prints its entry points.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "commands.h"
#include "err.h"
#include "project.h"
#include "strbuf.h"

/* Load the project: --project FILE, else mlwb.yaml from here upwards. */
static struct project *
load_project(struct cli *cli)
{
	struct project	*p;
	struct wb_err	 err;
	char		*path;
	int		 rc;

	if (cli->project != NULL)
		path = xstrdup(cli->project);
	else {
		if (project_find(".", &path, &err) != WB_OK) {
			cli_fail(&err);
			return NULL;
		}
	}
	rc = project_load(path, &p, &err);
	free(path);
	if (rc != WB_OK) {
		cli_fail(&err);
		return NULL;
	}
	return p;
}

/* Words joined with blanks, quoted where a shell would need it. */
static void
join_words(struct strbuf *sb, char *const *argv)
{
	const char	*w;
	size_t		 i;

	for (i = 0; argv[i] != NULL; i++) {
		w = argv[i];
		if (i > 0)
			strbuf_addc(sb, ' ');
		if (*w != '\0' && strpbrk(w, " \t\n'\"\\$`|&;<>()*?[]#~") ==
		    NULL)
			strbuf_adds(sb, w);
		else {
			strbuf_addc(sb, '\'');
			for (; *w != '\0'; w++)
				if (*w == '\'')
					strbuf_adds(sb, "'\\''");
				else
					strbuf_addc(sb, *w);
			strbuf_addc(sb, '\'');
		}
	}
}

static void
describe_params(struct strbuf *sb, const struct project_entry *e)
{
	const struct project_param	*p;
	size_t				 i, j;

	for (i = 0; i < e->nparams; i++) {
		p = &e->params[i];
		strbuf_addf(sb, "%s%s:%s", i ? " " : "", p->name,
		    project_type_name(p->type));
		if (p->def != NULL)
			strbuf_addf(sb, "=%s", p->def);
		if (p->choices != NULL) {
			strbuf_addc(sb, '{');
			for (j = 0; p->choices[j] != NULL; j++)
				strbuf_addf(sb, "%s%s", j ? "," : "",
				    p->choices[j]);
			strbuf_addc(sb, '}');
		}
	}
}

static int
project_check(struct cli *cli)
{
	const struct project_entry	*e;
	struct project			*p;
	struct strbuf			 sb = STRBUF_INIT;
	struct out			*o;
	size_t				 i;

	if ((p = load_project(cli)) == NULL)
		return EXIT_FAIL;
	o = out_new(stdout, cli->format);
	if (out_resolved(o) == OUT_TABLE && !cli->quiet)
		printf("%s: ok, %zu entry point%s\n", p->path, p->nentries,
		    p->nentries == 1 ? "" : "s");
	out_col(o, "entry", OUT_TEXT);
	out_col(o, "command", OUT_TEXT);
	out_col(o, "parameters", OUT_TEXT);
	out_col(o, "experiment", OUT_TEXT);
	for (i = 0; i < p->nentries; i++) {
		e = &p->entries[i];
		out_text(o, e->name);
		strbuf_reset(&sb);
		if (e->shell)
			strbuf_adds(&sb, "sh -c ");
		join_words(&sb, e->argv);
		out_text(o, strbuf_str(&sb));
		strbuf_reset(&sb);
		describe_params(&sb, e);
		out_text(o, strbuf_str(&sb));
		out_text(o, e->experiment);
		out_end_row(o);
	}
	strbuf_free(&sb);
	project_free(p);
	return out_finish(o) == 0 ? EXIT_OK : EXIT_FAIL;
}

int
cmd_project(struct cli *cli, int argc, char **argv)
{
	static const char usage[] =
	    "mlwb project check [--project FILE] [--format table|csv|json]";
	static const struct option longopts[] = {
		CLI_COMMON_LONGOPTS,
		{ "project", required_argument, NULL, 'p' },
		{ NULL, 0, NULL, 0 }
	};
	int	opt, r;

	while ((opt = getopt_long(argc, argv, "p:h", longopts, NULL)) != -1) {
		if ((r = cli_common_opt(cli, opt, optarg)) == 1)
			continue;
		if (r < 0)
			return EXIT_USAGE;
		switch (opt) {
		case 'p':
			cli->project = optarg;
			break;
		case 'h':
			printf("usage: %s\n\nRead mlwb.yaml (from the current "
			    "folder upwards, or --project FILE),\ncheck it and "
			    "list its entry points.  Errors say FILE:LINE:COL."
			    "\n", usage);
			return EXIT_OK;
		default:
			return cli_bad_option(argv[0]);
		}
	}
	if (argc - optind != 1 || strcmp(argv[optind], "check") != 0)
		return cli_usage(usage);
	return project_check(cli);
}
