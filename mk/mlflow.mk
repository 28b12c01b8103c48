# mlflow: import of MLflow tracking databases and mlruns/ folders.
libmlwb_a_SOURCES += src/mlflow.c src/mlflow.h src/mlflow_int.h \
	src/mlflow_db.c src/mlflow_store.c src/db_mlflow.c src/db_mlflow.h \
	src/db_lmodel.c src/db_lmodel.h
check_PROGRAMS += tests/unit/test_mlflow
tests_unit_test_mlflow_LDADD = $(MLWB_LIBS)
TESTS += tests/unit/test_mlflow tests/cli/mlflow.sh
EXTRA_DIST += tests/cli/mlflow.sh tests/data/mlflow
FUZZ_TARGETS += fuzz_mlruns
EXTRA_DIST += tests/fuzz/fuzz_mlruns.c tests/fuzz/corpus/fuzz_mlruns
EXTRA_DIST += bench/mlflow/run
dist_doc_DATA += doc/mlflow.md
