/*
 * cli: shared command-line plumbing.
 */
#include "config.h"

#include "cli.h"

#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "db.h"
#include "db_run.h"
#include "err.h"
#include "project.h"
#include "strbuf.h"
#include "text.h"
#include "xmem.h"

void
cli_error(const char *fmt, ...)
{
	struct strbuf	 msg = STRBUF_INIT, safe = STRBUF_INIT;
	const char	*p, *nl;
	va_list		 ap;

	va_start(ap, fmt);
	strbuf_vaddf(&msg, fmt, ap);
	va_end(ap);
	if (msg.oom) {
		fputs("mlwb: out of memory\n", stderr);
		return;
	}
	/*
	 * Messages quote file contents (cells, column names, log lines): make
	 * control bytes visible so that nothing reaches the terminal raw.
	 * Line breaks of multi-line messages (a filter with its caret) stay.
	 */
	for (p = strbuf_str(&msg); ; p = nl + 1) {
		nl = strchr(p, '\n');
		text_sanitize(&safe, p, nl ? (size_t)(nl - p) : strlen(p));
		if (nl == NULL)
			break;
		strbuf_addc(&safe, '\n');
	}
	fprintf(stderr, "mlwb: %s\n", safe.oom ? "out of memory" :
	    strbuf_str(&safe));
	strbuf_free(&msg);
	strbuf_free(&safe);
}

int
cli_fail(const struct wb_err *err)
{
	cli_error("%s", err->msg[0] ? err->msg : wb_status_text(err->code));
	return EXIT_FAIL;
}

int
cli_write_failed(void)
{
	cli_error("cannot write to standard output");
	return EXIT_FAIL;
}

int
cli_usage(const char *usage)
{
	fprintf(stderr, "usage: %s\n", usage);
	return EXIT_USAGE;
}

void
cli_getopt_reset(void)
{
	/* 0, not 1: glibc then re-initialises, dropping main's "+" mode. */
	optind = 0;
	opterr = 1;
}

int
cli_common_opt(struct cli *cli, int opt, const char *arg)
{
	switch (opt) {
	case OPT_DB:
		cli->db_path = arg;
		return 1;
	case OPT_FORMAT:
		if (out_parse_format(arg, &cli->format) != 0) {
			cli_error("--format: '%s' is not table, csv or json",
			    arg);
			return -1;
		}
		return 1;
	case OPT_READONLY:
		cli->read_only = 1;
		return 1;
	case OPT_QUIET:
		cli->quiet = 1;
		return 1;
	default:
		return 0;
	}
}

const char *const *
cli_supervisor_cmd(void)
{
	static char		 self[PATH_MAX];
	static const char	*cmd[2];
	ssize_t			 n;

	if (cmd[0] != NULL)
		return cmd;
	if ((n = readlink("/proc/self/exe", self, sizeof self - 1)) <= 0)
		return NULL;
	self[n] = '\0';
	cmd[0] = self;
	return cmd;
}

/*
 * A migration's progress on stderr: one line rewritten in place on a
 * terminal, otherwise a line per tenth (logs and tests read those).
 */
static void
cli_progress(void *arg, const char *path, const char *what, uint64_t done,
    uint64_t total)
{
	static int	 last_tenth = -1;
	int		 pct, tty = isatty(STDERR_FILENO);

	(void)arg;
	pct = total > 0 ? (int)(done * 100 / total) : 100;
	if (!tty && done > 0 && done < total && pct / 10 == last_tenth)
		return;
	last_tenth = pct / 10;
	fprintf(stderr, "%smlwb: %s: %s: %llu of %llu (%d%%)%s", tty ? "\r" :
	    "", path, what, (unsigned long long)done,
	    (unsigned long long)total, pct, !tty || done == total ? "\n" : "");
	fflush(stderr);
}

struct db *
cli_open_db(struct cli *cli, int flags)
{
	struct db	*db;
	struct wb_err	 err;

	db_set_progress(cli_progress, NULL);
	if (cli->read_only)
		flags |= DB_READONLY;
	if (db_open(cli->db_path, flags, &db, &err) != WB_OK) {
		cli_fail(&err);
		return NULL;
	}
	return db;
}

struct project *
cli_load_project(struct cli *cli)
{
	struct project	*p;
	struct wb_err	 err;
	char		*path;
	int		 rc;

	if (cli->project != NULL)
		path = xstrdup(cli->project);
	else if (project_find(".", &path, &err) != WB_OK) {
		cli_fail(&err);
		return NULL;
	}
	rc = project_load(path, &p, &err);
	free(path);
	if (rc != WB_OK) {
		cli_fail(&err);
		return NULL;
	}
	return p;
}

int64_t *
cli_resolve_runs(struct db *db, char **argv, int n)
{
	struct wb_err	 err;
	int64_t		*ids = xcalloc((size_t)n, sizeof *ids);
	int		 i;

	for (i = 0; i < n; i++) {
		if (db_run_resolve(db, argv[i], &ids[i], &err) != WB_OK) {
			cli_fail(&err);
			free(ids);
			return NULL;
		}
	}
	return ids;
}

int
cli_locale_utf8(void)
{
	const char	*lc = getenv("LC_ALL");

	if (lc == NULL || *lc == '\0')
		lc = getenv("LC_CTYPE");
	if (lc == NULL || *lc == '\0')
		lc = getenv("LANG");
	return lc != NULL && (strstr(lc, "UTF-8") || strstr(lc, "utf8") ||
	    strstr(lc, "UTF8") || strstr(lc, "utf-8"));
}

int
cli_text_only(const struct cli *cli, const char *what)
{
	if (cli->format == OUT_AUTO)
		return 0;
	cli_error("%s: --format: this command prints text only", what);
	return EXIT_USAGE;
}
