/*
 * deploy: fork/execvp of a promotion's deploy command with the model in
 * its environment, output captured through one pipe (stdout and stderr
 * interleaved, as a user watching the terminal would see them) and kept
 * bounded: the first and the last DEPLOY_OUTPUT_MAX / 2 bytes, since a
 * failing deploy says why at the end.
 */
#include "config.h"

#include "deploy.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include "err.h"
#include "mem.h"
#include "strbuf.h"

extern char **environ;

#define HALF (DEPLOY_OUTPUT_MAX / 2)

/* Bounded capture: head, then a ring of the tail. */
struct capture {
	char	head[HALF];
	size_t	nhead;
	char	tail[HALF];
	size_t	ntail;		/* bytes in the ring (<= HALF) */
	size_t	pos;		/* next write position in the ring */
	size_t	total;
};

static void
capture_add(struct capture *c, const char *p, size_t len)
{
	size_t	n;

	c->total += len;
	if (c->nhead < HALF) {
		n = len < HALF - c->nhead ? len : HALF - c->nhead;
		memcpy(c->head + c->nhead, p, n);
		c->nhead += n;
		p += n;
		len -= n;
	}
	while (len > 0) {
		n = len < HALF - c->pos ? len : HALF - c->pos;
		memcpy(c->tail + c->pos, p, n);
		c->pos = (c->pos + n) % HALF;
		c->ntail = c->ntail + n > HALF ? HALF : c->ntail + n;
		p += n;
		len -= n;
	}
}

static int
capture_finish(struct capture *c, struct deploy_result *res)
{
	struct strbuf	sb = STRBUF_INIT;
	size_t		start;

	strbuf_add(&sb, c->head, c->nhead);
	if (c->total > c->nhead + c->ntail) {
		strbuf_addf(&sb, "\n[... %zu bytes cut ...]\n",
		    c->total - c->nhead - c->ntail);
		res->truncated = 1;
	}
	start = c->ntail < HALF ? 0 : c->pos;
	strbuf_add(&sb, c->tail + start, c->ntail - start);
	if (start > 0)
		strbuf_add(&sb, c->tail, start);
	if (sb.oom) {
		strbuf_free(&sb);
		return -1;
	}
	res->len = sb.len;
	res->output = strbuf_detach(&sb);
	if (res->output == NULL)
		res->output = wb_strdup("");
	return res->output == NULL ? -1 : 0;
}

/* Does entry "KEY=..." have the key of "KEY=VALUE" kv? */
static int
same_key(const char *entry, const char *kv)
{
	size_t	klen = strcspn(kv, "=");

	return strncmp(entry, kv, klen) == 0 && entry[klen] == '=';
}

/* environ with adds (each replacing a variable of the same name). */
static char **
make_env(char *const *adds, size_t nadds)
{
	char	**envp;
	size_t	  n = 0, i, j, k = 0;

	while (environ != NULL && environ[n] != NULL)
		n++;
	if ((envp = wb_calloc(n + nadds + 1, sizeof *envp)) == NULL)
		return NULL;
	for (i = 0; i < n; i++) {
		for (j = 0; j < nadds; j++)
			if (same_key(environ[i], adds[j]))
				break;
		if (j == nadds)
			envp[k++] = environ[i];
	}
	for (j = 0; j < nadds; j++)
		envp[k++] = adds[j];
	envp[k] = NULL;
	return envp;
}

void
deploy_result_clear(struct deploy_result *res)
{
	if (res == NULL)
		return;
	wb_free(res->output);
	memset(res, 0, sizeof *res);
}

int
deploy_run(char *const *argv, const char *cwd, char *const *env,
    const struct deploy_model *m, struct deploy_result *res,
    struct wb_err *err)
{
	return deploy_run_limit(argv, cwd, env, m, 0, res, err);
}

