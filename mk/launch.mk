# launch: filled in by its area.
