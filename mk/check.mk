# Hardening targets (included by the Makefile).                                  GNU make.
#   make fuzz         libFuzzer harnesses fuzz/fuzz_*.c -> $(FUZZ_BUILDDIR)/fuzz_* (clang)
#   make fuzz-seed    seed corpus from spec/fixtures and spec/vectors -> $(FUZZ_CORPUS)/seed/
#   make fuzz-short   each harness for $(FUZZ_SECONDS) s (default 60) on its corpus + seeds
#   make asan         ASan+UBSan csr.so in $(ASAN_BUILDDIR), the busted suite with libasan preloaded
#   make valgrind     the busted suite under valgrind memcheck (definite leaks and errors fail)
#   make fault        allocation-failure injection host (test/fault/host.c), plain and under valgrind
#   make check        asan + valgrind + fault + fuzz-short  (~12 min on 2 cores)
# Tools (Debian): clang libclang-rt-14-dev valgrind gcc (libasan8/libubsan1 come with gcc-12).
#
# Why the ASan recipe looks like this: the interpreter (lua5.4) is not built with ASan, so
# the runtime must be the first library in the process: LD_PRELOAD=$(gcc -print-file-name=
# libasan.so) (the .so is built with the same gcc so the runtime versions match). LeakSanitizer
# is switched off (detect_leaks=0): a plain interpreter that ends with os.exit() (busted does)
# never closes its lua_State, so every Lua allocation would show up as a leak; leaks are
# valgrind's job below, which only fails on *definite* leaks (memory nothing points to).
# UBSan halts on the first report (halt_on_error=1, and -fno-sanitize-recover at compile time).
# quarantine_size_mb=4 (default 256) keeps the RSS-bound specs (lifecycle, torture) meaningful;
# use-after-free of recently freed blocks is still caught. Specs that start valgrind are
# filtered out (ASAN_BUSTED_ARGS): valgrind cannot run an ASan process. Programs the specs start
# do not inherit the runtime (test/asan/unpreload.c); CSR_ASAN_PRELOAD holds its path.

FUZZ_CC        ?= clang
FUZZ_BUILDDIR  ?= build/fuzz
FUZZ_CORPUS    ?= fuzz/corpus-run
FUZZ_SECONDS   ?= 60
FUZZ_SAN       ?= -fsanitize=address,undefined -fno-sanitize-recover=undefined \
                  -fno-omit-frame-pointer
FUZZ_CFLAGS    ?= -O1 -g
FUZZ_OPTS      ?= -timeout=10 -rss_limit_mb=2048 -max_len=65536 -print_final_stats=1
FUZZ_NAMES      = $(patsubst fuzz/fuzz_%.c,%,$(sort $(wildcard fuzz/fuzz_*.c)))
FUZZ_BINS       = $(patsubst %,$(FUZZ_BUILDDIR)/fuzz_%,$(FUZZ_NAMES))
FUZZ_CORE_OBJS  = $(patsubst %.c,$(FUZZ_BUILDDIR)/%.o,$(CORE_SRCS))
FUZZ_ALLCFLAGS  = $(WOLFSSL_CFLAGS) $(ALL_CPPFLAGS) $(FUZZ_CFLAGS) $(FUZZ_SAN) -std=c99 -Wall \
                  -Wextra -pedantic -Isrc/core

ASAN_CC        ?= gcc
ASAN_BUILDDIR  ?= build/asan
ASAN_SAN       ?= -fsanitize=address,undefined -fno-sanitize-recover=undefined \
                  -fno-omit-frame-pointer
ASAN_LIB       ?= $(shell $(ASAN_CC) -print-file-name=libasan.so)
ASAN_UNPRELOAD  = $(ASAN_BUILDDIR)/unpreload.so
# verify_asan_link_order=0: a host started by a spec that loads the ASan csr.so without the
# runtime preloaded still runs (heap checks degrade there; the lua5.4 process has them all).
ASAN_ENV        = LD_PRELOAD=$(ASAN_LIB):$(abspath $(ASAN_UNPRELOAD)) CSR_ASAN_PRELOAD=$(ASAN_LIB) \
                  ASAN_OPTIONS=detect_leaks=0:abort_on_error=1:detect_stack_use_after_return=1:verify_asan_link_order=0:quarantine_size_mb=4 \
                  UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1
