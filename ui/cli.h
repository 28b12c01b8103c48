/*
 * cli: what every `mlwb COMMAND` shares: the global options (--db,
 * --format, --read-only), opening the workspace, error reporting and exit
 * statuses.  (The x* allocators are in xmem.h.)
 *
 * Exit statuses: 0 success, 1 failure (bad input, not found, database
 * error), 2 usage error.  Commands with their own meaning document it
 * (drift: 1 = drift found, 2 = error; model promote: 3 = gate refused).
 */
#ifndef MLWB_CLI_H
#define MLWB_CLI_H

#include <getopt.h>
#include <stddef.h>
#include <stdint.h>

#include "out.h"

struct db;
struct project;
struct wb_err;

#define EXIT_OK		0
#define EXIT_FAIL	1
#define EXIT_USAGE	2

struct cli {
	const char	*db_path;	/* --db, $MLWB_DB, or ./mlwb.db */
	int		 read_only;
	enum out_format	 format;
	int		 quiet;
	const char	*theme;
	int		 mouse;
	const char	*project;	/* --project FILE */
	const char	*script;	/* --script FILE (headless UI) */
	const char	*dump_screen;	/* --dump-screen FILE */
	int		 width, height;	/* --size WxH for --script */
};

/* Option codes shared by every command's getopt_long table. */
enum {
	OPT_DB = 1000, OPT_FORMAT, OPT_READONLY, OPT_QUIET, OPT_HELP,
	OPT_FIRST_LOCAL = 1100
};

#define CLI_COMMON_LONGOPTS						\
	{ "db", required_argument, NULL, OPT_DB },			\
	{ "format", required_argument, NULL, OPT_FORMAT },		\
	{ "read-only", no_argument, NULL, OPT_READONLY },		\
	{ "quiet", no_argument, NULL, OPT_QUIET },			\
	{ "help", no_argument, NULL, 'h' }

/* Handle a shared option; 1 if it was one, -1 on a bad value. */
int	 cli_common_opt(struct cli *cli, int opt, const char *arg);

/* Open cli->db_path; prints the error and returns NULL on failure. */
struct db *cli_open_db(struct cli *cli, int flags);
/*
 * How long the commands a script or a schedule runs (log, import,
 * import-mlflow, merge, push, pull, pipeline run) wait for another
 * writer's lock on a SQLite workspace (db_set_lock_wait), where a person
 * at the keyboard waits 5 s: failing would lose the point logged or the
 * parse already done, and an MLflow import or a merge holds the lock to
 * its commit.  Two minutes: MLflow's client retries a tracking server
 * that does not answer for about as long (MLFLOW_HTTP_REQUEST_MAX_RETRIES,
 * doubling back-off).
 */
#define CLI_SCRIPT_LOCK_WAIT_MS	120000
/*
 * The command that starts job supervisors (a launch_cmd): this very mlwb
 * executable, found through /proc/self/exe once.  NULL if it cannot be
 * found (launching then fails with a message; nothing else does).
 * Borrowed, static.
 */
const char *const *cli_supervisor_cmd(void);
/*
 * Print the job of run_id's output from the start and follow it until
 * the job ends (Ctrl-C detaches, status 0); the exit status for its end.
 */
int	 cli_follow_job(struct db *db, int64_t run_id);
/*
 * The project file: --project FILE, else mlwb.yaml found from the current
 * directory upwards.  NULL (the error printed) when there is none or it
 * is broken.  project_free() it.
 */
struct project *cli_load_project(struct cli *cli);

/*
 * Resolve each of the n RUN arguments (UUID, prefix, EXPERIMENT/NAME,
 * name); an array of n ids to free(), or NULL with the error printed.
 */
int64_t	*cli_resolve_runs(struct db *db, char **argv, int n);

/*
 * For a subcommand that prints text only: 0 when no --format was given,
 * else the message "WHAT: --format: ..." and EXIT_USAGE.  (Whole
 * commands say so with CMD_NOFORMAT in their table entry.)
 */
int	 cli_text_only(const struct cli *cli, const char *what);

/* Does the locale (LC_ALL, LC_CTYPE, LANG, in that order) say UTF-8? */
int	 cli_locale_utf8(void);

/* "mlwb: message" on stderr. */
void	 cli_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Print err's message; return the exit status for its code. */
int	 cli_fail(const struct wb_err *err);
/* Say that standard output could not be written (disk full, closed); EXIT_FAIL. */
int	 cli_write_failed(void);
/* Print "usage: ..." and a hint; returns EXIT_USAGE. */
int	 cli_usage(const char *usage);


/* Reset getopt for a command's argv (argv[0] is the command name). */
void	 cli_getopt_reset(void);

#endif
