/*
 * db_pg: the PostgreSQL store (libpq), a team's shared workspace that
 * every box writes to at once.  Built only with libpq (HAVE_LIBPQ).
 *
 * It speaks struct db_ops, which mirrors SQLite's statement calls: SQL
 * arrives with ? / ?N placeholders and is rewritten to $N once, at
 * prepare; bindings are collected (numbers as text with their type, so
 * the server infers nothing it could get wrong; blobs as binary bytea);
 * the first db_step runs the statement and keeps its whole result, later
 * steps walk its rows.  Whole results (not single-row mode) let one
 * connection run a query while another's rows are still being read,
 * which the store modules do as they do on SQLite.
 *
 * The schema, its version (table mlwb_meta) and migrations are
 * data/schema-pg.sql and the migrations[] below: one source of truth for
 * this store.  `mlwb init` on an empty database or schema creates it; a
 * database that holds other tables is refused.  Commits are announced by
 * statement triggers on channel mlwb_change, which every connection
 * LISTENs to: db_data_version counts the announcements, so a viewer's
 * poll is a local check of the socket, not a query.
 */
#include "config.h"

#include "db_internal.h"

#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <dlfcn.h>

#include <libpq-fe.h>

#include "db_textidx.h"
#include "err.h"
#include "mem.h"
#include "strbuf.h"

/*
 * libpq is loaded when a PostgreSQL workspace is opened, not linked: it
 * pulls in some twenty libraries (TLS, Kerberos, LDAP) whose loading
 * doubled the start-up time of every mlwb process, SQLite ones included
 * (46 -> 102 ms per `mlwb jobs ls` on a loaded machine).  The calls below
 * go through this table; libpq-fe.h gives their types.
 */
static struct {
	void		*handle;
	PGconn		*(*connectdbParams)(const char *const *,
			    const char *const *, int);
	void		 (*finish)(PGconn *);
	ConnStatusType	 (*status)(const PGconn *);
	PGTransactionStatusType (*transactionStatus)(const PGconn *);
	char		*(*errorMessage)(const PGconn *);
	int		 (*setClientEncoding)(PGconn *, const char *);
	PGresult	*(*exec)(PGconn *, const char *);
	PGresult	*(*execParams)(PGconn *, const char *, int,
			    const Oid *, const char *const *, const int *,
			    const int *, int);
	int		 (*consumeInput)(PGconn *);
	PGnotify	*(*notifies)(PGconn *);
	ExecStatusType	 (*resultStatus)(const PGresult *);
	char		*(*resultErrorField)(const PGresult *, int);
	int		 (*ntuples)(const PGresult *);
	int		 (*nfields)(const PGresult *);
	Oid		 (*ftype)(const PGresult *, int);
	char		*(*cmdTuples)(PGresult *);
	char		*(*getvalue)(const PGresult *, int, int);
	int		 (*getisnull)(const PGresult *, int, int);
	void		 (*clear)(PGresult *);
	void		 (*freemem)(void *);
	unsigned char	*(*unescapeBytea)(const unsigned char *, size_t *);
	void		 (*reset)(PGconn *);
	PQnoticeProcessor (*setNoticeProcessor)(PGconn *, PQnoticeProcessor,
			    void *);
	int		 (*putCopyData)(PGconn *, const char *, int);
	int		 (*putCopyEnd)(PGconn *, const char *);
	PGresult	*(*getResult)(PGconn *);
} pq;

#define PQconnectdbParams	(*pq.connectdbParams)
#define PQfinish		(*pq.finish)
#define PQstatus		(*pq.status)
#define PQtransactionStatus	(*pq.transactionStatus)
#define PQerrorMessage		(*pq.errorMessage)
#define PQsetClientEncoding	(*pq.setClientEncoding)
#define PQexec			(*pq.exec)
#define PQexecParams		(*pq.execParams)
#define PQconsumeInput		(*pq.consumeInput)
#define PQnotifies		(*pq.notifies)
#define PQresultStatus		(*pq.resultStatus)
#define PQresultErrorField	(*pq.resultErrorField)
#define PQntuples		(*pq.ntuples)
#define PQnfields		(*pq.nfields)
#define PQftype			(*pq.ftype)
#define PQcmdTuples		(*pq.cmdTuples)
#define PQgetvalue		(*pq.getvalue)
#define PQgetisnull		(*pq.getisnull)
#define PQclear			(*pq.clear)
#define PQfreemem		(*pq.freemem)
#define PQunescapeBytea		(*pq.unescapeBytea)
#define PQreset			(*pq.reset)
#define PQsetNoticeProcessor	(*pq.setNoticeProcessor)
#define PQputCopyData		(*pq.putCopyData)
#define PQputCopyEnd		(*pq.putCopyEnd)
#define PQgetResult		(*pq.getResult)

/* Load libpq once; WB_EDB naming the library when it cannot. */
static int
pq_load(const char *url, struct wb_err *err)
{
	static const struct {
		const char	*name;
		void		**fn;
	} syms[] = {
#define SYM(f, m)	{ #f, (void **)&pq.m }
		SYM(PQconnectdbParams, connectdbParams),
		SYM(PQfinish, finish),
		SYM(PQstatus, status),
		SYM(PQtransactionStatus, transactionStatus),
		SYM(PQerrorMessage, errorMessage),
		SYM(PQsetClientEncoding, setClientEncoding),
		SYM(PQexec, exec),
		SYM(PQexecParams, execParams),
		SYM(PQconsumeInput, consumeInput),
		SYM(PQnotifies, notifies),
		SYM(PQresultStatus, resultStatus),
		SYM(PQresultErrorField, resultErrorField),
		SYM(PQntuples, ntuples),
		SYM(PQnfields, nfields),
		SYM(PQftype, ftype),
		SYM(PQcmdTuples, cmdTuples),
		SYM(PQgetvalue, getvalue),
		SYM(PQgetisnull, getisnull),
		SYM(PQclear, clear),
		SYM(PQfreemem, freemem),
		SYM(PQunescapeBytea, unescapeBytea),
		SYM(PQreset, reset),
		SYM(PQsetNoticeProcessor, setNoticeProcessor),
		SYM(PQputCopyData, putCopyData),
		SYM(PQputCopyEnd, putCopyEnd),
		SYM(PQgetResult, getResult),
#undef SYM
	};
	size_t	i;
	void	*h;

	if (pq.handle != NULL)
		return WB_OK;
	if ((h = dlopen("libpq.so.5", RTLD_NOW | RTLD_LOCAL)) == NULL)
		return wb_err_set(err, WB_EDB, "%s: cannot load libpq (%s); "
		    "install libpq5", url, dlerror());
	for (i = 0; i < sizeof syms / sizeof syms[0]; i++) {
		/* POSIX's way to turn dlsym's void * into a function. */
		if ((*syms[i].fn = dlsym(h, syms[i].name)) == NULL) {
			dlclose(h);
			return wb_err_set(err, WB_EDB, "%s: libpq lacks %s",
			    url, syms[i].name);
		}
	}
	pq.handle = h;
	return WB_OK;
}

