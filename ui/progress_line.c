/*
 * progress_line: draws the struct wb_progress hook's reports as one line on
 * stderr (see progress_line.h).  Written with write(2) straight to the
 * terminal: the line is made of our own bytes and of a label that was
 * sanitised here, and must not wait in stdio's buffer.
 */
#include "config.h"

#include "progress_line.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "cli.h"
#include "out.h"
#include "strbuf.h"
#include "text.h"
#include "xmem.h"

#define PROGRESS_INTERVAL_MS	100	/* at most ten redraws a second */

static double
elapsed_s(const struct timespec *a, const struct timespec *b)
{
	return (double)(b->tv_sec - a->tv_sec) +
	    (double)(b->tv_nsec - a->tv_nsec) / 1e9;
}

/* "12.3 MB" for bytes, "12,345 rows" otherwise. */
static void
amount(struct strbuf *sb, double v, const char *unit)
{
	static const char *const sfx[] = { "B", "kB", "MB", "GB", "TB" };
	size_t	i = 0;

	if (strcmp(unit, "bytes") == 0) {
		while (v >= 1000 && i + 1 < sizeof sfx / sizeof *sfx) {
			v /= 1000;
			i++;
		}
		strbuf_addf(sb, i ? "%.1f %s" : "%.0f %s", v, sfx[i]);
	} else
		strbuf_addf(sb, "%.0f %s", v, unit);
}

static void
put(const struct strbuf *sb)
{
	const char	*s = strbuf_str(sb);
	size_t		 len = sb->len;
	ssize_t		 n;

	while (len > 0 && (n = write(STDERR_FILENO, s, len)) > 0) {
		s += n;
		len -= (size_t)n;
	}
}

static void
draw(void *arg, uint64_t done, uint64_t total, const char *unit)
{
	struct progress	*p = arg;
	struct strbuf	 sb = STRBUF_INIT, tail = STRBUF_INIT;
	struct timespec	 now;
	struct winsize	 ws;
	double		 t, rate;
	size_t		 cols = 80;

	clock_gettime(CLOCK_MONOTONIC, &now);
	if (p->drawn && elapsed_s(&p->last, &now) * 1000 <
	    PROGRESS_INTERVAL_MS)
		return;
	p->last = now;
	t = elapsed_s(&p->t0, &now);
	/* "3 of 10 runs", but "1.2 MB of 4.7 MB". */
	if (total > 0 && strcmp(unit, "bytes") != 0)
		strbuf_addf(&tail, "%llu", (unsigned long long)done);
	else
		amount(&tail, (double)done, unit);
	if (total > 0) {
		strbuf_adds(&tail, " of ");
		amount(&tail, (double)total, unit);
		strbuf_addf(&tail, " (%d%%)", done >= total ? 100 :
		    (int)((double)done * 100 / (double)total));
	}
	if (t > 0.2 && done > 0) {
		rate = (double)done / t;
		strbuf_adds(&tail, ", ");
		amount(&tail, rate, unit);
		strbuf_adds(&tail, "/s");
		if (total > done)
			strbuf_addf(&tail, ", %.0f s left",
			    (double)(total - done) / rate + 0.5);
	}
	if (ioctl(STDERR_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0)
		cols = ws.ws_col;
	/* "\r", the line, then erase what a longer one left. */
	strbuf_adds(&sb, "\rmlwb: ");
	if (p->nitems > 1 && strcmp(unit, "files") != 0)
		strbuf_addf(&sb, "[%zu/%zu] ", p->item + 1, p->nitems);
	/* A label too long for the line is left out, never wrapped. */
	if (p->label != NULL && text_width(p->label) + text_width(
	    strbuf_str(&tail)) + 16 < cols)
		strbuf_addf(&sb, "%s: ", p->label);
	strbuf_adds(&sb, strbuf_str(&tail));
	strbuf_adds(&sb, "\033[K");
	if (!sb.oom)
		put(&sb);
	p->drawn = 1;
	strbuf_free(&sb);
	strbuf_free(&tail);
}

void
progress_init(struct progress *p, const struct cli *cli)
{
	memset(p, 0, sizeof *p);
	p->on = isatty(STDERR_FILENO) && !cli->quiet &&
	    cli->format != OUT_JSON;
	p->hook.fn = draw;
	p->hook.arg = p;
	clock_gettime(CLOCK_MONOTONIC, &p->t0);
}

const struct wb_progress *
progress_hook(struct progress *p)
{
	return p->on ? &p->hook : NULL;
}

void
progress_start(struct progress *p, const char *label, size_t item,
    size_t nitems)
{
	struct strbuf	sb = STRBUF_INIT;

	if (!p->on)
		return;
	free(p->label);
	p->label = NULL;
	if (label != NULL) {
		text_sanitize(&sb, label, strlen(label));
		if (sb.oom)
			ui_fatal("out of memory");
		p->label = strbuf_detach(&sb);
	}
	p->item = item;
	p->nitems = nitems;
	clock_gettime(CLOCK_MONOTONIC, &p->t0);
	/* Many files: the count moves even when each file is small. */
	if (nitems > 1)
		draw(p, item, nitems, "files");
}

void
progress_clear(struct progress *p)
{
	static const char	erase[] = "\r\033[K";

	if (!p->drawn)
		return;
	if (write(STDERR_FILENO, erase, sizeof erase - 1) < 0) {
		/* Nothing to do: the terminal is gone. */
	}
	p->drawn = 0;
}

void
progress_free(struct progress *p)
{
	progress_clear(p);
	free(p->label);
	p->label = NULL;
}
