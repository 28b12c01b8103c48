/*
 * view_joblog: one job's output, followed live: the run's metrics with
 * sparklines on top, the log below (cleaned: a '\r' progress bar shows
 * its current state, ANSI escapes are dropped, the rest is sanitised by
 * draw_text).  Scrolls; sticks to the end until scrolled up (G sticks
 * again); / searches, n N move.  Reads only the log's new bytes.
 */
#include "config.h"

#include <fcntl.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "xmem.h"
#include "db.h"
#include "db_jobs.h"
#include "db_run.h"
#include "db_metric.h"
#include "draw.h"
#include "err.h"
#include "list.h"
#include "launch.h"
#include "project.h"
#include "scalars.h"
#include "strbuf.h"
#include "text.h"
#include "jobs_common.h"
#include "view.h"

#define LOG_MAX_LINES	20000	/* lines kept by the follower */
#define LOG_READ_MAX	(4 << 20)	/* bytes read per reload */
#define SPARK_N		32
#define SPARK_METRICS	4

/* joblog: one job's output --------------------------------------------- */

struct spark {
	char	*key;
	double	 last, lo, hi;
	double	 v[SPARK_N];
	int	 n;
};

struct joblog {
	int64_t		 run_id;
	struct job	 job;
	int		 have_job;
	char		**lines;	/* cleaned, complete lines */
	size_t		 n;
	int64_t		 dropped;	/* lines before lines[0] */
	struct strbuf	 partial;	/* the line being written */
	off_t		 offset;	/* of the log read so far */
	int		 skip_partial;	/* started mid-line: drop it */
	int64_t		 npoints;	/* points behind the sparklines */
	int64_t		 sparks_at;	/* when they were loaded (ms) */
	struct spark	 sparks[SPARK_METRICS];
	int		 nsparks;
	int		 top;		/* first log line shown */
	int		 stick;		/* follow the end */
	int		 body;		/* log rows at the last draw */
	char		*search;
	int		 match;		/* line index, -1 none */
	int64_t		 now;
	char		 title[160];
};

static void
log_add(struct joblog *s, const char *line, size_t len)
{
	char	*clean = xmalloc(len + 1);
	size_t	 n = scalars_clean(line, len, clean);

	clean[n] = '\0';
	if (s->n == LOG_MAX_LINES) {
		/* Drop the older half at once: one move per 10,000 lines. */
		size_t	half = s->n / 2, i;

		for (i = 0; i < half; i++)
			free(s->lines[i]);
		memmove(s->lines, s->lines + half, (s->n - half) *
		    sizeof *s->lines);
		s->n -= half;
		s->dropped += (int64_t)half;
		s->top = s->top > (int)half ? s->top - (int)half : 0;
		s->match = s->match >= (int)half ? s->match - (int)half : -1;
	}
	s->lines = xreallocarray(s->lines, s->n + 1, sizeof *s->lines);
	s->lines[s->n++] = clean;
}

/* Read what the log gained since the last load. */
static void
log_read(struct joblog *s)
{
	char	 buf[65536];
	ssize_t	 r;
	off_t	 total = 0, end;
	int	 fd;
	size_t	 i, start;

	if (s->job.log_path == NULL ||
	    (fd = open(s->job.log_path, O_RDONLY | O_CLOEXEC)) < 0)
		return;
	/* A long log: start with its last LOG_READ_MAX bytes. */
	if (s->offset == 0 && (end = lseek(fd, 0, SEEK_END)) > LOG_READ_MAX) {
		s->offset = end - LOG_READ_MAX;
		s->skip_partial = 1;
	}
	if (lseek(fd, s->offset, SEEK_SET) == s->offset) {
		while (total < LOG_READ_MAX &&
		    (r = read(fd, buf, sizeof buf)) > 0) {
			s->offset += r;
			total += r;
			for (start = 0, i = 0; i < (size_t)r; i++) {
				if (buf[i] != '\n')
					continue;
				strbuf_add(&s->partial, buf + start, i - start);
				/* The cut line we started in is not shown. */
				if (s->skip_partial)
					s->skip_partial = 0;
				else
					log_add(s, strbuf_str(&s->partial),
					    s->partial.len);
				strbuf_reset(&s->partial);
				start = i + 1;
			}
			strbuf_add(&s->partial, buf + start, (size_t)r - start);
			/* A bar that never ends its line: keep its tail. */
			if (s->partial.len > 65536) {
				char *cr = memrchr(s->partial.s, '\r',
				    s->partial.len);
				size_t keep = cr != NULL ?
				    s->partial.len - (size_t)(cr - s->partial.s) :
				    0;
				memmove(s->partial.s, s->partial.s +
				    s->partial.len - keep, keep);
				s->partial.len = keep;
				s->partial.s[keep] = '\0';
			}
		}
	}
	close(fd);
}