#define PG_SCHEMA_VERSION 10

extern const char schema_pg_sql[];	/* generated from data/schema-pg.sql */

/* Numbered migrations: migrations[i] brings version i+1 to i+2. */
static const char *const migrations[] = {
	/* 1 -> 2: the count of registry events ever written (issue 11). */
	"CREATE TABLE registry_events_written (n bigint NOT NULL,"
	" last_id bigint NOT NULL);"
	"INSERT INTO registry_events_written SELECT count(*),"
	" coalesce(max(id), 0) FROM registry_events;"
	"CREATE FUNCTION registry_events_count() RETURNS trigger"
	" LANGUAGE plpgsql AS $$ BEGIN UPDATE registry_events_written"
	" SET n = n + 1, last_id = greatest(last_id, NEW.id); RETURN NULL;"
	" END $$;"
	"CREATE TRIGGER registry_events_count AFTER INSERT ON registry_events"
	" FOR EACH ROW EXECUTE FUNCTION registry_events_count();"
	"CREATE FUNCTION registry_events_written_guard() RETURNS trigger"
	" LANGUAGE plpgsql AS $$ BEGIN IF TG_OP <> 'UPDATE' OR NEW.n < OLD.n"
	" OR NEW.last_id < OLD.last_id THEN RAISE EXCEPTION"
	" 'registry_events_written only grows'; END IF; RETURN NEW; END $$;"
	"CREATE TRIGGER registry_events_written_guard BEFORE UPDATE OR DELETE"
	" ON registry_events_written FOR EACH ROW EXECUTE FUNCTION"
	" registry_events_written_guard();",
	/* 2 -> 3: the registry's deploy marker (issue 11). */
	"CREATE TABLE deploy_markers (name text PRIMARY KEY,"
	" marker text NOT NULL);",
	/* 3 -> 4: experiment tags and MLflow 3 logged models (issue 16). */
	"CREATE TABLE experiment_tags (experiment_id bigint NOT NULL"
	" REFERENCES experiments(id) ON DELETE CASCADE, key text NOT NULL,"
	" value text NOT NULL, PRIMARY KEY (experiment_id, key));"
	"CREATE TABLE logged_models (id bigint GENERATED BY DEFAULT AS"
	" IDENTITY PRIMARY KEY, uuid text NOT NULL UNIQUE, experiment_id"
	" bigint REFERENCES experiments(id) ON DELETE SET NULL, run_id bigint"
	" REFERENCES runs(id) ON DELETE SET NULL, name text NOT NULL,"
	" artifact_path text, status text, model_type text, created_at bigint"
	" NOT NULL, updated_at bigint);"
	"CREATE TABLE logged_model_params (logged_model_id bigint NOT NULL"
	" REFERENCES logged_models(id) ON DELETE CASCADE, key text NOT NULL,"
	" value text NOT NULL, PRIMARY KEY (logged_model_id, key));"
	"CREATE TABLE logged_model_tags (logged_model_id bigint NOT NULL"
	" REFERENCES logged_models(id) ON DELETE CASCADE, key text NOT NULL,"
	" value text NOT NULL, PRIMARY KEY (logged_model_id, key));"
	"CREATE TABLE logged_model_metrics (logged_model_id bigint NOT NULL"
	" REFERENCES logged_models(id) ON DELETE CASCADE, key text NOT NULL,"
	" ts bigint NOT NULL, step bigint NOT NULL, run_uuid text NOT NULL"
	" DEFAULT '', value double precision, dataset_name text,"
	" dataset_digest text, PRIMARY KEY (logged_model_id, key, ts, step,"
	" run_uuid));"
	"ALTER TABLE model_versions ADD COLUMN logged_model_id bigint"
	" REFERENCES logged_models(id) ON DELETE SET NULL;"
	"DO $$ DECLARE t text; BEGIN FOREACH t IN ARRAY ARRAY["
	"'experiment_tags', 'logged_models', 'logged_model_params',"
	" 'logged_model_tags', 'logged_model_metrics'] LOOP EXECUTE"
	" format('CREATE TRIGGER %I AFTER INSERT OR UPDATE OR DELETE ON %I"
	" FOR EACH STATEMENT EXECUTE FUNCTION wb_notify_change()',"
	" t || '_notify', t); END LOOP; END $$;",
	/* 4 -> 5: the record of syncs (push, pull, merge). */
	"CREATE TABLE IF NOT EXISTS sync_peers (peer text NOT NULL, direction"
	" text NOT NULL CHECK (direction IN ('from', 'to')), url text,"
	" at bigint NOT NULL, runs bigint NOT NULL DEFAULT 0, points bigint"
	" NOT NULL DEFAULT 0, events bigint NOT NULL DEFAULT 0,"
	" PRIMARY KEY (peer, direction))",
	/* 5 -> 6: jobs across hosts: the supervisor's heartbeat. */
	"ALTER TABLE jobs ADD COLUMN IF NOT EXISTS heartbeat_at bigint",
	/*
	 * 6 -> 7: run lifecycle and nested runs (issue 15): soft delete,
	 * parents, experiments' delete and rename, purge tombstones.
	 */
	"ALTER TABLE runs ADD COLUMN IF NOT EXISTS deleted_at bigint;"
	"ALTER TABLE runs ADD COLUMN IF NOT EXISTS parent_id bigint"
	" REFERENCES runs(id) ON DELETE SET NULL;"
	"CREATE INDEX IF NOT EXISTS runs_parent ON runs(parent_id)"
	" WHERE parent_id IS NOT NULL;"
	"CREATE INDEX IF NOT EXISTS runs_deleted ON runs(deleted_at)"
	" WHERE deleted_at IS NOT NULL;"
	"ALTER TABLE experiments ADD COLUMN IF NOT EXISTS deleted_at bigint;"
	"ALTER TABLE experiments ADD COLUMN IF NOT EXISTS updated_at bigint;"
	"CREATE TABLE IF NOT EXISTS runs_purged (uuid text PRIMARY KEY,"
	" purged_at bigint NOT NULL);"
	"DROP INDEX IF EXISTS runs_exp_status;"
	"CREATE INDEX runs_exp_status ON runs(experiment_id, status,"
	" deleted_at);",
	/*
	 * 7 -> 8: artifacts and lineage (issue 15): settings,
	 * run_artifacts, run_outputs, datasets.size.
	 */
	"CREATE TABLE workspace_settings (key text PRIMARY KEY, value text"
	" NOT NULL);"
	"CREATE TABLE run_artifacts (run_id bigint NOT NULL REFERENCES"
	" runs(id) ON DELETE CASCADE, name text NOT NULL, kind text NOT NULL"
	" CHECK (kind IN ('file', 'dir')), sha256 text NOT NULL, size bigint"
	" NOT NULL, n_files bigint NOT NULL DEFAULT 1, created_at bigint NOT"
	" NULL, PRIMARY KEY (run_id, name));"
	"CREATE INDEX run_artifacts_sha ON run_artifacts(sha256);"
	"CREATE TRIGGER run_artifacts_notify AFTER INSERT OR UPDATE OR DELETE"
	" ON run_artifacts FOR EACH STATEMENT EXECUTE FUNCTION"
	" wb_notify_change();"
	"ALTER TABLE datasets ADD COLUMN IF NOT EXISTS size bigint;"
	"CREATE TABLE run_outputs (run_id bigint NOT NULL REFERENCES runs(id)"
	" ON DELETE CASCADE, dataset_id bigint NOT NULL REFERENCES"
	" datasets(id) ON DELETE CASCADE, role text NOT NULL DEFAULT '',"
	" PRIMARY KEY (run_id, dataset_id, role));"
	"CREATE TRIGGER run_outputs_notify AFTER INSERT OR UPDATE OR DELETE"
	" ON run_outputs FOR EACH STATEMENT EXECUTE FUNCTION"
	" wb_notify_change();",
	/* 8 -> 9: what a run keeps to be run again (issue 15, repro). */
	"CREATE TABLE IF NOT EXISTS run_repro (run_id bigint NOT NULL"
	" REFERENCES runs(id) ON DELETE CASCADE, section text NOT NULL,"
	" key text NOT NULL, value bytea NOT NULL,"
	" PRIMARY KEY (run_id, section, key));"
	"CREATE TRIGGER run_repro_notify AFTER INSERT OR UPDATE OR DELETE"
	" ON run_repro FOR EACH STATEMENT EXECUTE FUNCTION"
	" wb_notify_change();",
	/*
	 * 9 -> 10: the text filter's pg_trgm indexes (issue 14), as in
	 * data/schema-pg.sql; none, and the filter scans, if the role may
	 * not create the extension.
	 */
	db_textidx_pg_sql,
	NULL
};

