-- csr.key against the openssl CLI (3.0) as the judge: keys both ways, fingerprints,
-- encrypted PKCS#8 both ways, signatures both ways.
local csr = require "csr"
local H = require "spec.helpers"

local E = csr.errors
local q = H.shellquote

local function fx(name) return H.fixture("keys/" .. name) end
local function fxpath(name) return H.root .. "/spec/fixtures/keys/" .. name end

local function openssl(args)
  return H.run("openssl " .. args)
end

local function sha256_of_spki(path, extra)
  local ok, out = H.run("openssl pkey " .. (extra or "") .. " -in " .. q(path) ..
                        " -pubout -outform DER | sha256sum")
  assert(ok, out)
  return out:match("^(%x+)")
end

-- A verification that must fail: false, the verify prefix, BAD_SIGNATURE.
local function bad_sig(ok, msg, code)
  assert.is_false(ok)
  assert.equal("csr.key:verify: ", msg:sub(1, 16))
  assert.equal(E.BAD_SIGNATURE, code, msg)
end

-- DER SEQUENCE { INTEGER r, INTEGER s } from a raw r||s signature (for openssl).
local function raw_to_der(raw)
  local n = #raw / 2
  local function int(b)
    b = b:gsub("^%z+", "")
    if b == "" then b = "\0" end
    if b:byte(1) >= 128 then b = "\0" .. b end
    return "\2" .. string.char(#b) .. b
  end
  local body = int(raw:sub(1, n)) .. int(raw:sub(n + 1))
  if #body < 128 then return "\48" .. string.char(#body) .. body end
  return "\48\129" .. string.char(#body) .. body
end

local generated = {
  {"ec", {curve = "P-256"}}, {"ec", {curve = "P-384"}}, {"ec", {curve = "P-521"}},
  {"ed25519"}, {"ed448"},
}

describe("csr.key #openssl keys", function()
  for _, g in ipairs(generated) do
    local name = g[1] .. (g[2] and (" " .. g[2].curve) or "")
    it("openssl accepts a generated " .. name .. " key and agrees on the fingerprint", function()
      local k = assert(csr.key.generate(g[1], g[2]))
      local f = H.tmpfile(k:to_pem(), ".pem")
      local ok, out = openssl("pkey -in " .. q(f) .. " -check -noout")
      assert(ok and out:find("Key is valid", 1, true), out)
      assert.equal(sha256_of_spki(f), k:fingerprint())
      -- the SPKI is byte-identical to openssl's
      local pf = H.tmpname(".der")
      ok, out = openssl("pkey -in " .. q(f) .. " -pubout -outform DER -out " .. q(pf))
      assert(ok, out)
      assert.equal(H.readfile(pf), k:to_der{public = true})
      -- and openssl reads our public PEM
      local pub = H.tmpfile(k:to_pem{public = true}, ".pem")
      ok, out = openssl("pkey -pubin -in " .. q(pub) .. " -noout")
      assert(ok, out)
      os.remove(f); os.remove(pf); os.remove(pub)
    end)
  end

  it("openssl accepts a generated RSA-2048 key", function()
    local k = assert(csr.key.generate("rsa", {bits = 2048}))
    local f = H.tmpfile(k:to_pem(), ".pem")
    local ok, out = openssl("pkey -in " .. q(f) .. " -check -noout")
    assert(ok and out:find("Key is valid", 1, true), out)
    assert.equal(sha256_of_spki(f), k:fingerprint())
    os.remove(f)
  end)

  for _, name in ipairs({"rsa2048", "rsa3072", "rsa4096", "rsa1216", "rsapss", "rsapss-sha256"}) do
    it("re-exports the openssl " .. name .. " key so openssl checks it", function()
      local k = assert(csr.key.parse(fx(name .. ".pem")))
      local f = H.tmpfile(k:to_pem(), ".pem")
      local ok, out = openssl("pkey -in " .. q(f) .. " -check -noout")
      assert(ok and out:find("Key is valid", 1, true), out)
      assert.equal(sha256_of_spki(fxpath(name .. ".pem")), k:fingerprint())
      assert.equal(sha256_of_spki(f), k:fingerprint())
      -- our PKCS#8 is byte-identical to openssl's
      local d = H.tmpname(".der")
      ok, out = openssl("pkcs8 -topk8 -nocrypt -in " .. q(fxpath(name .. ".pem")) ..
                        " -outform DER -out " .. q(d))
      assert(ok, out)
      assert.equal(H.readfile(d), k:to_der())
      os.remove(f); os.remove(d)
    end)
  end

  it("writes encrypted PKCS#8 that openssl opens, for every key type", function()
    local keys = {}
    for _, g in ipairs(generated) do keys[#keys + 1] = assert(csr.key.generate(g[1], g[2])) end
    for _, n in ipairs({"rsa2048", "rsa1216", "rsapss"}) do
      keys[#keys + 1] = assert(csr.key.parse(fx(n .. ".pem")))
    end
    for _, k in ipairs(keys) do
      local pem = k:to_pem{passphrase = "s3cret pass"}
      local f = H.tmpfile(pem, ".pem")
      local out_der = H.tmpname(".der")
      local ok, out = openssl("pkey -in " .. q(f) .. " -passin " .. q("pass:s3cret pass") ..
                              " -check -noout")
      assert(ok and out:find("Key is valid", 1, true), tostring(k) .. ": " .. out)
      ok, out = openssl("pkcs8 -topk8 -nocrypt -in " .. q(f) .. " -passin " ..
                        q("pass:s3cret pass") .. " -outform DER -out " .. q(out_der))
      assert(ok, out)
      assert.equal(k:to_der(), H.readfile(out_der))
      ok, out = openssl("pkey -in " .. q(f) .. " -passin pass:wrong -noout")
      assert.is_false(ok)
      ok, out = openssl("asn1parse -in " .. q(f))
      assert(out:find("PBES2", 1, true) and out:find("hmacWithSHA256", 1, true) and
             out:find("aes-256-cbc", 1, true), out)
      os.remove(f); os.remove(out_der)
    end
  end)

  it("loads keys openssl encrypts now (default and -v2 options)", function()
    local k = csr.key.generate("ed25519")
    local f = H.tmpfile(k:to_pem(), ".pem")
    for _, opts in ipairs({"", "-v2 aes-128-cbc -v2prf hmacWithSHA1",
                           "-v2 aes-192-cbc -v2prf hmacWithSHA512 -iter 5000"}) do
      local e = H.tmpname(".pem")
      local ok, out = openssl("pkcs8 -topk8 -in " .. q(f) .. " -passout pass:pw " .. opts ..
                              " -out " .. q(e))
      assert(ok, out)
      local k2 = assert(csr.key.parse(H.readfile(e), {passphrase = "pw"}))
      assert.equal(k:to_der(), k2:to_der())
      local r, _, code = csr.key.parse(H.readfile(e), {passphrase = "pW"})
      assert.is_nil(r); assert.equal(E.PASSPHRASE, code)
      os.remove(e)
    end
    os.remove(f)
  end)
end)

describe("csr.key #openssl signatures", function()
  local msg = "message to sign\n" .. ("x"):rep(1000)
  local msgf

  setup(function() msgf = H.tmpfile(msg, ".msg") end)
  teardown(function() os.remove(msgf) end)

  local function ours_verified_by_openssl(k, sig, dgst_args)
    local pub = H.tmpfile(k:to_pem{public = true}, ".pem")
    local sf = H.tmpfile(sig, ".sig")
    local ok, out
    if dgst_args then
      ok, out = openssl("dgst " .. dgst_args .. " -verify " .. q(pub) .. " -signature " ..
                        q(sf) .. " " .. q(msgf))
    else
      ok, out = openssl("pkeyutl -verify -pubin -inkey " .. q(pub) .. " -rawin -in " .. q(msgf) ..
                        " -sigfile " .. q(sf))
    end
    os.remove(pub); os.remove(sf)
    return ok and out:find("Verified OK", 1, true) ~= nil or
           (ok and out:find("Signature Verified Successfully", 1, true) ~= nil), out
  end

  local function openssl_signs(keypem, dgst_args)
    local kf = H.tmpfile(keypem, ".pem")
    local sf = H.tmpname(".sig")
    local ok, out
    if dgst_args then
      ok, out = openssl("dgst " .. dgst_args .. " -sign " .. q(kf) .. " -out " .. q(sf) .. " " ..
                        q(msgf))
    else
      ok, out = openssl("pkeyutl -sign -inkey " .. q(kf) .. " -rawin -in " .. q(msgf) ..
                        " -out " .. q(sf))
    end
    assert(ok, out)
    local sig = H.readfile(sf)
    os.remove(kf); os.remove(sf)
    return sig
  end

  it("RSA PKCS#1 v1.5 both ways", function()
    local k = assert(csr.key.parse(fx("rsa2048.pem")))
    for _, d in ipairs({"sha256", "sha384", "sha512"}) do
      local sig = assert(k:sign(msg, {digest = d}))
      assert(ours_verified_by_openssl(k, sig, "-" .. d))
      local theirs = openssl_signs(fx("rsa2048.pem"), "-" .. d)
      assert.equal(theirs, sig)                -- deterministic: identical bytes
      assert.is_true(k:public():verify(msg, theirs, {digest = d}))
    end
    local theirs = openssl_signs(fx("rsa2048.pem"), "-sha1")
    assert.is_true(k:verify(msg, theirs, {digest = "sha1"}))
    theirs = openssl_signs(fx("rsa2048.pem"), "-sha224")
    assert.is_true(k:verify(msg, theirs, {digest = "sha224"}))
    bad_sig(k:verify(msg, theirs, {digest = "sha256"}))
  end)

  it("RSA-PSS both ways, any salt length", function()
    local k = assert(csr.key.parse(fx("rsa2048.pem")))
    local pss = "-sigopt rsa_padding_mode:pss"
    local sig = assert(k:sign(msg, {padding = "pss"}))
    assert(ours_verified_by_openssl(k, sig, "-sha256 " .. pss .. " -sigopt rsa_pss_saltlen:32"))
    sig = assert(k:sign(msg, {padding = "pss", digest = "sha512", salt_len = 0}))
    assert(ours_verified_by_openssl(k, sig, "-sha512 " .. pss .. " -sigopt rsa_pss_saltlen:0"))
    local theirs = openssl_signs(fx("rsa2048.pem"), "-sha256 " .. pss ..
                                 " -sigopt rsa_pss_saltlen:max")
    assert.is_true(k:verify(msg, theirs, {padding = "pss", salt_len = 222}))
    assert.is_true(k:verify(msg, theirs, {padding = "pss"}))    -- any salt unless salt_len
    theirs = openssl_signs(fx("rsa2048.pem"), "-sha384 " .. pss ..
                           " -sigopt rsa_pss_saltlen:digest")
    assert.is_true(k:verify(msg, theirs, {padding = "pss", digest = "sha384"}))
    theirs = openssl_signs(fx("rsa2048.pem"), "-sha256 " .. pss ..
                           " -sigopt rsa_pss_saltlen:20 -sigopt rsa_mgf1_md:sha1")
    -- MGF1 hash differs from the message hash: only the core API takes mgf_md;
    -- through Lua the default (mgf = digest) must refuse it
    bad_sig(k:verify(msg, theirs, {padding = "pss", salt_len = 20}))
  end)

  -- openssl's rsa_pss_saltlen:auto: without salt_len, the salt the signature has
  it("RSA-PSS verify without salt_len takes openssl's salt max, 0, 20, digest", function()
    local k = assert(csr.key.parse(fx("rsa2048-pub.pem")))
    for _, c in ipairs({{"sha256", "max", 222}, {"sha256", "0", 0}, {"sha256", "20", 20},
                        {"sha384", "max", 206}, {"sha512", "digest", 64}}) do
      local sig = openssl_signs(fx("rsa2048.pem"), "-" .. c[1] .. " -sigopt " ..
                                "rsa_padding_mode:pss -sigopt rsa_pss_saltlen:" .. c[2])
      local what, pss = c[1] .. " salt " .. c[2], {padding = "pss", digest = c[1]}
      assert.is_true(k:verify(msg, sig, pss), what)
      assert.is_true(k:verify(msg, sig, {padding = "pss", digest = c[1], salt_len = c[3]}), what)
      -- a salt_len given is the only one taken
      bad_sig(k:verify(msg, sig, {padding = "pss", digest = c[1], salt_len = c[3] + 1}))
      local ok, err, code = k:verify(msg .. "x", sig, pss)
      bad_sig(ok, err, code)
      assert.matches("RSA signature does not verify", err, 1, true)
      bad_sig(k:verify(msg, string.char((sig:byte(1) + 1) % 256) .. sig:sub(2), pss))
      bad_sig(k:verify(msg, sig:sub(1, -2) .. string.char((sig:byte(-1) + 1) % 256), pss))
    end
    -- PKCS#1 v1.5, and PSS with MGF1 over another hash, are not PSS with MGF1 over the digest
    bad_sig(k:verify(msg, openssl_signs(fx("rsa2048.pem"), "-sha256"), {padding = "pss"}))
    bad_sig(k:verify(msg, openssl_signs(fx("rsa2048.pem"), "-sha256 -sigopt " ..
                     "rsa_padding_mode:pss -sigopt rsa_mgf1_md:sha1"), {padding = "pss"}))
  end)

  it("an RSA-PSS key verifies any salt from its minimum on", function()
    local k = assert(csr.key.parse(fx("rsapss-sha256-pub.pem")))     -- salt >= 32
    local sig = openssl_signs(fx("rsapss-sha256.pem"), "-sha256 -sigopt rsa_padding_mode:pss " ..
                              "-sigopt rsa_pss_saltlen:max")
    assert.is_true(k:verify(msg, sig))
    assert.is_true(k:verify(msg, sig, {padding = "pss"}))
    -- a signature valid in itself with a salt under the minimum, by the key's plain-RSA twin
    local twin = assert(csr.key.from_jwk(assert(assert(csr.key.parse(fx("rsapss-sha256.pem")))
                                                  :to_jwk{private = true})))
    local short = assert(twin:sign(msg, {padding = "pss", salt_len = 20}))
    assert.is_true(twin:verify(msg, short, {padding = "pss"}))
    local ok, err, code = k:verify(msg, short)
    bad_sig(ok, err, code)
    assert.matches("the RSASSA-PSS key needs a salt of at least 32 bytes, not 20", err, 1, true)
  end)

  it("RSA-PSS key (id-RSASSA-PSS) signs so openssl verifies", function()
    local k = assert(csr.key.parse(fx("rsapss-sha256.pem")))
    local sig = assert(k:sign(msg, {padding = "pss"}))
    assert(ours_verified_by_openssl(k, sig, "-sha256 -sigopt rsa_padding_mode:pss " ..
                                    "-sigopt rsa_pss_saltlen:32"))
  end)

  for _, c in ipairs({{"P-256", "sha256", "p256"}, {"P-384", "sha384", "p384"},
                      {"P-521", "sha512", "p521"}}) do
    it("ECDSA " .. c[1] .. " DER and raw both ways", function()
      local k = assert(csr.key.parse(fx("ec-" .. c[3] .. ".pem")))
      local sig = assert(k:sign(msg))                  -- default digest by curve
      assert(ours_verified_by_openssl(k, sig, "-" .. c[2]))
      local raw = assert(k:sign(msg, {format = "raw"}))
      assert(ours_verified_by_openssl(k, raw_to_der(raw), "-" .. c[2]))
      local theirs = openssl_signs(fx("ec-" .. c[3] .. ".pem"), "-" .. c[2])
      assert.is_true(k:public():verify(msg, theirs))
      theirs = openssl_signs(fx("ec-" .. c[3] .. ".pem"), "-sha1")
      assert.is_true(k:verify(msg, theirs, {digest = "sha1"}))
      bad_sig(k:verify(msg, theirs))
    end)
  end

  for _, t in ipairs({"ed25519", "ed448"}) do
    it(t .. " both ways (imported keys sign)", function()
      local k = assert(csr.key.parse(fx(t .. ".pem")))
      local sig = assert(k:sign(msg))
      assert(ours_verified_by_openssl(k, sig))
      local theirs = openssl_signs(fx(t .. ".pem"))
      assert.equal(theirs, sig)                     -- EdDSA is deterministic
      local pub = assert(csr.key.parse(fx(t .. "-pub.pem")))
      assert.is_true(pub:verify(msg, theirs))
      local g = csr.key.generate(t)
      assert(ours_verified_by_openssl(g, assert(g:sign(msg))))
    end)
  end
end)

describe("csr.key #python cryptography", function()
  local py, why = H.pyca()
  local script = [[
import sys
from cryptography.hazmat.primitives import serialization, hashes
from cryptography.hazmat.primitives.asymmetric import ec, ed25519, ed448, utils
priv = serialization.load_pem_private_key(open(sys.argv[1], "rb").read(), password=b"pw")
pub = serialization.load_pem_public_key(open(sys.argv[2], "rb").read())
assert priv.public_key().public_bytes(serialization.Encoding.DER,
    serialization.PublicFormat.SubjectPublicKeyInfo) == pub.public_bytes(
    serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo)
msg = open(sys.argv[3], "rb").read()
sig = open(sys.argv[4], "rb").read()
if isinstance(pub, ec.EllipticCurvePublicKey):
    n = len(sig) // 2
    der = utils.encode_dss_signature(int.from_bytes(sig[:n], "big"), int.from_bytes(sig[n:], "big"))
    h = {256: hashes.SHA256(), 384: hashes.SHA384(), 521: hashes.SHA512()}[pub.curve.key_size]
    pub.verify(der, msg, ec.ECDSA(h))
else:
    pub.verify(sig, msg)
print("OK")
]]

  for _, g in ipairs(generated) do
    local name = g[1] .. (g[2] and (" " .. g[2].curve) or "")
    it("python loads our encrypted " .. name .. " key and verifies our signature (raw for EC)",
       function()
      if not py then pending(why) return end
      local k = assert(csr.key.generate(g[1], g[2]))
      local msg = "python cross-check"
      local sig = assert(k:sign(msg, g[1] == "ec" and {format = "raw"} or nil))
      local files = {H.tmpfile(k:to_pem{passphrase = "pw"}, ".pem"),
                     H.tmpfile(k:to_pem{public = true}, ".pem"), H.tmpfile(msg), H.tmpfile(sig)}
      local sf = H.tmpfile(script, ".py")
      local ok, out = H.run(py .. " " .. q(sf) .. " " .. table.concat(files, " "))
      assert(ok and out:find("OK", 1, true), out)
      for _, f in ipairs(files) do os.remove(f) end
      os.remove(sf)
    end)
  end
end)
