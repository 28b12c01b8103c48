/*
 * view_model: one model of the registry: its versions (alias badges, run,
 * key metrics, sha256 prefix, created) above the model's history.  On a
 * version, P promotes: type the alias (and optionally a gate metric), see
 * the metric diff against the current holder and the gate's verdict in a
 * box, type a reason, confirm with y (any other key closes the box).  B
 * rolls an alias back after a confirmation; Enter opens the version's run;
 * y copies its URI (models:/NAME/VERSION).  When the cursor's version
 * registers an MLflow 3 logged model, a line above the history names it
 * with its params and metrics.  Below the versions, the cursor's version's
 * lineage: its run, the data sets that run read and wrote (role, name,
 * rows, sha256 prefix, path) and under each the drift reports made
 * against those bytes, as `mlwb lineage` prints them (src/lineage.c
 * loads it, for the cursor's version only, when the cursor moves).
 * Every write goes through src/registry.c; --read-only refuses them with
 * a message.
 */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "xmem.h"
#include "db.h"
#include "db_lmodel.h"
#include "db_metric.h"
#include "db_registry.h"
#include "db_run.h"
#include "db_lineage.h"
#include "draw.h"
#include "err.h"
#include "lineage.h"
#include "list.h"
#include "mem.h"
#include "project.h"
#include "registry.h"
#include "text.h"
#include "verify.h"
#include "verify_job.h"
#include "view.h"

#define KM_MAX		3	/* key metric columns */
#define DIFF_MAX	8	/* metric rows in the promote box */

/* One model: versions and history --------------------------------------- */

struct diff_row {
	char	 key[128];
	int	 has_c, has_h;
	double	 c, h;
};

struct dialog {
	int			 open;
	int64_t			 version;
	char			 alias[REG_ALIAS_MAX + 1];
	char			 gate[160];
	struct reg_outcome	 o;
	struct diff_row		 rows[DIFF_MAX];
	size_t			 nrows;
	char			*reason;
};

struct model {
	int64_t			 id;
	char			*name;
	struct reg_version	*vers;
	struct lmodel		**lm;		/* per version; NULL none */
	size_t			 n;
	char			 km[KM_MAX][48];	/* key metrics */
	size_t			 nkm;
	double			*kv;		/* n * KM_MAX; NaN if none */
	struct reg_event	*ev;
	size_t			 nev;
	struct verify_state	*vs;		/* last watch per alias */
	size_t			 nvs;
	struct list		 l;		/* cursor, scroll */
	int			 ro;		/* --read-only */
	struct dialog		 dlg;
	char			 title[192];
	struct lineage		 lin;		/* of version lin_ver */
	int64_t			 lin_ver;	/* 0: none loaded */
	char			 lin_err[sizeof ((struct wb_err *)0)->msg];	/* why it did not load */
};

/* Load the lineage of the cursor's version unless it is loaded. */
static void
lin_sync(struct model *s, struct db *db, int force)
{
	const struct reg_version	*rv;
	struct wb_err			 err;

	if (s->n == 0 || s->l.cursor >= (int)s->n) {
		lineage_clear(&s->lin);
		s->lin_ver = 0;
		return;
	}
	rv = &s->vers[s->l.cursor];
	if (!force && rv->id == s->lin_ver)
		return;
	lineage_clear(&s->lin);
	s->lin_ver = rv->id;
	s->lin_err[0] = '\0';
	if (rv->run_id != 0 && lineage_load(db, rv->run_id, &s->lin, &err) !=
	    WB_OK)
		snprintf(s->lin_err, sizeof s->lin_err, "%s", err.msg);
}

static int
key_rank(const char *k)
{
	/* Validation metrics judge a model; training ones less so. */
	if (strncmp(k, "val", 3) == 0 || strncmp(k, "eval", 4) == 0 ||
	    strncmp(k, "test", 4) == 0)
		return 0;
	if (strstr(k, "lr") != NULL || strstr(k, "learning_rate") != NULL)
		return 2;
	return 1;
}

/* Pick the key metrics from the versions' runs: best ranked, by name. */
static void
pick_key_metrics(struct model *s, struct metric_summary **sums,
    size_t *nsums)
{
	size_t	i, j, k;
	int	rank, have;

	s->nkm = 0;
	for (rank = 0; rank < 2 && s->nkm < KM_MAX; rank++) {
		for (;;) {
			const char *best = NULL;

			for (i = 0; i < s->n; i++)
				for (j = 0; j < nsums[i]; j++) {
					const char *key = sums[i][j].key;

					if (key_rank(key) != rank ||
					    strlen(key) >= sizeof s->km[0])
						continue;
					for (have = 0, k = 0; k < s->nkm; k++)
						if (strcmp(s->km[k], key) == 0)
							have = 1;
					if (!have && (best == NULL ||
					    strcmp(key, best) < 0))
						best = key;
				}
			if (best == NULL || s->nkm == KM_MAX)
				break;
			snprintf(s->km[s->nkm++], sizeof s->km[0], "%s", best);
		}
	}
}

static void
lms_free(struct model *s)
{
	size_t	i;

	for (i = 0; s->lm != NULL && i < s->n; i++)
		lmodel_free(s->lm[i]);
	free(s->lm);
	s->lm = NULL;
}