# The suite as run under the sanitizers and valgrind: every spec, or SPECS=spec/x_spec.lua
SPECS          ?= spec
# valgrind cannot run an ASan process: the specs that start valgrind are left to `make valgrind`
ASAN_BUSTED_ARGS ?= --filter-out=helgrind --filter-out=memcheck --filter-out=valgrind
VG_BUSTED_ARGS   ?=
BUSTED_SCRIPT  ?= $(shell command -v $(BUSTED))

VALGRIND       ?= valgrind
VG_BUILDDIR    ?= build/valgrind
VG_OPTS        ?= --quiet --leak-check=full --errors-for-leak-kinds=definite --error-exitcode=99 \
                  --show-leak-kinds=definite --num-callers=30 --freelist-vol=2000000 \
                  --suppressions=spec/valgrind.supp

FAULT_BUILDDIR ?= build/fault
FAULT_SRC       = $(firstword $(wildcard test/fault/host.c))
FAULT_ARGS     ?=

# ---- libFuzzer ------------------------------------------------------------------------------
$(FUZZ_BUILDDIR)/%.o: %.c $(HDRS)
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(FUZZ_ALLCFLAGS) -fsanitize=fuzzer-no-link -c -o $@ $<

$(FUZZ_BUILDDIR)/fuzz_%: fuzz/fuzz_%.c fuzz/fuzz.h $(FUZZ_CORE_OBJS) $(HDRS)
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(FUZZ_ALLCFLAGS) -fsanitize=fuzzer -o $@ $< $(FUZZ_CORE_OBJS) \
	      $(WOLFSSL_LIBS) $(DL_LIBS) -lpthread

fuzz: $(FUZZ_BINS)

# keep the instrumented objects (they are intermediates of a pattern chain)
.SECONDARY: $(FUZZ_CORE_OBJS)

fuzz-seed:
	sh fuzz/seed.sh $(FUZZ_CORPUS)/seed

# One harness: make fuzz-run-req FUZZ_SECONDS=600 (its corpus grows in $(FUZZ_CORPUS)/req)
fuzz-run-%: $(FUZZ_BUILDDIR)/fuzz_% fuzz-seed
	@mkdir -p $(FUZZ_CORPUS)/$* $(FUZZ_CORPUS)/crash-$* $(FUZZ_CORPUS)/seed/$*
	$(FUZZ_BUILDDIR)/fuzz_$* $(FUZZ_OPTS) -dict=fuzz/dict -max_total_time=$(FUZZ_SECONDS) \
	      -artifact_prefix=$(FUZZ_CORPUS)/crash-$*/ $(FUZZ_CORPUS)/$* $(FUZZ_CORPUS)/seed/$*

# Each harness for FUZZ_SECONDS on its own corpus plus the seeds, FUZZ_JOBS at a time; a crash,
# leak, timeout or failed property fails the target (the input is kept in crash-<name>/).
FUZZ_JOBS ?= 2
fuzz-short: $(FUZZ_BINS) fuzz-seed
	@rm -f $(FUZZ_CORPUS)/summary.txt
	@$(MAKE) --no-print-directory -j$(FUZZ_JOBS) $(patsubst %,fuzz-short-%,$(FUZZ_NAMES))
	@echo "== fuzz-short ($(FUZZ_SECONDS) s each):"; cat $(FUZZ_CORPUS)/summary.txt

