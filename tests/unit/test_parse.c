/*
 * Unit tests of the two input wrappers: csvread (libcsv) and yamldoc
 * (libyaml).
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "csvread.h"
#include "err.h"
#include "mem.h"
#include "strbuf.h"
#include "yamldoc.h"
#include "tap.h"

/* Read all rows of buf into "f1|f2;f1|f2@line;..." for comparison. */
static char *
rows(const char *buf, struct wb_err *err, int *rc)
{
	struct csvread	*r;
	struct csv_row	 row;
	struct strbuf	 sb = STRBUF_INIT;
	size_t		 i;
	int		 eof = 0;

	*rc = csvread_open_mem(buf, strlen(buf), "t.csv", &r, err);
	while (*rc == WB_OK && (*rc = csvread_next(r, &row, &eof, err)) ==
	    WB_OK && !eof) {
		for (i = 0; i < row.n; i++)
			strbuf_addf(&sb, "%s%s", i ? "|" : "", row.f[i]);
		strbuf_addf(&sb, "@%llu;", (unsigned long long)row.line);
	}
	csvread_close(r);
	return strbuf_detach(&sb);
}

static void
test_csv(void)
{
	struct wb_err	 err;
	char		*s;
	int		 rc;

	s = rows("\xef\xbb\xbf" "epoch,loss\r\n0,1.5\r\n1,0.5\r\n", &err, &rc);
	is_str(s, "epoch|loss@1;0|1.5@2;1|0.5@3;", "BOM dropped, CRLF rows");
	free(s);
	s = rows("a,b\n\"x,\ny\",2\n3,\"q\"\"\"\n", &err, &rc);
	is_str(s, "a|b@1;x,\ny|2@2;3|q\"@4;",
	    "quoted comma and newline; the next record's line is right");
	free(s);
	s = rows("   epoch,  train/box_loss\n      0,     0.1\n", &err, &rc);
	is_str(s, "epoch|train/box_loss@1;0|0.1@2;", "padding trimmed");
	free(s);
	s = rows("a,b,\n1,,\n\n2,3,4", &err, &rc);
	is_str(s, "a|b|@1;1||@2;2|3|4@4;",
	    "trailing empty cells, blank line, no final newline");
	free(s);
	s = rows("a,b\n1,\"open\n2,3\n", &err, &rc);
	ok(rc == WB_EPARSE, "unterminated quote is an error");

	ok(strstr(err.msg, "t.csv:3") != NULL && strstr(err.msg,
	    "line 2") != NULL, "naming the file and both lines: %s", err.msg);
	free(s);
	{
		/* A long file through the arena, many fills. */
		struct strbuf	big = STRBUF_INIT;
		int		i;

		strbuf_adds(&big, "step,value\n");
		for (i = 0; i < 20000; i++)
			strbuf_addf(&big, "%d,%d.5\n", i, i);
		s = rows(big.s, &err, &rc);
		ok(rc == WB_OK && strstr(s, "19999|19999.5@20001;") != NULL,
		    "20000 rows, last line number right");
		free(s);
		strbuf_free(&big);
	}
}

static void
test_yaml(void)
{
	struct ydoc		*d;
	struct wb_err		 err;
	const struct ynode	*n;
	const char		 y1[] =
	    "lr: 1.0e-05\nname: 'resnet'\nlayers: [1, 2]\nempty:\n"
	    "model: !!python/object:foo.Bar\n  a: 1\nbase: &b {x: 1}\n"
	    "copy: *b\n";
	const char		 bad[] = "a: 1\nb: [1, 2\nc: 3\n";

	ok(ydoc_load_mem(y1, sizeof y1 - 1, "h.yaml", &d, &err) == WB_OK,
	    "load yaml");
	is_str(ynode_str(ynode_get(d->root, "lr")), "1.0e-05", "scalar");
	ok(ynode_get(d->root, "lr")->plain, "plain scalar");
	ok(!ynode_get(d->root, "name")->plain, "quoted scalar");
	n = ynode_get(d->root, "layers");
	ok(n && n->type == YNODE_SEQ && n->n == 2, "sequence");
	ok(ynode_is_null(ynode_get(d->root, "empty")), "empty value is null");
	ok(ynode_is_unsafe(ynode_get(d->root, "model")), "python tag flagged");
	ok(!ynode_is_unsafe(ynode_get(d->root, "lr")), "plain not flagged");
	n = ynode_get(d->root, "copy");
	is_str(ynode_str(ynode_get(n, "x")), "1", "alias expanded");
	is_int(ynode_get(d->root, "layers")->line, 3, "line kept");
	ydoc_free(d);

	ok(ydoc_load_mem(bad, sizeof bad - 1, "p.yaml", &d, &err) == WB_EPARSE,
	    "syntax error");
	ok(strncmp(err.msg, "p.yaml:3:", 9) == 0, "with file:line:col: %s",
	    err.msg);

	{
		struct strbuf	lol = STRBUF_INIT;
		int		i, j;

		strbuf_adds(&lol, "a: &a [x, x, x, x, x, x, x, x, x, x]\n");
		for (i = 1; i < 9; i++) {
			strbuf_addf(&lol, "%c: &%c [", 'a' + i, 'a' + i);
			for (j = 0; j < 10; j++)
				strbuf_addf(&lol, "%s*%c", j ? ", " : "",
				    'a' + i - 1);
			strbuf_adds(&lol, "]\n");
		}
		ok(ydoc_load_mem(lol.s, lol.len, "lol.yaml", &d, &err) ==
		    WB_EPARSE && strstr(err.msg, "too large") != NULL,
		    "billion laughs refused: %s", err.msg);
		/* Early: before 300,000 allocations (the full expansion up
		 * to the 2,000,000-node cap took 236 MB and 2.8 s). */
		wb_mem_fail_after(300000);
		ok(ydoc_load_mem(lol.s, lol.len, "lol.yaml", &d, &err) ==
		    WB_EPARSE && strstr(err.msg, "aliases expand") != NULL,
		    "billion laughs refused early, by counting: %s", err.msg);
		wb_mem_fail_after(-1);
		strbuf_free(&lol);
	}
	{
		const char json[] = "{\"iteration\": 19, \"loss\": 0.5, "
		    "\"bbox/APs\": NaN}";

		ok(ydoc_load_mem(json, sizeof json - 1, "m.json", &d, &err) ==
		    WB_OK, "a JSON line with bare NaN loads");
		is_str(ynode_str(ynode_get(d->root, "bbox/APs")), "NaN",
		    "NaN kept as text");
		ydoc_free(d);
	}
}

int
main(void)
{
	test_csv();
	test_yaml();
	return tap_done();
}
