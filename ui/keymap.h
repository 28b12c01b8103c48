/*
 * keymap: keys to actions.  The default bindings are one table; the
 * `keys:` section of config.yaml rebinds any action by its name from
 * actions.h.  Lookup tries the current view's bindings, then the global
 * ones.  Key codes are curses' (KEY_UP ...), plain characters, and
 * control characters (1-26).
 */
#ifndef MLWB_KEYMAP_H
#define MLWB_KEYMAP_H

#include <stddef.h>

#include "actions.h"

struct wb_err;
struct ynode;

/* The action for key in view (name from view_ops, or NULL). */
enum action	 keymap_lookup(const char *view, int key);
/* "j", "<Enter>", "<C-l>", "<F1>" ... for the help screen and footer:
 * every key bound to a, joined with "/", into buf. */
const char	*keymap_keys_for(enum action a, const char *view, char *buf,
		    size_t len);
/* Parse a key name as config.yaml and --script write it; -1 if unknown. */
int		 keymap_parse_key(const char *name);
/* Name of a key code ("<Enter>", "j"), into buf. */
const char	*keymap_key_name(int key, char *buf, size_t len);
/*
 * Apply the `keys:` map of config.yaml (action name -> key or list of
 * keys).  Errors name file:line.
 */
int		 keymap_configure(const struct ynode *keys, const char *file,
		    struct wb_err *err);
void		 keymap_reset(void);

#endif
