-- The error tiers of every Lua-facing function (README "Conventions"):
--   bad data      -> nil, "csr.<class>[.:]<fn>: <text>", code (a csr.errors value)
--   verification  -> false, msg, code (an answer, never nil)
--   API misuse    -> raises, naming the problem (wrong type, unknown option/enum, closed object)
local csr = require "csr"
local helpers = require "helpers"

local E = csr.errors

local function keyfx(name)
  return helpers.fixture("keys/" .. name)
end

local known_codes = {}
for _, v in pairs(E) do known_codes[v] = true end

-- "csr.<class>.<fn>: " / "csr.<class>:<method>: "; the one module-level operation,
-- csr.generate, has no class and names itself "csr.generate: ".
local function assert_prefix(where, msg)
  if where == "csr.generate" then
    assert.matches("^csr%.generate: ", msg)
  else
    assert.matches("^csr%.[%w_]+[.:][%w_]+: ", msg)
  end
  assert.are.equal(where .. ": ", msg:sub(1, #where + 2))
end

-- Asserts the fail triple exactly: nil, a prefixed message, a known integer code (and the
-- expected one when given). Returns the message.
local function assert_fail(where, code, ...)
  local n = select("#", ...)
  local v, msg, c = ...
  assert.are.equal(3, n, "expected exactly 3 results (nil, msg, code), got " .. n)
  assert.is_nil(v)
  assert.is_string(msg)
  assert_prefix(where, msg)
  assert.is_number(c)
  assert.are.equal(math.floor(c), c)
  assert.is_true(known_codes[c] == true, "code " .. tostring(c) .. " is not in csr.errors")
  if code ~= nil then
    assert.are.equal(code, c, "expected code " .. code .. ", got " .. c .. " (" .. msg .. ")")
  end
  return msg
end

-- Verification answers: false (not nil), prefixed message, known code.
local function assert_answer_false(where, code, ...)
  local n = select("#", ...)
  local v, msg, c = ...
  assert.are.equal(3, n)
  assert.are.equal(false, v)
  assert.is_string(msg)
  assert_prefix(where, msg)
  assert.is_number(c)
  assert.is_true(known_codes[c] == true, "code " .. tostring(c) .. " is not in csr.errors")
  if code ~= nil then
    assert.are.equal(code, c, "expected code " .. code .. ", got " .. c .. " (" .. msg .. ")")
  end
end

-- Asserts f raises a (string) error containing every plain-text fragment.
local function assert_raises(f, ...)
  local ok, err = pcall(f)
  assert.is_false(ok, "expected a raise")
  assert.is_string(err)
  for i = 1, select("#", ...) do
    local frag = select(i, ...)
    assert.is_truthy(err:find(frag, 1, true), "error '" .. err .. "' lacks '" .. frag .. "'")
  end
  return err
end

local BAD_B64_KEY = "-----BEGIN PRIVATE KEY-----\n!!!!\n-----END PRIVATE KEY-----\n"
local BAD_B64_REQ = "-----BEGIN CERTIFICATE REQUEST-----\n!!!!\n" ..
                    "-----END CERTIFICATE REQUEST-----\n"

describe("csr.errors", function()
  it("has exactly the stable names and values of README.md's Conventions", function()
    local want = {
      NOMEM = 1, INVALID = 2, BAD_PEM = 3, BAD_DER = 4, UNSUPPORTED = 5, PASSPHRASE = 6,
      KEY_MISMATCH = 7, BAD_SIGNATURE = 8, NOT_SIGNED = 9, CRYPTO = 10, IO = 11,
      TOO_LARGE = 12, BAD_NAME = 13, BAD_UTF8 = 14, BAD_IP = 15, DUPLICATE = 16,
      BAD_VERSION = 17,
    }
    assert.are.same(want, csr.errors)
  end)

  it("values are distinct integers", function()
    local seen = {}
    for name, v in pairs(csr.errors) do
      assert.is_number(v)
      assert.are.equal(math.floor(v), v)
      assert.is_nil(seen[v], name .. " shares its value")
      seen[v] = name
    end
  end)
end)

describe("csr.key errors", function()
  local ec, ed

  setup(function()
    ec = assert(csr.key.generate("ec"))
    ed = assert(csr.key.generate("ed25519"))
  end)

  describe("csr.key.generate", function()
    it("fails INVALID for rsa bits 1024 and 8192", function()
      assert_fail("csr.key.generate", E.INVALID, csr.key.generate("rsa", {bits = 1024}))
      assert_fail("csr.key.generate", E.INVALID, csr.key.generate("rsa", {bits = 8192}))
    end)

    it("raises on unknown key type, curve, option key and wrong types", function()
      assert_raises(function() csr.key.generate("dsa") end, "dsa")
      assert_raises(function() csr.key.generate("ec", {curve = "P-192"}) end, "P-192")
      assert_raises(function() csr.key.generate("ec", {foo = 1}) end, "unknown option", "foo")
      assert_raises(function() csr.key.generate(123) end, "#1")
      assert_raises(function() csr.key.generate("ec", 5) end, "table expected")
      assert_raises(function() csr.key.generate("rsa", {bits = "2048"}) end, "bits")
      assert_raises(function() csr.key.generate("rsa", {bits = 2048.5}) end, "bits")
      assert_raises(function() csr.key.generate("ec", {curve = 256}) end, "curve")
      assert_raises(function() csr.key.generate("ec", {bits = 2048}) end, "bits")
    end)
  end)

  describe("csr.key.parse", function()
    it("fails BAD_PEM for PEM garbage", function()
      assert_fail("csr.key.parse", E.BAD_PEM, csr.key.parse(BAD_B64_KEY))
      assert_fail("csr.key.parse", E.BAD_PEM,
                  csr.key.parse("-----BEGIN PRIVATE KEY-----\nAAAA\n"))
    end)

    it("fails BAD_DER for DER garbage and non-key text", function()
      assert_fail("csr.key.parse", E.BAD_DER, csr.key.parse("\48\130\1\1\2"))
      assert_fail("csr.key.parse", E.BAD_DER, csr.key.parse(""))
      assert_fail("csr.key.parse", E.BAD_DER, csr.key.parse("hello"))
    end)

    it("fails PASSPHRASE for a missing or wrong passphrase", function()
      local enc = keyfx("ec-p256-enc.pem")
      assert_fail("csr.key.parse", E.PASSPHRASE, csr.key.parse(enc))
      assert_fail("csr.key.parse", E.PASSPHRASE, csr.key.parse(enc, {passphrase = "wrong"}))
    end)

    it("fails UNSUPPORTED for RSA-8192 and secp256k1", function()
      assert_fail("csr.key.parse", E.UNSUPPORTED, csr.key.parse(keyfx("rsa8192.pem")))
      assert_fail("csr.key.parse", E.UNSUPPORTED, csr.key.parse(keyfx("ec-secp256k1.pem")))
    end)

    it("raises on wrong types and unknown options", function()
      assert_raises(function() csr.key.parse(nil) end, "string expected")
      assert_raises(function() csr.key.parse({}) end, "string expected")
      assert_raises(function() csr.key.parse("x", "pass") end, "table expected")
      assert_raises(function() csr.key.parse("x", {pass = "x"}) end, "unknown option", "pass")
      assert_raises(function() csr.key.parse("x", {passphrase = 5}) end, "passphrase")
    end)
  end)

  describe("key methods", function()
    it("sign: fails INVALID for a digest with EdDSA and PSS with EC", function()
      assert_fail("csr.key:sign", E.INVALID, ed:sign("x", {digest = "sha256"}))
      assert_fail("csr.key:sign", E.INVALID, ec:sign("x", {padding = "pss"}))
    end)

    it("sign: raises on unknown digest/padding/format, options and wrong types", function()
      assert_raises(function() ec:sign("x", {digest = "md5"}) end, "md5")
      assert_raises(function() ec:sign("x", {digest = "sha1"}) end, "sha1")
      assert_raises(function() ec:sign("x", {padding = "oaep"}) end, "oaep")
      assert_raises(function() ec:sign("x", {format = "jwk"}) end, "jwk")
      assert_raises(function() ec:sign("x", {foo = true}) end, "unknown option", "foo")
      assert_raises(function() ec:sign({}) end, "string expected")
      assert_raises(function() ec:sign("x", 5) end, "table expected")
      assert_raises(function() ec.sign("k", "x") end, "csr.key expected")
    end)

    it("verify: answers false, msg, code (never nil) on a bad signature", function()
      assert_answer_false("csr.key:verify", E.BAD_SIGNATURE, ec:verify("x", "garbage"))
      local sig = assert(ec:sign("data"))
      assert_answer_false("csr.key:verify", E.BAD_SIGNATURE, ec:verify("other", sig))
      local other = assert(csr.key.generate("ec"))
      assert_answer_false("csr.key:verify", E.BAD_SIGNATURE, other:verify("data", sig))
      local esig = assert(ed:sign("data"))
      assert_answer_false("csr.key:verify", E.BAD_SIGNATURE, ed:verify("datA", esig))
    end)

    it("verify: a digest with EdDSA is an answer, not a raise", function()
      assert_answer_false("csr.key:verify", E.INVALID, ed:verify("x", "y", {digest = "sha256"}))
    end)

    it("verify: raises on unknown digest and wrong types", function()
      assert_raises(function() ec:verify("x", "y", {digest = "md5"}) end, "md5")
      assert_raises(function() ec:verify("x") end, "string expected")
      assert_raises(function() ec:verify("x", "y", {zzz = 1}) end, "unknown option", "zzz")
    end)

    it("to_pem/to_der: raise on unknown options, wrong option types, passphrase misuse", function()
      local pub = assert(ec:public())
      for _, m in ipairs({"to_pem", "to_der"}) do
        assert_raises(function() ec[m](ec, {foo = 1}) end, "unknown option", "foo")
        assert_raises(function() ec[m](ec, {public = "yes"}) end, "public")
        assert_raises(function() ec[m](ec, {passphrase = 5}) end, "passphrase")
        assert_raises(function() ec[m](ec, 5) end, "table expected")
        assert_raises(function() pub[m](pub, {passphrase = "x"}) end, "passphrase")
      end
    end)

    it("write: fails IO for an existing file or a missing directory", function()
      local path = helpers.tmpfile("already here")
      local msg = assert_fail("csr.key:write", E.IO, ec:write(path))
      os.remove(path)
      assert_fail("csr.key:write", E.IO, ec:write("/nonexistent-dir-h7/x.pem"))
      -- the message names the file, never the key
      assert.is_truthy(msg:find(path, 1, true))
    end)

    it("write: raises on a missing path and unknown options", function()
      assert_raises(function() ec:write() end, "string expected")
      assert_raises(function() ec:write("/tmp/x", {foo = 1}) end, "unknown option", "foo")
    end)

    it("every method raises on a wrong self type", function()
      local s = csr.subject.new("CN=x")
      for _, m in ipairs({"type", "bits", "curve", "is_private", "public", "to_pem", "to_der",
                          "write", "fingerprint", "sign", "verify"}) do
        assert_raises(function() ec[m](s, "a", "b") end, "csr.key expected")
        assert_raises(function() ec[m](nil) end, "csr.key expected")
      end
    end)
  end)
end)

describe("csr.subject errors", function()
  it("new: fails BAD_UTF8 / BAD_NAME for bad data in each form", function()
    assert_fail("csr.subject.new", E.BAD_UTF8, csr.subject.new({{"CN", "\255\254"}}))
    assert_fail("csr.subject.new", E.BAD_UTF8, csr.subject.new("CN=\255\254"))
    assert_fail("csr.subject.new", E.BAD_UTF8, csr.subject.new("/CN=\255\254"))
    assert_fail("csr.subject.new", E.BAD_NAME, csr.subject.new("XX=foo"))
    assert_fail("csr.subject.new", E.BAD_NAME, csr.subject.new({{"XX", "foo"}}))
    assert_fail("csr.subject.new", E.BAD_NAME, csr.subject.new("C=USA"))
    assert_fail("csr.subject.new", E.BAD_NAME, csr.subject.new("CN="))
    assert_fail("csr.subject.new", E.BAD_NAME, csr.subject.new("CN=" .. string.rep("a", 65)))
    assert_fail("csr.subject.new", E.BAD_NAME, csr.subject.new("garbage without equals"))
    assert_fail("csr.subject.new", E.BAD_NAME, csr.subject.new({{"CN", "x\0y"}}))
  end)

  it("new: raises on wrong types", function()
    assert_raises(function() csr.subject.new(5) end, "got number")
    assert_raises(function() csr.subject.new() end, "got nil")
    assert_raises(function() csr.subject.new({{"CN", 5}}) end, "value must be a string")
    assert_raises(function() csr.subject.new({{5, "x"}}) end, "attribute must be a string")
    assert_raises(function() csr.subject.new({"CN=x"}) end, "entry 1 must be a table")
    assert_raises(function() csr.subject.new({{}}) end, "entry 1")
  end)

  it("parse_der: fails BAD_DER on garbage", function()
    assert_fail("csr.subject.parse_der", E.BAD_DER, csr.subject.parse_der("zz"))
    assert_raises(function() csr.subject.parse_der() end, "string expected")
  end)

  it("add: fails on bad data, raises on wrong types", function()
    local s = csr.subject.new("CN=x")
    assert_fail("csr.subject:add", E.BAD_UTF8, s:add("CN", "\255"))
    assert_fail("csr.subject:add", E.BAD_NAME, s:add("XX", "a"))
    assert_fail("csr.subject:add", E.BAD_NAME, s:add("C", "USA"))
    assert.are.equal("CN=x", tostring(s))            -- failed adds change nothing
    assert_raises(function() s:add("CN", 5) end, "string expected")
    assert_raises(function() s:add(nil, "x") end, "string expected")
  end)

  it("get: raises on an unknown attribute name and wrong types", function()
    local s = csr.subject.new("CN=x")
    assert_raises(function() s:get("XX") end, "unknown attribute", "XX")
    assert_raises(function() s:get() end, "string expected")
    assert.is_nil(s:get("O"))
  end)

  it("every method raises on a wrong self type", function()
    local k = assert(csr.key.generate())
    local s = csr.subject.new("CN=x")
    for _, m in ipairs({"entries", "get", "add", "to_der", "count"}) do
      assert_raises(function() s[m](k, "CN", "x") end, "csr.subject expected")
    end
  end)
end)

describe("csr.request building errors", function()
  local k

  setup(function()
    k = assert(csr.key.generate("ec"))
  end)

  it("new: fails with the specific code for bad data", function()
    local function new(t)
      t.key = t.key or k
      return csr.request.new(t)
    end
    assert_fail("csr.request.new", E.BAD_IP, new({san = {ip = {"1.2.3"}}}))
    assert_fail("csr.request.new", E.BAD_IP, new({san = {ip = {"2001:db8:::1"}}}))
    assert_fail("csr.request.new", E.INVALID, new({san = {dns = {""}}}))
    assert_fail("csr.request.new", E.DUPLICATE, new({extensions = {
      {oid = "1.2.3.4", value = "\5\0"}, {oid = "1.2.3.4", value = "\5\0"}}}))
    assert_fail("csr.request.new", E.DUPLICATE, new({san = {dns = {"a.example"}},
      extensions = {{oid = "2.5.29.17", value = "\48\0"}}}))
    assert_fail("csr.request.new", E.BAD_UTF8, new({challenge_password = "\255"}))
    assert_fail("csr.request.new", E.BAD_UTF8, new({unstructured_name = "\255"}))
    assert_fail("csr.request.new", E.BAD_NAME, new({subject = "XX=1"}))
    assert_fail("csr.request.new", E.BAD_UTF8, new({subject = {{"CN", "\255"}}}))
    assert_fail("csr.request.new", E.BAD_DER, new({extensions = {{oid = "1.2.3", value = "x"}}}))
    assert_fail("csr.request.new", E.INVALID, new({extensions = {{oid = "foo", value = "\5\0"}}}))
    assert_fail("csr.request.new", E.INVALID, new({basic_constraints = {ca = true, pathlen = -1}}))
  end)

  it("new: raises on wrong types, unknown options and unknown names", function()
    local function new(t)
      t.key = t.key or k
      return function() csr.request.new(t) end
    end
    assert_raises(function() csr.request.new("x") end, "table expected")
    assert_raises(function() csr.request.new() end, "table expected")
    assert_raises(function() csr.request.new({}) end, "key")
    assert_raises(function() csr.request.new({key = "k"}) end, "csr.key")
    assert_raises(new({foo = 1}), "unknown option", "foo")
    assert_raises(new({san = {foo = {"x"}}}), "unknown option", "foo")
    assert_raises(new({san = {ip = "1.2.3.4"}}), "ip")
    assert_raises(new({san = {dns = {5}}}), "dns")
    assert_raises(new({key_usage = {"foo"}}), "key_usage", "foo")
    assert_raises(new({extended_key_usage = {"fooAuth"}}), "fooAuth")
    assert_raises(new({basic_constraints = {ca = "yes"}}), "ca")
    assert_raises(new({basic_constraints = {ca = true, pathlen = 0.5}}), "pathlen")
    assert_raises(new({basic_constraints = {ca = true, foo = 1}}), "foo")
    assert_raises(new({must_staple = "yes"}), "must_staple")
    assert_raises(new({challenge_password = 5}), "challenge_password")
    assert_raises(new({subject = 5}), "subject")
    assert_raises(new({subject = {{"CN", 5}}}), "value must be a string")
    assert_raises(new({extensions = {{oid = "1.2.3", value = 5}}}), "value")
    assert_raises(new({extensions = {{value = "\5\0"}}}), "oid")
    assert_raises(new({key_usage = {"digitalSignature", critical = "yes"}}), "critical")
  end)

  it("sign: fails KEY_MISMATCH, INVALID for bad data", function()
    local r = assert(csr.request.new({key = k, subject = "CN=x"}))
    local other = assert(csr.key.generate("ec"))
    assert_fail("csr.request:sign", E.KEY_MISMATCH, r:sign(other))
    assert_fail("csr.request:sign", E.INVALID, r:sign(k, {padding = "pss"}))
    local e = assert(csr.key.generate("ed25519"))
    local re = assert(csr.request.new({key = e}))
    assert_fail("csr.request:sign", E.INVALID, re:sign(e, {digest = "sha256"}))
    local pub = assert(k:public())
    local rp = assert(csr.request.new({key = pub}))
    assert_fail("csr.request:sign", E.INVALID, rp:sign(pub))
    assert.is_false(r:is_signed())
  end)

  it("sign: raises on unknown digest/padding/options and wrong types", function()
    local r = assert(csr.request.new({key = k}))
    assert_raises(function() r:sign(k, {digest = "md5"}) end, "md5")
    assert_raises(function() r:sign(k, {digest = "sha1"}) end, "sha1")
    assert_raises(function() r:sign(k, {padding = "x"}) end, "padding")
    assert_raises(function() r:sign(k, {foo = 1}) end, "unknown option", "foo")
    assert_raises(function() r:sign("k") end, "csr.key expected")
    assert_raises(function() r:sign() end, "csr.key expected")
    assert_raises(function() r:sign(k, "sha256") end, "table expected")
  end)

  it("to_pem/to_der before sign fail NOT_SIGNED", function()
    local r = assert(csr.request.new({key = k}))
    assert_fail("csr.request:to_pem", E.NOT_SIGNED, r:to_pem())
    assert_fail("csr.request:to_der", E.NOT_SIGNED, r:to_der())
  end)

  it("verify before sign answers false, NOT_SIGNED", function()
    local r = assert(csr.request.new({key = k}))
    assert_answer_false("csr.request:verify", E.NOT_SIGNED, r:verify())
  end)

  it("csr.generate: fails for bad data, raises on misuse", function()
    assert_fail("csr.generate", E.INVALID, csr.generate({key = {"rsa", {bits = 1024}}}))
    assert_fail("csr.generate", E.BAD_IP, csr.generate({san = {ip = {"x"}}}))
    assert_fail("csr.generate", E.BAD_NAME, csr.generate({subject = "XX=1"}))
    assert_fail("csr.generate", E.INVALID, csr.generate({key = {"ed25519"}, digest = "sha256"}))
    assert_raises(function() csr.generate({key = {"dsa"}}) end, "dsa")
    assert_raises(function() csr.generate({key = {"ec", {curve = "P-192"}}}) end, "P-192")
    assert_raises(function() csr.generate({digest = "md5"}) end, "md5")
    assert_raises(function() csr.generate({zzz = 1}) end, "unknown option", "zzz")
    assert_raises(function() csr.generate() end, "table expected")
    assert_raises(function() csr.generate({key = "ec"}) end, "key")
    assert_raises(function() csr.generate({key = {"ec", {foo = 1}}}) end, "foo")
  end)
end)

describe("csr.request receiving errors", function()
  local k, signed_der

  setup(function()
    k = assert(csr.key.generate("ec"))
    local r = assert(csr.request.new({key = k, subject = "CN=x", san = {dns = {"x.example"}}}))
    assert(r:sign(k))
    signed_der = assert(r:to_der())
  end)

  it("parse: BAD_PEM for PEM garbage, BAD_DER for DER garbage", function()
    assert_fail("csr.request.parse", E.BAD_PEM, csr.request.parse(BAD_B64_REQ))
    assert_fail("csr.request.parse", E.BAD_PEM,
                csr.request.parse("-----BEGIN CERTIFICATE REQUEST-----\nAAAA\n"))
    assert_fail("csr.request.parse", E.BAD_DER, csr.request.parse("\48\3\2\1\0"))
    assert_fail("csr.request.parse", E.BAD_DER, csr.request.parse(""))
    assert_fail("csr.request.parse", E.BAD_DER, csr.request.parse(signed_der:sub(1, -2)))
    assert_fail("csr.request.parse", E.BAD_DER, csr.request.parse(signed_der .. "\0"))
    assert_fail("csr.request.parse", E.BAD_DER, csr.request.parse("hello"))
  end)

  it("parse: raises on wrong types", function()
    assert_raises(function() csr.request.parse() end, "string expected")
    assert_raises(function() csr.request.parse({}) end, "string expected")
  end)

  it("verify answers false, BAD_SIGNATURE on a flipped signature bit", function()
    local bad = signed_der:sub(1, -2) .. string.char((signed_der:byte(-1) + 1) % 256)
    local r = assert(csr.request.parse(bad))
    assert_answer_false("csr.request:verify", E.BAD_SIGNATURE, r:verify())
  end)

  it("verify answers false, UNSUPPORTED and public_key fails UNSUPPORTED for RSA-8192",
     function()
    local r = assert(csr.request.parse(helpers.fixture("req/rsa8192-req.pem")))
    assert_answer_false("csr.request:verify", E.UNSUPPORTED, r:verify())
    assert_fail("csr.request:public_key", E.UNSUPPORTED, r:public_key())
    assert.are.equal("sha256WithRSAEncryption", r:signature_algorithm())
  end)

  it("every accessor raises on a wrong self type and answers on a good request", function()
    local r = assert(csr.request.parse(signed_der))
    local s = csr.subject.new("CN=x")
    local accessors = {"verify", "subject", "public_key", "version", "signature_algorithm",
                       "san", "key_usage", "extended_key_usage", "basic_constraints",
                       "must_staple", "challenge_password", "unstructured_name", "attributes",
                       "extensions", "text", "to_pem", "to_der", "is_signed", "sign",
                       "matches"}
    for _, m in ipairs(accessors) do
      assert.is_function(r[m], m)
      assert_raises(function() r[m](k, k) end, "csr.request expected")
      assert_raises(function() r[m](s, k) end, "csr.request expected")
      assert_raises(function() r[m]("x", k) end, "csr.request expected")
    end
    assert.is_true(r:verify())
    assert.are.equal(0, r:version())
    assert.are.equal("ecdsa-with-SHA256", r:signature_algorithm())
    assert.are.same({dns = {"x.example"}}, r:san())
    assert.is_nil(r:key_usage())
    assert.is_nil(r:extended_key_usage())
    assert.is_nil(r:basic_constraints())
    assert.is_false(r:must_staple())
    assert.is_nil(r:challenge_password())
    assert.is_nil(r:unstructured_name())
    assert.is_table(r:attributes())
    assert.is_table(r:extensions())
    assert.is_string(r:text())
    assert.is_true(r:matches(k))
  end)

  it("matches raises on a wrong key argument", function()
    local r = assert(csr.request.parse(signed_der))
    assert_raises(function() r:matches("k") end, "csr.key expected")
    assert_raises(function() r:matches() end, "csr.key expected")
  end)
end)

describe("closed objects raise, naming the problem", function()
  it("csr.key methods", function()
    local k = assert(csr.key.generate())
    k:close()
    for _, m in ipairs({"type", "bits", "curve", "is_private", "public", "to_pem", "to_der",
                        "write", "fingerprint", "sign", "verify"}) do
      assert_raises(function() k[m](k, "a", "b") end, "closed csr.key")
    end
  end)

  it("csr.subject methods and metamethods", function()
    local s = csr.subject.new("CN=x")
    s:close()
    for _, m in ipairs({"entries", "get", "add", "to_der", "count"}) do
      assert_raises(function() s[m](s, "CN", "x") end, "closed csr.subject")
    end
    assert_raises(function() return s == csr.subject.new("CN=x") end, "closed csr.subject")
    assert_raises(function() return #s end, "closed csr.subject")
  end)

  it("csr.request methods", function()
    local k = assert(csr.key.generate())
    local r = assert(csr.request.new({key = k}))
    r:close()
    for _, m in ipairs({"sign", "to_pem", "to_der", "is_signed", "verify", "matches", "subject",
                        "public_key", "version", "signature_algorithm", "san", "key_usage",
                        "extended_key_usage", "basic_constraints", "must_staple",
                        "challenge_password", "unstructured_name", "attributes", "extensions",
                        "text"}) do
      assert_raises(function() r[m](r, k) end, "closed csr.request")
    end
  end)

  it("closed objects passed as arguments", function()
    local k = assert(csr.key.generate())
    local kc = assert(csr.key.generate())
    kc:close()
    local sc = csr.subject.new("CN=x")
    sc:close()
    local r = assert(csr.request.new({key = k}))
    assert_raises(function() csr.request.new({key = kc}) end, "closed csr.key")
    assert_raises(function() csr.request.new({key = k, subject = sc}) end, "closed csr.subject")
    assert_raises(function() csr.generate({key = kc}) end, "closed csr.key")
    assert_raises(function() csr.generate({subject = sc}) end, "closed csr.subject")
    assert_raises(function() r:sign(kc) end, "closed csr.key")
    assert_raises(function() r:matches(kc) end, "closed csr.key")
  end)

  -- the subject is a field of the option table, argument #1 (not a stack slot number)
  it("a bad subject option is reported as argument #1 (the option table)", function()
    local k = assert(csr.key.generate())
    local sc = csr.subject.new("CN=x")
    sc:close()
    assert_raises(function() csr.request.new({key = k, subject = sc}) end, "#1")
    assert_raises(function() csr.request.new({key = k, subject = {{"CN", 5}}}) end, "#1")
    assert_raises(function() csr.generate({subject = sc}) end, "#1")
  end)
end)
