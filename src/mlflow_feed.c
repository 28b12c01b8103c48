/*
 * mlflow_feed: the runs an MLflow reader finds, handed from the reader's
 * thread to the writer's (mlflow_feed.h).
 *
 * Reading an MLflow database is about a third of an import's time (its
 * metrics walked through the run_uuid index, each run's points sorted),
 * and none of it needs the workspace: so the reader runs in a thread of
 * its own on its own connection to the source, and records the writer
 * calls it would make in batches (an array of calls, their strings in an
 * arena).  The thread that called feed_drive makes those calls on the
 * workspace, batch after batch, in the order they were fed.
 *
 * At most FEED_QUEUE full batches wait for the writer, so memory stays
 * bounded whatever the source's size: a reader far ahead waits.  A writer
 * that fails stops the reader at its next batch; a reader that fails hands
 * over what it fed before failing, and its error comes after.  Either way
 * the result is what calling the writer directly would have given.
 */
#include "config.h"

#include <pthread.h>
#include <stdint.h>
#include <string.h>

#include "db_mlflow.h"
#include "err.h"
#include "mem.h"
#include "mlflow_feed.h"
#include "strbuf.h"

#define FEED_OPS	16384		/* calls in a batch */
#define FEED_ARENA	(1u << 20)	/* bytes of strings in a batch */
#define FEED_QUEUE	2		/* full batches waiting */
#define NOSTR		SIZE_MAX	/* a NULL string */

enum op_kind { OP_AHEAD, OP_RUN, OP_TAG, OP_PARAM, OP_POINT, OP_RUN_END,
    OP_SKIP };

/* One writer call.  Strings are arena offsets; OP_RUN's a is a run. */
struct op {
	enum op_kind	 kind;
	size_t		 a, b;
	int64_t		 i, j;		/* step, timestamp; OP_AHEAD: i */
	double		 v;
};

/* mlfw_run's arguments, its strings as arena offsets. */
struct run_rec {
	char		 uuid[33];
	size_t		 name, status, source, git_commit, user;
	int64_t		 started_at, ended_at, deleted_at;
	int64_t		 exp_id;
};

struct batch {
	struct op	*ops;
	size_t		 nops, opcap;
	struct run_rec	*runs;
	size_t		 nruns, runcap;
	struct strbuf	 arena;
	struct batch	*next;
};

struct feed {
	struct mlfw	*w;
	int		 direct;	/* no thread: hand_over replays */
	struct batch	*cur;		/* the reader's, being filled */

	/* Shared by the two threads, under mu. */
	pthread_mutex_t	 mu;
	pthread_cond_t	 cv;
	struct batch	*head, *tail;	/* full, for the writer */
	size_t		 queued;
	struct batch	*spare;		/* emptied, for the reader */
	int		 stopped;	/* the writer failed */
	int		 done;		/* the reader returned rc, rerr */
	int		 rc;
	struct wb_err	 rerr;

	feed_reader_fn	*read;
	void		*arg;
};

static struct batch *
batch_new(void)
{
	/* All zero: no calls, and an empty arena (STRBUF_INIT). */
	return wb_calloc(1, sizeof(struct batch));
}

static void
batch_free(struct batch *b)
{
	if (b == NULL)
		return;
	wb_free(b->ops);
	wb_free(b->runs);
	strbuf_free(&b->arena);
	wb_free(b);
}

static void
batch_list_free(struct batch *b)
{
	struct batch	*next;

	for (; b != NULL; b = next) {
		next = b->next;
		batch_free(b);
	}
}

static int
oom(struct wb_err *err)
{
	return wb_err_set(err, WB_ENOMEM, "out of memory");
}

/* s copied into b's arena; its offset (NOSTR for NULL) in *off. */
static int
str_add(struct batch *b, const char *s, size_t *off)
{
	if (s == NULL) {
		*off = NOSTR;
		return 0;
	}
	*off = b->arena.len;
	return strbuf_add(&b->arena, s, strlen(s) + 1);
}

static const char *
str_at(const struct batch *b, size_t off)
{
	return off == NOSTR ? NULL : b->arena.s + off;
}

/* A new call at the end of the current batch (NULL: out of memory). */
static struct op *
op_new(struct feed *f, enum op_kind kind)
{
	struct batch	*b = f->cur;
	struct op	*ops, *op;
	size_t		 cap;

	if (b == NULL)
		return NULL;
	if (b->nops == b->opcap) {
		cap = b->opcap ? b->opcap * 2 : 1024;
		if ((ops = wb_reallocarray(b->ops, cap, sizeof *ops)) == NULL)
			return NULL;
		b->ops = ops;
		b->opcap = cap;
	}
	op = &b->ops[b->nops++];
	memset(op, 0, sizeof *op);
	op->kind = kind;
	return op;
}

