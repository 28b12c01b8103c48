/*
 * repro: gathering what a run keeps to be run again (repro.h): its
 * environment with secrets redacted, the patch of a dirty tree, the
 * Python interpreter and packages, the GPU driver and CUDA versions.
 *
 * Every probe is best effort: the launch must not fail because pip is
 * missing or nvidia-smi hangs, so each runs with a time limit and what it
 * cannot tell is left out or recorded as a status ("pip missing").
 */
#include "config.h"

#include "repro.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <fnmatch.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "mem.h"
#include "strbuf.h"

extern char **environ;

int
repro_add(struct repro *r, const char *section, const char *key,
    const char *value, size_t len)
{
	struct repro_item	*it, *v;
	size_t			 cap;

	if (r->n == r->cap) {
		cap = r->cap ? r->cap * 2 : 64;
		if ((v = wb_realloc(r->items, cap * sizeof *v)) == NULL) {
			r->oom = 1;
			return -1;
		}
		r->items = v;
		r->cap = cap;
	}
	it = &r->items[r->n];
	it->section = wb_strdup(section);
	it->key = wb_strdup(key);
	it->value = wb_malloc(len + 1);
	if (it->section == NULL || it->key == NULL || it->value == NULL) {
		wb_free(it->section);
		wb_free(it->key);
		wb_free(it->value);
		r->oom = 1;
		return -1;
	}
	if (len > 0)
		memcpy(it->value, value, len);
	it->value[len] = '\0';
	it->len = len;
	r->n++;
	return 0;
}

static int
add_s(struct repro *r, const char *section, const char *key,
    const char *value)
{
	return repro_add(r, section, key, value, strlen(value));
}

const struct repro_item *
repro_find(const struct repro *r, const char *section, const char *key)
{
	size_t	i;

	for (i = 0; i < r->n; i++)
		if (strcmp(r->items[i].section, section) == 0 &&
		    strcmp(r->items[i].key, key) == 0)
			return &r->items[i];
	return NULL;
}

void
repro_free(struct repro *r)
{
	size_t	i;

	if (r == NULL)
		return;
	for (i = 0; i < r->n; i++) {
		wb_free(r->items[i].section);
		wb_free(r->items[i].key);
		wb_free(r->items[i].value);
	}
	wb_free(r->items);
	memset(r, 0, sizeof *r);
}

size_t
repro_count_lines(const char *s, size_t len)
{
	size_t	i, n = 0;
	int	in = 0;

	for (i = 0; i < len; i++) {
		if (s[i] == '\n') {
			n += in;
			in = 0;
		} else if (!isspace((unsigned char)s[i]))
			in = 1;
	}
	return n + in;
}

/* -- secrets -------------------------------------------------------------- */

static int
matches(const char *pat, size_t plen, const char *name)
{
	char	buf[256];

	if (plen == 0 || plen >= sizeof buf)
		return 0;
	memcpy(buf, pat, plen);
	buf[plen] = '\0';
	return fnmatch(buf, name, FNM_CASEFOLD) == 0;
}

int
repro_is_secret(const char *name, char *const *user, size_t nuser)
{
	static const char *const builtin[] = { "*TOKEN*", "*KEY*",
	    "*SECRET*", "*PASSWORD*", NULL };
	const char	*e, *p, *q;
	size_t		 i;

	for (i = 0; builtin[i] != NULL; i++)
		if (matches(builtin[i], strlen(builtin[i]), name))
			return 1;
	for (i = 0; i < nuser; i++)
		if (user[i] != NULL && matches(user[i], strlen(user[i]), name))
			return 1;
	if ((e = getenv("MLWB_REDACT")) != NULL)
		for (p = e; *p != '\0'; p = *q ? q + 1 : q) {
			q = p + strcspn(p, ",");
			while (p < q && *p == ' ')
				p++;
			if (matches(p, (size_t)(q - p), name))
				return 1;
		}
	return 0;
}

/*
 * value with the password of a URL in it ("scheme://user:PASS@host")
 * replaced by "***": a database URL is a secret in a variable of any
 * name.  Appended to sb.
 */
