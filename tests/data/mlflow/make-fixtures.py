#!/usr/bin/python3
"""Write the MLflow fixtures of tests/cli/mlflow.sh (run from this folder).

v0.sql  MLflow 0.9: no metrics.step, no is_nan, no registry
v1.sql  MLflow 1.4: step and is_nan (1.0, 1.2) but no latest_metrics
        (1.9); registry with stages only (no aliases table, no run_link)
v2.sql  MLflow 2.9: is_nan, latest_metrics, datasets/inputs, aliases
v3.sql  MLflow 3.13: workspace columns (as the real 3.13 dump's DDL),
        logged models, an experiment of the same name in another workspace
mlruns/ a file store with its quirks: integer statuses, keys as
        subfolders, file names with trailing spaces, values without a
        trailing newline, two-field metric lines, CRLF, nan/inf,
        models/ with aliases and stages, .trash/ (skipped), datasets

The table definitions are written from MLflow's alembic migrations of
those releases (v3 from the real 3.13 dump).  The data is the same in all
of them where the schema allows, so the tests can compare.  Output is
deterministic: run it again and git shows no change.
"""
import hashlib
import os
import shutil

T0 = 1700000000000


def uid(name):
    return hashlib.md5(name.encode()).hexdigest()


R1, R2, R3, R4, R5, R6 = (uid("run%d" % i) for i in range(1, 7))
D1, D2 = uid("ds1"), uid("ds2")
BIG = 1.7976931348623157e308

# experiments: id, name, stage, workspace, note
EXPS = [
    (0, "Default", "active", "default", None),
    (1, "vision", "active", "default", "Image models"),
    (2, "old-stuff", "deleted", "default", None),
]
EXP_TEAM = (3, "vision", "active", "team", None)

# runs: uuid, exp, name column, status, start, end, stage, user
RUNS = [
    (R1, 1, "resnet-a", "FINISHED", T0, T0 + 60000, "active", "ana"),
    (R2, 1, "", "FAILED", T0 + 100000, T0 + 160000, "active", "bo"),
    (R3, 1, "deleted-run", "FINISHED", T0 + 200000, T0 + 210000, "deleted",
     "ana"),
    (R4, 1, "still-going", "RUNNING", T0 + 300000, None, "active", "ana"),
    (R5, 2, "ancient", "KILLED", T0 - 900000, T0 - 800000, "active", "cy"),
]
RUN_TEAM = (R6, 3, "team-run", "FINISHED", T0 + 400000, T0 + 410000,
            "active", "dee")

PARAMS = {
    R1: [("lr", "0.01"), ("epochs", "10"), ("opt/name", "adam"),
         ("comment", "héllo wörld")],
    R2: [("lr", "0.1"), ("epochs", "5")],
    R3: [("lr", "1")],
    R4: [("lr", "0.001")],
    R5: [("lr", "0.5")],
    R6: [("lr", "0.2")],
}


def std_tags(run):
    u, exp, name, status, start, end, stage, user = run
    t = [("mlflow.user", user), ("mlflow.source.name", "train.py"),
         ("mlflow.source.type", "LOCAL"),
         ("mlflow.source.git.commit", "c0ffee" + u[:10])]
    if u == R1:
        t.append(("mlflow.runName", "resnet-a"))
        t.append(("note", "line one\nline two"))
    if u == R2:
        t.append(("mlflow.runName", "resnet-b"))
    return t


