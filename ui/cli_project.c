/*
 * cli_project: the commands about the project file (mlwb.yaml):
 *
 *   mlwb project check          read mlwb.yaml, list its entry points
 *   mlwb project example [DIR]  write the example project
 *   mlwb scalars test           show what output-scalar capture takes
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "cmd.h"
#include "db.h"
#include "db_jobs.h"
#include "db_metric.h"
#include "db_run.h"
#include "err.h"
#include "launch.h"
#include "project.h"
#include "scalars.h"
#include "strbuf.h"
#include "supervisor.h"
#include "text.h"

static int	cmd_project(struct cli *, int, char **);
static int	cmd_scalars(struct cli *, int, char **);

static const struct cmd_opt project_opts[] = {
	{ "project", 'p', 'p', CMD_ARG_FILE, NULL,
	  "the project file (default: mlwb.yaml upwards)", 0 },
	{ NULL, 0, 0, CMD_ARG_NONE, NULL, NULL, 0 }
};

static const struct cmd_sub project_subs[] = {
	{ "check", "", "read mlwb.yaml, check it, list its entry points" },
	{ "example", "dir", "write the example project to DIR" },
	{ NULL, NULL, NULL }
};

const struct cmd_entry cmd_project_entry = {
	.name = "project",
	.summary = "Check mlwb.yaml, list its entry points",
	.usage = "mlwb project check [--project FILE] [--format table|csv|json]"
	    "\n       mlwb project example [DIR]",
	.help = "check: read mlwb.yaml (from the current folder upwards, or "
	    "--project FILE),\ncheck it and list its entry points.  Errors "
	    "say FILE:LINE:COL.\nexample: write the example project (training,"
	    " evaluation, deploy scripts)\nto DIR (default example-project).\n",
	.opts = project_opts,
	.subs = project_subs,
	.exec = cmd_project,
};

static const struct cmd_opt scalars_opts[] = {
	{ "pattern", 'p', 'p', CMD_ARG_TEXT, "P",
	  "a regex with groups named key and value (and step)", 0 },
	{ "key-pattern", 'k', 'k', CMD_ARG_TEXT, "KEY:P",
	  "a fixed key and a regex with one value group", 0 },
	{ "default", 'd', 'd', CMD_ARG_NONE, NULL,
	  "the default patterns too", 0 },
	{ "project", 0, 'P', CMD_ARG_FILE, NULL,
	  "the project's output_scalars", CMD_OPT_OPTIONAL },
	{ NULL, 0, 0, CMD_ARG_NONE, NULL, NULL, 0 }
};

static const struct cmd_sub scalars_subs[] = {
	{ "test", "", "print the points capture takes from stdin" },
	{ NULL, NULL, NULL }
};

const struct cmd_entry cmd_scalars_entry = {
	.name = "scalars",
	.summary = "Test output-scalar capture on text",
	.usage = "mlwb scalars test [--pattern P]... [--key-pattern KEY:P]... "
	    "[--default]\n                  [--project[=FILE]]",
	.help = "Read text on stdin and print the metric points output-scalar "
	    "capture\ntakes from it: LINE, KEY, STEP, VALUE.  With no pattern: "
	    "the default ones\n(`loss: 0.31`, `val_acc=0.91`, `epoch 3/10`).\n",
	.opts = scalars_opts,
	.subs = scalars_subs,
	.exec = cmd_scalars,
};

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

	if ((p = cli_load_project(cli)) == NULL)
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
		project_join(&sb, e->argv);
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

/* data/example-project, compiled in (src/example_embed.c). */
extern const char example_mlwb_yaml[], example_train_sh[],
    example_evaluate_sh[], example_deploy_sh[],
    example_train_csv[], example_new_data_csv[];

/*
 * `mlwb project example [DIR]`: write the example project to DIR.  It
 * never replaces a file the user has: if any of the six names exists in
 * DIR (a file, a folder, a link, even a dangling one) nothing is written.
 * Each file is created with O_EXCL | O_NOFOLLOW, so a link planted there
 * meanwhile is not written through; if one fails, the files this call
 * created are removed again.
 */
static int
project_example(struct cli *cli, const char *dir)
{
	const struct {
		const char	*name;
		const char	*text;
	} files[] = {
		{ "mlwb.yaml", example_mlwb_yaml },
		{ "train.sh", example_train_sh },
		{ "evaluate.sh", example_evaluate_sh },
		{ "deploy.sh", example_deploy_sh },
		{ "train.csv", example_train_csv },
		{ "new-data.csv", example_new_data_csv },
	};
	enum { NFILES = sizeof files / sizeof files[0] };
	struct strbuf	 path = STRBUF_INIT;
	struct stat	 sb;
	size_t		 i, made = 0, len;
	ssize_t		 n;
	int		 fd, e, there = 0, rc = EXIT_OK;

	if (mkdir(dir, 0777) != 0 && errno != EEXIST) {
		cli_error("%s: %s", dir, strerror(errno));
		return EXIT_FAIL;
	}
	for (i = 0; i < NFILES; i++) {
		strbuf_reset(&path);
		strbuf_addf(&path, "%s/%s", dir, files[i].name);
		if (lstat(path.s, &sb) == 0) {
			cli_error("%s already exists%s", path.s,
			    S_ISLNK(sb.st_mode) ? " (a link)" : "");
			there++;
		}
	}
	if (there > 0) {
		cli_error("nothing written: the example project needs %s "
		    "without mlwb.yaml, train.sh, evaluate.sh, deploy.sh, "
		    "train.csv or new-data.csv",
		    dir);
		strbuf_free(&path);
		return EXIT_FAIL;
	}
	for (i = 0; i < NFILES && rc == EXIT_OK; i++) {
		const char *t = files[i].text;

		strbuf_reset(&path);
		strbuf_addf(&path, "%s/%s", dir, files[i].name);
		if ((fd = open(path.s, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW |
		    O_CLOEXEC, 0666)) < 0) {
			cli_error("%s: %s", path.s, strerror(errno));
			rc = EXIT_FAIL;
			break;
		}
		made++;
		for (len = strlen(t); len > 0; t += n, len -= (size_t)n) {
			if ((n = write(fd, t, len)) < 0 && errno == EINTR)
				n = 0;
			else if (n <= 0)
				break;
		}
		e = errno;
		if (close(fd) != 0 || len > 0) {
			cli_error("%s: %s", path.s, strerror(len > 0 ? e :
			    errno));
			rc = EXIT_FAIL;
		}
	}
	if (rc != EXIT_OK) {
		/* Only what this call created: never a file of the user's. */
		for (i = 0; i < made; i++) {
			strbuf_reset(&path);
			strbuf_addf(&path, "%s/%s", dir, files[i].name);
			unlink(path.s);
		}
	}
	strbuf_free(&path);
	if (rc == EXIT_OK && !cli->quiet)
		printf("example project in %s: cd %s && mlwb launch train\n",
		    dir, dir);
	return rc;
}