static void
sparks_load(struct joblog *s, struct db *db)
{
	struct metric_summary	*ms;
	struct series		 se;
	size_t			 n, i, k, from;
	int64_t			 points = 0, now = db_now_ms();
	int			 m;

	if (db_metric_summaries(db, s->run_id, &ms, &n, NULL) != WB_OK)
		return;
	/*
	 * Series are read whole: only when points came, and at most once a
	 * second while a job runs (a million-point run costs a few ms).
	 */
	for (i = 0; i < n; i++)
		points += ms[i].count;
	if (s->sparks_at != 0 && (points == s->npoints ||
	    (jobs_state_active(s->job.state) && now - s->sparks_at < 1000))) {
		metric_summaries_free(ms, n);
		return;
	}
	s->npoints = points;
	s->sparks_at = now;
	for (m = 0; m < s->nsparks; m++)
		free(s->sparks[m].key);
	s->nsparks = 0;
	for (i = 0; i < n && s->nsparks < SPARK_METRICS; i++) {
		struct spark *sp = &s->sparks[s->nsparks];

		if (db_series_load(db, s->run_id, ms[i].key_id, &se, NULL) !=
		    WB_OK)
			continue;
		sp->key = xstrdup(ms[i].key);
		sp->last = ms[i].last;
		/* Scaled to the points shown: the recent trend, not the run's. */
		sp->lo = INFINITY;
		sp->hi = -INFINITY;
		from = se.n > SPARK_N ? se.n - SPARK_N : 0;
		for (k = from, sp->n = 0; k < se.n; k++) {
			sp->v[sp->n++] = se.value[k];
			if (se.value[k] < sp->lo)
				sp->lo = se.value[k];
			if (se.value[k] > sp->hi)
				sp->hi = se.value[k];
		}
		if (!(sp->hi >= sp->lo) || !isfinite(sp->hi - sp->lo))
			sp->lo = sp->hi = 0;
		series_free(&se);
		s->nsparks++;
	}
	metric_summaries_free(ms, n);
}

static int
joblog_load(struct view *v, struct db *db, struct wb_err *err)
{
	struct joblog	*s = v->state;
	struct job	 j;
	int		 rc;

	if ((rc = db_job_of_run(db, s->run_id, &j, err)) != WB_OK)
		return rc;
	if (s->have_job)
		job_clear(&s->job);
	s->job = j;
	s->have_job = 1;
	log_read(s);
	sparks_load(s, db);
	s->now = db_now_ms();
	return WB_OK;
}

/* Rows above the log: status line, metrics, a rule. */
static int
joblog_head(const struct joblog *s)
{
	return 1 + s->nsparks + 1;
}

