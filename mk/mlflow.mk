# mlflow: filled in by its area.
