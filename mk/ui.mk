# ui: filled in by its area.
