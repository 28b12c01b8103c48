/*
 * cli_import: `mlwb import FILE|DIR|GLOB...`.  Directories are walked for
 * log files (sidecars such as hparams.yaml are read with their log, not on
 * their own), each real folder and file once however many links lead to
 * it; each file is imported in its own transaction and gets one summary
 * line (or row, with --format csv|json); a bad file is reported and the
 * others still go in.  --dry-run never creates the workspace file.
 */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <glob.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "progress_line.h"
#include "xmem.h"
#include "cmd.h"
#include "db.h"
#include "err.h"
#include "import.h"
#include "out.h"

static int	cmd_import(struct cli *, int, char **);

enum { OPT_AS = OPT_FIRST_LOCAL, OPT_OLD_FORMAT, OPT_LIST };

static const struct cmd_opt import_opts[] = {
	{ "experiment", 'e', 'e', CMD_ARG_EXPERIMENT, "NAME",
	  "the experiment (default: the folder above the log)", 0 },
	{ "run", 'r', 'r', CMD_ARG_TEXT, "NAME",
	  "the run's name (default: the log's folder or file name)", 0 },
	{ "as", 0, OPT_AS, CMD_ARG_TEXT, "FORMAT",
	  "the log format, not detected (see --list-formats)", 0 },
	/*
	 * --format was the log format before --as; it is now the summary's
	 * format, and any other word is taken as --as with a note.
	 */
	{ "format", 0, OPT_OLD_FORMAT, CMD_ARG_CHOICE, "table|csv|json",
	  "the summary: a line per file, or CSV/JSON rows", 0 },
	{ "step-col", 's', 's', CMD_ARG_TEXT, "COLUMN",
	  "the step column of a wide log", 0 },
	{ "dry-run", 'n', 'n', CMD_ARG_NONE, NULL,
	  "parse and count, write nothing", 0 },
	{ "list-formats", 0, OPT_LIST, CMD_ARG_NONE, NULL,
	  "the formats detection tries, in order, with each rule", 0 },
	{ NULL, 0, 0, CMD_ARG_NONE, NULL, NULL, 0 }
};

const struct cmd_entry cmd_import_entry = {
	.name = "import",
	.summary = "Import training logs (CSV, JSON, TensorBoard)",
	.usage = "mlwb import FILE|DIR|GLOB... [--experiment NAME] "
	    "[--run NAME]\n"
	    "            [--as FORMAT] [--step-col COLUMN] [--dry-run]\n"
	    "            [--format table|csv|json]\n"
	    "       mlwb import --list-formats",
	.help = "Import training logs.  Each file is one transaction: all of "
	    "it or nothing.\nThe format is detected from the header (and "
	    "TensorBoard's file name; see\n--list-formats and doc/formats.md)."
	    "  A folder is searched for logs, so\n`mlwb import lightning_logs/` "
	    "imports every version.  The run is named after\nthe log's folder "
	    "(version_3, train2) or its file name; the experiment after\nthe "
	    "folder above.  The same content imported again adds nothing.  "
	    "Exit\nstatus 1 if any file failed.\n",
	.opts = import_opts,
	.operands = "file...",
	.exec = cmd_import,
};

struct paths {
	char		**v;
	char		**root;	/* the folder argument it was found in */
	size_t		  n;
};

static void
paths_add(struct paths *p, const char *s, const char *root)
{
	p->v = xreallocarray(p->v, p->n + 1, sizeof *p->v);
	p->root = xreallocarray(p->root, p->n + 1, sizeof *p->root);
	p->root[p->n] = root ? xstrdup(root) : NULL;
	p->v[p->n++] = xstrdup(s);
}

static int
strp_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/*
 * What a walk has been through: each real folder and file once, by device
 * and inode, however many links lead to it.  Without this a link such as
 * `up -> ..` made the walk visit the same files over and over, and two
 * such links made it exponential.
 */
