# drift: filled in by its area.
