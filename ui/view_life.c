/*
 * view_life: the tag editor's line (view_life.h).  Words are separated by
 * blanks, so a value cannot hold one here; `mlwb runs tag` takes any.
 */
#include "config.h"

#include "view_life.h"

#include <stdlib.h>
#include <string.h>

#include "db.h"
#include "db_life.h"
#include "err.h"
#include "view.h"
#include "xmem.h"

int
life_tag_line(struct app *app, int64_t run, const char *line)
{
	struct db	*db = app_db(app);
	struct wb_err	 err;
	char		*buf = xstrdup(line), *w, *save = NULL, *eq;
	int		 rc, ch, set = 0, removed = 0;

	if ((rc = db_begin(db, &err)) != WB_OK) {
		free(buf);
		app_error(app, "%s", err.msg);
		return -1;
	}
	for (w = strtok_r(buf, " \t", &save); w != NULL && rc == WB_OK;
	    w = strtok_r(NULL, " \t", &save)) {
		if (w[0] == '-' && w[1] != '\0') {
			rc = db_life_tag(db, run, w + 1, NULL, &ch, &err);
			removed += ch;
		} else if ((eq = strchr(w, '=')) != NULL && eq != w) {
			*eq = '\0';
			rc = db_life_tag(db, run, w, eq + 1, &ch, &err);
			set += ch;
		} else
			rc = wb_err_set(&err, WB_EINVAL, "'%s': expected "
			    "key=value or -key", w);
	}
	free(buf);
	if (rc == WB_OK)
		rc = db_commit(db, &err);
	else
		db_rollback(db);
	if (rc != WB_OK) {
		app_error(app, "%s", err.msg);
		return -1;
	}
	app_changed(app);
	app_message(app, "tags: %d set, %d removed", set, removed);
	return 0;
}