static int
model_load(struct view *v, struct db *db, struct wb_err *err)
{
	struct model		 *s = v->state;
	struct reg_version	 *vers;
	struct reg_event	 *ev;
	struct lmodel		**lm;
	struct metric_summary	**sums;
	struct verify_state	 *vs;
	size_t			 *nsums, n, nev, nvs, i, j, k;
	int64_t			  keep = s->vers && s->l.cursor < (int)s->n ?
	    s->vers[s->l.cursor].id : 0;
	int			  rc;

	if ((rc = db_reg_versions(db, s->id, &vers, &n, err)) != WB_OK)
		return rc;
	if ((rc = db_reg_events(db, s->id, NULL, &ev, &nev, err)) != WB_OK) {
		reg_versions_free(vers, n);
		return rc;
	}
	if ((rc = verify_states(db, s->id, &vs, &nvs, err)) != WB_OK) {
		reg_versions_free(vers, n);
		reg_events_free(ev, nev);
		return rc;
	}
	wb_free(s->vs);
	s->vs = vs;
	s->nvs = nvs;
	lm = xcalloc(n + 1, sizeof *lm);
	for (i = 0; i < n; i++)
		if ((rc = db_lmodel_of_version(db, vers[i].id, &lm[i],
		    err)) != WB_OK) {
			while (i-- > 0)
				lmodel_free(lm[i]);
			free(lm);
			reg_versions_free(vers, n);
			reg_events_free(ev, nev);
			return rc;
		}
	lms_free(s);
	reg_versions_free(s->vers, s->n);
	reg_events_free(s->ev, s->nev);
	s->lm = lm;
	s->vers = vers;
	s->n = n;
	s->l.n = (int64_t)n;
	s->ev = ev;
	s->nev = nev;
	sums = xcalloc(n + 1, sizeof *sums);
	nsums = xcalloc(n + 1, sizeof *nsums);
	for (i = 0; i < n; i++)
		if (vers[i].run_id != 0 && db_metric_summaries(db,
		    vers[i].run_id, &sums[i], &nsums[i], err) != WB_OK)
			nsums[i] = 0;
	pick_key_metrics(s, sums, nsums);
	free(s->kv);
	s->kv = xcalloc(n * KM_MAX + 1, sizeof *s->kv);
	for (i = 0; i < n; i++)
		for (k = 0; k < KM_MAX; k++) {
			s->kv[i * KM_MAX + k] = NAN;
			for (j = 0; k < s->nkm && j < nsums[i]; j++)
				if (strcmp(sums[i][j].key, s->km[k]) == 0)
					s->kv[i * KM_MAX + k] = sums[i][j].last;
		}
	for (i = 0; i < n; i++)
		metric_summaries_free(sums[i], nsums[i]);
	free(sums);
	free(nsums);
	for (i = 0; i < n; i++)
		if (vers[i].id == keep)
			s->l.cursor = (int)i;
	if (s->l.cursor >= (int)n)
		s->l.cursor = n ? (int)n - 1 : 0;
	lin_sync(s, db, 1);
	return WB_OK;
}

/* Lines the lineage pane would fill: header, data sets and reports. */
static int
lin_lines(const struct model *s)
{
	size_t	i, n = 1;

	for (i = 0; i < s->lin.nds; i++)
		n += 1 + s->lin.nrep[i];
	return (int)(n > 1 ? n : 2);
}

/*
 * The cursor's version's lineage in rows y0..y0+h: a header line, then
 * one line per data set and one per drift report under it; what does
 * not fit is counted on the last line, with the command that shows it.
 */
static void
lin_draw(struct model *s, struct draw_ctx *dc, int y0, int h, int w)
{
	const struct reg_version	*rv = &s->vers[s->l.cursor];
	const struct lin_ds		*d;
	const struct lin_report		*r;
	char				 b[96], t[32];
	int				 y = y0, x, total, shown = 0;
	size_t				 i, j;

	draw_fill(dc, y, 0, w, ROLE_HEADER);
	x = draw_printf(dc, y, 1, w - 1, ROLE_HEADER, "lineage of v%lld  ",
	    (long long)rv->version) + 1;
	if (rv->run_id == 0) {
		draw_text(dc, y, x, w - x, ROLE_HEADER, "(no run)");
		return;
	}
	x += draw_printf(dc, y, x, w - x, ROLE_HEADER, "run %s",
	    rv->run_name ? rv->run_name : "?");
	if (s->lin.drift_report != NULL)
		draw_printf(dc, y, x, w - x, ROLE_HEADER, "  launched by drift "
		    "report %.8s", s->lin.drift_report);
	y++;
	if (s->lin_err[0] != '\0') {
		draw_text(dc, y, 2, w - 2, ROLE_ERROR, s->lin_err);
		return;
	}
	if (s->lin.nds == 0) {
		draw_text(dc, y, 2, w - 2, ROLE_DIM, "no data sets recorded "
		    "for this run (mlwb log --run RUN --input PATH[:ROLE])");
		return;
	}
	total = lin_lines(s) - 1;
	for (i = 0; i < s->lin.nds; i++) {
		d = &s->lin.ds[i];
		if (y == y0 + h - 1 && shown + 1 < total)
			break;
		/* role, rows, sha256 prefix, then the path (its ends kept). */
		snprintf(b, sizeof b, "%s%s%.40s", d->output ? "output" :
		    "input", *d->role ? " " : "", d->role);
		draw_text(dc, y, 2, 18, d->output ? ROLE_DIM : ROLE_NORMAL, b);
		if (d->n_rows >= 0)
			snprintf(b, sizeof b, "%lld row%s", (long long)d->n_rows,
			    d->n_rows == 1 ? "" : "s");
		else
			b[0] = '\0';
		draw_text_right(dc, y, 21, 11, ROLE_NORMAL, b);
		draw_printf(dc, y, 34, 8, ROLE_DIM, "%.8s", d->digest ?
		    d->digest : "");
		draw_text_mid(dc, y, 44, w - 44, ROLE_BOLD, d->path ? d->path :
		    d->name);
		y++;
		shown++;
		for (j = 0; j < s->lin.nrep[i]; j++) {
			r = &s->lin.rep[i][j];
			if (y == y0 + h - 1 && shown + 1 < total)
				break;
			text_time(t, r->created_at);
			t[10] = '\0';
			draw_text(dc, y, 4, 6, ROLE_DIM, "drift");
			draw_text_mid(dc, y, 10, 18, ROLE_NORMAL, r->name ?
			    r->name : r->uuid);
			draw_text(dc, y, 30, 10, ROLE_DIM, t);
			draw_text(dc, y, 42, 8, r->dataset_drift ? ROLE_DRIFT :
			    ROLE_NO_DRIFT, r->dataset_drift ? "DRIFT" :
			    "no drift");
			draw_printf(dc, y, 52, w - 52, ROLE_DIM, "share %.2f  as "
			    "%s", r->drift_share, r->as_reference ?
			    "reference" : "current");
			y++;
			shown++;
		}
		if (j < s->lin.nrep[i])
			break;
	}
	if (shown < total)
		draw_printf(dc, y, 2, w - 2, ROLE_DIM, "%d more: mlwb lineage "
		    "models:/%s/%lld", total - shown, s->name,
		    (long long)rv->version);
}