static void
joblog_draw(struct view *v, struct draw_ctx *dc)
{
	struct joblog	*s = v->state;
	int		 w = draw_width(dc), h = draw_height(dc), y, x, m, head;
	int		 total, i;
	char		 t[32], num[32];

	if (!s->have_job)
		return;
	if (jobs_state_active(s->job.state))
		v->stale = 1;
	head = joblog_head(s);
	s->body = h - head > 1 ? h - head : 1;
	total = (int)s->n + (s->partial.len > 0);
	if (s->stick || s->top > total - s->body)
		s->top = total - s->body > 0 ? total - s->body : 0;

	x = draw_printf(dc, 0, 0, w, ROLE_BOLD, "%.8s  ", s->job.run_uuid);
	x += draw_printf(dc, 0, x, w - x, ROLE_NORMAL, "%s  ",
	    s->job.run_name);
	x += draw_text(dc, 0, x, w - x, jobs_state_role(s->job.state),
	    s->job.state);
	x += draw_printf(dc, 0, x, w - x, ROLE_NORMAL, "  %s",
	    jobs_elapsed(t, &s->job, s->now));
	if (s->job.signal)
		x += draw_printf(dc, 0, x, w - x, ROLE_DIM, "  signal %d",
		    s->job.signal);
	else if (s->job.has_exit_code)
		x += draw_printf(dc, 0, x, w - x, ROLE_DIM, "  exit %d",
		    s->job.exit_code);
	if (!s->stick)
		draw_text_right(dc, 0, 0, w, ROLE_DIM, "scrolled (G: follow)");
	for (m = 0; m < s->nsparks; m++) {
		const struct spark *sp = &s->sparks[m];

		draw_text(dc, 1 + m, 2, 20, ROLE_NORMAL, sp->key);
		draw_text_right(dc, 1 + m, 23, 11, ROLE_BOLD,
		    text_num_short(num, sp->last, 6));
		draw_spark(dc, 1 + m, 36, sp->n, sp->v, sp->n, sp->lo, sp->hi,
		    ROLE_SERIES0, 0);
	}
	for (x = 0; x < w; x++)
		draw_glyph(dc, head - 1, x, ROLE_BORDER, "\xe2\x94\x80", '-');
	if (total == 0)
		draw_text(dc, head, 2, -1, ROLE_DIM, s->job.log_path == NULL ?
		    "(no log)" : strcmp(s->job.state, "queued") == 0 ?
		    "(queued: no output yet)" : "(no output yet)");
	for (y = head, i = s->top; y < h && i < total; y++, i++) {
		const char	*line;
		char		*clean = NULL;
		enum role	 r = ROLE_NORMAL;

		if (i < (int)s->n)
			line = s->lines[i];
		else {
			/* The line in progress, as its bar shows it now. */
			clean = xmalloc(s->partial.len + 1);
			clean[scalars_clean(s->partial.s, s->partial.len,
			    clean)] = '\0';
			line = clean;
		}
		if (i == s->match)
			r = ROLE_SELECTED;
		else if (s->search != NULL && *s->search != '\0' &&
		    strstr(line, s->search) != NULL)
			r = ROLE_MARKED;
		if (r != ROLE_NORMAL)
			draw_fill(dc, y, 0, w, r);
		draw_text(dc, y, 0, w, r, line);
		free(clean);
	}
}

/* The next line from `from` in direction dir that contains the search. */
static int
find(struct joblog *s, int from, int dir)
{
	int	i;

	if (s->search == NULL || *s->search == '\0')
		return -1;
	for (i = from; i >= 0 && i < (int)s->n; i += dir)
		if (strstr(s->lines[i], s->search) != NULL)
			return i;
	return -1;
}

static void
show_match(struct view *v, struct app *app, int from, int dir)
{
	struct joblog	*s = v->state;
	int		 i = find(s, from, dir), wrapped = 0;

	/* Past the end (or the start): go on from the other end. */
	if (i < 0 && (i = find(s, dir > 0 ? 0 : (int)s->n - 1, dir)) >= 0)
		wrapped = 1;
	if (i < 0) {
		app_error(app, "not found: %s", s->search ? s->search : "");
		return;
	}
	s->match = i;
	s->stick = 0;
	if (i < s->top || i >= s->top + s->body)
		s->top = i - s->body / 2 > 0 ? i - s->body / 2 : 0;
	app_message(app, "line %lld%s", (long long)(i + 1 + s->dropped),
	    wrapped ? dir > 0 ? " (from the top)" : " (from the end)" : "");
}

