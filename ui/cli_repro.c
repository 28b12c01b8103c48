/*
 * cli_repro: what `runs show` prints of the facts a run keeps to be run
 * again (summary rows by default; --env, --packages and --patch for the
 * long parts), and `runs diff A B`, which compares two runs fact by fact
 * and exits like diff(1): 0 the same, 1 different, 2 trouble.
 */
#include "config.h"

#include "cli_repro.h"

#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "db.h"
#include "db_metric.h"
#include "db_repro.h"
#include "db_run.h"
#include "err.h"
#include "out.h"
#include "repro.h"
#include "sha256.h"
#include "strbuf.h"
#include "text.h"
#include "xmem.h"

static const char *
val(const struct repro *r, const char *section, const char *key)
{
	const struct repro_item *it = repro_find(r, section, key);

	return it != NULL ? it->value : NULL;
}

static void
env_counts(const struct repro *r, size_t *n, size_t *red)
{
	size_t	i;

	*n = *red = 0;
	for (i = 0; i < r->n; i++)
		if (strcmp(r->items[i].section, REPRO_ENV) == 0) {
			(*n)++;
			*red += strcmp(r->items[i].value, REPRO_REDACTED) == 0;
		}
}

static void
row(struct out *o, const char *section, const char *key, const char *value)
{
	out_text(o, section);
	out_text(o, key);
	out_text(o, value);
	out_end_row(o);
}

/*
 * Each line of a pip freeze text as (name, version): "a==1.0" splits at
 * "==", anything else ("-e git+...", "pkg @ file://...") is all name.
 * Calls fn for each; line is NUL-terminated and writable.
 */
static void
each_package(const char *text, void (*fn)(void *, char *, char *), void *arg)
{
	char	*copy, *line, *save = NULL, *eq;

	if (text == NULL)
		return;
	copy = xstrdup(text);
	for (line = strtok_r(copy, "\r\n", &save); line != NULL;
	    line = strtok_r(NULL, "\r\n", &save)) {
		if (*line == '\0' || *line == '#')
			continue;
		if ((eq = strstr(line, "==")) != NULL) {
			*eq = '\0';
			fn(arg, line, eq + 2);
		} else
			fn(arg, line, NULL);
	}
	free(copy);
}

static void
package_row(void *arg, char *name, char *version)
{
	row(arg, "package", name, version ? version : "");
}

void
cli_repro_rows(struct out *o, const struct repro *r, int what)
{
	const struct repro_item	*it;
	const char		*v, *s;
	char			 b[256];
	size_t			 n, red, i;

	if ((v = val(r, REPRO_LINK, "rerun_of")) != NULL)
		row(o, "run", "rerun_of", v);
	env_counts(r, &n, &red);
	if (n > 0) {
		snprintf(b, sizeof b, "%zu variables, %zu redacted%s", n, red,
		    what & SHOW_ENV ? "" : " (--env lists them)");
		row(o, "repro", "env", b);
	}
	if ((it = repro_find(r, REPRO_GIT, "patch")) != NULL) {
		v = val(r, REPRO_GIT, "patch_bytes");
		if (val(r, REPRO_GIT, "patch_cut") != NULL)
			snprintf(b, sizeof b, "%s bytes, cut: the first %zu "
			    "kept (--patch prints them)", v ? v : "?",
			    it->len);
		else
			snprintf(b, sizeof b, "%s bytes (--patch prints it)",
			    v ? v : "?");
		row(o, "repro", "patch", b);
	}
	if ((v = val(r, REPRO_PYTHON, "version")) != NULL) {
		s = val(r, REPRO_PYTHON, "interpreter");
		snprintf(b, sizeof b, "%s (%s)", v, s ? s : "?");
		row(o, "repro", "python", b);
	} else if ((v = val(r, REPRO_PYTHON, "command")) != NULL) {
		s = val(r, REPRO_PYTHON, "status");
		snprintf(b, sizeof b, "%s: %s", v, s ? s : "unknown");
		row(o, "repro", "python", b);
	}
	if ((it = repro_find(r, REPRO_PYTHON, "packages")) != NULL) {
		snprintf(b, sizeof b, "%zu (pip freeze)%s",
		    repro_count_lines(it->value, it->len),
		    what & SHOW_PACKAGES ? "" : " (--packages lists them)");
		row(o, "repro", "packages", b);
	} else if ((v = val(r, REPRO_PYTHON, "packages_status")) != NULL)
		row(o, "repro", "packages", v);
	if ((v = val(r, REPRO_GPU, "driver")) != NULL)
		row(o, "repro", "gpu_driver", v);
	if ((v = val(r, REPRO_GPU, "cuda")) != NULL)
		row(o, "repro", "cuda", v);
	if ((v = val(r, REPRO_GPU, "names")) != NULL)
		row(o, "repro", "gpus", v);
	if ((v = val(r, REPRO_SYSTEM, "sample_every")) != NULL) {
		if (atoi(v) > 0)
			snprintf(b, sizeof b, "every %s s (metrics system/...)",
			    v);
		else
			snprintf(b, sizeof b, "off");
		row(o, "repro", "system_metrics", b);
	}
	if (what & SHOW_ENV)
		for (i = 0; i < r->n; i++)
			if (strcmp(r->items[i].section, REPRO_ENV) == 0)
				row(o, "env", r->items[i].key,
				    r->items[i].value);
	if (what & SHOW_PACKAGES)
		each_package(val(r, REPRO_PYTHON, "packages"), package_row, o);
}