static void
mask_url_password(struct strbuf *sb, const char *v)
{
	const char	*s, *at, *colon, *end;

	while ((s = strstr(v, "://")) != NULL) {
		s += 3;
		end = s + strcspn(s, "/?# ");
		at = memchr(s, '@', (size_t)(end - s));
		colon = at ? memchr(s, ':', (size_t)(at - s)) : NULL;
		if (colon == NULL) {
			strbuf_add(sb, v, (size_t)(end - v));
			v = end;
			continue;
		}
		strbuf_add(sb, v, (size_t)(colon + 1 - v));
		strbuf_adds(sb, "***");
		v = at;
	}
	strbuf_adds(sb, v);
}

static int
strp_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* 1 if entry "K=V" of list sets the same name as e. */
static int
same_name(const char *a, const char *b)
{
	size_t	la = strcspn(a, "="), lb = strcspn(b, "=");

	return la == lb && strncmp(a, b, la) == 0;
}

static void
collect_env(struct repro *r, const struct repro_opts *o)
{
	char *const	*lists[3] = { environ, o->env_extra, o->env_extra2 };
	struct strbuf	 sb = STRBUF_INIT;
	char		**v, name[256];
	size_t		 n = 0, k = 0, i, j, l, len;
	int		 dup;

	for (l = 0; l < 3; l++)
		for (i = 0; lists[l] != NULL && lists[l][i] != NULL; i++)
			n++;
	if ((v = wb_calloc(n + 1, sizeof *v)) == NULL) {
		r->oom = 1;
		return;
	}
	/* Later lists win, as the job's environment is built. */
	for (l = 3; l-- > 0;)
		for (i = 0; lists[l] != NULL && lists[l][i] != NULL; i++) {
			if (strchr(lists[l][i], '=') == NULL)
				continue;
			for (dup = 0, j = 0; j < k && !dup; j++)
				dup = same_name(v[j], lists[l][i]);
			if (!dup)
				v[k++] = lists[l][i];
		}
	qsort(v, k, sizeof *v, strp_cmp);
	for (i = 0; i < k; i++) {
		len = strcspn(v[i], "=");
		if (len == 0 || len >= sizeof name)
			continue;
		memcpy(name, v[i], len);
		name[len] = '\0';
		strbuf_reset(&sb);
		if (repro_is_secret(name, o->redact, o->nredact))
			strbuf_adds(&sb, REPRO_REDACTED);
		else
			mask_url_password(&sb, v[i] + len + 1);
		if (sb.oom || repro_add(r, REPRO_ENV, name, sb.s ? sb.s : "",
		    sb.len) != 0)
			r->oom = 1;
	}
	strbuf_free(&sb);
	wb_free(v);
}

/* -- running probes ------------------------------------------------------- */

static int64_t
now_ms(void)
{
	struct timespec	ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void
close_from_3(void)
{
	struct rlimit	rl;
	long		fd, max = 1024;

	if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur != RLIM_INFINITY)
		max = rl.rlim_cur < 65536 ? (long)rl.rlim_cur : 65536;
	for (fd = 3; fd < max; fd++)
		close((int)fd);
}

int
repro_run(char *const argv[], const char *cwd, size_t cap, int timeout_ms,
    struct strbuf *out, size_t *total, struct strbuf *err_out)
{
	struct pollfd	 pf[2];
	char		 buf[8192];
	ssize_t		 n;
	size_t		 got = 0;
	int64_t		 deadline = now_ms() + timeout_ms, left;
	pid_t		 pid;
	int		 fo[2], fe[2], st, dn, open_n = 2, timed_out = 0, i;

