/*
 * lineage: a data set file scanned into a lin_ds (see lineage.h): path,
 * sha256, size, and for CSV/TSV rows, columns and schema; a run's whole
 * lineage loaded for the CLI and the screens; drift's reference from it.
 */
#include "config.h"

#include "lineage.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "dataset.h"
#include "db.h"
#include "db_lineage.h"
#include "db_registry.h"
#include "db_run.h"
#include "launch.h"
#include "registry.h"
#include "err.h"
#include "mem.h"
#include "sha256.h"
#include "strbuf.h"
#include "text.h"

static int
oom(struct wb_err *err)
{
	return wb_err_set(err, WB_ENOMEM, "out of memory");
}

static int
ends_with(const char *s, const char *suffix)
{
	size_t	n = strlen(s), m = strlen(suffix);

	return n >= m && strcasecmp(s + n - m, suffix) == 0;
}

/* The schema of ds as MLflow writes a dataset's: {"mlflow_colspec": [..]}. */
static char *
schema_json(const struct dataset *ds)
{
	struct strbuf	sb = STRBUF_INIT;
	size_t		i;

	strbuf_adds(&sb, "{\"mlflow_colspec\": [");
	for (i = 0; i < ds->n_cols; i++) {
		strbuf_adds(&sb, i ? ", {\"type\": " : "{\"type\": ");
		strbuf_adds(&sb, ds->cols[i].type == DS_NUM ? "\"double\"" :
		    "\"string\"");
		strbuf_adds(&sb, ", \"name\": ");
		text_json_str(&sb, ds->cols[i].name);
		strbuf_addc(&sb, '}');
	}
	strbuf_adds(&sb, "]}");
	if (sb.oom) {
		strbuf_free(&sb);
		return NULL;
	}
	return strbuf_detach(&sb);
}

int
lineage_scan(const char *spec, int output, struct lin_ds *d,
    struct wb_err *err)
{
	struct stat	 sb;
	char		*path, *colon;
	const char	*role = "";
	int		 rc;

	if ((path = wb_strdup(spec)) == NULL)
		return oom(err);
	if (stat(path, &sb) != 0 && (colon = strrchr(path, ':')) != NULL &&
	    colon != path && strchr(colon, '/') == NULL) {
		*colon = '\0';
		role = colon + 1;
	}
	rc = lineage_scan_path(path, role, output, d, err);
	wb_free(path);
	return rc;
}

int
lineage_scan_path(const char *path, const char *role, int output,
    struct lin_ds *d, struct wb_err *err)
{
	struct dataset	*ds = NULL;
	struct ds_opts	 o;
	struct stat	 sb;
	char		*abs, hex[65];
	const char	*base;
	int		 rc;

	memset(d, 0, sizeof *d);
	d->size = d->n_rows = d->n_cols = -1;
	d->output = output;
	if ((d->role = wb_strdup(role)) == NULL)
		return oom(err);
	if (stat(path, &sb) != 0 || (abs = realpath(path, NULL)) == NULL)
		return wb_err_set(err, WB_EIO, "%s: %s", path,
		    strerror(errno));
	d->path = wb_strdup(abs);
	free(abs);	/* realpath's */
	if (d->path == NULL)
		return oom(err);
	if (!S_ISREG(sb.st_mode))
		return wb_err_set(err, WB_EINVAL, "%s: not a file (a data set"
		    " is one file; log a folder with --artifact)", d->path);
	base = strrchr(d->path, '/');
	if ((d->name = wb_strdup(base ? base + 1 : d->path)) == NULL)
		return oom(err);
	d->size = (int64_t)sb.st_size;
	if (ends_with(d->path, ".csv") || ends_with(d->path, ".tsv")) {
		memset(&o, 0, sizeof o);
		o.delim = ends_with(d->path, ".tsv") ? '\t' : ',';
		if ((rc = dataset_read(d->path, &o, &ds, err)) != WB_OK)
			return rc;
		d->n_rows = (int64_t)ds->n_rows;
		d->n_cols = (int64_t)ds->n_cols;
		d->digest = wb_strdup(ds->sha256);
		d->schema = schema_json(ds);
		dataset_free(ds);
		if (d->digest == NULL || d->schema == NULL)
			return oom(err);
		return WB_OK;
	}
	if ((rc = sha256_file(d->path, hex, &d->size, err)) != WB_OK)
		return rc;
	if ((d->digest = wb_strdup(hex)) == NULL)
		return oom(err);
	return WB_OK;
}

int
lineage_load(struct db *db, int64_t run_id, struct lineage *l,
    struct wb_err *err)
{
	struct kv	*kv = NULL;
	size_t		 i, nkv = 0;
	int		 rc;

