/*
 * cli_jobs: the commands that start and manage jobs.
 *
 *   mlwb launch ENTRY ...       start an entry point as a tracked job
 *   mlwb jobs ls|log|kill|max   watch and manage jobs
 *   mlwb jobs supervise ID      (internal) the supervisor process
 *
 * Job output shown here is cleaned like the UI's: a '\r' progress bar
 * shows its last state, ANSI escapes are dropped, and what remains goes
 * through the sanitiser, so a job cannot drive the user's terminal.
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
#include "xmem.h"
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

static int	cmd_launch(struct cli *, int, char **);
static int	cmd_jobs(struct cli *, int, char **);

static const struct cmd_opt launch_opts[] = {
	{ "param", 'P', 'P', CMD_ARG_PARAM, "NAME=VALUE",
	  "set a parameter of the entry point", 0 },
	{ "experiment", 'e', 'e', CMD_ARG_EXPERIMENT, NULL,
	  "the run's experiment", 0 },
	{ "name", 'n', 'n', CMD_ARG_TEXT, "NAME", "the run's name", 0 },
	{ "detach", 'd', 'd', CMD_ARG_NONE, NULL,
	  "do not follow the output", 0 },
	{ "queue", 0, 'Q', CMD_ARG_NONE, NULL,
	  "wait for a free slot (mlwb jobs max N)", 0 },
	{ "project", 'p', 'p', CMD_ARG_FILE, NULL,
	  "the project file (default: mlwb.yaml upwards)", 0 },
	{ "rerun", 0, 'R', CMD_ARG_RUN, NULL,
	  "run RUN's entry point again with its params (-P on top)", 0 },
	{ "force", 0, 'F', CMD_ARG_NONE, NULL,
	  "--rerun: even if the code's commit or changes differ", 0 },
	{ "sample-every", 0, 'S', CMD_ARG_NUMBER, "SECS",
	  "system metrics (CPU, memory, GPUs) this often; 0: none "
	  "(default 10)", 0 },
	{ NULL, 0, 0, CMD_ARG_NONE, NULL, NULL, 0 }
};

const struct cmd_entry cmd_launch_entry = {
	.name = "launch",
	.summary = "Start an entry point as a tracked job",
	.usage = "mlwb launch ENTRY [-P NAME=VALUE]... [--experiment E] "
	    "[--name N]\n            [--detach] [--queue] [--project FILE] "
	    "[--sample-every SECS]\n"
	    "       mlwb launch --rerun RUN [--force] [-P NAME=VALUE]... "
	    "[options]",
	.help = "Start entry point ENTRY of mlwb.yaml as a tracked job: a run "
	    "(status running)\nwith its parameters, git commit, host and user;"
	    " output to .mlwb/logs/;\nmatching output lines become metrics as "
	    "they arrive.  The job survives\nthis command, the UI and the "
	    "terminal.  Without --detach the output is\nfollowed until the job "
	    "ends and mlwb exits with its status; Ctrl-C\ndetaches.\n"
	    "--rerun RUN starts RUN's entry point again with RUN's params (and "
	    "-P on\ntop) in RUN's experiment, as a new run linked to it "
	    "(rerun_of).  It refuses\nwhen the code's commit or uncommitted "
	    "changes are not the run's, unless\n--force.\n",
	.opts = launch_opts,
	.operands = "entry",
	.exec = cmd_launch,
	.flags = CMD_NOFORMAT,
};

static const struct cmd_opt jobs_opts[] = {
	{ "all", 'a', 'a', CMD_ARG_NONE, NULL, "ls: every job", 0 },
	{ "follow", 'f', 'f', CMD_ARG_NONE, NULL,
	  "log: follow the output until the job ends", 0 },
	{ "grace", 'g', 'g', CMD_ARG_NUMBER, "S",
	  "kill: seconds between SIGTERM and SIGKILL", 0 },
	{ "no-wait", 0, 'W', CMD_ARG_NONE, NULL,
	  "kill: do not wait for the end", 0 },
	{ NULL, 0, 0, CMD_ARG_NONE, NULL, NULL, 0 }
};

static const struct cmd_sub jobs_subs[] = {
	{ "ls", "", "running and queued jobs, then recent ones" },
	{ "log", "run", "the job's output" },
	{ "kill", "run", "stop a job: SIGTERM, then SIGKILL" },
	{ "max", "number", "how many queued jobs may run at once" },
	{ NULL, NULL, NULL }
};

const struct cmd_entry cmd_jobs_entry = {
	.name = "jobs",
	.summary = "List, follow, kill and queue jobs",
	.usage = "mlwb jobs ls [--all] | log RUN [-f] | kill RUN [--grace S] "
	    "[--no-wait]\n          | max [N]",
	.help = "ls      running and queued jobs, then recent ones (--all: every "
	    "one),\n        with elapsed time and the last captured metrics\n"
	    "log     the job's output (-f: follow it until the job ends); text "
	    "only\n"
	    "kill    SIGTERM to the job's process group, SIGKILL after --grace "
	    "seconds\n        (default 10); waits for the end unless --no-wait\n"
	    "max     how many queued jobs may run at once (default 1)\n",
	.opts = jobs_opts,
	.subs = jobs_subs,
	.exec = cmd_jobs,
};

/* Following a job's log ------------------------------------------------- */

