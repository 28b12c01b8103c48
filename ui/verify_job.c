/*
 * verify_job: forks the watcher of a promotion.  The first child starts a
 * new session (no controlling terminal: a hangup never reaches it) and
 * forks again, so that the watcher can never acquire a terminal and is
 * nobody's zombie; the watcher then runs verify_watch on a connection of
 * its own and writes its progress to a pipe that its starter may read or
 * close.  It is a fork, not an exec of mlwb: it needs nothing but what
 * the starter already has in memory (the project's commands).
 */
#include "config.h"

#include "verify_job.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include "db.h"
#include "err.h"
#include "registry.h"
#include "verify.h"

/* Write a whole line; the reader may be gone (SIGPIPE is ignored). */
static void
put(int fd, const char *fmt, ...)
{
	char	buf[600];
	va_list	ap;
	int	n;

	if (fd < 0)
		return;
	va_start(ap, fmt);
	n = vsnprintf(buf, sizeof buf - 1, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	if ((size_t)n > sizeof buf - 2)
		n = (int)sizeof buf - 2;
	buf[n++] = '\n';
	if (write(fd, buf, (size_t)n) < 0)
		return;
}

static void
on_note(void *arg, const char *line)
{
	put(*(int *)arg, "note %s", line);
}

static void
close_others(int keep)
{
	struct rlimit	rl;
	long		fd, max = 1024;

	if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur != RLIM_INFINITY)
		max = rl.rlim_cur < 65536 ? (long)rl.rlim_cur : 65536;
	for (fd = 3; fd < max; fd++)
		if (fd != keep)
			close((int)fd);
}

/* The watcher itself: never returns. */
static void
watcher(const char *db_path, const struct reg_move *m,
    const struct verify_spec *s, int fd)
{
	struct verify_outcome	 o;
	struct wb_err		 err;
	struct db		*db;
	int			 code, dn;

	signal(SIGINT, SIG_IGN);
	signal(SIGQUIT, SIG_IGN);
	signal(SIGPIPE, SIG_IGN);
	signal(SIGTERM, SIG_DFL);
	if ((dn = open("/dev/null", O_RDWR)) >= 0) {
		dup2(dn, 0);
		dup2(dn, 1);
		dup2(dn, 2);
		if (dn > 2 && dn != fd)
			close(dn);
	}
	close_others(fd);
	put(fd, "pid %ld", (long)getpid());
	if (db_open(db_path, DB_NOCREATE, &db, &err) != WB_OK) {
		put(fd, "note cannot open the workspace: %s", err.msg);
		put(fd, "end %d", VERIFY_EXIT_ERROR);
		_exit(VERIFY_EXIT_ERROR);
	}
	if (verify_watch(db, m, s, (long long)getpid(), on_note, &fd, &o,
	    &err) != WB_OK) {
		put(fd, "note %s", err.msg);
		code = VERIFY_EXIT_ERROR;
	} else
		switch (o.result) {
		case VERIFY_PASSED:
			code = VERIFY_EXIT_PASSED;
			break;
		case VERIFY_ROLLED_BACK:
		case VERIFY_KEPT:
			code = VERIFY_EXIT_FAILED;
			break;
		case VERIFY_ROLLBACK_FAILED:
			code = o.rollback_deployed ? VERIFY_EXIT_DEPLOY :
			    VERIFY_EXIT_ERROR;
			break;
		default:
			code = VERIFY_EXIT_STOPPED;
			break;
		}
	db_close(db);
	put(fd, "end %d", code);
	_exit(code);
}

int
verify_job_start(const char *db_path, const struct reg_move *m,
    const struct verify_spec *s, int *fd, struct wb_err *err)
{
	pid_t	pid, pid2;
	int	p[2] = { -1, -1 }, st;

	if (fd != NULL) {
		*fd = -1;
		if (pipe(p) == -1)
			return wb_err_set(err, WB_EPROC, "pipe: %s",
			    strerror(errno));
	}
	fflush(NULL);
	if ((pid = fork()) < 0) {
		if (fd != NULL) {
			close(p[0]);
			close(p[1]);
		}
		return wb_err_set(err, WB_EPROC, "fork: %s", strerror(errno));
	}
	if (pid == 0) {
		setsid();
		signal(SIGHUP, SIG_IGN);
		if ((pid2 = fork()) != 0)
			_exit(pid2 < 0 ? 1 : 0);
		if (p[0] >= 0)
			close(p[0]);
		watcher(db_path, m, s, p[1]);
	}
	if (p[1] >= 0)
		close(p[1]);
	while (waitpid(pid, &st, 0) < 0)
		if (errno != EINTR)
			break;
	if (!WIFEXITED(st) || WEXITSTATUS(st) != 0) {
		if (p[0] >= 0)
			close(p[0]);
		return wb_err_set(err, WB_EPROC, "cannot start the verify "
		    "watcher");
	}
	if (fd != NULL)
		*fd = p[0];
	return WB_OK;
}
