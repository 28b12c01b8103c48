/*
 * screen: curses.  Frames are erase() + drawing + wnoutrefresh() +
 * doupdate(), so only changed cells travel (a slow SSH link sees a few
 * bytes per key, never a full clear).  Colour pairs are made once per
 * theme; NO_COLOR or a colourless terminal fall back to the mono theme's
 * attributes.  UTF-8 glyphs are used only when the locale is UTF-8.
 */
#include "config.h"

#include "screen.h"

#include <curses.h>
#include <langinfo.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "draw.h"
#include "err.h"
#include "theme.h"

static int		started;
static int		color;
static int		utf8;
static struct draw_ctx	ctx;
static attr_t		role_attr[ROLE__COUNT];

static void
scr_put(void *impl, int y, int x, enum role r, const char *glyph, int width)
{
	(void)impl;
	(void)width;
	attrset(role_attr[(unsigned)r < ROLE__COUNT ? r : 0]);
	mvaddstr(y, x, glyph);
}

static void
scr_set_role(void *impl, int y, int x, enum role r)
{
	(void)impl;
	mvchgat(y, x, 1, role_attr[r] & ~A_COLOR, (short)PAIR_NUMBER(
	    role_attr[r]), NULL);
}

static const struct draw_ops scr_ops = { scr_put, scr_set_role };

static short
fit_color(short c)
{
	/* Bright colours on an 8-colour terminal: the plain ones. */
	if (c >= COLORS && c < 16)
		return (short)(c - 8);
	if (c >= COLORS)
		return -1;
	return c;
}

void
screen_apply_theme(void)
{
	const struct style	*st;
	int			 i;
	attr_t			 a;

	for (i = 0; i < ROLE__COUNT; i++) {
		st = theme_style((enum role)i);
		a = 0;
		if (st->attrs & THEME_ATTR_BOLD)
			a |= A_BOLD;
		if (st->attrs & THEME_ATTR_DIM)
			a |= A_DIM;
		if (st->attrs & THEME_ATTR_REVERSE)
			a |= A_REVERSE;
		if (st->attrs & THEME_ATTR_UNDERLINE)
			a |= A_UNDERLINE;
		if (color && i + 1 < COLOR_PAIRS) {
			init_pair((short)(i + 1), fit_color(st->fg),
			    fit_color(st->bg));
			a |= COLOR_PAIR(i + 1);
		}
		role_attr[i] = a;
	}
}

int
screen_start(int mouse)
{
	const char	*nc = getenv("NO_COLOR");
	const char	*cs = nl_langinfo(CODESET);

	if (started)
		return 0;
	if (initscr() == NULL)
		return -1;
	started = 1;
	/* TERM=dumb and the like: no cursor addressing, no screen to draw. */
	{
		char	*cup = tigetstr("cup");

		if (cup == NULL || cup == (char *)-1) {
			screen_stop();
			return -2;
		}
	}
	cbreak();
	noecho();
	nonl();
	keypad(stdscr, TRUE);
	set_escdelay(25);
	curs_set(0);
	color = has_colors() && (nc == NULL || *nc == '\0');
	if (color) {
		start_color();
		use_default_colors();
	}
	if (mouse)
		mousemask(BUTTON1_CLICKED | BUTTON4_PRESSED | BUTTON5_PRESSED,
		    NULL);
	utf8 = cs != NULL && (strcmp(cs, "UTF-8") == 0 ||
	    strcmp(cs, "utf8") == 0);
	screen_apply_theme();
	return 0;
}

void
screen_stop(void)
{
	if (!started)
		return;
	started = 0;
	curs_set(1);
	endwin();
}

void
screen_suspend(void)
{
	if (!started)
		return;
	def_prog_mode();
	curs_set(1);
	endwin();
}

void
screen_resume(void)
{
	if (!started)
		return;
	reset_prog_mode();
	curs_set(0);
	/* Whatever the program left on screen is wiped by a full repaint. */
	clearok(curscr, TRUE);
	refresh();
}

int
screen_has_color(void)
{
	return color;
}

struct draw_ctx *
screen_ctx(void)
{
	ctx.ops = &scr_ops;
	ctx.impl = NULL;
	ctx.y0 = ctx.x0 = 0;
	ctx.h = LINES;
	ctx.w = COLS;
	ctx.utf8 = utf8;
	return &ctx;
}

void
screen_size(int *w, int *h)
{
	*w = COLS;
	*h = LINES;
}

void
screen_begin(void)
{
	erase();
}

void
screen_end(int cursor_y, int cursor_x)
{
	if (cursor_y >= 0) {
		move(cursor_y, cursor_x);
		curs_set(1);
	} else
		curs_set(0);
	wnoutrefresh(stdscr);
	doupdate();
}

void
screen_redraw(void)
{
	clearok(curscr, TRUE);
}

int
screen_key(int ms)
{
	int	ch;

	timeout(ms);
	ch = getch();
	return ch == ERR ? -1 : ch;
}

/* OSC 52: base64 of text to the terminal's clipboard selection "c". */
int
screen_clipboard(const char *text)
{
	static const char b64[] =
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	const unsigned char *p = (const unsigned char *)text;
	size_t		 n = strlen(text), i;
	unsigned	 v;

	if (!started)
		return -1;
	fputs("\033]52;c;", stdout);
	for (i = 0; i + 2 < n; i += 3) {
		v = (unsigned)p[i] << 16 | (unsigned)p[i + 1] << 8 | p[i + 2];
		putchar(b64[v >> 18 & 63]);
		putchar(b64[v >> 12 & 63]);
		putchar(b64[v >> 6 & 63]);
		putchar(b64[v & 63]);
	}
	if (n - i == 1) {
		v = (unsigned)p[i] << 16;
		printf("%c%c==", b64[v >> 18 & 63], b64[v >> 12 & 63]);
	} else if (n - i == 2) {
		v = (unsigned)p[i] << 16 | (unsigned)p[i + 1] << 8;
		printf("%c%c%c=", b64[v >> 18 & 63], b64[v >> 12 & 63],
		    b64[v >> 6 & 63]);
	}
	fputs("\a", stdout);
	fflush(stdout);
	return 0;
}

int
screen_mouse(int *y, int *x, int *button)
{
	MEVENT	ev;

	if (getmouse(&ev) != OK)
		return -1;
	*y = ev.y;
	*x = ev.x;
	*button = (ev.bstate & BUTTON4_PRESSED) ? 4 :
	    (ev.bstate & BUTTON5_PRESSED) ? 5 : 1;
	return 0;
}
