/*
 * schedule: crontab lines and systemd user timers for pipelines
 * (schedule.h).  Programs are run with fork + execvp of an argv, never
 * through a shell; what goes into the crontab line is quoted for the
 * shell cron runs it with, and cron's own '%' is escaped.
 */
#include "config.h"

#include "schedule.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "err.h"
#include "mem.h"
#include "sha256.h"
#include "strbuf.h"

#define MARK	"# mlwb-pipeline "

static int
oom(struct wb_err *err)
{
	return wb_err_set(err, WB_ENOMEM, "out of memory");
}

int
schedule_cron_check(const char *cron, struct wb_err *err)
{
	static const char *const at[] = { "@hourly", "@daily", "@weekly",
	    "@monthly", "@yearly", "@annually", "@midnight", NULL };
	const char	*p;
	int		 fields = 0, in = 0, i;

	if (cron[0] == '@') {
		for (i = 0; at[i] != NULL; i++)
			if (strcmp(cron, at[i]) == 0)
				return WB_OK;
		return wb_err_set(err, WB_EINVAL, "schedule '%s': not one of "
		    "@hourly @daily @weekly @monthly @yearly", cron);
	}
	for (p = cron; *p != '\0'; p++) {
		if (*p == ' ' || *p == '\t') {
			in = 0;
			continue;
		}
		if (!isalnum((unsigned char)*p) && strchr("*,-/", *p) == NULL)
			return wb_err_set(err, WB_EINVAL, "schedule '%s': '%c' "
			    "does not belong in a cron expression", cron, *p);
		if (!in)
			fields++;
		in = 1;
	}
	if (fields != 5)
		return wb_err_set(err, WB_EINVAL, "schedule '%s': a cron "
		    "expression has 5 fields (minute hour day month weekday), "
		    "not %d", cron, fields);
	return WB_OK;
}

/* The crontab program: $MLWB_CRONTAB, else crontab on PATH, else NULL. */
static const char *
crontab_prog(void)
{
	const char	*e = getenv("MLWB_CRONTAB"), *path;
	struct strbuf	 sb = STRBUF_INIT;
	size_t		 len;
	int		 found = 0;

	/* "none": as if there were no crontab program (systemd then). */
	if (e != NULL && strcmp(e, "none") == 0)
		return NULL;
	if (e != NULL && *e != '\0')
		return e;
	for (path = getenv("PATH"); path != NULL && *path && !found;
	    path += len + (path[len] == ':')) {
		len = strcspn(path, ":");
		strbuf_reset(&sb);
		strbuf_addf(&sb, "%.*s/crontab", (int)len, path);
		found = !sb.oom && access(sb.s, X_OK) == 0;
	}
	strbuf_free(&sb);
	return found ? "crontab" : NULL;
}

/*
 * Run argv with in (may be NULL) on its stdin; its stdout into out (may
 * be NULL), stderr into errb.  *status is the exit status (-1: signal).
 */
static int
run(char *const *argv, const char *in, struct strbuf *out,
    struct strbuf *errb, int *status, struct wb_err *err)
{
	int	 pi[2], po[2], pe[2], st;
	pid_t	 pid;
	char	 buf[4096];
	ssize_t	 n;
	size_t	 len;
	void	(*old)(int);

	if (pipe(pi) != 0 || pipe(po) != 0 || pipe(pe) != 0)
		return wb_err_set(err, WB_EPROC, "pipe: %s", strerror(errno));
	if ((pid = fork()) < 0)
		return wb_err_set(err, WB_EPROC, "fork: %s", strerror(errno));
	if (pid == 0) {
		dup2(pi[0], 0);
		dup2(po[1], 1);
		dup2(pe[1], 2);
		close(pi[0]); close(pi[1]); close(po[0]); close(po[1]);
		close(pe[0]); close(pe[1]);
		execvp(argv[0], argv);
		dprintf(2, "%s: %s\n", argv[0], strerror(errno));
		_exit(127);
	}
	close(pi[0]);
	close(po[1]);
	close(pe[1]);
	old = signal(SIGPIPE, SIG_IGN);
	/* Small inputs (a crontab) fit the pipe: write, then read. */
	for (len = in != NULL ? strlen(in) : 0; len > 0; len -= (size_t)n,
	    in += n)
		if ((n = write(pi[1], in, len)) <= 0)
			break;
	close(pi[1]);
	signal(SIGPIPE, old);
	while ((n = read(po[0], buf, sizeof buf)) > 0)
		if (out != NULL)
			strbuf_add(out, buf, (size_t)n);
	while ((n = read(pe[0], buf, sizeof buf)) > 0)
		strbuf_add(errb, buf, (size_t)n);
	close(po[0]);
	close(pe[0]);
	while (waitpid(pid, &st, 0) < 0 && errno == EINTR)
		continue;
	*status = WIFEXITED(st) ? WEXITSTATUS(st) : -1;
	return WB_OK;
}

