/*
 * cli_sweep: `mlwb sweep rank|scatter|parallel`, the params-vs-metric
 * views of the UI's `v` screen without a screen: which params move a
 * metric most (rank correlation), one param or metric against the
 * metric, and parallel coordinates, for the runs an experiment and a
 * filter select.  Text (braille, ASCII in LANG=C) goes to stdout through
 * the one sanitiser; --out writes an SVG.  The drawing is view_pvm's, so
 * the dump is what the screen shows.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "cmd.h"
#include "db.h"
#include "db_run.h"
#include "err.h"
#include "strbuf.h"
#include "text.h"
#include "view.h"

static int	cmd_sweep(struct cli *, int, char **);

enum { OPT_METRIC = OPT_FIRST_LOCAL, OPT_FILTER, OPT_VS, OPT_OUT,
	OPT_WIDTH, OPT_HEIGHT, OPT_ASCII };

static const struct cmd_opt sweep_opts[] = {
	{ "experiment", 'e', 'e', CMD_ARG_EXPERIMENT, NULL,
	  "the runs of one experiment (default: all)", 0 },
	{ "filter", 0, OPT_FILTER, CMD_ARG_TEXT, "EXPR",
	  "only the runs that match (MLflow search syntax)", 0 },
	{ "metric", 0, OPT_METRIC, CMD_ARG_METRIC, "KEY",
	  "the metric (default: a validation metric, as the screen)", 0 },
	{ "vs", 0, OPT_VS, CMD_ARG_TEXT, "KEY",
	  "scatter: the x axis, a param or metric (default: the param "
	  "that moves the metric most)", 0 },
	{ "out", 0, OPT_OUT, CMD_ARG_FILE, "FILE.svg",
	  "write an SVG file instead of text", 0 },
	{ "width", 0, OPT_WIDTH, CMD_ARG_NUMBER, "W", "cells (80)", 0 },
	{ "height", 0, OPT_HEIGHT, CMD_ARG_NUMBER, "H", "cells (24)", 0 },
	{ "ascii", 0, OPT_ASCII, CMD_ARG_NONE, NULL,
	  "ASCII, not braille", 0 },
	{ NULL, 0, 0, CMD_ARG_NONE, NULL, NULL, 0 }
};

static const struct cmd_sub sweep_subs[] = {
	{ "rank", NULL, "which params move the metric most" },
	{ "scatter", NULL, "the metric against one param or metric" },
	{ "parallel", NULL, "parallel coordinates of the params and metric" },
	{ NULL, NULL, NULL }
};

const struct cmd_entry cmd_sweep_entry = {
	.name = "sweep",
	.summary = "Params against a metric: ranking, scatter, parallel",
	.usage = "mlwb sweep rank|scatter|parallel [-e EXPERIMENT] "
	    "[--filter EXPR]\n"
	    "            [--metric KEY] [--vs KEY] [--out FILE.svg] "
	    "[--width W --height H]\n"
	    "            [--ascii]",
	.help = "The runs of a sweep (an experiment, narrowed by --filter) "
	    "set against one metric,\nas the UI's params-vs-metric screen "
	    "draws them.  rank orders the params by\nhow strongly they move "
	    "the metric (Spearman's rank correlation for numbers, the\n"
	    "correlation ratio on ranks for other values).\n"
	    "scatter puts the metric against --vs (a param or metric; "
	    "default the\nparam that ranks first).  parallel draws one axis "
	    "per param, ending in the\nmetric.  Text on stdout, or an SVG "
	    "file with --out.\n",
	.opts = sweep_opts,
	.subs = sweep_subs,
	.exec = cmd_sweep,
	.flags = CMD_NOFORMAT,
};

static int
cells(const char *name, const char *arg, int *v)
{
	char	*end;
	long	 r = strtol(arg, &end, 10);

	if (*end != '\0' || end == arg || r < 8 || r > 1000) {
		cli_error("--%s %s: a number from 8 to 1000", name, arg);
		return -1;
	}
	*v = (int)r;
	return 0;
}

static int
cmd_sweep(struct cli *cli, int argc, char **argv)
{
	struct pvm_spec	 sp;
	struct strbuf	 sb = STRBUF_INIT, safe = STRBUF_INIT;
	struct wb_err	 err;
	struct db	*db;
	const char	*exp = NULL, *outpath = NULL, *view;
	int		 opt, w = 80, h = 24, ascii = 0, rc, status = EXIT_FAIL;
	FILE		*fp;

	memset(&sp, 0, sizeof sp);
	while ((opt = cmd_getopt(cli, &cmd_sweep_entry, argc, argv)) > 0) {
		switch (opt) {
		case 'e': exp = optarg; break;
		case OPT_FILTER: sp.filter = optarg; break;
		case OPT_METRIC: sp.metric = optarg; break;
		case OPT_VS: sp.x = optarg; break;
		case OPT_OUT: outpath = optarg; break;
		case OPT_ASCII: ascii = 1; break;
		case OPT_WIDTH:
			if (cells("width", optarg, &w) != 0)
				return EXIT_USAGE;
			break;
		case OPT_HEIGHT:
			if (cells("height", optarg, &h) != 0)
				return EXIT_USAGE;
			break;
		}
	}
	if (opt < 0)
		return cmd_getopt_exit(opt);
	if (argc - optind != 1)
		return cli_usage(cmd_sweep_entry.usage);
	view = argv[optind];
	if (strcmp(view, "rank") == 0)
		sp.view = PVM_RANKING;
	else if (strcmp(view, "scatter") == 0)
		sp.view = PVM_SCATTER;
	else if (strcmp(view, "parallel") == 0)
		sp.view = PVM_PARALLEL;
	else {
		cli_error("sweep: no view '%s' (rank, scatter or parallel)",
		    view);
		return EXIT_USAGE;
	}
	if (sp.x != NULL && sp.view != PVM_SCATTER) {
		cli_error("--vs is for the scatter view");
		return EXIT_USAGE;
	}
	if ((db = cli_open_db(cli, DB_NOCREATE | DB_READONLY)) == NULL)
		return EXIT_FAIL;
	if (exp != NULL && db_exp_find(db, exp, &sp.exp_id, &err) != WB_OK) {
		status = cli_fail(&err);
		goto out;
	}
	rc = outpath != NULL ? view_pvm_svg(db, &sp, &sb, &err) :
	    view_pvm_text(db, &sp, w, h, !ascii && cli_locale_utf8(), &sb, &err);
	if (rc != WB_OK) {
		status = cli_fail(&err);
		goto out;
	}
	if (outpath != NULL) {
		if ((fp = fopen(outpath, "w")) == NULL) {
			cli_error("%s: %s", outpath, strerror(errno));
			goto out;
		}
		fputs(strbuf_str(&sb), fp);
		if (fclose(fp) != 0) {
			cli_error("%s: %s", outpath, strerror(errno));
			goto out;
		}
		if (!cli->quiet)
			printf("wrote %s (%s)\n", outpath, view);
	} else {
		/* Keys and run names are data: one sanitiser for the terminal. */
		const char	*p, *nl;
		size_t		 len, blank = 0;

		/*
		 * Line by line, without the screen's padding: trailing
		 * spaces and the empty rows below the drawing go.
		 */
		for (p = strbuf_str(&sb); *p != '\0'; p = nl + 1) {
			nl = strchr(p, '\n');
			len = nl ? (size_t)(nl - p) : strlen(p);
			while (len > 0 && p[len - 1] == ' ')
				len--;
			if (len == 0)
				blank++;
			else {
				for (; blank > 0; blank--)
					strbuf_addc(&safe, '\n');
				text_sanitize(&safe, p, len);
				strbuf_addc(&safe, '\n');
			}
			if (nl == NULL)
				break;
		}
		fputs(strbuf_str(&safe), stdout);
	}
	status = fflush(stdout) == 0 ? EXIT_OK : EXIT_FAIL;
out:
	strbuf_free(&sb);
	strbuf_free(&safe);
	db_close(db);
	return status;
}