/* Alias badges "[champion][staging]" into buf. */
static void
badges(const char *aliases, char *buf, size_t len)
{
	const char	*p = aliases;
	size_t		 used = 0, n;

	buf[0] = '\0';
	while (p != NULL && *p != '\0' && used + 3 < len) {
		n = strcspn(p, " ");
		if (n > len - used - 3)
			n = len - used - 3;
		buf[used++] = '[';
		memcpy(buf + used, p, n);
		used += n;
		buf[used++] = ']';
		buf[used] = '\0';
		p += strcspn(p, " ");
		while (*p == ' ')
			p++;
	}
}

static void
box(struct draw_ctx *dc, int y0, int x0, int h, int w)
{
	int	y, x;

	for (y = y0; y < y0 + h; y++)
		draw_fill(dc, y, x0, w, ROLE_NORMAL);
	for (x = x0 + 1; x < x0 + w - 1; x++) {
		draw_glyph(dc, y0, x, ROLE_BORDER, "─", '-');
		draw_glyph(dc, y0 + h - 1, x, ROLE_BORDER, "─", '-');
	}
	for (y = y0 + 1; y < y0 + h - 1; y++) {
		draw_glyph(dc, y, x0, ROLE_BORDER, "│", '|');
		draw_glyph(dc, y, x0 + w - 1, ROLE_BORDER, "│", '|');
	}
	draw_glyph(dc, y0, x0, ROLE_BORDER, "┌", '+');
	draw_glyph(dc, y0, x0 + w - 1, ROLE_BORDER, "┐", '+');
	draw_glyph(dc, y0 + h - 1, x0, ROLE_BORDER, "└", '+');
	draw_glyph(dc, y0 + h - 1, x0 + w - 1, ROLE_BORDER, "┘", '+');
}

static void
dialog_draw(struct model *s, struct draw_ctx *dc)
{
	struct dialog	*d = &s->dlg;
	int		 w = draw_width(dc), h = draw_height(dc);
	int		 bw = w - 4 < 96 ? w - 4 : 96;
	int		 bh = (int)d->nrows + 6, y0, x0, y, mw;
	size_t		 i;
	char		 a[32], b[32], c[32], from[32];
	enum role	 r;

	if (bh > h)
		bh = h;
	y0 = (h - bh) / 2;
	x0 = (w - bw) / 2;
	box(dc, y0, x0, bh, bw);
	if (d->o.from_version)
		snprintf(from, sizeof from, "held by v%lld",
		    (long long)d->o.from_version);
	else
		snprintf(from, sizeof from, "held by nobody yet");
	draw_printf(dc, y0, x0 + 2, bw - 4, ROLE_TITLE, " Promote %s v%lld "
	    "to %s (%s) ", s->name, (long long)d->version, d->alias, from);
	mw = bw - 2 - 3 * 13;
	if (mw > 30)
		mw = 30;
	y = y0 + 1;
	draw_text(dc, y, x0 + 2, mw, ROLE_HEADER, "metric");
	snprintf(a, sizeof a, "v%lld (new)", (long long)d->version);
	draw_text_right(dc, y, x0 + 2 + mw, 12, ROLE_HEADER, a);
	if (d->o.from_version)
		snprintf(b, sizeof b, "v%lld", (long long)d->o.from_version);
	else
		snprintf(b, sizeof b, "holder");
	draw_text_right(dc, y, x0 + 2 + mw + 13, 12, ROLE_HEADER, b);
	draw_text_right(dc, y, x0 + 2 + mw + 26, 12, ROLE_HEADER, "diff");
	for (i = 0; i < d->nrows && y + 1 < y0 + bh - 4; i++) {
		const struct diff_row *dr = &d->rows[i];

		y++;
		draw_text(dc, y, x0 + 2, mw, ROLE_NORMAL, dr->key);
		draw_text_right(dc, y, x0 + 2 + mw, 12, ROLE_NORMAL,
		    dr->has_c ? text_num_short(a, dr->c, 5) : "-");
		draw_text_right(dc, y, x0 + 2 + mw + 13, 12, ROLE_NORMAL,
		    dr->has_h ? text_num_short(b, dr->h, 5) : "-");
		if (dr->has_c && dr->has_h) {
			snprintf(c, sizeof c, "%+.4g", dr->c - dr->h);
			draw_text_right(dc, y, x0 + 2 + mw + 26, 12,
			    ROLE_CHANGED, c);
		}
	}
	y = y0 + bh - 4;
	if (d->o.gated) {
		r = d->o.gate_pass ? ROLE_BEST : ROLE_WORST;
		draw_printf(dc, y + 1, x0 + 2, bw - 4, r, "gate: %s",
		    d->o.gate_text);
	} else
		draw_text(dc, y + 1, x0 + 2, bw - 4, ROLE_DIM, "no gate (type "
		    "ALIAS METRIC[:min|max] to use one)");
	draw_text(dc, y + 2, x0 + 2, bw - 4, ROLE_DIM, d->reason ?
	    "y promotes, any other key cancels" :
	    "type a reason, Enter; then y to confirm");
}

