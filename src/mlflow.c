/*
 * mlflow: the import's entry point and the small parsers both readers
 * share: status names, NaN/inf values, UUIDs, metric lines of the file
 * store and a run's meta.yaml.
 */
#include "config.h"

#include "mlflow.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "db_mlflow.h"
#include "err.h"
#include "mlflow_int.h"
#include "strbuf.h"
#include "yamldoc.h"

const char *
mlflow_status(const char *s)
{
	static const struct {
		const char	*mlflow;
		const char	*num;
		const char	*ours;
	} map[] = {
		{ "RUNNING", "1", "running" },
		{ "SCHEDULED", "2", "scheduled" },
		{ "FINISHED", "3", "finished" },
		{ "FAILED", "4", "failed" },
		{ "KILLED", "5", "killed" },
	};
	size_t	i;

	if (s == NULL)
		return "finished";
	for (i = 0; i < sizeof map / sizeof map[0]; i++)
		if (strcasecmp(s, map[i].mlflow) == 0 ||
		    strcmp(s, map[i].num) == 0)
			return map[i].ours;
	return "finished";
}

double
mlflow_value(double v, int is_nan)
{
	/* MLflow stores inf as the largest double (sys.float_info.max). */
	if (is_nan)
		return NAN;
	if (v >= 1.7976931348623e308)
		return INFINITY;
	if (v <= -1.7976931348623e308)
		return -INFINITY;
	return v;
}

int
mlflow_uuid(const char *s, char out[33])
{
	size_t	n = 0;

	if (s == NULL)
		return -1;
	for (; *s; s++) {
		if (*s == '-')
			continue;
		if (!isxdigit((unsigned char)*s) || n == 32)
			return -1;
		out[n++] = (char)tolower((unsigned char)*s);
	}
	out[n] = '\0';
	return n == 32 ? 0 : -1;
}

const char *
mlflow_lmodel_of(const char *source)
{
	const char	*id;

	if (source == NULL || strncmp(source, "models:/", 8) != 0)
		return NULL;
	id = source + 8;
	/* models:/NAME/VERSION names a registered version, not a model. */
	if (strncmp(id, "m-", 2) != 0 || id[2] == '\0' ||
	    strchr(id, '/') != NULL)
		return NULL;
	return id;
}

int
mlflow_parse_i64(const char *s, int64_t *v)
{
	char		*end;
	long long	 x;

	if (s == NULL || *s == '\0' || isspace((unsigned char)*s))
		return -1;
	errno = 0;
	x = strtoll(s, &end, 10);
	if (errno != 0 || *end != '\0')
		return -1;
	*v = (int64_t)x;
	return 0;
}

char *
mlflow_exp_name(const char *workspace, const char *name)
{
	struct strbuf	sb = STRBUF_INIT;

	/* Names are the user's: kept whole, however long. */
	if (workspace == NULL || *workspace == '\0' ||
	    strcmp(workspace, "default") == 0)
		strbuf_adds(&sb, name);
	else
		strbuf_addf(&sb, "%s/%s", workspace, name);
	if (sb.oom) {
		strbuf_free(&sb);
		return NULL;
	}
	return strbuf_detach(&sb);
}

/*
 * Next whitespace-separated field of s[*i..len) into buf: 1, 0 if there
 * is none, -1 if it does not fit (no number is that long).
 */
static int
field(const char *s, size_t len, size_t *i, char *buf, size_t size)
{
	size_t	start, n;

	while (*i < len && (s[*i] == ' ' || s[*i] == '\t'))
		(*i)++;
	if (*i == len)
		return 0;
	start = *i;
	while (*i < len && s[*i] != ' ' && s[*i] != '\t')
		(*i)++;
	n = *i - start;
	if (n >= size)
		return -1;
	memcpy(buf, s + start, n);
	buf[n] = '\0';
	return 1;
}

