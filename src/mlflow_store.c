/*
 * mlflow_store: reads an mlruns/ file store and hands its records to the
 * writer (db_mlflow.h).
 *
 * Layout (MLflow 1.x-3.x):
 *   mlruns/<exp>/meta.yaml              experiment (name, lifecycle_stage)
 *   mlruns/<exp>/tags/<key>                 its tags (mlflow.note.content:
 *                                           its description too)
 *   mlruns/<exp>/<run>/meta.yaml        run (status as an integer 1-5)
 *   mlruns/<exp>/<run>/params/<key>     raw value, no trailing newline
 *   mlruns/<exp>/<run>/tags/<key>       the same
 *   mlruns/<exp>/<run>/metrics/<key>    lines "timestamp value [step]"
 *   mlruns/<exp>/<run>/inputs/<id>/meta.yaml  dataset inputs (2.4+)
 *   mlruns/<exp>/datasets/<id>/meta.yaml      datasets
 *   mlruns/models/<name>/meta.yaml, version-<n>/meta.yaml, aliases/<a>
 *   mlruns/.trash/<exp>/                deleted experiments: read only
 *                                       with --include-deleted
 * A key holding '/' is a subfolder; file names are keys exactly, trailing
 * spaces included.  Entries are read in name order so that an import is
 * reproducible.  Errors name the file, and the line for line formats.
 */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "db.h"
#include "db_mlflow.h"
#include "err.h"
#include "mem.h"
#include "mlflow.h"
#include "mlflow_int.h"
#include "strbuf.h"
#include "yamldoc.h"

#define MAX_DEPTH 32

struct names {
	char	**v;
	size_t	  n;
};

struct store {
	struct mlfw		 *w;
	const struct mlflow_opts *o;
	char			(*runs)[33];	/* taken, for --experiment */
	size_t			  nruns;
};

static int
oom(struct wb_err *err)
{
	return wb_err_set(err, WB_ENOMEM, "out of memory");
}

static void
names_clear(struct names *n)
{
	size_t	i;

	for (i = 0; i < n->n; i++)
		wb_free(n->v[i]);
	wb_free(n->v);
	n->v = NULL;
	n->n = 0;
}

static int
name_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int
is_dir(const char *path)
{
	struct stat	sb;

	return stat(path, &sb) == 0 && S_ISDIR(sb.st_mode);
}

static int
is_file(const char *path)
{
	struct stat	sb;

	return stat(path, &sb) == 0 && S_ISREG(sb.st_mode);
}

/* Entries of dir but "." and "..", sorted.  A missing dir is empty. */
static int
list_dir(const char *dir, struct names *out, struct wb_err *err)
{
	struct dirent	*de;
	DIR		*d;
	char		**nv;

	out->v = NULL;
	out->n = 0;
	if ((d = opendir(dir)) == NULL) {
		if (errno == ENOENT || errno == ENOTDIR)
			return WB_OK;
		return wb_err_set(err, WB_EIO, "%s: %s", dir, strerror(errno));
	}
	while ((de = readdir(d)) != NULL) {
		if (strcmp(de->d_name, ".") == 0 ||
		    strcmp(de->d_name, "..") == 0)
			continue;
		if ((nv = wb_reallocarray(out->v, out->n + 1, sizeof *nv)) ==
		    NULL || (out->v = nv, (nv[out->n] = wb_strdup(de->d_name))
		    == NULL)) {
			closedir(d);
			names_clear(out);
			return oom(err);
		}
		out->n++;
	}
	closedir(d);
	if (out->n > 1)
		qsort(out->v, out->n, sizeof *out->v, name_cmp);
	return WB_OK;
}

static char *
join(const char *a, const char *b)
{
	struct strbuf	sb = STRBUF_INIT;

	strbuf_addf(&sb, "%s/%s", a, b);
	if (sb.oom) {
		strbuf_free(&sb);
		return NULL;
	}
	return strbuf_detach(&sb);
}