/* Type OIDs (pg_type.h is server-side; these never change). */
#define OID_BOOL	16
#define OID_BYTEA	17
#define OID_INT8	20
#define OID_INT2	21
#define OID_INT4	23
#define OID_TEXT	25
#define OID_FLOAT4	700
#define OID_FLOAT8	701
#define OID_NUMERIC	1700

struct pg_conn {
	PGconn		*pc;
	char		*errmsg;	/* the last error, owned */
	char		 sqlstate[6];
	int64_t		 changes, total_changes;
	int64_t		 notified;	/* mlwb_change announcements seen */
	char		*locked;	/* the advisory lock held, if any */
	PGconn		*side;		/* for pg_key_insert, opened on use */
};

struct pg_stmt {
	struct db	*db;
	char		*sql;		/* with $N placeholders */
	int		 nparams;
	char		*used;		/* used[i]: $i+1 is in sql */
	char		**vals;		/* owned; NULL for SQL NULL */
	int		*lens, *fmts;
	Oid		*types;
	PGresult	*res;
	int		 executed, row, nrows;
	/* bytea columns of the current row, decoded on demand */
	unsigned char	**blob;
	size_t		*blen;
	int		 blob_row, ncols;
};

#define PGC(db)	((struct pg_conn *)(db)->conn)

static void
set_error(struct db *db, const char *msg, const char *state)
{
	struct pg_conn	*c = PGC(db);
	size_t		 len;
	char		*m;

	if (msg == NULL || *msg == '\0')
		msg = PQerrorMessage(c->pc);
	/* libpq ends messages with a newline; keep the first line only. */
	len = strcspn(msg, "\n");
	if ((m = wb_malloc(len + 1)) != NULL) {
		memcpy(m, msg, len);
		m[len] = '\0';
	}
	wb_free(c->errmsg);
	c->errmsg = m;
	snprintf(c->sqlstate, sizeof c->sqlstate, "%s", state ? state : "");
}

static void
result_error(struct db *db, const PGresult *res)
{
	const char	*prim, *state;

	prim = res ? PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY) : NULL;
	state = res ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : NULL;
	if (prim == NULL && PQstatus(PGC(db)->pc) == CONNECTION_BAD)
		prim = "the PostgreSQL server closed the connection";
	set_error(db, prim, state);
}

/* Gather notifications that arrived with a result or on the socket. */
static void
drain_notifies(struct pg_conn *c)
{
	PGnotify	*n;

	while ((n = PQnotifies(c->pc)) != NULL) {
		c->notified++;
		PQfreemem(n);
	}
}

/*
 * ? and ?N (SQLite's placeholders) to $N, outside quotes and comments.  A
 * bare ? is one more than the largest number so far, as in SQLite.  A
 * number the text skips (SQL built with optional terms) has no use for
 * PostgreSQL to infer its type from: *used (allocated here) marks the
 * numbers the text holds, so that the others get one when sent.
 */
