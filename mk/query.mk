# query: filled in by its area.
