-- mlwb workspace schema: the single source of truth.
--
-- Embedded into the binary at build time (src/schema_sql.c).  A new
-- workspace gets this whole file and PRAGMA user_version = the version
-- below; older workspaces are brought up by the numbered migrations in
-- src/db_sqlite.c.  Times are integers: milliseconds since the Unix epoch.
-- UUIDs are 32 lowercase hex digits (MLflow's run_uuid form), so that
-- workspaces from several machines can be merged.
--
-- schema-version: 11

PRAGMA application_id = 1835824994;	-- 'mlwb'

-- Section: tracking (experiments, runs, params, tags, metrics) ------------

CREATE TABLE experiments (
	id		INTEGER PRIMARY KEY,
	uuid		TEXT NOT NULL UNIQUE,
	name		TEXT NOT NULL UNIQUE,
	description	TEXT,
	created_at	INTEGER NOT NULL,
	archived	INTEGER NOT NULL DEFAULT 0,
	-- Soft delete (mlwb exp delete): hides the experiment and its runs.
	deleted_at	INTEGER,
	-- Last rename, delete or restore: the newer side wins on sync.
	updated_at	INTEGER
);

-- Free-form key/value tags of an experiment (MLflow's experiment_tags,
-- brought by import-mlflow; mlflow.note.content is also the description).
CREATE TABLE experiment_tags (
	experiment_id	INTEGER NOT NULL REFERENCES experiments(id)
			    ON DELETE CASCADE,
	key		TEXT NOT NULL,
	value		TEXT NOT NULL,
	PRIMARY KEY (experiment_id, key)
) WITHOUT ROWID;

CREATE TABLE imports (
	id		INTEGER PRIMARY KEY,
	path		TEXT NOT NULL,
	size		INTEGER NOT NULL,
	sha256		TEXT NOT NULL,
	format		TEXT NOT NULL,
	at		INTEGER NOT NULL,
	runs		INTEGER NOT NULL DEFAULT 0,
	points		INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX imports_sha256 ON imports(sha256);

-- status: running finished failed killed lost queued scheduled pruned
CREATE TABLE runs (
	id		INTEGER PRIMARY KEY,
	uuid		TEXT NOT NULL UNIQUE,
	experiment_id	INTEGER NOT NULL REFERENCES experiments(id)
			    ON DELETE CASCADE,
	name		TEXT NOT NULL,
	status		TEXT NOT NULL DEFAULT 'finished' CHECK (status IN
			    ('running', 'finished', 'failed', 'killed',
			     'lost', 'queued', 'scheduled', 'pruned')),
	source		TEXT,
	command		TEXT,
	git_commit	TEXT,
	git_dirty	INTEGER,
	host		TEXT,
	user		TEXT,
	started_at	INTEGER,
	ended_at	INTEGER,
	exit_code	INTEGER,
	log_path	TEXT,
	import_id	INTEGER REFERENCES imports(id) ON DELETE SET NULL,
	created_at	INTEGER NOT NULL,
	updated_at	INTEGER NOT NULL,
	-- Soft delete (mlwb runs delete): hidden from every list, points kept.
	deleted_at	INTEGER,
	-- Nested runs: a sweep's trials under their study, MLflow's
	-- mlflow.parentRunId.  Sync carries it as the parent's UUID.
	parent_id	INTEGER REFERENCES runs(id) ON DELETE SET NULL
);
CREATE INDEX runs_parent ON runs(parent_id) WHERE parent_id IS NOT NULL;
-- Whether any run is deleted at all, at once (db_runlist.c: a list over
-- every live run may then walk the metric index alone).
CREATE INDEX runs_deleted ON runs(deleted_at) WHERE deleted_at IS NOT NULL;
CREATE INDEX runs_experiment ON runs(experiment_id,
    coalesce(started_at, created_at));
-- The experiments screen counts and dates runs per experiment from these
-- alone, without reading run rows (100,000 runs: 2 ms, not 100).
CREATE INDEX runs_exp_status ON runs(experiment_id, status, deleted_at);
CREATE INDEX runs_activity ON runs(experiment_id,
    coalesce(ended_at, started_at, created_at));
CREATE INDEX runs_started ON runs(coalesce(started_at, created_at));
CREATE INDEX runs_name ON runs(name);
CREATE INDEX runs_import ON runs(import_id);

CREATE TABLE params (
	run_id		INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
	key		TEXT NOT NULL,
	value		TEXT,
	PRIMARY KEY (run_id, key)
) WITHOUT ROWID;
CREATE INDEX params_key ON params(key, value);

CREATE TABLE tags (
	run_id		INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
	key		TEXT NOT NULL,
	value		TEXT,
	PRIMARY KEY (run_id, key)
) WITHOUT ROWID;
CREATE INDEX tags_key ON tags(key, value);

CREATE TABLE metric_keys (
	id		INTEGER PRIMARY KEY,
	name		TEXT NOT NULL UNIQUE
);

-- Metric points are stored in chunks of up to 1024 points per (run, key):
-- points is n little-endian records of (int64 step, int64 ts ms,
-- float64 value), in arrival order.  NaN and +-inf are kept as they are.
-- One row per point made a 5,000,000-point import 4x slower than loading
-- the same CSV into a plain table; chunks make it faster than that.
-- v_min/v_max (finite values only) and ts_min/ts_max let a chart draw a
-- chunk that falls inside one dot column without decoding it (series.c:
-- a 1,000,000-point chart in a few ms); NULL means unknown, and readers
-- then decode the chunk.  blocks holds the same ranges per 64 points (in
-- arrival order): int64 step_min, step_max, ts_min, ts_max, float64
-- v_min, v_max (NaN when no finite value), little-endian, so a chunk that
-- straddles a column edge is read only in the block that does.  They sit
-- before points so that reading them never touches its overflow pages.
CREATE TABLE metric_chunks (
	id		INTEGER PRIMARY KEY,
	run_id		INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
	key_id		INTEGER NOT NULL REFERENCES metric_keys(id),
	seq		INTEGER NOT NULL,
	n		INTEGER NOT NULL,
	step_min	INTEGER NOT NULL,
	step_max	INTEGER NOT NULL,
	v_min		REAL,
	v_max		REAL,
	ts_min		INTEGER,
	ts_max		INTEGER,
	blocks		BLOB,
	points		BLOB NOT NULL,
	UNIQUE (run_id, key_id, seq)
);
-- Covers the chart's chunk list (db_series.c), so that listing the 977
-- chunks of a 1,000,000-point series reads a few index pages instead of
-- one table page per chunk.
CREATE INDEX metric_chunks_chart ON metric_chunks(run_id, key_id, step_min,
    seq, n, step_max, ts_min, ts_max, v_min, v_max);

-- An import publishes its metric chunks in short write transactions, so
-- that other writers wait for none of them long (src/db_import.c).  Until
-- its last, tiny transaction adds the runs, those chunks carry run ids
-- reserved here that no run has yet: every reader reaches chunks through
-- runs, so they are not seen.  The importer holds a lock on byte id of
-- WORKSPACE-import.lock; a row whose lock nobody holds is of an import
-- that died, and the next import deletes its chunks.  (Migration 4 -> 5.)
CREATE TABLE import_pending (
	id		INTEGER PRIMARY KEY,
	run_lo		INTEGER NOT NULL,
	run_hi		INTEGER NOT NULL,
	host		TEXT,
	pid		INTEGER,
	started_at	INTEGER NOT NULL
);

-- Kept at ingest, so that run lists never read points.  "last" is the
-- value at the highest step (the later arrival on ties), like MLflow's
-- latest_metrics.  min/max ignore NaN; they are NULL when every value is NaN.
CREATE TABLE metric_summary (
	run_id		INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
	key_id		INTEGER NOT NULL REFERENCES metric_keys(id),
	count		INTEGER NOT NULL,
	nan_count	INTEGER NOT NULL DEFAULT 0,
	first		REAL,
	first_step	INTEGER,
	last		REAL,
	last_step	INTEGER,
	last_ts		INTEGER,
	min		REAL,
	min_step	INTEGER,
	max		REAL,
	max_step	INTEGER,
	PRIMARY KEY (run_id, key_id)
) WITHOUT ROWID;
CREATE INDEX metric_summary_key ON metric_summary(key_id, last);

CREATE TABLE datasets (
	id		INTEGER PRIMARY KEY,
	uuid		TEXT NOT NULL UNIQUE,
	name		TEXT NOT NULL,
	path		TEXT,
	digest		TEXT,
	n_rows		INTEGER,
	n_cols		INTEGER,
	source_type	TEXT,
	schema		TEXT,
	created_at	INTEGER NOT NULL,
	size		INTEGER		-- bytes, when mlwb hashed the file
);

CREATE TABLE run_inputs (
	run_id		INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
	dataset_id	INTEGER NOT NULL REFERENCES datasets(id)
			    ON DELETE CASCADE,
	role		TEXT NOT NULL DEFAULT '',
	PRIMARY KEY (run_id, dataset_id, role)
) WITHOUT ROWID;

-- Section: registry (models, versions, aliases, append-only events) ------

CREATE TABLE models (
	id		INTEGER PRIMARY KEY,
	name		TEXT NOT NULL UNIQUE,
	description	TEXT,
	created_at	INTEGER NOT NULL
);

-- MLflow 3's logged models (import-mlflow): a model as a run logged it,
-- registered or not.  uuid is MLflow's model_id ("m-" and 32 hex
-- digits); status is pending, ready or failed.  Params, tags and metric
-- values are the model's own (MLflow logs them apart from the run's).
CREATE TABLE logged_models (
	id		INTEGER PRIMARY KEY,
	uuid		TEXT NOT NULL UNIQUE,
	experiment_id	INTEGER REFERENCES experiments(id) ON DELETE SET NULL,
	run_id		INTEGER REFERENCES runs(id) ON DELETE SET NULL,
	name		TEXT NOT NULL,
	artifact_path	TEXT,
	status		TEXT,
	model_type	TEXT,
	created_at	INTEGER NOT NULL,
	updated_at	INTEGER
);