/* The whole file, NUL-terminated (*len excludes the NUL). */
static int
read_all(const char *path, char **buf, size_t *len, struct wb_err *err)
{
	struct stat	 sb;
	char		*b;
	size_t		 got = 0;
	ssize_t		 r;
	int		 fd;

	*buf = NULL;
	*len = 0;
	if ((fd = open(path, O_RDONLY)) < 0)
		return wb_err_set(err, WB_EIO, "%s: %s", path, strerror(errno));
	if (fstat(fd, &sb) != 0 || sb.st_size < 0) {
		close(fd);
		return wb_err_set(err, WB_EIO, "%s: %s", path, strerror(errno));
	}
	if ((b = wb_malloc((size_t)sb.st_size + 1)) == NULL) {
		close(fd);
		return oom(err);
	}
	while (got < (size_t)sb.st_size) {
		r = read(fd, b + got, (size_t)sb.st_size - got);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			wb_free(b);
			close(fd);
			return wb_err_set(err, WB_EIO, "%s: %s", path,
			    strerror(errno));
		}
		if (r == 0)
			break;
		got += (size_t)r;
	}
	close(fd);
	b[got] = '\0';
	if (strlen(b) != got) {
		wb_free(b);
		return wb_err_set(err, WB_EPARSE, "%s: holds a NUL byte", path);
	}
	*buf = b;
	*len = got;
	return WB_OK;
}

/* A scalar's text, or NULL. */
static const char *
ystr(const struct ynode *map, const char *key)
{
	const struct ynode	*n = ynode_get(map, key);

	if (n == NULL || n->type != YNODE_SCALAR || ynode_is_null(n))
		return NULL;
	return n->value;
}

static int64_t
yint(const struct ynode *map, const char *key)
{
	const char	*s = ystr(map, key);
	int64_t		 v;

	return s != NULL && mlflow_parse_i64(s, &v) == 0 ? v : 0;
}

/* Load dir/meta.yaml if it exists; *doc NULL if not. */
static int
load_meta(const char *dir, struct ydoc **doc, struct wb_err *err)
{
	char	*p;
	int	 rc = WB_OK;

	*doc = NULL;
	if ((p = join(dir, "meta.yaml")) == NULL)
		return oom(err);
	if (is_file(p))
		rc = ydoc_load_file(p, doc, err);
	wb_free(p);
	return rc;
}

/*
 * Call fn for every file under dir, with its key (the path below dir,
 * '/' between folders) and its path, in name order.
 */
static int
walk(const char *dir, const char *prefix, int depth,
    int (*fn)(void *, const char *, const char *, struct wb_err *),
    void *arg, struct wb_err *err)
{
	struct names	 ents;
	char		*path = NULL, *key = NULL;
	size_t		 i;
	int		 rc;

	if (depth > MAX_DEPTH)
		return wb_err_set(err, WB_EPARSE, "%s: folders nested too "
		    "deep", dir);
	if ((rc = list_dir(dir, &ents, err)) != WB_OK)
		return rc;
	for (i = 0; i < ents.n && rc == WB_OK; i++) {
		path = join(dir, ents.v[i]);
		key = prefix ? join(prefix, ents.v[i]) : wb_strdup(ents.v[i]);
		if (path == NULL || key == NULL)
			rc = oom(err);
		else if (is_dir(path))
			rc = walk(path, key, depth + 1, fn, arg, err);
		else
			rc = fn(arg, key, path, err);
		wb_free(path);
		wb_free(key);
	}
	names_clear(&ents);
	return rc;
}

struct tagset {
	struct names	k, v;
};

static int
tag_collect(void *arg, const char *key, const char *path, struct wb_err *err)
{
	struct tagset	*t = arg;
	char		**nk, **nv, *val;
	size_t		 len;
	int		 rc;

	if ((rc = read_all(path, &val, &len, err)) != WB_OK)
		return rc;
	if ((nk = wb_reallocarray(t->k.v, t->k.n + 1, sizeof *nk)) == NULL) {
		wb_free(val);
		return oom(err);
	}
	t->k.v = nk;
	if ((nv = wb_reallocarray(t->v.v, t->v.n + 1, sizeof *nv)) == NULL) {
		wb_free(val);
		return oom(err);
	}
	t->v.v = nv;
	if ((nk[t->k.n] = wb_strdup(key)) == NULL) {
		wb_free(val);
		return oom(err);
	}
	t->k.n++;
	nv[t->v.n++] = val;
	return WB_OK;
}