static volatile sig_atomic_t detach_asked;

static void
on_sigint(int sig)
{
	(void)sig;
	detach_asked = 1;
}

/* Lines of job output, cleaned and sanitised, to fp. */
struct printer {
	struct strbuf	 line;
	FILE		*fp;
};

static void
print_line(struct printer *pr)
{
	struct strbuf	 out = STRBUF_INIT;
	char		*clean;
	size_t		 n;

	clean = xmalloc(pr->line.len + 1);
	n = scalars_clean(strbuf_str(&pr->line), pr->line.len, clean);
	text_sanitize(&out, clean, n);
	fprintf(pr->fp, "%s\n", strbuf_str(&out));
	free(clean);
	strbuf_free(&out);
	strbuf_reset(&pr->line);
}

static void
print_bytes(struct printer *pr, const char *buf, size_t len)
{
	const char	*p = buf, *end = buf + len, *nl;

	while (p < end) {
		nl = memchr(p, '\n', (size_t)(end - p));
		strbuf_add(&pr->line, p, (size_t)((nl ? nl : end) - p));
		if (nl == NULL)
			break;
		print_line(pr);
		p = nl + 1;
	}
	/* Keep only the current segment of a progress bar in memory. */
	if (pr->line.len > 65536)
		strbuf_reset(&pr->line);
	fflush(pr->fp);
}

static int
job_active(const char *state)
{
	return strcmp(state, "queued") == 0 ||
	    strcmp(state, "starting") == 0 || strcmp(state, "running") == 0;
}

/* The exit status mlwb gives for a job that ended in job's state. */
static int
job_exit_status(const struct job *j)
{
	if (strcmp(j->state, "finished") == 0)
		return EXIT_OK;
	if (j->has_exit_code && j->exit_code > 0 && j->exit_code < 256)
		return j->exit_code;
	return EXIT_FAIL;
}

static void
say_end(const struct job *j)
{
	char	d[32];

	fprintf(stderr, "mlwb: run %.8s (%s) %s", j->run_uuid, j->run_name,
	    j->state);
	if (j->signal)
		fprintf(stderr, " by signal %d", j->signal);
	else if (j->has_exit_code && strcmp(j->state, "finished") != 0)
		fprintf(stderr, " with exit code %d", j->exit_code);
	if (j->started_at && j->ended_at)
		fprintf(stderr, " after %s", text_duration(d, j->ended_at -
		    j->started_at));
	fputc('\n', stderr);
}

/*
 * Print the log of run_id (from the start when all, else from its end)
 * and, when follow, keep printing until the job ends.  Returns the exit
 * status for the job's end; Ctrl-C detaches with status 0.
 */