CREATE TABLE logged_model_params (
	logged_model_id	INTEGER NOT NULL REFERENCES logged_models(id)
			    ON DELETE CASCADE,
	key		TEXT NOT NULL,
	value		TEXT NOT NULL,
	PRIMARY KEY (logged_model_id, key)
) WITHOUT ROWID;

CREATE TABLE logged_model_tags (
	logged_model_id	INTEGER NOT NULL REFERENCES logged_models(id)
			    ON DELETE CASCADE,
	key		TEXT NOT NULL,
	value		TEXT NOT NULL,
	PRIMARY KEY (logged_model_id, key)
) WITHOUT ROWID;

-- Every value as MLflow keeps it, keyed as MLflow keys it (run_uuid is
-- '' when none); NaN is NULL.  The model's "last" value of a key is the
-- one at the highest step, then the latest time.
CREATE TABLE logged_model_metrics (
	logged_model_id	INTEGER NOT NULL REFERENCES logged_models(id)
			    ON DELETE CASCADE,
	key		TEXT NOT NULL,
	ts		INTEGER NOT NULL,
	step		INTEGER NOT NULL,
	run_uuid	TEXT NOT NULL DEFAULT '',
	value		REAL,
	dataset_name	TEXT,
	dataset_digest	TEXT,
	PRIMARY KEY (logged_model_id, key, ts, step, run_uuid)
) WITHOUT ROWID;