static void
json_str_or_null(struct strbuf *sb, const char *s)
{
	if (s != NULL)
		text_json_str(sb, s);
	else
		strbuf_adds(sb, "null");
}

struct pkg_json {
	struct strbuf	*sb;
	int		 n;
};

static void
package_json(void *arg, char *name, char *version)
{
	struct pkg_json	*pj = arg;

	strbuf_adds(pj->sb, pj->n++ ? ", {\"name\": " : "{\"name\": ");
	text_json_str(pj->sb, name);
	strbuf_adds(pj->sb, ", \"version\": ");
	json_str_or_null(pj->sb, version);
	strbuf_addc(pj->sb, '}');
}

void
cli_repro_json(struct strbuf *sb, const struct repro *r, int what)
{
	const struct repro_item	*it;
	struct pkg_json		 pj;
	size_t			 n, red, i;
	int			 first;

	strbuf_adds(sb, ",\n \"rerun_of\": ");
	json_str_or_null(sb, val(r, REPRO_LINK, "rerun_of"));
	env_counts(r, &n, &red);
	strbuf_addf(sb, ",\n \"repro\": {\"env\": {\"count\": %zu, "
	    "\"redacted\": %zu}, \"patch\": ", n, red);
	if ((it = repro_find(r, REPRO_GIT, "patch")) != NULL)
		strbuf_addf(sb, "{\"bytes\": %s, \"stored\": %zu, \"cut\": "
		    "%s}", val(r, REPRO_GIT, "patch_bytes") ? val(r, REPRO_GIT,
		    "patch_bytes") : "null", it->len, val(r, REPRO_GIT,
		    "patch_cut") ? "true" : "false");
	else
		strbuf_adds(sb, "null");
	strbuf_adds(sb, ", \"python\": ");
	if (val(r, REPRO_PYTHON, "command") != NULL) {
		strbuf_adds(sb, "{\"command\": ");
		json_str_or_null(sb, val(r, REPRO_PYTHON, "command"));
		strbuf_adds(sb, ", \"interpreter\": ");
		json_str_or_null(sb, val(r, REPRO_PYTHON, "interpreter"));
		strbuf_adds(sb, ", \"version\": ");
		json_str_or_null(sb, val(r, REPRO_PYTHON, "version"));
		strbuf_adds(sb, ", \"status\": ");
		json_str_or_null(sb, val(r, REPRO_PYTHON, "status"));
		strbuf_adds(sb, ", \"packages\": ");
		if ((it = repro_find(r, REPRO_PYTHON, "packages")) != NULL)
			strbuf_addf(sb, "%zu", repro_count_lines(it->value,
			    it->len));
		else
			strbuf_adds(sb, "null");
		strbuf_adds(sb, ", \"packages_status\": ");
		json_str_or_null(sb, val(r, REPRO_PYTHON, "packages_status"));
		strbuf_addc(sb, '}');
	} else
		strbuf_adds(sb, "null");
	strbuf_adds(sb, ", \"gpu\": ");
	if (val(r, REPRO_GPU, "driver") != NULL) {
		strbuf_adds(sb, "{\"driver\": ");
		json_str_or_null(sb, val(r, REPRO_GPU, "driver"));
		strbuf_adds(sb, ", \"cuda\": ");
		json_str_or_null(sb, val(r, REPRO_GPU, "cuda"));
		strbuf_adds(sb, ", \"names\": ");
		json_str_or_null(sb, val(r, REPRO_GPU, "names"));
		strbuf_addc(sb, '}');
	} else
		strbuf_adds(sb, "null");
	strbuf_addc(sb, '}');
	if (what & SHOW_ENV) {
		strbuf_adds(sb, ",\n \"env\": {");
		for (first = 1, i = 0; i < r->n; i++) {
			if (strcmp(r->items[i].section, REPRO_ENV) != 0)
				continue;
			strbuf_adds(sb, first ? "" : ", ");
			first = 0;
			text_json_str(sb, r->items[i].key);
			strbuf_adds(sb, ": ");
			text_json_str(sb, r->items[i].value);
		}
		strbuf_addc(sb, '}');
	}
	if (what & SHOW_PACKAGES) {
		strbuf_adds(sb, ",\n \"packages\": [");
		pj.sb = sb;
		pj.n = 0;
		each_package(val(r, REPRO_PYTHON, "packages"), package_json,
		    &pj);
		strbuf_addc(sb, ']');
	}
}

