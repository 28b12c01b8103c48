/*
 * err: status codes and error messages of libmlwb.
 *
 * Every fallible library call returns an enum wb_status and, when it fails,
 * fills a struct wb_err with a one-line message such as
 * "runs.csv:14: unterminated quote".  The message buffer is fixed so that
 * reporting ENOMEM needs no allocation.  Codes and their default texts live
 * in one X-macro; the command line maps them to exit statuses.
 */
#ifndef WB_ERR_H
#define WB_ERR_H

#include <stddef.h>

#define WB_STATUSES(_)						\
	_(OK,       "ok")						\
	_(ENOMEM,   "out of memory")					\
	_(EIO,      "input/output error")				\
	_(EDB,      "database error")					\
	_(EPARSE,   "parse error")					\
	_(EFORMAT,  "unrecognised file format")				\
	_(EINVAL,   "invalid argument")				\
	_(ENOTFOUND, "not found")					\
	_(EEXIST,   "already exists")					\
	_(EAMBIG,   "ambiguous reference")				\
	_(EVERSION, "unsupported database version")			\
	_(EREADONLY, "read-only workspace")				\
	_(EGATE,    "promotion gate refused")				\
	_(EPROC,    "process error")					\
	_(EINTR,    "interrupted")

enum wb_status {
#define WB_STATUS_ENUM(name, text) WB_##name,
	WB_STATUSES(WB_STATUS_ENUM)
#undef WB_STATUS_ENUM
	WB_NSTATUS
};

struct wb_err {
	enum wb_status	 code;
	char		 msg[256];
};

/*
 * Format a message into err (which may be NULL) and return code, so that
 * callers can write "return wb_err_set(err, WB_EIO, "%s: %s", ...)".
 */
int	wb_err_set(struct wb_err *err, enum wb_status code, const char *fmt, ...)
	    __attribute__((format(printf, 3, 4)));

/* Reset err to WB_OK with an empty message.  err may be NULL. */
void	wb_err_clear(struct wb_err *err);

/*
 * Prefix err's message with "prefix: " (e.g. a file name), keeping the code.
 * Returns err->code.
 */
int	wb_err_prefix(struct wb_err *err, const char *fmt, ...)
	    __attribute__((format(printf, 2, 3)));

/*
 * snprintf of a path into buf (size bytes), checked: a path that does
 * not fit is WB_EINVAL, "START...: path too long (N bytes; at most M)",
 * never a shorter path that may name another file.  WB_OK otherwise.
 */
int	wb_path_fmt(char *buf, size_t size, struct wb_err *err,
	    const char *fmt, ...) __attribute__((format(printf, 4, 5)));

/* The default text of a status code; never NULL. */
const char *wb_status_text(enum wb_status code);

/* The symbolic name of a code, "WB_EPARSE"; never NULL. */
const char *wb_status_name(enum wb_status code);

#endif