/* "logged model NAME (status)  metrics k=v ..  params k=v ..  id m-..." */
static void
lmodel_draw(struct draw_ctx *dc, int y, int w, const struct lmodel *m)
{
	char	 line[1024], b[32];
	size_t	 len, i;

#define ADD(...) do {							\
	if (len < sizeof line)						\
		len += (size_t)snprintf(line + len, sizeof line - len,	\
		    __VA_ARGS__);					\
} while (0)
	/* What tells versions apart first; the long id last. */
	len = 0;
	ADD("%s%s%s%s", m->name ? m->name : "", m->status ? " (" : "",
	    m->status ? m->status : "", m->status ? ")" : "");
	for (i = 0; i < m->nmetrics; i++)
		ADD("%s%s=%s", i ? " " : "  metrics ", m->metrics[i].key,
		    text_num_short(b, m->metrics[i].value, 4));
	for (i = 0; i < m->nparams; i++)
		ADD("%s%s=%s", i ? " " : "  params ", m->params[i].key,
		    m->params[i].value ? m->params[i].value : "");
	ADD("  id %s", m->uuid);
#undef ADD
	draw_fill(dc, y, 0, w, ROLE_NORMAL);
	draw_text(dc, y, 1, 13, ROLE_DIM, "logged model");
	draw_text(dc, y, 15, w - 16, ROLE_NORMAL, line);
}

/*
 * "verify  prod v4 passed 12:01 20 checks passed in 10m  canary v3
 * failed ...": the last watch of each alias, newest first.  The state is
 * a word, so it reads without colour (NO_COLOR, LANG=C) too.
 */
static void
verify_draw(struct draw_ctx *dc, int y, int w, const struct verify_state *vs,
    size_t n)
{
	char	t[32], b[96];
	size_t	i;
	int	x = 9, dw;

	draw_fill(dc, y, 0, w, ROLE_NORMAL);
	draw_text(dc, y, 1, 7, ROLE_DIM, "verify");
	for (i = 0; i < n && x < w - 1; i++) {
		const struct verify_state *v = &vs[i];
		enum role r;

		/* Too little room for another: say how many are left. */
		if (i > 0 && w - x < 30) {
			draw_printf(dc, y, x, w - x - 1, ROLE_DIM, "+%zu more",
			    n - i);
			break;
		}
		r = strcmp(v->state, "passed") == 0 ? ROLE_FINISHED :
		    strcmp(v->state, "watching") == 0 ? ROLE_RUNNING :
		    strcmp(v->state, "stopped") == 0 ? ROLE_KILLED :
		    ROLE_FAILED;

		snprintf(b, sizeof b, "%s v%lld ", v->alias,
		    (long long)v->version);
		x += draw_text(dc, y, x, w - x - 1, ROLE_BADGE, b);
		x += draw_text(dc, y, x, w - x - 1, r, v->state);
		text_time(t, strcmp(v->state, "watching") == 0 ? v->until :
		    v->at);
		/* hh:mm of the outcome, or of the watch's end */
		x += draw_printf(dc, y, x, w - x - 1, ROLE_DIM, " %s%.5s ",
		    strcmp(v->state, "watching") == 0 ? "until " : "",
		    t[0] ? t + 11 : "");
		/* Leave room for "+N more" when others follow. */
		dw = w - x - 1 - (i + 1 < n ? 10 : 0);
		if (i + 1 < n && dw > 40)
			dw = 40;
		if (strcmp(v->state, "watching") != 0 && dw > 0)
			x += draw_text(dc, y, x, dw, ROLE_NORMAL, v->detail);
		x += 2;
	}
}

/* The versions' columns; up to KM_MAX key metrics, named at draw. */
enum { VC_VER, VC_BADGES, VC_RUN, VC_KM, VC_SHA = VC_KM + KM_MAX,
    VC_CREATED, VC_N };
static const struct list_col ver_cols[VC_N] = {
	[VC_VER] = { 4, 0, 1, 0 },
	[VC_BADGES] = { 12, 40, 0, 0 },
	[VC_RUN] = { 16, 44, 0, 1 },
	[VC_KM] = { 9, 0, 1, 0 },
	[VC_KM + 1] = { 9, 0, 1, 0 },
	[VC_KM + 2] = { 9, 0, 1, 0 },
	[VC_SHA] = { 8, 0, 0, 0 },
	[VC_CREATED] = { 16, 0, 0, 0 },
};
static const char *const ver_heads[VC_N] = { "ver", "aliases", "run", "",
    "", "", "sha256", "created" };

