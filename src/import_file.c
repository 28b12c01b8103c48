/*
 * import_file: one file's import from start to end: default experiment
 * and run names from the path, the transaction, reading the file once
 * (hashing what is parsed), and the ledger.
 */
#include "config.h"

#include "import.h"
#include "import_int.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "csvread.h"
#include "db.h"
#include "db_metric.h"
#include "db_run.h"
#include "err.h"
#include "mem.h"
#include "sha256.h"
#include "strbuf.h"
#include "tfevents.h"

/* Log files whose name says nothing: the run is the folder they are in. */
static const char *const generic_names[] = {
	"metrics.csv", "results.csv", "progress.csv", "metrics.json",
	"trainer_state.json", "training.log", "log.csv", "history.csv",
	"training_log.csv", "result.json", NULL
};

/* Sidecar files, read with their log, never imported on their own. */
static const char *const sidecars[] = {
	"meta_tags.csv", "hparams.yaml", "args.yaml", "opt.yaml",
	"params.json", NULL
};

static int
in_list(const char *s, const char *const *list)
{
	size_t	i;

	for (i = 0; list[i] != NULL; i++)
		if (strcmp(s, list[i]) == 0)
			return 1;
	return 0;
}

static const char *
base_of(const char *path)
{
	const char	*s = strrchr(path, '/');

	return s ? s + 1 : path;
}

int
import_is_events(const char *base)
{
	return tfe_is_event_file(base);
}

int
import_wanted(const char *path)
{
	const char	*b = base_of(path), *dot = strrchr(b, '.');

	if (in_list(b, sidecars) || dot == NULL)
		return 0;
	if (strcasecmp(dot, ".csv") == 0)
		return 1;
	/* Ray Tune writes each trial's results twice: progress.csv and
	 * result.json lines.  The CSV is taken when both are there. */
	if (strcmp(b, "result.json") == 0) {
		struct stat	sb;
		char		p[PATH_MAX];

		if (snprintf(p, sizeof p, "%.*sprogress.csv", (int)(b - path),
		    path) < (int)sizeof p && stat(p, &sb) == 0)
			return 0;
	}
	return in_list(b, generic_names);
}

/* The last component of dir (borrowed from a new string in *out). */
static char *
last_dir(const char *dir)
{
	const char	*s;
	size_t		 len = strlen(dir);

	while (len > 1 && dir[len - 1] == '/')
		len--;
	for (s = dir + len; s > dir && s[-1] != '/'; s--)
		;
	return wb_strndup(s, (size_t)(dir + len - s));
}

static char *
parent_dir(const char *dir)
{
	const char	*s = strrchr(dir, '/');

	if (s == NULL || s == dir)
		return wb_strdup("/");
	return wb_strndup(dir, (size_t)(s - dir));
}

/*
 * What both namings end with: --run overrides the run name found, the
 * experiment (--experiment, else exp, else "Default") is made if need
 * be, and the result shows both.  WB_ENOMEM with err unset when out of
 * memory (the callers report it).
 */
static int
names_settle(struct imp *im, const char *exp, struct wb_err *err)
{
	int	rc;

	if (im->opts->run != NULL) {
		wb_free(im->run_name);
		if ((im->run_name = wb_strdup(im->opts->run)) == NULL)
			return WB_ENOMEM;
	}
	rc = db_exp_ensure(im->db, im->opts->experiment ?
	    im->opts->experiment : (exp[0] && strcmp(exp, "/") != 0 &&
	    strcmp(exp, ".") != 0 ? exp : "Default"), &im->exp_id, err);
	snprintf(im->res->experiment, sizeof im->res->experiment, "%s",
	    im->opts->experiment ? im->opts->experiment : exp);
	snprintf(im->res->run, sizeof im->res->run, "%s", im->run_name);
	return rc;
}

/*
 * Default names: a generic file name takes its folder as the run and the
 * folder above as the experiment (skipping lightning_logs); another name
 * is the run itself, in its folder's experiment.  TensorBoard's
 * run-NAME-tag-METRIC.csv names both the run and the metric.
 */