	if (total != NULL)
		*total = 0;
	if (pipe(fo) != 0)
		return -1;
	if (pipe(fe) != 0) {
		close(fo[0]);
		close(fo[1]);
		return -1;
	}
	if ((pid = fork()) < 0) {
		close(fo[0]);
		close(fo[1]);
		close(fe[0]);
		close(fe[1]);
		return -1;
	}
	if (pid == 0) {
		/* Its own group: a time limit kills what it started too. */
		setpgid(0, 0);
		if ((dn = open("/dev/null", O_RDONLY)) >= 0)
			dup2(dn, 0);
		dup2(fo[1], 1);
		dup2(fe[1], 2);
		close_from_3();
		if (cwd != NULL && chdir(cwd) != 0)
			_exit(127);
		execvp(argv[0], argv);
		_exit(127);
	}
	setpgid(pid, pid);
	close(fo[1]);
	close(fe[1]);
	pf[0].fd = fo[0];
	pf[1].fd = fe[0];
	pf[0].events = pf[1].events = POLLIN;
	while (open_n > 0) {
		if ((left = deadline - now_ms()) <= 0) {
			timed_out = 1;
			break;
		}
		if (poll(pf, 2, (int)left) < 0) {
			if (errno == EINTR)
				continue;
			break;
		}
		for (i = 0; i < 2; i++) {
			if (pf[i].fd < 0 || pf[i].revents == 0)
				continue;
			n = read(pf[i].fd, buf, sizeof buf);
			if (n < 0 && errno == EINTR)
				continue;
			if (n <= 0) {
				close(pf[i].fd);
				pf[i].fd = -1;
				open_n--;
				continue;
			}
			if (i == 0) {
				if (out != NULL && got < cap)
					strbuf_add(out, buf, (size_t)n >
					    cap - got ? cap - got : (size_t)n);
				got += (size_t)n;
			} else if (err_out != NULL && err_out->len < 4096)
				strbuf_add(err_out, buf, (size_t)n);
		}
	}
	for (i = 0; i < 2; i++)
		if (pf[i].fd >= 0)
			close(pf[i].fd);
	if (timed_out)
		kill(-pid, SIGKILL);
	while (waitpid(pid, &st, 0) < 0)
		if (errno != EINTR)
			return -1;
	if (total != NULL)
		*total = got;
	if (timed_out)
		return -2;
	return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

/* out's text with trailing white space cut. */
static const char *
chomp(struct strbuf *sb)
{
	while (sb->len > 0 && isspace((unsigned char)sb->s[sb->len - 1]))
		sb->s[--sb->len] = '\0';
	return strbuf_str(sb);
}

/* -- git ------------------------------------------------------------------ */

static void
collect_patch(struct repro *r, const struct repro_opts *o)
{
	char *const	 argv[] = { (char *)(uintptr_t)"git",
	    (char *)(uintptr_t)"diff", (char *)(uintptr_t)"HEAD",
	    (char *)(uintptr_t)"--binary", (char *)(uintptr_t)"--no-color",
	    (char *)(uintptr_t)"--no-ext-diff", NULL };
	struct strbuf	 sb = STRBUF_INIT;
	size_t		 max = o->patch_max ? o->patch_max : REPRO_PATCH_MAX;
	size_t		 total;
	char		 num[32];

	if (repro_run(argv, o->cwd, max, REPRO_PROBE_MS * 2, &sb, &total,
	    NULL) == 0 && !sb.oom) {
		repro_add(r, REPRO_GIT, "patch", sb.s ? sb.s : "", sb.len);
		snprintf(num, sizeof num, "%zu", total);
		add_s(r, REPRO_GIT, "patch_bytes", num);
		if (total > sb.len)
			add_s(r, REPRO_GIT, "patch_cut", "1");
	}
	strbuf_free(&sb);
}

/* -- python --------------------------------------------------------------- */

static int
is_python(const char *word)
{
	const char	*base = strrchr(word, '/');

	base = base ? base + 1 : word;
	return strncmp(base, "python", 6) == 0;
}

/* The first word of s that is not VAR=value, as a new string. */
static char *
first_word(const char *s, const char **rest)
{
	size_t	len;

	for (;;) {
		while (*s == ' ' || *s == '\t')
			s++;
		len = strcspn(s, " \t;&|\n");
		if (len == 0)
			return NULL;
		if (memchr(s, '=', len) == NULL || s[0] == '=')
			break;
		s += len;
	}
	if (rest != NULL)
		*rest = s + len;
	return wb_strndup(s, len);
}

/* The interpreter named by file path's "#!" line, or NULL. */
static char *
shebang(const char *path, const char *cwd)
{
	struct strbuf	 full = STRBUF_INIT;
	char	 buf[256], *w, *nl;
	const char *rest;
	FILE	*fp;

	if (strchr(path, '/') == NULL)
		return NULL;	/* found on PATH: not a script of the tree */
	/* Whole, or another file than the script could be read. */
	if (path[0] != '/' && cwd != NULL)
		strbuf_addf(&full, "%s/%s", cwd, path);
	else
		strbuf_adds(&full, path);
	fp = full.oom ? NULL : fopen(full.s, "r");
	strbuf_free(&full);
	if (fp == NULL)
		return NULL;
	if (fgets(buf, sizeof buf, fp) == NULL || strncmp(buf, "#!", 2) != 0) {
		fclose(fp);
		return NULL;
	}
	fclose(fp);
	if ((nl = strchr(buf, '\n')) != NULL)
		*nl = '\0';
	if ((w = first_word(buf + 2, &rest)) == NULL)
		return NULL;
	if (strcmp(w + (strrchr(w, '/') ? strrchr(w, '/') - w + 1 : 0),
	    "env") == 0) {
		wb_free(w);
		if ((w = first_word(rest, NULL)) == NULL)
			return NULL;
	}
	if (is_python(w))
		return w;
	wb_free(w);
	return NULL;
}

char *
repro_python_of(char *const *argv, const char *cwd)
{
	const char	*base, *rest;
	char		*w, *w2;

	if (argv == NULL || argv[0] == NULL)
		return NULL;
	if (is_python(argv[0]))
		return wb_strdup(argv[0]);
	base = strrchr(argv[0], '/');
	base = base ? base + 1 : argv[0];
	if ((strcmp(base, "sh") == 0 || strcmp(base, "bash") == 0) &&
	    argv[1] != NULL && strcmp(argv[1], "-c") == 0 && argv[2] != NULL) {
		if ((w = first_word(argv[2], &rest)) == NULL)
			return NULL;
		if (strcmp(w, "exec") == 0 || strcmp(w, "env") == 0) {
			wb_free(w);
			if ((w = first_word(rest, NULL)) == NULL)
				return NULL;
		}
		if (is_python(w))
			return w;
		w2 = shebang(w, cwd);
		wb_free(w);
		return w2;
	}
	if (strcmp(base, "env") == 0) {
		size_t i = 1;

		while (argv[i] != NULL && (argv[i][0] == '-' ||
		    strchr(argv[i], '=') != NULL))
			i++;
		return argv[i] != NULL ? repro_python_of(argv + i, cwd) :
		    NULL;
	}
	return shebang(argv[0], cwd);
}

static void
collect_python(struct repro *r, const struct repro_opts *o)
{
	static const char prog[] = "import sys, platform\n"
	    "print(sys.executable)\nprint(platform.python_version())\n";
	struct strbuf	 sb = STRBUF_INIT, eb = STRBUF_INIT;
	char		*py, *nl, status[96];
	int		 rc;

	if (o->python != NULL)
		py = wb_strdup(o->python);
	else
		py = repro_python_of(o->argv, o->cwd);
	if (py == NULL)
		return;
	{
		char *const argv[] = { py, (char *)(uintptr_t)"-c",
		    (char *)(uintptr_t)prog, NULL };

		rc = repro_run(argv, o->cwd, 4096, REPRO_PROBE_MS, &sb, NULL,
		    NULL);
	}
	add_s(r, REPRO_PYTHON, "command", py);
	if (rc != 0 || sb.s == NULL || (nl = strchr(sb.s, '\n')) == NULL) {
		add_s(r, REPRO_PYTHON, "status", rc == 127 ? "not found" :
		    rc == -2 ? "timed out" : "did not run");
		goto out;
	}
	*nl = '\0';
	add_s(r, REPRO_PYTHON, "interpreter", sb.s);
	strbuf_reset(&eb);
	strbuf_adds(&eb, nl + 1);
	add_s(r, REPRO_PYTHON, "version", chomp(&eb));
	strbuf_reset(&sb);
	strbuf_reset(&eb);
	{
		char *const argv[] = { py, (char *)(uintptr_t)"-m",
		    (char *)(uintptr_t)"pip", (char *)(uintptr_t)"freeze",
		    NULL };

		rc = repro_run(argv, o->cwd, 4 * 1024 * 1024, REPRO_PIP_MS,
		    &sb, NULL, &eb);
	}
	if (rc == 0) {
		repro_add(r, REPRO_PYTHON, "packages", sb.s ? sb.s : "",
		    sb.len);
		snprintf(status, sizeof status, "ok");
	} else if (rc == -2)
		snprintf(status, sizeof status, "pip freeze timed out after "
		    "%d s", REPRO_PIP_MS / 1000);
	else if (eb.s != NULL && strstr(eb.s, "No module named pip") != NULL)
		snprintf(status, sizeof status, "pip missing");
	else
		snprintf(status, sizeof status, "pip freeze failed (exit %d)",
		    rc);
	add_s(r, REPRO_PYTHON, "packages_status", status);
out:
	wb_free(py);
	strbuf_free(&sb);
	strbuf_free(&eb);
}

/* -- GPU ------------------------------------------------------------------ */

/* The distinct lines of s joined by ", " into out. */
static void
distinct_lines(struct strbuf *out, const char *s)
{
	const char	*p, *e;
	size_t		 len;
	char		 line[256];

	for (p = s; *p != '\0'; p = *e ? e + 1 : e) {
		e = p + strcspn(p, "\n");
		len = (size_t)(e - p);
		while (len > 0 && isspace((unsigned char)p[len - 1]))
			len--;
		if (len == 0 || len >= sizeof line)
			continue;
		memcpy(line, p, len);
		line[len] = '\0';
		if (out->s != NULL && strstr(out->s, line) != NULL)
			continue;
		if (out->len > 0)
			strbuf_adds(out, ", ");
		strbuf_adds(out, line);
	}
}

static void
collect_gpu(struct repro *r, const struct repro_opts *o)
{
	char *const	 q_drv[] = { (char *)(uintptr_t)"nvidia-smi",
	    (char *)(uintptr_t)"--query-gpu=driver_version",
	    (char *)(uintptr_t)"--format=csv,noheader", NULL };
	char *const	 q_name[] = { (char *)(uintptr_t)"nvidia-smi",
	    (char *)(uintptr_t)"--query-gpu=name",
	    (char *)(uintptr_t)"--format=csv,noheader", NULL };
	char *const	 plain[] = { (char *)(uintptr_t)"nvidia-smi", NULL };
	struct strbuf	 sb = STRBUF_INIT, v = STRBUF_INIT;
	const char	*c;
	size_t		 len;

	if (repro_run(q_drv, o->cwd, 4096, REPRO_PROBE_MS, &sb, NULL, NULL) !=
	    0 || sb.s == NULL)
		goto out;
	distinct_lines(&v, sb.s);
	if (v.len > 0)
		add_s(r, REPRO_GPU, "driver", v.s);
	strbuf_reset(&sb);
	strbuf_reset(&v);
	if (repro_run(q_name, o->cwd, 4096, REPRO_PROBE_MS, &sb, NULL,
	    NULL) == 0 && sb.s != NULL) {
		distinct_lines(&v, sb.s);
		if (v.len > 0)
			add_s(r, REPRO_GPU, "names", v.s);
	}
	/* The CUDA version is only in the banner of plain nvidia-smi. */
	strbuf_reset(&sb);
	if (repro_run(plain, o->cwd, 65536, REPRO_PROBE_MS, &sb, NULL,
	    NULL) == 0 && sb.s != NULL &&
	    (c = strstr(sb.s, "CUDA Version:")) != NULL) {
		c += strlen("CUDA Version:");
		while (*c == ' ')
			c++;
		len = strspn(c, "0123456789.");
		if (len > 0 && len < 32) {
			char ver[32];

			memcpy(ver, c, len);
			ver[len] = '\0';
			add_s(r, REPRO_GPU, "cuda", ver);
		}
	}
out:
	strbuf_free(&sb);
	strbuf_free(&v);
}

int
repro_collect(struct repro *r, const struct repro_opts *o)
{
	collect_env(r, o);
	if (o->git_dirty == 1)
		collect_patch(r, o);
	collect_python(r, o);
	collect_gpu(r, o);
	return r->oom ? -1 : 0;
}
