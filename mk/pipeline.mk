# pipeline: the pipelines: section of mlwb.yaml, pipeline runs (a driver
# job whose steps are child runs), schedules, and `mlwb pipeline`.
libmlwb_a_SOURCES += src/pipeline.h src/pipeline_int.h src/pipeline_def.c \
	src/pipeline_store.c src/db_pipeline.c src/db_pipeline.h
check_PROGRAMS += tests/unit/test_pipeline
TESTS += tests/unit/test_pipeline
tests_unit_test_pipeline_LDADD = $(MLWB_LIBS)
