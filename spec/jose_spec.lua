-- JOSE primitives: JWK import/export, RFC 7638 thumbprints, flattened JWS, base64url, digest,
-- HMAC and random bytes. RFC vectors from spec/vectors/jose (sources in spec/vectors/README.md);
-- our ES256 signatures are judged by Python cryptography and `openssl pkeyutl`.
local csr = require "csr"
local helpers = require "helpers"
local u = csr.util
local E = csr.errors

local json = (function()
  local ok, m = pcall(require, "dkjson")
  if ok then return m end
  ok, m = pcall(require, "cjson")
  return ok and m or nil
end)()

local function vector(name)
  return json.decode(helpers.readfile(helpers.vectors .. "/jose/" .. name))
end

local function split(compact)
  local h, p, s = compact:match("^([^.]*)%.([^.]*)%.([^.]*)$")
  return h, p, s
end

-- the flattened form of a compact JWS, as k:jws writes it (no whitespace, this member order)
local function flattened(compact)
  local h, p, s = split(compact)
  return string.format('{"protected":"%s","payload":"%s","signature":"%s"}', h, p, s)
end

local function jws_parts(text)
  return text:match('^{"protected":"([^"]*)","payload":"([^"]*)","signature":"([^"]*)"}$')
end

local function fails_with(code, ...)
  local v, msg, c = ...
  assert.is_nil(v)
  assert.is_string(msg)
  assert.are.equal(code, c, msg)
  return msg
end

local function same_members(a, b)
  for k, v in pairs(a) do assert.are.equal(v, b[k], "member " .. k) end
  for k, v in pairs(b) do assert.are.equal(v, a[k], "member " .. k) end
end

local function copy(t, changes)
  local c = {}
  for k, v in pairs(t) do c[k] = v end
  for k, v in pairs(changes or {}) do
    if v == false then c[k] = nil else c[k] = v end
  end
  return c
end

local fixtures = {
  {"rsa2048.pem", "RS256"}, {"ec-p256.pem", "ES256"}, {"ec-p384.pem", "ES384"},
  {"ec-p521.pem", "ES512"}, {"ed25519.pem", "EdDSA"}, {"ed448.pem", "EdDSA"},
}

local function fixture_key(name)
  return assert(csr.key.parse(helpers.fixture("keys/" .. name)))
end