struct walk {
	struct paths	 *out;
	struct seen {
		dev_t	 dev;
		ino_t	 ino;
		char	*path;		/* where it was first met */
	}		 *seen;
	size_t		  nseen;
};

/* The path that (dev, ino) was first met by, or NULL (then remember it). */
static const char *
walk_seen(struct walk *w, const struct stat *sb, const char *path)
{
	size_t	i;

	for (i = 0; i < w->nseen; i++)
		if (w->seen[i].dev == sb->st_dev && w->seen[i].ino ==
		    sb->st_ino)
			return w->seen[i].path;
	w->seen = xreallocarray(w->seen, w->nseen + 1, sizeof *w->seen);
	w->seen[w->nseen].dev = sb->st_dev;
	w->seen[w->nseen].ino = sb->st_ino;
	w->seen[w->nseen].path = xstrdup(path);
	w->nseen++;
	return NULL;
}

/* A link (or second path) to something already walked: said, skipped. */
static void
walk_skip(const char *path, const char *first, int dir)
{
	if (dir)
		cli_error("%s: a link to the folder %s, already searched; "
		    "skipped", path, first);
	else
		cli_error("%s: the same file as %s; skipped", path, first);
}

/*
 * Log files under dir, recursively, in name order; a folder holding
 * TensorBoard event files is listed itself (its events are one run).
 * root is the folder argument the walk started from.
 */
static void
walk(struct walk *w, const char *dir, const char *root, int depth)
{
	struct paths	 here = { NULL, NULL, 0 };
	int		 events = 0;
	struct dirent	*de;
	struct stat	 sb;
	const char	*first;
	DIR		*d;
	char		*path;
	size_t		 i, len;

	if (depth > 32 || (d = opendir(dir)) == NULL)
		return;
	while ((de = readdir(d)) != NULL) {
		if (de->d_name[0] == '.')
			continue;
		len = strlen(dir) + strlen(de->d_name) + 2;
		path = xmalloc(len);
		snprintf(path, len, "%s/%s", dir, de->d_name);
		paths_add(&here, path, root);
		free(path);
		events |= import_is_events(de->d_name);
	}
	closedir(d);
	if (events)
		paths_add(w->out, dir, root);
	if (here.n > 1)
		qsort(here.v, here.n, sizeof *here.v, strp_cmp);
	for (i = 0; i < here.n; i++) {
		if (stat(here.v[i], &sb) == 0 && S_ISDIR(sb.st_mode)) {
			if ((first = walk_seen(w, &sb, here.v[i])) != NULL)
				walk_skip(here.v[i], first, 1);
			else
				walk(w, here.v[i], root, depth + 1);
		} else if (import_wanted(here.v[i])) {
			if (stat(here.v[i], &sb) == 0 &&
			    (first = walk_seen(w, &sb, here.v[i])) != NULL)
				walk_skip(here.v[i], first, 0);
			else
				paths_add(w->out, here.v[i], root);
		}
		free(here.v[i]);
		free(here.root[i]);
	}
	free(here.v);
	free(here.root);
}

static void
expand(struct walk *w, const char *arg)
{
	struct stat	sb;
	glob_t		g;
	size_t		i;

	if (stat(arg, &sb) == 0) {
		if (S_ISDIR(sb.st_mode)) {
			if (walk_seen(w, &sb, arg) == NULL)
				walk(w, arg, arg, 0);
		} else
			paths_add(w->out, arg, NULL);
		return;
	}
	if (strpbrk(arg, "*?[") != NULL && glob(arg, 0, NULL, &g) == 0) {
		for (i = 0; i < g.gl_pathc; i++)
			expand(w, g.gl_pathv[i]);
		globfree(&g);
		return;
	}
	paths_add(w->out, arg, NULL);	/* import_file reports it */
}

/*
 * Values kept by a documented rule rather than refused (doc/formats.md,
 * "Numbers out of range"), said so that nothing changes silently.
 */
