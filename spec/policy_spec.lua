-- req:check(policy): one request that trips each check and one that passes; requests with
-- several problems list them all. Weak RSA keys come from spec/fixtures/policy (made by
-- make-policy-fixtures.py there); SHA-1 and secp256k1 requests are made by openssl.
local csr = require "csr"
local helpers = require "spec.helpers"

local function key(name) return assert(csr.key.parse(helpers.fixture("keys/" .. name))) end
local P256 = key("ec-p256.pem")

-- A signed request; o as for csr.request.new (key defaults to P256), sign = sign options
local function req(o, sign)
  o.key = o.key or P256
  if o.subject == nil then o.subject = "CN=example.com" end
  local r = assert(csr.request.new(o))
  assert(r:sign(o.key, sign))
  return r
end

-- A subjectAltName the builder would refuse (spaces, control characters), as a raw extension:
-- entries are {"dns" | "email" | "uri", value}
local function raw_san(entries)
  local tags = {email = 0x81, dns = 0x82, uri = 0x86}
  local gn = {}
  for i, e in ipairs(entries) do gn[i] = helpers.der_tlv(tags[e[1]], e[2]) end
  return {{oid = "2.5.29.17", value = helpers.der_tlv(0x30, table.concat(gn))}}
end

local function fixture_req(name) return assert(csr.request.parse(helpers.fixture(name))) end

-- the problems as "code field" strings, and the raw list
local function problems(r, policy)
  local ok, ps = r:check(policy)
  if ok then
    assert.is_nil(ps)
    return {}, {}
  end
  assert.is_false(ok)
  local out = {}
  for i, p in ipairs(ps) do
    assert.is_string(p.code)
    assert.is_string(p.field)
    assert.is_string(p.message)
    out[i] = p.code .. " " .. p.field
  end
  return out, ps
end

local function codes(r, policy)
  local list, ps = problems(r, policy)
  local out = {}
  for i, p in ipairs(ps) do out[i] = p.code end
  return out, ps, list
end

local function passes(r, policy)
  local ok, ps = r:check(policy)
  local msg = ""
  for _, p in ipairs(ps or {}) do msg = msg .. p.code .. " " .. p.field .. ": " .. p.message .. "\n" end
  assert.is_true(ok, msg)
end

