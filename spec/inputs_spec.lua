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