static char *
rewrite_params(const char *sql, int *nparams, char **used)
{
	char		*u;
	const char	*t;
	int		 k;

	struct strbuf	 sb = STRBUF_INIT;
	const char	*p = sql;
	int		 max = 0, n;
	char		 q;

	while (*p) {
		if (*p == '\'' || *p == '"') {
			q = *p;
			strbuf_addc(&sb, *p++);
			while (*p && *p != q)
				strbuf_addc(&sb, *p++);
			if (*p)
				strbuf_addc(&sb, *p++);
		} else if (p[0] == '-' && p[1] == '-') {
			while (*p && *p != '\n')
				strbuf_addc(&sb, *p++);
		} else if (*p == '?') {
			p++;
			if (*p >= '0' && *p <= '9') {
				n = 0;
				while (*p >= '0' && *p <= '9' && n < 100000)
					n = n * 10 + (*p++ - '0');
			} else
				n = max + 1;
			if (n > max)
				max = n;
			strbuf_addf(&sb, "$%d", n);
		} else
			strbuf_addc(&sb, *p++);
	}
	if (sb.oom || (u = wb_calloc(max > 0 ? (size_t)max : 1, 1)) ==
	    NULL) {
		strbuf_free(&sb);
		return NULL;
	}
	for (t = strbuf_str(&sb); (t = strchr(t, '$')) != NULL; ) {
		for (k = 0, t++; *t >= '0' && *t <= '9' && k < 100000; t++)
			k = k * 10 + (*t - '0');
		if (k >= 1 && k <= max)
			u[k - 1] = 1;
	}
	*used = u;
	*nparams = max;
	return strbuf_detach(&sb);
}

static void
clear_blobs(struct pg_stmt *s)
{
	int	i;

	if (s->blob == NULL)
		return;
	for (i = 0; i < s->ncols; i++) {
		if (s->blob[i] != NULL)
			PQfreemem(s->blob[i]);
		s->blob[i] = NULL;
	}
}

static void
pg_reset(void *h)
{
	struct pg_stmt	*s = h;
	int		 i;

	clear_blobs(s);
	wb_free(s->blob);
	wb_free(s->blen);
	s->blob = NULL;
	s->blen = NULL;
	s->ncols = 0;
	PQclear(s->res);
	s->res = NULL;
	s->executed = 0;
	s->row = s->nrows = 0;
	for (i = 0; i < s->nparams; i++) {
		wb_free(s->vals[i]);
		s->vals[i] = NULL;
		s->lens[i] = 0;
		s->fmts[i] = 0;
		s->types[i] = 0;
	}
}

static void
pg_finalize(void *h)
{
	struct pg_stmt	*s = h;

	if (s == NULL)
		return;
	pg_reset(s);
	wb_free(s->vals);
	wb_free(s->lens);
	wb_free(s->fmts);
	wb_free(s->types);
	wb_free(s->used);
	wb_free(s->sql);
	wb_free(s);
}

static int
pg_prepare(struct db *db, const char *sql, int persistent, void **h,
    struct wb_err *err)
{
	struct pg_stmt	*s;
	size_t		 n;

	(void)persistent;
	*h = NULL;
	if ((s = wb_calloc(1, sizeof *s)) == NULL ||
	    (s->sql = rewrite_params(sql, &s->nparams, &s->used)) == NULL)
		goto oom;
	s->db = db;
	n = s->nparams > 0 ? (size_t)s->nparams : 1;
	if ((s->vals = wb_calloc(n, sizeof *s->vals)) == NULL ||
	    (s->lens = wb_calloc(n, sizeof *s->lens)) == NULL ||
	    (s->fmts = wb_calloc(n, sizeof *s->fmts)) == NULL ||
	    (s->types = wb_calloc(n, sizeof *s->types)) == NULL)
		goto oom;
	*h = s;
	return WB_OK;
oom:
	pg_finalize(s);
	return wb_err_set(err, WB_ENOMEM, "out of memory");
}

/* Store a parameter's value (copied); 1 (an error) when out of range. */
static int
put(struct pg_stmt *s, int i, const void *v, size_t len, Oid type, int fmt)
{
	char	*c = NULL;

	if (i < 1 || i > s->nparams)
		return 1;
	i--;
	if (v != NULL) {
		if ((c = wb_malloc(len + 1)) == NULL)
			return 7;	/* SQLITE_NOMEM's value */
		memcpy(c, v, len);
		c[len] = '\0';
	}
	wb_free(s->vals[i]);
	s->vals[i] = c;
	s->lens[i] = (int)len;
	s->fmts[i] = fmt;
	s->types[i] = type;
	return 0;
}

static int
pg_bind_int64(void *h, int i, int64_t v)
{
	char	buf[24];
	int	n = snprintf(buf, sizeof buf, "%" PRId64, v);

	return put(h, i, buf, (size_t)n, OID_INT8, 0);
}

static int
pg_bind_double(void *h, int i, double v)
{
	char	buf[32];
	int	n;

	if (isnan(v))
		n = snprintf(buf, sizeof buf, "NaN");
	else if (isinf(v))
		n = snprintf(buf, sizeof buf, "%sInfinity", v < 0 ? "-" : "");
	else
		n = snprintf(buf, sizeof buf, "%.17g", v);
	return put(h, i, buf, (size_t)n, OID_FLOAT8, 0);
}

static int
pg_bind_text(void *h, int i, const char *s, int len)
{
	return put(h, i, s, len < 0 ? strlen(s) : (size_t)len, OID_TEXT, 0);
}

static int
pg_bind_blob(void *h, int i, const void *p, size_t len)
{
	/* A NULL pointer is SQL NULL, as sqlite3_bind_blob has it. */
	if (p == NULL)
		return put(h, i, NULL, 0, 0, 0);
	return put(h, i, p, len, OID_BYTEA, 1);
}

static int
pg_bind_null(void *h, int i)
{
	return put(h, i, NULL, 0, 0, 0);
}

