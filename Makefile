# lua-csr - PKCS#10 keys and CSRs for Lua, via wolfSSL.  GNU make (3.81+).
#   make                      build ./csr.so for $(LUA_VERSION) (default 5.4)
#   make demo                 build, then run examples/quickstart.lua
#   make test                 build, then run every busted spec under $(LUA)
#   make install [DESTDIR=]   copy csr.so into $(INST_LIBDIR), the csr command into $(INST_BINDIR)
#                             and its csr_commands.lua into $(INST_LUADIR)
#   make deps                 install the Debian packages the build and tests need (as root)
#   make wolfssl-sp           build the fast wolfSSL (SP maths) into build/wolfssl-sp/ (mk/wolfssl-sp.mk)
#   make WOLFSSL=sp           link csr.so against it (rpath); also make test/bench WOLFSSL=sp
# Override anything:  make LUA_VERSION=5.1    make WOLFSSL_DIR=/opt/wolfssl
# LuaJIT/OpenResty:   make LUA=luajit LUA_VERSION=5.1 LUA_INCDIR=/usr/include/luajit-2.1
# Out-of-tree build:  make BUILDDIR=/tmp/b OUT=/tmp/b/csr.so
# (No trailing comments on variable lines: make keeps the spaces before '#'.)

LUA_VERSION ?= 5.4
LUA         ?= lua$(LUA_VERSION)
PREFIX      ?= /usr/local
INST_LIBDIR ?= $(PREFIX)/lib/lua/$(LUA_VERSION)
INST_BINDIR ?= $(PREFIX)/bin
INST_LUADIR ?= $(PREFIX)/share/lua/$(LUA_VERSION)
PKG_CONFIG  ?= pkg-config
BUSTED      ?= busted
# WOLFSSL=sp: the SP build from `make wolfssl-sp`, objects kept apart from the default build's
ifeq ($(WOLFSSL),sp)
WOLFSSL_DIR ?= $(abspath build/wolfssl-sp/install)
BUILDDIR    ?= build/sp-$(notdir $(LUA))
endif
BUILDDIR    ?= build/$(notdir $(LUA))
OUT         ?= csr.so

ifeq ($(LUA),luajit)
LUA_PKG ?= luajit
else
LUA_PKG ?= lua$(LUA_VERSION)
endif

# Explicit LUA_INCDIR / WOLFSSL_DIR / WOLFSSL_INCDIR win; else pkg-config; else $(PREFIX).
ifeq ($(origin LUA_INCDIR),undefined)
LUA_PC_CFLAGS := $(shell $(PKG_CONFIG) --cflags $(LUA_PKG) 2>/dev/null)
endif
ifeq ($(origin WOLFSSL_DIR)$(origin WOLFSSL_INCDIR),undefinedundefined)
WOLFSSL_PC_CFLAGS := $(shell $(PKG_CONFIG) --cflags wolfssl 2>/dev/null)
WOLFSSL_PC_LIBS   := $(shell $(PKG_CONFIG) --libs wolfssl 2>/dev/null)
endif
LUA_INCDIR     ?= $(PREFIX)/include
LUA_CFLAGS     ?= $(if $(LUA_PC_CFLAGS),$(LUA_PC_CFLAGS),-I$(LUA_INCDIR))
WOLFSSL_DIR    ?= $(PREFIX)
WOLFSSL_INCDIR ?= $(WOLFSSL_DIR)/include
WOLFSSL_LIBDIR ?= $(WOLFSSL_DIR)/lib
WOLFSSL_CFLAGS ?= $(if $(WOLFSSL_PC_CFLAGS),$(WOLFSSL_PC_CFLAGS),-I$(WOLFSSL_INCDIR))
WOLFSSL_LIBS   ?= $(if $(WOLFSSL_PC_LIBS),$(WOLFSSL_PC_LIBS),-L$(WOLFSSL_LIBDIR) -Wl,-rpath,$(WOLFSSL_LIBDIR) -lwolfssl)
# libidn2 checks IDNA A-labels in the policy checks (req:check): its header at build time; the
# library is opened (dlopen) when the first xn-- label is checked, so nothing links it
IDN2_CFLAGS    ?= $(shell $(PKG_CONFIG) --cflags libidn2 2>/dev/null)

