/*
 * rx: pcre2 wrapper.  Owns the compiled code and one match-data block per
 * pattern, and the match context carrying the limits (a catastrophic
 * pattern fails with a limit error in milliseconds instead of hanging).
 */
#include "config.h"

#include "rx.h"

#include <stdlib.h>
#include <string.h>

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

#include "err.h"
#include "mem.h"

#define RX_MATCH_LIMIT	1000000
#define RX_DEPTH_LIMIT	10000

struct rx {
	pcre2_code		*code;
	pcre2_match_data	*md;
	pcre2_match_context	*mc;
};

int
rx_compile(const char *pattern, struct rx **out, size_t *erroff,
    struct wb_err *err)
{
	struct rx	*rx;
	PCRE2_UCHAR	 msg[160];
	PCRE2_SIZE	 off = 0;
	int		 ec;

	*out = NULL;
	if (erroff != NULL)
		*erroff = 0;
	if ((rx = wb_calloc(1, sizeof *rx)) == NULL)
		return wb_err_set(err, WB_ENOMEM, "out of memory");
	rx->code = pcre2_compile((PCRE2_SPTR)pattern, PCRE2_ZERO_TERMINATED,
	    0, &ec, &off, NULL);
	if (rx->code == NULL) {
		pcre2_get_error_message(ec, msg, sizeof msg);
		wb_free(rx);
		if (erroff != NULL)
			*erroff = off;
		return wb_err_set(err, WB_EPARSE, "%zu: %s", (size_t)off,
		    (const char *)msg);
	}
	/*
	 * JIT is an optimisation: without it matching still works.
	 * MLWB_RX_NOJIT=1 turns it off, for valgrind, which cannot see
	 * through JIT-generated code and reports false uninitialised reads.
	 */
	if (getenv("MLWB_RX_NOJIT") == NULL)
		(void)pcre2_jit_compile(rx->code, PCRE2_JIT_COMPLETE);
	rx->md = pcre2_match_data_create_from_pattern(rx->code, NULL);
	rx->mc = pcre2_match_context_create(NULL);
	if (rx->md == NULL || rx->mc == NULL) {
		rx_free(rx);
		return wb_err_set(err, WB_ENOMEM, "out of memory");
	}
	pcre2_set_match_limit(rx->mc, RX_MATCH_LIMIT);
	pcre2_set_depth_limit(rx->mc, RX_DEPTH_LIMIT);
	*out = rx;
	return WB_OK;
}

int
rx_match(struct rx *rx, const char *subject, size_t len)
{
	return rx_match_from(rx, subject, len, 0);
}

int
rx_match_from(struct rx *rx, const char *subject, size_t len, size_t start)
{
	int	rc;

	if (start > len)
		return 0;
	rc = pcre2_match(rx->code, (PCRE2_SPTR)subject, len, start, 0, rx->md,
	    rx->mc);
	if (rc >= 0)
		return 1;
	if (rc == PCRE2_ERROR_NOMATCH)
		return 0;
	return -1;
}

int
rx_ngroups(const struct rx *rx)
{
	uint32_t	n = 0;

	(void)pcre2_pattern_info(rx->code, PCRE2_INFO_CAPTURECOUNT, &n);
	return (int)n;
}

int
rx_group_number(const struct rx *rx, const char *name)
{
	int	rc;

	rc = pcre2_substring_number_from_name(rx->code, (PCRE2_SPTR)name);
	return rc > 0 ? rc : -1;
}

int
rx_group(const struct rx *rx, int i, size_t *so, size_t *eo)
{
	PCRE2_SIZE	*ov;

	if (i < 0 || (uint32_t)i >= pcre2_get_ovector_count(rx->md))
		return -1;
	ov = pcre2_get_ovector_pointer(rx->md);
	if (ov[2 * i] == PCRE2_UNSET)
		return -1;
	*so = ov[2 * i];
	*eo = ov[2 * i + 1];
	return 0;
}

void
rx_free(struct rx *rx)
{
	if (rx == NULL)
		return;
	pcre2_match_context_free(rx->mc);
	pcre2_match_data_free(rx->md);
	pcre2_code_free(rx->code);
	wb_free(rx);
}