static int
cmd_project(struct cli *cli, int argc, char **argv)
{
	int	opt;

	while ((opt = cmd_getopt(cli, &cmd_project_entry, argc, argv)) > 0) {
		switch (opt) {
		case 'p':
			cli->project = optarg;
			break;
		}
	}
	if (opt < 0)
		return cmd_getopt_exit(opt);
	if (argc - optind == 1 && strcmp(argv[optind], "check") == 0)
		return project_check(cli);
	if (argc - optind <= 2 && argc - optind >= 1 &&
	    strcmp(argv[optind], "example") == 0)
		return cli_text_only(cli, "example") ? EXIT_USAGE :
		    project_example(cli, argc - optind == 2 ?
		    argv[optind + 1] : "example-project");
	return cli_usage(cmd_project_entry.usage);
}

/* mlwb scalars test ----------------------------------------------------- */

struct capture_out {
	struct out	*o;
	long		 line;
};

static int
print_point(void *arg, const char *key, int64_t step, double value)
{
	struct capture_out	*c = arg;

	out_int(c->o, c->line);
	out_text(c->o, key);
	out_int(c->o, step);
	out_num(c->o, value);
	out_end_row(c->o);
	return 0;
}

static int
cmd_scalars(struct cli *cli, int argc, char **argv)
{
	struct capture_out	 c;
	struct scalars		*s;
	struct project		*p = NULL;
	struct wb_err		 err;
	char			*line = NULL, *colon;
	size_t			 cap = 0;
	ssize_t			 n;
	int			 opt, r, defaults = 0, use_project = 0, any = 0;

	if (scalars_new(&s, &err) != WB_OK)
		return cli_fail(&err);
	while ((opt = cmd_getopt(cli, &cmd_scalars_entry, argc, argv)) > 0) {
		switch (opt) {
		case 'p':
			if (scalars_add(s, NULL, optarg, &err) != WB_OK) {
				cli_error("--pattern %s: %s", optarg, err.msg);
				goto fail;
			}
			any = 1;
			break;
		case 'k':
			if ((colon = strchr(optarg, ':')) == NULL ||
			    colon == optarg) {
				cli_error("--key-pattern %s: expected "
				    "KEY:PATTERN", optarg);
				goto usage;
			}
			*colon = '\0';
			r = scalars_add(s, optarg, colon + 1, &err);
			*colon = ':';
			if (r != WB_OK) {
				cli_error("--key-pattern %s: %s", optarg,
				    err.msg);
				goto fail;
			}
			any = 1;
			break;
		case 'd':
			defaults = 1;
			break;
		case 'P':
			use_project = 1;
			if (optarg != NULL)
				cli->project = optarg;
			break;
		}
	}
	if (opt < 0) {
		scalars_free(s);
		return cmd_getopt_exit(opt);
	}
	if (argc - optind != 1 || strcmp(argv[optind], "test") != 0)
		goto usage;
	if (use_project) {
		if ((p = cli_load_project(cli)) == NULL)
			goto fail;
		if (scalars_add_project(s, p, &err) != WB_OK) {
			cli_fail(&err);
			goto fail;
		}
		any = 1;
	}
	if ((!any || defaults) && scalars_add_default(s, &err) != WB_OK) {
		cli_fail(&err);
		goto fail;
	}
	c.o = out_new(stdout, cli->format);
	c.line = 0;
	out_col(c.o, "line", OUT_INT);
	out_col(c.o, "key", OUT_TEXT);
	out_col(c.o, "step", OUT_INT);
	out_col(c.o, "value", OUT_NUM);
	while ((n = getline(&line, &cap, stdin)) > 0) {
		c.line++;
		scalars_feed(s, line, (size_t)n, print_point, &c);
	}
	scalars_finish(s, print_point, &c);
	free(line);
	scalars_free(s);
	project_free(p);
	return out_finish(c.o) == 0 ? EXIT_OK : EXIT_FAIL;
usage:
	scalars_free(s);
	return cli_usage(cmd_scalars_entry.usage);
fail:
	scalars_free(s);
	project_free(p);
	return EXIT_FAIL;
}
