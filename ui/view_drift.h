/*
 * view_drift.h: the drift screens' constructors and what they share.
 * Screen 3 (view_drift.c) lists the saved reports; view_drift_report.c
 * shows one, view_drift_column.c one column's histograms,
 * view_drift_trend.c the reports saved under one name.
 */
#ifndef MLWB_VIEW_DRIFT_H
#define MLWB_VIEW_DRIFT_H

#include <stdint.h>

struct view;

struct view	*view_drift_report_new(int64_t id);
struct view	*view_drift_column_new(int64_t id, const char *column);
struct view	*view_drift_trend_new(const char *name);
/* "4.2e-05", "0.1234": a statistic or p-value in 4 digits; "-" for NaN. */
const char	*drift_num4(char b[32], double v);

#endif
