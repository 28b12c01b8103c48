-- MLflow 3.13-shaped tracking database, written by make-fixtures.py
PRAGMA foreign_keys=OFF;
BEGIN TRANSACTION;
CREATE TABLE alembic_version (version_num VARCHAR(32) NOT NULL,
	CONSTRAINT alembic_version_pkc PRIMARY KEY (version_num));
CREATE TABLE experiments (
	experiment_id INTEGER NOT NULL, name VARCHAR(256) NOT NULL,
	artifact_location VARCHAR(256), lifecycle_stage VARCHAR(32),
	creation_time BIGINT, last_update_time BIGINT,
	workspace VARCHAR(63) DEFAULT 'default' NOT NULL,
	CONSTRAINT experiment_pk PRIMARY KEY (experiment_id),
	CONSTRAINT uq_experiments_workspace_name UNIQUE (workspace, name),
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
	destination_id VARCHAR(36) NOT NULL, step BIGINT DEFAULT '0' NOT NULL,
	CONSTRAINT inputs_pk PRIMARY KEY (source_type, source_id, destination_type, destination_id));
CREATE TABLE input_tags (
	input_uuid VARCHAR(36) NOT NULL, name VARCHAR(255) NOT NULL,
	value VARCHAR(500) NOT NULL,
	CONSTRAINT input_tags_pk PRIMARY KEY (input_uuid, name));
CREATE TABLE registered_models (
	name VARCHAR(256) NOT NULL, creation_time BIGINT, last_updated_time BIGINT,
	description VARCHAR(5000), workspace VARCHAR(63) DEFAULT 'default' NOT NULL,
	CONSTRAINT registered_model_pk PRIMARY KEY (workspace, name));
CREATE TABLE model_versions (
	name VARCHAR(256) NOT NULL, version INTEGER NOT NULL, creation_time BIGINT,
	last_updated_time BIGINT, description VARCHAR(5000), user_id VARCHAR(256),
	current_stage VARCHAR(20), source VARCHAR(500), run_id VARCHAR(32),
	status VARCHAR(20), status_message VARCHAR(500), run_link VARCHAR(500),
	storage_location VARCHAR(500), workspace VARCHAR(63) DEFAULT 'default' NOT NULL,
	CONSTRAINT model_version_pk PRIMARY KEY (workspace, name, version));
