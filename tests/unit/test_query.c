/*
 * test_query: the filter language (every operator, quoting, precedence,
 * every error message with its column and caret) and its SQL (run in a
 * :memory: workspace, including an injection attempt that must find
 * nothing).
 */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "db.h"
#include "db_life.h"
#include "db_metric.h"
#include "db_query.h"
#include "db_run.h"
#include "db_runlist.h"
#include "err.h"
#include "mem.h"
#include "query.h"
#include "tap.h"

static struct db *db;

/* Four runs: a(adam, lr 0.01, loss .2), b(sgd, .001, .5), c(Adam...), d. */
static void
setup(void)
{
	struct wb_err	 err;
	struct mwriter	*w;
	struct run_new	 r;
	int64_t		 exp, id, k;
	static const struct {
		const char	*name, *opt, *lr, *team, *status;
		double		 loss[3];
		int64_t		 start;
	} rs[] = {
		{ "bert-a", "adam", "0.01", "vision", "finished",
		    { 0.9, 0.1, 0.2 }, 1000 },
		{ "bert-b", "sgd", "0.001", "Vision2", "failed",
		    { 0.8, 0.6, 0.5 }, 2000 },
		{ "resnet18", "Adam", "1e-3", "nlp", "finished",
		    { 0.7, 0.3, 0.35 }, 3000 },
		{ "resnet50", "it's", "x", NULL, "running",
		    { 0, 0, 0 }, 4000 },
	};
	size_t		 i, j;

	if (db_open(":memory:", 0, &db, &err) != WB_OK ||
	    db_exp_ensure(db, "e1", &exp, &err) != WB_OK ||
	    mw_open(db, &w, &err) != WB_OK || mw_key(w, "loss", &k, &err))
		abort();
	for (i = 0; i < 4; i++) {
		memset(&r, 0, sizeof r);
		r.experiment_id = exp;
		r.name = rs[i].name;
		r.status = rs[i].status;
		r.started_at = rs[i].start;
		r.git_dirty = -1;
		if (db_run_insert(db, &r, &id, &err) != WB_OK ||
		    db_param_set(db, id, "optimizer", rs[i].opt, &err) ||
		    db_param_set(db, id, "lr", rs[i].lr, &err))
			abort();
		if (rs[i].team && db_tag_set(db, id, "team", rs[i].team, &err))
			abort();
		if (i == 2 && db_tag_set(db, id, "mlflow.artifact_uri",
		    "file:///m/1/abc/artifacts", &err))
			abort();
		if (i < 3)
			for (j = 0; j < 3; j++)
				if (mw_add(w, id, k, (int64_t)j, 0,
				    rs[i].loss[j], &err))
					abort();
	}
	if (mw_flush(w, &err) != WB_OK)
		abort();
	mw_close(w);
}

/* The names of the matching runs, space separated, in order. */
static const char *
names(const char *filter, const char *order)
{
	static char	 buf[512];
	struct query	*q;
	struct q_order	*o = NULL;
	struct wb_err	 err;
	struct run	 r;
	int64_t		*ids;
	size_t		 n, i;

	buf[0] = '\0';
	if (query_parse(filter, &q, &err) != WB_OK) {
		snprintf(buf, sizeof buf, "ERR %s", err.msg);
		return buf;
	}
	if (order != NULL && query_order_parse(order, &o, &err) != WB_OK) {
		query_free(q);
		snprintf(buf, sizeof buf, "ERR %s", err.msg);
		return buf;
	}
	if (db_query_runs(db, q, o, 0, &ids, &n, &err) != WB_OK) {
		snprintf(buf, sizeof buf, "SQLERR %s", err.msg);
		n = 0;
		ids = NULL;
	}
	for (i = 0; i < n; i++) {
		if (db_run_get(db, ids[i], &r, &err) != WB_OK)
			abort();
		if (i)
			strcat(buf, " ");
		strcat(buf, r.name);
		run_clear(&r);
	}
	wb_free(ids);
	query_free(q);
	query_order_free(o);
	return buf;
}

