/*
 * screen: the curses side of the UI, and nothing else includes curses
 * for drawing: start and stop the terminal (restored on every exit path),
 * colours from the theme (8, 16 or 256; none under NO_COLOR), the
 * draw_ctx backend, and reading keys.
 */
#ifndef MLWB_SCREEN_H
#define MLWB_SCREEN_H

struct draw_ctx;

/* Start curses; 0, -1 when the terminal cannot be used, -2 when it
 * cannot address the cursor (TERM=dumb). */
int		 screen_start(int mouse);
/* Restore the terminal.  Safe to call twice and from a signal path. */
void		 screen_stop(void);
/*
 * Hand the terminal to another program (an editor) and take it back:
 * the program sees a normal terminal, and the next frame repaints all.
 */
void		 screen_suspend(void);
void		 screen_resume(void);
/* (Re)apply the current theme's colours. */
void		 screen_apply_theme(void);
/* The draw context of the whole screen (valid until the next resize). */
struct draw_ctx	*screen_ctx(void);
void		 screen_size(int *w, int *h);
/* Begin a frame (erase) and end it (only the changes go out). */
void		 screen_begin(void);
void		 screen_end(int cursor_y, int cursor_x);
/* Wait up to ms for a key; -1 on timeout or signal. */
int		 screen_key(int ms);
/* 1 if colours are in use. */
int		 screen_has_color(void);
/* Force a full repaint on the next frame (^L). */
void		 screen_redraw(void);
/* Put text on the terminal's clipboard (OSC 52); 0, or -1 when there is
 * no terminal.  Terminals that refuse OSC 52 ignore it. */
int		 screen_clipboard(const char *text);
/* A mouse event: row, column and 1 click, 4 wheel up, 5 wheel down. */
int		 screen_mouse(int *y, int *x, int *button);

#endif
