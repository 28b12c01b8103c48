/*
 * import_tfevents: a folder of TensorBoard event files into one run.
 *
 * Every events.out.tfevents.* file of the folder is read (in name order,
 * which is creation order: the name holds the start time), its complete
 * records only.  The points of all files are merged by step: sorted by
 * tag, step and wall time, every point kept (a restarted writer's second
 * file repeats steps; both values stay, as in detectron2's restarts).
 * The hparams plugin's values, and a Lightning hparams.yaml beside the
 * events, become params; the run starts and ends at its first and last
 * scalar's wall time.  The ledger's hash covers the complete records
 * of every file, so a folder whose writer added records since is
 * imported again (replacing the run), and one with only a longer cut-off
 * tail is "already imported".
 */
#include "config.h"

#include "import.h"
#include "import_int.h"

#include <dirent.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db_metric.h"
#include "err.h"
#include "mem.h"
#include "sha256.h"
#include "strbuf.h"
#include "tfevents.h"

struct tfpoint {
	size_t	tag;
	int64_t	step;
	double	wall;
	double	v;
	size_t	seq;	/* arrival order, for ties */
};

struct tfrun {
	struct imp	*im;
	int64_t		 run;
	char		**hp;		/* hparams: key, value, key, ... */
	size_t		 nhp;
	double		 wmin, wmax;	/* wall times seen */
	char		**tags;
	int64_t		*key_ids;
	size_t		 ntags;
	struct tfpoint	*pts;
	size_t		 npts, cap;
};

static int
on_scalar(void *ctx, const char *tag, int64_t step, double wall, double v,
    struct wb_err *err)
{
	struct tfrun	*r = ctx;
	struct tfpoint	*np;
	size_t		 i;

	/* The last tag first: events come in runs of the same few tags. */
	for (i = r->ntags; i > 0; i--)
		if (strcmp(r->tags[i - 1], tag) == 0)
			break;
	if (i == 0) {
		char	**nt;
		int64_t	 *nk;

		if ((nt = wb_reallocarray(r->tags, r->ntags + 1,
		    sizeof *nt)) == NULL)
			goto oom;
		r->tags = nt;
		if ((nk = wb_reallocarray(r->key_ids, r->ntags + 1,
		    sizeof *nk)) == NULL)
			goto oom;
		r->key_ids = nk;
		if ((r->tags[r->ntags] = wb_strdup(tag)) == NULL)
			goto oom;
		r->key_ids[r->ntags] = 0;
		i = ++r->ntags;
	}
	if (r->npts == r->cap) {
		size_t	ncap = r->cap ? r->cap * 2 : 1024;

		if ((np = wb_reallocarray(r->pts, ncap, sizeof *np)) == NULL)
			goto oom;
		r->pts = np;
		r->cap = ncap;
	}
	r->pts[r->npts].tag = i - 1;
	r->pts[r->npts].step = step;
	r->pts[r->npts].wall = wall;
	r->pts[r->npts].v = v;
	r->pts[r->npts].seq = r->npts;
	r->npts++;
	if (isfinite(wall) && wall > 0) {
		if (r->wmin == 0 || wall < r->wmin)
			r->wmin = wall;
		if (wall > r->wmax)
			r->wmax = wall;
	}
	return WB_OK;
oom:
	return wb_err_set(err, WB_ENOMEM, "out of memory");
}

/* Kept until the run exists: its times come from the last file read. */
static int
on_hparam(void *ctx, const char *key, const char *value, struct wb_err *err)
{
	struct tfrun	*r = ctx;
	char		**nh;

	if ((nh = wb_reallocarray(r->hp, r->nhp + 2, sizeof *nh)) == NULL)
		return wb_err_set(err, WB_ENOMEM, "out of memory");
	r->hp = nh;
	if ((r->hp[r->nhp] = wb_strdup(key)) == NULL)
		return wb_err_set(err, WB_ENOMEM, "out of memory");
	r->nhp++;
	if ((r->hp[r->nhp] = wb_strdup(value)) == NULL)
		return wb_err_set(err, WB_ENOMEM, "out of memory");
	r->nhp++;
	return WB_OK;
}

static int64_t
ms_of(double s)
{
	return isfinite(s) && fabs(s) < 1e12 ? (int64_t)llround(s * 1000) : 0;
}