static const char *
perror_of(const char *filter)
{
	static char	 buf[256];
	struct query	*q;
	struct wb_err	 err;

	if (query_parse(filter, &q, &err) == WB_OK) {
		query_free(q);
		return "(parsed)";
	}
	snprintf(buf, sizeof buf, "%s", err.msg);
	return buf;
}

/* The first line of the error message. */
static const char *
first_line(const char *filter)
{
	static char	 buf[256];
	char		*nl;

	snprintf(buf, sizeof buf, "%s", perror_of(filter));
	if ((nl = strchr(buf, '\n')) != NULL)
		*nl = '\0';
	return buf;
}

#define M(f, want) is_str(names(f, NULL), want, f)
#define E(f, want) is_str(first_line(f), want, f)

/* Names of the runs list's window, as the runs screen gets them. */
static const char *
window(struct runlist_query *q, int64_t off, int64_t lim, int64_t *count)
{
	static char		 buf[512];
	static struct wb_err	 err;
	struct runlist_row	*rows;
	size_t			 n, i;

	buf[0] = '\0';
	if (db_runlist_count(db, q, count, &err) != WB_OK ||
	    db_runlist_page(db, q, off, lim, &rows, &n, &err) != WB_OK)
		return err.msg;
	for (i = 0; i < n; i++) {
		if (i)
			strcat(buf, " ");
		strcat(buf, rows[i].name);
	}
	runlist_rows_free(rows, n);
	return buf;
}

/* The UI's list: expressions, plain text, the cache and its refresh. */
static void
test_runlist(void)
{
	struct runlist_query	 q;
	struct wb_err		 err;
	struct run_new		 r;
	int64_t			 cnt, id, exp;

	memset(&q, 0, sizeof q);
	q.sort = RL_SORT_NAME;
	q.filter = "params.optimizer ILIKE 'adam' OR metrics.loss > 0.4";
	is_str(window(&q, 0, 10, &cnt), "bert-a bert-b resnet18",
	    "runs list takes an expression");
	is_int(cnt, 3, "and counts its matches");
	q.filter = "bert";
	is_str(window(&q, 0, 10, &cnt), "bert-a bert-b",
	    "plain text stays a substring search");
	q.filter = "params.optimizer = \"' OR 1=1 --\"";
	is_str(window(&q, 0, 10, &cnt), "", "an injection finds nothing");
	q.filter = "metrics.loss <";
	ok(db_runlist_count(db, &q, &cnt, &err) == WB_EPARSE,
	    "a broken expression is a parse error");

	q.cache = runlist_cache_new();
	q.desc = 1;
	q.filter = "params.optimizer ILIKE 'adam' OR metrics.loss > 0.4";
	is_str(window(&q, 0, 10, &cnt), "resnet18 bert-b bert-a",
	    "cached: same matches, sorted");
	is_int(cnt, 3, "cached count");
	is_str(window(&q, 1, 1, &cnt), "bert-b", "cached window slice");
	is_str(window(&q, 5, 10, &cnt), "", "window past the end");
	if (db_exp_ensure(db, "e1", &exp, &err) != WB_OK)
		abort();
	memset(&r, 0, sizeof r);
	r.experiment_id = exp;
	r.name = "zeta";
	r.git_dirty = -1;
	if (db_run_insert(db, &r, &id, &err) != WB_OK ||
	    db_param_set(db, id, "optimizer", "ADAM", &err) != WB_OK)
		abort();
	is_str(window(&q, 0, 10, &cnt), "zeta resnet18 bert-b bert-a",
	    "a write refreshes the cached matches");
	q.desc = 0;
	is_str(window(&q, 0, 2, &cnt), "bert-a bert-b",
	    "a new sort refreshes them");
	runlist_cache_free(q.cache);

	/*
	 * By a metric: the runs with a value in index order, then those
	 * without (resnet50, zeta) by id, in windows on either side of the
	 * seam and across it; over every run (the index alone), within an
	 * experiment and with a filter (joined), and with the cache.
	 */
	memset(&q, 0, sizeof q);
	q.sort = RL_SORT_METRIC;
	q.sort_key = "loss";
	is_str(window(&q, 0, 10, &cnt), "bert-a resnet18 bert-b resnet50 zeta",
	    "metric sort: values ascending, runs without one last");
	is_int(cnt, 5, "metric sort counts every run");
	is_str(window(&q, 0, 2, &cnt), "bert-a resnet18", "window in values");
	is_str(window(&q, 2, 2, &cnt), "bert-b resnet50", "window across");
	is_str(window(&q, 3, 2, &cnt), "resnet50 zeta", "window past values");
	is_str(window(&q, 4, 5, &cnt), "zeta", "last window");
	is_str(window(&q, 5, 2, &cnt), "", "window past the end");
	q.desc = 1;
	is_str(window(&q, 0, 10, &cnt), "bert-b resnet18 bert-a zeta resnet50",
	    "metric sort descending: runs without a value still last");
	is_str(window(&q, 3, 1, &cnt), "zeta", "descending window past values");
	q.exp_id = exp;
	is_str(window(&q, 0, 10, &cnt), "bert-b resnet18 bert-a zeta resnet50",
	    "metric sort within an experiment");
	is_str(window(&q, 2, 2, &cnt), "bert-a zeta",
	    "experiment: window across");
	q.exp_id = 0;
	q.filter = "res";
	is_str(window(&q, 0, 10, &cnt), "resnet18 resnet50",
	    "metric sort with a text filter");
	is_str(window(&q, 1, 1, &cnt), "resnet50", "filter: window past values");
	q.sort_key = "no-such-metric";
	q.filter = NULL;
	is_str(window(&q, 1, 2, &cnt), "resnet50 resnet18",
	    "a metric no run has: every run, by id");
	q.sort_key = "loss";
	q.filter = "metrics.loss > 0.1";
	q.cache = runlist_cache_new();
	is_str(window(&q, 0, 10, &cnt), "bert-b resnet18 bert-a",
	    "metric sort through the cache");
	runlist_cache_free(q.cache);

	/* A deleted run leaves the index walk over every run too. */
	q.cache = NULL;
	q.filter = NULL;
	q.desc = 0;
	if (db_life_delete(db, 3, 0, &cnt, &err) != WB_OK)	/* resnet18 */
		abort();
	is_str(window(&q, 0, 10, &cnt), "bert-a bert-b resnet50 zeta",
	    "metric sort over every run hides a deleted one");
	is_int(cnt, 4, "and does not count it");
	is_str(window(&q, 2, 1, &cnt), "resnet50",
	    "window past the values of live runs");
}