static int64_t
now_ms(void)
{
	struct timespec	ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

int
deploy_run_limit(char *const *argv, const char *cwd, char *const *env,
    const struct deploy_model *m, int64_t limit_ms,
    struct deploy_result *res, struct wb_err *err)
{
	struct pollfd		 pfd;
	int64_t			 deadline = 0, left;
	int			 sig = 0;
	static struct capture	 cap;	/* 16 KiB: not on the stack */
	struct strbuf		 vars[5];
	char			**adds = NULL, **envp = NULL;
	char			 buf[4096];
	size_t			 nenv = 0, nadds = 0, i;
	ssize_t			 n;
	pid_t			 pid;
	int			 fd[2], status, rc = WB_OK;

	memset(res, 0, sizeof *res);
	if (argv == NULL || argv[0] == NULL)
		return wb_err_set(err, WB_EINVAL, "deploy: empty command");
	for (i = 0; i < 5; i++)
		memset(&vars[i], 0, sizeof vars[i]);
	strbuf_addf(&vars[0], "MLWB_MODEL_NAME=%s", m->name);
	strbuf_addf(&vars[1], "MLWB_MODEL_VERSION=%lld", m->version);
	strbuf_addf(&vars[2], "MLWB_MODEL_ALIAS=%s", m->alias);
	strbuf_addf(&vars[3], "MLWB_MODEL_ARTIFACT=%s",
	    m->artifact ? m->artifact : "");
	strbuf_addf(&vars[4], "MLWB_MODEL_SHA256=%s",
	    m->sha256 ? m->sha256 : "");
	while (env != NULL && env[nenv] != NULL)
		nenv++;
	if ((adds = wb_calloc(nenv + 6, sizeof *adds)) == NULL)
		goto nomem;
	/* The project's env first, so that ours win. */
	for (i = 0; i < nenv; i++)
		if (strchr(env[i], '=') != NULL)
			adds[nadds++] = env[i];
	for (i = 0; i < 5; i++) {
		if (vars[i].oom)
			goto nomem;
		adds[nadds++] = vars[i].s;
	}
	if ((envp = make_env(adds, nadds)) == NULL)
		goto nomem;

	if (pipe(fd) == -1) {
		rc = wb_err_set(err, WB_EPROC, "deploy: pipe: %s",
		    strerror(errno));
		goto out;
	}
	fflush(NULL);
	if ((pid = fork()) == -1) {
		rc = wb_err_set(err, WB_EPROC, "deploy: fork: %s",
		    strerror(errno));
		close(fd[0]);
		close(fd[1]);
		goto out;
	}
	if (pid == 0) {
		pid_t	cmd;
		int	null = open("/dev/null", O_RDONLY), st;

		/* Its own process group: a signal for mlwb stays ours. */
		setpgid(0, 0);
		signal(SIGPIPE, SIG_DFL);
		if ((cmd = fork()) == 0) {
			if (null != -1) {
				dup2(null, 0);
				close(null);
			}
			dup2(fd[1], 1);
			dup2(fd[1], 2);
			close(fd[0]);
			close(fd[1]);
			if (cwd != NULL && chdir(cwd) == -1) {
				dprintf(2, "deploy: %s: %s\n", cwd,
				    strerror(errno));
				_exit(127);
			}
			environ = envp;
			execvp(argv[0], argv);
			dprintf(2, "deploy: %s: %s\n", argv[0], strerror(errno));
			_exit(127);
		}
		/*
		 * The guardian: this process execs nothing, so it keeps every
		 * descriptor of the promoter, the registry's lock file among
		 * them (flock belongs to the open file, not the process),
		 * until the command ends.  A promoter killed mid-deploy thus
		 * cannot let the next promotion deploy over this one.  Its
		 * copies of the pipe go, so that the promoter sees the end.
		 */
		close(fd[0]);
		close(fd[1]);
		if (null != -1)
			close(null);
		if (cmd == -1) {
			dprintf(2, "deploy: fork: %s\n", strerror(errno));
			_exit(127);
		}
		while (waitpid(cmd, &st, 0) == -1)
			if (errno != EINTR)
				_exit(255);
		_exit(WIFEXITED(st) ? WEXITSTATUS(st) : WIFSIGNALED(st) ?
		    128 + WTERMSIG(st) : 255);
	}
	setpgid(pid, pid);	/* both sides, so no race */
	close(fd[1]);
	memset(&cap, 0, sizeof cap);
	if (limit_ms > 0)
		deadline = now_ms() + limit_ms;
	for (;;) {
		/*
		 * Past the limit, the whole group (guardian and command) gets
		 * SIGTERM, then SIGKILL; the pipe ends when the last holder
		 * of its write end is gone.
		 */
		if (deadline != 0) {
			if ((left = deadline - now_ms()) <= 0) {
				if (sig == 0) {
					kill(-pid, SIGTERM);
					res->timed_out = 1;
					sig = SIGTERM;
					deadline = now_ms() + 2000;
					continue;
				}
				if (sig == SIGKILL)
					break;	/* a daemon of it keeps the pipe */
				kill(-pid, SIGKILL);
				sig = SIGKILL;
				deadline = now_ms() + 2000;
				continue;
			}
			pfd.fd = fd[0];
			pfd.events = POLLIN;
			if (poll(&pfd, 1, left > 1000 ? 1000 : (int)left) == 0)
				continue;
		}
		n = read(fd[0], buf, sizeof buf);
		if (n > 0)
			capture_add(&cap, buf, (size_t)n);
		else if (n == 0 || errno != EINTR)
			break;
	}
	close(fd[0]);
	while (waitpid(pid, &status, 0) == -1)
		if (errno != EINTR) {
			rc = wb_err_set(err, WB_EPROC, "deploy: wait: %s",
			    strerror(errno));
			goto out;
		}
	/* The guardian passes the command's end on as its exit status. */
	if (WIFEXITED(status))
		res->status = WEXITSTATUS(status);
	else if (WIFSIGNALED(status))
		res->status = 128 + WTERMSIG(status);
	else
		res->status = 255;
	if (capture_finish(&cap, res) != 0)
		goto nomem;
	goto out;
nomem:
	rc = wb_err_set(err, WB_ENOMEM, "out of memory");
out:
	for (i = 0; i < 5; i++)
		strbuf_free(&vars[i]);
	wb_free(adds);
	wb_free(envp);
	return rc;
}