static void
model_draw(struct view *v, struct draw_ctx *dc)
{
	struct model	*s = v->state;
	int		 w = draw_width(dc), h = draw_height(dc);
	int		 vh = h, hist = 0;
	int		 y, x[VC_N], wd[VC_N], k, bw, hx;
	struct list_col	 cols[VC_N];
	const char	*heads[VC_N];
	size_t		 i, first;
	char		 b[64], t[32], bd[64], kb[KM_MAX][32];
	const struct lmodel *lm;

	/* Versions get what they need (within a third and two thirds of
	 * the height); the history pane the rest. */
	if (h >= 14) {
		vh = (int)s->n + 2;
		if (vh < h / 3)
			vh = h / 3;
		if (vh > h - h / 3)
			vh = h - h / 3;
		hist = h - vh;
	}
	list_scroll(&s->l, vh - 1);
	/* Columns by the list layer: badges never cut where they fit. */
	memcpy(cols, ver_cols, sizeof cols);
	for (i = 0, bw = 9; i < s->n; i++) {
		badges(s->vers[i].aliases, bd, sizeof bd);
		if ((int)text_width(bd) > bw)
			bw = (int)text_width(bd);
	}
	cols[VC_BADGES].min = cols[VC_BADGES].max = bw < 40 ? bw : 40;
	for (k = 0; k < KM_MAX; k++)
		if (k >= (int)s->nkm)
			cols[VC_KM + k].min = 0;
	if (w < 110)
		cols[VC_CREATED].min = 0;
	list_layout(cols, VC_N, w, wd);
	if (wd[VC_BADGES] == 0 || wd[VC_RUN] == 0) {
		cols[VC_BADGES].min = 12;
		list_layout(cols, VC_N, w, wd);
	}
	/* The sha256 prefix tells versions apart: drop metrics first. */
	for (k = KM_MAX - 1; k >= 0 && wd[VC_SHA] == 0; k--)
		if (cols[VC_KM + k].min > 0) {
			cols[VC_KM + k].min = 0;
			list_layout(cols, VC_N, w, wd);
		}
	for (k = 0; k < VC_N; k++) {
		x[k] = list_col_x(wd, k, 0);
		heads[k] = ver_heads[k];
	}
	for (k = 0; k < KM_MAX && k < (int)s->nkm; k++)
		heads[VC_KM + k] = s->km[k];
	draw_fill(dc, 0, 0, w, ROLE_HEADER);
	list_header(dc, 0, 0, cols, wd, VC_N, heads);
	if (s->n == 0)
		draw_text(dc, 2, 2, -1, ROLE_DIM, "no versions: mlwb model "
		    "register NAME --run RUN [--artifact PATH]");
	for (y = 1, i = (size_t)s->l.top; y < vh && i < s->n; y++, i++) {
		const struct reg_version *rv = &s->vers[i];
		enum role r = (int)i == s->l.cursor ? ROLE_SELECTED : ROLE_NORMAL;
		const char *cell[VC_N];

		if (r == ROLE_SELECTED) {
			draw_fill(dc, y, 0, w, r);
			draw_text(dc, y, 0, 1, r, ">");
		}
		snprintf(b, sizeof b, "v%lld", (long long)rv->version);
		badges(rv->aliases, bd, sizeof bd);
		text_time(t, rv->created_at);
		t[16] = '\0';
		cell[VC_VER] = b;
		cell[VC_BADGES] = bd;
		/* The run without its experiment: a model's runs share one. */
		cell[VC_RUN] = rv->run_name == NULL ? "(no run)" :
		    strchr(rv->run_name, '/') ? strchr(rv->run_name, '/') + 1 :
		    rv->run_name;
		for (k = 0; k < KM_MAX; k++) {
			double kv = k < (int)s->nkm ?
			    s->kv[i * KM_MAX + (size_t)k] : NAN;

			cell[VC_KM + k] = isnan(kv) ? NULL :
			    text_num_short(kb[k], kv, 4);
		}
		cell[VC_SHA] = rv->sha256 ? rv->sha256 : "-";
		cell[VC_CREATED] = t;
		for (k = 0; k < VC_N; k++)
			list_cell(dc, y, x[k], wd[k], r != ROLE_NORMAL ? r :
			    k == VC_BADGES ? ROLE_BADGE : k == VC_SHA ?
			    ROLE_DIM : r, &cols[k], cell[k]);
	}
	lm = s->lm != NULL && s->l.cursor < (int)s->n ?
	    s->lm[s->l.cursor] : NULL;
	if (lm != NULL && hist >= 3) {
		lmodel_draw(dc, vh, w, lm);
		vh++;
		hist--;
	}
	if (s->nvs > 0 && hist >= 3) {
		verify_draw(dc, vh, w, s->vs, s->nvs);
		vh++;
		hist--;
	}
	/* The lineage takes what it needs, leaving the history three rows. */
	if (s->n > 0 && hist >= 6) {
		int lh = lin_lines(s);

		if (lh > hist - 3)
			lh = hist - 3;
		lin_draw(s, dc, vh, lh, w);
		vh += lh;
		hist -= lh;
	}
	if (hist > 0) {
		y = vh;
		draw_fill(dc, y, 0, w, ROLE_HEADER);
		draw_printf(dc, y, 1, -1, ROLE_HEADER, "history of %s  %zu "
		    "events (newest last)", s->name, s->nev);
		first = s->nev > (size_t)hist - 1 ? s->nev - (size_t)hist + 1 :
		    0;
		for (i = first, y++; i < s->nev && y < h; i++, y++) {
			const struct reg_event *e = &s->ev[i];
			enum role r = strcmp(e->action, "refuse") == 0 ||
			    strcmp(e->action, "deploy-failed") == 0 ||
			    strcmp(e->action, "verify-fail") == 0 ?
			    ROLE_FAILED : strcmp(e->action, "rollback") == 0 ?
			    ROLE_CHANGED : ROLE_NORMAL;

			text_time(t, e->at);
			t[16] = '\0';
			hx = draw_text(dc, y, 1, 17, ROLE_DIM, t) + 2;
			hx += draw_text(dc, y, hx, 14, r, e->action);
			hx = 32;
			if (e->alias != NULL) {
				if (e->from_version)
					snprintf(b, sizeof b, "%s v%lld>v%lld",
					    e->alias,
					    (long long)e->from_version,
					    (long long)e->to_version);
				else
					snprintf(b, sizeof b, "%s v%lld",
					    e->alias,
					    (long long)e->to_version);
			} else if (e->to_version)
				snprintf(b, sizeof b, "v%lld",
				    (long long)e->to_version);
			else
				b[0] = '\0';
			draw_text(dc, y, hx, 22, r, b);
			hx += 23;
			hx += draw_printf(dc, y, hx, w - hx, ROLE_DIM, "%s%s ",
			    e->forced ? "FORCED " : "", e->actor ? e->actor :
			    "?");
			if (e->has_deploy)
				hx += draw_printf(dc, y, hx, w - hx, e->deploy_status ?
				    ROLE_FAILED : ROLE_DIM, "%s=%d ",
				    strncmp(e->action, "verify-", 7) == 0 ?
				    "status" : "deploy", e->deploy_status);
			draw_text(dc, y, hx, w - hx, ROLE_NORMAL, e->reason ?
			    e->reason : e->gate_result ? e->gate_result : "");
		}
	}
	if (s->dlg.open)
		dialog_draw(s, dc);
}