int
main(void)
{
	setup();

	/* Every operator. */
	M("", "bert-a bert-b resnet18 resnet50");
	M("metrics.loss < 0.3", "bert-a");
	M("metrics.loss <= 0.35", "bert-a resnet18");
	M("metrics.loss > 0.3", "bert-b resnet18");
	M("metrics.loss >= 0.5", "bert-b");
	M("metrics.loss = 0.5", "bert-b");
	M("metrics.loss == 0.5", "bert-b");
	M("metrics.loss != 0.5", "bert-a resnet18");
	M("metrics.loss <> 0.5", "bert-a resnet18");
	M("metrics.loss.min < 0.2", "bert-a");
	M("metrics.loss.max >= 0.8", "bert-a bert-b");
	M("metrics.loss.first = 0.7", "resnet18");
	M("metrics.loss.last < 0.3", "bert-a");
	M("metrics.`loss` < 0.3", "bert-a");
	M("metrics.`loss`.min < 0.2", "bert-a");
	M("metric.loss < .3", "bert-a");
	M("metrics.loss < 3e-1", "bert-a");
	M("params.optimizer = 'adam'", "bert-a");
	M("params.optimizer = \"adam\"", "bert-a");
	M("params.optimizer != 'adam'", "bert-b resnet18 resnet50");
	M("params.optimizer LIKE 'a%'", "bert-a");
	M("params.optimizer LIKE '_dam'", "bert-a resnet18");
	M("params.optimizer LIKE 'ad_m'", "bert-a");
	M("params.optimizer ILIKE 'a%'", "bert-a resnet18");
	M("params.optimizer NOT LIKE 'a%'", "bert-b resnet18 resnet50");
	M("params.optimizer NOT ILIKE 'a%'", "bert-b resnet50");
	M("params.optimizer ~ '^[Aa]d'", "bert-a resnet18");
	M("params.optimizer !~ 'a'", "bert-b resnet50");
	M("params.optimizer IN ('sgd', 'Adam')", "bert-b resnet18");
	M("params.optimizer NOT IN ('sgd', 'Adam')", "bert-a resnet50");
	M("params.optimizer = 'it''s'", "resnet50");
	M("params.optimizer = 'it\\'s'", "resnet50");
	M("params.lr = 0.001", "bert-b resnet18");
	M("params.lr < 0.005", "bert-b resnet18");
	M("params.lr = '1e-3'", "resnet18");
	M("param.`lr` > 0.005", "bert-a");
	M("tags.team LIKE 'vision%'", "bert-a");
	M("tags.team ILIKE 'vision%'", "bert-a bert-b");
	M("tags.team = 'nlp'", "resnet18");
	M("attributes.status = 'FINISHED'", "bert-a resnet18");
	M("status = 'finished'", "bert-a resnet18");
	M("attributes.status != 'FINISHED'", "bert-b resnet50");
	M("status IN ('FAILED', 'RUNNING')", "bert-b resnet50");
	M("run_name ILIKE '%BERT%'", "bert-a bert-b");
	M("run_name LIKE '%BERT%'", "");
	M("attributes.run_name = 'resnet18'", "resnet18");
	M("`run_name` = 'resnet18'", "resnet18");
	M("run_name ~ '^resnet(18|34)$'", "resnet18");
	M("start_time > 2500", "resnet18 resnet50");
	M("attributes.start_time <= 2000", "bert-a bert-b");
	M("end_time > 0", "");
	M("experiment = 'e1'", "bert-a bert-b resnet18 resnet50");

	/* MLflow's syntax, case by case (doc/query.md). */
	M("tags.team IS NULL", "resnet50");
	M("tags.team IS NOT NULL", "bert-a bert-b resnet18");
	M("tags.team is not null", "bert-a bert-b resnet18");
	M("params.nope IS NULL", "bert-a bert-b resnet18 resnet50");
	M("params.lr IS NOT NULL AND tags.team IS NULL", "resnet50");
	M("NOT tags.team IS NULL", "bert-a bert-b resnet18");
	M("`metrics`.loss < 0.3", "bert-a");
	M("`metric`.loss < 0.3", "bert-a");
	M("`metrics`.`loss`.min < 0.2", "bert-a");
	M("`params`.optimizer = 'adam'", "bert-a");
	M("`tags`.team = 'nlp'", "resnet18");
	M("`attributes`.status = 'RUNNING'", "resnet50");
	M("attributes.`Run name` = 'resnet18'", "resnet18");
	M("attributes.`run name` = 'resnet18'", "resnet18");
	M("`run name` = 'resnet18'", "resnet18");
	M("`Run Name` = 'resnet18'", "resnet18");
	M("created > 2500", "resnet18 resnet50");
	M("Created > 2500", "resnet18 resnet50");
	M("attributes.created <= 2000", "bert-a bert-b");
	M("attribute.artifact_uri LIKE 'file:%'", "resnet18");
	M("attributes.artifact_uri = 'file:///m/1/abc/artifacts'", "resnet18");
	M("tags.`mlflow.runName` = 'bert-b'", "bert-b");
	M("tags.mlflow.runName LIKE 'bert%'", "bert-a bert-b");
	M("attribute.status != 'blah'", "bert-a bert-b resnet18 resnet50");
	M("status NOT IN ('blah', 'FAILED')", "bert-a resnet18 resnet50");
	M("dataset.name = 'cifar10'", "");
	M("dataset.digest IN ('a', 'b') OR dataset.context LIKE 'train%'", "");
	M("datasets.`name` = ''' OR 1=1 --'", "");
	E("attribute.name != 1", "filter:1:19: expected a quoted string for "
	    "attributes.run_name");
	E("status = 1", "filter:1:10: expected a quoted string for "
	    "attributes.status");
	E("metrics.loss IS NULL", "filter:1:14: IS NULL applies to params and "
	    "tags (a run without the key)");
	E("status IS NOT NULL", "filter:1:8: IS NULL applies to params and "
	    "tags (a run without the key)");
	E("params.x IS 1", "filter:1:13: expected NULL or NOT NULL after IS");
	E("params.x IS NOT", "filter:1:16: expected NULL or NOT NULL after IS");
	E("dataset.size = 'x'", "filter:1:9: unknown dataset field 'size' "
	    "(expected name, digest or context)");
	E("dataset.name < 'x'", "filter:1:14: operator '<' does not apply to "
	    "dataset fields");
	E("dataset.name = 1", "filter:1:16: expected a quoted string for "
	    "dataset.name");
	is_str(names("", "dataset.name"), "ERR order-by:1:1: runs cannot be "
	    "ordered by dataset fields (a run may use several)\n"
	    "  dataset.name\n  ^", "order-by a dataset field");

	/* Keywords case-insensitive, precedence, parentheses, NOT. */
	M("metrics.loss < 0.3 or params.optimizer = 'sgd'", "bert-a bert-b");
	M("params.optimizer = 'sgd' OR params.optimizer = 'adam' AND "
	    "metrics.loss > 0.3", "bert-b");
	M("(params.optimizer = 'sgd' OR params.optimizer = 'adam') AND "
	    "metrics.loss < 0.3", "bert-a");
	M("NOT metrics.loss < 0.3", "bert-b resnet18 resnet50");
	M("not (status = 'finished' or status = 'failed')", "resnet50");
	M("NOT NOT run_name = 'bert-a'", "bert-a");
	M("NOT tags.team = 'nlp'", "bert-a bert-b resnet50");

	/* Bound parameters: an injection finds nothing. */
	M("params.optimizer = ''' OR 1=1 --'", "");
	M("run_name = '\" OR 1=1 --'", "");
	M("tags.`team'') OR 1=1 --` = 'x'", "");
	M("metrics.`loss) OR 1=1 --` < 100", "");

	/* Order by. */
	is_str(names("metrics.loss > 0", "metrics.loss ASC"),
	    "bert-a resnet18 bert-b", "order by metric asc");
	is_str(names("", "metrics.loss DESC"),
	    "bert-b resnet18 bert-a resnet50", "missing values last");
	is_str(names("", "metrics.loss.max desc, start_time DESC"),
	    "bert-a bert-b resnet18 resnet50", "two keys");
	is_str(names("", "params.lr"), "bert-b resnet18 bert-a resnet50",
	    "params order numerically");
	is_str(names("", "run_name DESC"),
	    "resnet50 resnet18 bert-b bert-a", "attribute desc");
	is_str(names("", "metrics.loss ASC,"),
	    "ERR order-by:1:18: expected a field after ','\n"
	    "  metrics.loss ASC,\n"
	    "                   ^", "order-by trailing comma");
	is_str(names("", "metrics.loss UP"),
	    "ERR order-by:1:14: expected ASC, DESC, ',' or the end, got 'UP'\n"
	    "  metrics.loss UP\n"
	    "               ^", "order-by bad direction");
	is_str(names("", "42"), "ERR order-by:1:1: expected a field like "
	    "metrics.val_loss or start_time, got '42'\n  42\n  ^",
	    "order-by not a field");

	/* Every error message, with its column and caret. */
	is_str(perror_of("metrics.loss < AND x"),
	    "filter:1:16: expected a value after '<', got 'AND'\n"
	    "  metrics.loss < AND x\n"
	    "                 ^", "caret under the token");
	E("metrics.loss <", "filter:1:15: expected a value after '<', got "
	    "end of filter");
	E("params.x = 'abc", "filter:1:12: unterminated string");
	E("metrics.`abc = 1", "filter:1:9: unterminated backtick-quoted name");
	E("params.\"abc = 1", "filter:1:8: unterminated quoted name");
	E("metrics.loss < 1 & x", "filter:1:18: unexpected character '&'");
	E("metrics.loss ! 1", "filter:1:14: unexpected character '!'");
	E("metrics.loss < 1 \x01", "filter:1:18: unexpected byte 0x01");
	E("foo.bar = 1", "filter:1:1: unknown field prefix 'foo' (expected "
	    "metrics, params, tags, attributes or dataset)");
	E("`foo`.bar = 1", "filter:1:1: unknown field prefix 'foo' (expected "
	    "metrics, params, tags, attributes or dataset)");
	E("metrics. = 1", "filter:1:9: expected a key after 'metrics.'");
	E("attributes.colour = 'red'", "filter:1:12: unknown attribute "
	    "'colour' (expected run_id, run_name, status, start_time, "
	    "end_time, experiment, user, deleted, parent or artifact_uri)");
	E("`colour` = 'red'", "filter:1:1: unknown attribute 'colour'");
	E("metrics.`loss`.avg < 1", "filter:1:16: expected min, max, first "
	    "or last after a metric name");
	E("colour = 'red'", "filter:1:1: expected a field like metrics.loss, "
	    "params.lr, tags.team or status, got 'colour'");
	E("= 1", "filter:1:1: expected a field like metrics.loss, params.lr, "
	    "tags.team or status, got '='");
	E("metrics.loss 0.3", "filter:1:14: expected an operator after "
	    "'metrics.loss' (=, !=, <, <=, >, >=, ~, !~, LIKE, ILIKE, IN, IS)");
	E("params.x NOT = 1", "filter:1:14: expected LIKE, ILIKE or IN after "
	    "NOT");
	E("metrics.loss LIKE '1%'", "filter:1:14: operator 'LIKE' does not "
	    "apply to metrics (they are numbers)");
	E("start_time ~ '1'", "filter:1:12: operator '~' does not apply to "
	    "times (they are numbers)");
	E("run_name < 'b'", "filter:1:10: operator '<' does not apply to "
	    "this attribute");
	E("metrics.loss < 'a'", "filter:1:16: expected a number for "
	    "metrics.loss");
	E("start_time > 'yesterday'", "filter:1:14: expected a number for "
	    "attributes.start_time");
	E("params.x LIKE 1", "filter:1:15: expected a quoted pattern after "
	    "'LIKE'");
	E("params.x ~ '(('", "filter:1:12: bad regex: 2: missing closing "
	    "parenthesis");
	E("status = 'DONE'", "filter:1:10: unknown status 'done' (expected "
	    "FINISHED, RUNNING, FAILED, KILLED, SCHEDULED, QUEUED, LOST or "
	    "PRUNED)");
	E("params.x IN 'a'", "filter:1:13: expected '(' after IN");
	E("params.x IN ('a' 'b')", "filter:1:18: expected ',' or ')' in the "
	    "IN list");
	E("params.x IN ()", "filter:1:14: expected a value after '(', got "
	    "')'");
	E("(metrics.loss < 1", "filter:1:1: unclosed '('");
	E("(metrics.loss < 1 2", "filter:1:19: expected ')'");
	E("metrics.loss < 1)", "filter:1:17: unmatched ')'");
	E("metrics.loss < 1 metrics.acc > 2", "filter:1:18: expected AND, OR "
	    "or the end of the filter, got 'metrics.acc'");
	E("metrics.loss < 1 AND", "filter:1:21: expected a field like "
	    "metrics.loss, params.lr, tags.team or status, got end of filter");
	E("metrics.loss < 1.2.3", "filter:1:16: bad number '1.2.3'");
	E("metrics.loss < 12abc", "filter:1:16: bad number '12a'");
	E("((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((("
	    "((((metrics.loss < 1", "filter:1:65: filter nested too deeply "
	    "(more than 64 levels)");
	is_str(perror_of("params.x = 1 AND\nmetrics.y < "),
	    "filter:2:13: expected a value after '<', got end of filter\n"
	    "  metrics.y < \n"
	    "              ^", "second line");

	/* Plain text vs filter, for the UI's / prompt. */
	ok(!query_looks_like_filter("bert"), "plain word");
	ok(!query_looks_like_filter("resnet in progress"), "'in' in text");
	ok(query_looks_like_filter("metrics.loss<1"), "operator");
	ok(query_looks_like_filter("run_name LIKE 'a%'"), "LIKE");
	ok(!query_looks_like_filter("'a=b'"), "quoted =");

	test_runlist();
	db_close(db);
	return tap_done();
}
