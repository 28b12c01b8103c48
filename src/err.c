/*
 * err: formatting of struct wb_err and the table of status names.
 */
#include "config.h"

#include "err.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

static const char *const status_text[] = {
#define WB_STATUS_TEXT(name, text) text,
	WB_STATUSES(WB_STATUS_TEXT)
#undef WB_STATUS_TEXT
};

static const char *const status_name[] = {
#define WB_STATUS_NAME(name, text) "WB_" #name,
	WB_STATUSES(WB_STATUS_NAME)
#undef WB_STATUS_NAME
};

int
wb_err_set(struct wb_err *err, enum wb_status code, const char *fmt, ...)
{
	va_list	ap;

	if (err == NULL)
		return code;
	err->code = code;
	va_start(ap, fmt);
	vsnprintf(err->msg, sizeof err->msg, fmt, ap);
	va_end(ap);
	return code;
}

void
wb_err_clear(struct wb_err *err)
{
	if (err == NULL)
		return;
	err->code = WB_OK;
	err->msg[0] = '\0';
}

int
wb_err_prefix(struct wb_err *err, const char *fmt, ...)
{
	char	prefix[128], old[sizeof err->msg];
	va_list	ap;

	if (err == NULL)
		return WB_OK;
	va_start(ap, fmt);
	vsnprintf(prefix, sizeof prefix, fmt, ap);
	va_end(ap);
	memcpy(old, err->msg, sizeof old);
	/* Assemble by hand: the result is cut at the buffer, on purpose. */
	{
		size_t	pl = strlen(prefix), ol = strlen(old), cap = sizeof
		    err->msg - 1, n = 0;

		memcpy(err->msg, prefix, pl < cap ? pl : cap);
		n = pl < cap ? pl : cap;
		if (n + 2 <= cap) {
			memcpy(err->msg + n, ": ", 2);
			n += 2;
		}
		if (ol > cap - n)
			ol = cap - n;
		memcpy(err->msg + n, old, ol);
		err->msg[n + ol] = '\0';
	}
	return err->code;
}

const char *
wb_status_text(enum wb_status code)
{
	if ((unsigned)code >= WB_NSTATUS)
		return "unknown error";
	return status_text[code];
}

const char *
wb_status_name(enum wb_status code)
{
	if ((unsigned)code >= WB_NSTATUS)
		return "WB_UNKNOWN";
	return status_name[code];
}

int
wb_path_fmt(char *buf, size_t size, struct wb_err *err, const char *fmt, ...)
{
	va_list	ap;
	int	n;

	va_start(ap, fmt);
	n = vsnprintf(buf, size, fmt, ap);
	va_end(ap);
	if (n >= 0 && (size_t)n < size)
		return WB_OK;
	/* The start names the place; the rest would not fit a message. */
	return wb_err_set(err, WB_EINVAL, "%.60s...: path too long (%d bytes;"
	    " at most %zu)", size > 0 ? buf : "", n, size > 0 ? size - 1 : 0);
}
