# lineage: the content-addressed artifact store of runs and registered
# versions (src/artifact.c for the bytes, src/db_artifact.c for the rows),
# the artifact root of a workspace, `mlwb artifacts` and `mlwb config`.
libmlwb_a_SOURCES += src/artifact.c src/artifact.h src/db_artifact.c \
	src/db_artifact.h src/lineage.c src/lineage.h src/db_lineage.c \
	src/db_lineage.h
UI_SOURCES += ui/cli_artifacts.c ui/cli_config.c ui/view_text.c \
	ui/cli_lineage.c
TESTS += tests/cli/artifacts.sh tests/cli/lineage.sh
EXTRA_DIST += tests/cli/artifacts.sh tests/cli/lineage.sh doc/runs.md