static void
search_done(struct view *v, struct app *app, const char *text)
{
	struct joblog	*s = v->state;

	if (text == NULL)
		return;
	free(s->search);
	s->search = xstrdup(text);
	s->match = -1;
	if (*text != '\0')
		show_match(v, app, s->top, 1);
}

static enum action
joblog_handle(struct view *v, struct app *app, enum action a)
{
	struct joblog	*s = v->state;
	int		 page = s->body > 1 ? s->body - 1 : 1;

	switch (a) {
	case ACT_UP:
		s->stick = 0;
		if (s->top > 0)
			s->top--;
		return ACT_NONE;
	case ACT_DOWN:
		s->top++;
		return ACT_NONE;
	case ACT_PAGE_UP:
		s->stick = 0;
		s->top = s->top > page ? s->top - page : 0;
		return ACT_NONE;
	case ACT_PAGE_DOWN:
		s->top += page;
		return ACT_NONE;
	case ACT_FIRST:
		s->stick = 0;
		s->top = 0;
		return ACT_NONE;
	case ACT_LAST:
		s->stick = 1;
		return ACT_NONE;
	case ACT_FILTER:
		app_prompt(app, "/", s->search ? s->search : "", "search",
		    search_done);
		return ACT_NONE;
	case ACT_SEARCH_NEXT:
		show_match(v, app, s->match >= 0 ? s->match + 1 : s->top, 1);
		return ACT_NONE;
	case ACT_SEARCH_PREV:
		show_match(v, app, s->match >= 0 ? s->match - 1 :
		    s->top + s->body - 1, -1);
		return ACT_NONE;
	case ACT_KILL:
		if (s->have_job)
			jobs_ask_kill(app, &s->job);
		return ACT_NONE;
	case ACT_ENTER:
		app_push(app, view_run_new(app, s->run_id));
		return ACT_NONE;
	case ACT_PLOT:
		app_push(app, view_chart_new(app, &s->run_id, 1, 0));
		return ACT_NONE;
	default:
		return a;
	}
}

static const char *
joblog_title(struct view *v)
{
	struct joblog	*s = v->state;

	snprintf(s->title, sizeof s->title, "output of %.80s",
	    s->have_job ? s->job.run_name : "?");
	return s->title;
}

static void
joblog_free(struct view *v)
{
	struct joblog	*s = v->state;
	size_t		 i;
	int		 m;

	for (i = 0; i < s->n; i++)
		free(s->lines[i]);
	free(s->lines);
	for (m = 0; m < s->nsparks; m++)
		free(s->sparks[m].key);
	strbuf_free(&s->partial);
	if (s->have_job)
		job_clear(&s->job);
	free(s->search);
	free(s);
}

static const struct view_key joblog_keys[] = {
	{ ACT_FILTER, "search" }, { ACT_SEARCH_NEXT, "next" },
	{ ACT_LAST, "follow" }, { ACT_PLOT, "plot" }, { ACT_KILL, "kill" },
	{ ACT_ENTER, "run" }, { ACT_SEARCH_PREV, NULL }, { ACT_UP, NULL },
	{ ACT_DOWN, NULL }, { ACT_PAGE_UP, NULL }, { ACT_PAGE_DOWN, NULL },
	{ ACT_FIRST, NULL }, { ACT_NONE, NULL }
};

static const struct view_ops joblog_ops = {
	.keys = joblog_keys,
	.name = "joblog",
	.load = joblog_load,
	.draw = joblog_draw,
	.handle = joblog_handle,
	.free = joblog_free,
	.title = joblog_title,
};

struct view *
view_joblog_new(struct app *app, int64_t run_id)
{
	struct joblog	*s = xcalloc(1, sizeof *s);

	(void)app;
	s->run_id = run_id;
	s->stick = 1;
	s->match = -1;
	return view_new(&joblog_ops, s);
}