fuzz-short-%: $(FUZZ_BUILDDIR)/fuzz_%
	@mkdir -p $(FUZZ_CORPUS)/$* $(FUZZ_CORPUS)/crash-$* $(FUZZ_CORPUS)/seed/$*
	@echo "== fuzz_$* for $(FUZZ_SECONDS) s"
	@if $(FUZZ_BUILDDIR)/fuzz_$* $(FUZZ_OPTS) -dict=fuzz/dict -max_total_time=$(FUZZ_SECONDS) \
	      -artifact_prefix=$(FUZZ_CORPUS)/crash-$*/ $(FUZZ_CORPUS)/$* $(FUZZ_CORPUS)/seed/$* \
	      > $(FUZZ_CORPUS)/log-$*.txt 2>&1; then \
	  printf '%-8s %12s execs %8s/s  corpus %s\n' $* \
	    "$$(sed -n 's/^stat::number_of_executed_units: *//p' $(FUZZ_CORPUS)/log-$*.txt)" \
	    "$$(sed -n 's/^stat::average_exec_per_sec: *//p' $(FUZZ_CORPUS)/log-$*.txt)" \
	    "$$(ls $(FUZZ_CORPUS)/$* | wc -l)" >> $(FUZZ_CORPUS)/summary.txt; \
	else grep -v '^#' $(FUZZ_CORPUS)/log-$*.txt | tail -n 40; \
	  echo "fuzz_$* FAILED: input in $(FUZZ_CORPUS)/crash-$*/, log $(FUZZ_CORPUS)/log-$*.txt"; \
	  exit 1; fi

# ---- ASan / UBSan build of the module, the suite inside a plain lua5.4 -------------------------
asan-build:
	$(MAKE) BUILDDIR=$(ASAN_BUILDDIR) OUT=$(ASAN_BUILDDIR)/csr.so CC=$(ASAN_CC) \
	        CFLAGS="-O1 -g $(ASAN_SAN)" LDFLAGS="$(ASAN_SAN)" $(ASAN_BUILDDIR)/csr.so

$(ASAN_UNPRELOAD): test/asan/unpreload.c
	@mkdir -p $(dir $@)
	$(ASAN_CC) -shared -fPIC -O1 -o $@ test/asan/unpreload.c

asan: asan-build $(ASAN_UNPRELOAD)
	$(ASAN_ENV) $(LUA) $(BUSTED_SCRIPT) --cpath="$(abspath $(ASAN_BUILDDIR))/?.so" \
	        $(ASAN_BUSTED_ARGS) $(BUSTED_ARGS) $(SPECS)

# ---- valgrind memcheck over the suite (a plain -O1 build: valgrind and ASan do not mix) -------
valgrind-build:
	$(MAKE) BUILDDIR=$(VG_BUILDDIR) OUT=$(VG_BUILDDIR)/csr.so CFLAGS="-O1 -g" \
	        $(VG_BUILDDIR)/csr.so