int
cli_repro_patch(const struct repro *r)
{
	const struct repro_item	*it;

	if ((it = repro_find(r, REPRO_GIT, "patch")) == NULL) {
		cli_error("the run keeps no patch (its tree was clean, or "
		    "not a git checkout)");
		return EXIT_FAIL;
	}
	/* Exact bytes, so that `| git apply` works; out_guard covers ttys. */
	if (fwrite(it->value, 1, it->len, stdout) != it->len ||
	    fflush(stdout) != 0)
		return EXIT_FAIL;
	if (val(r, REPRO_GIT, "patch_cut") != NULL)
		cli_error("the patch was cut at %zu of %s bytes when the run "
		    "was recorded", it->len, val(r, REPRO_GIT, "patch_bytes"));
	return EXIT_OK;
}

/* -- runs diff ------------------------------------------------------------ */

struct fact {
	char	*section;
	char	*key;
	char	*value;
};

struct facts {
	struct fact	*v;
	size_t		 n, cap;
};

static void
fact_add(struct facts *f, const char *section, const char *key,
    const char *value)
{
	if (f->n == f->cap) {
		f->cap = f->cap ? f->cap * 2 : 64;
		f->v = xreallocarray(f->v, f->cap, sizeof *f->v);
	}
	f->v[f->n].section = xstrdup(section);
	f->v[f->n].key = xstrdup(key);
	f->v[f->n].value = value ? xstrdup(value) : NULL;
	f->n++;
}

static void
facts_free(struct facts *f)
{
	size_t	i;

	for (i = 0; i < f->n; i++) {
		free(f->v[i].section);
		free(f->v[i].key);
		free(f->v[i].value);
	}
	free(f->v);
}

/* Sections in the order a diff lists them. */
static const char *const diff_sections[] = { "run", "param", "env",
    "patch", "python", "package", "gpu", "dataset", "metric", NULL };

static int
section_rank(const char *s)
{
	int	i;

	for (i = 0; diff_sections[i] != NULL; i++)
		if (strcmp(diff_sections[i], s) == 0)
			return i;
	return i;
}

static int
fact_cmp(const void *a, const void *b)
{
	const struct fact	*x = a, *y = b;
	int			 c;

	if ((c = section_rank(x->section) - section_rank(y->section)) != 0)
		return c;
	return strcmp(x->key, y->key);
}

static void
package_fact(void *arg, char *name, char *version)
{
	fact_add(arg, "package", name, version ? version : "");
}

