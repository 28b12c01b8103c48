/*
 * cmd_mlflow: the mlflow area's entries in the command table (see commands.h):
 * _(function-suffix, "name", "one-line help") per command.
 */
#ifndef MLWB_CMD_MLFLOW_H
#define MLWB_CMD_MLFLOW_H

#define MLFLOW_COMMANDS(_)						\
	_(import_mlflow, "import-mlflow",				\
	    "Import an MLflow database or mlruns/ folder")

#endif