static int
pg_step(void *h)
{
	struct pg_stmt	*s = h;
	struct pg_conn	*c = PGC(s->db);
	ExecStatusType	 st;
	const char	*t;
	int		 i;

	if (s->executed) {
		if (s->row + 1 < s->nrows) {
			s->row++;
			return DB_ROW;
		}
		s->row = s->nrows;
		return DB_DONE;
	}
	s->executed = 1;
	for (i = 0; i < s->nparams; i++)
		if (!s->used[i] && s->types[i] == 0)
			s->types[i] = OID_TEXT;	/* unused: any type will do */
	s->res = PQexecParams(c->pc, s->sql, s->nparams, s->types,
	    (const char *const *)s->vals, s->lens, s->fmts, 0);
	drain_notifies(c);
	st = PQresultStatus(s->res);
	if (st != PGRES_TUPLES_OK && st != PGRES_COMMAND_OK) {
		result_error(s->db, s->res);
		PQclear(s->res);
		s->res = NULL;
		return 1;	/* SQLITE_ERROR's value */
	}
	/*
	 * PQcmdTuples counts a SELECT's rows too; SQLite's changes count
	 * only what INSERT, UPDATE and DELETE wrote (db_sync counts writes).
	 */
	if (strncasecmp(s->sql + strspn(s->sql, " \t\n"), "SELECT", 6) !=
	    0) {
		t = PQcmdTuples(s->res);
		c->changes = *t ? strtoll(t, NULL, 10) : 0;
		c->total_changes += c->changes;
	}
	s->nrows = st == PGRES_TUPLES_OK ? PQntuples(s->res) : 0;
	s->ncols = st == PGRES_TUPLES_OK ? PQnfields(s->res) : 0;
	s->row = 0;
	s->blob_row = -1;
	return s->nrows > 0 ? DB_ROW : DB_DONE;
}

static const char *
cell(struct pg_stmt *s, int i)
{
	if (s->res == NULL || s->row >= s->nrows || i < 0 || i >= s->ncols ||
	    PQgetisnull(s->res, s->row, i))
		return NULL;
	return PQgetvalue(s->res, s->row, i);
}

static int64_t
pg_column_int64(void *h, int i)
{
	struct pg_stmt	*s = h;
	const char	*v = cell(s, i);

	if (v == NULL)
		return 0;
	if (PQftype(s->res, i) == OID_BOOL)
		return *v == 't';
	if (PQftype(s->res, i) == OID_FLOAT8 ||
	    PQftype(s->res, i) == OID_FLOAT4 || strpbrk(v, ".eEnN") != NULL)
		return (int64_t)strtod(v, NULL);
	return strtoll(v, NULL, 10);
}

static double
pg_column_double(void *h, int i)
{
	struct pg_stmt	*s = h;
	const char	*v = cell(s, i);

	if (v == NULL)
		return 0;
	if (PQftype(s->res, i) == OID_BOOL)
		return *v == 't';
	return strtod(v, NULL);
}

static const char *
pg_column_text(void *h, int i)
{
	struct pg_stmt	*s = h;
	const char	*v = cell(s, i);

	/* SQLite says 1/0 for a true/false expression. */
	if (v != NULL && PQftype(s->res, i) == OID_BOOL)
		return *v == 't' ? "1" : "0";
	return v;
}

/* The bytea value of column i of the current row, decoded once. */
static const unsigned char *
blob_of(struct pg_stmt *s, int i, size_t *len)
{
	const char	*v = cell(s, i);
	size_t		 n;

	*len = 0;
	if (v == NULL)
		return NULL;
	if (PQftype(s->res, i) != OID_BYTEA) {
		*len = strlen(v);
		return (const unsigned char *)v;
	}
	if (s->blob == NULL) {
		s->blob = wb_calloc((size_t)s->ncols, sizeof *s->blob);
		s->blen = wb_calloc((size_t)s->ncols, sizeof *s->blen);
		if (s->blob == NULL || s->blen == NULL) {
			wb_free(s->blob);
			wb_free(s->blen);
			s->blob = NULL;
			s->blen = NULL;
			return NULL;
		}
	}
	if (s->blob_row != s->row) {
		clear_blobs(s);
		s->blob_row = s->row;
	}
	if (s->blob[i] == NULL) {
		s->blob[i] = PQunescapeBytea((const unsigned char *)v, &n);
		s->blen[i] = s->blob[i] ? n : 0;
	}
	*len = s->blen[i];
	return s->blob[i];
}

static const void *
pg_column_blob(void *h, int i)
{
	size_t	len;

	return blob_of(h, i, &len);
}

static int
pg_column_bytes(void *h, int i)
{
	size_t	len;

	(void)blob_of(h, i, &len);
	return (int)len;
}

static int
pg_column_type(void *h, int i)
{
	struct pg_stmt	*s = h;
	const char	*v = cell(s, i);

	if (v == NULL)
		return DB_NULL;
	switch (PQftype(s->res, i)) {
	case OID_BOOL:
	case OID_INT2:
	case OID_INT4:
	case OID_INT8:
		return DB_INTEGER;
	case OID_FLOAT4:
	case OID_FLOAT8:
		return DB_FLOAT;
	case OID_NUMERIC:
		return strchr(v, '.') ? DB_FLOAT : DB_INTEGER;
	case OID_BYTEA:
		return DB_BLOB;
	default:
		return DB_TEXT;
	}
}

static int
pg_exec(struct db *db, const char *sql, struct wb_err *err)
{
	struct pg_conn	*c = PGC(db);
	PGresult	*res;
	ExecStatusType	 st;

	res = PQexec(c->pc, sql);
	drain_notifies(c);
	st = PQresultStatus(res);
	if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK) {
		result_error(db, res);
		PQclear(res);
		return wb_err_set(err, WB_EDB, "%s: %s", db->path,
		    c->errmsg ? c->errmsg : "out of memory");
	}
	PQclear(res);
	return WB_OK;
}

static const char *pg_errmsg(struct db *);

/*
 * COPY ... FROM STDIN with buf as its data (db_copy.c).  The data goes in
 * pieces below libpq's int length; a failure anywhere (the server's
 * verdict on a row, or a connection lost mid-COPY) ends the COPY, fails
 * the statement and so the caller's transaction.
 */
static int
pg_copy_in(struct db *db, const char *sql, const void *buf, size_t len,
    struct wb_err *err)
{
	struct pg_conn	*c = PGC(db);
	const char	*p = buf;
	PGresult	*res, *bad = NULL;
	size_t		 n;
	int		 ok = 1;