	memset(l, 0, sizeof *l);
	if ((rc = db_tags_get(db, run_id, &kv, &nkv, err)) != WB_OK)
		return rc;
	for (i = 0; i < nkv && rc == WB_OK; i++)
		if (strcmp(kv[i].key, LAUNCH_DRIFT_TAG) == 0 &&
		    kv[i].value != NULL && l->drift_report == NULL &&
		    (l->drift_report = wb_strdup(kv[i].value)) == NULL)
			rc = oom(err);
	kv_free(kv, nkv);
	if (rc != WB_OK || (rc = db_lineage_datasets(db, run_id, &l->ds,
	    &l->nds, err)) != WB_OK)
		goto fail;
	l->rep = wb_calloc(l->nds + 1, sizeof *l->rep);
	l->nrep = wb_calloc(l->nds + 1, sizeof *l->nrep);
	if (l->rep == NULL || l->nrep == NULL) {
		rc = oom(err);
		goto fail;
	}
	for (i = 0; i < l->nds; i++)
		if (l->ds[i].digest != NULL && (rc = db_lineage_reports(db,
		    l->ds[i].digest, &l->rep[i], &l->nrep[i], err)) != WB_OK)
			goto fail;
	return WB_OK;
fail:
	lineage_clear(l);
	return rc;
}

void
lineage_clear(struct lineage *l)
{
	size_t	i;

	for (i = 0; l->rep != NULL && i < l->nds; i++)
		lin_reports_free(l->rep[i], l->nrep[i]);
	wb_free(l->rep);
	wb_free(l->nrep);
	wb_free(l->drift_report);
	if (l->ds != NULL)
		lin_ds_free(l->ds, l->nds);
	memset(l, 0, sizeof *l);
}

int
lineage_reference(struct db *db, const char *model, char **ref_path,
    char **model_spec, struct wb_err *err)
{
	struct reg_version	 v;
	struct wb_err		 why;
	struct strbuf		 uri = STRBUF_INIT, name = STRBUF_INIT;
	struct lin_ds		*ds = NULL, *pick = NULL;
	const char		*p, *colon;
	char			 hex[65];
	size_t			 n = 0, i, ntrain = 0;
	int			 rc;

	*ref_path = *model_spec = NULL;
	/* NAME@ALIAS, NAME:VERSION, NAME or a URI, as one URI. */
	if (strncmp(model, "models:/", 8) == 0)
		strbuf_adds(&uri, model);
	else if (strchr(model, '@') != NULL)
		strbuf_addf(&uri, "models:/%s", model);
	else if ((colon = strrchr(model, ':')) != NULL)
		strbuf_addf(&uri, "models:/%.*s/%s", (int)(colon - model),
		    model, colon + 1);
	else
		strbuf_addf(&uri, "models:/%s/latest", model);
	if (uri.oom)
		return oom(err);
	for (p = uri.s + 8; *p && *p != '@' && *p != '/'; p++)
		;
	strbuf_add(&name, uri.s + 8, (size_t)(p - (uri.s + 8)));
	memset(&v, 0, sizeof v);
	if ((rc = reg_resolve_uri(db, uri.s, &v, err)) != WB_OK)
		goto out;
	if (v.run_id == 0) {
		rc = wb_err_set(err, WB_ENOTFOUND, "%s: version %lld has no"
		    " run, so no training data", uri.s, (long long)v.version);
		goto version;
	}
	if ((rc = db_lineage_datasets(db, v.run_id, &ds, &n, err)) != WB_OK)
		goto version;
	for (i = 0; i < n; i++)
		if (!ds[i].output && strcmp(ds[i].role, "train") == 0) {
			pick = &ds[i];
			ntrain++;
		}
	if (ntrain == 0)
		for (i = 0; i < n; i++)
			if (!ds[i].output) {
				pick = &ds[i];
				ntrain++;
			}
	if (ntrain != 1) {
		rc = wb_err_set(err, WB_ENOTFOUND, "%s: run %s has %s input"
		    " data set%s with role train: record it with mlwb log --run"
		    " RUN --input PATH:train", uri.s, v.run_name ? v.run_name :
		    "?", ntrain ? "more than one" : "no", ntrain ? "s" : "");
		goto version;
	}
	if (pick->path == NULL || pick->digest == NULL) {
		rc = wb_err_set(err, WB_ENOTFOUND, "%s: the training data set"
		    " '%s' has no local path and sha256 (an MLflow dataset?)",
		    uri.s, pick->name);
		goto version;
	}
	if ((rc = sha256_file(pick->path, hex, NULL, &why)) != WB_OK) {
		rc = wb_err_set(err, WB_EIO, "%s: the training data is gone:"
		    " %s", uri.s, why.msg);
		goto version;
	}
	if (strcmp(hex, pick->digest) != 0) {
		rc = wb_err_set(err, WB_EINVAL, "%s: the training data %s "
		    "changed since run %s recorded it (sha256 %.12s, now %.12s);"
		    " not used as the reference", uri.s, pick->path,
		    v.run_name ? v.run_name : "?", pick->digest, hex);
		goto version;
	}
	strbuf_addf(&name, ":%lld", (long long)v.version);
	if (name.oom || (*ref_path = wb_strdup(pick->path)) == NULL) {
		rc = oom(err);
		goto version;
	}
	*model_spec = strbuf_detach(&name);
version:
	reg_version_clear(&v);
out:
	if (ds != NULL)
		lin_ds_free(ds, n);
	strbuf_free(&uri);
	strbuf_free(&name);
	return rc;
}