static int
names_from_path(struct imp *im, const char *path, struct wb_err *err)
{
	const char	*b = base_of(path), *dot;
	char		*dir = NULL, *up = NULL, *parent = NULL, *grand = NULL;
	char		*exp = NULL;
	int		 rc = WB_ENOMEM;

	if ((dir = parent_dir(path)) == NULL || (parent = last_dir(dir)) ==
	    NULL || (up = parent_dir(dir)) == NULL ||
	    (grand = last_dir(up)) == NULL)
		goto out;
	if (strcmp(grand, "lightning_logs") == 0) {
		char *up2 = parent_dir(up);

		wb_free(grand);
		grand = up2 ? last_dir(up2) : NULL;
		wb_free(up2);
		if (grand == NULL)
			goto out;
	}
	if (strncmp(b, "run-", 4) == 0 && strstr(b, "-tag-") != NULL) {
		const char *t = strstr(b, "-tag-");
		size_t tl;

		im->run_name = (t - b == 5 && b[4] == '.') ?
		    wb_strdup(parent) : wb_strndup(b + 4, (size_t)(t - b - 4));
		tl = strlen(t + 5);
		if (tl > 4 && strcasecmp(t + 5 + tl - 4, ".csv") == 0)
			tl -= 4;
		im->tb_tag = wb_strndup(t + 5, tl);
		exp = wb_strdup(t - b == 5 && b[4] == '.' ? grand : parent);
	} else if (in_list(b, generic_names)) {
		im->run_name = wb_strdup(parent);
		exp = wb_strdup(grand);
	} else {
		dot = strrchr(b, '.');
		im->run_name = wb_strndup(b, dot ? (size_t)(dot - b) :
		    strlen(b));
		exp = wb_strdup(parent);
	}
	if (im->tb_tag == NULL)
		im->tb_tag = wb_strdup("value");
	if (im->run_name == NULL || exp == NULL || im->tb_tag == NULL)
		goto out;
	rc = names_settle(im, exp, err);
out:
	if (rc == WB_ENOMEM)
		wb_err_set(err, WB_ENOMEM, "out of memory");
	wb_free(dir);
	wb_free(up);
	wb_free(parent);
	wb_free(grand);
	wb_free(exp);
	return rc;
}

/*
 * Names of a folder of event files: its path under the logdir the user
 * named is the run ("train", "fold1/val"), in the logdir's experiment; a
 * folder given itself is the run, in the folder above's experiment.
 * lightning_logs is skipped as for CSV logs.
 */
static int
names_for_events(struct imp *im, const char *dir, struct wb_err *err)
{
	char		 root[PATH_MAX];
	char		*exp = NULL, *up = NULL, *top = NULL;
	const char	*rel = NULL;
	size_t		 rl;
	int		 rc = WB_ENOMEM;

	if (im->opts->logdir != NULL && realpath(im->opts->logdir, root) !=
	    NULL) {
		rl = strlen(root);
		if (strncmp(dir, root, rl) == 0 && dir[rl] == '/' &&
		    dir[rl + 1] != '\0')
			rel = dir + rl + 1;
	}
	top = rel != NULL ? wb_strdup(root) : parent_dir(dir);
	if (top == NULL || (exp = last_dir(top)) == NULL)
		goto out;
	if (strcmp(exp, "lightning_logs") == 0) {
		wb_free(exp);
		exp = NULL;
		if ((up = parent_dir(top)) == NULL || (exp = last_dir(up)) ==
		    NULL)
			goto out;
	}
	im->run_name = rel != NULL ? wb_strdup(rel) : last_dir(dir);
	if (im->run_name == NULL || (im->tb_tag = wb_strdup("value")) == NULL)
		goto out;
	rc = names_settle(im, exp, err);
out:
	if (rc == WB_ENOMEM)
		wb_err_set(err, WB_ENOMEM, "out of memory");
	wb_free(exp);
	wb_free(up);
	wb_free(top);
	return rc;
}

