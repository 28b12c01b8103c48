/*
 * project_text.h: the unit tests of project files (test_project.c,
 * test_pipeline.c) write a file from a string and load it.  The includer
 * defines tmpdir (a mkdtemp template, made by its main) and file (a
 * buffer for the path) before including this.
 */
#ifndef WB_TEST_PROJECT_TEXT_H
#define WB_TEST_PROJECT_TEXT_H

/* Write text to tmpdir/mlwb.yaml and load it. */
static int
load(const char *text, struct project **p, struct wb_err *err)
{
	FILE	*fp;

	snprintf(file, sizeof file, "%s/mlwb.yaml", tmpdir);
	if ((fp = fopen(file, "w")) == NULL)
		return -1;
	fputs(text, fp);
	fclose(fp);
	return project_load(file, p, err);
}

/* The error message of loading text, without the directory part. */
static const char *
load_err(const char *text)
{
	static struct wb_err	 err;
	struct project		*p = NULL;
	const char		*m;

	if (load(text, &p, &err) == WB_OK) {
		project_free(p);
		return "(loaded)";
	}
	m = err.msg;
	if (strncmp(m, tmpdir, strlen(tmpdir)) == 0)
		m += strlen(tmpdir) + 1;
	return m;
}

#endif