/* Every fact of run id, sorted for merging.  Errors into err. */
static int
run_facts(struct db *db, int64_t id, struct facts *f, struct run *r,
    struct wb_err *err)
{
	struct repro		 rp;
	struct kv		*kv = NULL;
	struct metric_summary	*ms = NULL;
	const struct repro_item	*it;
	struct sha256		 h;
	size_t			 n = 0, i;
	char			 b[128], hex[65];
	int			 rc;

	if ((rc = db_run_get(db, id, r, err)) != WB_OK)
		return rc;
	fact_add(f, "run", "command", r->command);
	fact_add(f, "run", "git_commit", r->git_commit);
	fact_add(f, "run", "git_dirty", r->git_dirty < 0 ? NULL :
	    r->git_dirty ? "yes" : "no");
	if ((rc = db_params_get(db, id, &kv, &n, err)) != WB_OK)
		return rc;
	for (i = 0; i < n; i++)
		fact_add(f, "param", kv[i].key, kv[i].value);
	kv_free(kv, n);
	if ((rc = db_tags_get(db, id, &kv, &n, err)) != WB_OK)
		return rc;
	for (i = 0; i < n; i++)
		if (strcmp(kv[i].key, "mlwb.entry") == 0)
			fact_add(f, "run", "entry", kv[i].value);
	kv_free(kv, n);
	if ((rc = db_repro_get(db, id, NULL, &rp, err)) != WB_OK)
		return rc;
	for (i = 0; i < rp.n; i++) {
		it = &rp.items[i];
		if (strcmp(it->section, REPRO_ENV) == 0)
			fact_add(f, "env", it->key, it->value);
		else if (strcmp(it->section, REPRO_PYTHON) == 0 &&
		    (strcmp(it->key, "version") == 0 ||
		    strcmp(it->key, "interpreter") == 0))
			fact_add(f, "python", it->key, it->value);
		else if (strcmp(it->section, REPRO_GPU) == 0)
			fact_add(f, "gpu", it->key, it->value);
		else if (strcmp(it->section, REPRO_GIT) == 0 &&
		    strcmp(it->key, "patch") == 0) {
			/* Compared by content; --patch of each shows it. */
			sha256_init(&h);
			sha256_update(&h, it->value, it->len);
			if (sha256_hex(&h, hex) != WB_OK)
				hex[0] = '\0';
			snprintf(b, sizeof b, "sha256:%.12s (%zu bytes)", hex,
			    it->len);
			fact_add(f, "patch", "patch", b);
		}
	}
	each_package(val(&rp, REPRO_PYTHON, "packages"), package_fact, f);
	repro_free(&rp);
	if ((rc = db_repro_inputs(db, id, &kv, &n, err)) != WB_OK)
		return rc;
	for (i = 0; i < n; i++)
		fact_add(f, "dataset", kv[i].key, kv[i].value);
	kv_free(kv, n);
	if ((rc = db_metric_summaries(db, id, &ms, &n, err)) != WB_OK)
		return rc;
	for (i = 0; i < n; i++)
		fact_add(f, "metric", ms[i].key, text_num(b, ms[i].last));
	metric_summaries_free(ms, n);
	qsort(f->v, f->n, sizeof *f->v, fact_cmp);
	return WB_OK;
}

static int
same_value(const char *a, const char *b)
{
	if (a == NULL || b == NULL)
		return a == b;
	return strcmp(a, b) == 0;
}

/* One difference: a table/CSV row, or a JSON object. */
static void
diff_row(struct out *o, struct strbuf *js, int *nd, const char *section,
    const char *key, const char *a, const char *b)
{
	if (js != NULL) {
		strbuf_adds(js, (*nd)++ ? ",\n   {\"section\": " :
		    "\n   {\"section\": ");
		text_json_str(js, section);
		strbuf_adds(js, ", \"key\": ");
		text_json_str(js, key);
		strbuf_adds(js, ", \"a\": ");
		json_str_or_null(js, a);
		strbuf_adds(js, ", \"b\": ");
		json_str_or_null(js, b);
		strbuf_addc(js, '}');
		return;
	}
	(*nd)++;
	out_text(o, section);
	out_text(o, key);
	out_text(o, a);
	out_text(o, b);
	out_end_row(o);
}

