# Portability targets (included by the Makefile).
#   make test-all       the whole spec suite under lua5.4, lua5.3, lua5.1 and luajit, each built
#                       into its own build/<lua>/csr.so; ends with one "N passed, N failed,
#                       N pending" line
#                       and fails if any run failed (all four run even after a failure)
#   make deps-all       install (as root) or list the Debian packages test-all needs
#   make test-threads   spec/threads_spec.lua: 8 pthreads, one lua_State each (+ helgrind)
#   make test-fork      spec/fork_spec.lua: keys and ECDSA signatures after fork() all distinct
#   make test-nginx     spec/nginx_spec.lua: Debian nginx + lua module, 2 workers
#   make test-rocks     spec/luarocks_spec.lua + spec/rockspec_spec.lua
#   make print-srcs     the C sources the build compiles (spec/rockspec_spec.lua compares)
#   make rockspec-sources  rewrite csr-scm-1.rockspec's source list from the Makefile's
# MATRIX entries are <interpreter>:<LUA_VERSION>.

MATRIX ?= lua5.4:5.4 lua5.3:5.3 lua5.1:5.1 luajit:5.1
MATRIX_DIR ?= build

# One leg: make test for one interpreter, output kept in $(MATRIX_DIR)/<lua>/test.log
define lcsr_leg
lua=$${leg%%:*}; ver=$${leg##*:}; d=$(MATRIX_DIR)/$$lua; mkdir -p $$d; \
echo "==== make test LUA=$$lua LUA_VERSION=$$ver BUILDDIR=$$d OUT=$$d/csr.so ===="; \
$(MAKE) --no-print-directory test LUA=$$lua LUA_VERSION=$$ver BUILDDIR=$$d \
  OUT=$$d/csr.so BUSTED_ARGS="$(BUSTED_ARGS)" 2>&1 | tee $$d/test.log; \
rc=$${PIPESTATUS[0]}
endef

# Debian packages for the whole matrix on top of `make deps` (Lua 5.4)
MATRIX_PKGS = lua5.3 liblua5.3-dev lua5.1 liblua5.1-0-dev luajit2 libluajit2-5.1-dev nginx \
              libnginx-mod-http-lua lua-resty-core lua-dkjson valgrind curl \
              pebble lua-sec lua-socket lua-cjson
deps-all:
	@$(MAKE) --no-print-directory deps DEB_PKGS="$(DEB_PKGS) $(MATRIX_PKGS)"

# each leg's busted summary, summed by mk/busted-summary.sh into one "N passed, N failed,
# N pending" line (also in $(MATRIX_DIR)/test-all.summary)
test-all: SHELL := /bin/bash
test-all: deps-all
	@set -u; bad=""; logs=""; \
	for leg in $(MATRIX); do \
	  $(lcsr_leg); \
	  logs="$$logs $$d/test.log"; \
	  if [ "$$rc" != 0 ]; then bad="$$bad $$lua"; fi; \
	done; \
	echo "==== test-all over: $(foreach l,$(MATRIX),$(firstword $(subst :, ,$(l))))"; \
	if [ -n "$$bad" ]; then echo "FAILED under:$$bad"; fi; \
	summary=$$(sh mk/busted-summary.sh $$logs | tail -n 1); \
	echo "$$summary" > $(MATRIX_DIR)/test-all.summary; echo "$$summary"; \
	[ -z "$$bad" ]

test-threads test-fork test-nginx: $(OUT)
	$(BUSTED) --lua=$(LUA) --cpath="$(dir $(abspath $(OUT)))?.so" $(BUSTED_ARGS) \
	  spec/$(patsubst test-%,%,$@)_spec.lua

test-rocks: $(OUT)
	$(BUSTED) --lua=$(LUA) --cpath="$(dir $(abspath $(OUT)))?.so" $(BUSTED_ARGS) \
	  spec/rockspec_spec.lua spec/luarocks_spec.lua

print-srcs:
	@echo $(SRCS)

# Rewrites the source list of csr-scm-1.rockspec from $(SRCS) (after adding/removing a .c file)
ROCKSPEC = csr-scm-1.rockspec
rockspec-sources:
	@{ sed -n '1,/^            sources = {$$/p' $(ROCKSPEC); \
	  for s in $(SRCS); do echo "                \"$$s\","; done; \
	  sed -n '/^            sources = {$$/,$$p' $(ROCKSPEC) | sed -n '/^            },$$/,$$p'; \
	} > $(ROCKSPEC).new && mv $(ROCKSPEC).new $(ROCKSPEC)

.PHONY: deps-all test-all test-threads test-fork test-nginx test-rocks print-srcs rockspec-sources