/* The calls of batch b, made on w. */
static int
replay(struct mlfw *w, const struct batch *b, struct wb_err *err)
{
	const struct op		*op;
	const struct run_rec	*rec;
	struct mlfw_run		 r;
	size_t			 i;
	int			 rc = WB_OK;

	for (i = 0; i < b->nops && rc == WB_OK; i++) {
		op = &b->ops[i];
		switch (op->kind) {
		case OP_AHEAD:
			mlfw_runs_ahead(w, op->i);
			break;
		case OP_RUN:
			rec = &b->runs[op->a];
			memset(&r, 0, sizeof r);
			memcpy(r.uuid, rec->uuid, sizeof r.uuid);
			r.name = str_at(b, rec->name);
			r.status = str_at(b, rec->status);
			r.source = str_at(b, rec->source);
			r.git_commit = str_at(b, rec->git_commit);
			r.user = str_at(b, rec->user);
			r.started_at = rec->started_at;
			r.ended_at = rec->ended_at;
			r.deleted_at = rec->deleted_at;
			rc = mlfw_run(w, &r, rec->exp_id, err);
			break;
		case OP_TAG:
			rc = mlfw_tag(w, str_at(b, op->a), str_at(b, op->b),
			    err);
			break;
		case OP_PARAM:
			rc = mlfw_param(w, str_at(b, op->a), str_at(b, op->b),
			    err);
			break;
		case OP_POINT:
			rc = mlfw_point(w, str_at(b, op->a), op->i, op->j,
			    op->v, err);
			break;
		case OP_RUN_END:
			rc = mlfw_run_end(w, err);
			break;
		case OP_SKIP:
			mlfw_skip(w);
			break;
		}
	}
	return rc;
}

/* b emptied, for the next calls. */
static void
batch_reset(struct batch *b)
{
	b->nops = b->nruns = 0;
	strbuf_reset(&b->arena);
}

/* b at the end of the writer's queue; f->mu is held. */
static void
enqueue(struct feed *f, struct batch *b)
{
	b->next = NULL;
	if (f->tail != NULL)
		f->tail->next = b;
	else
		f->head = b;
	f->tail = b;
	f->queued++;
}

/*
 * The current batch to the writer when it is full, and an empty one for
 * the reader; waits while FEED_QUEUE batches are waiting already.
 * Without a thread, the call just fed is made here and now.
 */
static int
hand_over(struct feed *f, struct wb_err *err)
{
	struct batch	*b = f->cur, *next;
	int		 rc;

	if (f->direct) {	/* no thread: each call made as it is fed */
		rc = replay(f->w, b, err);
		batch_reset(b);
		return rc;
	}
	if (b->nops < FEED_OPS && b->arena.len < FEED_ARENA)
		return WB_OK;
	pthread_mutex_lock(&f->mu);
	while (f->queued >= FEED_QUEUE && !f->stopped)
		pthread_cond_wait(&f->cv, &f->mu);
	if (f->stopped) {
		pthread_mutex_unlock(&f->mu);
		return wb_err_set(err, WB_EINTR, "mlflow: the writer stopped");
	}
	enqueue(f, b);
	if ((next = f->spare) != NULL)
		f->spare = next->next;
	pthread_cond_broadcast(&f->cv);
	pthread_mutex_unlock(&f->mu);
	if (next == NULL && (next = batch_new()) == NULL) {
		f->cur = NULL;
		return oom(err);
	}
	next->next = NULL;
	f->cur = next;
	return WB_OK;
}

int
feed_runs_ahead(struct feed *f, int64_t n, struct wb_err *err)
{
	struct op	*op;

	if ((op = op_new(f, OP_AHEAD)) == NULL)
		return oom(err);
	op->i = n;
	return hand_over(f, err);
}

int
feed_run(struct feed *f, const struct mlfw_run *r, int64_t exp_id,
    struct wb_err *err)
{
	struct batch	*b = f->cur;
	struct run_rec	*runs, *rec;
	struct op	*op;
	size_t		 cap;

	if (b == NULL)
		return oom(err);
	if (b->nruns == b->runcap) {
		cap = b->runcap ? b->runcap * 2 : 64;
		if ((runs = wb_reallocarray(b->runs, cap, sizeof *runs)) ==
		    NULL)
			return oom(err);
		b->runs = runs;
		b->runcap = cap;
	}
	rec = &b->runs[b->nruns];
	memcpy(rec->uuid, r->uuid, sizeof rec->uuid);
	rec->started_at = r->started_at;
	rec->ended_at = r->ended_at;
	rec->deleted_at = r->deleted_at;
	rec->exp_id = exp_id;
	if (str_add(b, r->name, &rec->name) != 0 ||
	    str_add(b, r->status, &rec->status) != 0 ||
	    str_add(b, r->source, &rec->source) != 0 ||
	    str_add(b, r->git_commit, &rec->git_commit) != 0 ||
	    str_add(b, r->user, &rec->user) != 0 ||
	    (op = op_new(f, OP_RUN)) == NULL)
		return oom(err);
	op->a = b->nruns++;
	return hand_over(f, err);
}

