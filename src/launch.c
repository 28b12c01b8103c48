/*
 * launch: checking and recording a launch, handing it to a supervisor
 * process, the queue, kill requests and lost-job detection (launch.h).
 *
 * Child processes are started only with fork + execvp of an argv array:
 * git for the commit and dirty flag, and the supervisor command the
 * caller gives (launch_cmd; mlwb's own binary).  Nothing goes through a
 * shell here;
 * a `shell: true` entry is already an explicit /bin/sh -c argv.
 */
#include "config.h"

#include "launch.h"

#include <errno.h>
#include <fcntl.h>
#include <glob.h>
#include <limits.h>
#include <pwd.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include "db.h"
#include "db_jobs.h"
#include "db_run.h"
#include "err.h"
#include "mem.h"
#include "project.h"
#include "repro.h"
#include "db_repro.h"
#include "sha256.h"
#include "sysmetrics.h"
#include "strbuf.h"
#include "text.h"
#include "yamldoc.h"

extern char **environ;

/* A 'starting' job with no supervisor after this long is lost. */
#define START_TIMEOUT_MS	30000

static int
oom(struct wb_err *err)
{
	return wb_err_set(err, WB_ENOMEM, "out of memory");
}

const char *
launch_host(char buf[256])
{
	if (gethostname(buf, 256) != 0 || buf[0] == '\0')
		snprintf(buf, 256, "localhost");
	buf[255] = '\0';
	return buf;
}

static const char *
user_name(void)
{
	struct passwd	*pw;
	const char	*u;

	if ((pw = getpwuid(getuid())) != NULL && pw->pw_name != NULL)
		return pw->pw_name;
	return (u = getenv("USER")) != NULL ? u : NULL;
}

/* Close every descriptor from 3 up (before an exec). */
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

/*
 * Run argv in cwd with stdout captured into out (at most 64 KB) and
 * stderr thrown away.  Returns the exit status, or -1.
 */