static int
param_emit(void *arg, const char *key, const char *path, struct wb_err *err)
{
	struct store	*st = arg;
	char		*val;
	size_t		 len;
	int		 rc;

	if ((rc = read_all(path, &val, &len, err)) != WB_OK)
		return rc;
	rc = mlfw_param(st->w, key, val, err);
	wb_free(val);
	return rc;
}

struct exptag_ctx {
	struct store	*st;
	int64_t		 exp_id;
};

static int
exptag_emit(void *arg, const char *key, const char *path, struct wb_err *err)
{
	struct exptag_ctx	*c = arg;
	char			*val;
	size_t			 len;
	int			 rc;

	if ((rc = read_all(path, &val, &len, err)) != WB_OK)
		return rc;
	rc = mlfw_exp_tag(c->st->w, c->exp_id, key, val, err);
	wb_free(val);
	return rc;
}

/*
 * A metric file, read in blocks so that memory does not grow with its
 * length; a line longer than a block is kept whole in the buffer.
 */
static int
metric_emit(void *arg, const char *key, const char *path, struct wb_err *err)
{
	struct store	*st = arg;
	const char	*why, *p, *nl, *end;
	char		*buf, *nb;
	size_t		 cap = 65536, have = 0, line = 0, used;
	ssize_t		 r;
	int64_t		 ts, step;
	double		 v;
	int		 fd, rc = WB_OK, k, eof = 0;

	if ((fd = open(path, O_RDONLY)) < 0)
		return wb_err_set(err, WB_EIO, "%s: %s", path, strerror(errno));
	if ((buf = wb_malloc(cap)) == NULL) {
		close(fd);
		return oom(err);
	}
	while (rc == WB_OK && !eof) {
		if (have == cap) {
			if ((nb = wb_realloc(buf, cap * 2)) == NULL) {
				rc = oom(err);
				break;
			}
			buf = nb;
			cap *= 2;
		}
		r = read(fd, buf + have, cap - have);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			rc = wb_err_set(err, WB_EIO, "%s: %s", path,
			    strerror(errno));
			break;
		}
		eof = r == 0;
		have += (size_t)r;
		end = buf + have;
		for (p = buf; rc == WB_OK; p = nl + 1) {
			if ((nl = memchr(p, '\n', (size_t)(end - p))) == NULL) {
				if (!eof || p == end)
					break;
				nl = end;	/* last line without newline */
			}
			line++;
			if (memchr(p, '\0', (size_t)(nl - p)) != NULL) {
				rc = wb_err_set(err, WB_EPARSE, "%s:%zu: holds "
				    "a NUL byte", path, line);
				break;
			}
			k = mlflow_metric_line(p, (size_t)(nl - p), &ts, &v,
			    &step, &why);
			if (k < 0)
				rc = wb_err_set(err, WB_EPARSE, "%s:%zu: %s",
				    path, line, why);
			else if (k > 0)
				rc = mlfw_point(st->w, key, step, ts, v, err);
			if (nl == end) {
				p = end;
				break;
			}
		}
		used = (size_t)(p - buf);
		if (used > have)
			used = have;
		memmove(buf, buf + used, have - used);
		have -= used;
	}
	wb_free(buf);
	close(fd);
	return rc;
}

static const char *
tag_value(const struct tagset *t, const char *key)
{
	size_t	i;

	for (i = 0; i < t->k.n; i++)
		if (strcmp(t->k.v[i], key) == 0)
			return t->v.v[i];
	return NULL;
}