static void
dialog_close(struct model *s)
{
	reg_outcome_clear(&s->dlg.o);
	free(s->dlg.reason);
	memset(&s->dlg, 0, sizeof s->dlg);
}

static void
fill_who(struct reg_who *who, char host[256])
{
	reg_who_default(who, host);
}

/*
 * The project file found from the current directory, or NULL (none, or
 * broken: then the error is shown and *bad set).
 */
static struct project *
find_project(struct app *app, int *bad)
{
	struct project	*p = NULL;
	struct wb_err	 err;
	char		*path = NULL;
	int		 rc;

	*bad = 0;
	if ((rc = project_find(".", &path, &err)) == WB_ENOTFOUND)
		return NULL;
	if (rc == WB_OK)
		rc = project_load(path, &p, &err);
	wb_free(path);
	if (rc != WB_OK) {
		app_error(app, "%s", err.msg);
		*bad = 1;
		return NULL;
	}
	return p;
}

/*
 * Run m, a promotion or a rollback, as the command does: who moves it,
 * and the project's deploy entry.  -1 when it could not start (the error
 * is shown); else the registry's code, with *o the caller's to clear.
 */
static int
registry_move(struct app *app, struct reg_move *m, int rollback,
    struct reg_outcome *o, int *verifying, struct wb_err *err)
{
	struct project		*p;
	struct verify_spec	 vs;
	struct wb_err		 verr;
	char			 host[256], **dargv = NULL, *dcwd = NULL;
	char			**vargv = NULL, *vcwd = NULL;
	char *const		*denv = NULL;
	int			 rc, bad;

	memset(o, 0, sizeof *o);
	fill_who(&m->who, host);
	if ((p = find_project(app, &bad)) == NULL && bad)
		return -1;
	if (reg_project_deploy(p, &dargv, &dcwd, &denv, err) != WB_OK) {
		app_error(app, "%s", err->msg);
		project_free(p);
		return -1;
	}
	m->deploy_argv = dargv;
	m->deploy_cwd = dcwd;
	m->deploy_env = denv;
	rc = (rollback ? reg_rollback : reg_promote)(app_db(app), m, o, err);
	/*
	 * A promotion that moved the alias is verified as the command does
	 * it, by a watcher of its own (it outlives the screen); the screen
	 * shows its state from the events it writes.
	 */
	*verifying = 0;
	if (!rollback && rc == WB_OK && o->moved) {
		if (verify_project(p, &vs, &vargv, &vcwd, &verr) != WB_OK)
			app_error(app, "verify: %s", verr.msg);
		else if (vs.argv != NULL) {
			m->version = o->to_version;
			if (verify_job_start(db_path(app_db(app)), m, &vs, NULL,
			    &verr) != WB_OK)
				app_error(app, "verify: %s", verr.msg);
			else
				*verifying = 1;
		}
		project_argv_free(vargv);
		wb_free(vcwd);
	}
	m->deploy_argv = NULL;
	m->deploy_cwd = NULL;
	m->deploy_env = NULL;
	project_argv_free(dargv);
	wb_free(dcwd);
	project_free(p);
	return rc;
}

static void
promote_yes(struct view *v, struct app *app)
{
	struct model		*s = v->state;
	struct reg_move		 m;
	struct reg_outcome	 o;
	struct wb_err		 err;
	char			 from[32];
	int			 rc, verifying;

	memset(&m, 0, sizeof m);
	m.model = s->name;
	m.version = s->dlg.version;
	m.alias = s->dlg.alias;
	m.reason = s->dlg.reason && *s->dlg.reason ? s->dlg.reason : NULL;
	m.gate = s->dlg.gate[0] ? s->dlg.gate : NULL;
	/* The box showed the refusal; y after it is a forced promotion. */
	m.force = s->dlg.o.gated && !s->dlg.o.gate_pass;
	if ((rc = registry_move(app, &m, 0, &o, &verifying, &err)) < 0) {
		dialog_close(s);
		return;
	}
	if (o.from_version)
		snprintf(from, sizeof from, "v%lld", (long long)o.from_version);
	else
		snprintf(from, sizeof from, "nobody");
	if (rc == WB_OK)
		app_message(app, "%s: %s %s -> v%lld%s%s%s", s->name, m.alias,
		    from, (long long)o.to_version, o.forced ? " (forced)" : "",
		    o.deployed ? ", deployed" : "", verifying ?
		    ", verifying" : "");
	else
		app_error(app, "%s", err.msg);
	reg_outcome_clear(&o);
	dialog_close(s);
	app_changed(app);
}

/* Not confirmed: the box goes, nothing was promoted. */
static void
promote_no(struct view *v, struct app *app)
{
	struct model	*s = v->state;
	long long	 ver = (long long)s->dlg.version;

	dialog_close(s);
	app_message(app, "cancelled: v%lld not promoted", ver);
}

