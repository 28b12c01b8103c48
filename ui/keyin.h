/*
 * keyin: what reaches the key map from the terminal, made safe for slow
 * links.  Curses hands over a lone Esc (27) when the rest of an escape
 * sequence is late, and Alt-x as Esc followed at once by x.  This filter
 * drops Alt-keys (Esc and a key within KEYIN_ALT_MS) and escape sequences
 * whose tail ("[A" of an arrow split in two) comes within KEYIN_ESC_MS of
 * their Esc, Esc included, so neither acts as a stray Esc (which would
 * close a screen or clear a filter), `[` or `A`.  An Esc is given out
 * once KEYIN_ESC_MS passed without a sequence (as tmux's escape-time), or
 * at once when an ordinary key follows it.  A tail even later than that
 * (up to KEYIN_SPLIT_MS) is still dropped.  Times are the caller's, so
 * --script replays the same timing on a clock of its own.
 */
#ifndef MLWB_KEYIN_H
#define MLWB_KEYIN_H

#include <stdint.h>

#define KEYIN_ALT_MS	50
#define KEYIN_ESC_MS	400
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
/* While an Esc waits to be told apart: ms until keyin_idle gives it out;
 * -1 when nothing waits. */
int	keyin_pending(const struct keyin *k, int64_t now_ms);

#endif
