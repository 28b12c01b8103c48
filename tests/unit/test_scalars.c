/*
 * Unit tests of scalars: every pattern form, steps, '\r' progress bars,
 * ANSI escapes, output arriving in arbitrary pieces, and bounds.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "err.h"
#include "mem.h"
#include "scalars.h"
#include "strbuf.h"
#include "text.h"
#include "tap.h"

/* Points as "key@step=value;". */
static int
collect(void *arg, const char *key, int64_t step, double value)
{
	struct strbuf	*sb = arg;
	char		 num[32];

	strbuf_addf(sb, "%s@%lld=%s;", key, (long long)step,
	    text_num(num, value));
	return 0;
}

/* Feed text in pieces of size piece (0: at once) to a set made by add. */
static char *
run(const char *text, size_t piece, int defaults, const char *key,
    const char *pattern)
{
	struct scalars	*s;
	struct strbuf	 sb = STRBUF_INIT;
	struct wb_err	 err;
	size_t		 len = strlen(text), i, n;

	if (scalars_new(&s, &err) != WB_OK)
		return NULL;
	if (pattern != NULL && scalars_add(s, key, pattern, &err) != WB_OK) {
		scalars_free(s);
		return strdup(err.msg);
	}
	if (defaults)
		scalars_add_default(s, &err);
	if (piece == 0)
		piece = len ? len : 1;
	for (i = 0; i < len; i += n) {
		n = len - i < piece ? len - i : piece;
		scalars_feed(s, text + i, n, collect, &sb);
	}
	scalars_finish(s, collect, &sb);
	scalars_free(s);
	return strbuf_detach(&sb);
}

#define CHECK(text, piece, defaults, key, pattern, want, name) do {	\
	char *got_ = run(text, piece, defaults, key, pattern);		\
	is_str(got_, want, name);					\
	free(got_);							\
} while (0)

static void
test_default(void)
{
	CHECK("loss: 0.31\n", 0, 1, NULL, NULL, "loss@0=0.31;",
	    "name: number");
	CHECK("val_acc=0.91\nval_acc=0.93\n", 0, 1, NULL, NULL,
	    "val_acc@0=0.91;val_acc@1=0.93;", "name=number, step counts up");
	CHECK("Epoch 3/10 - loss: 0.5 - acc: 0.8, lr=1e-3\n", 0, 1, NULL,
	    NULL, "loss@3=0.5;acc@3=0.8;lr@3=0.001;epoch@3=3;",
	    "several per line; Epoch N/M sets the step first");
	CHECK("epoch 1/3\nloss: 1\nepoch 2/3\nloss: 0.5\n", 0, 1, NULL, NULL,
	    "epoch@1=1;loss@1=1;epoch@2=2;loss@2=0.5;",
	    "the step carries to the next lines");
	CHECK("step: 100\nloss: 2\nstep: 200\nloss: 1\n", 0, 1, NULL, NULL,
	    "loss@100=2;loss@200=1;", "step key sets the step, not recorded");
	CHECK("12:30:01 started\nprogress: 50%\neta: 0:01:02\n"
	    "http://host:8080/x\n", 0, 1, NULL, NULL, "",
	    "times, percentages and URLs are not scalars");
	CHECK("INFO:root:loss: 0.25\n", 0, 1, NULL, NULL, "loss@0=0.25;",
	    "logging prefix");
	CHECK("[00:01<00:00, 30.2it/s, loss=0.31]\n", 0, 1, NULL, NULL,
	    "loss@0=0.31;", "tqdm postfix");
	CHECK("loss: nan\nloss: -inf\n", 0, 1, NULL, NULL,
	    "loss@0=NaN;loss@1=-inf;", "nan and inf kept");
	CHECK("loss: 0.5", 0, 1, NULL, NULL, "loss@0=0.5;",
	    "last line without a newline");
	CHECK("a: 1\r\nb: 2\r\n", 0, 1, NULL, NULL, "a@0=1;b@0=2;", "CRLF");
}