local function has(r, policy, code, field, pattern)
  local _, ps = codes(r, policy)
  for _, p in ipairs(ps) do
    if p.code == code and (field == nil or p.field == field) and
       (pattern == nil or p.message:find(pattern, 1, true)) then
      return p
    end
  end
  local got = {}
  for _, p in ipairs(ps) do got[#got + 1] = p.code .. " " .. p.field .. ": " .. p.message end
  error(string.format("expected %s %s %s, got:\n%s", code, tostring(field), tostring(pattern),
                      table.concat(got, "\n")), 2)
end

local function openssl_req(args)
  local out = helpers.tmpname(".pem")
  local ok, text = helpers.run("openssl req -new " .. args .. " -out " .. out)
  if not ok then return nil, text end
  local pem = helpers.readfile(out)
  os.remove(out)
  return assert(csr.request.parse(pem))
end

local function have_openssl() return (helpers.run("openssl version")) end

describe("req:check", function()
  it("passes a plain request under the defaults and returns only true", function()
    local r = req{subject = "CN=www.example.com,O=Example", san = {dns = {"www.example.com"}}}
    local ok, ps = r:check()
    assert.are.equal(true, ok)
    assert.is_nil(ps)
    passes(r, {})
  end)

  it("bad_signature: a request whose signature does not verify", function()
    local good = req{san = {dns = {"example.com"}}}
    local der = good:to_der()
    local bad = assert(csr.request.parse(der:sub(1, -2) .. string.char((der:byte(-1) + 1) % 256)))
    has(bad, nil, "bad_signature", "signature", "does not verify")
    passes(good)
    -- a signature the module cannot check is bad_signature too, with the reason
    has(fixture_req("req/rsa8192-req.pem"), nil, "bad_signature", "signature", "unsupported")
  end)

  it("bad_version: the parser already refuses version 1 (BAD_VERSION); parsed requests pass",
     function()
    local der = req{san = {dns = {"example.com"}}}:to_der()
    -- CertificationRequestInfo starts after the outer header: 30 82 LL LL 30 81|82 .. 02 01 00
    local i = der:find("\2\1\0", 1, true)
    local v1 = der:sub(1, i + 1) .. "\1" .. der:sub(i + 3)
    local r, msg, code = csr.request.parse(v1)
    assert.is_nil(r, msg)
    assert.are.equal(csr.errors.BAD_VERSION, code)
    local list = problems(assert(csr.request.parse(der)))
    for _, p in ipairs(list) do assert.is_nil(p:find("bad_version", 1, true)) end
  end)

  describe("weak_key", function()
    it("an exponent outside rsa_exponents (3)", function()
      local r = fixture_req("policy/rsa-e3-req.pem")
      has(r, nil, "weak_key", "public_key", "exponent 3")
      passes(r, {rsa_exponents = {3, 65537}})
    end)
    it("an even modulus", function()
      local r = fixture_req("policy/rsa-even-req.pem")
      has(r, nil, "weak_key", "public_key", "even")
      has(r, nil, "bad_signature", "signature")
    end)
    it("a prime factor under 1,000", function()
      has(fixture_req("policy/rsa-small-factor-req.pem"), nil, "weak_key", "public_key",
          "small prime factor 997")
    end)
    it("primes Fermat's method splits in 100 rounds", function()
      has(fixture_req("policy/rsa-fermat-req.pem"), nil, "weak_key", "public_key", "Fermat")
    end)
    it("the ROCA fingerprint", function()
      has(fixture_req("policy/rsa-roca-req.pem"), nil, "weak_key", "public_key", "ROCA")
    end)
    it("RSA under min_rsa_bits", function()
      local r = fixture_req("policy/rsa1024-req.pem")
      assert.are.same({"weak_key"}, (codes(r)))
      has(r, nil, "weak_key", "public_key", "1024 bits")
      passes(r, {min_rsa_bits = 1024})
    end)
    it("each weak fixture reports only its own weakness", function()
      for _, f in ipairs{"rsa-e3", "rsa-small-factor", "rsa-fermat", "rsa-roca", "rsa1024"} do
        assert.are.same({"weak_key"}, (codes(fixture_req("policy/" .. f .. "-req.pem"))), f)
      end
    end)
    it("reads RSA-PSS (id-RSASSA-PSS) public keys too", function()
      local k = key("rsapss.pem")
      local r = req({key = k, san = {dns = {"example.com"}}}, {padding = "pss"})
      passes(r)
      has(r, {min_rsa_bits = 3072}, "weak_key", "public_key", "2048 bits")
    end)
    it("passes good RSA keys of 2048, 3072 and 4096 bits", function()
      for _, b in ipairs{"rsa2048.pem", "rsa3072.pem", "rsa4096.pem"} do
        passes(req{key = key(b), san = {dns = {"example.com"}}})
      end
    end)
  end)

  it("key_too_large: RSA over max_rsa_bits", function()
    local r = fixture_req("req/rsa8192-req.pem")
    has(r, nil, "key_too_large", "public_key", "8192 bits")
    local c = codes(r, {max_rsa_bits = 8192, require_san = false})
    for _, x in ipairs(c) do assert.are_not.equal("key_too_large", x) end
    local r4 = req{key = key("rsa4096.pem"), san = {dns = {"example.com"}}}
    has(r4, {max_rsa_bits = 3072}, "key_too_large", "public_key", "4096 bits")
    passes(r4)
  end)

  describe("bad_curve", function()
    it("a curve outside curves", function()
      local r = req{key = key("ec-p384.pem"), san = {dns = {"example.com"}}}
      has(r, {curves = {"P-256"}}, "bad_curve", "public_key", "P-384")
      passes(r, {curves = {"P-256", "P-384"}})
      passes(r)
    end)
    it("EdDSA when eddsa = false", function()
      local r = req{key = key("ed25519.pem"), san = {dns = {"example.com"}}}
      has(r, {eddsa = false}, "bad_curve", "public_key", "Ed25519")
      passes(r)
      has(req{key = key("ed448.pem"), san = {dns = {"example.com"}}}, {eddsa = false},
          "bad_curve", "public_key", "Ed448")
    end)
    it("a curve this module does not know (secp256k1, made by openssl)", function()
      if not have_openssl() then pending("openssl CLI not installed") return end
      local r = assert(openssl_req("-key " .. helpers.root .. "/spec/fixtures/keys/ec-secp256k1.pem" ..
                                   " -subj /CN=k1.example.com -addext subjectAltName=DNS:k1.example.com"))
      has(r, nil, "bad_curve", "public_key", "1.3.132.0.10")
    end)
  end)

  describe("weak_digest", function()
    it("SHA-1 (openssl req -sha1)", function()
      if not have_openssl() then pending("openssl CLI not installed") return end
      local pem = helpers.root .. "/spec/fixtures/keys/"
      local r = assert(openssl_req("-key " .. pem .. "ec-p256.pem -sha1 -subj /CN=example.com" ..
                                   " -addext subjectAltName=DNS:example.com"))
      assert.are.same({"weak_digest signature_algorithm"}, (problems(r)))
      has(r, nil, "weak_digest", "signature_algorithm", "SHA-1")
      local r2 = assert(openssl_req("-key " .. pem .. "ec-p256.pem -sha256 -subj /CN=example.com" ..
                                    " -addext subjectAltName=DNS:example.com"))
      passes(r2)
    end)
    it("a digest outside digests", function()
      local r = req({san = {dns = {"example.com"}}}, {digest = "sha384"})
      has(r, {digests = {"sha256"}}, "weak_digest", "signature_algorithm", "sha384")
      passes(r, {digests = {"sha256", "sha384"}})
      passes(r)
    end)
  end)

  describe("the CN", function()
    it("cn_not_in_san: a host-name CN that is not among the DNS SANs", function()
      local r = req{subject = "CN=www.example.com", san = {dns = {"example.com"}}}
      has(r, nil, "cn_not_in_san", "subject.CN", "www.example.com")
      passes(req{subject = "CN=WWW.example.com", san = {dns = {"example.com", "www.example.com"}}})
      passes(req{subject = "CN=Example Web Server,O=Example", san = {dns = {"example.com"}}})
    end)
    it("cn_not_in_san: a host-name CN and no SAN at all", function()
      local r = req{subject = "CN=www.example.com"}
      has(r, {require_san = false}, "cn_not_in_san", "subject.CN", "no SAN")
      passes(req{subject = "CN=Example Client"}, {require_san = false})
    end)
    it("cn_is_ip: an IP address as the CN, in the SANs or not", function()
      local r = req{subject = "CN=192.0.2.1", san = {ip = {"192.0.2.1"}}}
      assert.are.same({"cn_is_ip subject.CN"}, (problems(r)))
      has(req{subject = "CN=2001:db8::1", san = {dns = {"example.com"}}}, nil, "cn_is_ip")
      passes(req{subject = "CN=example.com", san = {dns = {"example.com"}, ip = {"192.0.2.1"}}})
    end)
  end)

  it("no_san: no subjectAltName when require_san", function()
    local r = req{subject = "CN=Example Org"}
    assert.are.same({"no_san san"}, (problems(r)))
    passes(r, {require_san = false})
  end)

  it("empty_subject: an empty subject and no SAN", function()
    local r = req{subject = {}}
    assert.are.same({"empty_subject subject"}, (problems(r, {require_san = false})))
    passes(req{subject = {}, san = {dns = {"example.com"}}})
  end)

  describe("bad_dns_name", function()
    local bad = {
      {"bad_name.example.com", "underscore"},
      {"-a.example.com", "hyphen"},
      {"a-.example.com", "hyphen"},
      {"a..example.com", "empty label"},
      {"example.com.", "ends with a dot"},
      {"localhost", "single label"},
      {"ex@mple.com", "character"},
      {string.rep("a", 64) .. ".example.com", "63 octets"},
      {string.rep(string.rep("a", 60) .. ".", 5) .. "example", "253 octets"},
      {"www.example.123", "all numeric"},
      {"192.0.2.1", "all numeric"},
      {"ab--cd.example.com", "'--'"},
      {"xn--zz.example.com", "punycode"},
      {"xn--ls8h.example.com", "IDNA2008"},
      {"xn--bucher-xyd.example.com", "canonical"},
    }
    for _, c in ipairs(bad) do
      it("refuses " .. c[1]:sub(1, 40) .. (#c[1] > 40 and "..." or ""), function()
        local r = req{san = {dns = {c[1], "example.com"}}}
        has(r, nil, "bad_dns_name", "san.dns", c[2])
        assert.are.same({"bad_dns_name san.dns"}, (problems(r)))
      end)
    end
    it("refuses a space in a name (a raw SAN: the builder refuses it)", function()
      has(req{extensions = raw_san{{"dns", "exa mple.com"}}}, nil, "bad_dns_name", "san.dns",
          "character")
    end)
    it("accepts good host names", function()
      local long = string.rep(string.rep("a", 62) .. ".", 3) .. string.rep("b", 61)
      assert.are.equal(250, #long)
      passes(req{san = {dns = {"example.com", "a-b.example.com", "123.example.com", "EXAMPLE.org",
                               "xn--bcher-kva.example", "xn--55qx5d.cn", string.rep("a", 63) .. ".com",
                               long, "a1.b2.c3.example4"}}})
    end)
  end)

  describe("bad_wildcard", function()
    for _, name in ipairs{"*.com", "*", "a.*.example.com", "*a.example.com", "**.example.com",
                          "*.*.example.com", "www.example.*"} do
      it("refuses " .. name, function()
        local r = req{san = {dns = {name, "example.com"}}}
        has(r, nil, "bad_wildcard", "san.dns")
        assert.are.same({"bad_wildcard san.dns"}, (problems(r)))
      end)
    end
    it("accepts *.example.com, refuses it when wildcards = false", function()
      local r = req{san = {dns = {"*.example.com", "example.com"}}}
      passes(r)
      has(r, {wildcards = false}, "bad_wildcard", "san.dns", "not allowed")
    end)
    it("checks the rest of a wildcard name as a host name", function()
      has(req{san = {dns = {"*.bad_name.example.com"}}}, nil, "bad_dns_name", "san.dns")
    end)
  end)

  describe("bad_ip", function()
    local private = {"10.1.2.3", "127.0.0.1", "169.254.1.1", "172.16.0.1", "172.31.255.255",
                     "192.168.1.1", "100.64.0.1", "0.1.2.3", "192.0.2.1", "198.51.100.7",
                     "203.0.113.9", "198.18.0.1", "224.0.0.1", "240.0.0.1", "255.255.255.255",
                     "::", "::1", "fe80::1", "fc00::1", "fd12:3456::1", "2001:db8::1", "ff02::1",
                     "::ffff:10.0.0.1", "2002::1", "100::1"}
    it("refuses private, loopback, link-local and reserved addresses when public_ip_only",
       function()
      for _, ip in ipairs(private) do
        local r = req{san = {dns = {"example.com"}, ip = {ip}}}
        has(r, {public_ip_only = true}, "bad_ip", "san.ip")
        passes(r)
      end
    end)
    it("accepts public addresses", function()
      passes(req{san = {dns = {"example.com"},
                        ip = {"8.8.8.8", "172.32.0.1", "100.128.0.1", "192.0.3.1", "2606:4700::1111",
                              "2a00:1450:4001::200e"}}}, {public_ip_only = true})
    end)
  end)

  it("bad_email: not local@domain", function()
    for _, e in ipairs{"foo", "@example.com", "foo@", "foo@bad_domain.example", "a b@example.com",
                       "foo@example"} do
      local r = req{san = {dns = {"example.com"}, email = {e}}}
      has(r, nil, "bad_email", "san.email")
    end
    passes(req{san = {dns = {"example.com"}, email = {"ops@example.com", "a.b+c@mail.example.org"}}})
  end)

  it("bad_uri: no scheme", function()
    for _, u in ipairs{"example.com/path", "1http://x", "://example.com", "/relative",
                       "https://exa mple.com"} do
      has(req{san = {dns = {"example.com"}, uri = {u}}}, nil, "bad_uri", "san.uri")
    end
    passes(req{san = {dns = {"example.com"}, uri = {"https://example.com/a?b=c",
                                                   "spiffe://example.com/web", "urn:isbn:0451450523"}}})
  end)

  describe("control_character", function()
    it("in a DNS name, an email address, a URI", function()
      local r = req{subject = {}, extensions = raw_san{{"dns", "a\1b.example.com"}, {"email", "a\127@example.com"},
                                         {"uri", "https://example.com/\0"}}}
      assert.are.same({"control_character san.dns", "control_character san.email",
                       "control_character san.uri"}, (problems(r)))
      local p = has(r, nil, "control_character", "san.dns")
      assert.truthy(p.message:find("\\x01", 1, true), p.message)
      assert.falsy(p.message:find("\1", 1, true))
    end)
    it("in a subject value (C0 and C1 controls)", function()
      local r = req{subject = {{"O", "Example\tInc"}, {"OU", "Ops\194\133"}, {"CN", "example.com"}},
                    san = {dns = {"example.com"}}}
      assert.are.same({"control_character subject.O", "control_character subject.OU"},
                      (problems(r)))
      passes(req{subject = {{"O", "Exämple Inc"}, {"CN", "example.com"}}, san = {dns = {"example.com"}}})
    end)
  end)

  it("duplicate_san: the same SAN twice", function()
    local r = req{san = {dns = {"example.com", "www.example.com", "Example.COM"},
                         ip = {"192.0.2.1", "192.0.2.1"}}}
    assert.are.same({"duplicate_san san.dns", "duplicate_san san.ip"}, (problems(r)))
    passes(req{san = {dns = {"example.com", "www.example.com"}, ip = {"192.0.2.1", "192.0.2.2"}}})
  end)

  it("too_many_sans: more than max_sans", function()
    local r = req{san = {dns = {"a.example.com", "b.example.com", "c.example.com"}},
                  subject = "CN=a.example.com"}
    assert.are.same({"too_many_sans san"}, (problems(r, {max_sans = 2})))
    passes(r, {max_sans = 3})
    passes(r)
  end)

  it("unknown_critical_extension", function()
    local r = req{san = {dns = {"example.com"}},
                  extensions = {{oid = "1.3.6.1.4.1.99999.1", critical = true, value = "\5\0"}}}
    has(r, nil, "unknown_critical_extension", "extensions", "1.3.6.1.4.1.99999.1")
    passes(req{san = {dns = {"example.com"}}, key_usage = {"digitalSignature"},
               extensions = {{oid = "1.3.6.1.4.1.99999.1", critical = false, value = "\5\0"}}})
  end)

  it("ca_requested: basicConstraints CA:TRUE when allow_ca is false", function()
    local r = req{san = {dns = {"example.com"}}, basic_constraints = {ca = true, pathlen = 0}}
    assert.are.same({"ca_requested basic_constraints"}, (problems(r)))
    passes(r, {allow_ca = true})
    passes(req{san = {dns = {"example.com"}}, basic_constraints = {ca = false}})
  end)

  it("lists every problem of a request with several, in a stable order", function()
    local r = req({subject = "CN=10.0.0.1", key = key("ec-p384.pem"),
                   san = {dns = {"bad_name.example.com", "*.com", "x.example.com", "x.example.com"},
                          ip = {"10.0.0.1"}, email = {"nobody"}, uri = {"nowhere"}},
                   basic_constraints = {ca = true},
                   extensions = {{oid = "1.2.3.4", critical = true, value = "\5\0"}}},
                  {digest = "sha512"})
    local got = problems(r, {curves = {"P-256"}, digests = {"sha256"}, public_ip_only = true,
                             max_sans = 4})
    assert.are.same({
      "weak_digest signature_algorithm", "bad_curve public_key", "cn_is_ip subject.CN",
      "too_many_sans san", "bad_dns_name san.dns", "bad_wildcard san.dns",
      "duplicate_san san.dns", "bad_ip san.ip", "bad_email san.email", "bad_uri san.uri",
      "unknown_critical_extension extensions", "ca_requested basic_constraints"}, got)
  end)

  it("passes requests made by openssl req and by Python cryptography", function()
    if not have_openssl() then pending("openssl CLI not installed") return end
    local r = assert(openssl_req("-newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout /dev/null" ..
                                 " -subj /CN=www.example.com -addext " ..
                                 "subjectAltName=DNS:www.example.com,DNS:example.com"))
    passes(r)
    local py = helpers.python()
    if not py then pending("Python cryptography not installed") return end
    local out = helpers.tmpname(".pem")
    local ok, text = helpers.run(py .. " -c " .. helpers.shellquote([[
import sys
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID
k = ec.generate_private_key(ec.SECP384R1())
r = x509.CertificateSigningRequestBuilder().subject_name(x509.Name([
    x509.NameAttribute(NameOID.COMMON_NAME, "py.example.com")])).add_extension(
    x509.SubjectAlternativeName([x509.DNSName("py.example.com")]), critical=False).sign(
    k, hashes.SHA384())
open(sys.argv[1], "wb").write(r.public_bytes(serialization.Encoding.PEM))
]]) .. " " .. out)
    assert.is_true(ok, text)
    passes(assert(csr.request.parse(helpers.readfile(out))))
    os.remove(out)
  end)

  it("raises on a misused policy table", function()
    local r = req{san = {dns = {"example.com"}}}
    assert.has_error(function() r:check{nope = true} end)
    assert.has_error(function() r:check{curves = {"P-999"}} end)
    assert.has_error(function() r:check{curves = "P-256"} end)
    assert.has_error(function() r:check{digests = {"md5"}} end)
    assert.has_error(function() r:check{min_rsa_bits = "2048"} end)
    assert.has_error(function() r:check{max_sans = -1} end)
    assert.has_error(function() r:check{max_sans = 1.5} end)
    assert.has_error(function() r:check{rsa_exponents = {4}} end)
    assert.has_error(function() r:check{rsa_exponents = {3, 5, 7, 9, 11, 13, 15, 17, 19}} end)
    assert.has_error(function() r:check{allow_ca = 1} end)
    assert.has_error(function() r:check("strict") end)
    assert.has_error(function() csr.request.check(nil) end)
  end)
end)
