/*
 * keyin: what reaches the key map from the terminal, made safe for slow
 * links.  Curses hands over a lone Esc (27) when the rest of an escape
 * sequence is late, and Alt-x as Esc followed at once by x.  This filter
 * drops Alt-keys (Esc and the key within KEYIN_ALT_MS), and the tail of
 * an escape sequence that arrives after its Esc ("[A" of an arrow split
 * in two, up to KEYIN_SPLIT_MS later), so neither can act as a stray Esc,
 * `[` or `A`.  A lone Esc is given out once KEYIN_ALT_MS passed without
 * another key.  Times are the caller's, so --script can replay the same
 * timing with a clock of its own.
 */
#ifndef MLWB_KEYIN_H
#define MLWB_KEYIN_H

#include <stdint.h>

#define KEYIN_ALT_MS	50
#define KEYIN_SPLIT_MS	1500
#define KEYIN_NONE	(-1)

struct keyin {
	int	 state;		/* 0, ESC pending, in a sequence */
	int64_t	 esc_at;	/* when the last Esc came */
	int	 lone_esc;	/* the last Esc went out alone */
};

/*
 * Feed key ch received at now_ms; returns up to two keys to act on in
 * out (a pending lone Esc, then ch) and how many.
 */
int	keyin_feed(struct keyin *k, int ch, int64_t now_ms, int out[2]);
/* No key came until now_ms: a pending lone Esc, or KEYIN_NONE. */
int	keyin_idle(struct keyin *k, int64_t now_ms);
/* 1 while an Esc waits to be told apart from Alt (poll sooner). */
int	keyin_pending(const struct keyin *k);

#endif