static int
run_capture(char *const argv[], const char *cwd, struct strbuf *out)
{
	char	 buf[4096];
	ssize_t	 n;
	pid_t	 pid;
	int	 fd[2], st, dn;

	if (pipe(fd) != 0)
		return -1;
	if ((pid = fork()) < 0) {
		close(fd[0]);
		close(fd[1]);
		return -1;
	}
	if (pid == 0) {
		if ((dn = open("/dev/null", O_RDWR)) >= 0) {
			dup2(dn, 0);
			dup2(dn, 2);
		}
		dup2(fd[1], 1);
		close_from_3();
		if (cwd != NULL && chdir(cwd) != 0)
			_exit(127);
		execvp(argv[0], argv);
		_exit(127);
	}
	close(fd[1]);
	for (;;) {
		n = read(fd[0], buf, sizeof buf);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		if (out->len < 65536)
			strbuf_add(out, buf, (size_t)n);
	}
	close(fd[0]);
	while (waitpid(pid, &st, 0) < 0)
		if (errno != EINTR)
			return -1;
	return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

void
launch_git_info(const char *dir, char **commit, int *dirty)
{
	char *const	 rev[] = { (char *)(uintptr_t)"git",
	    (char *)(uintptr_t)"rev-parse", (char *)(uintptr_t)"HEAD", NULL };
	char *const	 stat[] = { (char *)(uintptr_t)"git",
	    (char *)(uintptr_t)"status", (char *)(uintptr_t)"--porcelain",
	    (char *)(uintptr_t)"--untracked-files=no", NULL };
	struct strbuf	 sb = STRBUF_INIT;

	*commit = NULL;
	*dirty = -1;
	if (run_capture(rev, dir, &sb) == 0 && sb.len >= 40 && !sb.oom) {
		while (sb.len > 0 && (sb.s[sb.len - 1] == '\n' ||
		    sb.s[sb.len - 1] == '\r'))
			sb.s[--sb.len] = '\0';
		*commit = strbuf_detach(&sb);
		if (run_capture(stat, dir, &sb) == 0 && !sb.oom)
			*dirty = sb.len > 0;
	}
	strbuf_free(&sb);
}

int
launch_json_add_strv(struct strbuf *sb, char *const *v)
{
	size_t	i;

	strbuf_addc(sb, '[');
	for (i = 0; v != NULL && v[i] != NULL; i++) {
		if (i > 0)
			strbuf_adds(sb, ", ");
		text_json_str(sb, v[i]);
	}
	strbuf_addc(sb, ']');
	return sb->oom ? -1 : 0;
}

int
launch_json_strv(const char *json, char ***out, struct wb_err *err)
{
	struct ydoc	*doc;
	char		**v;
	size_t		 i;
	int		 rc;

	*out = NULL;
	if ((rc = ydoc_load_mem(json, strlen(json), "argv", &doc, err)) !=
	    WB_OK)
		return rc;
	if (doc->root == NULL || doc->root->type != YNODE_SEQ) {
		ydoc_free(doc);
		return wb_err_set(err, WB_EPARSE, "argv: not a JSON array");
	}
	if ((v = wb_calloc(doc->root->n + 1, sizeof *v)) == NULL) {
		ydoc_free(doc);
		return oom(err);
	}
	for (i = 0; i < doc->root->n; i++) {
		const struct ynode *it = doc->root->items[i];

		if (it->type != YNODE_SCALAR) {
			rc = wb_err_set(err, WB_EPARSE, "argv: item %zu is not "
			    "a string", i);
			break;
		}
		if ((v[i] = wb_strndup(it->value, it->len)) == NULL) {
			rc = oom(err);
			break;
		}
	}
	ydoc_free(doc);
	if (rc != WB_OK) {
		project_argv_free(v);
		return rc;
	}
	*out = v;
	return WB_OK;
}

static int
strp_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* SHA-256 of this process's environment (sorted) and the entry's env. */
static int
env_digest(char *const *entry_env, char hex[65])
{
	struct sha256	 c;
	char		**v;
	size_t		 n, i;

	for (n = 0; environ[n] != NULL; n++)
		;
	if ((v = wb_calloc(n + 1, sizeof *v)) == NULL)
		return -1;
	memcpy(v, environ, n * sizeof *v);
	qsort(v, n, sizeof *v, strp_cmp);
	sha256_init(&c);
	for (i = 0; i < n; i++) {
		sha256_update(&c, v[i], strlen(v[i]));
		sha256_update(&c, "\n", 1);
	}
	wb_free(v);
	sha256_update(&c, "--\n", 3);
	for (i = 0; entry_env != NULL && entry_env[i] != NULL; i++) {
		sha256_update(&c, entry_env[i], strlen(entry_env[i]));
		sha256_update(&c, "\n", 1);
	}
	return sha256_hex(&c, hex) == WB_OK ? 0 : -1;
}

/* The output_scalars of p as the jobs table's JSON (none: capture off). */
static void
scalars_json(struct strbuf *sb, const struct project *p, int none)
{
	const struct project_scalar	*sc;
	size_t				 i, n;
	int				 def;

	sc = project_output_scalars(p, &n, &def);
	if (none) {
		n = 0;
		def = 0;
	}
	strbuf_addf(sb, "{\"default\": %s, \"patterns\": [",
	    def ? "true" : "false");
	for (i = 0; i < n; i++) {
		strbuf_adds(sb, i ? ", {\"key\": " : "{\"key\": ");
		if (sc[i].key != NULL)
			text_json_str(sb, sc[i].key);
		else
			strbuf_adds(sb, "null");
		strbuf_adds(sb, ", \"pattern\": ");
		text_json_str(sb, sc[i].pattern);
		strbuf_addc(sb, '}');
	}
	strbuf_adds(sb, "]}");
}

/* mkdir -p of the workspace's local folder/.mlwb/logs; its path into sb. */
static int
logs_dir(struct db *db, struct strbuf *sb, struct wb_err *err)
{
	char	*dir;

	if ((dir = db_local_dir(db, err)) == NULL)
		return WB_EIO;
	strbuf_adds(sb, dir);
	wb_free(dir);
	strbuf_adds(sb, "/.mlwb");
	if (sb->oom)
		return oom(err);
	if (mkdir(sb->s, 0755) != 0 && errno != EEXIST)
		return wb_err_set(err, WB_EIO, "%s: %s", sb->s,
		    strerror(errno));
	strbuf_adds(sb, "/logs");
	if (sb->oom)
		return oom(err);
	if (mkdir(sb->s, 0755) != 0 && errno != EEXIST)
		return wb_err_set(err, WB_EIO, "%s: %s", sb->s,
		    strerror(errno));
	return WB_OK;
}

void
launch_info_clear(struct launch_info *li)
{
	if (li == NULL)
		return;
	wb_free(li->run_name);
	wb_free(li->experiment);
	wb_free(li->log_path);
	memset(li, 0, sizeof *li);
}

/* "no entry point 'x' in FILE (it has: a, b)". */
static int
no_entry(const struct project *p, const char *name, struct wb_err *err)
{
	struct strbuf	sb = STRBUF_INIT;
	size_t		i;
	int		rc;

	for (i = 0; i < p->nentries; i++)
		strbuf_addf(&sb, "%s%s", i ? ", " : "", p->entries[i].name);
	rc = wb_err_set(err, WB_ENOTFOUND, "no entry point '%s' in %s (it "
	    "has: %s)", name, p->path, strbuf_str(&sb));
	strbuf_free(&sb);
	return rc;
}

int
launch_max_get(struct db *db, int *max, struct wb_err *err)
{
	char	*v;
	int	 rc;

	*max = 1;
	if ((rc = db_job_setting_get(db, "max", &v, err)) != WB_OK)
		return rc;
	if (v != NULL && atoi(v) >= 1)
		*max = atoi(v);
	wb_free(v);
	return WB_OK;
}

int
launch_max_set(struct db *db, int max, struct wb_err *err)
{
	char	buf[32];

	if (max < 1)
		return wb_err_set(err, WB_EINVAL, "the queue's max must be at "
		    "least 1");
	snprintf(buf, sizeof buf, "%d", max);
	return db_job_setting_set(db, "max", buf, err);
}

/* Everything launch_start records, built before the transaction. */
/* Append a copy of s to the NULL-terminated *v of *n; -1 out of memory. */
static int
strv_add(char ***v, size_t *n, const char *s)
{
	char	**nv, *c;

	if ((c = wb_strdup(s)) == NULL)
		return -1;
	if ((nv = wb_reallocarray(*v, *n + 2, sizeof *nv)) == NULL) {
		wb_free(c);
		return -1;
	}
	nv[(*n)++] = c;
	nv[*n] = NULL;
	*v = nv;
	return 0;
}

/* One regular file of an input, added to *files with role; else WB_EIO. */
static int
input_file(const char *what, const char *path, const char *role,
    char ***files, size_t *n, struct wb_err *err)
{
	struct stat	st;

	if (stat(path, &st) != 0)
		return wb_err_set(err, WB_EIO, "%s: %s: %s", what, path,
		    strerror(errno));
	if (!S_ISREG(st.st_mode))
		return wb_err_set(err, WB_EIO, "%s: %s: not a file (a data set"
		    " is one file)", what, path);
	if (strv_add(files, n, path) != 0 || strv_add(files, n, role) != 0)
		return oom(err);
	return WB_OK;
}

int
launch_input_files(const char *cwd, char *const *specs, char ***files,
    struct wb_err *err)
{
	struct strbuf	 path = STRBUF_INIT, what = STRBUF_INIT;
	glob_t		 g;
	size_t		 i, j, n = 0;
	int		 rc = WB_OK, grc;

	*files = NULL;
	for (i = 0; specs != NULL && specs[i] != NULL && specs[i + 1] != NULL &&
	    specs[i + 2] != NULL && rc == WB_OK; i += 3) {
		strbuf_reset(&path);
		strbuf_reset(&what);
		if (specs[i + 1][0] == '/' || cwd == NULL)
			strbuf_adds(&path, specs[i + 1]);
		else
			strbuf_addf(&path, "%s/%s", cwd, specs[i + 1]);
		if (strcmp(specs[i], "file") == 0)
			strbuf_addf(&what, "dataset %s", specs[i + 2]);
		else
			strbuf_addf(&what, "input %s", specs[i + 1]);
		if (path.oom || what.oom) {
			rc = oom(err);
			break;
		}
		if (strcmp(specs[i], "file") == 0) {
			rc = input_file(what.s, path.s, specs[i + 2], files,
			    &n, err);
			continue;
		}
		grc = glob(path.s, 0, NULL, &g);
		if (grc == GLOB_NOMATCH) {
			/* A plain path says why it is not there. */
			rc = strpbrk(specs[i + 1], "*?[") == NULL ?
			    input_file(what.s, path.s, specs[i + 2], files,
			    &n, err) : wb_err_set(err, WB_EIO, "%s: no file "
			    "matches %s", what.s, path.s);
			continue;
		}
		if (grc != 0) {
			rc = wb_err_set(err, WB_EIO, "%s: cannot read %s",
			    what.s, path.s);
			continue;
		}
		for (j = 0; j < g.gl_pathc && rc == WB_OK; j++)
			rc = input_file(what.s, g.gl_pathv[j], specs[i + 2],
			    files, &n, err);
		globfree(&g);
	}
	strbuf_free(&path);
	strbuf_free(&what);
	if (rc != WB_OK) {
		project_argv_free(*files);
		*files = NULL;
	}
	return rc;
}

struct plan {
	char		**argv, **vals, **inputs;
	char		 *cwd, *git_commit;
	int		  git_dirty;
	struct strbuf	  command, argv_json, env_json, scalars_json, log;
	char		  digest[65];
	char		  host[256];
	struct repro	  repro;
};

static void
plan_free(struct plan *pl)
{
	project_argv_free(pl->argv);
	project_argv_free(pl->vals);
	project_argv_free(pl->inputs);
	wb_free(pl->cwd);
	wb_free(pl->git_commit);
	strbuf_free(&pl->command);
	strbuf_free(&pl->argv_json);
	strbuf_free(&pl->env_json);
	strbuf_free(&pl->scalars_json);
	strbuf_free(&pl->log);
	repro_free(&pl->repro);
}

/*
 * What the run keeps to be run again (repro.h): the job's environment
 * (this process's, the entry's env:, then the caller's extra), the patch
 * of a dirty tree, Python and GPU versions, and the run it reruns.
 */
static int
collect_repro(const struct project *p, const struct project_entry *e,
    const struct launch_opts *o, struct plan *pl, struct wb_err *err)
{
	struct repro_opts	ro;
	char			every[16];
	int			n;

	n = o->has_sample_every ? o->sample_every : project_sample_every(p);
	snprintf(every, sizeof every, "%d", n >= 0 ? n : SYSM_DEFAULT_EVERY);
	memset(&ro, 0, sizeof ro);
	ro.cwd = pl->cwd;
	ro.argv = pl->argv;
	ro.env_extra = e->env;
	ro.env_extra2 = o->env;
	ro.redact = project_redact(p, &ro.nredact);
	ro.git_dirty = pl->git_dirty;
	ro.patch_max = project_patch_limit(p);
	if (repro_collect(&pl->repro, &ro) != 0 || (o->rerun_of != NULL &&
	    repro_add(&pl->repro, REPRO_LINK, "rerun_of", o->rerun_of,
	    strlen(o->rerun_of)) != 0) || repro_add(&pl->repro, REPRO_SYSTEM,
	    "sample_every", every, strlen(every)) != 0)
		return oom(err);
	return WB_OK;
}

static int
plan(struct db *db, const struct project *p, const struct project_entry *e,
    const struct launch_opts *o, const char *uuid, struct plan *pl,
    struct wb_err *err)
{
	struct strbuf	 sb = STRBUF_INIT;
	struct stat	 st;
	char		**files;
	int		 rc;

	if ((rc = project_command(e, o->sets, o->nsets, &pl->argv, err)) !=
	    WB_OK || (rc = project_values(e, o->sets, o->nsets, &pl->vals,
	    err)) != WB_OK)
		return rc;
	if (e->cwd != NULL && e->cwd[0] == '/')
		strbuf_adds(&sb, e->cwd);
	else if (e->cwd != NULL)
		strbuf_addf(&sb, "%s/%s", p->root, e->cwd);
	else
		strbuf_adds(&sb, p->root);
	if (sb.oom)
		return oom(err);
	pl->cwd = strbuf_detach(&sb);
	if (stat(pl->cwd, &st) != 0)
		return wb_err_set(err, WB_EIO, "%s: entry point %s: cwd %s: %s",
		    p->path, e->name, pl->cwd, strerror(errno));
	if (!S_ISDIR(st.st_mode))
		return wb_err_set(err, WB_EIO, "%s: entry point %s: cwd %s: "
		    "not a folder", p->path, e->name, pl->cwd);
	/*
	 * The input data sets must be there now (the supervisor records them
	 * when the job starts, and fails it if they went away meanwhile).
	 */
	if ((rc = project_inputs(e, pl->vals, &pl->inputs, err)) != WB_OK)
		return rc;
	if ((rc = launch_input_files(pl->cwd, pl->inputs, &files, err)) !=
	    WB_OK) {
		wb_err_prefix(err, "%s: entry point %s", p->path, e->name);
		return rc;
	}
	project_argv_free(files);
	if ((rc = logs_dir(db, &pl->log, err)) != WB_OK)
		return rc;
	strbuf_addf(&pl->log, "/%s.log", uuid);
	project_join(&pl->command, pl->argv);
	launch_json_add_strv(&pl->argv_json, pl->argv);
	if (e->env != NULL)
		launch_json_add_strv(&pl->env_json, e->env);
	scalars_json(&pl->scalars_json, p, o->no_scalars);
	if (env_digest(e->env, pl->digest) != 0 || pl->log.oom ||
	    pl->command.oom || pl->argv_json.oom || pl->env_json.oom ||
	    pl->scalars_json.oom)
		return oom(err);
	launch_git_info(pl->cwd, &pl->git_commit, &pl->git_dirty);
	launch_host(pl->host);
	return collect_repro(p, e, o, pl, err);
}

/* The transaction of launch_start: experiment, run, params, tags, job. */
static int
record(struct db *db, const struct project *p, const struct project_entry *e,
    const struct launch_opts *o, struct plan *pl, struct launch_info *li,
    struct wb_err *err)
{
	struct run_new	 r;
	struct job	 j;
	int64_t		 exp_id, active, queued;
	size_t		 i;
	int		 rc, max;

	if ((rc = db_exp_ensure(db, li->experiment, &exp_id, err)) != WB_OK)
		return rc;
	if (o->queue) {
		if ((rc = launch_max_get(db, &max, err)) != WB_OK ||
		    (rc = db_job_count_active(db, &active, err)) != WB_OK ||
		    (rc = db_job_count_queued(db, &queued, err)) != WB_OK)
			return rc;
		/* First in, first out: behind anything already waiting. */
		li->queued = active >= max || queued > 0;
	}
	memset(&r, 0, sizeof r);
	snprintf(r.uuid, sizeof r.uuid, "%s", li->run_uuid);
	r.experiment_id = exp_id;
	r.name = li->run_name;
	r.status = li->queued ? "queued" : "running";
	r.source = p->path;
	r.command = pl->command.s;
	r.git_commit = pl->git_commit;
	r.git_dirty = pl->git_dirty;
	r.host = pl->host;
	r.user = user_name();
	r.started_at = li->queued ? 0 : db_now_ms();
	r.log_path = pl->log.s;
	r.parent_id = o->parent_id;
	if ((rc = db_run_insert(db, &r, &li->run_id, err)) != WB_OK)
		return rc;
	for (i = 0; o->tags != NULL && o->tags[i] != NULL; i++) {
		char	*k;

		if ((k = wb_strndup(o->tags[i], strcspn(o->tags[i], "="))) ==
		    NULL)
			return oom(err);
		rc = db_tag_set(db, li->run_id, k, o->tags[i] + strlen(k) +
		    (o->tags[i][strlen(k)] == '='), err);
		wb_free(k);
		if (rc != WB_OK)
			return rc;
	}
	for (i = 0; i < e->nparams; i++)
		if ((rc = db_param_set(db, li->run_id, e->params[i].name,
		    pl->vals[i], err)) != WB_OK)
			return rc;
	if ((rc = db_tag_set(db, li->run_id, "mlwb.entry", e->name, err)) !=
	    WB_OK || (rc = db_tag_set(db, li->run_id, "mlwb.project",
	    p->root, err)) != WB_OK ||
	    (rc = db_repro_put(db, li->run_id, &pl->repro, err)) != WB_OK)
		return rc;
	/* What the supervisor records as input data sets at the start. */
	if (pl->inputs != NULL) {
		struct strbuf	ins = STRBUF_INIT;

		launch_json_add_strv(&ins, pl->inputs);
		rc = ins.oom ? oom(err) : db_tag_set(db, li->run_id,
		    LAUNCH_INPUTS_TAG, ins.s, err);
		strbuf_free(&ins);
		if (rc != WB_OK)
			return rc;
	}
	/* The drift report that started it: lineage shows the link. */
	if (o->drift_report != NULL && (rc = db_tag_set(db, li->run_id,
	    LAUNCH_DRIFT_TAG, o->drift_report, err)) != WB_OK)
		return rc;
	/* What the supervisor logs as artifacts at the end (supervisor.c). */
	if (e->outputs != NULL) {
		struct strbuf	outs = STRBUF_INIT;

		launch_json_add_strv(&outs, e->outputs);
		rc = outs.oom ? oom(err) : db_tag_set(db, li->run_id,
		    LAUNCH_OUTPUTS_TAG, outs.s, err);
		strbuf_free(&outs);
		if (rc != WB_OK)
			return rc;
	}
	memset(&j, 0, sizeof j);
	j.run_id = li->run_id;
	j.entry = e->name;
	j.argv = pl->argv_json.s;
	j.cwd = pl->cwd;
	j.env = pl->env_json.s;
	j.env_digest = pl->digest;
	j.scalars = pl->scalars_json.s;
	j.state = (char *)(uintptr_t)(li->queued ? "queued" : "starting");
	j.host = pl->host;
	j.log_path = pl->log.s;
	return db_job_insert(db, &j, &li->job_id, err);
}

int
launch_start(struct db *db, const struct project *p,
    const struct launch_opts *o, struct launch_info *out,
    struct wb_err *err)
{
	const struct project_entry	*e;
	struct plan			 pl;
	struct wb_err			 e2;
	char				 name[64];
	int				 rc;

	memset(out, 0, sizeof *out);
	memset(&pl, 0, sizeof pl);
	if ((e = project_entry(p, o->entry)) == NULL)
		return no_entry(p, o->entry, err);
	db_new_uuid(out->run_uuid);
	snprintf(name, sizeof name, "%.40s-%.6s", e->name, out->run_uuid);
	if ((out->run_name = wb_strdup(o->name ? o->name : name)) == NULL ||
	    (out->experiment = wb_strdup(o->experiment ? o->experiment :
	    e->experiment ? e->experiment : "Default")) == NULL) {
		rc = oom(err);
		goto fail;
	}
	if ((rc = plan(db, p, e, o, out->run_uuid, &pl, err)) != WB_OK)
		goto fail;
	if ((out->log_path = wb_strdup(pl.log.s)) == NULL) {
		rc = oom(err);
		goto fail;
	}
	if ((rc = db_begin(db, err)) != WB_OK)
		goto fail;
	if ((rc = record(db, p, e, o, &pl, out, err)) != WB_OK) {
		db_rollback(db);
		goto fail;
	}
	if ((rc = db_commit(db, err)) != WB_OK)
		goto fail;
	plan_free(&pl);
	if (out->queued)
		return WB_OK;
	if ((rc = launch_spawn(o->supervisor, db_path(db), out->job_id,
	    o->env, err)) != WB_OK) {
		db_job_ended(db, out->job_id, "failed", 0, 0, 0, db_now_ms(),
		    &e2);
		launch_info_clear(out);
		return rc;
	}
	return WB_OK;
fail:
	plan_free(&pl);
	launch_info_clear(out);
	return rc;
}

/* The arguments after the caller's command: --db DB jobs supervise ID. */
#define SUPERVISE_NARGS 5

/*
 * environ with extra's entries added (a KEY of environ that extra sets is
 * left out); the array is the caller's to free, its strings borrowed.
 * Built before the fork: the child of a threaded process must not
 * allocate.
 */
static char **
env_with(char *const *extra)
{
	extern char	**environ;
	char		**v;
	size_t		  n = 0, ne = 0, i, j, k = 0, len;
	int		  shadowed;

	while (environ[n] != NULL)
		n++;
	while (extra != NULL && extra[ne] != NULL)
		ne++;
	if ((v = wb_calloc(n + ne + 1, sizeof *v)) == NULL)
		return NULL;
	for (i = 0; i < n; i++) {
		shadowed = 0;
		for (j = 0; j < ne && !shadowed; j++) {
			len = strcspn(extra[j], "=");
			shadowed = strncmp(environ[i], extra[j], len) == 0 &&
			    environ[i][len] == '=';
		}
		if (!shadowed)
			v[k++] = environ[i];
	}
	for (j = 0; j < ne; j++)
		v[k++] = extra[j];
	v[k] = NULL;
	return v;
}

int
launch_spawn(const char *const *cmd, const char *db_file, int64_t job_id,
    char *const *env, struct wb_err *err)
{
	char	 id[32], *real, **argv, **envp;
	size_t	 n;
	pid_t	 pid, pid2;
	int	 st, dn;

	if (cmd == NULL || cmd[0] == NULL)
		return wb_err_set(err, WB_EINVAL, "no supervisor command: "
		    "this caller cannot start jobs");
	for (n = 0; cmd[n] != NULL; n++)
		continue;
	/* A server store's URL goes as it is; a file by its full path. */
	if ((real = db_is_url(db_file) ? strdup(db_file) :
	    realpath(db_file, NULL)) == NULL)
		return wb_err_set(err, WB_EIO, "%s: %s", db_file,
		    strerror(errno));
	if ((argv = wb_calloc(n + SUPERVISE_NARGS + 1, sizeof *argv)) ==
	    NULL) {
		free(real);
		return oom(err);
	}
	if ((envp = env_with(env)) == NULL) {
		free(real);
		wb_free(argv);
		return oom(err);
	}
	memcpy(argv, cmd, n * sizeof *argv);
	snprintf(id, sizeof id, "%lld", (long long)job_id);
	argv[n] = (char *)(uintptr_t)"--db";
	argv[n + 1] = real;
	argv[n + 2] = (char *)(uintptr_t)"jobs";
	argv[n + 3] = (char *)(uintptr_t)"supervise";
	argv[n + 4] = id;
	argv[n + 5] = NULL;
	if ((pid = fork()) < 0) {
		free(real);
		wb_free(argv);
		wb_free(envp);
		return wb_err_set(err, WB_EPROC, "fork: %s", strerror(errno));
	}
	if (pid == 0) {
		/*
		 * A new session: no controlling terminal, so the terminal's
		 * hangup never reaches the supervisor; the second fork makes
		 * sure it can never acquire one again.
		 */
		setsid();
		signal(SIGHUP, SIG_IGN);
		if ((pid2 = fork()) != 0)
			_exit(pid2 < 0 ? 1 : 0);
		if (chdir("/") != 0)
			_exit(1);
		if ((dn = open("/dev/null", O_RDWR)) >= 0) {
			dup2(dn, 0);
			dup2(dn, 1);
			dup2(dn, 2);
		}
		close_from_3();
		execve(argv[0], argv, envp);
		_exit(127);
	}
	free(real);
	wb_free(argv);
	wb_free(envp);
	while (waitpid(pid, &st, 0) < 0)
		if (errno != EINTR)
			return wb_err_set(err, WB_EPROC, "waitpid: %s",
			    strerror(errno));
	if (!WIFEXITED(st) || WEXITSTATUS(st) != 0)
		return wb_err_set(err, WB_EPROC, "cannot start the job's "
		    "supervisor");
	return WB_OK;
}

int
launch_kick_queue(struct db *db, const char *const *cmd, int *started,
    struct wb_err *err)
{
	struct wb_err	e2;
	int64_t		active, id;
	int		rc, max;

	if (started != NULL)
		*started = 0;
	if (cmd == NULL)
		return WB_OK;
	for (;;) {
		if ((rc = db_begin(db, err)) != WB_OK)
			return rc;
		if ((rc = launch_max_get(db, &max, err)) != WB_OK ||
		    (rc = db_job_count_active(db, &active, err)) != WB_OK) {
			db_rollback(db);
			return rc;
		}
		id = 0;
		if (active < max && (rc = db_job_dequeue(db, &id, err)) !=
		    WB_OK) {
			db_rollback(db);
			return rc;
		}
		if ((rc = db_commit(db, err)) != WB_OK)
			return rc;
		if (id == 0)
			return WB_OK;
		if ((rc = launch_spawn(cmd, db_path(db), id, NULL, err)) !=
		    WB_OK) {
			db_job_ended(db, id, "failed", 0, 0, 0, db_now_ms(),
			    &e2);
			return rc;
		}
		if (started != NULL)
			(*started)++;
	}
}

/*
 * 1 if pid is alive and is the supervisor of job job_id of workspace
 * real_db: its command line ends in the SUPERVISE_NARGS arguments
 * launch_spawn gave it.  This guards against the pid having been reused
 * by another program, or by the supervisor of another job or workspace.
 */
static int
supervisor_alive(int64_t pid, int64_t job_id, const char *real_db)
{
	const char	*args[SUPERVISE_NARGS], *want[SUPERVISE_NARGS];
	char		 path[64], id[32], buf[16384];	/* 2 paths and more */
	ssize_t		 n, i;
	size_t		 k, nargs = 0;
	int		 fd;

	if (pid <= 0 || pid > INT_MAX)
		return 0;
	if (kill((pid_t)pid, 0) != 0 && errno != EPERM)
		return 0;
	snprintf(path, sizeof path, "/proc/%lld/cmdline", (long long)pid);
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
		return 1;	/* no /proc: trust kill() */
	n = read(fd, buf, sizeof buf - 1);
	close(fd);
	if (n <= 0 || buf[n - 1] != '\0')
		return 0;	/* a zombie's is empty; a longer one is not ours */
	/* The last SUPERVISE_NARGS NUL-terminated arguments, in a ring. */
	for (i = 0; i < n; i += (ssize_t)strlen(buf + i) + 1)
		args[nargs++ % SUPERVISE_NARGS] = buf + i;
	if (nargs < SUPERVISE_NARGS + 1)
		return 0;
	snprintf(id, sizeof id, "%lld", (long long)job_id);
	want[0] = "--db";
	want[1] = real_db;
	want[2] = "jobs";
	want[3] = "supervise";
	want[4] = id;
	for (k = 0; k < SUPERVISE_NARGS; k++)
		if (strcmp(args[(nargs + k) % SUPERVISE_NARGS], want[k]) != 0)
			return 0;
	return 1;
}

int
launch_reap_lost(struct db *db, const char *const *cmd, int *nlost,
    struct wb_err *err)
{
	struct job	*rows, cur;
	struct stat	 st;
	char		 host[256], *real;
	int64_t		 now = db_now_ms(), ended, beat, hb = 0, hb2;
	size_t		 n, i;
	int		 rc, lost = 0, other;

	if (nlost != NULL)
		*nlost = 0;
	/* As launch_spawn named it; a file gone since keeps its name. */
	if ((real = realpath(db_path(db), NULL)) == NULL &&
	    (real = strdup(db_path(db))) == NULL)
		return oom(err);
	if ((rc = db_job_list(db, 0, &rows, &n, err)) != WB_OK) {
		free(real);
		return rc;
	}
	launch_host(host);
	for (i = 0; i < n && rc == WB_OK; i++) {
		struct job *j = &rows[i];

		if (strcmp(j->state, "starting") != 0 &&
		    strcmp(j->state, "running") != 0)
			continue;
		other = j->host == NULL || strcmp(j->host, host) != 0;
		if (other) {
			/*
			 * Another box's job: no pid to check from here, its
			 * heartbeat tells.  The end is its last beat.
			 */
			if (db_job_heartbeat_get(db, j->id, &beat, NULL) !=
			    WB_OK)
				continue;	/* a workspace before heartbeats */
			hb = beat;
			if (beat == 0)
				beat = j->started_at ? j->started_at :
				    j->queued_at;
			if (now - beat <= LAUNCH_LOST_AFTER_MS)
				continue;
			ended = beat;
		} else {
			if (j->supervisor_pid == 0 && now - j->started_at <
			    START_TIMEOUT_MS)
				continue;	/* its supervisor is on its way */
			if (supervisor_alive(j->supervisor_pid, j->id, real))
				continue;
			/* The end is when the log last grew, if it did. */
			ended = now;
			if (j->log_path != NULL && stat(j->log_path, &st) == 0)
				ended = (int64_t)st.st_mtime * 1000;
		}
		if (ended < j->started_at)
			ended = j->started_at;
		if ((rc = db_begin(db, err)) != WB_OK)
			break;
		/* Re-read inside the transaction: it may just have ended. */
		if ((rc = db_job_get(db, j->id, &cur, err)) == WB_OK) {
			if (strcmp(cur.state, j->state) == 0 &&
			    cur.supervisor_pid == j->supervisor_pid &&
			    (!other || (db_job_heartbeat_get(db, j->id, &hb2,
			    NULL) == WB_OK && hb2 == hb))) {
				rc = db_job_ended(db, j->id, "lost", 0, 0, 0,
				    ended, err);
				lost++;
			}
			job_clear(&cur);
		}
		if (rc == WB_OK)
			rc = db_commit(db, err);
		else
			db_rollback(db);
	}
	jobs_free(rows, n);
	free(real);
	if (nlost != NULL)
		*nlost = lost;
	if (rc == WB_OK && lost > 0)
		rc = launch_kick_queue(db, cmd, NULL, err);
	return rc;
}

/* SIGTERM to group pgid, SIGKILL if it is still there after grace. */
static int
kill_orphan(pid_t pgid, int grace, struct wb_err *err)
{
	int	i;

	if (kill(-pgid, SIGTERM) != 0 && errno != ESRCH)
		return wb_err_set(err, WB_EPROC, "kill: %s", strerror(errno));
	for (i = 0; i < grace * 10; i++) {
		if (kill(-pgid, 0) != 0)
			return WB_OK;
		usleep(100000);
	}
	kill(-pgid, SIGKILL);
	return WB_OK;
}

int
launch_kill(struct db *db, int64_t run_id, int grace, struct wb_err *err)
{
	struct job	 j;
	char		 host[256];
	int		 rc;

	if ((rc = db_job_of_run(db, run_id, &j, err)) != WB_OK)
		return rc;
	if (strcmp(j.state, "queued") == 0) {
		rc = db_job_ended(db, j.id, "killed", 0, 0, 0, db_now_ms(),
		    err);
		job_clear(&j);
		return rc;
	}
	if (strcmp(j.state, "lost") == 0 && j.pgid > 0 && j.host != NULL &&
	    strcmp(j.host, launch_host(host)) == 0 &&
	    kill(-(pid_t)j.pgid, 0) == 0) {
		/* Its supervisor died but the job did not: end it here. */
		rc = kill_orphan((pid_t)j.pgid, grace, err);
		job_clear(&j);
		return rc;
	}
	if (strcmp(j.state, "starting") != 0 &&
	    strcmp(j.state, "running") != 0) {
		rc = wb_err_set(err, WB_EINVAL, "the job has already ended "
		    "(%s)", j.state);
		job_clear(&j);
		return rc;
	}
	if (j.host != NULL && strcmp(j.host, launch_host(host)) != 0) {
		rc = wb_err_set(err, WB_EINVAL, "the job runs on host %s, not "
		    "here (%s): run mlwb jobs kill %s on %s", j.host, host,
		    j.run_uuid, j.host);
		job_clear(&j);
		return rc;
	}
	/* Ask first, so that the supervisor reads the end as a kill. */
	rc = db_job_kill_asked(db, j.id, db_now_ms() + (int64_t)grace * 1000,
	    err);
	if (rc == WB_OK && j.pgid > 0 && kill(-(pid_t)j.pgid, SIGTERM) != 0 &&
	    errno != ESRCH)
		rc = wb_err_set(err, WB_EPROC, "kill: %s", strerror(errno));
	job_clear(&j);
	return rc;
}
