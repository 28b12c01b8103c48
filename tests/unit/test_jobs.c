/*
 * Unit tests of the jobs store (db_jobs) and of launch's pieces that need
 * no child process: a job's life through its states with the run
 * following, the queue's order and limit, lost detection of a job whose
 * supervisor pid is dead or is not this job's supervisor, starting
 * queued jobs with the caller's supervisor command, JSON argv round
 * trips, and the reads under every allocation failing in turn.
 */
#include "config.h"

#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "db.h"
#include "db_jobs.h"
#include "db_run.h"
#include "err.h"
#include "launch.h"
#include "mem.h"
#include "project.h"
#include "strbuf.h"
#include "tap.h"

static char	tmpdir[] = "/tmp/mlwb-test-jobs.XXXXXX";

/* A run and its job in state; returns the job id. */
static int64_t
add_job(struct db *db, const char *name, const char *state, int64_t at)
{
	struct wb_err	err;
	struct run_new	r;
	struct job	j;
	int64_t		exp_id, run_id, id = 0;
	char		host[256];

	db_exp_ensure(db, "e", &exp_id, &err);
	memset(&r, 0, sizeof r);
	r.experiment_id = exp_id;
	r.name = name;
	r.status = (strcmp(state, "queued") == 0 ?
	    "queued" : "running");
	r.git_dirty = -1;
	r.started_at = at;
	if (db_run_insert(db, &r, &run_id, &err) != WB_OK)
		return 0;
	memset(&j, 0, sizeof j);
	j.run_id = run_id;
	j.entry = (char *)(uintptr_t)"train";
	j.argv = (char *)(uintptr_t)"[\"true\"]";
	j.state = (char *)(uintptr_t)state;
	j.host = (char *)(uintptr_t)launch_host(host);
	j.queued_at = at;
	db_job_insert(db, &j, &id, &err);
	return id;
}

/* Sleep ms milliseconds. */
static void
nap(long ms)
{
	struct timespec	ts = { ms / 1000, (ms % 1000) * 1000000 };

	nanosleep(&ts, NULL);
}

/*
 * A process (its own group) that looks like a supervisor: its command
 * line ends in "--db DB jobs supervise ID".  Returns once it has exec'd.
 */
static pid_t
fake_supervisor(const char *db, int64_t job_id)
{
	char	id[32], path[64], buf[4096];
	pid_t	pid;
	FILE	*fp;
	size_t	n;
	int	i;

	snprintf(id, sizeof id, "%lld", (long long)job_id);
	if ((pid = fork()) == 0) {
		setpgid(0, 0);
		execl("/bin/sh", "sh", "-c", "while :; do sleep 0.1; done",
		    "sh", "--db", db, "jobs", "supervise", id, (char *)NULL);
		_exit(127);
	}
	snprintf(path, sizeof path, "/proc/%d/cmdline", (int)pid);
	for (i = 0; i < 100; i++) {
		n = 0;
		if ((fp = fopen(path, "r")) != NULL) {
			n = fread(buf, 1, sizeof buf - 1, fp);
			fclose(fp);
		}
		if (n > 0 && memmem(buf, n, "supervise", 9) != NULL)
			break;
		nap(20);
	}
	return pid;
}

static void
end_group(pid_t pid)
{
	kill(-pid, SIGKILL);
	waitpid(pid, NULL, 0);
}