-- logged_model_id: the MLflow 3 logged model this version registers.
CREATE TABLE model_versions (
	id		INTEGER PRIMARY KEY,
	model_id	INTEGER NOT NULL REFERENCES models(id),
	version		INTEGER NOT NULL,
	run_id		INTEGER REFERENCES runs(id) ON DELETE SET NULL,
	artifact_path	TEXT,
	sha256		TEXT,
	description	TEXT,
	created_at	INTEGER NOT NULL,
	logged_model_id	INTEGER REFERENCES logged_models(id)
			    ON DELETE SET NULL,
	UNIQUE (model_id, version)
);

CREATE TABLE model_aliases (
	model_id	INTEGER NOT NULL REFERENCES models(id),
	alias		TEXT NOT NULL,
	version_id	INTEGER NOT NULL REFERENCES model_versions(id),
	PRIMARY KEY (model_id, alias)
) WITHOUT ROWID;

CREATE TABLE registry_events (
	id		INTEGER PRIMARY KEY,
	model_id	INTEGER NOT NULL REFERENCES models(id),
	version_id	INTEGER REFERENCES model_versions(id),
	action		TEXT NOT NULL,
	alias		TEXT,
	from_version	INTEGER,
	to_version	INTEGER,
	actor		TEXT,
	host		TEXT,
	reason		TEXT,
	gate		TEXT,
	gate_result	TEXT,
	forced		INTEGER NOT NULL DEFAULT 0,
	deploy_status	INTEGER,
	deploy_output	TEXT,
	at		INTEGER NOT NULL
);
CREATE INDEX registry_events_model ON registry_events(model_id, id);
CREATE TRIGGER registry_events_no_update BEFORE UPDATE ON registry_events
BEGIN
	SELECT RAISE(ABORT, 'registry_events is append-only');