CREATE TABLE registered_model_aliases (
	alias VARCHAR(256) NOT NULL, version INTEGER NOT NULL, name VARCHAR(256) NOT NULL,
	workspace VARCHAR(63) DEFAULT 'default' NOT NULL,
	CONSTRAINT registered_model_alias_pk PRIMARY KEY (workspace, name, alias),
	CONSTRAINT registered_model_alias_name_fkey FOREIGN KEY(name)
	REFERENCES registered_models (name) ON DELETE CASCADE ON UPDATE CASCADE);

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
INSERT INTO alembic_version VALUES('da6fb0208061');
INSERT INTO experiments VALUES(0,'Default','mlruns/0','active',1699999000000,1699999000000,'default');
INSERT INTO experiments VALUES(1,'vision','mlruns/1','active',1699999000001,1699999000001,'default');
INSERT INTO experiment_tags VALUES('mlflow.note.content','Image models',1);
INSERT INTO experiment_tags VALUES('team','vision-squad',1);
INSERT INTO experiments VALUES(2,'old-stuff','mlruns/2','deleted',1699999000002,1699999000002,'default');
INSERT INTO experiments VALUES(3,'vision','mlruns/3','active',1699999000003,1699999000003,'team');
INSERT INTO runs VALUES('b7f86a38be91c3c164aeba52940975e8','resnet-a','LOCAL','train.py','','ana','FINISHED',1700000000000,1700000060000,'c0ffeeb7f86a38be','active','mlruns/1/b7f86a38be91c3c164aeba52940975e8/artifacts',1,NULL);
INSERT INTO params VALUES('lr','0.01','b7f86a38be91c3c164aeba52940975e8');
INSERT INTO params VALUES('epochs','10','b7f86a38be91c3c164aeba52940975e8');
INSERT INTO params VALUES('opt/name','adam','b7f86a38be91c3c164aeba52940975e8');
INSERT INTO params VALUES('comment','héllo wörld','b7f86a38be91c3c164aeba52940975e8');
INSERT INTO tags VALUES('mlflow.user','ana','b7f86a38be91c3c164aeba52940975e8');
INSERT INTO tags VALUES('mlflow.source.name','train.py','b7f86a38be91c3c164aeba52940975e8');
INSERT INTO tags VALUES('mlflow.source.type','LOCAL','b7f86a38be91c3c164aeba52940975e8');
INSERT INTO tags VALUES('mlflow.source.git.commit','c0ffeeb7f86a38be','b7f86a38be91c3c164aeba52940975e8');
INSERT INTO tags VALUES('mlflow.runName','resnet-a','b7f86a38be91c3c164aeba52940975e8');
INSERT INTO tags VALUES('note','line one
line two','b7f86a38be91c3c164aeba52940975e8');
INSERT INTO runs VALUES('53df48573ea771412c78e3a48bf0b437','','LOCAL','train.py','','bo','FAILED',1700000100000,1700000160000,'c0ffee53df48573e','active','mlruns/1/53df48573ea771412c78e3a48bf0b437/artifacts',1,NULL);
INSERT INTO params VALUES('lr','0.1','53df48573ea771412c78e3a48bf0b437');
INSERT INTO params VALUES('epochs','5','53df48573ea771412c78e3a48bf0b437');
INSERT INTO tags VALUES('mlflow.user','bo','53df48573ea771412c78e3a48bf0b437');
INSERT INTO tags VALUES('mlflow.source.name','train.py','53df48573ea771412c78e3a48bf0b437');
INSERT INTO tags VALUES('mlflow.source.type','LOCAL','53df48573ea771412c78e3a48bf0b437');
INSERT INTO tags VALUES('mlflow.source.git.commit','c0ffee53df48573e','53df48573ea771412c78e3a48bf0b437');
INSERT INTO tags VALUES('mlflow.runName','resnet-b','53df48573ea771412c78e3a48bf0b437');
INSERT INTO runs VALUES('b33622e48bebcdb00b37a0498b39e8f9','deleted-run','LOCAL','train.py','','ana','FINISHED',1700000200000,1700000210000,'c0ffeeb33622e48b','deleted','mlruns/1/b33622e48bebcdb00b37a0498b39e8f9/artifacts',1,NULL);
INSERT INTO params VALUES('lr','1','b33622e48bebcdb00b37a0498b39e8f9');
INSERT INTO tags VALUES('mlflow.user','ana','b33622e48bebcdb00b37a0498b39e8f9');
INSERT INTO tags VALUES('mlflow.source.name','train.py','b33622e48bebcdb00b37a0498b39e8f9');
INSERT INTO tags VALUES('mlflow.source.type','LOCAL','b33622e48bebcdb00b37a0498b39e8f9');
INSERT INTO tags VALUES('mlflow.source.git.commit','c0ffeeb33622e48b','b33622e48bebcdb00b37a0498b39e8f9');
INSERT INTO runs VALUES('0efc63d89b2a95c1556997d0cbf0db1a','still-going','LOCAL','train.py','','ana','RUNNING',1700000300000,NULL,'c0ffee0efc63d89b','active','mlruns/1/0efc63d89b2a95c1556997d0cbf0db1a/artifacts',1,NULL);
INSERT INTO params VALUES('lr','0.001','0efc63d89b2a95c1556997d0cbf0db1a');
INSERT INTO tags VALUES('mlflow.user','ana','0efc63d89b2a95c1556997d0cbf0db1a');
INSERT INTO tags VALUES('mlflow.source.name','train.py','0efc63d89b2a95c1556997d0cbf0db1a');
INSERT INTO tags VALUES('mlflow.source.type','LOCAL','0efc63d89b2a95c1556997d0cbf0db1a');
INSERT INTO tags VALUES('mlflow.source.git.commit','c0ffee0efc63d89b','0efc63d89b2a95c1556997d0cbf0db1a');
INSERT INTO runs VALUES('c8f8a45b555e241ba0076bf3ec9a5a7f','ancient','LOCAL','train.py','','cy','KILLED',1699999100000,1699999200000,'c0ffeec8f8a45b55','active','mlruns/2/c8f8a45b555e241ba0076bf3ec9a5a7f/artifacts',2,NULL);
INSERT INTO params VALUES('lr','0.5','c8f8a45b555e241ba0076bf3ec9a5a7f');
INSERT INTO tags VALUES('mlflow.user','cy','c8f8a45b555e241ba0076bf3ec9a5a7f');
INSERT INTO tags VALUES('mlflow.source.name','train.py','c8f8a45b555e241ba0076bf3ec9a5a7f');
INSERT INTO tags VALUES('mlflow.source.type','LOCAL','c8f8a45b555e241ba0076bf3ec9a5a7f');
INSERT INTO tags VALUES('mlflow.source.git.commit','c0ffeec8f8a45b55','c8f8a45b555e241ba0076bf3ec9a5a7f');
INSERT INTO runs VALUES('23621423f48bd1d82c8300120b9e2cd8','team-run','LOCAL','train.py','','dee','FINISHED',1700000400000,1700000410000,'c0ffee23621423f4','active','mlruns/3/23621423f48bd1d82c8300120b9e2cd8/artifacts',3,NULL);
INSERT INTO params VALUES('lr','0.2','23621423f48bd1d82c8300120b9e2cd8');
INSERT INTO tags VALUES('mlflow.user','dee','23621423f48bd1d82c8300120b9e2cd8');
INSERT INTO tags VALUES('mlflow.source.name','train.py','23621423f48bd1d82c8300120b9e2cd8');
INSERT INTO tags VALUES('mlflow.source.type','LOCAL','23621423f48bd1d82c8300120b9e2cd8');
INSERT INTO tags VALUES('mlflow.source.git.commit','c0ffee23621423f4','23621423f48bd1d82c8300120b9e2cd8');
INSERT INTO params VALUES('lr','3','5c8ad194b0f0302f5a8a2c3bf502dcb2');
INSERT INTO metrics VALUES('loss',1.0,1700000000000,'b7f86a38be91c3c164aeba52940975e8',0,0);
INSERT INTO metrics VALUES('acc',0.5,1700000000001,'b7f86a38be91c3c164aeba52940975e8',0,0);
INSERT INTO metrics VALUES('loss',0.5,1700000001000,'b7f86a38be91c3c164aeba52940975e8',1,0);
INSERT INTO metrics VALUES('acc',0.55,1700000001001,'b7f86a38be91c3c164aeba52940975e8',1,0);
INSERT INTO metrics VALUES('loss',0.333333,1700000002000,'b7f86a38be91c3c164aeba52940975e8',2,0);
INSERT INTO metrics VALUES('acc',0.6,1700000002001,'b7f86a38be91c3c164aeba52940975e8',2,0);
INSERT INTO metrics VALUES('loss',0.25,1700000003000,'b7f86a38be91c3c164aeba52940975e8',3,0);
INSERT INTO metrics VALUES('acc',0.65,1700000003001,'b7f86a38be91c3c164aeba52940975e8',3,0);
INSERT INTO metrics VALUES('loss',0.2,1700000004000,'b7f86a38be91c3c164aeba52940975e8',4,0);
INSERT INTO metrics VALUES('acc',0.7,1700000004001,'b7f86a38be91c3c164aeba52940975e8',4,0);
INSERT INTO metrics VALUES('loss',0.166667,1700000005000,'b7f86a38be91c3c164aeba52940975e8',5,0);
INSERT INTO metrics VALUES('acc',0.75,1700000005001,'b7f86a38be91c3c164aeba52940975e8',5,0);
INSERT INTO metrics VALUES('loss',0.142857,1700000006000,'b7f86a38be91c3c164aeba52940975e8',6,0);
INSERT INTO metrics VALUES('acc',0.8,1700000006001,'b7f86a38be91c3c164aeba52940975e8',6,0);
INSERT INTO metrics VALUES('loss',0.125,1700000007000,'b7f86a38be91c3c164aeba52940975e8',7,0);
INSERT INTO metrics VALUES('acc',0.85,1700000007001,'b7f86a38be91c3c164aeba52940975e8',7,0);
INSERT INTO metrics VALUES('loss',0.111111,1700000008000,'b7f86a38be91c3c164aeba52940975e8',8,0);
INSERT INTO metrics VALUES('acc',0.9,1700000008001,'b7f86a38be91c3c164aeba52940975e8',8,0);
INSERT INTO metrics VALUES('loss',0.1,1700000009000,'b7f86a38be91c3c164aeba52940975e8',9,0);
INSERT INTO metrics VALUES('acc',0.95,1700000009001,'b7f86a38be91c3c164aeba52940975e8',9,0);
INSERT INTO metrics VALUES('loss',0.05,1700000020000,'b7f86a38be91c3c164aeba52940975e8',9,0);
INSERT INTO metrics VALUES('loss',2.0,1700000100000,'53df48573ea771412c78e3a48bf0b437',0,0);
INSERT INTO metrics VALUES('loss',1.75,1700000101000,'53df48573ea771412c78e3a48bf0b437',1,0);
INSERT INTO metrics VALUES('loss',1.5,1700000102000,'53df48573ea771412c78e3a48bf0b437',2,0);
INSERT INTO metrics VALUES('loss',0.0,1700000103000,'53df48573ea771412c78e3a48bf0b437',3,1);
INSERT INTO metrics VALUES('loss',1.0,1700000104000,'53df48573ea771412c78e3a48bf0b437',4,0);
INSERT INTO metrics VALUES('loss',0.75,1700000105000,'53df48573ea771412c78e3a48bf0b437',5,0);
INSERT INTO metrics VALUES('grad_norm',1.7976931348623157e+308,1700000101000,'53df48573ea771412c78e3a48bf0b437',0,0);
INSERT INTO metrics VALUES('grad_norm',-1.7976931348623157e+308,1700000102000,'53df48573ea771412c78e3a48bf0b437',1,0);
INSERT INTO metrics VALUES('grad_norm',3.5,1700000103000,'53df48573ea771412c78e3a48bf0b437',2,0);
INSERT INTO metrics VALUES('score',0.0,1700000104000,'53df48573ea771412c78e3a48bf0b437',0,1);
INSERT INTO metrics VALUES('loss',9.0,1700000200000,'b33622e48bebcdb00b37a0498b39e8f9',0,0);
INSERT INTO metrics VALUES('loss',7.0,1699999150000,'c8f8a45b555e241ba0076bf3ec9a5a7f',0,0);
INSERT INTO metrics VALUES('loss',0.3,1700000405000,'23621423f48bd1d82c8300120b9e2cd8',0,0);
INSERT INTO latest_metrics VALUES('loss',0.05,1700000020000,9,0,'b7f86a38be91c3c164aeba52940975e8');
INSERT INTO latest_metrics VALUES('acc',0.95,1700000009001,9,0,'b7f86a38be91c3c164aeba52940975e8');
INSERT INTO latest_metrics VALUES('loss',0.75,1700000105000,5,0,'53df48573ea771412c78e3a48bf0b437');
INSERT INTO latest_metrics VALUES('grad_norm',3.5,1700000103000,2,0,'53df48573ea771412c78e3a48bf0b437');
INSERT INTO latest_metrics VALUES('score',0.0,1700000104000,0,1,'53df48573ea771412c78e3a48bf0b437');
INSERT INTO latest_metrics VALUES('loss',9.0,1700000200000,0,0,'b33622e48bebcdb00b37a0498b39e8f9');
INSERT INTO latest_metrics VALUES('loss',7.0,1699999150000,0,0,'c8f8a45b555e241ba0076bf3ec9a5a7f');
INSERT INTO latest_metrics VALUES('loss',0.3,1700000405000,0,0,'23621423f48bd1d82c8300120b9e2cd8');
INSERT INTO datasets VALUES('6232a6e3e2c95a513adac27d85339aa4',1,'cifar10-train','abcd1234','local','{"uri": "/data/cifar/train"}','{"mlflow_colspec": [{"type": "tensor", "name": "image"}]}','{"num_rows": 50000, "num_elements": 150000}');
INSERT INTO datasets VALUES('96750b299a613ff22da112364706897a',1,'cifar10-test','ef567890','local','{"uri": "/data/cifar/test"}',NULL,'{"num_rows": 10000}');
INSERT INTO inputs VALUES('6b3feb0c6699ce0d11ba411f1bb798f8','DATASET','6232a6e3e2c95a513adac27d85339aa4','RUN','b7f86a38be91c3c164aeba52940975e8',0);
INSERT INTO input_tags VALUES('6b3feb0c6699ce0d11ba411f1bb798f8','mlflow.data.context','training');
INSERT INTO inputs VALUES('da853c5826b798b82320e42024d97837','DATASET','96750b299a613ff22da112364706897a','RUN','b7f86a38be91c3c164aeba52940975e8',0);
INSERT INTO input_tags VALUES('da853c5826b798b82320e42024d97837','mlflow.data.context','eval');
INSERT INTO inputs VALUES('3eaa25d43fac6e39a12c3936942b72c8','DATASET','6232a6e3e2c95a513adac27d85339aa4','RUN','53df48573ea771412c78e3a48bf0b437',0);
INSERT INTO input_tags VALUES('3eaa25d43fac6e39a12c3936942b72c8','mlflow.data.context','training');
INSERT INTO inputs VALUES('6aac708a620a349d0e1dc871b84b782c','DATASET','6232a6e3e2c95a513adac27d85339aa4','RUN','b33622e48bebcdb00b37a0498b39e8f9',0);
INSERT INTO input_tags VALUES('6aac708a620a349d0e1dc871b84b782c','mlflow.data.context','training');
INSERT INTO inputs VALUES('c68271a63ddbc431c307beb7d2918275','RUN_OUTPUT','b7f86a38be91c3c164aeba52940975e8','MODEL_OUTPUT','m-192292e35fbe73f6d2b8d96bd1b6697d',0);
INSERT INTO logged_models VALUES('m-192292e35fbe73f6d2b8d96bd1b6697d',1,'model','mlruns/1/models/m-x/artifacts',1700000000000,1700000000000,2,'active',NULL,'b7f86a38be91c3c164aeba52940975e8',NULL);
INSERT INTO logged_models VALUES('m-6654c734ccab8f440ff0825eb443dc7f',1,'model-v1','/store/1',1700000000001,1700000000006,2,'active',NULL,'b7f86a38be91c3c164aeba52940975e8',NULL);
INSERT INTO logged_model_params VALUES('m-6654c734ccab8f440ff0825eb443dc7f',1,'lr','0.01');
INSERT INTO logged_model_params VALUES('m-6654c734ccab8f440ff0825eb443dc7f',1,'depth','10');
INSERT INTO logged_model_tags VALUES('m-6654c734ccab8f440ff0825eb443dc7f',1,'mlflow.user','ana');
INSERT INTO logged_model_metrics VALUES('m-6654c734ccab8f440ff0825eb443dc7f','acc',1700000000001,0,0.51,1,'b7f86a38be91c3c164aeba52940975e8','96750b299a613ff22da112364706897a','cifar10-test','ef567890');
INSERT INTO logged_model_metrics VALUES('m-6654c734ccab8f440ff0825eb443dc7f','acc',1700000000002,1,0.81,1,'b7f86a38be91c3c164aeba52940975e8','96750b299a613ff22da112364706897a','cifar10-test','ef567890');
INSERT INTO logged_model_metrics VALUES('m-6654c734ccab8f440ff0825eb443dc7f','rmse',1700000000001,0,NULL,1,'b7f86a38be91c3c164aeba52940975e8',NULL,NULL,NULL);
INSERT INTO logged_models VALUES('m-1b267619c4812cc46ee281747884ca50',1,'model-v2','/store/2',1700000000002,1700000000007,2,'active',NULL,'b7f86a38be91c3c164aeba52940975e8',NULL);
INSERT INTO logged_model_params VALUES('m-1b267619c4812cc46ee281747884ca50',1,'lr','0.02');
INSERT INTO logged_model_params VALUES('m-1b267619c4812cc46ee281747884ca50',1,'depth','20');
INSERT INTO logged_model_tags VALUES('m-1b267619c4812cc46ee281747884ca50',1,'mlflow.user','ana');
INSERT INTO logged_model_metrics VALUES('m-1b267619c4812cc46ee281747884ca50','acc',1700000000002,0,0.52,1,'b7f86a38be91c3c164aeba52940975e8','96750b299a613ff22da112364706897a','cifar10-test','ef567890');
INSERT INTO logged_model_metrics VALUES('m-1b267619c4812cc46ee281747884ca50','acc',1700000000003,1,0.8200000000000001,1,'b7f86a38be91c3c164aeba52940975e8','96750b299a613ff22da112364706897a','cifar10-test','ef567890');
INSERT INTO logged_model_metrics VALUES('m-1b267619c4812cc46ee281747884ca50','rmse',1700000000002,0,NULL,1,'b7f86a38be91c3c164aeba52940975e8',NULL,NULL,NULL);
INSERT INTO logged_models VALUES('m-43a03299a3c3fed3d8ce7b820f3aca81',1,'model-v3','/store/3',1700000000003,1700000000008,2,'active',NULL,'53df48573ea771412c78e3a48bf0b437',NULL);
INSERT INTO logged_model_params VALUES('m-43a03299a3c3fed3d8ce7b820f3aca81',1,'lr','0.03');
INSERT INTO logged_model_params VALUES('m-43a03299a3c3fed3d8ce7b820f3aca81',1,'depth','30');
INSERT INTO logged_model_tags VALUES('m-43a03299a3c3fed3d8ce7b820f3aca81',1,'mlflow.user','ana');
INSERT INTO logged_model_metrics VALUES('m-43a03299a3c3fed3d8ce7b820f3aca81','acc',1700000000003,0,0.53,1,'53df48573ea771412c78e3a48bf0b437','96750b299a613ff22da112364706897a','cifar10-test','ef567890');
INSERT INTO logged_model_metrics VALUES('m-43a03299a3c3fed3d8ce7b820f3aca81','acc',1700000000004,1,0.8300000000000001,1,'53df48573ea771412c78e3a48bf0b437','96750b299a613ff22da112364706897a','cifar10-test','ef567890');
INSERT INTO logged_model_metrics VALUES('m-43a03299a3c3fed3d8ce7b820f3aca81','rmse',1700000000003,0,NULL,1,'53df48573ea771412c78e3a48bf0b437',NULL,NULL,NULL);
INSERT INTO logged_models VALUES('m-5ed3a3ff8e5c29979502b9030e8518e0',1,'model-v4','/store/4',1700000000004,1700000000009,2,'active',NULL,'53df48573ea771412c78e3a48bf0b437',NULL);
INSERT INTO logged_model_params VALUES('m-5ed3a3ff8e5c29979502b9030e8518e0',1,'lr','0.04');
INSERT INTO logged_model_params VALUES('m-5ed3a3ff8e5c29979502b9030e8518e0',1,'depth','40');
INSERT INTO logged_model_tags VALUES('m-5ed3a3ff8e5c29979502b9030e8518e0',1,'mlflow.user','ana');
INSERT INTO logged_model_metrics VALUES('m-5ed3a3ff8e5c29979502b9030e8518e0','acc',1700000000004,0,0.54,1,'53df48573ea771412c78e3a48bf0b437','96750b299a613ff22da112364706897a','cifar10-test','ef567890');
INSERT INTO logged_model_metrics VALUES('m-5ed3a3ff8e5c29979502b9030e8518e0','acc',1700000000005,1,0.8400000000000001,1,'53df48573ea771412c78e3a48bf0b437','96750b299a613ff22da112364706897a','cifar10-test','ef567890');
INSERT INTO logged_model_metrics VALUES('m-5ed3a3ff8e5c29979502b9030e8518e0','rmse',1700000000004,0,NULL,1,'53df48573ea771412c78e3a48bf0b437',NULL,NULL,NULL);
INSERT INTO logged_models VALUES('m-50c1f58be7f5e47e0f53d64c094783c2',1,'gone','/store/gone',1700000000000,1700000000000,3,'deleted',NULL,'b7f86a38be91c3c164aeba52940975e8',NULL);
INSERT INTO workspaces VALUES('default','Default workspace',NULL);
INSERT INTO workspaces VALUES('team',NULL,NULL);
INSERT INTO registered_models VALUES('resnet',1700000000000,1700000005000,'ResNet classifiers','default');
INSERT INTO registered_models VALUES('unused',1700000000000,1700000000000,NULL,'default');
INSERT INTO model_versions VALUES('resnet',1,1700000000001,1700000000001,'version 1','ana','Archived','models:/m-6654c734ccab8f440ff0825eb443dc7f','b7f86a38be91c3c164aeba52940975e8','READY',NULL,NULL,'/store/1','default');
INSERT INTO model_versions VALUES('resnet',2,1700000000002,1700000000002,'version 2','ana','Production','models:/m-1b267619c4812cc46ee281747884ca50','b7f86a38be91c3c164aeba52940975e8','READY',NULL,NULL,'/store/2','default');
INSERT INTO model_versions VALUES('resnet',3,1700000000003,1700000000003,'version 3','ana','Staging','models:/m-43a03299a3c3fed3d8ce7b820f3aca81','53df48573ea771412c78e3a48bf0b437','READY',NULL,NULL,'/store/3','default');
INSERT INTO model_versions VALUES('resnet',4,1700000000004,1700000000004,'version 4','ana','Deleted_Internal','models:/m-5ed3a3ff8e5c29979502b9030e8518e0','53df48573ea771412c78e3a48bf0b437','READY',NULL,NULL,'/store/4','default');
INSERT INTO registered_model_aliases VALUES('champion',2,'resnet','default');
INSERT INTO registered_model_aliases VALUES('challenger',3,'resnet','default');
COMMIT;
