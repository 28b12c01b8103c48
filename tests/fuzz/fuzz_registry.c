/*
 * libFuzzer target: bytes as what a user types for the registry: an alias
 * (reg_alias_norm), a gate (reg_gate_parse) and a model URI resolved
 * against a small in-memory workspace (reg_resolve_uri).
 */
#include "config.h"

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "db.h"
#include "db_registry.h"
#include "err.h"
#include "registry.h"

int	LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct db *db;

static void
setup(void)
{
	struct reg_who	 who = { "fuzz", "host", 1 };
	struct reg_move	 m;
	struct reg_outcome o;
	struct wb_err	 err;
	int64_t		 v;

	if (db_open(":memory:", 0, &db, &err) != WB_OK)
		abort();
	reg_model_create(db, "clf", NULL, &who, &err);
	reg_register(db, "clf", NULL, NULL, NULL, &who, &v, &err);
	reg_register(db, "clf", NULL, NULL, NULL, &who, &v, &err);
	memset(&m, 0, sizeof m);
	m.model = "clf";
	m.version = 2;
	m.alias = "production";
	m.who = who;
	reg_promote(db, &m, &o, &err);
	reg_outcome_clear(&o);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct reg_version	 v;
	struct reg_gate		 g;
	struct wb_err		 err;
	char			 alias[REG_ALIAS_MAX + 1], *s;

	if (db == NULL)
		setup();
	if ((s = malloc(size + 1)) == NULL)
		return 0;
	memcpy(s, data, size);
	s[size] = '\0';
	if (reg_alias_norm(s, alias, &err) == WB_OK && strlen(alias) >
	    REG_ALIAS_MAX)
		abort();
	if (reg_gate_parse(s, &g, &err) == WB_OK && g.metric[0] == '\0')
		abort();
	if (reg_resolve_uri(db, s, &v, &err) == WB_OK) {
		if (v.version < 1 || v.version > 2)
			abort();
		reg_version_clear(&v);
	}
	free(s);
	return 0;
}