/* The dataset inputs of a run (run/inputs/<id>/meta.yaml). */
static int
read_inputs(struct store *st, const char *exp_dir, const char *run_dir,
    const char *uuid, struct wb_err *err)
{
	struct names		 ents;
	struct ydoc		*in = NULL, *ds = NULL;
	struct mlfw_dataset	 d;
	const struct ynode	*tags;
	const char		*src_id;
	char			*idir = NULL, *p = NULL, *dsdir = NULL;
	char			 dsu[33];
	size_t			 i;
	int			 rc;

	if ((idir = join(run_dir, "inputs")) == NULL)
		return oom(err);
	rc = list_dir(idir, &ents, err);
	for (i = 0; rc == WB_OK && i < ents.n; i++) {
		if ((p = join(idir, ents.v[i])) == NULL) {
			rc = oom(err);
			break;
		}
		if ((rc = load_meta(p, &in, err)) != WB_OK || in == NULL ||
		    in->root == NULL || in->root->type != YNODE_MAP)
			goto next;
		src_id = ystr(in->root, "source_id");
		if (src_id == NULL || strchr(src_id, '/') != NULL ||
		    strcmp(src_id, "..") == 0 ||
		    strcasecmp(ystr(in->root, "source_type") ?
		    ystr(in->root, "source_type") : "", "DATASET") != 0)
			goto next;
		wb_free(dsdir);
		if ((dsdir = join(exp_dir, "datasets")) == NULL) {
			rc = oom(err);
			goto next;
		}
		wb_free(p);
		if ((p = join(dsdir, src_id)) == NULL) {
			rc = oom(err);
			goto next;
		}
		if ((rc = load_meta(p, &ds, err)) != WB_OK || ds == NULL ||
		    ds->root == NULL || ds->root->type != YNODE_MAP)
			goto next;
		memset(&d, 0, sizeof d);
		d.uuid = mlflow_uuid(src_id, dsu) == 0 ? dsu : src_id;
		d.name = ystr(ds->root, "name");
		d.digest = ystr(ds->root, "digest");
		d.source_type = ystr(ds->root, "source_type");
		d.source = ystr(ds->root, "source");
		d.schema = ystr(ds->root, "schema");
		d.n_rows = -1;
		tags = ynode_get(in->root, "tags");
		rc = mlfw_input(st->w, uuid, &d, tags && tags->type ==
		    YNODE_MAP ? ystr(tags, "mlflow.data.context") : NULL, err);
next:
		ydoc_free(in);
		ydoc_free(ds);
		in = ds = NULL;
		wb_free(p);
		p = NULL;
	}
	names_clear(&ents);
	wb_free(dsdir);
	wb_free(idir);
	return rc;
}

static int
read_run(struct store *st, const char *exp_dir, const char *run_dir,
    const struct ydoc *meta, int64_t exp_id, struct wb_err *err)
{
	struct mlflow_run_meta	 m;
	struct tagset		 t;
	struct mlfw_run		 r;
	char			*file, *sub = NULL, (*nr)[33];
	size_t			 i;
	int			 rc;

	memset(&t, 0, sizeof t);
	if ((file = join(run_dir, "meta.yaml")) == NULL)
		return oom(err);
	rc = mlflow_run_meta(meta->root, file, &m, err);
	wb_free(file);
	if (rc != WB_OK)
		return rc;
	if (m.deleted && !st->o->include_deleted) {
		mlfw_skip(st->w);
		return WB_OK;
	}
	if ((nr = wb_reallocarray(st->runs, st->nruns + 1, sizeof *nr)) ==
	    NULL)
		return oom(err);
	st->runs = nr;
	memcpy(st->runs[st->nruns++], m.uuid, 33);

	if ((sub = join(run_dir, "tags")) == NULL)
		return oom(err);
	rc = walk(sub, NULL, 0, tag_collect, &t, err);
	wb_free(sub);
	if (rc != WB_OK)
		goto out;
	memset(&r, 0, sizeof r);
	memcpy(r.uuid, m.uuid, sizeof r.uuid);
	r.name = m.name && *m.name ? m.name : tag_value(&t, "mlflow.runName");
	r.status = m.status;
	r.source = m.source && *m.source ? m.source :
	    tag_value(&t, "mlflow.source.name");
	r.git_commit = m.source_version && *m.source_version ?
	    m.source_version : tag_value(&t, "mlflow.source.git.commit");
	r.user = m.user && *m.user ? m.user : tag_value(&t, "mlflow.user");
	r.started_at = m.start_time;
	r.ended_at = m.end_time;
	/* Deleted in MLflow (read with --include-deleted): deleted here. */
	r.deleted_at = m.deleted ? db_now_ms() : 0;
	if ((rc = mlfw_run(st->w, &r, exp_id, err)) != WB_OK)
		goto out;
	for (i = 0; i < t.k.n; i++)
		if ((rc = mlfw_tag(st->w, t.k.v[i], t.v.v[i], err)) != WB_OK)
			goto out;
	if ((sub = join(run_dir, "params")) == NULL) {
		rc = oom(err);
		goto out;
	}
	rc = walk(sub, NULL, 0, param_emit, st, err);
	wb_free(sub);
	if (rc != WB_OK)
		goto out;
	if ((sub = join(run_dir, "metrics")) == NULL) {
		rc = oom(err);
		goto out;
	}
	rc = walk(sub, NULL, 0, metric_emit, st, err);
	wb_free(sub);
	if (rc != WB_OK)
		goto out;
	if ((rc = mlfw_run_end(st->w, err)) != WB_OK)
		goto out;
	rc = read_inputs(st, exp_dir, run_dir, m.uuid, err);
out:
	names_clear(&t.k);
	names_clear(&t.v);
	return rc;
}