def points():
    """(run, key, value, ts, step, is_nan) in logging order."""
    p = []
    for s in range(10):
        p.append((R1, "loss", round(1.0 / (s + 1), 6), T0 + 1000 * s, s, 0))
        p.append((R1, "acc", round(0.5 + s / 20, 6), T0 + 1000 * s + 1, s, 0))
    # step 9 logged twice: the later timestamp is MLflow's latest
    p.append((R1, "loss", 0.05, T0 + 20000, 9, 0))
    for s in range(6):
        nan = 1 if s == 3 else 0
        p.append((R2, "loss", 0.0 if nan else 2.0 - s * 0.25,
                  T0 + 100000 + 1000 * s, s, nan))
    p.append((R2, "grad_norm", BIG, T0 + 101000, 0, 0))
    p.append((R2, "grad_norm", -BIG, T0 + 102000, 1, 0))
    p.append((R2, "grad_norm", 3.5, T0 + 103000, 2, 0))
    p.append((R2, "score", 0.0, T0 + 104000, 0, 1))  # latest is NaN
    p.append((R3, "loss", 9.0, T0 + 200000, 0, 0))
    p.append((R5, "loss", 7.0, T0 - 850000, 0, 0))
    p.append((R6, "loss", 0.3, T0 + 405000, 0, 0))
    return p


def latest(pts):
    best = {}
    for r, k, v, ts, step, nan in pts:
        cur = best.get((r, k))
        if cur is None or (step, ts, v) > (cur[4], cur[3], cur[2]):
            best[(r, k)] = (r, k, v, ts, step, nan)
    return list(best.values())


# model versions: version, run, stage, source
VERSIONS = [
    (1, R1, "Archived", "mlruns/1/%s/artifacts/model" % R1),
    (2, R1, "Production", "mlruns/1/%s/artifacts/model" % R1),
    (3, R2, "Staging", "mlruns/1/%s/artifacts/model" % R2),
    (4, R2, "Deleted_Internal", "mlruns/1/%s/artifacts/model" % R2),
]
ALIASES = [("champion", 2), ("challenger", 3)]


def q(v):
    if v is None:
        return "NULL"
    if isinstance(v, float):
        return repr(v)
    if isinstance(v, int):
        return str(v)
    return "'" + v.replace("'", "''") + "'"


def ins(table, *vals):
    return "INSERT INTO %s VALUES(%s);\n" % (table, ",".join(q(v) for v in vals))