static void
reason_done(struct view *v, struct app *app, const char *text)
{
	struct model	*s = v->state;
	char		 q[256];

	if (text == NULL) {
		dialog_close(s);
		app_message(app, "cancelled");
		return;
	}
	s->dlg.reason = xstrdup(text);
	snprintf(q, sizeof q, "%s v%lld to %s of %s?",
	    s->dlg.o.gated && !s->dlg.o.gate_pass ? "Gate refused: FORCE "
	    "promote" : "Promote", (long long)s->dlg.version, s->dlg.alias,
	    s->name);
	app_confirm(app, q, promote_yes, promote_no);
}

/* Metric rows of the box: the gate's metric first, then key metrics. */
static void
dialog_diff(struct model *s, struct db *db)
{
	struct reg_version	 h;
	struct metric_summary	*cs = NULL, *hs = NULL;
	struct wb_err		 err;
	int64_t			 crun, hrun = 0;
	size_t			 nc = 0, nh = 0, i, j;
	struct diff_row		*dr;
	struct reg_gate		 g;

	crun = s->vers[s->l.cursor].run_id;
	if (s->dlg.o.from_version != 0 && db_reg_version_get(db, s->id,
	    s->dlg.o.from_version, &h, &err) == WB_OK) {
		hrun = h.run_id;
		reg_version_clear(&h);
	}
	if (crun)
		db_metric_summaries(db, crun, &cs, &nc, &err);
	if (hrun)
		db_metric_summaries(db, hrun, &hs, &nh, &err);
	s->dlg.nrows = 0;
	if (s->dlg.gate[0] && reg_gate_parse(s->dlg.gate, &g, &err) == WB_OK) {
		dr = &s->dlg.rows[s->dlg.nrows++];
		snprintf(dr->key, sizeof dr->key, "%s", g.metric);
	}
	for (i = 0; i < s->nkm && s->dlg.nrows < DIFF_MAX; i++) {
		for (j = 0; j < s->dlg.nrows; j++)
			if (strcmp(s->dlg.rows[j].key, s->km[i]) == 0)
				break;
		if (j == s->dlg.nrows)
			snprintf(s->dlg.rows[s->dlg.nrows++].key,
			    sizeof dr->key, "%s", s->km[i]);
	}
	for (i = 0; i < nc && s->dlg.nrows < DIFF_MAX; i++) {
		for (j = 0; j < s->dlg.nrows; j++)
			if (strcmp(s->dlg.rows[j].key, cs[i].key) == 0)
				break;
		if (j == s->dlg.nrows && strlen(cs[i].key) < sizeof dr->key)
			snprintf(s->dlg.rows[s->dlg.nrows++].key,
			    sizeof dr->key, "%s", cs[i].key);
	}
	for (j = 0; j < s->dlg.nrows; j++) {
		dr = &s->dlg.rows[j];
		for (i = 0; i < nc; i++)
			if (strcmp(cs[i].key, dr->key) == 0) {
				dr->has_c = 1;
				dr->c = cs[i].last;
			}
		for (i = 0; i < nh; i++)
			if (strcmp(hs[i].key, dr->key) == 0) {
				dr->has_h = 1;
				dr->h = hs[i].last;
			}
	}
	metric_summaries_free(cs, nc);
	metric_summaries_free(hs, nh);
}

static void
alias_done(struct view *v, struct app *app, const char *text)
{
	struct model	*s = v->state;
	struct reg_move	 m;
	struct wb_err	 err;
	char		 buf[256], *gate;

	if (text == NULL || s->n == 0)
		return;
	snprintf(buf, sizeof buf, "%s", text);
	/* "ALIAS [METRIC[:min|max]]" */
	gate = buf + strcspn(buf, " ");
	if (*gate != '\0') {
		*gate++ = '\0';
		gate += strspn(gate, " ");
	}
	dialog_close(s);
	if (reg_alias_norm(buf, s->dlg.alias, &err) != WB_OK) {
		app_error(app, "%s", err.msg);
		return;
	}
	snprintf(s->dlg.gate, sizeof s->dlg.gate, "%s", gate);
	s->dlg.version = s->vers[s->l.cursor].version;
	memset(&m, 0, sizeof m);
	m.model = s->name;
	m.version = s->dlg.version;
	m.alias = s->dlg.alias;
	m.gate = *gate ? s->dlg.gate : NULL;
	if (reg_gate_check(app_db(app), &m, &s->dlg.o, &err) != WB_OK) {
		app_error(app, "%s", err.msg);
		dialog_close(s);
		return;
	}
	dialog_diff(s, app_db(app));
	s->dlg.open = 1;
	app_prompt(app, "reason: ", "", "reason", reason_done);
}

static char rb_alias[REG_ALIAS_MAX + 1];

static void
rollback_yes(struct view *v, struct app *app)
{
	struct model		*s = v->state;
	struct reg_move		 m;
	struct reg_outcome	 o;
	struct wb_err		 err;
	int			 rc, verifying;

	memset(&m, 0, sizeof m);
	m.model = s->name;
	m.alias = rb_alias;
	m.reason = "rolled back from the registry screen";
	if ((rc = registry_move(app, &m, 1, &o, &verifying, &err)) < 0)
		return;
	if (rc == WB_OK)
		app_message(app, "%s: %s v%lld -> v%lld (rollback)%s", s->name,
		    rb_alias, (long long)o.from_version,
		    (long long)o.to_version, o.deployed ? ", deployed" : "");
	else
		app_error(app, "%s", err.msg);
	reg_outcome_clear(&o);
	app_changed(app);
}