# wolfSSL 5.5.4's options.h omits HAVE___UINT128_T although the library is built with it
# (found by testing; README "Building"): without it the module can see other key-struct sizes than the library.
ARCH_CPPFLAGS := $(if $(filter x86_64 aarch64,$(shell uname -m)),-DHAVE___UINT128_T=1)

CFLAGS ?= -O2 -g
WARN    = -std=c99 -Wall -Wextra -pedantic -Wshadow -Wstrict-prototypes -Wmissing-prototypes \
          -Wcast-qual -Wwrite-strings -Wpointer-arith -Wformat=2 -Wundef
ifeq ($(shell uname -s),Darwin)
LIBFLAG ?= -bundle -undefined dynamic_lookup
DL_LIBS ?=
else
LIBFLAG ?= -shared
# dlopen (libidn2); glibc before 2.34 keeps it in libdl
DL_LIBS ?= -ldl
endif

CORE_SRCS = $(sort $(wildcard src/core/*.c))
LUA_SRCS  = $(sort $(wildcard src/lua/*.c))
SRCS = csr.c $(CORE_SRCS) $(LUA_SRCS)
OBJS = $(patsubst %.c,$(BUILDDIR)/%.o,$(SRCS))
HDRS = $(wildcard src/core/*.h src/lua/*.h)
ifeq ($(WOLFSSL),sp)
# a rebuilt SP wolfSSL can change its options: recompile against them
HDRS += $(WOLFSSL_DIR)/include/wolfssl/options.h
endif
ALL_CPPFLAGS = $(ARCH_CPPFLAGS) -D_POSIX_C_SOURCE=200809L $(CPPFLAGS)

all: $(OUT)

# Which wolfSSL the objects were built for: they are recompiled (its headers differ) and
# $(OUT) relinked when that changes
WOLFSSL_STAMP = $(OUT).wolfssl
WOLFSSL_ID    = $(WOLFSSL_CFLAGS) $(WOLFSSL_LIBS) $(BUILDDIR)
$(WOLFSSL_STAMP): FORCE
	@mkdir -p $(dir $@)
	@if [ "$$(cat $@ 2>/dev/null)" != "$(WOLFSSL_ID)" ]; then echo "$(WOLFSSL_ID)" > $@; fi

$(OUT): $(OBJS) $(WOLFSSL_STAMP)
	$(CC) $(LIBFLAG) $(LDFLAGS) -o $@ $(OBJS) $(WOLFSSL_LIBS) $(DL_LIBS) -lpthread

$(BUILDDIR)/%.o: %.c $(HDRS) $(WOLFSSL_STAMP)
	@mkdir -p $(dir $@)
	$(CC) $(LUA_CFLAGS) $(WOLFSSL_CFLAGS) $(IDN2_CFLAGS) $(ALL_CPPFLAGS) $(CFLAGS) $(WARN) \
	      -fPIC -fvisibility=hidden -c -o $@ $<

# The C core alone as a static archive (fuzzers, benchmarks, C hosts link it)
CORE_OBJS = $(patsubst %.c,$(BUILDDIR)/%.o,$(CORE_SRCS))
$(BUILDDIR)/libcsrcore.a: $(CORE_OBJS)
	$(AR) rcs $@ $(CORE_OBJS)
core: $(BUILDDIR)/libcsrcore.a

# C unit tests of the core plumbing (run by spec/core_spec.lua)
$(BUILDDIR)/core_test: spec/c/core_test.c $(BUILDDIR)/libcsrcore.a $(HDRS)
	$(CC) $(WOLFSSL_CFLAGS) $(ALL_CPPFLAGS) $(CFLAGS) $(WARN) -o $@ $< \
	      $(BUILDDIR)/libcsrcore.a $(WOLFSSL_LIBS) $(DL_LIBS) -lpthread
core-test: $(BUILDDIR)/core_test
	$(BUILDDIR)/core_test

DEB_PKGS = gcc make pkg-config libwolfssl-dev libidn2-dev liblua5.4-dev lua5.4 lua-busted luarocks \
           openssl python3-cryptography
deps:
	@missing=""; for p in $(DEB_PKGS); do \
	  dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -z "$$missing" ]; then exit 0; fi; \
	if [ "$$(id -u)" = 0 ]; then \
	  echo "installing:$$missing"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing; \
	else echo "missing packages; run:  sudo apt-get install -y$$missing"; exit 1; fi

demo: deps
	$(MAKE) $(OUT)
	$(LUA) examples/quickstart.lua example.com

# --lua makes busted run under the interpreter the module was built for; the last line is
# "N passed, N failed, N pending" (mk/busted-summary.sh; errors count as failed)
test: SHELL := /bin/bash
test: deps
	$(MAKE) $(OUT)
	@mkdir -p $(BUILDDIR)
	CSR_WOLFSSL_CFLAGS="$(WOLFSSL_CFLAGS) $(ARCH_CPPFLAGS)" CSR_WOLFSSL_LIBS="$(WOLFSSL_LIBS)" \
	$(BUSTED) --lua=$(LUA) --cpath="$(dir $(abspath $(OUT)))?.so" $(BUSTED_ARGS) spec 2>&1 | \
	  tee $(BUILDDIR)/busted.log; rc=$${PIPESTATUS[0]}; \
	  sh mk/busted-summary.sh $(BUILDDIR)/busted.log || rc=1; exit $$rc

# make bench: lua-csr, core-c (the same cases in C over libcsrcore.a, plus raw wolfCrypt for the
# public-key operation) and luaossl, interleaved in BENCH_ROUNDS rounds of BENCH_SECONDS (CPU
# time) per case and implementation; inputs (keys, pools of CSRs from distinct keys) are made
# once into $(BUILDDIR)/bench-data. bench/bench.lua says what each case does.
BENCH_SECONDS ?= 0.1
BENCH_ROUNDS  ?= 7
BENCH_SRCS = bench/core.c bench/core_raw.c bench/core_mem.c
$(BUILDDIR)/bench_core: $(BENCH_SRCS) bench/core.h $(BUILDDIR)/libcsrcore.a $(HDRS)
	$(CC) $(WOLFSSL_CFLAGS) $(ALL_CPPFLAGS) $(CFLAGS) $(WARN) -o $@ $(BENCH_SRCS) \
	      $(BUILDDIR)/libcsrcore.a $(WOLFSSL_LIBS) -lpthread
bench: $(OUT) $(BUILDDIR)/bench_core
	@mkdir -p $(BUILDDIR)/bench-data
	LUA=$(LUA) $(LUA) bench/bench.lua $(abspath $(BUILDDIR)/bench_core) \
	      $(abspath $(BUILDDIR)/bench-data) "$(dir $(abspath $(OUT)))?.so" $(BENCH_SECONDS) \
	      $(BENCH_ROUNDS)

install: $(OUT)
	mkdir -p $(DESTDIR)$(INST_LIBDIR) $(DESTDIR)$(INST_BINDIR) $(DESTDIR)$(INST_LUADIR)
	cp $(OUT) $(DESTDIR)$(INST_LIBDIR)/csr.so
	install -m 0755 examples/csr $(DESTDIR)$(INST_BINDIR)/csr
	install -m 0644 examples/csr_commands.lua $(DESTDIR)$(INST_LUADIR)/csr_commands.lua

uninstall:
	rm -f $(DESTDIR)$(INST_LIBDIR)/csr.so $(DESTDIR)$(INST_BINDIR)/csr \
	      $(DESTDIR)$(INST_LUADIR)/csr_commands.lua

clean:
	@# keeps build/wolfssl-sp (minutes to rebuild): rm -rf build/wolfssl-sp for that
	if [ -d build ]; then find build -mindepth 1 -maxdepth 1 ! -name wolfssl-sp -exec rm -rf {} +; fi
	rm -f csr.so csr.so.wolfssl

.PHONY: all core core-test bench deps demo test install uninstall clean FORCE
FORCE:

# Further targets (portability matrix, check/fuzz) live in mk/*.mk
-include $(wildcard mk/*.mk)