static int
follow_log(struct db *db, int64_t run_id, int all, int follow)
{
	struct sigaction	 sa, old;
	struct printer		 pr = { STRBUF_INIT, stdout };
	struct wb_err		 err;
	struct job		 j;
	char			 buf[65536];
	ssize_t			 n;
	int			 fd = -1, ended = 0, status, lost;

	if (db_job_of_run(db, run_id, &j, &err) != WB_OK)
		return cli_fail(&err);
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_sigint;
	sigemptyset(&sa.sa_mask);
	if (follow)
		sigaction(SIGINT, &sa, &old);
	for (;;) {
		if (fd < 0 && j.log_path != NULL &&
		    (fd = open(j.log_path, O_RDONLY | O_CLOEXEC)) >= 0 && !all)
			lseek(fd, 0, SEEK_END);
		while (fd >= 0 && (n = read(fd, buf, sizeof buf)) > 0)
			print_bytes(&pr, buf, (size_t)n);
		if (!follow || ended || detach_asked)
			break;
		usleep(50000);
		job_clear(&j);
		if (db_job_of_run(db, run_id, &j, &err) != WB_OK) {
			cli_fail(&err);
			break;
		}
		if (!job_active(j.state))
			ended = 1;	/* one more read, then stop */
		else if (strcmp(j.state, "running") == 0 &&
		    launch_reap_lost(db, cli_supervisor_cmd(), &lost, NULL) ==
		    WB_OK && lost > 0) {
			job_clear(&j);
			if (db_job_of_run(db, run_id, &j, &err) != WB_OK)
				break;
			ended = !job_active(j.state);
		}
	}
	if (pr.line.len > 0)
		print_line(&pr);
	strbuf_free(&pr.line);
	if (fd >= 0)
		close(fd);
	if (follow)
		sigaction(SIGINT, &old, NULL);
	if (detach_asked) {
		fprintf(stderr, "\nmlwb: detached; the job goes on.  Follow it "
		    "again with: mlwb jobs log %.8s -f\n", j.run_uuid);
		status = EXIT_OK;
	} else if (!job_active(j.state)) {
		if (follow)
			say_end(&j);
		status = follow ? job_exit_status(&j) : EXIT_OK;
	} else
		status = EXIT_OK;
	job_clear(&j);
	return status;
}

/* mlwb launch ----------------------------------------------------------- */