int
imp_long_run(struct imp *im, const char *name, int64_t *run_id,
    struct wb_err *err)
{
	struct long_run	*nl;
	size_t		 i;
	int		 rc;

	for (i = im->nlruns; i > 0; i--) {
		if (strcmp(im->lruns[i - 1].name, name) == 0) {
			*run_id = im->lruns[i - 1].id;
			return WB_OK;
		}
	}
	if ((nl = wb_reallocarray(im->lruns, im->nlruns + 1, sizeof *nl)) ==
	    NULL)
		return wb_err_set(err, WB_ENOMEM, "out of memory");
	im->lruns = nl;
	if ((rc = imp_run_new(im, name, NULL, "finished", 0, 0, run_id, err))
	    != WB_OK)
		return rc;
	if ((nl[im->nlruns].name = wb_strdup(name)) == NULL)
		return wb_err_set(err, WB_ENOMEM, "out of memory");
	nl[im->nlruns++].id = *run_id;
	return WB_OK;
}

static void
imp_free(struct imp *im)
{
	size_t	i;

	mw_close(im->mw);
	wb_free(im->path_abs);
	wb_free(im->dir);
	wb_free(im->run_name);
	wb_free(im->tb_tag);
	wb_free(im->keys);
	for (i = 0; i < im->nlruns; i++)
		wb_free(im->lruns[i].name);
	wb_free(im->lruns);
}

static int
is_json(const char *name, const char *head, size_t len)
{
	size_t	i;
	size_t	nl = strlen(name);

	if (nl > 5 && strcasecmp(name + nl - 5, ".json") == 0)
		return 1;
	for (i = 0; i < len; i++)
		if (head[i] != ' ' && head[i] != '\n' && head[i] != '\r' &&
		    head[i] != '\t')
			return head[i] == '{' || head[i] == '[';
	return 0;
}

/*
 * The file being imported is opened once and read once: the bytes hashed
 * for the ledger are the bytes parsed, as they are read.  Its status at
 * open is kept, so that a file written to while it is read (a log still
 * growing, an editor saving) fails the import instead of giving a mix of
 * two versions and a hash of neither.
 */
struct source {
	FILE		*fp;
	struct stat	 st;		/* at open */
};

static int
source_open(struct source *src, const char *path, struct wb_err *err)
{
	if ((src->fp = fopen(path, "rb")) == NULL)
		return wb_err_set(err, WB_EIO, "%s: %s", path, strerror(errno));
	if (fstat(fileno(src->fp), &src->st) != 0) {
		fclose(src->fp);
		src->fp = NULL;
		return wb_err_set(err, WB_EIO, "%s: %s", path, strerror(errno));
	}
	/* import_file looked at the path; this is what was opened. */
	if (!S_ISREG(src->st.st_mode)) {
		fclose(src->fp);
		src->fp = NULL;
		return wb_err_set(err, WB_EINVAL, "%s: not a regular file",
		    path);
	}
	return WB_OK;
}

/*
 * After the whole file was read (nread bytes through fd): WB_OK if it is
 * still the file opened, of the size it had, not modified since.
 */
static int
source_unchanged(const struct source *src, int fd, const char *path,
    uint64_t nread, struct wb_err *err)
{
	struct stat	now;

	if (fstat(fd, &now) != 0)
		return wb_err_set(err, WB_EIO, "%s: %s", path, strerror(errno));
	if (nread != (uint64_t)src->st.st_size || now.st_size !=
	    src->st.st_size || now.st_mtim.tv_sec != src->st.st_mtim.tv_sec ||
	    now.st_mtim.tv_nsec != src->st.st_mtim.tv_nsec)
		return wb_err_set(err, WB_EIO, "%s: the file changed while it "
		    "was imported (%lld bytes at the start, %lld read, %lld "
		    "now); nothing imported, try again when it is complete",
		    path, (long long)src->st.st_size, (long long)nread,
		    (long long)now.st_size);
	return WB_OK;
}