static void
test_progress(void)
{
	static const char bar[] =
	    "train  10%|#         | loss=0.9\r"
	    "train  50%|#####     | loss=0.6\r"
	    "train 100%|##########| loss=0.31\n"
	    "val_loss: 0.4\n";
	size_t	piece;
	int	all = 1;

	CHECK(bar, 0, 1, NULL, NULL, "loss@0=0.31;val_loss@0=0.4;",
	    "\\r progress bar: only the last segment");
	for (piece = 1; piece < sizeof bar; piece++) {
		char *got = run(bar, piece, 1, NULL, NULL);

		if (got == NULL || strcmp(got, "loss@0=0.31;val_loss@0=0.4;"))
			all = 0;
		free(got);
	}
	ok(all, "same result whatever the read sizes");
	CHECK("\033[1mloss\033[0m: \033[32m0.25\033[0m\n", 0, 1, NULL, NULL,
	    "loss@0=0.25;", "ANSI colours stripped before matching");
	CHECK("\033]0;title\007acc=0.5\033[K\n", 0, 1, NULL, NULL,
	    "acc@0=0.5;", "OSC title and erase-line stripped");
}

static void
test_patterns(void)
{
	CHECK("iter 5 score 0.7\niter 6 score 0.8\n", 0, 0, NULL,
	    "iter (?<step>\\d+) (?<key>\\w+) (?<value>[0-9.]+)",
	    "score@5=0.7;score@6=0.8;", "key, value and step groups");
	CHECK("AUC is 0.91 (best)\nAUC is 0.93\n", 0, 0, "val_auc",
	    "AUC is ([0-9.]+)", "val_auc@0=0.91;val_auc@1=0.93;",
	    "fixed key with one group");
	CHECK("[t=3] r=0.5\n", 0, 0, "reward", "t=(?<step>\\d+)\\] "
	    "r=(?<value>\\S+)", "reward@3=0.5;", "fixed key, named value, step");
	CHECK("loss: 0.5\n", 0, 1, "loss", "loss: (\\S+)", "loss@0=0.5;",
	    "a key captured by two patterns counts once");
	CHECK("x\n", 0, 0, NULL, "(\\d+",
	    "4: missing closing parenthesis", "bad pattern");
	CHECK("x\n", 0, 0, NULL, "(?<value>\\d+)",
	    "the pattern needs groups named key and value, (?<key>...) "
	    "(?<value>...), or a fixed key", "free pattern without key group");
	CHECK("x\n", 0, 0, "k", "abc", "the pattern needs a group for the "
	    "value", "fixed key without a group");
	CHECK("v=abc\n", 0, 0, "v", "v=(\\S+)", "", "non-numbers skipped");
}

static void
test_clean_and_bounds(void)
{
	struct strbuf	 sb = STRBUF_INIT;
	char		 out[64], *got;
	size_t		 n, i;

	n = scalars_clean("a\rbc\r", 5, out);
	out[n] = '\0';
	is_str(out, "bc", "clean keeps the last segment");
	n = scalars_clean("\033[31mred\033", 9, out);
	out[n] = '\0';
	is_str(out, "red", "a cut escape at the end is dropped");

	for (i = 0; i < 10000; i++)
		strbuf_adds(&sb, "xxxxxxxxxx");
	strbuf_adds(&sb, " loss: 1\nloss: 2\n");
	got = run(strbuf_str(&sb), 4096, 1, NULL, NULL);
	is_str(got, "loss@0=2;", "a 100 KB line is cut; the next is fine");
	free(got);
	strbuf_reset(&sb);
	for (i = 0; i < 20000; i++)
		strbuf_addf(&sb, "step %zu loss=%zu\r", i, i);
	strbuf_adds(&sb, "done loss=7\n");
	got = run(strbuf_str(&sb), 1000, 1, NULL, NULL);
	is_str(got, "loss@0=7;", "20000 bar updates keep one segment");
	free(got);
	strbuf_free(&sb);
}

static void
test_fault(void)
{
	struct scalars	*s;
	struct strbuf	 sb = STRBUF_INIT;
	struct wb_err	 err;
	long		 k;
	int		 n = 0, bad = 0, rc;

	for (k = 0; k < 200; k++) {
		wb_mem_fail_after(k);
		rc = scalars_new(&s, &err);
		if (rc == WB_OK && (rc = scalars_add_default(s, &err)) ==
		    WB_OK && (rc = scalars_feed(s, "a: 1\nb=2\n", 9, collect,
		    &sb)) == WB_OK)
			rc = scalars_finish(s, collect, &sb);
		wb_mem_fail_after(-1);
		scalars_free(s);
		strbuf_reset(&sb);
		if (rc == WB_OK)
			break;
		n++;
		if (rc != WB_ENOMEM)
			bad++;
	}
	strbuf_free(&sb);
	ok(n > 5, "%d allocations failed in turn", n);
	is_int(bad, 0, "each is WB_ENOMEM, nothing leaks");
}

int
main(void)
{
	test_default();
	test_progress();
	test_patterns();
	test_clean_and_bounds();
	test_fault();
	return tap_done();
}