describe("csr.util", function()
  it("base64url-encodes without padding (RFC 4648 section 10 inputs)", function()
    local cases = {[""] = "", f = "Zg", fo = "Zm8", foo = "Zm9v", foob = "Zm9vYg",
                   fooba = "Zm9vYmE", foobar = "Zm9vYmFy", ["\251\255"] = "-_8"}
    for plain, enc in pairs(cases) do
      assert.are.equal(enc, u.base64url_encode(plain))
      assert.are.equal(plain, u.base64url_decode(enc))
    end
  end)

  it("round-trips every byte value and every length up to 70", function()
    local all = {}
    for i = 0, 255 do all[#all + 1] = string.char(i) end
    all = table.concat(all)
    assert.are.equal(all, u.base64url_decode(u.base64url_encode(all)))
    for n = 0, 70 do
      local s = all:sub(1, n)
      local e = u.base64url_encode(s)
      assert.is_nil(e:find("[=+/]"))
      assert.are.equal(s, u.base64url_decode(e))
    end
  end)

  it("decodes strictly: URL alphabet only, no padding, zero unused bits", function()
    for _, bad in ipairs({"Zg==", "Zm9v+g", "Zm9v/g", "Zm 9v", "Zm9v\n", "Z", "Zm9vY", "Zh",
                          "Zm9=", "Zm8A=", "\0"}) do
      local msg = fails_with(E.BAD_PEM, u.base64url_decode(bad))
      assert.matches("^csr%.util%.base64url_decode: ", msg)
    end
  end)

  it("digests match the FIPS 180 'abc' examples", function()
    assert.are.equal("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
                     helpers.tohex(u.digest("sha256", "abc")))
    assert.are.equal(48, #u.digest("sha384", "abc"))
    assert.are.equal("ddaf35a193617aba", helpers.tohex(u.digest("sha512", "abc")):sub(1, 16))
    assert.are.equal("a9993e364706816aba3e25717850c26c9cd0d89d",
                     helpers.tohex(u.digest("sha1", "abc")))
    assert.are.equal(28, #u.digest("sha224", "abc"))
  end)

  it("HMAC reproduces RFC 4231 test case 2", function()
    local v = vector("rfc4231-4.3.json")
    for _, md in ipairs({"sha256", "sha384", "sha512"}) do
      assert.are.equal(v[md], helpers.tohex(u.hmac(md, v.key, v.data)))
    end
    assert.are.equal(32, #u.hmac("sha256", "", ""))
  end)

  it("random gives n fresh bytes", function()
    assert.are.equal("", u.random(0))
    local a, b = u.random(32), u.random(32)
    assert.are.equal(32, #a)
    assert.are_not.equal(a, b)
    assert.are.equal(100000, #u.random(100000))
  end)

  it("raises on misuse", function()
    assert.has_error(function() u.digest("md5", "x") end)
    assert.has_error(function() u.hmac("sha1", "k", "x") end)
    assert.has_error(function() u.random(-1) end)
    assert.has_error(function() u.random(2 ^ 21) end)
    assert.has_error(function() u.base64url_encode({}) end)
  end)
end)

describe("RFC vectors", function()
  if not json then
    it("need a JSON reader", function() pending("neither dkjson nor cjson is installed") end)
    return
  end

  it("RFC 7638 section 3.1: the thumbprint", function()
    local v = vector("rfc7638-3.1.json")
    local k = assert(csr.key.from_jwk(v.jwk))
    assert.are.equal(v.thumbprint, k:thumbprint())
    assert.are.equal(v.thumbprint, u.base64url_encode(u.digest("sha256", v.canonical)))
    same_members({kty = "RSA", n = v.jwk.n, e = v.jwk.e}, k:to_jwk())
  end)

  it("RFC 7515 A.2: RS256 byte for byte, and the private JWK round-trips", function()
    local v = vector("rfc7515-a2.json")
    local k = assert(csr.key.from_jwk(v.jwk))
    assert.are.equal("RS256", k:jws_alg())
    assert.are.equal(flattened(v.compact), k:jws(v.protected, v.payload))
    same_members(v.jwk, k:to_jwk{private = true})
  end)

  it("RFC 7515 A.3: their ES256 signature verifies, a changed one does not", function()
    local v = vector("rfc7515-a3.json")
    local k = assert(csr.key.from_jwk(v.jwk))
    assert.are.equal("ES256", k:jws_alg())
    local h, p, s = split(v.compact)
    assert.are.equal(u.base64url_encode(v.protected), h)
    assert.are.equal(u.base64url_encode(v.payload), p)
    local sig = u.base64url_decode(s)
    assert.is_true(k:verify(h .. "." .. p, sig, {format = "raw"}))
    assert.is_false(k:verify(h .. "." .. p .. "x", sig, {format = "raw"}))
    same_members(v.jwk, k:to_jwk{private = true})
    -- our own ES256 over the same input verifies with their key
    local h2, p2, s2 = jws_parts(k:jws(v.protected, v.payload))
    assert.are.equal(h, h2)
    assert.are.equal(p, p2)
    assert.are.equal(64, #u.base64url_decode(s2))
    assert.is_true(k:public():verify(h .. "." .. p, u.base64url_decode(s2), {format = "raw"}))
  end)

  it("RFC 8037 A: the Ed25519 JWK, its thumbprint and EdDSA byte for byte", function()
    local v = vector("rfc8037-a.json")
    local k = assert(csr.key.from_jwk(v.jwk))
    assert.are.equal("ed25519", k:type())
    assert.are.equal(v.thumbprint, k:thumbprint())
    assert.are.equal("EdDSA", k:jws_alg())
    assert.are.equal(flattened(v.compact), k:jws(v.protected, v.payload))
    same_members(v.jwk, k:to_jwk{private = true})
    local pub = assert(csr.key.from_jwk({kty = "OKP", crv = "Ed25519", x = v.jwk.x}))
    assert.are.equal(v.thumbprint, pub:thumbprint())
    assert.is_false(pub:is_private())
  end)
end)

describe("JWK round trips", function()
  for _, f in ipairs(fixtures) do
    it(f[1] .. ": JWK -> key -> JWK byte for byte, private and public", function()
      local k = fixture_key(f[1])
      local priv = k:to_jwk{private = true}
      local back = assert(csr.key.from_jwk(priv))
      assert.is_true(back:is_private())
      same_members(priv, back:to_jwk{private = true})
      assert.are.equal(k:fingerprint(), back:fingerprint())
      local pub = k:to_jwk()
      assert.is_nil(pub.d)
      local pk = assert(csr.key.from_jwk(pub))
      assert.is_false(pk:is_private())
      same_members(pub, pk:to_jwk())
      assert.are.equal(k:thumbprint(), pk:thumbprint())
      assert.are.equal(f[2], k:jws_alg())
      if k:type() == "ec" then
        local size = ({["P-256"] = 32, ["P-384"] = 48, ["P-521"] = 66})[k:curve()]
        assert.are.equal(size, #u.base64url_decode(pub.x))
        assert.are.equal(size, #u.base64url_decode(pub.y))
        assert.are.equal(size, #u.base64url_decode(priv.d))
      end
    end)
  end

  it("a JWS made by each key verifies with the key (POST-as-GET payload too)", function()
    for _, f in ipairs(fixtures) do
      local k = fixture_key(f[1])
      for _, payload in ipairs({"", '{"a":1}'}) do
        local text = assert(k:jws('{"alg":"' .. k:jws_alg() .. '"}', payload))
        local h, p, s = jws_parts(text)
        assert.is_string(h, text)
        assert.are.equal(u.base64url_encode(payload), p)
        local opts = k:type() == "ec" and {format = "raw"} or nil
        assert.is_true(k:verify(h .. "." .. p, u.base64url_decode(s), opts), f[1])
      end
    end
  end)

  it("ignores members it does not know (kid, use, alg, key_ops)", function()
    local k = fixture_key("ec-p256.pem")
    local j = copy(k:to_jwk(), {kid = "x", use = "sig", alg = "ES256", key_ops = {"verify"}})
    assert.are.equal(k:thumbprint(), assert(csr.key.from_jwk(j)):thumbprint())
  end)
end)

describe("JWK refusals", function()
  local ec = fixture_key("ec-p256.pem"):to_jwk{private = true}
  local ed = fixture_key("ed25519.pem"):to_jwk{private = true}
  local rsa = fixture_key("rsa2048.pem"):to_jwk{private = true}
  local function refuse(code, t, pattern)
    local msg = fails_with(code, csr.key.from_jwk(t))
    assert.matches("^csr%.key%.from_jwk: ", msg)
    if pattern then assert.matches(pattern, msg) end
  end

  it("missing members", function()
    refuse(E.INVALID, copy(ec, {kty = false}), "kty")
    refuse(E.INVALID, copy(ec, {crv = false}), "crv")
    refuse(E.INVALID, copy(ec, {x = false, d = false}), "'x' is missing")
    refuse(E.INVALID, copy(ec, {y = false}), "'y' is missing")
    refuse(E.INVALID, copy(rsa, {e = false}), "'e' is missing")
    refuse(E.INVALID, copy(rsa, {qi = false}), "'qi' is missing")
    refuse(E.INVALID, copy(ed, {x = false}), "'x' is missing")
    refuse(E.INVALID, copy(ec, {x = ""}), "empty")
  end)

  it("members too long or too short", function()
    local x = u.base64url_decode(ec.x)
    refuse(E.INVALID, copy(ec, {x = u.base64url_encode("\0" .. x)}), "must be 32 bytes")
    refuse(E.INVALID, copy(ec, {d = u.base64url_encode(u.base64url_decode(ec.d):sub(2))}),
           "must be 32 bytes")
    refuse(E.INVALID, copy(ed, {x = u.base64url_encode(u.base64url_decode(ed.x) .. "\0")}),
           "must be 32 bytes")
    refuse(E.INVALID, copy(rsa, {n = u.base64url_encode("\0" .. u.base64url_decode(rsa.n))}),
           "leading zero")
    refuse(E.INVALID, copy(rsa, {n = string.rep("A", 5000)}), "too long")
  end)

  it("members that are not base64url", function()
    refuse(E.BAD_PEM, copy(ec, {x = ec.x:sub(1, 10) .. "+" .. ec.x:sub(12)}), "'x'")
    refuse(E.BAD_PEM, copy(ec, {y = ec.y .. "="}), "'y'")
    refuse(E.BAD_PEM, copy(rsa, {n = rsa.n:sub(1, 20) .. " " .. rsa.n:sub(21)}), "'n'")
    refuse(E.INVALID, copy(ec, {x = 12}), "must be a string")
  end)

  it("an EC point off the curve", function()
    local y = u.base64url_decode(ec.y)
    local last = string.char((y:byte(#y) + 1) % 256)
    local bad = u.base64url_encode(y:sub(1, -2) .. last)
    refuse(E.INVALID, copy(ec, {y = bad, d = false}), "not on the curve")
    refuse(E.INVALID, copy(ec, {y = bad}), "not on the curve")
  end)

  it("an RSA modulus under 2048 bits", function()
    -- a 2047-bit odd modulus: the size is refused before anything else is looked at
    local n = u.base64url_decode(rsa.n)
    local small = u.base64url_encode(string.char(n:byte(1) % 128) .. n:sub(2))
    refuse(E.INVALID, {kty = "RSA", n = small, e = rsa.e}, "2047 bits is under 2048")
    refuse(E.INVALID, copy(rsa, {n = small}), "under 2048")
  end)

  it("private parts that do not belong together", function()
    refuse(E.INVALID, copy(ec, {d = csr.key.generate("ec"):to_jwk{private = true}.d}))
    refuse(E.INVALID, copy(ec, {d = u.base64url_encode(string.rep("\1", 32))}), "consistent")
    refuse(E.INVALID, copy(ed, {d = u.base64url_encode(string.rep("\7", 32))}), "match")
    local other = fixture_key("ed448.pem"):to_jwk{private = true}
    refuse(E.INVALID, copy(ed, {crv = "Ed448", x = other.x}), "'d' must be 57 bytes")
    -- RSA: a changed d (the CRT parts still sign) and a changed dp (they do not)
    local d = u.base64url_decode(rsa.d)
    refuse(E.INVALID, copy(rsa, {d = u.base64url_encode(d:sub(1, -2) .. string.char(
      (d:byte(#d) + 2) % 256))}), "d does not agree")
    local dp = u.base64url_decode(rsa.dp)
    refuse(E.INVALID, copy(rsa, {dp = u.base64url_encode(dp:sub(1, -2) .. string.char(
      (dp:byte(#dp) + 2) % 256))}), "inconsistent")
    local q2 = fixture_key("rsa3072.pem"):to_jwk{private = true}
    refuse(E.INVALID, copy(rsa, {qi = q2.qi}))
  end)

  it("kinds of key this module does not do", function()
    refuse(E.UNSUPPORTED, {kty = "oct", k = "AAAA"}, "oct")
    refuse(E.UNSUPPORTED, copy(ec, {crv = "secp256k1"}), "secp256k1")
    refuse(E.UNSUPPORTED, copy(ed, {crv = "X25519", d = false}), "X25519")
    refuse(E.UNSUPPORTED, copy(rsa, {oth = {{r = "AQAB", d = "AQAB", t = "AQAB"}}}), "multi")
    refuse(E.UNSUPPORTED, copy(rsa, {p = false, q = false, dp = false, dq = false, qi = false}),
           "d alone")
  end)

  it("raises on misuse", function()
    local k = fixture_key("ec-p256.pem")
    assert.has_error(function() csr.key.from_jwk("{}") end)
    assert.has_error(function() k:to_jwk{bogus = true} end)
    assert.has_error(function() k:jws({}, "") end)
    assert.has_error(function() k:jws("{}") end)
  end)

  it("a public key has no private JWK and cannot sign", function()
    local pub = fixture_key("ec-p256-pub.pem")
    local msg = fails_with(E.INVALID, pub:to_jwk{private = true})
    assert.matches("^csr%.key:to_jwk: ", msg)
    msg = fails_with(E.INVALID, pub:jws('{"alg":"ES256"}', ""))
    assert.matches("^csr%.key:jws: ", msg)
  end)
end)

-- ES256/384/512, RS256 and EdDSA JWS made here, checked by peers.
describe("our JWS, judged by peers #openssl", function()
  local pythons = {}
  for _, py in ipairs({"python3", "/usr/bin/python3"}) do
    if helpers.run(py .. " -c 'import cryptography'") then pythons[#pythons + 1] = py end
  end

  local verifier = [[
import sys, base64
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa, utils
def b64(s): return base64.urlsafe_b64decode(s + "=" * (-len(s) % 4))
def check(pem, h, p, s):
    key = serialization.load_pem_public_key(open(pem, "rb").read())
    data, sig = (h + "." + p).encode(), b64(s)
    try:
        if isinstance(key, ec.EllipticCurvePublicKey):
            n = len(sig) // 2
            md = {32: hashes.SHA256(), 48: hashes.SHA384(), 66: hashes.SHA512()}[n]
            r, t = int.from_bytes(sig[:n], "big"), int.from_bytes(sig[n:], "big")
            key.verify(utils.encode_dss_signature(r, t), data, ec.ECDSA(md))
        elif isinstance(key, rsa.RSAPublicKey):
            key.verify(sig, data, padding.PKCS1v15(), hashes.SHA256())
        else:
            key.verify(sig, data)
        return "good"
    except Exception:
        return "bad"
a = sys.argv[1:]
print(" ".join(check(*a[i:i + 4]) for i in range(0, len(a), 4)))
]]

  it("Python cryptography verifies every key type's JWS (each Python present)", function()
    if #pythons == 0 then pending("python cryptography not available") return end
    local script = helpers.tmpfile(verifier, ".py")
    local args, want, files = {}, {}, {}
    for _, f in ipairs(fixtures) do
      local k = fixture_key(f[1])
      local pem = helpers.tmpfile(k:to_pem{public = true}, ".pem")
      files[#files + 1] = pem
      local h, p, s = jws_parts(k:jws('{"alg":"' .. k:jws_alg() .. '","nonce":"n"}', '{"x":1}'))
      -- the signature, and the same signature over other data (the check can fail)
      args[#args + 1] = table.concat({pem, h, p, s}, " ")
      args[#args + 1] = table.concat({pem, h, u.base64url_encode("other"), s}, " ")
      want[#want + 1] = "good"
      want[#want + 1] = "bad"
    end
    for _, py in ipairs(pythons) do
      local ok, out = helpers.run(py .. " " .. script .. " " .. table.concat(args, " "))
      assert.is_true(ok, out)
      assert.are.equal(table.concat(want, " "), (out:gsub("%s+$", "")), py)
    end
    for _, f in ipairs(files) do os.remove(f) end
    os.remove(script)
  end)

  it("openssl pkeyutl verifies our ES256 after r||s becomes DER", function()
    if not helpers.run("openssl version") then pending("openssl not installed") return end
    local k = fixture_key("ec-p256.pem")
    local h, p, s = jws_parts(k:jws('{"alg":"ES256"}', "payload"))
    local raw = u.base64url_decode(s)
    local function int(b)
      b = b:gsub("^%z+", "")
      if b == "" or b:byte(1) >= 128 then b = "\0" .. b end
      return helpers.der_tlv(0x02, b)
    end
    local der = helpers.der_tlv(0x30, int(raw:sub(1, 32)) .. int(raw:sub(33)))
    local pem = helpers.tmpfile(k:to_pem{public = true}, ".pem")
    local dig = helpers.tmpfile(u.digest("sha256", h .. "." .. p), ".bin")
    local sig = helpers.tmpfile(der, ".der")
    local cmd = "openssl pkeyutl -verify -pubin -inkey " .. pem .. " -in " .. dig ..
                " -sigfile " .. sig
    local ok, out = helpers.run(cmd)
    assert.is_true(ok, out)
    assert.matches("Signature Verified Successfully", out)
    helpers.writefile(dig, u.digest("sha256", "other"))
    ok = helpers.run(cmd)
    assert.is_false(ok)
    os.remove(pem); os.remove(dig); os.remove(sig)
  end)
end)
