# Installed data: the man page, every doc/ file the README lists
# (docdir; each exactly once, tests/cli/core.sh checks), the themes, the
# example project and the schemas (compiled in by mk/lib.mk and
# mk/app.mk, distributed as they are).
dist_man_MANS = doc/mlwb.1
dist_doc_DATA = doc/workspace.md doc/formats.md doc/ui.md doc/query.md \
	doc/drift.md doc/registry.md doc/team.md doc/json.md doc/runs.md \
	doc/launch.md doc/mlflow.md doc/pipelines.md
themesdir = $(pkgdatadir)/themes
dist_themes_DATA = themes/default.yaml themes/light.yaml themes/mono.yaml \
	themes/high-contrast.yaml
EXAMPLE_FILES = data/example-project/mlwb.yaml data/example-project/train.sh \
	data/example-project/evaluate.sh data/example-project/deploy.sh \
	data/example-project/train.csv data/example-project/new-data.csv
exampledir = $(pkgdatadir)/example-project
dist_example_DATA = $(EXAMPLE_FILES)
EXTRA_DIST += data/schema.sql data/schema-pg.sql mk/embed.sh