static void
rollback_alias_done(struct view *v, struct app *app, const char *text)
{
	struct model	*s = v->state;
	struct wb_err	 err;
	int64_t		 from, to;
	char		 q[256];

	if (text == NULL)
		return;
	if (reg_alias_norm(text, rb_alias, &err) != WB_OK ||
	    reg_rollback_target(app_db(app), s->name, rb_alias, &from, &to,
	    &err) != WB_OK) {
		app_error(app, "%s", err.msg);
		return;
	}
	if (from == 0 || to == 0) {
		app_error(app, "%s of %s: %s", rb_alias, s->name, from == 0 ?
		    "nobody holds it" : "no earlier holder to go back to");
		return;
	}
	snprintf(q, sizeof q, "Roll %s of %s back from v%lld to v%lld?",
	    rb_alias, s->name, (long long)from, (long long)to);
	app_confirm(app, q, rollback_yes, NULL);
}

static enum action
model_handle(struct view *v, struct app *app, enum action a)
{
	struct model	*s = v->state;
	char		 initial[REG_ALIAS_MAX + 1];

	if (s->dlg.open) {
		/* A key after the box was answered (or cancelled) closes it. */
		dialog_close(s);
		if (a == ACT_BACK)
			return ACT_NONE;
	}
	if (list_move(&s->l, a, list_page(v->rows))) {
		lin_sync(s, app_db(app), 0);
		return ACT_NONE;
	}
	switch (a) {
	case ACT_ENTER:
		if (s->n > 0 && s->vers[s->l.cursor].run_id != 0)
			app_push(app, view_run_new(app,
			    s->vers[s->l.cursor].run_id));
		else if (s->n > 0)
			app_message(app, "v%lld has no run",
			    (long long)s->vers[s->l.cursor].version);
		return ACT_NONE;
	case ACT_LEFT:
		return ACT_BACK;
	case ACT_YANK:
		if (s->n > 0) {
			char	uri[256];

			snprintf(uri, sizeof uri, "models:/%s/%lld", s->name,
			    (long long)s->vers[s->l.cursor].version);
			app_yank(app, "model URI", uri);
		}
		return ACT_NONE;
	case ACT_PROMOTE:
	case ACT_ROLLBACK:
		if (app_readonly(app)) {
			app_error(app, "read-only workspace: promotion and "
			    "rollback are off (started with --read-only)");
			return ACT_NONE;
		}
		if (s->n == 0)
			return ACT_NONE;
		/* Suggest the version's own alias, else champion. */
		snprintf(initial, sizeof initial, "%s",
		    s->vers[s->l.cursor].aliases ? s->vers[s->l.cursor].aliases :
		    "champion");
		initial[strcspn(initial, " ")] = '\0';
		if (a == ACT_PROMOTE) {
			struct project	*p;
			const char	*g;
			char		 buf[256];
			int		 bad;

			/* The project's gate for this model, if any. */
			if ((p = find_project(app, &bad)) == NULL && bad)
				return ACT_NONE;
			g = p != NULL ? project_gate(p, s->name) : NULL;
			snprintf(buf, sizeof buf, "%s%s%s", initial,
			    g ? " " : "", g ? g : "");
			project_free(p);
			app_prompt(app, "promote to alias [gate metric]: ",
			    buf, "alias", alias_done);
		}
		else
			app_prompt(app, "roll back alias: ", initial, "alias",
			    rollback_alias_done);
		return ACT_NONE;
	default:
		return a;
	}
}

static const char *
model_title(struct view *v)
{
	struct model	*s = v->state;

	snprintf(s->title, sizeof s->title, "model %s  %zu version%s",
	    s->name, s->n, s->n == 1 ? "" : "s");
	return s->title;
}

static void
model_free(struct view *v)
{
	struct model	*s = v->state;

	dialog_close(s);
	lms_free(s);
	lineage_clear(&s->lin);
	reg_versions_free(s->vers, s->n);
	reg_events_free(s->ev, s->nev);
	wb_free(s->vs);
	free(s->kv);
	free(s->name);
	free(s);
}

static void
model_click(struct view *v, struct app *app, int y, int x)
{
	struct model	*s = v->state;

	(void)x;
	if (y >= 1 && s->l.top + y - 1 < (int)s->n) {
		s->l.cursor = s->l.top + y - 1;
		lin_sync(s, app_db(app), 0);
	}
}

static const char *
model_status(struct view *v)
{
	struct model	*s = v->state;

	return s->ro ? "read-only workspace: promotion and rollback are off" :
	    NULL;
}

static int
model_position(struct view *v, int64_t *cur, int64_t *n)
{
	struct model	*s = v->state;

	*cur = s->l.cursor;
	*n = (int64_t)s->n;
	return 1;
}

static const char *
model_crumb(struct view *v)
{
	return ((struct model *)v->state)->name;
}

static const struct view_key model_keys[] = {
	{ ACT_PROMOTE, "promote" }, { ACT_ROLLBACK, "rollback" },
	{ ACT_ENTER, "run" }, { ACT_YANK, "copy URI" }, { ACT_LEFT, NULL },
	{ ACT_UP, NULL }, { ACT_DOWN, NULL }, { ACT_PAGE_UP, NULL },
	{ ACT_PAGE_DOWN, NULL }, { ACT_FIRST, NULL }, { ACT_LAST, NULL },
	{ ACT_NONE, NULL }
};

static const struct view_ops model_ops = {
	.keys = model_keys,
	.status = model_status,
	.position = model_position,
	.crumb = model_crumb,
	.name = "model",
	.load = model_load,
	.draw = model_draw,
	.handle = model_handle,
	.free = model_free,
	.title = model_title,
	.click = model_click,
};

struct view *
view_model_new(struct app *app, int64_t model_id, const char *name)
{
	struct model	*s = xcalloc(1, sizeof *s);

	s->ro = app_readonly(app);
	s->id = model_id;
	s->name = xstrdup(name);
	return view_new(&model_ops, s);
}
