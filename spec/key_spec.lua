-- csr.key: generate, parse, export, accessors, lifecycle, errors (no external peers).
local csr = require "csr"
local H = require "spec.helpers"

local E = csr.errors

local function fx(name) return H.fixture("keys/" .. name) end

local function fails(code, prefix, ok, msg, c)
  assert.is_nil(ok)
  assert.is_string(msg)
  assert.equal(code, c)
  if prefix then assert.equal(prefix, msg:sub(1, #prefix)) end
end

-- A verification that must fail: false, the verify prefix, BAD_SIGNATURE.
local function bad_sig(ok, msg, code)
  assert.is_false(ok)
  assert.equal("csr.key:verify: ", msg:sub(1, 16))
  assert.equal(E.BAD_SIGNATURE, code, msg)
end

describe("csr.key.generate", function()
  it("defaults to EC P-256", function()
    local k = assert(csr.key.generate())
    assert.equal("ec", k:type())
    assert.equal("P-256", k:curve())
    assert.equal(256, k:bits())
    assert.is_true(k:is_private())
    assert.equal("csr.key (ec P-256, private)", tostring(k))
    assert.equal("key", csr.type(k))
  end)

  it("makes every curve with the right sizes", function()
    local want = {["P-256"] = 256, ["P-384"] = 384, ["P-521"] = 521}
    for c, bits in pairs(want) do
      local k = assert(csr.key.generate("ec", {curve = c}))
      assert.equal(c, k:curve())
      assert.equal(bits, k:bits())
    end
  end)

  it("makes Ed25519 and Ed448 keys", function()
    local a = assert(csr.key.generate("ed25519"))
    assert.equal("ed25519", a:type()); assert.equal(256, a:bits()); assert.is_nil(a:curve())
    assert.equal("csr.key (ed25519, private)", tostring(a))
    local b = assert(csr.key.generate("ed448"))
    assert.equal("ed448", b:type()); assert.equal(456, b:bits())
  end)

  it("makes an RSA-2048 key by default", function()
    local k = assert(csr.key.generate("rsa"))
    assert.equal("rsa", k:type()); assert.equal(2048, k:bits()); assert.is_nil(k:curve())
    assert.equal("csr.key (rsa 2048, private)", tostring(k))
  end)

  it("gives different keys each time", function()
    for _, t in ipairs({"ec", "ed25519", "ed448"}) do
      local a, b = csr.key.generate(t), csr.key.generate(t)
      assert.not_equal(a:fingerprint(), b:fingerprint())
      assert.not_equal(a:to_der(), b:to_der())
    end
  end)

  it("returns fail for RSA sizes outside 2048..4096", function()
    fails(E.INVALID, "csr.key.generate: ", csr.key.generate("rsa", {bits = 1024}))
    fails(E.INVALID, "csr.key.generate: ", csr.key.generate("rsa", {bits = 8192}))
    fails(E.INVALID, "csr.key.generate: ", csr.key.generate("rsa", {bits = -5}))
  end)

  it("raises on misuse", function()
    assert.error_matches(function() csr.key.generate("dsa") end,
                         "bad argument #1 to 'generate' (invalid option 'dsa')", 1, true)
    assert.error_matches(function() csr.key.generate(42) end,
                         "bad argument #1 to 'generate' (invalid option '42')", 1, true)
    assert.error_matches(function() csr.key.generate("rsa", {bits = "2048"}) end,
                         "bad argument #2 to 'generate' (option 'bits' must be a number)", 1, true)
    assert.error_matches(function() csr.key.generate("rsa", {bits = 2048.5}) end,
                         "bad argument #2 to 'generate' (option 'bits' must be an integer)",
                         1, true)
    assert.error_matches(function() csr.key.generate("ec", {curve = "P-192"}) end,
                         "bad argument #2 to 'generate' (unknown curve 'P-192')", 1, true)
    assert.error_matches(function() csr.key.generate("ec", {curve = "secp256k1"}) end,
                         "bad argument #2 to 'generate' (unknown curve 'secp256k1')", 1, true)
    assert.error_matches(function() csr.key.generate("ec", {size = 1}) end,
                         "bad argument #2 to 'generate' (unknown option 'size')", 1, true)
    assert.error_matches(function() csr.key.generate("ec", "P-256") end,
                         "bad argument #2 to 'generate' (table expected, got string)", 1, true)
    assert.error_matches(function() csr.key.generate("ed25519", {bits = 2048}) end,
                         "bad argument #2 to 'generate' (option 'bits' is for rsa keys)", 1, true)
  end)
end)

describe("csr.key lifecycle", function()
  it("closes twice and raises after close", function()
    local k = csr.key.generate("ed25519")
    k:close()
    k:close()
    assert.equal("csr.key (closed)", tostring(k))
    for _, m in ipairs({"type", "bits", "curve", "is_private", "public", "to_pem", "to_der",
                        "fingerprint"}) do
      local ok, err = pcall(k[m], k)
      assert.is_false(ok)
      assert.truthy(tostring(err):find("attempt to use a closed csr.key", 1, true), m)
    end
    assert.error_matches(function() k:sign("x") end,
                         "calling 'sign' on bad self (attempt to use a closed csr.key)", 1, true)
  end)

  it("rejects a wrong self", function()
    local k = csr.key.generate()
    assert.error_matches(function() k.type({}) end,
                         "bad argument #1 to 'type' (csr.key expected, got table)", 1, true)
    assert.error_matches(function() k.to_pem(nil) end,
                         "bad argument #1 to 'to_pem' (csr.key expected, got nil)", 1, true)
  end)

  it("never shows key material in tostring", function()
    local k = csr.key.generate("ec")
    local s = tostring(k)
    assert.falsy(s:find("BEGIN", 1, true))
    assert.is_true(#s < 40)
    local r = assert(csr.key.parse(fx("rsa2048.pem")))
    assert.equal("csr.key (rsa 2048, private)", tostring(r))
    assert.equal("csr.key (rsa 2048, public)", tostring(r:public()))
  end)
end)

describe("csr.key export/parse round trip", function()
  local types = {{"ec", {curve = "P-256"}}, {"ec", {curve = "P-384"}}, {"ec", {curve = "P-521"}},
                 {"ed25519"}, {"ed448"}}
  for _, t in ipairs(types) do
    it("round-trips " .. t[1] .. " " .. tostring(t[2] and t[2].curve or ""), function()
      local k = assert(csr.key.generate(t[1], t[2]))
      local pem, der = k:to_pem(), k:to_der()
      assert.truthy(pem:find("-----BEGIN PRIVATE KEY-----", 1, true))
      for _, data in ipairs({pem, der}) do
        local k2 = assert(csr.key.parse(data))
        assert.equal(k:type(), k2:type())
        assert.equal(k:bits(), k2:bits())
        assert.equal(k:fingerprint(), k2:fingerprint())
        assert.is_true(k2:is_private())
        assert.equal(der, k2:to_der())
      end
      local pub = k:public()
      assert.is_false(pub:is_private())
      assert.equal(k:fingerprint(), pub:fingerprint())
      assert.equal(k:to_der{public = true}, pub:to_der())
      assert.truthy(pub:to_pem():find("-----BEGIN PUBLIC KEY-----", 1, true))
      local p2 = assert(csr.key.parse(pub:to_pem()))
      assert.is_false(p2:is_private())
      assert.equal(k:fingerprint(), p2:fingerprint())
      -- encrypted
      local enc = k:to_pem{passphrase = "pw"}
      assert.truthy(enc:find("-----BEGIN ENCRYPTED PRIVATE KEY-----", 1, true))
      local k3 = assert(csr.key.parse(enc, {passphrase = "pw"}))
      assert.equal(der, k3:to_der())
      fails(E.PASSPHRASE, "csr.key.parse: ", csr.key.parse(enc, {passphrase = "wrong"}))
      fails(E.PASSPHRASE, "csr.key.parse: ", csr.key.parse(enc))
      local encder = k:to_der{passphrase = "pw"}
      assert.equal(der, assert(csr.key.parse(encder, {passphrase = "pw"})):to_der())
    end)
  end

  it("exports the 1216-byte RSA key encrypted with its padding block", function()
    local k = assert(csr.key.parse(fx("rsa1216.pem")))
    assert.equal(1216, #k:to_der())
    local enc = k:to_der{passphrase = "pw"}
    local k2 = assert(csr.key.parse(enc, {passphrase = "pw"}))
    assert.equal(k:to_der(), k2:to_der())
  end)

  it("refuses a passphrase for public exports", function()
    local k = csr.key.generate()
    assert.error_matches(function() k:to_pem{public = true, passphrase = "x"} end,
                         "bad argument #1 to 'to_pem' (a passphrase needs a private key export)",
                         1, true)
    assert.error_matches(function() k:public():to_der{passphrase = "x"} end,
                         "bad argument #1 to 'to_der' (a passphrase needs a private key export)",
                         1, true)
    assert.error_matches(function() k:to_pem{pub = true} end,
                         "bad argument #1 to 'to_pem' (unknown option 'pub')", 1, true)
    assert.error_matches(function() k:to_pem{public = 1} end,
                         "bad argument #1 to 'to_pem' (option 'public' must be a boolean)", 1, true)
    assert.error_matches(function() k:to_pem{passphrase = 1} end,
                         "bad argument #1 to 'to_pem' (option 'passphrase' must be a string)",
                         1, true)
  end)
end)

describe("csr.key.parse", function()
  it("loads every fixture form with the right type and fingerprint", function()
    local fps = {}
    for line in fx("fingerprints.txt"):gmatch("[^\n]+") do
      local n, fp = line:match("^(%S+) (%x+)$")
      fps[n] = fp
    end
    local cases = {
      {"rsa2048.pem", "rsa", 2048, "rsa2048"}, {"rsa2048.der", "rsa", 2048, "rsa2048"},
      {"rsa2048-trad.pem", "rsa", 2048, "rsa2048"}, {"rsa2048-trad.der", "rsa", 2048, "rsa2048"},
      {"rsa2048-pub.pem", "rsa", 2048, "rsa2048"}, {"rsa2048-pub.der", "rsa", 2048, "rsa2048"},
      {"rsa2048-rsapub.pem", "rsa", 2048, "rsa2048"},
      {"rsa3072.pem", "rsa", 3072, "rsa3072"}, {"rsa4096.pem", "rsa", 4096, "rsa4096"},
      {"rsapss.pem", "rsa", 2048, "rsapss"}, {"rsapss-pub.pem", "rsa", 2048, "rsapss"},
      {"rsapss-sha256.pem", "rsa", 2048, "rsapss-sha256"},
      {"rsapss-sha256-pub.pem", "rsa", 2048, "rsapss-sha256"},
      {"ec-p256.pem", "ec", 256, "ec-p256"}, {"ec-p256.der", "ec", 256, "ec-p256"},
      {"ec-p256-trad.pem", "ec", 256, "ec-p256"}, {"ec-p256-trad.der", "ec", 256, "ec-p256"},
      {"ec-p256-pub.pem", "ec", 256, "ec-p256"}, {"ec-p256-pub.der", "ec", 256, "ec-p256"},
      {"ec-p384.pem", "ec", 384, "ec-p384"}, {"ec-p384-trad.pem", "ec", 384, "ec-p384"},
      {"ec-p521.pem", "ec", 521, "ec-p521"}, {"ec-p521-trad.pem", "ec", 521, "ec-p521"},
      {"ec-p521-pub.pem", "ec", 521, "ec-p521"},
      {"ed25519.pem", "ed25519", 256, "ed25519"}, {"ed25519.der", "ed25519", 256, "ed25519"},
      {"ed25519-pub.pem", "ed25519", 256, "ed25519"},
      {"ed25519-pub.der", "ed25519", 256, "ed25519"},
      {"ed448.pem", "ed448", 456, "ed448"}, {"ed448-pub.pem", "ed448", 456, "ed448"},
    }
    for _, c in ipairs(cases) do
      local k, msg = csr.key.parse(fx(c[1]))
      assert(k, c[1] .. ": " .. tostring(msg))
      assert.equal(c[2], k:type(), c[1])
      assert.equal(c[3], k:bits(), c[1])
      assert.equal(fps[c[4]], k:fingerprint(), c[1])
      assert.equal(not c[1]:find("pub"), k:is_private(), c[1])
    end
  end)

  it("loads the SEC1 key that follows an EC PARAMETERS block", function()
    local k = assert(csr.key.parse(fx("ec-p256-params.pem")))
    assert.equal("P-256", k:curve())
  end)

  it("opens encrypted PKCS#8 from openssl (SHA-256/AES-256, SHA-1/AES-128, DER)", function()
    local ref = assert(csr.key.parse(fx("rsa2048.pem"))):to_der()
    for _, f in ipairs({"rsa2048-enc.pem", "rsa2048-enc.der", "rsa2048-enc-sha1-aes128.pem"}) do
      local k = assert(csr.key.parse(fx(f), {passphrase = "secret"}))
      assert.equal(ref, k:to_der(), f)
      fails(E.PASSPHRASE, "csr.key.parse: ", csr.key.parse(fx(f), {passphrase = "Secret"}))
      fails(E.PASSPHRASE, "csr.key.parse: ", csr.key.parse(fx(f)))
    end
    for _, f in ipairs({"ec-p256-enc.pem", "ec-p384-enc.pem", "ec-p521-enc.pem",
                        "ed25519-enc.pem", "ed448-enc.pem"}) do
      assert(csr.key.parse(fx(f), {passphrase = "secret"}), f)
    end
  end)

  it("refuses legacy PBES1 encryption as unsupported", function()
    fails(E.UNSUPPORTED, "csr.key.parse: ",
          csr.key.parse(fx("rsa2048-enc-pbes1.pem"), {passphrase = "secret"}))
  end)

  it("refuses RSA over 4096 bits as unsupported", function()
    fails(E.UNSUPPORTED, "csr.key.parse: ", csr.key.parse(fx("rsa8192.pem")))
    fails(E.UNSUPPORTED, "csr.key.parse: ", csr.key.parse(fx("rsa8192-pub.pem")))
  end)

  it("refuses curves this build lacks", function()
    fails(E.UNSUPPORTED, "csr.key.parse: ", csr.key.parse(fx("ec-secp256k1.pem")))
    fails(E.UNSUPPORTED, "csr.key.parse: ", csr.key.parse(fx("ec-secp256k1-pub.pem")))
  end)

  it("returns BAD_PEM / BAD_DER for garbage", function()
    fails(E.BAD_PEM, "csr.key.parse: ",
          csr.key.parse("-----BEGIN PRIVATE KEY-----\n!!!!\n-----END PRIVATE KEY-----\n"))
    fails(E.BAD_PEM, "csr.key.parse: ",
          csr.key.parse("-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n"))
    fails(E.BAD_DER, "csr.key.parse: ", csr.key.parse("hello world"))
    fails(E.BAD_DER, "csr.key.parse: ", csr.key.parse(""))
    fails(E.BAD_DER, "csr.key.parse: ", csr.key.parse("\48\3\2\1\0"))
    local der = fx("ec-p256.der")
    fails(E.BAD_DER, "csr.key.parse: ", csr.key.parse(der:sub(1, #der - 1)))
    fails(E.BAD_DER, "csr.key.parse: ", csr.key.parse(der .. "\0"))
    -- every truncation of every DER form fails cleanly
    for _, f in ipairs({"ec-p256.der", "ec-p256-pub.der", "ed25519.der", "rsa2048-pub.der"}) do
      local d = fx(f)
      for n = 0, #d - 1, 7 do
        fails(E.BAD_DER, "csr.key.parse: ", csr.key.parse(d:sub(1, n)))
      end
    end
  end)

  it("rejects an EC point that is not on the curve", function()
    local d = fx("ec-p256-pub.der")
    local bad = d:sub(1, #d - 1) .. string.char((d:byte(#d) + 1) % 256)
    fails(E.BAD_DER, "csr.key.parse: ", csr.key.parse(bad))
  end)

  it("refuses private keys whose parts do not belong together", function()
    local function flip(d, i) return d:sub(1, i - 1) .. string.char((d:byte(i) + 1) % 256) ..
                                     d:sub(i + 1) end
    -- RSA: a changed CRT coefficient (qInv, at the end) would sign wrongly and leak the factors
    local r = fx("rsa2048.der")
    fails(E.BAD_DER, "csr.key.parse: ", csr.key.parse(flip(r, #r - 3)))
    r = fx("rsa2048-trad.der")
    fails(E.BAD_DER, "csr.key.parse: ", csr.key.parse(flip(r, #r - 3)))
    -- EC: a changed private scalar no longer matches the stored public point
    local e = fx("ec-p256.der")
    fails(E.BAD_DER, "csr.key.parse: ", csr.key.parse(flip(e, 45)))
    e = fx("ec-p256-trad.der")
    fails(E.BAD_DER, "csr.key.parse: ", csr.key.parse(flip(e, 15)))
  end)

  it("rejects an Ed25519 key of the wrong length", function()
    local d = fx("ed25519-pub.der")   -- 30 2a 30 05 06 03 2b 65 70 03 21 00 <32>
    local bad = "\48\41\48\5\6\3\43\101\112\3\32\0" .. d:sub(13, 43)
    fails(E.BAD_DER, "csr.key.parse: ", csr.key.parse(bad))
  end)

  it("raises on misuse", function()
    assert.error_matches(function() csr.key.parse() end,
                         "bad argument #1 to 'parse' (string expected, got no value)", 1, true)
    assert.error_matches(function() csr.key.parse({}) end,
                         "bad argument #1 to 'parse' (string expected, got table)", 1, true)
    assert.error_matches(function() csr.key.parse("x", {pass = "x"}) end,
                         "bad argument #2 to 'parse' (unknown option 'pass')", 1, true)
    assert.error_matches(function() csr.key.parse("x", {passphrase = 5}) end,
                         "bad argument #2 to 'parse' (option 'passphrase' must be a string)",
                         1, true)
  end)

  it("keeps the RSA-PSS algorithm in exports", function()
    local k = assert(csr.key.parse(fx("rsapss.pem")))
    local pub = assert(csr.key.parse(k:to_pem{public = true}))
    assert.equal(k:fingerprint(), pub:fingerprint())
    local k2 = assert(csr.key.parse(k:to_pem()))
    assert.equal(k:fingerprint(), k2:fingerprint())
  end)
end)

describe("csr.key:write", function()
  it("creates a 0600 file and refuses to overwrite", function()
    local k = csr.key.generate("ed25519")
    local path = H.tmpname(".pem")
    assert.is_true(k:write(path))
    local ok, out = H.run("stat -c %a " .. path)
    assert.is_true(ok)
    assert.equal("600", out:match("%d+"))
    assert.equal(k:to_der(), assert(csr.key.parse(H.readfile(path))):to_der())
    local r, msg, code = k:write(path)
    assert.is_nil(r)
    assert.equal(E.IO, code)
    assert.truthy(msg:find("^csr.key:write: "))
    os.remove(path)
    assert.is_true(k:write(path, {public = true}))
    assert.truthy(H.readfile(path):find("BEGIN PUBLIC KEY", 1, true))
    os.remove(path)
    assert.is_true(k:write(path, {passphrase = "pw"}))
    assert(csr.key.parse(H.readfile(path), {passphrase = "pw"}))
    os.remove(path)
    assert.error_matches(function() k:write() end,
                         "bad argument #1 to 'write' (string expected, got no value)", 1, true)
    assert.error_matches(function() k:write(path, {mode = 1}) end,
                         "bad argument #2 to 'write' (unknown option 'mode')", 1, true)
  end)
end)

describe("csr.key sign/verify", function()
  local msg = "the quick brown fox"

  local function roundtrip(k, opts)
    local sig = assert(k:sign(msg, opts))
    assert.is_true(k:verify(msg, sig, opts))
    assert.is_true(k:public():verify(msg, sig, opts))
    local ok, m, code = k:verify(msg .. "!", sig, opts)
    assert.is_false(ok); assert.equal(E.BAD_SIGNATURE, code)
    assert.truthy(m:find("^csr.key:verify: "))
    -- flipped byte, truncated, garbage, empty
    local flipped = sig:sub(1, 10) .. string.char((sig:byte(11) + 1) % 256) .. sig:sub(12)
    for _, bad in ipairs({flipped, sig:sub(1, #sig - 1), sig .. "\0", "", ("\0"):rep(#sig),
                          ("\255"):rep(#sig), "garbage"}) do
      ok, m, code = k:verify(msg, bad, opts)
      assert.is_false(ok)
      assert.equal(E.BAD_SIGNATURE, code)
    end
    return sig
  end

  it("signs and verifies with every EC curve, DER and raw", function()
    for _, c in ipairs({"P-256", "P-384", "P-521"}) do
      local k = csr.key.generate("ec", {curve = c})
      local der = roundtrip(k)
      assert.equal(48, der:byte(1))
      local raw = roundtrip(k, {format = "raw"})
      local size = ({["P-256"] = 64, ["P-384"] = 96, ["P-521"] = 132})[c]
      assert.equal(size, #raw)
      roundtrip(k, {digest = "sha512"})
      bad_sig(k:verify(msg, raw))                    -- raw is not DER
      bad_sig(k:verify(msg, der, {format = "raw"}))
    end
  end)

  it("signs and verifies with Ed25519/Ed448 (pure, deterministic)", function()
    for _, t in ipairs({"ed25519", "ed448"}) do
      local k = csr.key.generate(t)
      local sig = roundtrip(k)
      assert.equal(t == "ed25519" and 64 or 114, #sig)
      assert.equal(sig, k:sign(msg))
      local r, m, code = k:sign(msg, {digest = "sha256"})
      assert.is_nil(r); assert.equal(E.INVALID, code)
      assert.truthy(m:find("digest not allowed with " .. t, 1, true))
    end
  end)

  it("signs and verifies with RSA PKCS#1 and PSS", function()
    local k = assert(csr.key.parse(fx("rsa2048.pem")))
    local s1 = roundtrip(k)
    assert.equal(256, #s1)
    assert.equal(s1, k:sign(msg))                     -- PKCS#1 v1.5 is deterministic
    roundtrip(k, {digest = "sha384"})
    local p1 = roundtrip(k, {padding = "pss"})
    assert.not_equal(p1, k:sign(msg, {padding = "pss"}))
    roundtrip(k, {padding = "pss", digest = "sha512", salt_len = 0})
    roundtrip(k, {padding = "pss", salt_len = 222})
    bad_sig(k:verify(msg, p1))                        -- PSS is not PKCS#1
    bad_sig(k:verify(msg, p1, {padding = "pss", salt_len = 20}))
    -- without salt_len the salt length is read from the signature: garbage of any length,
    -- and values at or over the modulus, are still just bad signatures
    for _, bad in ipairs({"", ("\255"):rep(256), ("\0"):rep(256), ("\255"):rep(257),
                          csr.util.random(255), csr.util.random(256), csr.util.random(256)}) do
      bad_sig(k:verify(msg, bad, {padding = "pss"}))
    end
    local r, _, code = k:sign(msg, {padding = "pss", salt_len = 223})
    assert.is_nil(r); assert.equal(E.INVALID, code)
    assert.is_true(k:verify(msg, assert(k:sign(msg, {digest = "sha256"})), {digest = "sha256"}))
  end)

  it("a PSS key signs (rsassaPss key type)", function()
    local k = assert(csr.key.parse(fx("rsapss.pem")))
    roundtrip(k, {padding = "pss"})
  end)

  it("rejects wrong parameter combinations", function()
    local ec = csr.key.generate()
    local r, _, code = ec:sign(msg, {padding = "pss"})
    assert.is_nil(r); assert.equal(E.INVALID, code)
    assert.error_matches(function() ec:sign(msg, {digest = "md5"}) end,
                         "bad argument #2 to 'sign' (unknown digest 'md5')", 1, true)
    assert.error_matches(function() ec:sign(msg, {digest = "sha1"}) end,
                         "bad argument #2 to 'sign' (unknown digest 'sha1')", 1, true)
    assert.error_matches(function() ec:sign(msg, {format = "jws"}) end,
                         "bad argument #2 to 'sign' (unknown format 'jws')", 1, true)
    assert.error_matches(function() ec:sign(msg, {padding = "oaep"}) end,
                         "bad argument #2 to 'sign' (unknown padding 'oaep')", 1, true)
    assert.error_matches(function() ec:sign(msg, {hash = "sha256"}) end,
                         "bad argument #2 to 'sign' (unknown option 'hash')", 1, true)
    assert.error_matches(function() ec:sign() end,
                         "bad argument #1 to 'sign' (string expected, got no value)", 1, true)
    assert.error_matches(function() ec:verify(msg) end,
                         "bad argument #2 to 'verify' (string expected, got no value)", 1, true)
    r, _, code = ec:public():sign(msg)
    assert.is_nil(r); assert.equal(E.INVALID, code)
  end)

  it("verifies SHA-1 signatures made by openssl (spec/fixtures/sig)", function()
    local data = H.fixture("sig/message.txt")
    for _, name in ipairs({"rsa2048", "ec-p256"}) do
      local sig = H.fixture("sig/" .. name .. "-sha1.sig")
      for _, k in ipairs({assert(csr.key.parse(fx(name .. "-pub.pem"))),
                          assert(csr.key.parse(fx(name .. ".pem")))}) do
        assert.is_true(k:verify(data, sig, {digest = "sha1"}), name)
        -- the same signature read as SHA-256 (the default), or over another message: refused
        bad_sig(k:verify(data, sig))
        bad_sig(k:verify(data .. "!", sig, {digest = "sha1"}))
      end
    end
  end)
end)