static void
test_life(struct db *db)
{
	struct wb_err	 err;
	struct job	 j, *rows;
	struct run	 r;
	size_t		 n;
	int64_t		 id, next, cnt;
	int		 max;

	id = add_job(db, "a", "starting", 1000);
	ok(id > 0, "job inserted");
	ok(db_job_get(db, id, &j, &err) == WB_OK, "get");
	is_str(j.state, "starting", "starting");
	is_str(j.run_name, "a", "run name joined");
	is_str(j.experiment, "e", "experiment joined");
	is_int(j.started_at, 1000, "a starting job has its attempt time");
	ok(db_job_started(db, id, 4242, 4242, 2000, &err) == WB_OK, "started");
	job_clear(&j);
	db_job_get(db, id, &j, &err);
	is_str(j.state, "running", "running");
	is_int(j.pid, 4242, "pid");
	is_int(j.started_at, 2000, "start time");
	db_run_get(db, j.run_id, &r, &err);
	is_int(r.started_at, 2000, "the run's start moved to the real one");
	run_clear(&r);
	ok(db_job_ended(db, id, "killed", 1, 143, 15, 5000, &err) == WB_OK,
	    "ended");
	job_clear(&j);
	db_job_get(db, id, &j, &err);
	ok(strcmp(j.state, "killed") == 0 && j.exit_code == 143 &&
	    j.signal == 15 && j.ended_at == 5000, "killed, 143, signal 15");
	db_run_get(db, j.run_id, &r, &err);
	ok(strcmp(r.status, "killed") == 0 && r.ended_at == 5000 &&
	    r.has_exit_code && r.exit_code == 143, "the run says the same");
	run_clear(&r);
	job_clear(&j);
	ok(db_job_of_run(db, 999999, &j, &err) == WB_ENOTFOUND,
	    "no job for a run not launched");

	/* The queue: first in, first out. */
	add_job(db, "q1", "queued", 3000);
	add_job(db, "q2", "queued", 3001);
	db_job_count_queued(db, &cnt, &err);
	is_int(cnt, 2, "two queued");
	db_job_count_active(db, &cnt, &err);
	is_int(cnt, 0, "none active");
	ok(db_job_dequeue(db, &next, &err) == WB_OK && next > 0, "dequeue");
	db_job_get(db, next, &j, &err);
	is_str(j.run_name, "q1", "the oldest first");
	is_str(j.state, "starting", "it is starting");
	db_run_get(db, j.run_id, &r, &err);
	is_str(r.status, "running", "its run is running");
	run_clear(&r);
	job_clear(&j);
	db_job_count_active(db, &cnt, &err);
	is_int(cnt, 1, "one active");

	ok(launch_max_get(db, &max, &err) == WB_OK && max == 1,
	    "max defaults to 1");
	ok(launch_max_set(db, 0, &err) == WB_EINVAL, "max 0 refused");
	ok(launch_max_set(db, 3, &err) == WB_OK, "max 3");
	launch_max_get(db, &max, &err);
	is_int(max, 3, "stored");

	ok(db_job_list(db, -1, &rows, &n, &err) == WB_OK, "list");
	is_int(n, 3, "three jobs");
	ok(strcmp(rows[0].state, "starting") == 0 &&
	    strcmp(rows[1].state, "queued") == 0, "active ones first, the "
	    "latest first");
	is_str(rows[2].state, "killed", "then ended ones");
	jobs_free(rows, n);
	db_job_list(db, 0, &rows, &n, &err);
	is_int(n, 2, "recent 0: only the active");
	jobs_free(rows, n);
}

static void
test_lost(struct db *db)
{
	struct wb_err	 err;
	struct job	 j;
	int64_t		 id;
	int		 n;
	pid_t		 dead;

	/* A pid that surely exited: a child of ours, reaped. */
	if ((dead = fork()) == 0)
		_exit(0);
	waitpid(dead, NULL, 0);
	id = add_job(db, "doomed", "starting", db_now_ms());
	db_job_supervised(db, id, dead, &err);
	db_job_started(db, id, dead, dead, db_now_ms(), &err);
	ok(launch_reap_lost(db, NULL, &n, &err) == WB_OK, "reap");
	ok(n >= 1, "found %d lost", n);
	db_job_get(db, id, &j, &err);
	is_str(j.state, "lost", "the job is lost");
	job_clear(&j);

	/* A live pid that is no mlwb supervisor: the pid was reused. */
	id = add_job(db, "reused", "starting", db_now_ms());
	db_job_supervised(db, id, getpid(), &err);
	db_job_started(db, id, getpid(), getpid(), db_now_ms(), &err);
	launch_reap_lost(db, NULL, &n, &err);
	db_job_get(db, id, &j, &err);
	is_str(j.state, "lost", "a reused pid does not keep a job running");
	job_clear(&j);

	/*
	 * Live supervisors, but of another job or another workspace: the
	 * job is lost all the same; only its own supervisor keeps it.
	 */
	{
		char	real[PATH_MAX];
		int64_t	other, mine, theirs;
		pid_t	p1, p2, p3;

		if (realpath(db_path(db), real) == NULL)
			strcpy(real, db_path(db));
		other = add_job(db, "other-job", "running", db_now_ms());
		mine = add_job(db, "mine", "running", db_now_ms());
		theirs = add_job(db, "theirs", "running", db_now_ms());
		p1 = fake_supervisor(real, other + 1000);
		p2 = fake_supervisor(real, mine);
		p3 = fake_supervisor("/elsewhere/w.db", theirs);
		db_job_supervised(db, other, p1, &err);
		db_job_supervised(db, mine, p2, &err);
		db_job_supervised(db, theirs, p3, &err);
		launch_reap_lost(db, NULL, &n, &err);
		db_job_get(db, other, &j, &err);
		is_str(j.state, "lost", "a supervisor of another job is not "
		    "this job's");
		job_clear(&j);
		db_job_get(db, theirs, &j, &err);
		is_str(j.state, "lost", "a supervisor of the same job id in "
		    "another workspace is not this job's");
		job_clear(&j);
		db_job_get(db, mine, &j, &err);
		is_str(j.state, "running", "its own supervisor keeps the job "
		    "running");
		job_clear(&j);
		end_group(p1);
		end_group(p2);
		end_group(p3);
		db_job_ended(db, mine, "failed", 0, 0, 0, db_now_ms(), &err);
	}

	/* Starting, no supervisor yet, just now: left alone. */
	id = add_job(db, "young", "starting", db_now_ms());
	launch_reap_lost(db, NULL, &n, &err);
	db_job_get(db, id, &j, &err);
	is_str(j.state, "starting", "a job whose supervisor is on its way");
	job_clear(&j);
	db_job_ended(db, id, "failed", 0, 0, 0, db_now_ms(), &err);
}