int
mlflow_metric_line(const char *s, size_t len, int64_t *ts, double *value,
    int64_t *step, const char **why)
{
	char	f[3][128], extra[128], *end;
	size_t	i = 0;
	int	n = 0, r;

	if (len > 0 && s[len - 1] == '\r')
		len--;
	while (n < 3 && (r = field(s, len, &i, f[n], sizeof f[n])) > 0)
		n++;
	if (n < 3 && r < 0) {
		*why = "field too long";
		return -1;
	}
	if (n == 0)
		return 0;
	if (field(s, len, &i, extra, sizeof extra) != 0) {
		*why = "more than 3 fields (expected 'timestamp value [step]')";
		return -1;
	}
	if (n == 1) {
		*why = "one field (expected 'timestamp value [step]')";
		return -1;
	}
	if (mlflow_parse_i64(f[0], ts) != 0) {
		*why = "timestamp is not an integer";
		return -1;
	}
	errno = 0;
	*value = strtod(f[1], &end);
	if (*end != '\0' || end == f[1] || strchr(f[1], 'x') != NULL ||
	    strchr(f[1], 'X') != NULL) {
		*why = "value is not a number";
		return -1;
	}
	*value = mlflow_value(*value, isnan(*value));
	*step = 0;
	if (n == 3 && mlflow_parse_i64(f[2], step) != 0) {
		*why = "step is not an integer";
		return -1;
	}
	return 1;
}

/* A scalar's text or NULL (null, or not a scalar). */
static const char *
str_of(const struct ynode *root, const char *key)
{
	const struct ynode	*n = ynode_get(root, key);

	if (n == NULL || n->type != YNODE_SCALAR || ynode_is_null(n))
		return NULL;
	return ynode_str(n);
}

static int
time_of(const struct ynode *root, const char *key, const char *file,
    int64_t *v, struct wb_err *err)
{
	const struct ynode	*n = ynode_get(root, key);

	*v = 0;
	if (n == NULL || ynode_is_null(n))
		return WB_OK;
	if (n->type != YNODE_SCALAR || mlflow_parse_i64(n->value, v) != 0)
		return wb_err_set(err, WB_EPARSE, "%s:%u:%u: %s is not an "
		    "integer", file, n->line, n->col, key);
	return WB_OK;
}

int
mlflow_run_meta(const struct ynode *root, const char *file,
    struct mlflow_run_meta *m, struct wb_err *err)
{
	const struct ynode	*id;
	const char		*stage;
	int			 rc;

	memset(m, 0, sizeof *m);
	if (root == NULL || root->type != YNODE_MAP)
		return wb_err_set(err, WB_EPARSE, "%s:1: not a run's meta.yaml"
		    " (expected a map)", file);
	if ((id = ynode_get(root, "run_uuid")) == NULL || ynode_is_null(id))
		id = ynode_get(root, "run_id");
	if (id == NULL || ynode_is_null(id))
		return wb_err_set(err, WB_EPARSE, "%s:1: no run_uuid", file);
	if (id->type != YNODE_SCALAR || mlflow_uuid(id->value, m->uuid) != 0)
		return wb_err_set(err, WB_EPARSE, "%s:%u:%u: run_uuid is not "
		    "a UUID", file, id->line, id->col);
	m->name = str_of(root, "run_name");
	m->status = mlflow_status(str_of(root, "status"));
	m->experiment_id = str_of(root, "experiment_id");
	m->source = str_of(root, "source_name");
	m->source_version = str_of(root, "source_version");
	m->user = str_of(root, "user_id");
	if ((rc = time_of(root, "start_time", file, &m->start_time, err)) !=
	    WB_OK || (rc = time_of(root, "end_time", file, &m->end_time,
	    err)) != WB_OK)
		return rc;
	stage = str_of(root, "lifecycle_stage");
	m->deleted = stage != NULL && strcmp(stage, "deleted") == 0;
	return WB_OK;
}

int
mlflow_import(struct db *db, const char *path, const struct mlflow_opts *o,
    struct mlflow_result *res, struct wb_err *err)
{
	struct mlfw	*w;
	struct stat	 sb;
	int		 rc, is_dir;

	memset(res, 0, sizeof *res);
	/* What MLflow users have in MLFLOW_TRACKING_URI. */
	if (strncmp(path, "sqlite:///", 10) == 0)
		path += 10;
	else if (strncmp(path, "file://", 7) == 0)
		path += 7;
	if (stat(path, &sb) != 0)
		return wb_err_set(err, errno == ENOENT ? WB_ENOTFOUND : WB_EIO,
		    "%s: %s", path, strerror(errno));
	is_dir = S_ISDIR(sb.st_mode);
	snprintf(res->kind, sizeof res->kind, "%s", is_dir ? "mlruns" :
	    "sqlite");
	if ((rc = mlfw_open(db, o, res, &w, err)) != WB_OK)
		return rc;
	if (is_dir)
		rc = mlflow_store_read(w, path, o, err);
	else
		rc = mlflow_db_read(w, path, o, err);
	if (rc != WB_OK) {
		mlfw_finish(w, 0, NULL);
		return rc;
	}
	return mlfw_finish(w, 1, err);
}