	res = PQexec(c->pc, sql);
	if (PQresultStatus(res) != PGRES_COPY_IN) {
		result_error(db, res);
		PQclear(res);
		while ((res = PQgetResult(c->pc)) != NULL)
			PQclear(res);
		return wb_err_set(err, WB_EDB, "%s: %s", db->path,
		    pg_errmsg(db));
	}
	PQclear(res);
	while (len > 0 && ok) {
		n = len < (1u << 20) ? len : (1u << 20);
		ok = PQputCopyData(c->pc, p, (int)n) == 1;
		p += n;
		len -= n;
	}
	if (PQputCopyEnd(c->pc, ok ? NULL : "mlwb: sending failed") != 1)
		ok = 0;
	/* The COPY's own result, then NULL; keep the first failure. */
	c->changes = 0;
	while ((res = PQgetResult(c->pc)) != NULL) {
		if (PQresultStatus(res) == PGRES_COMMAND_OK &&
		    *PQcmdTuples(res) != '\0')
			c->changes = strtoll(PQcmdTuples(res), NULL, 10);
		if (PQresultStatus(res) != PGRES_COMMAND_OK && bad == NULL)
			bad = res;
		else
			PQclear(res);
		/* A lost connection keeps answering with errors. */
		if (PQstatus(c->pc) == CONNECTION_BAD)
			break;
	}
	drain_notifies(c);
	if (bad != NULL || !ok) {
		result_error(db, bad);
		PQclear(bad);
		return wb_err_set(err, WB_EDB, "%s: %s", db->path,
		    pg_errmsg(db));
	}
	/* As an INSERT's rows: db_sync tells a sync that wrote by them. */
	c->total_changes += c->changes;
	return WB_OK;
}

static const char *
pg_errmsg(struct db *db)
{
	struct pg_conn	*c = PGC(db);

	if (c == NULL)
		return "cannot connect";
	return c->errmsg ? c->errmsg : "unknown PostgreSQL error";
}

static int
pg_err_is_unique(struct db *db)
{
	return strcmp(PGC(db)->sqlstate, "23505") == 0;
}

static int64_t
pg_changes(struct db *db)
{
	return PGC(db)->changes;
}

static int64_t
pg_total_changes(struct db *db)
{
	return PGC(db)->total_changes;
}

static int
pg_in_transaction(struct db *db)
{
	return PQtransactionStatus(PGC(db)->pc) != PQTRANS_IDLE;
}

static const char *
pg_begin_sql(void)
{
	/* Row locks and ON CONFLICT serialise writers; no table lock. */
	return "BEGIN";
}

static int session_setup(struct db *, struct wb_err *);

/*
 * The UI polls this about once a second, so it is also where a lost
 * connection (a server restart, a network cut) is noticed and mended:
 * each call while the server is away tries once to reconnect and fails
 * with "server unreachable"; the call that gets through counts as a
 * change (whatever was committed meanwhile was not announced to us), so
 * the screens reload.
 */
static int
pg_data_version(struct db *db, int64_t *version, struct wb_err *err)
{
	struct pg_conn	*c = PGC(db);

	if (PQstatus(c->pc) == CONNECTION_OK && PQconsumeInput(c->pc) &&
	    PQstatus(c->pc) == CONNECTION_OK) {
		drain_notifies(c);
		*version = c->notified;
		return WB_OK;
	}
	if (db->tx_depth > 0)	/* not in the middle of our own work */
		return wb_err_set(err, WB_EDB, "%s: server unreachable",
		    db->path);
	PQreset(c->pc);
	if (PQstatus(c->pc) != CONNECTION_OK) {
		set_error(db, NULL, NULL);
		return wb_err_set(err, WB_EDB, "%s: server unreachable: %s",
		    db->path, pg_errmsg(db));
	}
	if (c->side != NULL) {
		PQfinish(c->side);	/* reopened on use */
		c->side = NULL;
	}
	/* An advisory lock held went with the old session. */
	wb_free(c->locked);
	c->locked = NULL;
	if (session_setup(db, err) != WB_OK)
		return WB_EDB;
	c->notified++;
	*version = c->notified;
	return WB_OK;
}

struct pg_blob {
	const char	*table, *column;	/* static strings */
	int64_t		 rowid;
};

static int
pg_blob_open(struct db *db, const char *table, const char *column,
    int64_t rowid, void **h, size_t *size, struct wb_err *err)
{
	char		 sql[160];
	struct db_stmt	*st;
	struct pg_blob	*b;
	int		 rc;

	*h = NULL;
	/* table and column are the store modules' constants, not input. */
	snprintf(sql, sizeof sql, "SELECT length(%s) FROM %s WHERE id = ?1",
	    column, table);
	if ((st = db_prepare_once(db, sql, err)) == NULL)
		return WB_EDB;
	db_bind_int64(st, 1, rowid);
	rc = db_step(st);
	if (rc != DB_ROW) {
		if (rc == DB_DONE)
			wb_err_set(err, WB_EDB, "%s: no %s row %lld", db->path,
			    table, (long long)rowid);
		else
			db_sqlerr(db, err);
		db_finalize(st);
		return WB_EDB;
	}
	*size = (size_t)db_column_int64(st, 0);
	db_finalize(st);
	if ((b = wb_calloc(1, sizeof *b)) == NULL)
		return wb_err_set(err, WB_ENOMEM, "out of memory");
	b->table = table;
	b->column = column;
	b->rowid = rowid;
	*h = b;
	return WB_OK;
}

static int
pg_blob_read(struct db *db, void *h, void *buf, size_t len, size_t off,
    struct wb_err *err)
{
	struct pg_blob	*b = h;
	char		 sql[200];
	struct db_stmt	*st;
	const void	*p;
	int		 rc;

	snprintf(sql, sizeof sql, "SELECT substring(%s FROM CAST(?2 AS"
	    " integer) FOR CAST(?3 AS integer)) FROM"
	    " %s WHERE id = ?1", b->column, b->table);
	if ((st = db_prepare_once(db, sql, err)) == NULL)
		return WB_EDB;
	db_bind_int64(st, 1, b->rowid);
	db_bind_int64(st, 2, (int64_t)off + 1);
	db_bind_int64(st, 3, (int64_t)len);
	if ((rc = db_step(st)) != DB_ROW ||
	    (size_t)db_column_bytes(st, 0) != len ||
	    (p = db_column_blob(st, 0)) == NULL) {
		if (rc == DB_ROW || rc == DB_DONE)
			wb_err_set(err, WB_EDB, "%s: %s row %lld: short read",
			    db->path, b->table, (long long)b->rowid);
		else
			db_sqlerr(db, err);
		db_finalize(st);
		return WB_EDB;
	}
	memcpy(buf, p, len);
	db_finalize(st);
	return WB_OK;
}

