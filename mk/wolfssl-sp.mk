# The fast build: wolfSSL with SP maths (single-precision, x86-64/aarch64 assembly), built from
# Debian's source package or a release tarball into build/wolfssl-sp/ (included by the Makefile).
#   make wolfssl-sp                      apt-get source wolfssl (adds a deb-src line when root)
#   make wolfssl-sp WOLFSSL_SRC=x.tar.gz from a wolfSSL release tarball instead
#   make WOLFSSL=sp / make test WOLFSSL=sp / make bench WOLFSSL=sp   use it (rpath, no install)
# Configure line: every feature the module calls (src/core/wolf.h checks them at build time),
# plus SP for RSA 2048/3072/4096 and P-256/P-384, the x86-64 assembly and Intel's curve25519/
# ed25519 speed-ups. USE_ECC_B_PARAM provides wc_ecc_point_is_on_curve; WOLFSSL_PUBLIC_MP exports
# the sp_* big-number functions the RSA key checks use (policy_key.c).

SP_DIR      := build/wolfssl-sp
SP_PREFIX   := $(abspath $(SP_DIR))/install
SP_ASM      := $(if $(filter x86_64,$(shell uname -m)),--enable-intelasm)
SP_CONFIGURE = --prefix=$(SP_PREFIX) --enable-shared --disable-static \
  --enable-sp=yes,4096 --enable-sp-asm $(SP_ASM) --enable-sp-math-all \
  --enable-keygen --enable-certreq --enable-certgen --enable-certext --enable-ecc \
  --enable-compkey --enable-ed25519 --enable-ed448 --enable-curve25519 --enable-curve448 \
  --enable-rsapss --enable-aescbc --enable-sha384 --enable-sha512 --enable-sha3 --enable-shake256 \
  --enable-pwdbased --enable-pkcs8 --enable-des3 --enable-harden \
  --disable-examples --disable-crypttests --disable-benchmark --disable-oldtls \
  CPPFLAGS="-DWOLFSSL_ALT_NAMES -DUSE_ECC_B_PARAM -DWOLFSSL_PUBLIC_MP -DHAVE___UINT128_T=1" \
  $(SP_LDFLAGS)
# -Bsymbolic-functions: the library's calls to its own functions bind at link time, not as ~770
# symbol bindings in every process that loads it (Lua opens C modules with RTLD_NOW)
ifneq ($(shell uname -s),Darwin)
SP_LDFLAGS  := LDFLAGS="-Wl,-Bsymbolic-functions"
endif
SP_DEBSRC   := /etc/apt/sources.list.d/lua-csr-deb-src
SP_PKGS     := dpkg-dev autoconf automake libtool

$(SP_DIR)/src/configure.ac:
	@$(MAKE) --no-print-directory deps DEB_PKGS="$(SP_PKGS)"
	@mkdir -p $(SP_DIR)
	@if [ -n "$(WOLFSSL_SRC)" ]; then \
	  rm -rf $(SP_DIR)/src && mkdir -p $(SP_DIR)/src && \
	  tar -xzf "$(WOLFSSL_SRC)" -C $(SP_DIR)/src --strip-components=1; \
	else \
	  if ! apt-get source --print-uris wolfssl >/dev/null 2>&1; then \
	    if [ "$$(id -u)" != 0 ]; then \
	      echo "apt-get source needs a deb-src line; run as root or pass WOLFSSL_SRC=tarball"; \
	      exit 1; fi; \
	    if [ -f /etc/apt/sources.list.d/debian.sources ]; then \
	      sed -e 's/^Types: deb$$/Types: deb-src/' -e '/^#/d' \
	        /etc/apt/sources.list.d/debian.sources > $(SP_DEBSRC).sources; \
	    else sed -n 's/^deb /deb-src /p' /etc/apt/sources.list > $(SP_DEBSRC).list; fi; \
	    apt-get update -qq; \
	  fi; \
	  rm -rf $(SP_DIR)/deb && mkdir -p $(SP_DIR)/deb && \
	  (cd $(SP_DIR)/deb && apt-get source -qq --download-only wolfssl && \
	   dpkg-source -x *.dsc src >/dev/null) && \
	  rm -rf $(SP_DIR)/src && mv $(SP_DIR)/deb/src $(SP_DIR)/src; \
	fi
	@test -f $@

# rebuilt when the configure line changes
$(SP_DIR)/configure.args: FORCE
	@mkdir -p $(SP_DIR)
	@if [ "$$(cat $@ 2>/dev/null)" != '$(SP_CONFIGURE)' ]; then echo '$(SP_CONFIGURE)' > $@; fi

$(SP_PREFIX)/lib/libwolfssl.so: $(SP_DIR)/src/configure.ac $(SP_DIR)/configure.args
	cd $(SP_DIR)/src && { test -x configure || ./autogen.sh; } && \
	  ./configure -q $(SP_CONFIGURE) && \
	  $(MAKE) && $(MAKE) install >/dev/null
	@ls -l $@

wolfssl-sp: $(SP_PREFIX)/lib/libwolfssl.so

.PHONY: wolfssl-sp

# make WOLFSSL=sp builds the library first when it is not there (the objects depend on its options)
$(SP_PREFIX)/include/wolfssl/options.h: $(SP_PREFIX)/lib/libwolfssl.so
	@test -f $@