END;
CREATE TRIGGER registry_events_no_delete BEFORE DELETE ON registry_events
BEGIN
	SELECT RAISE(ABORT, 'registry_events is append-only');
END;
-- INSERT OR REPLACE deletes the old row without firing DELETE triggers:
-- an insert may only add an id.  (Migration 2 -> 3 adds it to older files.)
CREATE TRIGGER registry_events_no_replace BEFORE INSERT ON registry_events
WHEN NEW.id IS NOT NULL AND EXISTS (SELECT 1 FROM registry_events
    WHERE id = NEW.id)
BEGIN
	SELECT RAISE(ABORT, 'registry_events is append-only');
END;

-- How many events were ever written, and the highest id: deleting the
-- newest events leaves no hole in the ids, and SQLite would hand their ids
-- out again, but the count stays above what the table holds, so doctor
-- sees it.  One row, kept by the trigger; it only ever grows.
-- (Migration 3 -> 4 adds it to older files, counting what is there.)
CREATE TABLE registry_events_written (
	n		INTEGER NOT NULL,
	last_id		INTEGER NOT NULL
);
INSERT INTO registry_events_written VALUES (0, 0);
CREATE TRIGGER registry_events_count AFTER INSERT ON registry_events
BEGIN
	UPDATE registry_events_written SET n = n + 1,
	    last_id = max(last_id, NEW.id);
END;
CREATE TRIGGER registry_events_written_no_delete BEFORE DELETE ON
    registry_events_written
BEGIN
	SELECT RAISE(ABORT, 'registry_events_written only grows');
END;
CREATE TRIGGER registry_events_written_no_lower BEFORE UPDATE ON
    registry_events_written WHEN NEW.n < OLD.n OR NEW.last_id < OLD.last_id
BEGIN
	SELECT RAISE(ABORT, 'registry_events_written only grows');
END;

-- Section: drift reports ---------------------------------------------------