DDL = {}
DDL[0] = """
CREATE TABLE experiments (
	experiment_id INTEGER NOT NULL, name VARCHAR(256) NOT NULL,
	artifact_location VARCHAR(256), lifecycle_stage VARCHAR(32),
	CONSTRAINT experiment_pk PRIMARY KEY (experiment_id), UNIQUE (name));
CREATE TABLE runs (
	run_uuid VARCHAR(32) NOT NULL, name VARCHAR(250),
	source_type VARCHAR(20), source_name VARCHAR(500),
	entry_point_name VARCHAR(50), user_id VARCHAR(256), status VARCHAR(20),
	start_time BIGINT, end_time BIGINT, source_version VARCHAR(50),
	lifecycle_stage VARCHAR(20), artifact_uri VARCHAR(200),
	experiment_id INTEGER, CONSTRAINT run_pk PRIMARY KEY (run_uuid));
CREATE TABLE metrics (
	"key" VARCHAR(250) NOT NULL, value FLOAT NOT NULL, timestamp BIGINT NOT NULL,
	run_uuid VARCHAR(32) NOT NULL,
	CONSTRAINT metric_pk PRIMARY KEY ("key", timestamp, run_uuid, value));
CREATE TABLE params (
	"key" VARCHAR(250) NOT NULL, value VARCHAR(250) NOT NULL,
	run_uuid VARCHAR(32) NOT NULL,
	CONSTRAINT param_pk PRIMARY KEY ("key", run_uuid));
CREATE TABLE tags (
	"key" VARCHAR(250) NOT NULL, value VARCHAR(250), run_uuid VARCHAR(32) NOT NULL,
	CONSTRAINT tag_pk PRIMARY KEY ("key", run_uuid));
"""
DDL[1] = DDL[0].replace(
    "\trun_uuid VARCHAR(32) NOT NULL,\n\tCONSTRAINT metric_pk PRIMARY KEY (\"key\", timestamp, run_uuid, value));",
    "\trun_uuid VARCHAR(32) NOT NULL, step BIGINT DEFAULT '0' NOT NULL,\n"
    "\tis_nan BOOLEAN DEFAULT '0' NOT NULL,\n"
    "\tCONSTRAINT metric_pk PRIMARY KEY (\"key\", timestamp, step, run_uuid, value, is_nan),\n"
    "\tCHECK (is_nan IN (0, 1)));") + """
CREATE TABLE alembic_version (version_num VARCHAR(32) NOT NULL,
	CONSTRAINT alembic_version_pkc PRIMARY KEY (version_num));
CREATE TABLE experiment_tags (
	"key" VARCHAR(250) NOT NULL, value VARCHAR(5000), experiment_id INTEGER NOT NULL,
	CONSTRAINT experiment_tag_pk PRIMARY KEY ("key", experiment_id));
CREATE TABLE registered_models (
	name VARCHAR(256) NOT NULL, creation_time BIGINT, last_updated_time BIGINT,
	description VARCHAR(5000),
	CONSTRAINT registered_model_pk PRIMARY KEY (name), UNIQUE (name));
CREATE TABLE model_versions (
	name VARCHAR(256) NOT NULL, version INTEGER NOT NULL, creation_time BIGINT,
	last_updated_time BIGINT, description VARCHAR(5000), user_id VARCHAR(256),
	current_stage VARCHAR(20), source VARCHAR(500), run_id VARCHAR(32) NOT NULL,
	status VARCHAR(20), status_message VARCHAR(500),
	CONSTRAINT model_version_pk PRIMARY KEY (name, version));
"""
DDL[2] = """
CREATE TABLE alembic_version (version_num VARCHAR(32) NOT NULL,
	CONSTRAINT alembic_version_pkc PRIMARY KEY (version_num));
CREATE TABLE experiments (
	experiment_id INTEGER NOT NULL, name VARCHAR(256) NOT NULL,
	artifact_location VARCHAR(256), lifecycle_stage VARCHAR(32),
	creation_time BIGINT, last_update_time BIGINT,
	CONSTRAINT experiment_pk PRIMARY KEY (experiment_id), UNIQUE (name),
	CONSTRAINT experiments_lifecycle_stage CHECK (lifecycle_stage IN ('active', 'deleted')));
CREATE TABLE experiment_tags (
	"key" VARCHAR(250) NOT NULL, value VARCHAR(5000), experiment_id INTEGER NOT NULL,
	CONSTRAINT experiment_tag_pk PRIMARY KEY ("key", experiment_id),
	FOREIGN KEY(experiment_id) REFERENCES experiments (experiment_id));
CREATE TABLE runs (
	run_uuid VARCHAR(32) NOT NULL, name VARCHAR(250), source_type VARCHAR(20),
	source_name VARCHAR(500), entry_point_name VARCHAR(50), user_id VARCHAR(256),
	status VARCHAR(9), start_time BIGINT, end_time BIGINT,
	source_version VARCHAR(50), lifecycle_stage VARCHAR(20),
	artifact_uri VARCHAR(200), experiment_id INTEGER, deleted_time BIGINT,
	CONSTRAINT run_pk PRIMARY KEY (run_uuid),
	FOREIGN KEY(experiment_id) REFERENCES experiments (experiment_id),
	CHECK (status IN ('SCHEDULED', 'FAILED', 'FINISHED', 'RUNNING', 'KILLED')));
CREATE TABLE metrics (
	"key" VARCHAR(250) NOT NULL, value FLOAT NOT NULL, timestamp BIGINT NOT NULL,
	run_uuid VARCHAR(32) NOT NULL, step BIGINT DEFAULT '0' NOT NULL,
	is_nan BOOLEAN DEFAULT '0' NOT NULL,
	CONSTRAINT metric_pk PRIMARY KEY ("key", timestamp, step, run_uuid, value, is_nan),
	FOREIGN KEY(run_uuid) REFERENCES runs (run_uuid), CHECK (is_nan IN (0, 1)));
CREATE INDEX index_metrics_run_uuid ON metrics (run_uuid);
CREATE TABLE latest_metrics (
	"key" VARCHAR(250) NOT NULL, value FLOAT NOT NULL, timestamp BIGINT,
	step BIGINT NOT NULL, is_nan BOOLEAN NOT NULL, run_uuid VARCHAR(32) NOT NULL,
	CONSTRAINT latest_metric_pk PRIMARY KEY ("key", run_uuid),
	FOREIGN KEY(run_uuid) REFERENCES runs (run_uuid), CHECK (is_nan IN (0, 1)));
CREATE TABLE params (
	"key" VARCHAR(250) NOT NULL, value VARCHAR(8000) NOT NULL,
	run_uuid VARCHAR(32) NOT NULL,
	CONSTRAINT param_pk PRIMARY KEY ("key", run_uuid),
	FOREIGN KEY(run_uuid) REFERENCES runs (run_uuid));
CREATE INDEX index_params_run_uuid ON params (run_uuid);
CREATE TABLE tags (
	"key" VARCHAR(250) NOT NULL, value VARCHAR(8000), run_uuid VARCHAR(32) NOT NULL,
	CONSTRAINT tag_pk PRIMARY KEY ("key", run_uuid),
	FOREIGN KEY(run_uuid) REFERENCES runs (run_uuid));
CREATE INDEX index_tags_run_uuid ON tags (run_uuid);
CREATE TABLE datasets (
	dataset_uuid VARCHAR(36) NOT NULL, experiment_id INTEGER NOT NULL,
	name VARCHAR(500) NOT NULL, digest VARCHAR(36) NOT NULL,
	dataset_source_type VARCHAR(36) NOT NULL, dataset_source TEXT NOT NULL,
	dataset_schema TEXT, dataset_profile TEXT,
	CONSTRAINT dataset_pk PRIMARY KEY (experiment_id, name, digest));
CREATE TABLE inputs (
	input_uuid VARCHAR(36) NOT NULL, source_type VARCHAR(36) NOT NULL,
	source_id VARCHAR(36) NOT NULL, destination_type VARCHAR(36) NOT NULL,
	destination_id VARCHAR(36) NOT NULL,
	CONSTRAINT inputs_pk PRIMARY KEY (source_type, source_id, destination_type, destination_id));
CREATE TABLE input_tags (
	input_uuid VARCHAR(36) NOT NULL, name VARCHAR(255) NOT NULL,
	value VARCHAR(500) NOT NULL,
	CONSTRAINT input_tags_pk PRIMARY KEY (input_uuid, name));
CREATE TABLE registered_models (
	name VARCHAR(256) NOT NULL, creation_time BIGINT, last_updated_time BIGINT,
	description VARCHAR(5000),
	CONSTRAINT registered_model_pk PRIMARY KEY (name), UNIQUE (name));
CREATE TABLE model_versions (
	name VARCHAR(256) NOT NULL, version INTEGER NOT NULL, creation_time BIGINT,
	last_updated_time BIGINT, description VARCHAR(5000), user_id VARCHAR(256),
	current_stage VARCHAR(20), source VARCHAR(500), run_id VARCHAR(32),
	status VARCHAR(20), status_message VARCHAR(500), run_link VARCHAR(500),
	storage_location VARCHAR(500),
	CONSTRAINT model_version_pk PRIMARY KEY (name, version),
	FOREIGN KEY(name) REFERENCES registered_models (name) ON UPDATE CASCADE);
CREATE TABLE registered_model_aliases (
	alias VARCHAR(256) NOT NULL, version INTEGER NOT NULL, name VARCHAR(256) NOT NULL,
	CONSTRAINT registered_model_alias_pk PRIMARY KEY (name, alias),
	CONSTRAINT registered_model_alias_name_fkey FOREIGN KEY(name)
	REFERENCES registered_models (name) ON DELETE CASCADE ON UPDATE CASCADE);
"""
# 3.13: from the real dump (workspace columns, logged models, traces).
DDL[3] = (DDL[2]
          .replace("\tcreation_time BIGINT, last_update_time BIGINT,\n"
                   "\tCONSTRAINT experiment_pk PRIMARY KEY (experiment_id), UNIQUE (name),",
                   "\tcreation_time BIGINT, last_update_time BIGINT,\n"
                   "\tworkspace VARCHAR(63) DEFAULT 'default' NOT NULL,\n"
                   "\tCONSTRAINT experiment_pk PRIMARY KEY (experiment_id),\n"
                   "\tCONSTRAINT uq_experiments_workspace_name UNIQUE (workspace, name),")
          .replace("\tdestination_id VARCHAR(36) NOT NULL,\n\tCONSTRAINT inputs_pk",
                   "\tdestination_id VARCHAR(36) NOT NULL, step BIGINT DEFAULT '0' NOT NULL,\n"
                   "\tCONSTRAINT inputs_pk")
          .replace("\tdescription VARCHAR(5000),\n\tCONSTRAINT registered_model_pk PRIMARY KEY (name), UNIQUE (name));",
                   "\tdescription VARCHAR(5000), workspace VARCHAR(63) DEFAULT 'default' NOT NULL,\n"
                   "\tCONSTRAINT registered_model_pk PRIMARY KEY (workspace, name));")
          .replace("\tstorage_location VARCHAR(500),\n\tCONSTRAINT model_version_pk PRIMARY KEY (name, version),\n"
                   "\tFOREIGN KEY(name) REFERENCES registered_models (name) ON UPDATE CASCADE);",
                   "\tstorage_location VARCHAR(500), workspace VARCHAR(63) DEFAULT 'default' NOT NULL,\n"
                   "\tCONSTRAINT model_version_pk PRIMARY KEY (workspace, name, version));")
          .replace("\talias VARCHAR(256) NOT NULL, version INTEGER NOT NULL, name VARCHAR(256) NOT NULL,\n"
                   "\tCONSTRAINT registered_model_alias_pk PRIMARY KEY (name, alias),",
                   "\talias VARCHAR(256) NOT NULL, version INTEGER NOT NULL, name VARCHAR(256) NOT NULL,\n"
                   "\tworkspace VARCHAR(63) DEFAULT 'default' NOT NULL,\n"
                   "\tCONSTRAINT registered_model_alias_pk PRIMARY KEY (workspace, name, alias),")
          + """
CREATE TABLE logged_models (
	model_id VARCHAR(36) NOT NULL, experiment_id INTEGER NOT NULL,
	name VARCHAR(500) NOT NULL, artifact_location VARCHAR(1000) NOT NULL,
	creation_timestamp_ms BIGINT NOT NULL, last_updated_timestamp_ms BIGINT NOT NULL,
	status INTEGER NOT NULL, lifecycle_stage VARCHAR(32), model_type VARCHAR(500),
	source_run_id VARCHAR(32), status_message VARCHAR(1000),
	CONSTRAINT logged_models_pk PRIMARY KEY (model_id));
CREATE TABLE logged_model_metrics (
	model_id VARCHAR(36) NOT NULL, metric_name VARCHAR(500) NOT NULL,
	metric_timestamp_ms BIGINT NOT NULL, metric_step BIGINT NOT NULL,
	metric_value FLOAT, experiment_id INTEGER NOT NULL, run_id VARCHAR(32) NOT NULL,
	dataset_uuid VARCHAR(36), dataset_name VARCHAR(500), dataset_digest VARCHAR(36),
	CONSTRAINT logged_model_metrics_pk PRIMARY KEY (model_id, metric_name, metric_timestamp_ms, metric_step, run_id));
CREATE TABLE logged_model_params (
	model_id VARCHAR(36) NOT NULL, experiment_id INTEGER NOT NULL,
	param_key VARCHAR(255) NOT NULL, param_value TEXT NOT NULL,
	CONSTRAINT logged_model_params_pk PRIMARY KEY (model_id, param_key));
CREATE TABLE logged_model_tags (
	model_id VARCHAR(36) NOT NULL, experiment_id INTEGER NOT NULL,
	tag_key VARCHAR(255) NOT NULL, tag_value TEXT NOT NULL,
	CONSTRAINT logged_model_tags_pk PRIMARY KEY (model_id, tag_key));
CREATE TABLE trace_info (
	request_id VARCHAR(50) NOT NULL, experiment_id INTEGER NOT NULL,
	timestamp_ms BIGINT NOT NULL, execution_time_ms BIGINT,
	status VARCHAR(50) NOT NULL, CONSTRAINT trace_info_pk PRIMARY KEY (request_id));
CREATE TABLE workspaces (
	name VARCHAR(63) NOT NULL, description TEXT, default_artifact_root TEXT,
	CONSTRAINT workspaces_pk PRIMARY KEY (name));
""")

