# registry: filled in by its area.