static void
pg_blob_close(void *h)
{
	wb_free(h);
}

static void
pg_hint(struct db *db, int what)
{
	/* The server tunes its own caches; nothing maps or checkpoints. */
	(void)db;
	(void)what;
}

static int
pg_doctor(struct db *db, void (*line)(void *, const char *), void *arg,
    int *problems, struct wb_err *err)
{
	/* Foreign keys are always enforced and pages checksummed here. */
	(void)db;
	(void)line;
	(void)arg;
	(void)problems;
	(void)err;
	return WB_OK;
}

/*
 * Session-level, not pg_advisory_xact_lock: the registry holds it from
 * deciding a move, through the deploy (no transaction open), to recording
 * the event.  A connection that dies releases it with its session.
 */
static int
pg_lock(struct db *db, const char *name, int take, struct wb_err *err)
{
	struct pg_conn	*c = PGC(db);
	struct db_stmt	*st;
	int		 rc;

	if (!take && c->locked == NULL)
		return WB_OK;
	if ((st = db_prepare_once(db, take ? "SELECT pg_advisory_lock("
	    "hashtext('mlwb ' || ?1))" : "SELECT pg_advisory_unlock("
	    "hashtext('mlwb ' || ?1))", err)) == NULL)
		return WB_EDB;
	db_bind_text(st, 1, take ? name : c->locked);
	rc = db_step(st) == DB_ROW ? WB_OK : db_sqlerr(db, err);
	db_finalize(st);
	if (!take) {
		wb_free(c->locked);
		c->locked = NULL;
	} else if (rc == WB_OK && (c->locked = wb_strdup(name)) == NULL)
		rc = wb_err_set(err, WB_ENOMEM, "out of memory");
	return rc;
}

/*
 * A metric key, inserted and committed on a second connection: the key
 * is visible to this transaction's next statement (READ COMMITTED) and
 * to every other writer at once.  A key whose import then rolls back
 * stays, unused, which is harmless.
 */
static int
pg_key_insert(struct db *db, const char *name, int64_t *id,
    struct wb_err *err)
{
	static const char *const keys[] = {
		"dbname", "fallback_application_name", NULL
	};
	const char	*vals[] = { db->url, "mlwb", NULL };
	const char	*params[1] = { name };
	struct pg_conn	*c = PGC(db);
	PGresult	*res;
	int		 rc = WB_OK;

	if (c->side == NULL || PQstatus(c->side) != CONNECTION_OK) {
		if (c->side != NULL)
			PQfinish(c->side);
		c->side = PQconnectdbParams(keys, vals, 1);
		if (c->side == NULL || PQstatus(c->side) != CONNECTION_OK)
			return wb_err_set(err, WB_EDB, "%s: cannot connect: %s",
			    db->path, c->side ? PQerrorMessage(c->side) :
			    "out of memory");
		PQsetClientEncoding(c->side, "UTF8");
	}
	res = PQexecParams(c->side, "INSERT INTO metric_keys (name) VALUES"
	    " ($1) ON CONFLICT (name) DO UPDATE SET name = excluded.name"
	    " RETURNING id", 1, NULL, params, NULL, NULL, 0);
	if (PQresultStatus(res) == PGRES_TUPLES_OK && PQntuples(res) == 1)
		*id = strtoll(PQgetvalue(res, 0, 0), NULL, 10);
	else {
		set_error(db, PQresultErrorField(res,
		    PG_DIAG_MESSAGE_PRIMARY), NULL);
		rc = db_sqlerr(db, err);
	}
	PQclear(res);
	return rc;
}

static void
pg_close(struct db *db)
{
	struct pg_conn	*c = PGC(db);

	if (c == NULL)
		return;
	if (c->pc != NULL)
		PQfinish(c->pc);
	if (c->side != NULL)
		PQfinish(c->side);
	wb_free(c->errmsg);
	wb_free(c->locked);
	wb_free(c);
	db->conn = NULL;
}

const struct db_ops db_pg_ops = {
	.name = "PostgreSQL",
	.ilike = "ILIKE",
	.prepare = pg_prepare,
	.finalize = pg_finalize,
	.reset = pg_reset,
	.bind_int64 = pg_bind_int64,
	.bind_double = pg_bind_double,
	.bind_text = pg_bind_text,
	.bind_blob = pg_bind_blob,
	.bind_null = pg_bind_null,
	.step = pg_step,
	.column_int64 = pg_column_int64,
	.column_double = pg_column_double,
	.column_text = pg_column_text,
	.column_blob = pg_column_blob,
	.column_bytes = pg_column_bytes,
	.column_type = pg_column_type,
	.exec = pg_exec,
	.errmsg = pg_errmsg,
	.err_is_unique = pg_err_is_unique,
	.changes = pg_changes,
	.total_changes = pg_total_changes,
	.in_transaction = pg_in_transaction,
	.begin_sql = pg_begin_sql,
	.data_version = pg_data_version,
	.blob_open = pg_blob_open,
	.blob_read = pg_blob_read,
	.blob_close = pg_blob_close,
	.hint = pg_hint,
	.doctor = pg_doctor,
	.lock = pg_lock,
	.key_insert = pg_key_insert,
	.copy_in = pg_copy_in,
	.close = pg_close,
};

/* One text value of a query with no parameters; *out NULL when no row. */
static int
query_text(struct db *db, const char *sql, char **out, struct wb_err *err)
{
	struct db_stmt	*st;
	int		 rc;

	*out = NULL;
	if ((st = db_prepare_once(db, sql, err)) == NULL)
		return WB_EDB;
	rc = db_step(st);
	if (rc == DB_ROW && db_column_type(st, 0) != DB_NULL &&
	    (*out = db_column_strdup(st, 0)) == NULL) {
		db_finalize(st);
		return wb_err_set(err, WB_ENOMEM, "out of memory");
	}
	db_finalize(st);
	if (rc != DB_ROW && rc != DB_DONE)
		return db_sqlerr(db, err);
	return WB_OK;
}

/*
 * Bring the store to PG_SCHEMA_VERSION, or refuse a database that is
 * not ours.  Creation runs under a transaction-scoped advisory lock, so
 * two boxes running their first command at once create it once.
 */