# The suite is split over VG_JOBS valgrind processes (spec files dealt round-robin), each
# logging to $(VG_BUILDDIR)/shard-<i>.log; the torture spec's random run is shortened (valgrind
# is ~30-50 times slower). --track-origins=yes: add it to VG_EXTRA when chasing an error.
# --freelist-vol=2000000 (default 20 MB of freed blocks held back): RSS-bound specs stay valid.
# CSR_UNDER_VALGRIND=1 is set for the specs: RSA key generation (0.1-7 s, minutes under
# valgrind) and long churn loops should use fixtures / fewer rounds when they see it.
VG_TORTURE_STEPS ?= 600
VG_JOBS          ?= 2
VG_EXTRA         ?=
VG_SPEC_FILES     = $(if $(filter spec,$(SPECS)),$(sort $(wildcard spec/*_spec.lua)),$(SPECS))
valgrind: valgrind-build
	@rm -f $(VG_BUILDDIR)/shard-*.log $(VG_BUILDDIR)/shard-*.rc; \
	for i in $$(seq 1 $(VG_JOBS)); do \
	  files=$$(echo $(VG_SPEC_FILES) | tr ' ' '\n' | awk -v n=$(VG_JOBS) -v i=$$i 'NR % n == i % n'); \
	  [ -n "$$files" ] || continue; \
	  echo "valgrind shard $$i:" $$files; \
	  ( CSR_UNDER_VALGRIND=1 TORTURE_STEPS=$(VG_TORTURE_STEPS) $(VALGRIND) $(VG_OPTS) $(VG_EXTRA) $(LUA) $(BUSTED_SCRIPT) \
	      --cpath="$(abspath $(VG_BUILDDIR))/?.so" $(VG_BUSTED_ARGS) $(BUSTED_ARGS) $$files \
	      > $(VG_BUILDDIR)/shard-$$i.log 2>&1; echo $$? > $(VG_BUILDDIR)/shard-$$i.rc ) & \
	done; wait; rc=0; \
	for i in $$(seq 1 $(VG_JOBS)); do [ -f $(VG_BUILDDIR)/shard-$$i.rc ] || continue; \
	  echo "---- valgrind shard $$i (exit $$(cat $(VG_BUILDDIR)/shard-$$i.rc); 99 = valgrind" \
	       "found errors or definite leaks, 1 = a spec failed)"; \
	  cat $(VG_BUILDDIR)/shard-$$i.log; \
	  [ "$$(cat $(VG_BUILDDIR)/shard-$$i.rc)" = 0 ] || rc=1; done; exit $$rc

# ---- allocation-failure injection --------------------------------------------------------------
$(FAULT_BUILDDIR)/fault-host: $(FAULT_SRC) $(OBJS:$(BUILDDIR)/%=$(FAULT_BUILDDIR)/%) $(HDRS)
	@mkdir -p $(dir $@)
	$(CC) $(LUA_CFLAGS) $(WOLFSSL_CFLAGS) $(ALL_CPPFLAGS) -O1 -g $(WARN) -Isrc/lua -Isrc/core \
	      -o $@ $(FAULT_SRC) $(OBJS:$(BUILDDIR)/%=$(FAULT_BUILDDIR)/%) $(WOLFSSL_LIBS) \
	      $(FAULT_LUA_LIBS) -lpthread -lm $(DL_LIBS)

FAULT_LUA_LIBS ?= $(shell $(PKG_CONFIG) --libs $(LUA_PKG) 2>/dev/null || echo -l$(LUA_PKG))

$(FAULT_BUILDDIR)/%.o: %.c $(HDRS)
	@mkdir -p $(dir $@)
	$(CC) $(LUA_CFLAGS) $(WOLFSSL_CFLAGS) $(ALL_CPPFLAGS) -O1 -g $(WARN) -c -o $@ $<

fault: $(FAULT_BUILDDIR)/fault-host
	$(FAULT_BUILDDIR)/fault-host $(FAULT_ARGS)
	$(VALGRIND) $(VG_OPTS) $(FAULT_BUILDDIR)/fault-host --quick $(FAULT_ARGS)

# one after the other (the suites share build/core-test and temp files): make check
# The Debian packages `make check` needs beyond `make deps` (installed when run as root)
CHECK_DEB_PKGS = clang libclang-rt-14-dev valgrind
check-deps:
	@$(MAKE) --no-print-directory deps DEB_PKGS="$(DEB_PKGS) $(CHECK_DEB_PKGS)"

# every step runs even when an earlier one failed; the verdicts are summed up at the end
CHECK_STEPS ?= asan valgrind fault fuzz-short
check: check-deps
	@fail=""; for t in $(CHECK_STEPS); do echo "==== make $$t"; \
	  $(MAKE) --no-print-directory $$t || fail="$$fail $$t"; done; \
	if [ -n "$$fail" ]; then echo "==== make check FAILED:$$fail"; exit 1; fi; \
	echo "==== make check: $(CHECK_STEPS) passed"

.PHONY: check-deps fuzz fuzz-seed fuzz-short asan asan-build valgrind valgrind-build fault check
