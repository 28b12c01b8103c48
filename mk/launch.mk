# launch: filled in by its area.
libmlwb_a_SOURCES += src/demo_launch.c