/* sb += s quoted for sh, with cron's '%' escaped when cron is set. */
static void
quote(struct strbuf *sb, const char *s, int cron)
{
	strbuf_addc(sb, '\'');
	for (; *s != '\0'; s++) {
		if (*s == '\'')
			strbuf_adds(sb, "'\\''");
		else if (*s == '%' && cron)
			strbuf_adds(sb, "'\\%'");
		else
			strbuf_addc(sb, *s);
	}
	strbuf_addc(sb, '\'');
}

/* The command a schedule runs (for cron: quoted for its shell). */
static void
command(struct strbuf *sb, const struct sched_req *r, int cron)
{
	strbuf_adds(sb, "cd ");
	quote(sb, r->root, cron);
	strbuf_adds(sb, " && MLWB_DB=");
	quote(sb, r->db, cron);
	strbuf_adds(sb, " ");
	quote(sb, r->mlwb, cron);
	strbuf_adds(sb, " pipeline run ");
	quote(sb, r->pipeline, cron);
	strbuf_adds(sb, " --scheduled --detach --quiet --project ");
	quote(sb, r->project, cron);
}

/* Is line the one marked for (pipeline, project)? */
static int
marked(const char *line, size_t len, const char *pipeline,
    const char *project)
{
	const char	*m;
	size_t		 pl = strlen(pipeline), jl = strlen(project);

	for (m = line; (m = strstr(m, MARK)) != NULL && m < line + len;
	    m++) {
		m += strlen(MARK);
		if ((size_t)(line + len - m) == pl + 1 + jl &&
		    strncmp(m, pipeline, pl) == 0 && m[pl] == ' ' &&
		    strncmp(m + pl + 1, project, jl) == 0)
			return 1;
		m--;
	}
	return 0;
}

static int
cron_set(const char *prog, const struct sched_req *r, int *replaced,
    struct wb_err *err)
{
	struct strbuf	 cur = STRBUF_INIT, next = STRBUF_INIT,
			 eb = STRBUF_INIT;
	char		*argv[3];
	const char	*p, *nl;
	size_t		 len;
	int		 st, rc;

	*replaced = 0;
	argv[0] = (char *)(uintptr_t)prog;
	argv[1] = (char *)(uintptr_t)"-l";
	argv[2] = NULL;
	if ((rc = run(argv, NULL, &cur, &eb, &st, err)) != WB_OK)
		goto out;
	/* `crontab -l` fails when the user has none: that is empty. */
	if (st != 0 && strstr(strbuf_str(&eb), "no crontab") == NULL) {
		rc = wb_err_set(err, WB_EPROC, "%s -l: %s", prog, eb.len ?
		    strbuf_str(&eb) : "failed");
		goto out;
	}
	if (st != 0)
		strbuf_reset(&cur);
	for (p = strbuf_str(&cur); *p != '\0'; p = nl + (*nl != '\0')) {
		nl = p + strcspn(p, "\n");
		len = (size_t)(nl - p);
		if (marked(p, len, r->pipeline, r->project)) {
			*replaced = 1;
			continue;
		}
		strbuf_add(&next, p, len);
		strbuf_addc(&next, '\n');
	}
	if (r->cron != NULL) {
		strbuf_addf(&next, "%s ", r->cron);
		command(&next, r, 1);
		strbuf_addf(&next, " " MARK "%s %s\n", r->pipeline,
		    r->project);
	}
	if (next.oom || cur.oom) {
		rc = oom(err);
		goto out;
	}
	argv[1] = (char *)(uintptr_t)"-";
	strbuf_reset(&eb);
	if ((rc = run(argv, strbuf_str(&next), NULL, &eb, &st, err)) !=
	    WB_OK)
		goto out;
	if (st != 0)
		rc = wb_err_set(err, WB_EPROC, "%s -: %s", prog, eb.len ?
		    strbuf_str(&eb) : "failed");
out:
	strbuf_free(&cur);
	strbuf_free(&next);
	strbuf_free(&eb);
	return rc;
}