CREATE TABLE drift_reports (
	id		INTEGER PRIMARY KEY,
	uuid		TEXT NOT NULL UNIQUE,
	name		TEXT,
	model_id	INTEGER REFERENCES models(id),
	model_version_id INTEGER REFERENCES model_versions(id),
	ref_path	TEXT NOT NULL,
	ref_sha256	TEXT NOT NULL,
	ref_rows	INTEGER NOT NULL,
	cur_path	TEXT NOT NULL,
	cur_sha256	TEXT NOT NULL,
	cur_rows	INTEGER NOT NULL,
	tested		INTEGER NOT NULL,
	drifted		INTEGER NOT NULL,
	drift_share	REAL NOT NULL,
	share_threshold	REAL NOT NULL DEFAULT 0.5,
	dataset_drift	INTEGER NOT NULL,
	schema_issues	TEXT,		-- JSON [{"column": ..., "issue": ...}]
	created_at	INTEGER NOT NULL
);
CREATE INDEX drift_reports_name ON drift_reports(name, created_at);

-- hist: JSON {"edges": [...]} or {"categories": [...]}, "ref": [...], "cur": [...]
-- stats: JSON summary statistics of both sides.
CREATE TABLE drift_columns (
	report_id	INTEGER NOT NULL REFERENCES drift_reports(id)
			    ON DELETE CASCADE,
	ord		INTEGER NOT NULL,
	name		TEXT NOT NULL,
	type		TEXT NOT NULL,
	method		TEXT NOT NULL,
	statistic	REAL,
	p_value		REAL,
	threshold	REAL NOT NULL,
	drifted		INTEGER NOT NULL,
	n_ref		INTEGER NOT NULL,
	n_cur		INTEGER NOT NULL,
	missing_ref	REAL NOT NULL,
	missing_cur	REAL NOT NULL,
	hist		TEXT,
	stats		TEXT,
	PRIMARY KEY (report_id, ord)
) WITHOUT ROWID;

-- Section: jobs (launched entry points) ------------------------------------

-- One row per launched entry point, beside its run.  The row holds all a
-- supervisor needs to start the job (so a queued job starts the same way
-- whoever dequeues it): argv as a JSON array, the absolute cwd, the
-- entry's env as a JSON array of "KEY=VALUE", the output-scalar patterns
-- as JSON {"default": bool, "patterns": [{"key": k|null, "pattern": p}]}.
-- state: queued starting running finished failed killed lost.  A job in
-- starting/running whose supervisor process (pid on host) is gone is
-- marked lost.  kill_at: when `jobs kill` asked, the time the supervisor
-- escalates SIGTERM to SIGKILL.  heartbeat_at: the supervisor's last sign
-- of life (every LAUNCH_HEARTBEAT_MS, src/launch.h); a job of another host
-- whose heartbeat is older than LAUNCH_LOST_AFTER_MS is lost on every box.
-- (Migration 7 -> 8 adds it to older files.)
CREATE TABLE jobs (
	id		INTEGER PRIMARY KEY,
	run_id		INTEGER NOT NULL UNIQUE REFERENCES runs(id)
			    ON DELETE CASCADE,
	entry		TEXT NOT NULL,
	argv		TEXT NOT NULL,
	cwd		TEXT,
	env		TEXT,
	env_digest	TEXT,
	scalars		TEXT,
	state		TEXT NOT NULL CHECK (state IN ('queued', 'starting',
			    'running', 'finished', 'failed', 'killed',
			    'lost')),
	pid		INTEGER,
	pgid		INTEGER,
	supervisor_pid	INTEGER,
	host		TEXT,
	log_path	TEXT,
	exit_code	INTEGER,
	signal		INTEGER,
	kill_at		INTEGER,
	queued_at	INTEGER NOT NULL,
	started_at	INTEGER,
	ended_at	INTEGER,
	heartbeat_at	INTEGER
);
CREATE INDEX jobs_state ON jobs(state, queued_at);

-- Settings of the job queue: "max" = how many queued jobs run at once.
CREATE TABLE job_settings (
	key		TEXT PRIMARY KEY,
	value		TEXT NOT NULL
) WITHOUT ROWID;

-- Section: sync (push, pull, merge) -----------------------------------------

