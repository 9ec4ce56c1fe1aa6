-- RSA-PSS keys (id-RSASSA-PSS) in JOSE: jws_alg answers PS256/PS384/PS512 by the key's hash,
-- jws signs RSASSA-PSS as RFC 7518 3.5 says (MGF1 with the hash, salt = the hash length) and
-- never PKCS#1 v1.5; a key whose restrictions no PS* meets is refused UNSUPPORTED; to_jwk
-- states the restriction as alg; the thumbprint stays RFC 7638 (kty, e, n). Our signatures are
-- judged by `openssl dgst` and Python cryptography.
-- Fixtures (spec/fixtures/make-key-fixtures.sh): rsapss.pem (no restrictions), rsapss-sha256
-- (salt >= 32), rsapss-sha384-salt20 (MGF1-SHA-384, salt >= 20), rsapss-sha512 (salt >= 64):
-- PS256/PS384/PS512; rsapss-sha384 (MGF1-SHA-512) and rsapss-sha256-salt40: no PS* fits.
local csr = require "csr"
local helpers = require "helpers"
local u = csr.util
local E = csr.errors

local function fx(name)
  return helpers.fixture("keys/" .. name)
end

local function key(name)
  return assert(csr.key.parse(fx(name)))
end

local function jws_parts(text)
  local h, p, s = text:match('^{"protected":"([^"]*)","payload":"([^"]*)","signature":"([^"]*)"}$')
  assert(h, "not a flattened JWS: " .. text)
  return h, p, s
end

local q = helpers.shellquote
local have_openssl = helpers.run("openssl version")

-- the plain-RSA twin of a key: same n and e (and private parts), algorithm rsaEncryption
local function twin(k, priv)
  return assert(csr.key.from_jwk((assert(k:to_jwk{private = priv}))))
end

local FITS = {
  {"rsapss.pem", "PS256", "sha256", 32},
  {"rsapss-pub.pem", "PS256", "sha256", 32},
  {"rsapss-sha256.pem", "PS256", "sha256", 32},
  {"rsapss-sha256-pub.pem", "PS256", "sha256", 32},
  {"rsapss-sha384-salt20.pem", "PS384", "sha384", 48},
  {"rsapss-sha512.pem", "PS512", "sha512", 64},
}
local MISFITS = {
  {"rsapss-sha384.pem", "MGF1 with sha512 only, PS384 uses MGF1 with sha384"},
  {"rsapss-sha384-pub.pem", "MGF1 with sha512 only, PS384 uses MGF1 with sha384"},
  {"rsapss-sha256-salt40.pem", "salt of at least 40 bytes, PS256 uses 32"},
}