static int
cmd_launch(struct cli *cli, int argc, char **argv)
{
	struct launch_opts	 o;
	struct launch_info	 li;
	struct project		*p;
	struct db		*db;
	struct wb_err		 err;
	struct launch_rerun	 rr;
	char			**sets = NULL;
	const char		*rerun = NULL;
	size_t			 nsets = 0;
	int64_t			 rerun_id;
	int			 opt, r, detach = 0, force = 0, status;

	memset(&o, 0, sizeof o);
	o.supervisor = cli_supervisor_cmd();
	while ((opt = cmd_getopt(cli, &cmd_launch_entry, argc, argv)) > 0) {
		switch (opt) {
		case 'P':
			sets = xreallocarray(sets, nsets + 1, sizeof *sets);
			sets[nsets++] = optarg;
			break;
		case 'e':
			o.experiment = optarg;
			break;
		case 'n':
			o.name = optarg;
			break;
		case 'd':
			detach = 1;
			break;
		case 'Q':
			o.queue = 1;
			break;
		case 'p':
			cli->project = optarg;
			break;
		case 'R':
			rerun = optarg;
			break;
		case 'F':
			force = 1;
			break;
		case 'S': {
			char	*end;
			long	 v;

			errno = 0;
			v = strtol(optarg, &end, 10);
			if (errno || *end || end == optarg || v < 0 ||
			    v > 86400) {
				cli_error("--sample-every %s: a number of "
				    "seconds from 0 (off) to 86400", optarg);
				free(sets);
				return EXIT_USAGE;
			}
			o.has_sample_every = 1;
			o.sample_every = (int)v;
			break;
		}
		}
	}
	if (opt < 0) {
		free(sets);
		return cmd_getopt_exit(opt);
	}
	if (argc - optind != (rerun == NULL) || (force && rerun == NULL)) {
		free(sets);
		return cli_usage(cmd_launch_entry.usage);
	}
	memset(&rr, 0, sizeof rr);
	o.entry = rerun ? NULL : argv[optind];
	o.sets = sets;
	o.nsets = nsets;
	if ((p = cli_load_project(cli)) == NULL) {
		free(sets);
		return EXIT_FAIL;
	}
	if (rerun != NULL) {
		/* The old run's entry, params and experiment; checked code. */
		if ((db = cli_open_db(cli, DB_NOCREATE)) == NULL ||
		    db_run_resolve(db, rerun, &rerun_id, &err) != WB_OK ||
		    launch_rerun_prepare(db, p, rerun_id, force, sets, nsets,
		    &rr, &err) != WB_OK) {
			free(sets);
			project_free(p);
			if (db == NULL)
				return EXIT_FAIL;
			db_close(db);
			return cli_fail(&err);
		}
		db_close(db);
		o.entry = rr.entry;
		o.sets = rr.sets;
		o.nsets = rr.nsets;
		o.rerun_of = rr.uuid;
		if (o.experiment == NULL)
			o.experiment = rr.experiment;
	}
	/* Parameters are checked before the workspace is even opened. */
	{
		const struct project_entry *e = project_entry(p, o.entry);
		char **vals;

		if (e != NULL) {
			if (project_values(e, o.sets, o.nsets, &vals, &err) !=
			    WB_OK) {
				free(sets);
				launch_rerun_clear(&rr);
				project_free(p);
				return cli_fail(&err);
			}
			project_argv_free(vals);
		}
	}
	if ((db = cli_open_db(cli, 0)) == NULL) {
		free(sets);
		launch_rerun_clear(&rr);
		project_free(p);
		return EXIT_FAIL;
	}
	launch_reap_lost(db, cli_supervisor_cmd(), NULL, NULL);
	r = launch_start(db, p, &o, &li, &err);
	free(sets);
	launch_rerun_clear(&rr);
	project_free(p);
	if (r != WB_OK) {
		db_close(db);
		return cli_fail(&err);
	}
	if (!cli->quiet)
		fprintf(detach ? stdout : stderr, "run %s (%s/%s) %s; log %s\n",
		    li.run_uuid, li.experiment, li.run_name, li.queued ?
		    "queued" : "started", li.log_path);
	status = EXIT_OK;
	if (!detach)
		status = follow_log(db, li.run_id, 1, 1);
	launch_info_clear(&li);
	db_close(db);
	return status;
}

int
cli_follow_job(struct db *db, int64_t run_id)
{
	return follow_log(db, run_id, 1, 1);
}

/* mlwb jobs ------------------------------------------------------------- */

static int
resolve(struct db *db, const char *ref, int64_t *run_id)
{
	struct wb_err	err;

	if (db_run_resolve(db, ref, run_id, &err) != WB_OK)
		return cli_fail(&err);
	return EXIT_OK;
}

/* "loss=0.31 val_acc=0.9": the run's metrics, last values. */
static void
last_metrics(struct db *db, int64_t run_id, struct strbuf *sb)
{
	struct metric_summary	*ms;
	struct wb_err		 err;
	char			 num[32];
	size_t			 n, i;

	if (db_metric_summaries(db, run_id, &ms, &n, &err) != WB_OK)
		return;
	for (i = 0; i < n; i++)
		strbuf_addf(sb, "%s%s=%s", i ? " " : "", ms[i].key,
		    text_num_short(num, ms[i].last, 4));
	metric_summaries_free(ms, n);
}

struct jobs_ls {
	struct db	*db;
	struct out	*o;
	struct strbuf	 sb;
	int64_t		 now;
};