static int
pg_migrate(struct db *db, struct wb_err *err)
{
	char	*v = NULL, sql[128];
	long	 version = 0;
	int	 rc;
	size_t	 i;

	if ((rc = query_text(db, "SELECT to_regclass('mlwb_meta')::text", &v,
	    err)) != WB_OK)
		return rc;
	if (v != NULL) {
		wb_free(v);
		if ((rc = query_text(db, "SELECT value FROM mlwb_meta WHERE"
		    " key = 'schema_version'", &v, err)) != WB_OK)
			return rc;
		version = v ? strtol(v, NULL, 10) : 0;
		wb_free(v);
		if (version <= 0)
			return wb_err_set(err, WB_EVERSION, "%s: not an mlwb "
			    "workspace (mlwb_meta has no schema version)",
			    db->path);
	}
	if (version > PG_SCHEMA_VERSION)
		return wb_err_set(err, WB_EVERSION,
		    "%s: workspace schema version %ld is newer than this "
		    "mlwb supports (%d); upgrade mlwb", db->path, version,
		    PG_SCHEMA_VERSION);
	if (version == PG_SCHEMA_VERSION)
		return WB_OK;
	if (version == 0) {
		if ((rc = query_text(db, "SELECT count(*) FROM pg_class c JOIN"
		    " pg_namespace n ON n.oid = c.relnamespace WHERE"
		    " n.nspname = current_schema() AND c.relkind IN"
		    " ('r', 'v', 'm', 'p', 'f')", &v, err)) != WB_OK)
			return rc;
		i = v ? strtoul(v, NULL, 10) : 0;
		wb_free(v);
		if (i > 0)
			return wb_err_set(err, WB_EVERSION, "%s: not an mlwb "
			    "workspace (the database holds %zu other "
			    "table%s; give mlwb an empty database or schema)",
			    db->path, i, i == 1 ? "" : "s");
		if (db->flags & (DB_READONLY | DB_NOCREATE))
			return wb_err_set(err, WB_ENOTFOUND,
			    "%s: no workspace here (create one with "
			    "'mlwb init')", db->path);
	} else if (db->flags & DB_READONLY)
		return wb_err_set(err, WB_EREADONLY,
		    "%s: workspace needs a schema upgrade (version %ld to "
		    "%d) and is opened read-only", db->path, version,
		    PG_SCHEMA_VERSION);

	if ((rc = db_begin(db, err)) != WB_OK)
		return rc;
	rc = db_exec(db, "SELECT pg_advisory_xact_lock(hashtext('mlwb "
	    "schema'))", err);
	/* Another box may have created it while this one waited. */
	if (rc == WB_OK && version == 0 && (rc = query_text(db,
	    "SELECT to_regclass('mlwb_meta')::text", &v, err)) == WB_OK &&
	    v != NULL) {
		wb_free(v);
		db_rollback(db);
		return pg_migrate(db, err);
	}
	if (rc != WB_OK)
		;
	else if (version == 0)
		rc = db_exec(db, schema_pg_sql, err);
	else {
		for (i = (size_t)version - 1; rc == WB_OK &&
		    i < sizeof migrations / sizeof migrations[0] &&
		    migrations[i] != NULL; i++)
			rc = db_exec(db, migrations[i], err);
		if (rc == WB_OK) {
			snprintf(sql, sizeof sql, "UPDATE mlwb_meta SET value ="
			    " '%d' WHERE key = 'schema_version'",
			    PG_SCHEMA_VERSION);
			rc = db_exec(db, sql, err);
		}
	}
	if (rc == WB_OK)
		return db_commit(db, err);
	db_rollback(db);
	return rc;
}

int
db_pg_open(struct db *db, const char *url, int flags, struct wb_err *err)
{
	static const char *const keys[] = {
		"dbname", "fallback_application_name", "connect_timeout", NULL
	};
	const char	*vals[] = { url, "mlwb", "10", NULL };
	struct pg_conn	*c;
	int		 rc;

	db->ops = &db_pg_ops;
	if ((rc = pq_load(db->path, err)) != WB_OK)
		return rc;
	if ((c = wb_calloc(1, sizeof *c)) == NULL)
		return wb_err_set(err, WB_ENOMEM, "out of memory");
	db->conn = c;
	/* expand_dbname: the URL, then PGHOST, PGPASSFILE, sslmode ... */
	c->pc = PQconnectdbParams(keys, vals, 1);
	if (c->pc == NULL)
		return wb_err_set(err, WB_ENOMEM, "out of memory");
	if (PQstatus(c->pc) != CONNECTION_OK) {
		set_error(db, NULL, NULL);
		return wb_err_set(err, WB_EDB, "%s: cannot connect: %s",
		    db->path, pg_errmsg(db));
	}
	if (PQsetClientEncoding(c->pc, "UTF8") != 0) {
		set_error(db, NULL, NULL);
		return db_sqlerr(db, err);
	}
	if ((rc = db_exec(db, "SET client_min_messages = warning", err)) !=
	    WB_OK || (rc = pg_migrate(db, err)) != WB_OK)
		return rc;
	/* Always migrated: at the level of the latest SQLite schema. */
	db->schema = DB_SCHEMA_VERSION;
	(void)flags;		/* db->flags, read by session_setup */
	return session_setup(db, err);
}

/*
 * libpq prints what the server says outside a query (the FATAL of a
 * shutdown) on stderr; the library never prints: the error that follows
 * says it.
 */
static void
quiet_notice(void *arg, const char *msg)
{
	(void)arg;
	(void)msg;
}

/* What a session needs, at connect and after a reconnect. */
static int
session_setup(struct db *db, struct wb_err *err)
{
	struct pg_conn	*c = PGC(db);
	int		 rc;

	PQsetNoticeProcessor(c->pc, quiet_notice, NULL);
	if (PQsetClientEncoding(c->pc, "UTF8") != 0) {
		set_error(db, NULL, NULL);
		return db_sqlerr(db, err);
	}
	if ((rc = db_exec(db, "SET client_min_messages = warning", err)) !=
	    WB_OK || (rc = db_exec(db, "LISTEN mlwb_change", err)) != WB_OK)
		return rc;
	if (db->flags & DB_READONLY)
		rc = db_exec(db, "SET default_transaction_read_only = on", err);
	return rc;
}
