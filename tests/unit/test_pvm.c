/*
 * test_pvm: params against a metric: average ranks with ties, Spearman's
 * rho (values from the rank formula, cross-checked by hand: 1..6 against
 * 2,1,4,3,6,5 is 1 - 6*6/(6*35)), eta on ranks (with two groups equal to
 * |rho| of the groups coded 0/1), the ranking of params, the dot canvas
 * and the SVG writers.
 */
#include "config.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "pvm.h"
#include "strbuf.h"
#include "tap.h"

int
main(void)
{
	static const double	 x[] = { 1, 2, 3, 4, 5, 6 };
	static const double	 y[] = { 2, 1, 4, 3, 6, 5 };
	static const double	 lr[] = { 0.1, 0.01, 0.01, 0.003, 0.001 };
	static const double	 loss[] = { 0.3, 0.5, 0.45, 0.7, 0.9 };
	static const double	 m6[] = { 0.3, 0.5, 0.45, 0.7, 0.9, 0.2 };
	static const int	 g6[] = { 0, 1, 1, 0, 1, 0 };
	static const double	 tie[] = { 3, 1, 3, 2 };
	/* Three runs x three params: lr (numeric), opt, seed (constant). */
	static const char *const vals[] = {
		"0.1", "adam", "1",
		"0.01", "sgd", "1",
		"0.001", "adam", "1",
		"0.03", "sgd", "1",
	};
	static const double	 acc[] = { 0.9, 0.7, 0.5, 0.8 };
	static const char *const labels[] = { "lr", "opt", "acc" };
	double			 r[6], pv[4], par[6] = { 0, 1, 0.5, 1, 0, 0.2 };
	struct pvm_score	 sc[3];
	struct pvm_canvas	 c;
	struct strbuf		 sb = STRBUF_INIT;
	char			 g[8];

	ok(pvm_ranks(tie, 4, r) == 0 && r[0] == 3.5 && r[1] == 1 &&
	    r[2] == 3.5 && r[3] == 2, "ties share their mean rank");
	is_num(pvm_spearman(x, y, 6), 0.8285714285714286, 1e-12, 0,
	    "Spearman's rho");
	is_num(pvm_spearman(lr, loss, 5), -0.9746794344808964, 1e-12, 0,
	    "rho with tied learning rates (higher lr, lower loss)");
	ok(isnan(pvm_spearman(x, x, 2)), "fewer than 3 runs: no rho");
	ok(pvm_spearman(x, x, 6) > 0.999999, "a monotone relation is 1");
	is_num(pvm_eta(g6, 2, m6, 6), 0.48795003647426655, 1e-12, 0,
	    "eta on ranks, two groups (= |rho| of 0/1)");
	ok(isnan(pvm_eta(g6, 1, m6, 6)), "one group: no eta");

	ok(pvm_numeric(vals, 3, 0, 4, pv) && pv[2] == 0.001,
	    "lr is numeric");
	ok(!pvm_numeric(vals, 3, 1, 4, pv), "opt is not");
	ok(pvm_rank_params(vals, 3, acc, 4, sc) == 0, "rank the params");
	is_int(sc[0].param, 0, "lr moves acc most");
	ok(sc[0].numeric && fabs(sc[0].rho - 1) < 1e-12,
	    "lr and acc have the same order: rho 1");
	is_int(sc[1].param, 1, "then opt");
	ok(!sc[1].numeric && isnan(sc[1].rho) && fabs(sc[1].score) < 1e-12,
	    "adam (0.9, 0.5) and sgd (0.7, 0.8) have the same mean rank: "
	    "eta 0");
	ok(sc[2].param == 2 && isnan(sc[2].score), "a constant seed: none");
	is_int(sc[0].n, 4, "four runs counted");

	ok(pvm_canvas_init(&c, 4, 2, 1) == 0, "a 4x2 canvas");
	pvm_canvas_dot(&c, 0, 1);
	pvm_canvas_dot(&c, 1, 0);
	is_str(pvm_canvas_glyph(&c, 0, 0, g), "\xe2\xa0\x81",
	    "top left dot: braille 1");
	is_str(pvm_canvas_glyph(&c, 3, 1, g), "\xe2\xa2\x80",
	    "bottom right dot: braille 8");
	is_str(pvm_canvas_glyph(&c, 1, 0, g), " ", "empty cell");
	pvm_canvas_free(&c);
	ok(pvm_canvas_init(&c, 4, 2, 0) == 0, "an ASCII canvas");
	pvm_canvas_line(&c, 0, 0, 1, 1);
	is_str(pvm_canvas_glyph(&c, 0, 1, g), "*", "a line's dots");
	pvm_canvas_free(&c);

	pvm_svg_scatter(&sb, x, y, 6, "lr", "val<loss>", 400, 300);
	ok(strstr(strbuf_str(&sb), "<circle") != NULL &&
	    strstr(strbuf_str(&sb), "val&lt;loss&gt;") != NULL,
	    "SVG scatter, labels escaped");
	strbuf_reset(&sb);
	pvm_svg_parallel(&sb, par, 2, 3, labels, 400, 300);
	ok(strstr(strbuf_str(&sb), "<path fill=\"none\"") != NULL &&
	    strstr(strbuf_str(&sb), ">acc</text>") != NULL,
	    "SVG parallel coordinates");
	strbuf_free(&sb);
	return tap_done();
}