/* ---- systemd user timers ---- */

char *
schedule_oncalendar(const char *cron)
{
	static const char *const at[][2] = { { "@hourly", "hourly" },
	    { "@daily", "daily" }, { "@midnight", "daily" },
	    { "@weekly", "weekly" }, { "@monthly", "monthly" },
	    { "@yearly", "yearly" }, { "@annually", "yearly" } };
	static const char *const dows[] = { "Sun", "Mon", "Tue", "Wed",
	    "Thu", "Fri", "Sat", "Sun" };
	struct strbuf	 sb = STRBUF_INIT, f[5];
	const char	*p = cron;
	size_t		 i, k, len;
	char		*out;

	for (i = 0; i < sizeof at / sizeof at[0]; i++)
		if (strcmp(cron, at[i][0]) == 0)
			return wb_strdup(at[i][1]);
	memset(f, 0, sizeof f);
	for (k = 0; k < 5; k++) {
		while (*p == ' ' || *p == '\t')
			p++;
		len = strcspn(p, " \t");
		/* cron a-b is systemd a..b, and a step over all is 0/N. */
		for (i = 0; i < len; i++) {
			if (p[i] == '-')
				strbuf_adds(&f[k], "..");
			else if (p[i] == '*' && i + 1 < len && p[i + 1] == '/')
				strbuf_adds(&f[k], k == 2 || k == 3 ? "1" :
				    "0");
			else if (k == 4 && isdigit((unsigned char)p[i]))
				strbuf_adds(&f[k], dows[(p[i] - '0') & 7]);
			else
				strbuf_addc(&f[k], p[i]);
		}
		p += len;
	}
	/* Weekday names and lists of digits only; ranges of names too. */
	if (strcmp(strbuf_str(&f[4]), "*") != 0)
		strbuf_addf(&sb, "%s ", strbuf_str(&f[4]));
	strbuf_addf(&sb, "*-%s-%s %s:%s:00", strbuf_str(&f[3]),
	    strbuf_str(&f[2]), strbuf_str(&f[1]), strbuf_str(&f[0]));
	for (k = 0; k < 5; k++)
		strbuf_free(&f[k]);
	if (sb.oom) {
		strbuf_free(&sb);
		return NULL;
	}
	out = strbuf_detach(&sb);
	return out;
}

static void
unit_dir(struct strbuf *sb)
{
	const char	*x = getenv("XDG_CONFIG_HOME"), *h = getenv("HOME");

	if (x != NULL && *x == '/')
		strbuf_addf(sb, "%s/systemd/user", x);
	else
		strbuf_addf(sb, "%s/.config/systemd/user", h ? h : "/tmp");
}

/* mlwb-pipeline-NAME-HASH: one unit per pipeline of a project. */
static void
unit_name(struct strbuf *sb, const char *pipeline, const char *project)
{
	struct sha256	h;
	char		hex[65];

	sha256_init(&h);
	sha256_update(&h, project, strlen(project));
	if (sha256_hex(&h, hex) != 0)
		hex[0] = '\0';
	strbuf_addf(sb, "mlwb-pipeline-%s-%.8s", pipeline, hex);
}

static int
systemctl(const char *a, const char *b, const char *c, struct wb_err *err)
{
	const char	*prog = getenv("MLWB_SYSTEMCTL");
	struct strbuf	 eb = STRBUF_INIT;
	char		*argv[6];
	int		 st, rc;

	argv[0] = (char *)(uintptr_t)(prog && *prog ? prog : "systemctl");
	argv[1] = (char *)(uintptr_t)"--user";
	argv[2] = (char *)(uintptr_t)a;
	argv[3] = (char *)(uintptr_t)b;
	argv[4] = (char *)(uintptr_t)c;
	argv[5] = NULL;
	rc = run(argv, NULL, NULL, &eb, &st, err);
	if (rc == WB_OK && st != 0)
		rc = wb_err_set(err, WB_EPROC, "systemctl --user %s: %s", a,
		    eb.len ? strbuf_str(&eb) : "failed");
	strbuf_free(&eb);
	return rc;
}