/* The rest of fp (JSON logs are megabytes at most), hashed as read. */
static int
slurp(FILE *fp, const char *path, struct sha256 *hash, char **buf,
    size_t *len, struct wb_err *err)
{
	struct strbuf	 sb = STRBUF_INIT;
	char		 tmp[65536];
	size_t		 n;

	while ((n = fread(tmp, 1, sizeof tmp, fp)) > 0) {
		sha256_update(hash, tmp, n);
		if (strbuf_add(&sb, tmp, n) != 0)
			break;
	}
	if (ferror(fp)) {
		strbuf_free(&sb);
		return wb_err_set(err, WB_EIO, "%s: read error", path);
	}
	if (sb.oom) {
		strbuf_free(&sb);
		return wb_err_set(err, WB_ENOMEM, "out of memory");
	}
	*len = sb.len;
	*buf = strbuf_detach(&sb);
	return *buf ? WB_OK : wb_err_set(err, WB_ENOMEM, "out of memory");
}

/* The event files of the folder; messages name it as the user did. */
static int
tfevents_body(struct imp *im, char hex[65], struct wb_err *err)
{
	struct stat	 sb;
	char		*shown = NULL;
	int		 rc;

	if (stat(im->name, &sb) == 0 && !S_ISDIR(sb.st_mode) &&
	    (shown = strchr(im->name, '/') == NULL ? wb_strdup(".") :
	    parent_dir(im->name)) == NULL)
		return wb_err_set(err, WB_ENOMEM, "out of memory");
	rc = imp_tfevents(im, im->path_abs, shown ? shown : im->name, hex,
	    err);
	wb_free(shown);
	return rc;
}

/*
 * The body shared by files and buffers: inside the caller's transaction,
 * parse, write, then check the ledger.
 */
static int	finish(struct imp *, const char *, struct wb_err *);

static int
import_body(struct imp *im, const char *buf, size_t len, struct wb_err *err)
{
	struct import_rec	 rec;
	struct csvread		*r = NULL;
	struct source		 src;
	struct sha256		 hash;
	char			 hex[65], head[64];
	char			*own = NULL;
	size_t			 hl = 0;
	int			 rc, fd = -1, json;

	memset(&src, 0, sizeof src);
	if (im->events) {
		memset(&rec, 0, sizeof rec);
		rec.path = im->path_abs;
		rec.sha256 = "pending";
		rec.format = "pending";
		if ((rc = db_import_add(im->db, &rec, &im->import_id, err)) !=
		    WB_OK || (rc = names_for_events(im, im->path_abs, err)) !=
		    WB_OK || (rc = mw_open(im->db, &im->mw, err)) != WB_OK ||
		    (rc = tfevents_body(im, hex, err)) != WB_OK)
			return rc;
		return finish(im, hex, err);
	}
	if (buf != NULL) {
		hl = len < sizeof head ? len : sizeof head;
		memcpy(head, buf, hl);
	} else {
		if ((rc = source_open(&src, im->name, err)) != WB_OK)
			return rc;
		fd = fileno(src.fp);
		hl = fread(head, 1, sizeof head, src.fp);
		if (ferror(src.fp) || fseek(src.fp, 0, SEEK_SET) != 0) {
			fclose(src.fp);
			return wb_err_set(err, WB_EIO, "%s: %s", im->name,
			    strerror(errno));
		}
	}
	json = is_json(im->name, head, hl);

	memset(&rec, 0, sizeof rec);
	rec.path = im->path_abs ? im->path_abs : im->name;
	rec.size = buf != NULL ? (int64_t)len : (int64_t)src.st.st_size;
	rec.sha256 = "pending";
	rec.format = "pending";
	if ((rc = db_import_add(im->db, &rec, &im->import_id, err)) != WB_OK ||
	    (rc = names_from_path(im, im->path_abs ? im->path_abs : im->name,
	    err)) != WB_OK || (rc = mw_open(im->db, &im->mw, err)) != WB_OK) {
		if (src.fp != NULL)
			fclose(src.fp);
		return rc;
	}

	sha256_init(&hash);
	if (json) {
		if (buf == NULL) {
			rc = slurp(src.fp, im->name, &hash, &own, &len, err);
			if (rc == WB_OK)
				rc = source_unchanged(&src, fd, im->name,
				    hash.len, err);
			fclose(src.fp);
			if (rc != WB_OK) {
				sha256_free(&hash);
				return rc;
			}
			buf = own;
		} else
			sha256_update(&hash, buf, len);
		rc = imp_json(im, buf, len, err);
		wb_free(own);
	} else {
		if (buf != NULL)
			rc = csvread_open_mem(buf, len, im->name, &r, err);
		else
			rc = csvread_open_fp(src.fp, im->name, &r, err);
		if (rc == WB_OK) {
			/* Hashed by the reader, line by line as parsed. */
			csvread_set_hash(r, &hash);
			csvread_set_progress(r, im->opts->progress,
			    (uint64_t)rec.size);
			csvread_refuse_nul(r);
			rc = imp_csv(im, r, err);
		}
		if (rc == WB_OK && buf == NULL)
			rc = source_unchanged(&src, fd, im->name, hash.len,
			    err);
		csvread_close(r);
	}
	if (rc != WB_OK) {
		sha256_free(&hash);
		return rc;
	}
	if (sha256_hex(&hash, hex) != WB_OK)
		return wb_err_set(err, WB_ENOMEM, "%s: cannot hash (libcrypto"
		    " failed)", im->name);
	return finish(im, hex, err);
}

