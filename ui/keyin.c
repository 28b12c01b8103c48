/*
 * keyin: the Esc / Alt / split-sequence filter (see keyin.h).
 */
#include "config.h"

#include "keyin.h"

enum { K_IDLE, K_ESC, K_SEQ, K_SS3 };

#define ESC	27

int
keyin_pending(const struct keyin *k, int64_t now_ms)
{
	int64_t	left;

	if (k->state != K_ESC)
		return -1;
	left = k->esc_at + KEYIN_ESC_MS - now_ms;
	return left > 0 ? (int)left : 0;
}

int
keyin_idle(struct keyin *k, int64_t now_ms)
{
	if (k->state == K_ESC && now_ms - k->esc_at >= KEYIN_ESC_MS) {
		k->state = K_IDLE;
		k->lone_esc = 1;
		return ESC;
	}
	return KEYIN_NONE;
}

int
keyin_feed(struct keyin *k, int ch, int64_t now_ms, int out[2])
{
	int	n = 0;

	switch (k->state) {
	case K_SEQ:
		/* CSI: parameters and intermediates, then a final byte. */
		if (ch >= 0x20 && ch <= 0x3f)
			return 0;
		k->state = K_IDLE;
		if (ch >= 0x40 && ch <= 0x7e)
			return 0;
		break;
	case K_SS3:
		k->state = K_IDLE;
		if (ch >= 0x40 && ch <= 0x7e)
			return 0;
		break;
	case K_ESC:
		/* A sequence, however slow its tail: Esc and all dropped. */
		if ((ch == '[' || ch == 'O') && now_ms - k->esc_at <
		    KEYIN_ESC_MS) {
			k->state = ch == '[' ? K_SEQ : K_SS3;
			return 0;
		}
		if (now_ms - k->esc_at < KEYIN_ALT_MS) {
			k->state = K_IDLE;
			/* Esc Esc: the second starts over. */
			if (ch == ESC) {
				k->state = K_ESC;
				k->esc_at = now_ms;
			}
			return 0;	/* Alt-x: dropped */
		}
		/* The Esc was alone after all. */
		k->state = K_IDLE;
		k->lone_esc = 1;
		out[n++] = ESC;
		break;
	default:
		break;
	}
	if (ch == ESC) {
		k->state = K_ESC;
		k->esc_at = now_ms;
		return n;
	}
	/* The tail of a sequence whose Esc came alone a moment ago. */
	if (k->lone_esc && (ch == '[' || ch == 'O') &&
	    now_ms - k->esc_at < KEYIN_SPLIT_MS) {
		k->lone_esc = 0;
		k->state = ch == '[' ? K_SEQ : K_SS3;
		return n;
	}
	k->lone_esc = 0;
	out[n++] = ch;
	return n;
}
