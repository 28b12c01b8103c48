/*
 * launch_rerun: what `mlwb launch --rerun RUN` starts (launch.h): the
 * old run's entry point, params and experiment, with the caller's -P on
 * top, and the check that the code is the code the run ran: the same
 * commit, and the same uncommitted changes (compared with the patch the
 * run keeps, repro.h).  A mismatch refuses, naming both sides, unless
 * forced.
 */
#include "config.h"

#include "launch.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db_repro.h"
#include "db_run.h"
#include "err.h"
#include "mem.h"
#include "project.h"
#include "repro.h"
#include "strbuf.h"

static int
oom(struct wb_err *err)
{
	return wb_err_set(err, WB_ENOMEM, "out of memory");
}

void
launch_rerun_clear(struct launch_rerun *rr)
{
	size_t	i;

	if (rr == NULL)
		return;
	for (i = 0; i < rr->nsets; i++)
		wb_free(rr->sets[i]);
	wb_free(rr->sets);
	wb_free(rr->entry);
	wb_free(rr->experiment);
	memset(rr, 0, sizeof *rr);
}

/* The entry's cwd as launch_start resolves it (a new string). */
static char *
entry_cwd(const struct project *p, const struct project_entry *e)
{
	struct strbuf	sb = STRBUF_INIT;

	if (e->cwd != NULL && e->cwd[0] == '/')
		strbuf_adds(&sb, e->cwd);
	else if (e->cwd != NULL)
		strbuf_addf(&sb, "%s/%s", p->root, e->cwd);
	else
		strbuf_adds(&sb, p->root);
	return sb.oom ? (strbuf_free(&sb), NULL) : strbuf_detach(&sb);
}

/*
 * 0 when the tree in cwd holds the changes the run kept (none, or its
 * patch); else an error naming both.  A patch cut when it was kept is
 * compared as far as it goes, and by its whole size.
 */
static int
same_changes(const char *cwd, int dirty, const struct repro *rp,
    const char *ref, struct wb_err *err)
{
	char *const		 argv[] = { (char *)(uintptr_t)"git",
	    (char *)(uintptr_t)"diff", (char *)(uintptr_t)"HEAD",
	    (char *)(uintptr_t)"--binary", (char *)(uintptr_t)"--no-color",
	    (char *)(uintptr_t)"--no-ext-diff", NULL };
	const struct repro_item	*pt, *pb;
	struct strbuf		 sb = STRBUF_INIT;
	size_t			 total = 0, want;
	int			 same;

	pt = repro_find(rp, REPRO_GIT, "patch");
	pb = repro_find(rp, REPRO_GIT, "patch_bytes");
	if (dirty == 1 && repro_run(argv, cwd, pt ? pt->len : 0,
	    REPRO_PROBE_MS * 2, &sb, &total, NULL) != 0) {
		strbuf_free(&sb);
		return wb_err_set(err, WB_EPROC, "%s: git diff HEAD failed",
		    cwd);
	}
	want = pb != NULL ? (size_t)strtoull(pb->value, NULL, 10) : 0;
	if (pt == NULL)
		same = total == 0;
	else
		same = total == want && sb.len == pt->len &&
		    (sb.len == 0 || memcmp(sb.s, pt->value, sb.len) == 0);
	strbuf_free(&sb);
	if (same)
		return WB_OK;
	if (pt == NULL)
		return wb_err_set(err, WB_EINVAL, "%s has uncommitted changes "
		    "(%zu bytes of patch) and run %s ran on a clean tree: "
		    "commit or stash them, or pass --force", cwd, total, ref);
	return wb_err_set(err, WB_EINVAL, "the uncommitted changes in %s "
	    "(%zu bytes of patch) are not those run %s ran with (%zu "
	    "bytes): %sapply them with `mlwb runs show %s --patch | git "
	    "apply`, or pass --force", cwd, total, ref, want, total ?
	    "stash yours (git stash) and " : "", ref);
}

int
launch_rerun_prepare(struct db *db, const struct project *p,
    int64_t run_id, int force, char *const *sets, size_t nsets,
    struct launch_rerun *out, struct wb_err *err)
{
	const struct project_entry	*e;
	struct run			 r;
	struct repro			 rp;
	struct kv			*params = NULL, *tags = NULL;
	size_t				 np = 0, nt = 0, i;
	char				*cwd = NULL, *commit = NULL;
	const char			*entry = NULL;
	int				 dirty, rc;

	memset(out, 0, sizeof *out);
	memset(&rp, 0, sizeof rp);
	if ((rc = db_run_get(db, run_id, &r, err)) != WB_OK)
		return rc;
	if ((rc = db_params_get(db, run_id, &params, &np, err)) != WB_OK ||
	    (rc = db_tags_get(db, run_id, &tags, &nt, err)) != WB_OK ||
	    (rc = db_repro_get(db, run_id, REPRO_GIT, &rp, err)) != WB_OK)
		goto out;
	for (i = 0; i < nt; i++)
		if (strcmp(tags[i].key, "mlwb.entry") == 0)
			entry = tags[i].value;
	if (entry == NULL) {
		rc = wb_err_set(err, WB_EINVAL, "run %s was not started by "
		    "mlwb launch (it has no mlwb.entry tag): there is no entry "
		    "point to run again", r.uuid);
		goto out;
	}
	if ((e = project_entry(p, entry)) == NULL) {
		rc = wb_err_set(err, WB_ENOTFOUND, "run %s ran entry point "
		    "%s, which %s no longer has", r.uuid, entry, p->path);
		goto out;
	}
	if ((cwd = entry_cwd(p, e)) == NULL) {
		rc = oom(err);
		goto out;
	}
	launch_git_info(cwd, &commit, &dirty);
	if (!force && r.git_commit != NULL && (commit == NULL ||
	    strcmp(commit, r.git_commit) != 0)) {
		rc = wb_err_set(err, WB_EINVAL, "the code in %s is at commit "
		    "%.12s, run %s ran at %.12s: check that out (git checkout "
		    "%s), or pass --force", cwd, commit ? commit : "(none)",
		    r.uuid, r.git_commit, r.git_commit);
		goto out;
	}
	if (!force && r.git_commit != NULL &&
	    (rc = same_changes(cwd, dirty, &rp, r.uuid, err)) != WB_OK)
		goto out;
	/* The old params first: the caller's -P come after and win. */
	if ((out->sets = wb_calloc(np + nsets + 1, sizeof *out->sets)) ==
	    NULL) {
		rc = oom(err);
		goto out;
	}
	for (i = 0; i < np + nsets; i++) {
		struct strbuf	sb = STRBUF_INIT;

		if (i < np)
			strbuf_addf(&sb, "%s=%s", params[i].key,
			    params[i].value ? params[i].value : "");
		else
			strbuf_adds(&sb, sets[i - np]);
		if (sb.oom) {
			strbuf_free(&sb);
			rc = oom(err);
			goto out;
		}
		out->sets[out->nsets++] = strbuf_detach(&sb);
	}
	snprintf(out->uuid, sizeof out->uuid, "%s", r.uuid);
	if ((out->entry = wb_strdup(entry)) == NULL ||
	    (out->experiment = wb_strdup(r.experiment ? r.experiment :
	    "Default")) == NULL)
		rc = oom(err);
out:
	if (rc != WB_OK)
		launch_rerun_clear(out);
	kv_free(params, np);
	kv_free(tags, nt);
	repro_free(&rp);
	wb_free(cwd);
	wb_free(commit);
	run_clear(&r);
	return rc;
}
