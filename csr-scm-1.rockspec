-- LuaRocks build of lua-csr from a checkout:  luarocks make csr-scm-1.rockspec
-- Debian/Ubuntu:  luarocks --lua-version 5.4 make WOLFSSL_INCDIR=/usr/include \
--                   WOLFSSL_LIBDIR=/usr/lib/x86_64-linux-gnu
-- Custom wolfSSL: luarocks make WOLFSSL_DIR=/opt/wolfssl
-- The source list must equal the Makefile's (csr.c, src/core/*.c, src/lua/*.c):
-- spec/rockspec_spec.lua checks it against the files on disk.
rockspec_format = "3.0"
package = "csr"
version = "scm-1"
source = {
    url = "git+https://github.com/lua-csr/lua-csr.git",
}
description = {
    summary = "PKCS#10 keys and certificate signing requests for Lua, via wolfSSL",
    detailed = [[
Generate RSA, EC (P-256/384/521), Ed25519 and Ed448 keys; build, sign, parse and verify
PKCS#10 certificate signing requests (RFC 2986) with strict DER. Lua 5.1-5.4 and LuaJIT
(OpenResty, nginx's Lua module); fork- and thread-safe.
]],
    homepage = "https://github.com/lua-csr/lua-csr",
    license = "MIT",
}
dependencies = {
    "lua >= 5.1",
}
external_dependencies = {
    WOLFSSL = {
        header = "wolfssl/wolfcrypt/asn_public.h",
        library = "wolfssl",
    },
    IDN2 = {                        -- the header only: libidn2 is opened (dlopen) on demand
        header = "idn2.h",
    },
}
build = {
    type = "builtin",
    modules = {
        csr = {
            sources = {
                "csr.c",
                "src/core/bytes.c",
                "src/core/cert_build.c",
                "src/core/cert_parse.c",
                "src/core/cert_text.c",
                "src/core/der.c",
                "src/core/der_read.c",
                "src/core/der_time.c",
                "src/core/ext.c",
                "src/core/ext_dec.c",
                "src/core/ext_enc.c",
                "src/core/jwk.c",
                "src/core/jws.c",
                "src/core/key.c",
                "src/core/key_ec.c",
                "src/core/key_export.c",
                "src/core/key_io.c",
                "src/core/key_parse.c",
                "src/core/key_pss.c",
                "src/core/key_sign.c",
                "src/core/oid.c",
                "src/core/pbes2.c",
                "src/core/pem.c",
                "src/core/policy.c",
                "src/core/policy_key.c",
                "src/core/policy_name.c",
                "src/core/req.c",
                "src/core/req_attr.c",
                "src/core/req_build.c",
                "src/core/req_parse.c",
                "src/core/req_verify.c",
                "src/core/rng.c",
                "src/core/sigalg.c",
                "src/core/subject.c",
                "src/core/subject_der.c",
                "src/core/subject_text.c",
                "src/core/text.c",
                "src/core/text_ext.c",
                "src/core/text_util.c",
                "src/core/util.c",
                "src/lua/cert.c",
                "src/lua/certissue.c",
                "src/lua/class.c",
                "src/lua/jose.c",
                "src/lua/key.c",
                "src/lua/policy.c",
                "src/lua/reqopts.c",
                "src/lua/request.c",
                "src/lua/subject.c",
            },
            defines = {
                "HAVE___UINT128_T=1",
                "_POSIX_C_SOURCE=200809L",
            },
            incdirs = { "$(WOLFSSL_INCDIR)", "$(IDN2_INCDIR)" },
            libdirs = { "$(WOLFSSL_LIBDIR)" },
            libraries = { "wolfssl", "dl", "pthread" },
        },
    },
    install = {
        bin = { csr = "examples/csr" },
        lua = { csr_commands = "examples/csr_commands.lua" },   -- what the csr command loads on demand
    },
}