/* One experiment folder; *matched counts those taken. */
/* The folders of an experiment that are not runs. */
static int
not_run(const char *name)
{
	return strcmp(name, "tags") == 0 || strcmp(name, "datasets") == 0 ||
	    strcmp(name, "models") == 0 || strcmp(name, "traces") == 0;
}

static int
read_experiment(struct store *st, const char *dir, const struct ydoc *meta,
    int *matched, struct wb_err *err)
{
	struct names	 ents;
	struct ydoc	*rm;
	const char	*name, *stage;
	char		*p, *note = NULL;
	size_t		 len, i, n;
	int64_t		 exp_id;
	int		 rc, deleted;

	if (meta->root == NULL || meta->root->type != YNODE_MAP ||
	    (name = ystr(meta->root, "name")) == NULL)
		return WB_OK;	/* not an experiment's meta.yaml */
	stage = ystr(meta->root, "lifecycle_stage");
	deleted = stage != NULL && strcmp(stage, "deleted") == 0;
	if (deleted && !st->o->include_deleted)
		return WB_OK;
	/* --experiment takes MLflow's experiment id too. */
	if (st->o->experiment != NULL && strcmp(st->o->experiment, name) != 0 &&
	    (ystr(meta->root, "experiment_id") == NULL ||
	    strcmp(st->o->experiment, ystr(meta->root, "experiment_id")) != 0))
		return WB_OK;
	(*matched)++;
	if ((p = join(dir, "tags/mlflow.note.content")) == NULL)
		return oom(err);
	if (is_file(p) && (rc = read_all(p, &note, &len, err)) != WB_OK) {
		wb_free(p);
		return rc;
	}
	wb_free(p);
	rc = mlfw_experiment(st->w, name, note, yint(meta->root,
	    "creation_time"), deleted, &exp_id, err);
	wb_free(note);
	if (rc != WB_OK)
		return rc;
	if ((p = join(dir, "tags")) == NULL)
		return oom(err);
	if (is_dir(p)) {
		struct exptag_ctx	c = { st, exp_id };

		rc = walk(p, NULL, 0, exptag_emit, &c, err);
	}
	wb_free(p);
	if (rc != WB_OK)
		return rc;
	if ((rc = list_dir(dir, &ents, err)) != WB_OK)
		return rc;
	/* Runs are folders named by their UUID: no dot (meta.yaml). */
	for (i = 0, n = 0; i < ents.n; i++)
		n += !not_run(ents.v[i]) && strchr(ents.v[i], '.') == NULL;
	mlfw_runs_ahead(st->w, (int64_t)n);
	for (i = 0; i < ents.n && rc == WB_OK; i++) {
		if (not_run(ents.v[i]))
			continue;
		if ((p = join(dir, ents.v[i])) == NULL) {
			rc = oom(err);
			break;
		}
		if (is_dir(p) && (rc = load_meta(p, &rm, err)) == WB_OK &&
		    rm != NULL) {
			rc = read_run(st, dir, p, rm, exp_id, err);
			ydoc_free(rm);
		}
		wb_free(p);
	}
	names_clear(&ents);
	return rc;
}

