# drift: filled in by its area.
libmlwb_a_SOURCES += src/demo_drift.c