describe("JOSE with RSA-PSS keys", function()
  it("jws_alg answers the PS* of the key's hash", function()
    for _, c in ipairs(FITS) do
      assert.equal(c[2], key(c[1]):jws_alg(), c[1])
    end
    assert.equal("RS256", key("rsa2048.pem"):jws_alg())
  end)

  it("jws_alg, jws and to_jwk refuse a key no PS* fits, saying why", function()
    for _, c in ipairs(MISFITS) do
      local k = key(c[1])
      local function unsupported(what, v, err, code)
        assert.is_nil(v, c[1])
        assert.equal(E.UNSUPPORTED, code, c[1])
        assert.matches("csr.key:" .. what .. ": the RSASSA-PSS key ", err, 1, true)
        assert.matches(c[2], err, 1, true)
      end
      unsupported("jws_alg", k:jws_alg())
      unsupported("to_jwk", k:to_jwk())
      if k:is_private() then unsupported("jws", k:jws('{"alg":"PS384"}', "x")) end
    end
  end)

  it("a key restricted to SHA-1 or SHA-224 has no PS*", function()
    if not have_openssl then pending("openssl not available") return end
    for _, md in ipairs({"sha1", "sha224"}) do
      local out = helpers.tmpname(".pem")
      local ok, msg = helpers.run("openssl genpkey -algorithm RSA-PSS -pkeyopt " ..
                                  "rsa_keygen_bits:2048 -pkeyopt rsa_pss_keygen_md:" .. md ..
                                  " -out " .. q(out))
      assert(ok, msg)
      local k = assert(csr.key.parse(helpers.readfile(out)))
      os.remove(out)
      assert(k:sign("x"))                          -- a usable key, only not for JWS
      local alg, err, code = k:jws_alg()
      assert.is_nil(alg, md)
      assert.equal(E.UNSUPPORTED, code, md)
      assert.matches("allows " .. md .. " only, JWS has PS256, PS384 and PS512", err, 1, true)
      assert.is_nil(k:to_jwk())
      assert.is_nil(k:jws('{"alg":"PS256"}', "x"))
      assert.equal(43, #k:thumbprint())
    end
  end)

  it("jws signs RSASSA-PSS with the hash, MGF1 with it and salt = its length", function()
    for _, c in ipairs(FITS) do
      local k = key(c[1])
      if k:is_private() then
        local h, p, s = jws_parts(assert(k:jws('{"alg":"' .. c[2] .. '"}', "payload")))
        local sig, input = u.base64url_decode(s), h .. "." .. p
        local pub = k:public()
        assert.is_true(pub:verify(input, sig, {padding = "pss", digest = c[3],
                                               salt_len = c[4]}), c[1])
        -- not PKCS#1 v1.5, not another salt length (the plain twin has no restrictions)
        local ok, _, code = twin(k):verify(input, sig, {digest = c[3]})
        assert.is_false(ok, c[1]); assert.equal(E.BAD_SIGNATURE, code)
        ok = twin(k):verify(input, sig, {padding = "pss", digest = c[3], salt_len = c[4] - 1})
        assert.is_false(ok, c[1])
      end
    end
  end)

  it("to_jwk is kty RSA with alg = the PS*; the thumbprint covers kty, e and n only", function()
    for _, c in ipairs(FITS) do
      local k = key(c[1])
      local t = assert(k:to_jwk())
      assert.same({"alg", "e", "kty", "n"}, (function()
        local names = {}
        for name in pairs(t) do names[#names + 1] = name end
        table.sort(names)
        return names
      end)(), c[1])
      assert.equal("RSA", t.kty)
      assert.equal(c[2], t.alg, c[1])
      local want = u.base64url_encode(u.digest("sha256", '{"e":"' .. t.e ..
                                                '","kty":"RSA","n":"' .. t.n .. '"}'))
      assert.equal(want, k:thumbprint(), c[1])
      assert.equal(twin(k):thumbprint(), k:thumbprint(), c[1])
      if k:is_private() then
        local tp = assert(k:to_jwk{private = true})
        assert.equal(c[2], tp.alg, c[1])
        assert.truthy(tp.d and tp.qi, c[1])
      end
    end
  end)

  it("the thumbprint of a key no PS* fits is still RFC 7638's", function()
    if not have_openssl then pending("openssl not available") return end
    for _, c in ipairs(MISFITS) do
      -- the same n and e as PKCS#1 RSAPublicKey, which openssl writes without the PSS params
      local pem = helpers.tmpfile(fx(c[1]), ".pem")
      local out = helpers.tmpname(".pem")
      local pubin = c[1]:match("%-pub%.pem$") and " -pubin" or ""
      local ok, msg = helpers.run("{ openssl pkey" .. pubin .. " -in " .. q(pem) .. " -pubout" ..
                                  " | openssl rsa -pubin -RSAPublicKey_out -out " .. q(out) ..
                                  "; } 2>&1")
      assert(ok, msg)
      -- (openssl labels it "RSA-PSS PUBLIC KEY"; the DER inside is PKCS#1's)
      local plain = assert(csr.key.parse((helpers.readfile(out):gsub("RSA%-PSS PUBLIC KEY",
                                                                     "RSA PUBLIC KEY"))))
      assert.equal("RS256", plain:jws_alg())
      assert.equal(plain:thumbprint(), key(c[1]):thumbprint(), c[1])
      os.remove(pem); os.remove(out)
    end
  end)
end)

describe("PS256/PS384/PS512 JWS judged by peers #openssl", function()
  local signed = {}      -- {pem of the plain twin, signing input, signature, digest, salt}
  setup(function()
    for _, c in ipairs(FITS) do
      local k = key(c[1])
      if k:is_private() then
        local h, p, s = jws_parts(assert(k:jws('{"alg":"' .. c[2] .. '","nonce":"n"}',
                                               '{"x":1}')))
        signed[#signed + 1] = {name = c[1], spki = k:to_pem{public = true},
                               twin = twin(k):to_pem{public = true}, input = h .. "." .. p,
                               sig = u.base64url_decode(s), md = c[3], salt = c[4]}
      end
    end
  end)

  it("openssl dgst verifies with exactly that salt length and MGF1 hash", function()
    if not have_openssl then pending("openssl not available") return end
    assert.is_true(#signed >= 4)
    for _, c in ipairs(signed) do
      local pem = helpers.tmpfile(c.spki, ".pem")      -- the RSA-PSS SPKI: openssl checks it
      local data = helpers.tmpfile(c.input, ".txt")
      local sig = helpers.tmpfile(c.sig, ".bin")
      local cmd = "openssl dgst -" .. c.md .. " -sigopt rsa_padding_mode:pss -sigopt " ..
                  "rsa_pss_saltlen:" .. c.salt .. " -sigopt rsa_mgf1_md:" .. c.md ..
                  " -verify " .. q(pem) .. " -signature " .. q(sig) .. " " .. q(data)
      local ok, out = helpers.run(cmd)
      assert.is_true(ok, c.name .. ": " .. out)
      assert.matches("Verified OK", out)
      helpers.writefile(data, c.input .. "x")          -- the check can fail
      ok, out = helpers.run(cmd)
      assert.is_false(ok, c.name .. ": " .. out)
      os.remove(pem); os.remove(data); os.remove(sig)
    end
  end)

  it("Python cryptography verifies PSS(MGF1(hash), salt_length = hash length)", function()
    local py, why = helpers.pyca()
    if not py then pending(why) return end
    local script = helpers.tmpfile([[
import sys
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding
H = {"sha256": hashes.SHA256, "sha384": hashes.SHA384, "sha512": hashes.SHA512}
def check(pem, data, sig, md, salt):
    key = serialization.load_pem_public_key(open(pem, "rb").read())
    pad = padding.PSS(mgf=padding.MGF1(H[md]()), salt_length=int(salt))
    try:
        key.verify(open(sig, "rb").read(), open(data, "rb").read(), pad, H[md]())
        return "good"
    except Exception:
        return "bad"
a = sys.argv[1:]
print(" ".join(check(*a[i:i + 5]) for i in range(0, len(a), 5)))
]], ".py")
    local args, want, files = {}, {}, {script}
    for _, c in ipairs(signed) do
      local pem = helpers.tmpfile(c.twin, ".pem")     -- older cryptography cannot read PSS SPKIs
      local data = helpers.tmpfile(c.input, ".txt")
      local other = helpers.tmpfile(c.input .. "x", ".txt")
      local sig = helpers.tmpfile(c.sig, ".bin")
      for _, f in ipairs({pem, data, other, sig}) do files[#files + 1] = f end
      args[#args + 1] = table.concat({pem, data, sig, c.md, c.salt}, " ")
      args[#args + 1] = table.concat({pem, other, sig, c.md, c.salt}, " ")
      args[#args + 1] = table.concat({pem, data, sig, c.md, c.salt + 1}, " ")
      want[#want + 1] = "good bad bad"
    end
    local ok, out = helpers.run(py .. " " .. script .. " " .. table.concat(args, " "))
    assert.is_true(ok, out)
    assert.equal(table.concat(want, " "), (out:gsub("%s+$", "")))
    for _, f in ipairs(files) do os.remove(f) end
  end)
end)
