# Benchmarks (bench/README): each prints its figures beside a peer doing
# the same work in the same run.  Distributed, never run by `make check`.
EXTRA_DIST += bench/README bench/cli/run bench/compare/run \
	bench/compare/bench.c bench/drift/run bench/drift/bench_drift.c \
	bench/import/run bench/launch/run bench/mlflow/run bench/postgres/run \
	bench/registry/run bench/ui/run bench/writers/run