static int
point_cmp(const void *a, const void *b)
{
	const struct tfpoint	*x = a, *y = b;

	if (x->tag != y->tag)
		return x->tag < y->tag ? -1 : 1;
	if (x->step != y->step)
		return x->step < y->step ? -1 : 1;
	if (x->wall != y->wall)
		return x->wall < y->wall ? -1 : 1;
	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

static int
name_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The event files of dir, sorted; *files is the caller's. */
static int
event_files(const char *dir, char ***files, size_t *n, struct wb_err *err)
{
	struct dirent	*de;
	DIR		*d;
	char		**v = NULL, **nv;

	*files = NULL;
	*n = 0;
	if ((d = opendir(dir)) == NULL)
		return wb_err_set(err, WB_EIO, "%s: %s", dir, strerror(errno));
	while ((de = readdir(d)) != NULL) {
		if (!tfe_is_event_file(de->d_name))
			continue;
		if ((nv = wb_reallocarray(v, *n + 1, sizeof *nv)) == NULL)
			goto oom;
		v = nv;
		if ((v[*n] = wb_strdup(de->d_name)) == NULL)
			goto oom;
		++*n;
	}
	closedir(d);
	if (*n > 1)
		qsort(v, *n, sizeof *v, name_cmp);
	*files = v;
	return WB_OK;
oom:
	closedir(d);
	while (*n > 0)
		wb_free(v[--*n]);
	wb_free(v);
	return wb_err_set(err, WB_ENOMEM, "out of memory");
}

/* Read a whole file; event files of scalars are small. */
static int
read_all(const char *path, unsigned char **buf, size_t *len,
    struct wb_err *err)
{
	struct strbuf	 sb = STRBUF_INIT;
	FILE		*fp;
	char		 tmp[65536];
	size_t		 n;
	int		 e;

	if ((fp = fopen(path, "rb")) == NULL)
		return wb_err_set(err, WB_EIO, "%s: %s", path, strerror(errno));
	while ((n = fread(tmp, 1, sizeof tmp, fp)) > 0)
		if (strbuf_add(&sb, tmp, n) != 0)
			break;
	e = ferror(fp);
	fclose(fp);
	if (sb.oom) {
		strbuf_free(&sb);
		return wb_err_set(err, WB_ENOMEM, "out of memory");
	}
	if (e) {
		strbuf_free(&sb);
		return wb_err_set(err, WB_EIO, "%s: read error", path);
	}
	*len = sb.len;
	*buf = (unsigned char *)strbuf_detach(&sb);
	if (*buf == NULL && (*buf = wb_calloc(1, 1)) == NULL)
		return wb_err_set(err, WB_ENOMEM, "out of memory");
	return WB_OK;
}

int
imp_tfevents(struct imp *im, const char *dir, const char *shown,
    char hex[65], struct wb_err *err)
{
	struct tfrun	 r;
	struct tfe_cb	 cb;
	struct tfe_tags	*tags = NULL;
	struct sha256	 hash;
	struct strbuf	 path = STRBUF_INIT, msgname = STRBUF_INIT;
	unsigned char	*buf = NULL;
	char		**files = NULL;
	size_t		 nfiles = 0, i, len, used;
	int		 rc;

	memset(&r, 0, sizeof r);
	memset(&hash, 0, sizeof hash);	/* sha256_free is harmless on it */
	r.im = im;
	snprintf(im->res->format, sizeof im->res->format, "tfevents");
	if ((rc = event_files(dir, &files, &nfiles, err)) != WB_OK)
		return rc;
	if (nfiles == 0) {
		rc = wb_err_set(err, WB_EFORMAT, "%s: a folder without "
		    "TensorBoard event files (events.out.tfevents.*); nothing "
		    "imported", im->name);
		goto out;
	}
	if ((tags = tfe_tags_new()) == NULL) {
		rc = wb_err_set(err, WB_ENOMEM, "out of memory");
		goto out;
	}
	cb.scalar = on_scalar;
	cb.hparam = on_hparam;
	cb.ctx = &r;
	sha256_init(&hash);
	for (i = 0; i < nfiles; i++) {
		strbuf_reset(&path);
		strbuf_addf(&path, "%s/%s", dir, files[i]);
		if (path.oom) {
			rc = wb_err_set(err, WB_ENOMEM, "out of memory");
			goto out;
		}
		if ((rc = read_all(strbuf_str(&path), &buf, &len, err)) !=
		    WB_OK)
			goto out;
		strbuf_reset(&msgname);
		strbuf_addf(&msgname, "%s/%s", shown, files[i]);
		rc = tfe_read(buf, len, strbuf_str(&msgname), tags, &cb, &used,
		    err);
		/* What was read: the name and the complete records. */
		sha256_update(&hash, files[i], strlen(files[i]) + 1);
		sha256_update(&hash, buf, used);
		wb_free(buf);
		buf = NULL;
		if (rc != WB_OK)
			goto out;
	}
	if ((rc = sha256_hex(&hash, hex)) != WB_OK) {
		rc = wb_err_set(err, rc, "%s: could not hash the event files",
		    im->name);
		goto out;
	}
	/* The run spans its first and last scalar's wall time. */
	im->run_start = ms_of(r.wmin);
	im->run_end = ms_of(r.wmax);
	if ((rc = imp_single_run(im, &r.run, err)) != WB_OK)
		goto out;
	for (i = 0; i + 1 < r.nhp; i += 2)
		if ((rc = imp_param(im, r.run, r.hp[i], r.hp[i + 1], err)) !=
		    WB_OK)
			goto out;
	if (r.npts > 1)
		qsort(r.pts, r.npts, sizeof *r.pts, point_cmp);
	for (i = 0; i < r.npts; i++) {
		const struct tfpoint *p = &r.pts[i];

		if ((rc = imp_metric(im, r.run, r.tags[p->tag],
		    &r.key_ids[p->tag], p->step, ms_of(p->wall), p->v, err)) !=
		    WB_OK)
			goto out;
	}
out:
	for (i = 0; i < nfiles; i++)
		wb_free(files[i]);
	wb_free(files);
	for (i = 0; i < r.ntags; i++)
		wb_free(r.tags[i]);
	wb_free(r.tags);
	for (i = 0; i < r.nhp; i++)
		wb_free(r.hp[i]);
	wb_free(r.hp);
	wb_free(r.key_ids);
	wb_free(r.pts);
	tfe_tags_free(tags);
	sha256_free(&hash);
	strbuf_free(&path);
	strbuf_free(&msgname);
	return rc;
}