REVISION = {1: "2b4d017a5e9b", 2: "acf3f17fdcc7", 3: "da6fb0208061"}


def sql(ver):
    out = ["-- MLflow %s-shaped tracking database, written by make-fixtures.py\n"
           % {0: "0.9", 1: "1.4", 2: "2.9", 3: "3.13"}[ver],
           "PRAGMA foreign_keys=OFF;\nBEGIN TRANSACTION;\n", DDL[ver].lstrip()]
    if ver in REVISION:
        out.append(ins("alembic_version", REVISION[ver]))
    exps = EXPS + ([EXP_TEAM] if ver == 3 else [])
    runs = RUNS + ([RUN_TEAM] if ver == 3 else [])
    for e in exps:
        i, name, stage, ws, note = e
        if ver <= 1:
            out.append(ins("experiments", i, name, "mlruns/%d" % i, stage))
        elif ver == 2:
            out.append(ins("experiments", i, name, "mlruns/%d" % i, stage,
                           T0 - 10**6 + i, T0 - 10**6 + i))
        else:
            out.append(ins("experiments", i, name, "mlruns/%d" % i, stage,
                           T0 - 10**6 + i, T0 - 10**6 + i, ws))
        if note and ver >= 1:
            out.append(ins("experiment_tags", "mlflow.note.content", note, i))
            out.append(ins("experiment_tags", "team", "vision-squad", i))
    for r in runs:
        u, exp, name, status, start, end, stage, user = r
        vals = [u, name, "LOCAL", "train.py", "", user, status, start, end,
                "c0ffee" + u[:10], stage, "mlruns/%d/%s/artifacts" % (exp, u), exp]
        if ver >= 2:
            vals.append(None)
        out.append(ins("runs", *vals))
        for k, v in PARAMS[r[0]]:
            out.append(ins("params", k, v, u))
        for k, v in std_tags(r):
            out.append(ins("tags", k, v, u))
    # an orphan row, as left by a crash: no such run
    out.append(ins("params", "lr", "3", uid("orphan")))
    pts = [p for p in points() if ver == 3 or p[0] != R6]
    for r, k, v, ts, step, nan in pts:
        if ver == 0:
            if k == "loss" and r == R1 and step == 9 and v == 0.05:
                continue  # same (key, ts, run, value) needs a step
            out.append(ins("metrics", k, v, ts, r))
        else:
            out.append(ins("metrics", k, v, ts, r, step, nan))
    if ver >= 2:
        for r, k, v, ts, step, nan in latest(pts):
            out.append(ins("latest_metrics", k, v, ts, step, nan, r))
        out.append(ins("datasets", D1, 1, "cifar10-train", "abcd1234", "local",
                       '{"uri": "/data/cifar/train"}',
                       '{"mlflow_colspec": [{"type": "tensor", "name": "image"}]}',
                       '{"num_rows": 50000, "num_elements": 150000}'))
        out.append(ins("datasets", D2, 1, "cifar10-test", "ef567890", "local",
                       '{"uri": "/data/cifar/test"}', None,
                       '{"num_rows": 10000}'))
        for n, (d, r, ctx) in enumerate([(D1, R1, "training"), (D2, R1, "eval"),
                                         (D1, R2, "training"), (D1, R3, "training")]):
            iu = uid("input%d" % n)
            vals = [iu, "DATASET", d, "RUN", r]
            if ver == 3:
                vals.append(0)
            out.append(ins("inputs", *vals))
            out.append(ins("input_tags", iu, "mlflow.data.context", ctx))
        if ver == 3:
            out.append(ins("inputs", uid("out"), "RUN_OUTPUT", R1, "MODEL_OUTPUT",
                           "m-" + uid("lm"), 0))
            out.append(ins("logged_models", "m-" + uid("lm"), 1, "model",
                           "mlruns/1/models/m-x/artifacts", T0, T0, 2, "active",
                           None, R1, None))
            # the logged models that versions 1-3 register (MLflow 3.13
            # links them by source only: models:/m-...), and a deleted one
            for v, r, stage, src in VERSIONS:
                m = "m-" + uid("v%d" % v)
                out.append(ins("logged_models", m, 1, "model-v%d" % v,
                               "/store/%d" % v, T0 + v, T0 + v + 5, 2,
                               "active", None, r, None))
                out.append(ins("logged_model_params", m, 1, "lr", "0.0%d" % v))
                out.append(ins("logged_model_params", m, 1, "depth", str(10 * v)))
                out.append(ins("logged_model_tags", m, 1, "mlflow.user", "ana"))
                out.append(ins("logged_model_metrics", m, "acc", T0 + v, 0,
                               0.5 + v / 100, 1, r, D2, "cifar10-test", "ef567890"))
                out.append(ins("logged_model_metrics", m, "acc", T0 + v + 1, 1,
                               0.8 + v / 100, 1, r, D2, "cifar10-test", "ef567890"))
                out.append(ins("logged_model_metrics", m, "rmse", T0 + v, 0,
                               None, 1, r, None, None, None))
            out.append(ins("logged_models", "m-" + uid("gone"), 1, "gone",
                           "/store/gone", T0, T0, 3, "deleted", None, R1, None))
            out.append(ins("workspaces", "default", "Default workspace", None))
            out.append(ins("workspaces", "team", None, None))
    if ver >= 1:
        ws = [ver == 3 and "default"] if ver == 3 else []
        out.append(ins("registered_models", "resnet", T0, T0 + 5000,
                       "ResNet classifiers", *ws))
        out.append(ins("registered_models", "unused", T0, T0, None, *ws))
        for v, r, stage, src in VERSIONS:
            vals = ["resnet", v, T0 + v, T0 + v, "version %d" % v, "ana",
                    stage, src, r, "READY", None]
            if ver >= 2:
                vals += [None, src if ver == 2 else "/store/%d" % v]
            if ver == 3:
                vals.append("default")
                vals[7] = "models:/m-" + uid("v%d" % v)
            out.append(ins("model_versions", *vals))
        if ver >= 2:
            for a, v in ALIASES:
                out.append(ins("registered_model_aliases", a, v, "resnet", *ws))
    out.append("COMMIT;\n")
    return "".join(out)