/* After a successful parse: the ledger decides, then records. */
static int
finish(struct imp *im, const char *hex, struct wb_err *err)
{
	int64_t	earlier, at;
	int	rc;

	if ((rc = mw_flush(im->mw, err)) != WB_OK)
		return rc;
	if (im->ws != NULL) {
		int	found;

		/* A first look; imp_publish decides under the write lock. */
		if ((rc = imp_ws_earlier(im, hex, im->res->format, &found,
		    err)) != WB_OK)
			return rc;
		earlier = found;
	} else if ((rc = db_import_earlier(im->db, hex, im->res->format,
	    im->import_id, &earlier, &at, err)) != WB_OK)
		return rc;
	if (earlier != 0) {
		im->res->already = 1;
		return WB_OK;
	}
	if (im->unsafe > 0)
		snprintf(im->res->warning, sizeof im->res->warning, "skipped "
		    "%d parameter value%s with unsafe YAML tags (such as "
		    "!!python/object), never executed", im->unsafe,
		    im->unsafe == 1 ? "" : "s");
	if (im->skipped_runs > 0 && im->res->warning[0] == '\0')
		snprintf(im->res->warning, sizeof im->res->warning, "%lld "
		    "run%s already in the workspace (same UUID), kept as they "
		    "were", (long long)im->skipped_runs,
		    im->skipped_runs == 1 ? "" : "s");
	return db_import_finish(im->db, im->import_id, hex, im->res->format,
	    im->res->runs, im->res->points, err);
}

/*
 * One import of name (buf/len, or the file path_abs) into db: parsed into
 * a stage unless direct, then published (see struct imp).
 */
static int
import_once(struct db *db, int direct, const char *name, const char *path_abs,
    int events, const char *buf, size_t len, const struct import_opts *opts,
    struct import_result *res, struct imp *im, struct wb_err *err)
{
	struct db	*stage = NULL;
	int		 rc;

