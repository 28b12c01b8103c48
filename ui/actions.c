/*
 * actions: names and help texts of the actions in actions.h.
 */
#include "config.h"

#include "actions.h"

#include <string.h>

static const char *const names[] = {
#define ACTION_NAME(name, cfg, help) cfg,
	ACTIONS(ACTION_NAME)
#undef ACTION_NAME
};

static const char *const helps[] = {
#define ACTION_HELP(name, cfg, help) help,
	ACTIONS(ACTION_HELP)
#undef ACTION_HELP
};

const char *
action_name(enum action a)
{
	return (unsigned)a < ACT__COUNT ? names[a] : NULL;
}

const char *
action_help(enum action a)
{
	return (unsigned)a < ACT__COUNT ? helps[a] : "";
}

int
action_from_name(const char *name, enum action *a)
{
	size_t	i;

	for (i = 0; i < ACT__COUNT; i++) {
		if (strcmp(names[i], name) == 0) {
			*a = (enum action)i;
			return 0;
		}
	}
	*a = ACT_NONE;
	return -1;
}
