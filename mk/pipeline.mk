# pipeline: the pipelines: section of mlwb.yaml, pipeline runs (a driver
# job whose steps are child runs), schedules, and `mlwb pipeline`.
libmlwb_a_SOURCES += src/pipeline.h src/pipeline_int.h src/pipeline_def.c \
	src/pipeline_store.c src/pipeline_run.c src/db_pipeline.c \
	src/db_pipeline.h src/schedule.c src/schedule.h
UI_SOURCES += ui/cli_pipeline.c
TESTS += tests/cli/pipeline.sh
EXTRA_DIST += tests/cli/pipeline.sh
dist_doc_DATA += doc/pipelines.md
check_PROGRAMS += tests/unit/test_pipeline
TESTS += tests/unit/test_pipeline
tests_unit_test_pipeline_LDADD = $(MLWB_LIBS)
