-- MLflow 2.9-shaped tracking database, written by make-fixtures.py
PRAGMA foreign_keys=OFF;
BEGIN TRANSACTION;
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
INSERT INTO alembic_version VALUES('acf3f17fdcc7');
INSERT INTO experiments VALUES(0,'Default','mlruns/0','active',1699999000000,1699999000000);
INSERT INTO experiments VALUES(1,'vision','mlruns/1','active',1699999000001,1699999000001);
INSERT INTO experiment_tags VALUES('mlflow.note.content','Image models',1);
INSERT INTO experiment_tags VALUES('team','vision-squad',1);
INSERT INTO experiments VALUES(2,'old-stuff','mlruns/2','deleted',1699999000002,1699999000002);
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
INSERT INTO latest_metrics VALUES('loss',0.05,1700000020000,9,0,'b7f86a38be91c3c164aeba52940975e8');
INSERT INTO latest_metrics VALUES('acc',0.95,1700000009001,9,0,'b7f86a38be91c3c164aeba52940975e8');
INSERT INTO latest_metrics VALUES('loss',0.75,1700000105000,5,0,'53df48573ea771412c78e3a48bf0b437');
INSERT INTO latest_metrics VALUES('grad_norm',3.5,1700000103000,2,0,'53df48573ea771412c78e3a48bf0b437');
INSERT INTO latest_metrics VALUES('score',0.0,1700000104000,0,1,'53df48573ea771412c78e3a48bf0b437');
INSERT INTO latest_metrics VALUES('loss',9.0,1700000200000,0,0,'b33622e48bebcdb00b37a0498b39e8f9');
INSERT INTO latest_metrics VALUES('loss',7.0,1699999150000,0,0,'c8f8a45b555e241ba0076bf3ec9a5a7f');
INSERT INTO datasets VALUES('6232a6e3e2c95a513adac27d85339aa4',1,'cifar10-train','abcd1234','local','{"uri": "/data/cifar/train"}','{"mlflow_colspec": [{"type": "tensor", "name": "image"}]}','{"num_rows": 50000, "num_elements": 150000}');
INSERT INTO datasets VALUES('96750b299a613ff22da112364706897a',1,'cifar10-test','ef567890','local','{"uri": "/data/cifar/test"}',NULL,'{"num_rows": 10000}');
INSERT INTO inputs VALUES('6b3feb0c6699ce0d11ba411f1bb798f8','DATASET','6232a6e3e2c95a513adac27d85339aa4','RUN','b7f86a38be91c3c164aeba52940975e8');
INSERT INTO input_tags VALUES('6b3feb0c6699ce0d11ba411f1bb798f8','mlflow.data.context','training');
INSERT INTO inputs VALUES('da853c5826b798b82320e42024d97837','DATASET','96750b299a613ff22da112364706897a','RUN','b7f86a38be91c3c164aeba52940975e8');
INSERT INTO input_tags VALUES('da853c5826b798b82320e42024d97837','mlflow.data.context','eval');
INSERT INTO inputs VALUES('3eaa25d43fac6e39a12c3936942b72c8','DATASET','6232a6e3e2c95a513adac27d85339aa4','RUN','53df48573ea771412c78e3a48bf0b437');
INSERT INTO input_tags VALUES('3eaa25d43fac6e39a12c3936942b72c8','mlflow.data.context','training');
INSERT INTO inputs VALUES('6aac708a620a349d0e1dc871b84b782c','DATASET','6232a6e3e2c95a513adac27d85339aa4','RUN','b33622e48bebcdb00b37a0498b39e8f9');
INSERT INTO input_tags VALUES('6aac708a620a349d0e1dc871b84b782c','mlflow.data.context','training');
INSERT INTO registered_models VALUES('resnet',1700000000000,1700000005000,'ResNet classifiers');
INSERT INTO registered_models VALUES('unused',1700000000000,1700000000000,NULL);
INSERT INTO model_versions VALUES('resnet',1,1700000000001,1700000000001,'version 1','ana','Archived','mlruns/1/b7f86a38be91c3c164aeba52940975e8/artifacts/model','b7f86a38be91c3c164aeba52940975e8','READY',NULL,NULL,'mlruns/1/b7f86a38be91c3c164aeba52940975e8/artifacts/model');
INSERT INTO model_versions VALUES('resnet',2,1700000000002,1700000000002,'version 2','ana','Production','mlruns/1/b7f86a38be91c3c164aeba52940975e8/artifacts/model','b7f86a38be91c3c164aeba52940975e8','READY',NULL,NULL,'mlruns/1/b7f86a38be91c3c164aeba52940975e8/artifacts/model');
INSERT INTO model_versions VALUES('resnet',3,1700000000003,1700000000003,'version 3','ana','Staging','mlruns/1/53df48573ea771412c78e3a48bf0b437/artifacts/model','53df48573ea771412c78e3a48bf0b437','READY',NULL,NULL,'mlruns/1/53df48573ea771412c78e3a48bf0b437/artifacts/model');
INSERT INTO model_versions VALUES('resnet',4,1700000000004,1700000000004,'version 4','ana','Deleted_Internal','mlruns/1/53df48573ea771412c78e3a48bf0b437/artifacts/model','53df48573ea771412c78e3a48bf0b437','READY',NULL,NULL,'mlruns/1/53df48573ea771412c78e3a48bf0b437/artifacts/model');
INSERT INTO registered_model_aliases VALUES('champion',2,'resnet');
INSERT INTO registered_model_aliases VALUES('challenger',3,'resnet');
COMMIT;
