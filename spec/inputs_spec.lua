-- What the binding takes in (issue 9, audit defects 2-5): strings handed on as C strings
-- refuse NUL bytes, compressed EC points are read everywhere a public point is read, an empty
-- list in a typed extension is a fail, and what the README says about subjects, received
-- bytes and RSA sizes. Judges: the openssl CLI (#openssl) and Python cryptography (#python).
local csr = require "csr"
local helpers = require "helpers"
local E = csr.errors

local function fx(name) return helpers.fixture("keys/" .. name) end

-- f(...) must raise an error whose message matches pattern (plain text search)
local function raises(pattern, f, ...)
  local ok, msg = pcall(f, ...)
  assert.is_false(ok, "expected an error matching '" .. pattern .. "'")
  assert.is_truthy(tostring(msg):find(pattern, 1, true),
                   "error '" .. tostring(msg) .. "' does not say '" .. pattern .. "'")
end

-- fail triple with the expected code; msg must contain pattern (plain) when given
local function fails(code, pattern, v, msg, c)
  assert.is_nil(v, "expected a fail, got " .. tostring(v))
  assert.is_string(msg)
  assert.are.equal(code, c, msg)
  if pattern then
    assert.is_truthy(msg:find(pattern, 1, true), "'" .. msg .. "' does not say '" .. pattern .. "'")
  end
end

local exists = helpers.exists

local function have_openssl()
  return (helpers.run("openssl version"))
end

-- ---------------------------------------------------------------------------------------
describe("strings with a NUL byte handed on as C strings raise", function()
  local key = assert(csr.key.parse(fx("ec-p256.pem")))
  local NUL = "\0"

  it("key:write refuses a path with a NUL byte and writes nothing", function()
    local base = helpers.tmpname()
    raises("NUL", key.write, key, base .. NUL .. "b.pem")
    raises("NUL", key.write, key, base .. NUL .. "b.pem", {public = true})
    assert.is_false(exists(base), "the key was written to the path cut at the NUL")
    os.remove(base)
  end)

  it("passphrases with a NUL byte raise (export, write and parse)", function()
    raises("NUL", key.to_pem, key, {passphrase = "sec" .. NUL .. "ret"})
    raises("NUL", key.to_der, key, {passphrase = "sec" .. NUL .. "ret"})
    local base = helpers.tmpname()
    raises("NUL", key.write, key, base, {passphrase = "a" .. NUL})
    assert.is_false(exists(base))
    raises("NUL", csr.key.parse, fx("ec-p256-enc.pem"), {passphrase = "secret" .. NUL})
    -- the passphrase itself still works
    assert.are.equal("ec", assert(csr.key.parse(fx("ec-p256-enc.pem"),
                                                {passphrase = "secret"})):type())
  end)

  it("option names and enum values with a NUL byte raise", function()
    raises("NUL", csr.key.parse, fx("ec-p256-enc.pem"), {["passphrase" .. NUL .. "x"] = "secret"})
    raises("NUL", key.to_pem, key, {["public" .. NUL] = true})
    raises("NUL", csr.key.generate, "ec" .. NUL .. "x")
    raises("NUL", csr.key.generate, "ec", {curve = "P-256" .. NUL})
    raises("NUL", key.sign, key, "data", {digest = "sha256" .. NUL .. "x"})
    raises("NUL", key.verify, key, "data", "sig", {format = "raw" .. NUL})
    local rsa = assert(csr.key.parse(fx("rsa2048.pem")))
    raises("NUL", rsa.sign, rsa, "data", {padding = "pss" .. NUL})
    raises("NUL", csr.generate, {subject = "CN=x", key = {"ec" .. NUL}})
    raises("NUL", csr.generate, {subject = "CN=x", digest = "sha384" .. NUL})
    raises("NUL", csr.request.new, {key = key, ["san" .. NUL] = {dns = {"a.example"}}})
    raises("NUL", csr.request.new, {key = key, san = {["dns" .. NUL] = {"a.example"}}})
    local req = assert(csr.request.new{key = key, subject = "CN=x"})
    raises("NUL", req.sign, req, key, {digest = "sha256" .. NUL})
  end)

  it("OIDs and extension names with a NUL byte raise", function()
    raises("NUL", csr.request.new, {key = key, extended_key_usage = {"1.2.3" .. NUL .. ".4"}})
    raises("NUL", csr.request.new, {key = key, extended_key_usage = {"serverAuth" .. NUL}})
    raises("NUL", csr.request.new, {key = key, key_usage = {"digitalSignature" .. NUL}})
    raises("NUL", csr.request.new,
           {key = key, extensions = {{oid = "1.2.3.4" .. NUL .. "5", value = "\5\0"}}})
    raises("NUL", csr.request.new, {key = key, key_usage = {"keyCertSign", ["critical" .. NUL] = true}})
  end)

  it("subject attribute names with a NUL byte raise", function()
    raises("NUL", csr.subject.new, {{"CN" .. NUL .. "x", "v"}})
    raises("NUL", csr.subject.new, {{{"O", "o"}, {"CN" .. NUL, "v"}}})
    raises("NUL", csr.request.new, {key = key, subject = {{"CN" .. NUL, "v"}}})
    local s = assert(csr.subject.new{{"CN", "v"}})
    raises("NUL", s.add, s, "CN" .. NUL .. "x", "w")
    raises("NUL", s.get, s, "CN" .. NUL .. "x")
    raises("NUL", s.get, s, "2.5.4.3" .. NUL)
    assert.are.equal(1, s:count())
  end)

  it("values stay data: a NUL in a value is a fail, not a raise", function()
    fails(E.BAD_NAME, nil, csr.subject.new({{"CN", "x" .. NUL .. "y"}}))
    fails(E.INVALID, "NUL", csr.request.new{key = key, challenge_password = "a" .. NUL .. "b"})
    fails(E.BAD_DER, nil, csr.key.parse(fx("ec-p256.der") .. NUL))
  end)
end)

-- ---------------------------------------------------------------------------------------
describe("compressed EC points", function()
  local curves = {
    {"p256", "P-256", 256}, {"p384", "P-384", 384}, {"p521", "P-521", 521},
  }
  local fps = {}
  for line in fx("fingerprints.txt"):gmatch("[^\n]+") do
    local n, fp = line:match("^(%S+) (%x+)$")
    fps[n] = fp
  end

  -- the subjectPublicKey bytes (the EC point) of an SPKI DER
  local function spki_point(spki)
    local _, h0 = helpers.der_header(spki, 1)
    local _, h1, l1 = helpers.der_header(spki, 1 + h0)          -- AlgorithmIdentifier
    local pos = 1 + h0 + h1 + l1
    local tag, h2, l2 = helpers.der_header(spki, pos)
    assert.are.equal(3, tag)
    return spki:sub(pos + h2 + 1, pos + h2 + l2 - 1)            -- after the unused-bits byte
  end

  for _, c in ipairs(curves) do
    local n, cname, bits = c[1], c[2], c[3]

    it(cname .. ": reads SEC1, PKCS#8 and SPKI with a compressed point; fingerprint is openssl's",
       function()
      for _, f in ipairs({"ec-" .. n .. "-comp.pem", "ec-" .. n .. "-comp-trad.pem",
                          "ec-" .. n .. "-comp-pub.pem"}) do
        local k, msg = csr.key.parse(fx(f))
        assert.is_not_nil(k, f .. ": " .. tostring(msg))
        assert.are.equal("ec", k:type())
        assert.are.equal(cname, k:curve())
        assert.are.equal(bits, k:bits())
        assert.are.equal(not f:find("-pub", 1, true), k:is_private())
        assert.are.equal(fps["ec-" .. n .. "-comp"], k:fingerprint(), f)
        local point = spki_point(k:to_der{public = true})
        assert.is_truthy(point:byte(1) == 2 or point:byte(1) == 3, f)
        assert.are.equal(math.ceil(bits / 8) + 1, #point, f)
      end
    end)

    it(cname .. ": the compressed and the uncompressed key are the same key", function()
      local comp = assert(csr.key.parse(fx("ec-" .. n .. "-comp.pem")))
      local comp_pub = assert(csr.key.parse(fx("ec-" .. n .. "-comp-pub.pem")))
      local plain = assert(csr.key.parse(fx("ec-" .. n .. ".pem")))
      local plain_pub = assert(csr.key.parse(fx("ec-" .. n .. "-pub.pem")))
      local sig = assert(comp:sign("message"))
      assert.is_true(plain_pub:verify("message", sig))
      assert.is_true(comp_pub:verify("message", sig))
      sig = assert(plain:sign("message"))
      assert.is_true(comp_pub:verify("message", sig))
      assert.is_false((comp_pub:verify("other", sig)))
      -- the uncompressed point decompressed: x equal, y's parity in the prefix
      local up = spki_point(plain:to_der{public = true})
      local cp = spki_point(comp:to_der{public = true})
      assert.are.equal(up:sub(2, 1 + math.ceil(bits / 8)), cp:sub(2))
      assert.are.equal(2 + up:byte(#up) % 2, cp:byte(1))
      -- a request built with either key belongs to both
      local req = assert(csr.request.new{key = comp, subject = "CN=c"})
      assert(req:sign(comp))
      assert.is_true(req:verify())
      assert.is_true(req:matches(comp))
      assert.is_true(req:matches(plain))
      assert.is_true(req:matches(plain_pub))
      local other = n == "p256" and "ec-p384.pem" or "ec-p256.pem"
      assert.is_false(req:matches(assert(csr.key.parse(fx(other)))))
    end)

    it(cname .. ": export keeps the form; parsing the export gives the same fingerprint",
       function()
      local comp = assert(csr.key.parse(fx("ec-" .. n .. "-comp.pem")))
      for _, form in ipairs({comp:to_pem(), comp:to_der(), comp:to_pem{public = true},
                             comp:public():to_der(), comp:to_pem{passphrase = "pw"}}) do
        local back = assert(csr.key.parse(form, {passphrase = "pw"}))
        assert.are.equal(comp:fingerprint(), back:fingerprint())
      end
      assert.are.equal(comp:fingerprint(), comp:public():fingerprint())
    end)
  end

  it("to_der{public = true} is openssl's SPKI byte for byte", function()
    local k = assert(csr.key.parse(fx("ec-p256-comp.pem")))
    assert.are.equal(fx("ec-p256-comp-pub.der"), k:to_der{public = true})
    assert.are.equal(fx("ec-p256-comp-pub.der"), k:public():to_der())
    assert.are.equal(fx("ec-p256-comp-pub.pem"), k:to_pem{public = true})
  end)

  it("reads, verifies and matches a request openssl made with a compressed key", function()
    local req = assert(csr.request.parse(helpers.fixture("req/ec-p256-comp-req.pem")))
    local ok, msg, code = req:verify()
    assert.is_true(ok, tostring(msg) .. " " .. tostring(code))
    local pub = assert(req:public_key())
    assert.are.equal(fps["ec-p256-comp"], pub:fingerprint())
    assert.is_true(req:matches(assert(csr.key.parse(fx("ec-p256-comp.pem")))))
    assert.is_true(req:matches(assert(csr.key.parse(fx("ec-p256.pem")))))
    assert.is_true(req:matches(assert(csr.key.parse(fx("ec-p256-pub.pem")))))
    assert.is_false(req:matches(assert(csr.key.parse(fx("ec-p384-comp.pem")))))
    assert.is_truthy(req:text():find("pub:%s+0[23]:"))
  end)

  describe("points that are not on the curve are refused", function()
    local good = fx("ec-p256-comp-pub.der")           -- 59 bytes: header 26, point 33
    local head, point = good:sub(1, 26), good:sub(27)
    assert(#point == 33 and (point:byte(1) == 2 or point:byte(1) == 3))
    local function with_point(p)
      local bitstring = helpers.der_tlv(3, "\0" .. p)
      local alg = good:sub(3, 23)                      -- the AlgorithmIdentifier TLV
      return helpers.der_tlv(0x30, alg .. bitstring)
    end
    assert(with_point(point) == good and head == good:sub(1, 26))

    it("the x of no point (no square root) is BAD_DER", function()
      -- x = 1: 1 - 3 + b is not a square modulo the P-256 prime
      local x1 = string.rep("\0", 31) .. "\1"
      fails(E.BAD_DER, nil, csr.key.parse(with_point("\2" .. x1)))
      fails(E.BAD_DER, nil, csr.key.parse(with_point("\3" .. x1)))
    end)

    it("x at or above the field prime is BAD_DER (not reduced)", function()
      local p = helpers.fromhex(
        "ffffffff00000001000000000000000000000000ffffffffffffffffffffffff")
      local p5 = helpers.fromhex(                    -- p + 5; 5 is a valid x
        "ffffffff00000001000000000000000000000001000000000000000000000004")
      fails(E.BAD_DER, "coordinate out of range", csr.key.parse(with_point("\2" .. p)))
      fails(E.BAD_DER, "coordinate out of range", csr.key.parse(with_point("\2" .. p5)))
      fails(E.BAD_DER, "coordinate out of range",
            csr.key.parse(with_point("\3" .. string.rep("\255", 32))))
      local x5 = string.rep("\0", 31) .. "\5"
      assert.is_not_nil(csr.key.parse(with_point("\2" .. x5)))
      -- p - 1 is in range (whether or not a point has it), and so is every x below p that
      -- differs from p only in its last nibble or its first
      for _, x in ipairs{
        "ffffffff00000001000000000000000000000000fffffffffffffffffffffffe",
        "ffffffff00000001000000000000000000000000fffffffffffffffffffffff0",
        "efffffff00000001000000000000000000000000ffffffffffffffffffffffff"} do
        local _, msg = csr.key.parse(with_point("\2" .. helpers.fromhex(x)))
        assert.is_nil((tostring(msg):find("out of range", 1, true)), x)
      end
    end)

    it("an uncompressed point with y at or above the prime is BAD_DER", function()
      local plain = fx("ec-p256-pub.der")
      local pt = spki_point(plain)
      local x = pt:sub(2, 33)
      local p = helpers.fromhex(
        "ffffffff00000001000000000000000000000000ffffffffffffffffffffffff")
      fails(E.BAD_DER, "coordinate out of range", csr.key.parse(with_point("\4" .. x .. p)))
      fails(E.BAD_DER, "coordinate out of range", csr.key.parse(with_point("\4" .. p .. x)))
      assert.is_not_nil(csr.key.parse(with_point(pt)))
    end)

    it("a wrong prefix or length is BAD_DER", function()
      fails(E.BAD_DER, nil, csr.key.parse(with_point("\5" .. point:sub(2))))
      fails(E.BAD_DER, nil, csr.key.parse(with_point(point .. "\0")))
      fails(E.BAD_DER, nil, csr.key.parse(with_point(point:sub(1, 32))))
      fails(E.BAD_DER, nil, csr.key.parse(with_point("\4" .. point:sub(2))))
    end)
  end)

  describe("judged by #openssl", function()
    for _, c in ipairs(curves) do
      local n, cname = c[1], c[2]
      it(cname .. ": openssl's request over a compressed key; ours read by openssl", function()
        if not have_openssl() then pending("openssl not available"); return end
        local keyfile = helpers.root .. "/spec/fixtures/keys/ec-" .. n .. "-comp.pem"
        local out = helpers.tmpname(".pem")
        local ok, text = helpers.run("openssl req -new -key " .. helpers.shellquote(keyfile) ..
                                     " -subj /CN=openssl.example -out " .. out)
        assert.is_true(ok, text)
        local req = assert(csr.request.parse(helpers.readfile(out)))
        os.remove(out)
        assert.is_true(req:verify())
        local comp = assert(csr.key.parse(fx("ec-" .. n .. "-comp.pem")))
        assert.is_true(req:matches(comp))
        assert.are.equal(comp:fingerprint(), assert(req:public_key()):fingerprint())
        -- ours: openssl verifies it and sees the same (compressed) public key
        local pem = assert(csr.generate{key = comp, subject = "CN=ours.example"})
        local f = helpers.tmpfile(pem, ".pem")
        ok, text = helpers.run("openssl req -in " .. f .. " -noout -verify")
        assert.is_true(ok, text)
        assert.is_truthy(text:find("verify OK", 1, true), text)
        local pubf = helpers.tmpname(".der")
        ok, text = helpers.run("openssl req -in " .. f .. " -noout -pubkey | openssl pkey -pubin" ..
                               " -outform DER -out " .. pubf)
        assert.is_true(ok, text)
        assert.are.equal(comp:to_der{public = true}, helpers.readfile(pubf))
        os.remove(f)
        os.remove(pubf)
      end)

      it(cname .. ": fingerprint equals sha256 of openssl pkey -pubout, and openssl reads our export",
         function()
        if not have_openssl() then pending("openssl not available"); return end
        local comp = assert(csr.key.parse(fx("ec-" .. n .. "-comp-trad.pem")))
        local f = helpers.tmpfile(comp:to_pem(), ".pem")
        local ok, text = helpers.run("openssl pkey -in " .. f .. " -pubout -outform DER | sha256sum")
        assert.is_true(ok, text)
        assert.are.equal(comp:fingerprint(), text:match("^(%x+)"))
        -- our PKCS#8 is openssl's byte for byte, the point compressed as in the input
        local der = helpers.tmpname(".der")
        ok, text = helpers.run("openssl pkcs8 -topk8 -nocrypt -in " .. f .. " -outform DER -out " .. der)
        os.remove(f)
        assert.is_true(ok, text)
        assert.are.equal(helpers.readfile(der), comp:to_der())
        os.remove(der)
      end)
    end
  end)

  it("judged by #python cryptography: our request over a compressed key verifies", function()
    local py = helpers.python()
    if not py then pending("python cryptography not available"); return end
    local comp = assert(csr.key.parse(fx("ec-p384-comp.pem")))
    local pem = assert(csr.generate{key = comp, subject = "CN=py.example"})
    local f = helpers.tmpfile(pem, ".pem")
    local script = helpers.tmpfile([[
import sys
from cryptography import x509
from cryptography.hazmat.primitives import serialization
req = x509.load_pem_x509_csr(open(sys.argv[1], "rb").read())
pt = req.public_key().public_bytes(serialization.Encoding.X962,
                                   serialization.PublicFormat.CompressedPoint)
print("valid=%s point=%s" % (req.is_signature_valid, pt.hex()))
]], ".py")
    local ok, text = helpers.run(py .. " " .. script .. " " .. f)
    os.remove(f)
    os.remove(script)
    assert.is_true(ok, text)
    local spki = comp:to_der{public = true}
    assert.are.equal("valid=True point=" .. helpers.tohex(spki:sub(#spki - 48)),
                     text:match("^[^\n]*"))
  end)
end)

-- ---------------------------------------------------------------------------------------
describe("an empty list in a typed extension is a fail INVALID", function()
  local key = assert(csr.key.parse(fx("ec-p256.pem")))
  local cases = {
    {"san", {san = {}}},
    {"san", {san = {critical = true}}},
    {"san.dns", {san = {dns = {}}}},
    {"san.ip", {san = {ip = {}}}},
    {"san.email", {san = {email = {}}}},
    {"san.uri", {san = {uri = {}}}},
    {"san.dns", {san = {dns = {}, ip = {"192.0.2.1"}}}},
    {"san.uri", {san = {dns = {"a.example"}, uri = {}}}},
    {"key_usage", {key_usage = {}}},
    {"key_usage", {key_usage = {critical = true}}},
    {"extended_key_usage", {extended_key_usage = {}}},
    {"extended_key_usage", {extended_key_usage = {critical = false}}},
  }
  for i, c in ipairs(cases) do
    it("case " .. i .. ": " .. c[1] .. " (request.new and generate)", function()
      local opts = c[2]
      opts.key = key
      opts.subject = "CN=x"
      fails(E.INVALID, c[1] .. " is an empty list", csr.request.new(opts))
      fails(E.INVALID, c[1] .. " is an empty list", csr.generate(opts))
    end)
  end

  it("an empty extensions list adds nothing (raw extensions are not typed)", function()
    local req = assert(csr.request.new{key = key, subject = "CN=x", extensions = {}})
    assert(req:sign(key))
    assert.are.same({}, req:extensions())
  end)
end)

-- ---------------------------------------------------------------------------------------
describe("what the README says", function()
  it("s:add fails on bad data and raises on misuse", function()
    local s = assert(csr.subject.new{{"CN", "x"}})
    fails(E.BAD_NAME, nil, s:add("C", "USA"))
    fails(E.BAD_NAME, nil, s:add("bogusName", "x"))
    fails(E.BAD_NAME, nil, s:add("CN", ""))
    fails(E.BAD_UTF8, nil, s:add("CN", "\255"))
    raises("string expected", s.add, s, "CN", {})
    raises("string expected", s.add, s, nil, "x")
    assert.are.equal(1, s:count())
    assert.are.equal(s, s:add("O", "Example"))
    assert.are.equal(2, s:count())
  end)

  it("received bytes come back as they are from subject() and san(); text() escapes them",
     function()
    local key = assert(csr.key.parse(fx("ec-p256.pem")))
    local req = assert(csr.request.new{key = key, subject = {{"CN", "evil.com~.good.com"}},
                                       san = {dns = {"evil.com~.good.com"}}})
    assert(req:sign(key))
    local der = req:to_der()
    local _, count = der:gsub("com~%.good", "")
    assert.are.equal(2, count)                       -- the two names only
    local got = assert(csr.request.parse((der:gsub("com~%.good", "com\0.good"))))
    assert.are.equal("evil.com\0.good.com", got:subject():get("CN"))
    assert.are.equal("evil.com\0.good.com", got:san().dns[1])
    assert.are.equal("evil.com\0.good.com", got:subject():entries()[1][2])
    local name = assert(csr.subject.parse_der(got:subject():to_der()))
    assert.are.equal("evil.com\0.good.com", name:get("CN"))
    assert.is_nil(got:text():find("\0", 1, true))
    assert.is_truthy(got:text():find("CN=evil.com\\00.good.com", 1, true))
    assert.is_truthy(got:text():find("DNS:evil.com\\x00.good.com", 1, true))
    assert.are.equal("CN=evil.com\\00.good.com", tostring(got:subject()))
    assert.is_false((got:verify()))                  -- the bytes were changed after signing
  end)

  it("RSA sizes: generate takes 2048..4096 bits, parse reads 512..4096", function()
    fails(E.INVALID, "2048..4096", csr.key.generate("rsa", {bits = 2047}))
    fails(E.INVALID, "2048..4096", csr.key.generate("rsa", {bits = 4097}))
    fails(E.UNSUPPORTED, "4096", csr.key.parse(fx("rsa8192.pem")))
    -- RSAPublicKey with a 505-bit and a 512-bit (odd) modulus, e = 65537
    local function rsapub(nbytes)
      return helpers.der_tlv(0x30, helpers.der_tlv(2, nbytes) .. helpers.der_tlv(2, "\1\0\1"))
    end
    local n505 = "\1" .. string.rep("\0", 62) .. "\1"
    local n512 = "\0\128" .. string.rep("\0", 62) .. "\1"
    fails(E.BAD_DER, "RSA modulus", csr.key.parse(rsapub(n505)))
    assert.are.equal(512, assert(csr.key.parse(rsapub(n512))):bits())
  end)

  it("parse reads a 1024-bit RSA key (#openssl)", function()
    if not have_openssl() then pending("openssl not available"); return end
    local f = helpers.tmpname(".pem")
    local ok, text = helpers.run("openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:1024" ..
                                 " -out " .. f)
    assert.is_true(ok, text)
    local k = assert(csr.key.parse(helpers.readfile(f)))
    os.remove(f)
    assert.are.equal(1024, k:bits())
    assert.is_true(k:verify("m", assert(k:sign("m"))))
  end)

  it("generate makes an RSA key of any size in the range, 3001 bits included #slow", function()
    if os.getenv("CSR_UNDER_VALGRIND") then pending("RSA keygen under valgrind"); return end
    local k = assert(csr.key.generate("rsa", {bits = 3001}))
    assert.are.equal(3001, k:bits())
  end)
end)