/* A call with a key and a value (NULL for a point) copied: NULL if OOM. */
static struct op *
op_kv(struct feed *f, enum op_kind kind, const char *key, const char *value)
{
	struct op	*op;
	size_t		 a, b;

	if (f->cur == NULL || str_add(f->cur, key, &a) != 0 ||
	    str_add(f->cur, value, &b) != 0 || (op = op_new(f, kind)) == NULL)
		return NULL;
	op->a = a;
	op->b = b;
	return op;
}

int
feed_tag(struct feed *f, const char *key, const char *value,
    struct wb_err *err)
{
	if (op_kv(f, OP_TAG, key, value) == NULL)
		return oom(err);
	return hand_over(f, err);
}

int
feed_param(struct feed *f, const char *key, const char *value,
    struct wb_err *err)
{
	if (op_kv(f, OP_PARAM, key, value) == NULL)
		return oom(err);
	return hand_over(f, err);
}

int
feed_point(struct feed *f, const char *key, int64_t step, int64_t ts,
    double value, struct wb_err *err)
{
	struct op	*op;

	if ((op = op_kv(f, OP_POINT, key, NULL)) == NULL)
		return oom(err);
	op->i = step;
	op->j = ts;
	op->v = value;
	return hand_over(f, err);
}

int
feed_run_end(struct feed *f, struct wb_err *err)
{
	if (op_new(f, OP_RUN_END) == NULL)
		return oom(err);
	return hand_over(f, err);
}

int
feed_skip(struct feed *f, struct wb_err *err)
{
	if (op_new(f, OP_SKIP) == NULL)
		return oom(err);
	return hand_over(f, err);
}

/* The reader's thread: read, then hand over the last batch and rc. */
static void *
reader_main(void *arg)
{
	struct feed	*f = arg;
	struct wb_err	 e;
	int		 rc;

	memset(&e, 0, sizeof e);
	rc = f->read(f->arg, f, &e);
	pthread_mutex_lock(&f->mu);
	if (f->cur != NULL)
		enqueue(f, f->cur);
	f->cur = NULL;
	f->done = 1;
	f->rc = rc;
	f->rerr = e;
	pthread_cond_broadcast(&f->cv);
	pthread_mutex_unlock(&f->mu);
	return NULL;
}

int
feed_drive(struct mlfw *w, feed_reader_fn *read, void *arg,
    struct wb_err *err)
{
	struct feed	 f = { .mu = PTHREAD_MUTEX_INITIALIZER,
			       .cv = PTHREAD_COND_INITIALIZER };
	struct batch	*b;
	pthread_t	 tid;
	int		 rc = WB_OK;

	f.w = w;
	f.read = read;
	f.arg = arg;
	if ((f.cur = batch_new()) == NULL)
		return oom(err);
	if (pthread_create(&tid, NULL, reader_main, &f) != 0) {
		/* No thread: this one reads, and makes each call as fed. */
		f.direct = 1;
		rc = read(arg, &f, err);
		batch_free(f.cur);
		return rc;
	}
	for (;;) {
		pthread_mutex_lock(&f.mu);
		while (f.queued == 0 && !f.done)
			pthread_cond_wait(&f.cv, &f.mu);
		if ((b = f.head) == NULL) {
			pthread_mutex_unlock(&f.mu);
			break;
		}
		if ((f.head = b->next) == NULL)
			f.tail = NULL;
		f.queued--;
		pthread_cond_broadcast(&f.cv);
		pthread_mutex_unlock(&f.mu);

		rc = replay(w, b, err);
		batch_reset(b);

		pthread_mutex_lock(&f.mu);
		b->next = f.spare;
		f.spare = b;
		if (rc != WB_OK)
			f.stopped = 1;
		pthread_cond_broadcast(&f.cv);
		pthread_mutex_unlock(&f.mu);
		if (rc != WB_OK)
			break;
	}
	pthread_join(tid, NULL);
	if (rc == WB_OK && f.rc != WB_OK) {
		rc = f.rc;
		if (err != NULL)
			*err = f.rerr;
	}
	batch_list_free(f.head);
	batch_list_free(f.spare);
	batch_free(f.cur);
	pthread_mutex_destroy(&f.mu);
	pthread_cond_destroy(&f.cv);
	return rc;
}