/* db_job_each callback: one job, printed as it is read. */
static int
jobs_ls_one(void *arg, struct job *j)
{
	struct jobs_ls	*l = arg;
	struct out	*o = l->o;
	struct wb_err	 err;
	struct run	 r;
	char		 t[32];
	int64_t		 end;

	snprintf(t, sizeof t, "%.8s", j->run_uuid);
	out_text(o, out_resolved(o) == OUT_TABLE ? t : j->run_uuid);
	out_text(o, j->experiment);
	out_text(o, j->run_name);
	out_text(o, j->entry);
	out_text(o, j->state);
	out_text(o, j->started_at ? text_time(t, j->started_at) : NULL);
	end = j->ended_at ? j->ended_at : l->now;
	out_text(o, j->started_at ? text_duration(t, end - j->started_at) :
	    NULL);
	if (j->has_exit_code)
		out_int(o, j->exit_code);
	else
		out_null(o);
	strbuf_reset(&l->sb);
	last_metrics(l->db, j->run_id, &l->sb);
	out_text(o, strbuf_str(&l->sb));
	out_text(o, j->host);
	strbuf_reset(&l->sb);
	if (db_run_get(l->db, j->run_id, &r, &err) == WB_OK) {
		if (r.git_commit != NULL)
			strbuf_addf(&l->sb, "%.8s%s", r.git_commit,
			    r.git_dirty == 1 ? "+dirty" : "");
		run_clear(&r);
	}
	out_text(o, l->sb.len ? strbuf_str(&l->sb) : NULL);
	out_end_row(o);
	return ferror(stdout);
}

static int
jobs_ls(struct cli *cli, int all)
{
	struct jobs_ls	 l;
	struct wb_err	 err;
	int		 rc, ioerr;

	memset(&l, 0, sizeof l);
	l.now = db_now_ms();
	if ((l.db = cli_open_db(cli, DB_NOCREATE)) == NULL)
		return EXIT_FAIL;
	if (!db_is_readonly(l.db))
		launch_reap_lost(l.db, cli_supervisor_cmd(), NULL, NULL);
	l.o = out_new(stdout, cli->format);
	out_col(l.o, "run", OUT_TEXT);
	out_col(l.o, "experiment", OUT_TEXT);
	out_col(l.o, "name", OUT_TEXT);
	out_col(l.o, "entry", OUT_TEXT);
	out_col(l.o, "state", OUT_TEXT);
	out_col(l.o, "started", OUT_TEXT);
	out_col(l.o, "elapsed", OUT_TEXT);
	out_col(l.o, "exit", OUT_INT);
	out_col(l.o, "metrics", OUT_TEXT);
	out_col(l.o, "host", OUT_TEXT);
	out_col(l.o, "git", OUT_TEXT);
	rc = db_job_each(l.db, all ? -1 : 20, jobs_ls_one, &l, &err);
	strbuf_free(&l.sb);
	db_close(l.db);
	ioerr = out_finish(l.o) != 0;
	if (rc != WB_OK)
		return cli_fail(&err);
	return ioerr ? cli_write_failed() : EXIT_OK;
}

static int
jobs_kill(struct cli *cli, const char *ref, int grace, int wait)
{
	struct wb_err	 err;
	struct job	 j;
	struct db	*db;
	int64_t		 run_id, deadline;
	int		 rc;

	if ((db = cli_open_db(cli, DB_NOCREATE)) == NULL)
		return EXIT_FAIL;
	if ((rc = resolve(db, ref, &run_id)) != EXIT_OK) {
		db_close(db);
		return rc;
	}
	launch_reap_lost(db, cli_supervisor_cmd(), NULL, NULL);
	if (launch_kill(db, run_id, grace, &err) != WB_OK) {
		db_close(db);
		return cli_fail(&err);
	}
	rc = EXIT_OK;
	deadline = db_now_ms() + (int64_t)grace * 1000 + 5000;
	while (db_job_of_run(db, run_id, &j, &err) == WB_OK) {
		if (!job_active(j.state) || !wait || db_now_ms() > deadline) {
			if (!job_active(j.state)) {
				if (!cli->quiet)
					say_end(&j);
			} else if (wait) {
				cli_error("run %.8s is still %s", j.run_uuid,
				    j.state);
				rc = EXIT_FAIL;
			} else if (!cli->quiet)
				fprintf(stderr, "mlwb: run %.8s: SIGTERM sent; "
				    "SIGKILL in %d s if it is still running\n",
				    j.run_uuid, grace);
			job_clear(&j);
			break;
		}
		job_clear(&j);
		usleep(100000);
	}
	db_close(db);
	return rc;
}

