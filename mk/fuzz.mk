# Fuzzing (clang + libFuzzer): one target per parser, each named after
# tests/fuzz/NAME.c, with a seed corpus in tests/fuzz/corpus/NAME/.  They
# link the library's sources compiled again with the fuzzer's
# instrumentation.  `make fuzz` builds them; `make fuzz-smoke` runs each
# for FUZZ_SECONDS and prints "fuzz ok NAME" or "fuzz FAIL NAME".
FUZZ_TARGETS = fuzz_yaml fuzz_import fuzz_tfevents fuzz_mlruns fuzz_mlflowdb \
	fuzz_query fuzz_dataset fuzz_registry fuzz_project fuzz_scalars \
	fuzz_codec
EXTRA_DIST += $(FUZZ_TARGETS:%=tests/fuzz/%.c) \
	$(FUZZ_TARGETS:%=tests/fuzz/corpus/%)
# Generated sources the fuzz targets link besides src/schema_sql.c.
FUZZ_GENERATED =
if HAVE_LIBPQ
FUZZ_GENERATED += src/schema_pg_sql.c
endif
FUZZ_CC = clang
FUZZ_SECONDS = 20
FUZZ_CFLAGS = -g -O1 -fsanitize=fuzzer-no-link,address,undefined \
	-fno-sanitize-recover=undefined -I. -I$(srcdir)/src -Isrc \
	$(SQLITE_CFLAGS) $(PCRE2_CFLAGS) $(YAML_CFLAGS) $(CRYPTO_CFLAGS) \
	$(LIBPQ_CFLAGS)
FUZZ_LIBS = $(SQLITE_LIBS) $(PCRE2_LIBS) $(YAML_LIBS) $(CSV_LIBS) \
	$(CRYPTO_LIBS) $(LIBS) -lm
fuzz: src/schema_sql.c $(FUZZ_GENERATED)
	@$(MKDIR_P) tests/fuzz/obj
	@objs=''; for f in $(libmlwb_a_SOURCES) src/schema_sql.c \
	    $(FUZZ_GENERATED); do \
	  case $$f in *.c) ;; *) continue;; esac; \
	  o=tests/fuzz/obj/`echo $$f | tr / _ | sed 's/\.c$$/.o/'`; \
	  s=$$f; test -f $$s || s=$(srcdir)/$$f; \
	  if test ! -f $$o || test $$s -nt $$o; then \
	    $(FUZZ_CC) $(FUZZ_CFLAGS) -c $$s -o $$o || exit 1; fi; \
	  objs="$$objs $$o"; done; \
	for t in $(FUZZ_TARGETS); do \
	  echo "  FUZZ     tests/fuzz/$$t"; \
	  $(FUZZ_CC) $(FUZZ_CFLAGS) -fsanitize=fuzzer \
	    $(srcdir)/tests/fuzz/$$t.c $$objs $(FUZZ_LIBS) \
	    -o tests/fuzz/$$t || exit 1; done
fuzz-smoke: fuzz
	@for t in $(FUZZ_TARGETS); do \
	  rm -rf tests/fuzz/run-$$t; $(MKDIR_P) tests/fuzz/run-$$t; \
	  cp $(srcdir)/tests/fuzz/corpus/$$t/* tests/fuzz/run-$$t/ 2>/dev/null; \
	  if ./tests/fuzz/$$t -max_total_time=$(FUZZ_SECONDS) -seed=1 \
	      -rss_limit_mb=1024 tests/fuzz/run-$$t \
	      >tests/fuzz/$$t.out 2>&1; then echo "fuzz ok $$t"; \
	  else echo "fuzz FAIL $$t"; tail -30 tests/fuzz/$$t.out; fi; \
	done
clean-local:
	rm -rf tests/fuzz/obj tests/fuzz/run-*
	for t in $(FUZZ_TARGETS); do rm -f tests/fuzz/$$t tests/fuzz/$$t.out; done
.PHONY: fuzz fuzz-smoke