def wfile(path, text, mode="w"):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, mode, newline="") as f:
        f.write(text)


def yaml_val(v):
    if v is None:
        return "null"
    if isinstance(v, int):
        return str(v)
    if v == "" or any(c in v for c in ":#'\"{}[]") or v.strip() != v:
        return "'" + v.replace("'", "''") + "'"
    return v


def meta(path, d):
    wfile(path, "".join("%s: %s\n" % (k, yaml_val(d[k])) for k in sorted(d)))


STATUS_INT = {"RUNNING": 1, "SCHEDULED": 2, "FINISHED": 3, "FAILED": 4,
              "KILLED": 5}


def fmt(v):
    if v != v:
        return "nan"
    return repr(v)


def mlruns(root):
    shutil.rmtree(root, ignore_errors=True)
    for i, name, stage, ws, note in EXPS:
        d = os.path.join(root, ".trash" if stage == "deleted" else "", str(i))
        meta(os.path.join(d, "meta.yaml"), {
            "artifact_location": "file:///work/mlruns/%d" % i,
            "creation_time": T0 - 10**6 + i, "experiment_id": str(i),
            "last_update_time": T0 - 10**6 + i, "lifecycle_stage": stage,
            "name": name})
        if note:
            wfile(os.path.join(d, "tags", "mlflow.note.content"), note)
            wfile(os.path.join(d, "tags", "team"), "vision-squad")
    pts = points()
    for r in RUNS:
        u, exp, name, status, start, end, stage, user = r
        d = os.path.join(root, ".trash" if exp == 2 else "", str(exp), u)
        m = {"artifact_uri": "file:///work/mlruns/%d/%s/artifacts" % (exp, u),
             "end_time": end, "entry_point_name": "", "experiment_id": str(exp),
             "lifecycle_stage": stage, "run_id": u, "run_uuid": u,
             "source_name": "", "source_type": 4, "source_version": "",
             "start_time": start, "status": STATUS_INT[status], "user_id": user}
        if name:
            m["run_name"] = name
        meta(os.path.join(d, "meta.yaml"), m)
        with open(os.path.join(d, "meta.yaml"), "a") as f:
            f.write("tags: []\n")
        for k, v in PARAMS[u]:
            wfile(os.path.join(d, "params", k), v)
        for k, v in std_tags(r):
            wfile(os.path.join(d, "tags", k), v)
        series = {}
        for pr, k, v, ts, step, nan in pts:
            if pr == u:
                series.setdefault(k, []).append((ts, float("nan") if nan else v,
                                                 step))
        for k, rows in series.items():
            lines = []
            for ts, v, step in rows:
                if k == "acc" and step == 0:
                    lines.append("%d %s" % (ts, fmt(v)))  # two fields: step 0
                else:
                    lines.append("%d %s %d" % (ts, fmt(v), step))
            sep = "\r\n" if k == "acc" else "\n"
            wfile(os.path.join(d, "metrics", k), sep.join(lines) + sep)
        if u == R1:
            # keys holding '/' are folders; names may end in spaces
            wfile(os.path.join(d, "metrics", "train", "loss"),
                  "%d 0.9 0\n%d 0.7 1\n" % (T0, T0 + 1))
            wfile(os.path.join(d, "metrics", "lr "), "%d 0.01 0\n" % T0)
            wfile(os.path.join(d, "params", "batch "), "32")
            for n, (ds, ctx) in enumerate([(D1, "training"), (D2, "eval")]):
                wfile(os.path.join(d, "inputs", uid("fi%d" % n), "meta.yaml"),
                      "destination_id: %s\ndestination_type: RUN\nsource_id: %s\n"
                      "source_type: DATASET\ntags:\n  mlflow.data.context: %s\n"
                      % (u, ds, ctx))
    for ds, name, rows in [(D1, "cifar10-train", 50000), (D2, "cifar10-test", 10000)]:
        wfile(os.path.join(root, "1", "datasets", ds, "meta.yaml"),
              "digest: abcd\nname: %s\nprofile: '{\"num_rows\": %d}'\n"
              "schema: ''\nsource: '{\"uri\": \"/data/%s\"}'\nsource_type: local\n"
              % (name, rows, name))
    md = os.path.join(root, "models", "resnet")
    meta(os.path.join(md, "meta.yaml"), {
        "creation_timestamp": T0, "description": "ResNet classifiers",
        "last_updated_timestamp": T0 + 5000, "name": "resnet"})
    for v, r, stage, src in VERSIONS:
        if stage == "Deleted_Internal":
            continue
        meta(os.path.join(md, "version-%d" % v, "meta.yaml"), {
            "creation_timestamp": T0 + v, "current_stage": stage,
            "description": "version %d" % v, "last_updated_timestamp": T0 + v,
            "name": "resnet", "run_id": r, "run_link": "", "source": src,
            "status": "READY", "status_message": "", "user_id": "ana",
            "version": v})
    for a, v in ALIASES:
        wfile(os.path.join(md, "aliases", a), "%d" % v)


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    for ver in range(4):
        wfile(os.path.join(here, "v%d.sql" % ver), sql(ver))
    mlruns(os.path.join(here, "mlruns"))


main()