static void
json_run(struct strbuf *js, const struct run *r)
{
	strbuf_adds(js, "{\"uuid\": ");
	text_json_str(js, r->uuid);
	strbuf_adds(js, ", \"name\": ");
	text_json_str(js, r->name);
	strbuf_addc(js, '}');
}

int
cli_runs_diff(struct cli *cli, char **argv, int all)
{
	struct db	*db;
	struct facts	 fa, fb;
	struct run	 ra, rb;
	struct wb_err	 err;
	struct out	*o = NULL;
	struct strbuf	 js = STRBUF_INIT;
	int64_t		 ida, idb;
	size_t		 i = 0, j = 0;
	int		 c, nd = 0, json = cli->format == OUT_JSON, rc;

	memset(&fa, 0, sizeof fa);
	memset(&fb, 0, sizeof fb);
	memset(&ra, 0, sizeof ra);
	memset(&rb, 0, sizeof rb);
	if ((db = cli_open_db(cli, DB_NOCREATE | DB_READONLY)) == NULL)
		return EXIT_USAGE;
	if (db_run_resolve(db, argv[0], &ida, &err) != WB_OK ||
	    db_run_resolve(db, argv[1], &idb, &err) != WB_OK ||
	    run_facts(db, ida, &fa, &ra, &err) != WB_OK ||
	    run_facts(db, idb, &fb, &rb, &err) != WB_OK) {
		db_close(db);
		cli_fail(&err);
		rc = EXIT_USAGE;	/* diff(1): 2 is trouble */
		goto out;
	}
	db_close(db);
	if (json) {
		strbuf_adds(&js, "{\"a\": ");
		json_run(&js, &ra);
		strbuf_adds(&js, ", \"b\": ");
		json_run(&js, &rb);
		strbuf_adds(&js, ",\n \"differences\": [");
	} else {
		o = out_new(stdout, cli->format);
		out_col(o, "section", OUT_TEXT);
		out_col(o, "key", OUT_TEXT);
		out_col(o, "a", OUT_TEXT);
		out_col(o, "b", OUT_TEXT);
	}
	/* Merge the two sorted lists; a fact only one run has differs. */
	while (i < fa.n || j < fb.n) {
		const struct fact *x = i < fa.n ? &fa.v[i] : NULL;
		const struct fact *y = j < fb.n ? &fb.v[j] : NULL;

		c = x == NULL ? 1 : y == NULL ? -1 : fact_cmp(x, y);
		if (c < 0) {
			diff_row(o, json ? &js : NULL, &nd, x->section, x->key,
			    x->value, NULL);
			i++;
		} else if (c > 0) {
			diff_row(o, json ? &js : NULL, &nd, y->section, y->key,
			    NULL, y->value);
			j++;
		} else {
			if (all || !same_value(x->value, y->value))
				diff_row(o, json ? &js : NULL, &nd, x->section,
				    x->key, x->value, y->value);
			i++;
			j++;
		}
	}
	rc = EXIT_OK;
	if (json) {
		strbuf_addf(&js, "%s]}\n", nd ? "\n " : "");
		fputs(strbuf_str(&js), stdout);
	} else if (out_finish(o) != 0)
		rc = EXIT_USAGE;
	if (rc == EXIT_OK && ferror(stdout))
		rc = EXIT_USAGE;
	if (rc == EXIT_OK) {
		/* --all lists every fact; the status still says if any differ. */
		for (i = j = 0, c = 0; i < fa.n || j < fb.n;) {
			if (i >= fa.n || j >= fb.n) {
				c = 1;
				break;
			}
			if (fact_cmp(&fa.v[i], &fb.v[j]) != 0 ||
			    !same_value(fa.v[i].value, fb.v[j].value)) {
				c = 1;
				break;
			}
			i++;
			j++;
		}
		rc = c ? EXIT_FAIL : EXIT_OK;
	}
out:
	strbuf_free(&js);
	facts_free(&fa);
	facts_free(&fb);
	run_clear(&ra);
	run_clear(&rb);
	return rc;
}