/*
 * Queued jobs start with the supervisor command the caller gives, with
 * "--db REAL jobs supervise ID" appended; without one nothing starts.
 */
static void
test_spawn(struct db *db)
{
	struct wb_err	 err;
	char		 real[PATH_MAX], out[300], script[400], line[600];
	char		 want[PATH_MAX + 64];
	const char	*cmd[] = { "/bin/sh", "-c", script, "sh", NULL };
	int64_t		 queued, id;
	int		 started = -1, i, lines = 0, good = 0;
	FILE		*fp;

	if (realpath(db_path(db), real) == NULL)
		strcpy(real, db_path(db));
	snprintf(out, sizeof out, "%s/spawned", tmpdir);
	snprintf(script, sizeof script, "echo \"$*\" >> '%s'", out);
	launch_max_set(db, 1000, &err);
	id = add_job(db, "spawn-me", "queued", db_now_ms());
	db_job_count_queued(db, &queued, &err);
	ok(launch_kick_queue(db, NULL, &started, &err) == WB_OK &&
	    started == 0, "no supervisor command: nothing starts");
	ok(launch_kick_queue(db, cmd, &started, &err) == WB_OK,
	    "kick the queue with a command of ours");
	is_int(started, (int)queued, "every queued job started");
	for (i = 0; i < 250; i++) {
		lines = good = 0;
		if ((fp = fopen(out, "r")) != NULL) {
			while (fgets(line, sizeof line, fp) != NULL) {
				lines++;
				snprintf(want, sizeof want, "--db %s jobs "
				    "supervise ", real);
				good += strncmp(line, want, strlen(want)) == 0;
			}
			fclose(fp);
		}
		if (lines >= (int)queued)
			break;
		nap(20);
	}
	is_int(lines, (int)queued, "our command ran once per job");
	is_int(good, lines, "each with --db REAL jobs supervise ID");
	snprintf(want, sizeof want, "supervise %lld\n", (long long)id);
	fp = fopen(out, "r");
	good = 0;
	while (fp != NULL && fgets(line, sizeof line, fp) != NULL)
		good += strstr(line, want) != NULL;
	if (fp != NULL)
		fclose(fp);
	is_int(good, 1, "the job's own id among them");
	ok(launch_spawn(NULL, db_path(db), id, NULL, &err) == WB_EINVAL,
	    "launch_spawn without a command: %s", err.msg);
}

static void
test_json(void)
{
	struct strbuf	  sb = STRBUF_INIT;
	struct wb_err	  err;
	char		 *in[] = { NULL, NULL, NULL, NULL };
	char		**out;

	in[0] = (char *)(uintptr_t)"python3";
	in[1] = (char *)(uintptr_t)"a \"quoted\" \\ word\n";
	in[2] = (char *)(uintptr_t)"caf\xc3\xa9 \x01";
	launch_json_add_strv(&sb, in);
	ok(launch_json_strv(sb.s, &out, &err) == WB_OK, "argv JSON parses");
	ok(out[0] && out[1] && out[2] && !out[3] &&
	    strcmp(out[1], in[1]) == 0 && strcmp(out[2], in[2]) == 0,
	    "round trip: quotes, backslash, newline, UTF-8, control bytes");
	project_argv_free(out);
	strbuf_free(&sb);
	ok(launch_json_strv("{\"a\": 1}", &out, &err) == WB_EPARSE,
	    "not an array");
}

static void
test_fault(struct db *db)
{
	struct wb_err	 err;
	struct job	*rows, j;
	size_t		 n;
	long		 k;
	int		 rc, failures = 0, bad = 0;

	for (k = 0; k < 1000; k++) {
		wb_mem_fail_after(k);
		rc = db_job_list(db, -1, &rows, &n, &err);
		if (rc == WB_OK) {
			rc = db_job_get(db, rows[0].id, &j, &err);
			if (rc == WB_OK)
				job_clear(&j);
			jobs_free(rows, n);
		}
		wb_mem_fail_after(-1);
		if (rc == WB_OK)
			break;
		failures++;
		if (rc != WB_ENOMEM)
			bad++;
	}
	ok(failures > 10, "list and get: %d allocations failed in turn",
	    failures);
	is_int(bad, 0, "each WB_ENOMEM, nothing leaked");
}

int
main(int argc, char **argv)
{
	struct wb_err	 err;
	struct db	*db;
	char		 path[300];

	(void)argc;
	(void)argv;
	if (mkdtemp(tmpdir) == NULL)
		return 1;
	snprintf(path, sizeof path, "%s/w.db", tmpdir);
	if (db_open(path, 0, &db, &err) != WB_OK) {
		printf("Bail out! %s\n", err.msg);
		return 1;
	}
	test_life(db);
	test_lost(db);
	test_spawn(db);
	test_json();
	test_fault(db);
	db_close(db);
	snprintf(path, sizeof path, "rm -rf '%s'", tmpdir);
	if (system(path) != 0)
		return 1;
	return tap_done();
}