static int
run_taken(const struct store *st, const char *run_id)
{
	char	u[33];
	size_t	i;

	if (run_id == NULL || mlflow_uuid(run_id, u) != 0)
		return 0;
	for (i = 0; i < st->nruns; i++)
		if (memcmp(st->runs[i], u, 33) == 0)
			return 1;
	return 0;
}

/* One registered model folder: versions, aliases, stages. */
static int
read_model(struct store *st, const char *dir, const char *source,
    struct wb_err *err)
{
	struct names	 ents;
	struct ydoc	*mm = NULL, *vm;
	const char	*stage, *name;
	char		*p, *val;
	size_t		 i, len;
	int64_t		 model_id = 0, ver, best[2] = { 0, 0 }, *kept = NULL,
			*nk;
	size_t		 nkept = 0, j;
	int		 rc, explicit[2] = { 0, 0 };
	static const char *const stages[2] = { "Staging", "Production" };

	if ((rc = load_meta(dir, &mm, err)) != WB_OK || mm == NULL)
		return rc;
	if (mm->root == NULL || mm->root->type != YNODE_MAP ||
	    (name = ystr(mm->root, "name")) == NULL) {
		ydoc_free(mm);
		return WB_OK;
	}
	/* A model without versions is kept too, unless taking a part. */
	if (st->o->experiment == NULL && (rc = mlfw_model(st->w, name,
	    ystr(mm->root, "description"), yint(mm->root,
	    "creation_timestamp"), &model_id, err)) != WB_OK) {
		ydoc_free(mm);
		return rc;
	}
	if ((rc = list_dir(dir, &ents, err)) != WB_OK) {
		ydoc_free(mm);
		return rc;
	}
	for (i = 0; i < ents.n && rc == WB_OK; i++) {
		if (strncmp(ents.v[i], "version-", 8) != 0)
			continue;
		if ((p = join(dir, ents.v[i])) == NULL) {
			rc = oom(err);
			break;
		}
		rc = load_meta(p, &vm, err);
		wb_free(p);
		if (rc != WB_OK || vm == NULL)
			continue;
		if (vm->root == NULL || vm->root->type != YNODE_MAP ||
		    (ver = yint(vm->root, "version")) <= 0)
			goto next;
		stage = ystr(vm->root, "current_stage");
		if (stage != NULL && strcasecmp(stage, "Deleted_Internal") == 0)
			goto next;
		if (st->o->experiment != NULL &&
		    !run_taken(st, ystr(vm->root, "run_id")))
			goto next;
		if (model_id == 0 && (rc = mlfw_model(st->w, name,
		    ystr(mm->root, "description"), yint(mm->root,
		    "creation_timestamp"), &model_id, err)) != WB_OK)
			goto next;
		{
			const char *src = ystr(vm->root, "source");
			const char *loc = ystr(vm->root, "storage_location");

			if (src != NULL && strncmp(src, "models:/", 8) == 0 &&
			    loc != NULL && *loc != '\0')
				src = loc;
			rc = mlfw_version(st->w, model_id, ver,
			    ystr(vm->root, "run_id"),
			    mlflow_lmodel_of(ystr(vm->root, "source")), src,
			    ystr(vm->root, "description"),
			    yint(vm->root, "creation_timestamp"), err);
		}
		if (rc == WB_OK) {
			if ((nk = wb_reallocarray(kept, nkept + 1,
			    sizeof *nk)) == NULL)
				rc = oom(err);
			else {
				kept = nk;
				kept[nkept++] = ver;
			}
		}
		for (j = 0; j < 2; j++)
			if (stage != NULL && strcasecmp(stage, stages[j]) == 0 &&
			    ver > best[j])
				best[j] = ver;
next:
		ydoc_free(vm);
	}
	names_clear(&ents);
	if (rc != WB_OK || model_id == 0)
		goto out;
	if ((p = join(dir, "aliases")) == NULL) {
		rc = oom(err);
		goto out;
	}
	rc = list_dir(p, &ents, err);
	for (i = 0; i < ents.n && rc == WB_OK; i++) {
		char	*f = join(p, ents.v[i]);

		if (f == NULL) {
			rc = oom(err);
			break;
		}
		for (j = 0; j < 2; j++)
			if (strcasecmp(ents.v[i], stages[j]) == 0)
				explicit[j] = 1;
		if (is_file(f) && (rc = read_all(f, &val, &len, err)) ==
		    WB_OK) {
			while (len > 0 && (val[len - 1] == '\n' ||
			    val[len - 1] == '\r' || val[len - 1] == ' '))
				val[--len] = '\0';
			if (mlflow_parse_i64(val, &ver) != 0)
				rc = wb_err_set(err, WB_EPARSE, "%s:1: not a "
				    "version number", f);
			else {
				for (j = 0; j < nkept && kept[j] != ver; j++)
					;
				if (j < nkept)
					rc = mlfw_alias(st->w, model_id,
					    ents.v[i], ver, source, err);
			}
			wb_free(val);
		}
		wb_free(f);
	}
	names_clear(&ents);
	wb_free(p);
	for (j = 0; j < 2 && rc == WB_OK; j++)
		if (best[j] > 0 && !explicit[j])
			rc = mlfw_alias(st->w, model_id, stages[j], best[j],
			    source, err);
out:
	wb_free(kept);
	ydoc_free(mm);
	return rc;
}