static void
coerced(const char *file, const struct import_result *res)
{
	if (res->overflow > 0)
		cli_error("%s: note: %lld value%s out of range kept as inf or -inf",
		    file, (long long)res->overflow, res->overflow == 1 ? "" :
		    "s");
	if (res->underflow > 0)
		cli_error("%s: note: %lld nonzero value%s too small for a "
		    "double kept as 0", file, (long long)res->underflow,
		    res->underflow == 1 ? "" : "s");
	if (res->text_skipped > 0)
		cli_error("%s: note: %lld text or true/false value%s skipped "
		    "(not metrics)", file, (long long)res->text_skipped,
		    res->text_skipped == 1 ? "" : "s");
}

static double
now_s(void)
{
	struct timespec	ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

/* --as FORMAT (or the old --format FORMAT): 0, or -1 if unknown. */
static int
log_format(const char *opt, const char *arg)
{
	size_t	j;

	for (j = 0; import_format(j, NULL) != NULL; j++)
		if (strcmp(arg, import_format(j, NULL)) == 0)
			return 0;
	if (strcmp(arg, "auto") == 0)
		return 0;
	cli_error("%s %s: not a log format; see mlwb import --list-formats",
	    opt, arg);
	return -1;
}

/* The summary of one file as a row (--format csv|json). */
static void
summary_row(struct out *o, const char *file, const char *result,
    const struct import_result *res, double secs)
{
	int	ok = res != NULL;

	out_text(o, file);
	out_text(o, result);
	out_text(o, ok ? res->format : NULL);
	out_text(o, ok ? res->experiment : NULL);
	if (ok) {
		out_int(o, res->runs);
		out_int(o, res->metrics);
		out_int(o, res->points);
		out_int(o, res->params);
	} else {
		out_null(o);
		out_null(o);
		out_null(o);
		out_null(o);
	}
	out_text(o, ok && res->step_col[0] ? res->step_col : NULL);
	out_num(o, secs);
	out_end_row(o);
}

static int
cmd_import(struct cli *cli, int argc, char **argv)
{
	struct import_opts	 o;
	struct import_result	 res;
	struct paths		 files = { NULL, NULL, 0 };
	struct out		*sum = NULL;
	struct db		*db;
	struct wb_err		 err;
	struct progress		 prog;
	const char		*f, *rule;
	enum out_format		 fmt;
	double			 t0;
	size_t			 i;
	int			 opt, status = EXIT_OK, j, imported = 0, rc;

	memset(&o, 0, sizeof o);
	while ((opt = cmd_getopt(cli, &cmd_import_entry, argc, argv)) > 0) {
		switch (opt) {
		case 'e':
			o.experiment = optarg;
			break;
		case 'r':
			o.run = optarg;
			break;
		case OPT_OLD_FORMAT:
			if (out_parse_format(optarg, &fmt) == 0) {
				cli->format = fmt;
				break;
			}
			cli_error("note: import --format %s is now --as %s "
			    "(--format is the summary's format)", optarg,
			    optarg);
			/* FALLTHROUGH */
		case OPT_AS:
			if (log_format(opt == OPT_AS ? "--as" : "--format",
			    optarg) != 0)
				return EXIT_USAGE;
			o.format = optarg;
			break;
		case 's':
			o.step_col = optarg;
			break;
		case 'n':
			o.dry_run = 1;
			break;
		case OPT_LIST:
			/* The table detection goes down, as doc/formats.md
			 * shows it (a test compares the two). */
			for (j = 0; (f = import_format((size_t)j, &rule)) !=
			    NULL; j++)
				printf("%s\t%s\n", f, rule);
			return EXIT_OK;
		}
	}
	if (opt < 0)
		return cmd_getopt_exit(opt);
	if (optind == argc)
		return cli_usage(cmd_import_entry.usage);
	{
		struct walk	w = { &files, NULL, 0 };

		for (j = optind; j < argc; j++)
			expand(&w, argv[j]);
		for (i = 0; i < w.nseen; i++)
			free(w.seen[i].path);
		free(w.seen);
	}
	if (files.n == 0) {
		cli_error("no log files found in %s", argv[optind]);
		return EXIT_FAIL;
	}
	db_set_lock_wait(CLI_SCRIPT_LOCK_WAIT_MS);
	/* A dry run on a workspace that does not exist yet parses into an
	 * empty one in memory: it must leave no file behind. */
	if (o.dry_run && access(cli->db_path, F_OK) != 0 && errno == ENOENT) {
		struct cli mem = *cli;

		mem.db_path = ":memory:";
		db = cli_open_db(&mem, 0);
	} else
		db = cli_open_db(cli, 0);
	if (db == NULL)
		return EXIT_FAIL;
	/* Lines for people; rows when a format is asked for. */
	if (cli->format == OUT_CSV || cli->format == OUT_JSON) {
		sum = out_new(stdout, cli->format);
		out_col(sum, "file", OUT_TEXT);
		out_col(sum, "result", OUT_TEXT);
		out_col(sum, "format", OUT_TEXT);
		out_col(sum, "experiment", OUT_TEXT);
		out_col(sum, "runs", OUT_INT);
		out_col(sum, "metrics", OUT_INT);
		out_col(sum, "points", OUT_INT);
		out_col(sum, "params", OUT_INT);
		out_col(sum, "step_col", OUT_TEXT);
		out_col(sum, "seconds", OUT_NUM);
	}
	progress_init(&prog, cli);
	o.progress = progress_hook(&prog);
	for (i = 0; i < files.n; i++) {
		t0 = now_s();
		o.logdir = files.root[i];
		progress_start(&prog, files.v[i], i, files.n);
		rc = import_file(db, files.v[i], &o, &res, &err);
		progress_clear(&prog);
		if (rc != WB_OK) {
			/* A store's error (a server gone) names the file too. */
			if (err.code == WB_EDB && strncmp(err.msg, files.v[i],
			    strlen(files.v[i])) != 0)
				cli_error("%s: not imported, nothing of it "
				    "stored: %s", files.v[i], err.msg);
			else
				cli_fail(&err);
			status = EXIT_FAIL;
			if (sum != NULL)
				summary_row(sum, files.v[i], "failed", NULL,
				    now_s() - t0);
		} else if (sum != NULL) {
			imported += !res.already;
			summary_row(sum, files.v[i], res.already ? "already" :
			    o.dry_run ? "dry-run" : "imported", &res,
			    now_s() - t0);
			if (res.warning[0] != '\0')
				fprintf(stderr, "mlwb: %s: warning: %s\n",
				    files.v[i], res.warning);
			coerced(files.v[i], &res);
		} else if (res.already) {
			if (!cli->quiet)
				printf("%s: already imported, nothing added\n",
				    files.v[i]);
		} else {
			imported++;
			if (!cli->quiet)
				printf("%s: %s%s, experiment %s: %lld run%s, "
				    "%lld metric%s, %lld points, %lld params"
				    "%s%s (%.2f s)\n", files.v[i], o.dry_run ?
				    "dry run, " : "", res.format,
				    res.experiment, (long long)res.runs,
				    res.runs == 1 ? "" : "s",
				    (long long)res.metrics,
				    res.metrics == 1 ? "" : "s",
				    (long long)res.points,
				    (long long)res.params, res.step_col[0] ?
				    ", step from column " : "", res.step_col,
				    now_s() - t0);
			if (res.warning[0] != '\0')
				fprintf(stderr, "mlwb: %s: warning: %s\n",
				    files.v[i], res.warning);
			coerced(files.v[i], &res);
		}
		free(files.v[i]);
		free(files.root[i]);
	}
	progress_free(&prog);
	free(files.v);
	free(files.root);
	db_close(db);
	if (sum != NULL && out_finish(sum) != 0)
		status = EXIT_FAIL;
	return status;
}
