/*
 * theme: the colours and attributes of each drawing role, from a YAML
 * theme (the files in themes/; the four shipped ones are also compiled in).
 * The curses backend asks theme_style() for each role.
 */
#ifndef MLWB_THEME_H
#define MLWB_THEME_H

#include "draw.h"

struct wb_err;

#define THEME_ATTR_BOLD		0x1
#define THEME_ATTR_DIM		0x2
#define THEME_ATTR_REVERSE	0x4
#define THEME_ATTR_UNDERLINE	0x8

struct style {
	short	fg, bg;		/* -1 default, 0-255 */
	int	attrs;
};

/*
 * Load theme name (a shipped or user theme, or a path to a .yaml file).
 * On error the current theme stays and err says file:line:col.
 */
int		 theme_load(const char *name, struct wb_err *err);
const struct style *theme_style(enum role r);
const char	*theme_name(void);
/* 1 when the chart series' roles all look alike (mono, NO_COLOR): charts
 * then mark each curve with its own glyph. */
int		 theme_colourless(void);
/* The role called name ("selected-marked"); -1 if none. */
int		 theme_role_from_name(const char *name);
/* The shipped themes, NULL-terminated, for :theme completion. */
extern const char *const theme_builtin[];

#endif