int
mlflow_store_read(struct mlfw *w, const char *path,
    const struct mlflow_opts *o, struct wb_err *err)
{
	struct store	 st;
	struct names	 ents;
	struct ydoc	*meta;
	const char	*dir;
	char		*root = NULL, *trash = NULL, *p, *models;
	size_t		 i;
	int		 rc, matched = 0, experiments = 0, pass;

	memset(&st, 0, sizeof st);
	st.w = w;
	st.o = o;
	/* A project folder holding mlruns/ will do too. */
	if ((p = join(path, "mlruns")) == NULL)
		return oom(err);
	if (is_dir(p))
		root = p;
	else {
		wb_free(p);
		if ((root = wb_strdup(path)) == NULL)
			return oom(err);
	}
	/* Deleted experiments live in .trash/: read only when asked. */
	if ((trash = join(root, ".trash")) == NULL) {
		wb_free(root);
		return oom(err);
	}
	for (pass = 0; pass < (o->include_deleted ? 2 : 1); pass++) {
		dir = pass == 0 ? root : trash;
		if ((rc = list_dir(dir, &ents, err)) != WB_OK)
			goto out;
		for (i = 0; i < ents.n && rc == WB_OK; i++) {
			if (ents.v[i][0] == '.' ||
			    (pass == 0 && strcmp(ents.v[i], "models") == 0))
				continue;
			if ((p = join(dir, ents.v[i])) == NULL) {
				rc = oom(err);
				break;
			}
			if (is_dir(p) && (rc = load_meta(p, &meta, err)) ==
			    WB_OK && meta != NULL) {
				experiments++;
				rc = read_experiment(&st, p, meta, &matched,
				    err);
				ydoc_free(meta);
			}
			wb_free(p);
		}
		names_clear(&ents);
		if (rc != WB_OK)
			goto out;
	}
	if ((models = join(root, "models")) == NULL) {
		rc = oom(err);
		goto out;
	}
	if (experiments == 0 && !is_dir(models))
		rc = wb_err_set(err, WB_EFORMAT, "%s: not an mlruns/ folder (no "
		    "experiment with a meta.yaml)", path);
	else if (o->experiment != NULL && matched == 0)
		rc = wb_err_set(err, WB_ENOTFOUND, "%s: no experiment named "
		    "'%s'%s", path, o->experiment, o->include_deleted ? "" :
		    " (deleted ones need --include-deleted)");
	else
		rc = list_dir(models, &ents, err);
	for (i = 0; rc == WB_OK && i < ents.n; i++) {
		if ((p = join(models, ents.v[i])) == NULL) {
			rc = oom(err);
			break;
		}
		if (is_dir(p))
			rc = read_model(&st, p, path, err);
		wb_free(p);
	}
	names_clear(&ents);
	wb_free(models);
out:
	wb_free(st.runs);
	wb_free(trash);
	wb_free(root);
	return rc;
}