static int
write_file(const char *path, const char *text, struct wb_err *err)
{
	FILE	*fp;

	if ((fp = fopen(path, "w")) == NULL)
		return wb_err_set(err, WB_EIO, "%s: %s", path,
		    strerror(errno));
	fputs(text, fp);
	if (fclose(fp) != 0)
		return wb_err_set(err, WB_EIO, "%s: %s", path,
		    strerror(errno));
	return WB_OK;
}

static int
timer_set(const struct sched_req *r, int *replaced, struct wb_err *err)
{
	struct strbuf	 dir = STRBUF_INIT, unit = STRBUF_INIT,
			 path = STRBUF_INIT, text = STRBUF_INIT;
	struct stat	 st;
	char		*cal = NULL;
	int		 rc = WB_OK;

	unit_dir(&dir);
	unit_name(&unit, r->pipeline, r->project);
	strbuf_addf(&path, "%s/%s.timer", dir.s, unit.s);
	*replaced = stat(path.s, &st) == 0;
	if (*replaced)
		systemctl("disable", "--now", path.s + dir.len + 1, err);
	if (r->cron == NULL) {
		unlink(path.s);
		strbuf_reset(&path);
		strbuf_addf(&path, "%s/%s.service", dir.s, unit.s);
		unlink(path.s);
		if (*replaced)
			rc = systemctl("daemon-reload", NULL, NULL, err);
		goto out;
	}
	if ((cal = schedule_oncalendar(r->cron)) == NULL) {
		rc = oom(err);
		goto out;
	}
	strbuf_reset(&path);
	strbuf_addf(&path, "%s", dir.s);
	for (char *s = strchr(path.s + 1, '/'); s != NULL; s = strchr(s + 1,
	    '/')) {
		*s = '\0';
		mkdir(path.s, 0700);
		*s = '/';
	}
	mkdir(path.s, 0700);
	strbuf_addf(&text, MARK "%s %s\n# cron: %s\n[Unit]\nDescription=mlwb "
	    "pipeline %s\n\n[Service]\nType=oneshot\nWorkingDirectory=%s\n"
	    "Environment=\"MLWB_DB=%s\"\nExecStart=\"%s\" pipeline run \"%s\" "
	    "--scheduled --detach --quiet --project \"%s\"\n", r->pipeline,
	    r->project, r->cron, r->pipeline, r->root, r->db, r->mlwb,
	    r->pipeline, r->project);
	strbuf_addf(&path, "/%s.service", unit.s);
	if ((rc = write_file(path.s, strbuf_str(&text), err)) != WB_OK)
		goto out;
	strbuf_reset(&text);
	strbuf_addf(&text, MARK "%s %s\n# cron: %s\n[Unit]\nDescription=mlwb "
	    "pipeline %s on a schedule\n\n[Timer]\nOnCalendar=%s\n\n"
	    "[Install]\nWantedBy=timers.target\n", r->pipeline, r->project,
	    r->cron, r->pipeline, cal);
	strbuf_reset(&path);
	strbuf_addf(&path, "%s/%s.timer", dir.s, unit.s);
	if ((rc = write_file(path.s, strbuf_str(&text), err)) != WB_OK)
		goto out;
	strbuf_reset(&path);
	strbuf_addf(&path, "%s.timer", unit.s);
	if ((rc = systemctl("daemon-reload", NULL, NULL, err)) == WB_OK)
		rc = systemctl("enable", "--now", path.s, err);
out:
	wb_free(cal);
	strbuf_free(&dir);
	strbuf_free(&unit);
	strbuf_free(&path);
	strbuf_free(&text);
	return rc;
}

int
schedule_set(const struct sched_req *r, const char **via, int *replaced,
    struct wb_err *err)
{
	const char	*prog = crontab_prog();
	int		 rc;

	if (r->cron != NULL && (rc = schedule_cron_check(r->cron, err)) !=
	    WB_OK)
		return rc;
	*via = prog != NULL ? "crontab" : "systemd";
	return prog != NULL ? cron_set(prog, r, replaced, err) :
	    timer_set(r, replaced, err);
}