	memset(res, 0, sizeof *res);
	memset(im, 0, sizeof *im);
	im->db = db;
	im->opts = opts;
	im->res = res;
	im->name = name;
	im->buf = buf;
	im->buflen = len;
	im->events = events;
	if (path_abs != NULL) {
		if ((im->path_abs = wb_strdup(path_abs)) == NULL ||
		    (im->dir = events ? wb_strdup(path_abs) :
		    parent_dir(path_abs)) == NULL)
			return wb_err_set(err, WB_ENOMEM, "out of memory");
	}
	if (!direct) {
		if ((rc = imp_stage_open(db, &stage, err)) == WB_ENOMEM)
			return rc;
		if (rc == WB_OK) {
			im->db = stage;
			im->ws = db;
		}
	}
	rc = im->ws != NULL ? imp_stage_begin(im->db, err) :
	    db_begin(im->db, err);
	if (rc != WB_OK) {
		db_close(stage);
		return rc;
	}
	rc = import_body(im, buf, len, err);
	mw_close(im->mw);
	im->mw = NULL;
	if (rc == WB_OK && !res->already && !opts->dry_run) {
		/* Every row parsed; nothing committed, nothing published. */
		db_test_stall("MLWB_TEST_IMPORT_STALL");
		rc = db_commit(im->db, err);
	} else
		db_rollback(im->db);
	/* The stage is complete: publish it, holding the lock only now. */
	if (rc == WB_OK && im->ws != NULL && !res->already && !opts->dry_run)
		rc = imp_publish(im, err);
	db_close(stage);
	return rc;
}

static int
import_common(struct db *db, const char *name, const char *path_abs,
    int events, const char *buf, size_t len, const struct import_opts *opts,
    struct import_result *res, struct wb_err *err)
{
	struct imp	im;
	int		rc;

	rc = import_once(db, 0, name, path_abs, events, buf, len, opts, res,
	    &im, err);
	if (rc != WB_OK && im.need_direct) {
		/* It adds to a run already there: parse into the workspace. */
		imp_free(&im);
		rc = import_once(db, 1, name, path_abs, events, buf, len, opts,
		    res, &im, err);
	}
	imp_free(&im);
	return rc;
}

int
import_file(struct db *db, const char *path, const struct import_opts *opts,
    struct import_result *res, struct wb_err *err)
{
	struct stat	sb;
	char		abs[PATH_MAX];

	memset(res, 0, sizeof *res);
	if (stat(path, &sb) != 0)
		return wb_err_set(err, WB_EIO, "%s: %s", path, strerror(errno));
	if (realpath(path, abs) == NULL)
		return wb_err_set(err, WB_EIO, "%s: %s", path, strerror(errno));
	if (opts->format != NULL && strcmp(opts->format, "tfevents") == 0 &&
	    !S_ISDIR(sb.st_mode) && !tfe_is_event_file(base_of(path)))
		return wb_err_set(err, WB_EFORMAT, "%s: --as tfevents "
		    "takes a folder of event files or an event file", path);
	if (S_ISDIR(sb.st_mode))
		return import_common(db, path, abs, 1, NULL, 0, opts, res,
		    err);
	if (!S_ISREG(sb.st_mode))
		return wb_err_set(err, WB_EINVAL, "%s: not a regular file",
		    path);
	if (tfe_is_event_file(base_of(path))) {
		/* An event file stands for its folder (one run). */
		char	*d = parent_dir(abs);
		int	 rc;

		if (d == NULL)
			return wb_err_set(err, WB_ENOMEM, "out of memory");
		rc = import_common(db, path, d, 1, NULL, 0, opts, res, err);
		wb_free(d);
		return rc;
	}
	if (in_list(base_of(path), sidecars))
		return wb_err_set(err, WB_EFORMAT, "%s: %s is read with the "
		    "log beside it (metrics.csv, results.csv), not on its own; "
		    "nothing imported", path, base_of(path));
	{
		const char	*dot = strrchr(base_of(path), '.');

		if (dot != NULL && (strcasecmp(dot, ".yaml") == 0 ||
		    strcasecmp(dot, ".yml") == 0 || strcasecmp(dot, ".md") ==
		    0 || strcasecmp(dot, ".txt") == 0))
			return wb_err_set(err, WB_EFORMAT, "%s: not a training "
			    "log (mlwb imports CSV and JSON logs; YAML files "
			    "of hyperparameters are read with the log beside "
			    "them); nothing imported", path);
	}
	return import_common(db, path, abs, 0, NULL, 0, opts, res, err);
}

int
import_buffer(struct db *db, const char *name, const char *buf, size_t len,
    const struct import_opts *opts, struct import_result *res,
    struct wb_err *err)
{
	return import_common(db, name, NULL, 0, buf, len, opts, res, err);
}
