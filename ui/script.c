/*
 * script: the headless UI (--script FILE --dump-screen OUT --size WxH).
 * Replays key tokens over a text grid and writes the last screen, for
 * the screen tests and bench/ui.  Keys go through the same keyin filter
 * as the terminal's, on a clock of the script's own: each token is
 * KEY_STEP_MS after the one before, and <M-x> is Esc and x at once (an
 * Alt-key), so "<Esc> [ A" is an arrow key split in two by a slow link.
 * After each line the clock moves on by KEYIN_ESC_MS: an Esc that ends a
 * line is a lone Esc.
 */
#include "config.h"

#include "app.h"
#include "app_int.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "draw.h"
#include "keymap.h"
#include "strbuf.h"

#define KEY_STEP_MS	200

static int64_t	script_clock;

static void
redraw(struct app *app)
{
	int	cy, cx;

	app_load_stale(app);
	/* Draw every frame, as the terminal would (this is also what
	 * bench/ui times). */
	if (app_depth(app) > 0) {
		draw_grid_clear(app->grid);
		app_draw_frame(app, app->grid, &cy, &cx);
	}
}

/* One key at the script's clock, through the keyin filter. */
static void
feed(struct app *app, int key, int step)
{
	int	out[2], n, i, k;

	if (step)
		script_clock += KEY_STEP_MS;
	if ((k = keyin_idle(&app->keyin, script_clock)) >= 0) {
		app_handle_key(app, k);
		redraw(app);
	}
	n = keyin_feed(&app->keyin, key, script_clock, out);
	for (i = 0; i < n && !app->quit; i++) {
		app_handle_key(app, out[i]);
		redraw(app);
	}
}

/* Time passes after a line: a pending lone Esc goes out. */
static void
settle(struct app *app)
{
	int	k;

	script_clock += KEYIN_ESC_MS;
	if ((k = keyin_idle(&app->keyin, script_clock)) >= 0) {
		app_handle_key(app, k);
		redraw(app);
	}
}

/*
 * A script is lines of: key tokens separated by spaces ("j j <Enter>",
 * "<C-l>", "<Esc>", "<M-x>", "<Space>"), or ":command args" / "/filter
 * text" typed whole and followed by Enter, or "<resize 100x30>", or the
 * mouse: "<click ROW COL>" (screen coordinates, 0-based) and "<wheel
 * up|down>"; or "# comment".
 */
static int
script_line(struct app *app, const char *line, int lineno, const char *file)
{
	const char	*p = line;
	char		 tok[64];
	size_t		 n;
	int		 key, w, h, utf8;

	while (*p == ' ' || *p == '\t')
		p++;
	if (*p == '\0' || *p == '#')
		return 0;
	if (*p == ':' || *p == '/') {
		app_handle_key(app, *p == ':' ? ':' : '/');
		for (p++; *p != '\0' && *p != '\n'; p++)
			app_handle_key(app, (unsigned char)*p);
		app_handle_key(app, '\n');
		app_load_stale(app);
		return 0;
	}
	while (*p != '\0' && *p != '\n' && !app->quit) {
		n = strcspn(p, " \t\n");
		if (*p == '<' && (strncmp(p, "<click ", 7) == 0 ||
		    strncmp(p, "<wheel ", 7) == 0)) {
			char	dir[8];

			n = strcspn(p, ">") + 1;
			if (p[1] == 'c' ? sscanf(p, "<click %d %d>", &h, &w) != 2 :
			    sscanf(p, "<wheel %7[a-z]>", dir) != 1 ||
			    (strcmp(dir, "up") != 0 && strcmp(dir, "down") != 0)) {
				cli_error("%s:%d: <click ROW COL> or "
				    "<wheel up|down>", file, lineno);
				return -1;
			}
			if (p[1] == 'c')
				app_mouse(app, h, w, 1);
			else
				app_mouse(app, 0, 0, dir[0] == 'u' ? 4 : 5);
			redraw(app);
		} else if (*p == '<' && strncmp(p, "<resize ", 8) == 0) {
			n = strcspn(p, ">") + 1;
			if (sscanf(p, "<resize %dx%d>", &w, &h) != 2 || w < 1 ||
			    h < 1 || w > 1000 || h > 1000) {
				cli_error("%s:%d: <resize WxH>", file, lineno);
				return -1;
			}
			utf8 = app->grid->utf8;
			draw_grid_free(app->grid);
			app->grid = draw_grid_new(w, h, utf8);
			app->w = w;
			app->h = h;
		} else {
			if (n >= sizeof tok) {
				cli_error("%s:%d: token too long", file, lineno);
				return -1;
			}
			memcpy(tok, p, n);
			tok[n] = '\0';
			if (n == 5 && strncmp(tok, "<M-", 3) == 0 &&
			    tok[4] == '>') {
				feed(app, 27, 1);
				feed(app, (unsigned char)tok[3], 0);
			} else if ((key = keymap_parse_key(tok)) < 0) {
				cli_error("%s:%d: unknown key '%s' (a character, "
				    "<Enter>, <Esc>, <M-x>, <C-x>, <F1>, <Up> "
				    "...)", file, lineno, tok);
				return -1;
			} else
				feed(app, key, 1);
		}
		p += n;
		while (*p == ' ' || *p == '\t')
			p++;
	}
	if (!app->quit)
		settle(app);
	return 0;
}

int
ui_script(struct cli *cli)
{
	struct app	 app;
	struct strbuf	 sb = STRBUF_INIT;
	FILE		*fp;
	char		*line = NULL;
	size_t		 cap = 0;
	int		 lineno = 0, rc = 0, cy, cx, utf8 = cli_locale_utf8();

	if ((fp = strcmp(cli->script, "-") == 0 ? stdin :
	    fopen(cli->script, "r")) == NULL) {
		cli_error("%s: %s", cli->script, strerror(errno));
		return EXIT_FAIL;
	}
	if ((rc = app_init(&app, cli, 1)) != 0) {
		if (fp != stdin)
			fclose(fp);
		return rc == -2 ? EXIT_USAGE : EXIT_FAIL;
	}
	app.w = cli->width > 0 ? cli->width : 80;
	app.h = cli->height > 0 ? cli->height : 24;
	app.grid = draw_grid_new(app.w, app.h, utf8);
	app_load_stale(&app);
	while (!app.quit && getline(&line, &cap, fp) != -1) {
		lineno++;
		line[strcspn(line, "\n")] = '\0';
		if (script_line(&app, line, lineno, cli->script) != 0) {
			rc = EXIT_USAGE;
			break;
		}
		if (app_depth(&app) == 0)
			break;
	}
	free(line);
	if (fp != stdin)
		fclose(fp);
	if (rc == 0 && app_depth(&app) > 0) {
		app_load_stale(&app);
		app.grid->utf8 = utf8;
		draw_grid_clear(app.grid);
		app_draw_frame(&app, app.grid, &cy, &cx);
		/* A script that quit says so instead of a screen. */
		if (app.quit)
			strbuf_adds(&sb, "(mlwb quit)\n");
		else
			draw_grid_dump(app.grid, &sb);
		if (cli->dump_screen == NULL || strcmp(cli->dump_screen, "-")
		    == 0)
			fputs(strbuf_str(&sb), stdout);
		else if ((fp = fopen(cli->dump_screen, "w")) == NULL ||
		    fputs(strbuf_str(&sb), fp) < 0 || fclose(fp) != 0) {
			cli_error("%s: cannot write", cli->dump_screen);
			rc = EXIT_FAIL;
		}
	}
	strbuf_free(&sb);
	draw_grid_free(app.grid);
	app_free(&app);
	return rc;
}