static int
add_entry(struct sched_entry **v, size_t *n, const char *mark, size_t len,
    const char *cron, size_t clen, const char *via)
{
	struct sched_entry	*nv, *e;
	const char		*sp;

	/* "NAME PROJECT" after the mark. */
	if ((sp = memchr(mark, ' ', len)) == NULL)
		return 0;
	if ((nv = wb_reallocarray(*v, *n + 1, sizeof **v)) == NULL)
		return -1;
	*v = nv;
	e = &nv[*n];
	memset(e, 0, sizeof *e);
	e->pipeline = wb_strndup(mark, (size_t)(sp - mark));
	e->project = wb_strndup(sp + 1, len - (size_t)(sp + 1 - mark));
	e->cron = wb_strndup(cron, clen);
	e->via = wb_strdup(via);
	(*n)++;
	return e->pipeline && e->project && e->cron && e->via ? 0 : -1;
}

int
schedule_list(struct sched_entry **out, size_t *n, struct wb_err *err)
{
	const char	*prog = crontab_prog(), *p, *nl, *m, *c;
	struct strbuf	 cur = STRBUF_INIT, eb = STRBUF_INIT;
	char		*argv[3];
	size_t		 len;
	int		 st, rc = WB_OK, fields;

	*out = NULL;
	*n = 0;
	if (prog != NULL) {
		argv[0] = (char *)(uintptr_t)prog;
		argv[1] = (char *)(uintptr_t)"-l";
		argv[2] = NULL;
		if ((rc = run(argv, NULL, &cur, &eb, &st, err)) != WB_OK)
			goto out;
		if (st != 0)
			strbuf_reset(&cur);
		for (p = strbuf_str(&cur); *p; p = nl + (*nl != '\0')) {
			nl = p + strcspn(p, "\n");
			len = (size_t)(nl - p);
			if ((m = strstr(p, MARK)) == NULL || m > nl)
				continue;
			/* The cron part: @word or five fields. */
			for (c = p, fields = 0; c < m && fields < (*p == '@' ?
			    1 : 5); fields++) {
				c += strcspn(c, " \t");
				c += strspn(c, " \t");
			}
			m += strlen(MARK);
			if (add_entry(out, n, m, (size_t)(nl - m), p,
			    (size_t)(c - p) - (c > p && (c[-1] == ' ' ||
			    c[-1] == '\t')), "crontab") != 0) {
				rc = oom(err);
				goto out;
			}
			(void)len;
		}
	} else {
		struct strbuf	 dir = STRBUF_INIT, path = STRBUF_INIT;
		struct dirent	*de;
		DIR		*d;
		FILE		*fp;
		char		 l1[1024], l2[256];

		unit_dir(&dir);
		if ((d = opendir(dir.s)) != NULL) {
			while ((de = readdir(d)) != NULL && rc == WB_OK) {
				len = strlen(de->d_name);
				if (strncmp(de->d_name, "mlwb-pipeline-", 14)
				    != 0 || len < 6 || strcmp(de->d_name +
				    len - 6, ".timer") != 0)
					continue;
				strbuf_reset(&path);
				strbuf_addf(&path, "%s/%s", dir.s,
				    de->d_name);
				if ((fp = fopen(path.s, "r")) == NULL)
					continue;
				if (fgets(l1, sizeof l1, fp) != NULL &&
				    fgets(l2, sizeof l2, fp) != NULL &&
				    strncmp(l1, MARK, strlen(MARK)) == 0 &&
				    strncmp(l2, "# cron: ", 8) == 0) {
					l1[strcspn(l1, "\n")] = '\0';
					l2[strcspn(l2, "\n")] = '\0';
					if (add_entry(out, n, l1 + strlen(MARK),
					    strlen(l1 + strlen(MARK)), l2 + 8,
					    strlen(l2 + 8), "systemd") != 0)
						rc = oom(err);
				}
				fclose(fp);
			}
			closedir(d);
		}
		strbuf_free(&dir);
		strbuf_free(&path);
	}
out:
	strbuf_free(&cur);
	strbuf_free(&eb);
	if (rc != WB_OK) {
		schedule_entries_free(*out, *n);
		*out = NULL;
		*n = 0;
	}
	return rc;
}

void
schedule_entries_free(struct sched_entry *e, size_t n)
{
	size_t	i;

	for (i = 0; e != NULL && i < n; i++) {
		wb_free(e[i].pipeline);
		wb_free(e[i].cron);
		wb_free(e[i].project);
		wb_free(e[i].via);
	}
	wb_free(e);
}