-- One row per other store this one synced with and direction: "from" is
-- written by the receiving side in the sync's own transaction, "to" by
-- the sender after the receiver committed.  url (never with a password)
-- is where `mlwb push`/`pull` go when given no --to/--from.  Counts are
-- of the last sync.  (Migration 6 -> 7 adds it to older files.)
CREATE TABLE sync_peers (
	peer		TEXT NOT NULL,
	direction	TEXT NOT NULL CHECK (direction IN ('from', 'to')),
	url		TEXT,
	at		INTEGER NOT NULL,
	runs		INTEGER NOT NULL DEFAULT 0,
	points		INTEGER NOT NULL DEFAULT 0,
	events		INTEGER NOT NULL DEFAULT 0,
	PRIMARY KEY (peer, direction)
) WITHOUT ROWID;

-- Section: lifecycle (issue 15, life) -------------------------------------

-- Tombstones of purged runs (mlwb runs purge): push, pull and merge carry
-- them, so that a run purged on one side is purged on the other and is
-- never brought back by a later sync from a store that still held it.
CREATE TABLE runs_purged (
	uuid		TEXT PRIMARY KEY,
	purged_at	INTEGER NOT NULL
) WITHOUT ROWID;

-- Section: artifacts (content-addressed files of runs) ----------------------

-- Settings of the workspace: "artifact_root" = the folder of the artifact
-- store (blobs/ab/cdef..., named by the sha256 of their bytes).  Without
-- it a SQLite workspace keeps them in its files folder FILE.files.
-- (Migration 9 -> 10 adds this section to older files.)
CREATE TABLE workspace_settings (
	key		TEXT PRIMARY KEY,
	value		TEXT NOT NULL
) WITHOUT ROWID;

-- A run's artifacts by name.  kind 'file': sha256 names the blob of its
-- bytes; kind 'dir': sha256 names the blob of its manifest, one line
-- "SHA256  PATH" per file, sorted by path (so it is also the folder's
-- hash as the registry has always computed it).  size is the bytes of
-- the file or of all the folder's files.  Logging a name again replaces.
CREATE TABLE run_artifacts (
	run_id		INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
	name		TEXT NOT NULL,
	kind		TEXT NOT NULL CHECK (kind IN ('file', 'dir')),
	sha256		TEXT NOT NULL,
	size		INTEGER NOT NULL,
	n_files		INTEGER NOT NULL DEFAULT 1,
	created_at	INTEGER NOT NULL,
	PRIMARY KEY (run_id, name)
) WITHOUT ROWID;
CREATE INDEX run_artifacts_sha ON run_artifacts(sha256);

-- Data sets a run wrote (mlwb log --output PATH[:ROLE]); run_inputs holds
-- those it read.  (Migration 9 -> 10 adds it, and datasets.size.)
CREATE TABLE run_outputs (
	run_id		INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
	dataset_id	INTEGER NOT NULL REFERENCES datasets(id)
			    ON DELETE CASCADE,
	role		TEXT NOT NULL DEFAULT '',
	PRIMARY KEY (run_id, dataset_id, role)
) WITHOUT ROWID;

-- Section: reproducibility (issue 15) --------------------------------------

-- What a run keeps to be run again, one row per fact, by section:
--   env     KEY = value of its environment (secrets read "[redacted]")
--   git     patch (git diff HEAD --binary of a dirty tree, cut at
--           patch_limit), patch_bytes (its whole size), patch_cut ("1")
--   python  interpreter, version, packages (pip freeze), packages_status
--   gpu     driver, cuda, names
--   link    rerun_of (the UUID of the run this one reran)
--   system  sample_every (seconds between system metrics; 0: none)
-- value is bytes (a patch need not be UTF-8).  (Migration 10 -> 11.)
CREATE TABLE run_repro (
	run_id		INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
	section		TEXT NOT NULL,
	key		TEXT NOT NULL,
	value		BLOB NOT NULL,
	PRIMARY KEY (run_id, section, key)
) WITHOUT ROWID;
