# import: filled in by its area.