static int
jobs_max(struct cli *cli, const char *arg)
{
	struct wb_err	 err;
	struct db	*db;
	char		*end;
	long		 v;
	int		 max, started;

	if ((db = cli_open_db(cli, arg ? 0 : DB_NOCREATE)) == NULL)
		return EXIT_FAIL;
	if (arg == NULL) {
		if (launch_max_get(db, &max, &err) != WB_OK) {
			db_close(db);
			return cli_fail(&err);
		}
		printf("%d\n", max);
		db_close(db);
		return EXIT_OK;
	}
	errno = 0;
	v = strtol(arg, &end, 10);
	if (errno || *end || end == arg || v < 1 || v > 10000) {
		db_close(db);
		cli_error("jobs max %s: expected a number from 1 to 10000",
		    arg);
		return EXIT_USAGE;
	}
	if (launch_max_set(db, (int)v, &err) != WB_OK ||
	    launch_kick_queue(db, cli_supervisor_cmd(), &started, &err) !=
	    WB_OK) {
		db_close(db);
		return cli_fail(&err);
	}
	if (!cli->quiet && started > 0)
		printf("started %d queued job%s\n", started,
		    started == 1 ? "" : "s");
	db_close(db);
	return EXIT_OK;
}

static int
cmd_jobs(struct cli *cli, int argc, char **argv)
{
	struct db	*db;
	const char	*sub;
	char		*end;
	int64_t		 run_id, id;
	int		 opt, all = 0, follow = 0, grace = LAUNCH_KILL_GRACE;
	int		 wait = 1, rc;

	while ((opt = cmd_getopt(cli, &cmd_jobs_entry, argc, argv)) > 0) {
		switch (opt) {
		case 'a':
			all = 1;
			break;
		case 'f':
			follow = 1;
			break;
		case 'g':
			grace = atoi(optarg);
			if (grace < 0 || grace > 3600) {
				cli_error("--grace %s: seconds, 0 to 3600",
				    optarg);
				return EXIT_USAGE;
			}
			break;
		case 'W':
			wait = 0;
			break;
		}
	}
	if (opt < 0)
		return cmd_getopt_exit(opt);
	if (argc - optind < 1)
		return cli_usage(cmd_jobs_entry.usage);
	sub = argv[optind];
	/* ls is a table; log, kill and max print text. */
	if (strcmp(sub, "ls") != 0 && (rc = cli_text_only(cli, sub)) != 0)
		return rc;
	if (strcmp(sub, "ls") == 0 && argc - optind == 1)
		return jobs_ls(cli, all);
	if (strcmp(sub, "max") == 0 && argc - optind <= 2)
		return jobs_max(cli, argc - optind == 2 ? argv[optind + 1] :
		    NULL);
	if (strcmp(sub, "kill") == 0 && argc - optind == 2)
		return jobs_kill(cli, argv[optind + 1], grace, wait);
	if (strcmp(sub, "log") == 0 && argc - optind == 2) {
		if ((db = cli_open_db(cli, DB_NOCREATE)) == NULL)
			return EXIT_FAIL;
		if ((rc = resolve(db, argv[optind + 1], &run_id)) == EXIT_OK)
			rc = follow_log(db, run_id, 1, follow);
		db_close(db);
		return rc;
	}
	if (strcmp(sub, "supervise") == 0 && argc - optind == 2) {
		struct wb_err err;

		id = strtoll(argv[optind + 1], &end, 10);
		if (*end != '\0' || id <= 0)
			return cli_usage("mlwb jobs supervise JOB-ID");
		if (supervisor_run(cli->db_path, id, cli_supervisor_cmd(),
		    &err) != WB_OK)
			return cli_fail(&err);
		return EXIT_OK;
	}
	return cli_usage(cmd_jobs_entry.usage);
}

