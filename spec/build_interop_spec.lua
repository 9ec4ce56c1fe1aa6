-- What we build, read by real peers: `openssl req` (3.0) and Python `cryptography`.
-- Matrix: key types x digests x PSS; subjects (UTF-8, multi-valued RDNs, special characters,
-- empty + SAN); every extension; both attributes. Each output is verified by openssl and by
-- cryptography and compared field by field with what we put in.
local csr = require "csr"
local helpers = require "helpers"

local OID = {
  C = "2.5.4.6", ST = "2.5.4.8", L = "2.5.4.7", O = "2.5.4.10", OU = "2.5.4.11",
  CN = "2.5.4.3", serialNumber = "2.5.4.5", emailAddress = "1.2.840.113549.1.9.1",
  DC = "0.9.2342.19200300.100.1.25", GN = "2.5.4.42", SN = "2.5.4.4", title = "2.5.4.12",
}

-- Prints one key=value per line; binary values as hex.
local PY = [==[
import sys
from cryptography import x509
from cryptography.x509.oid import ExtensionOID
with open(sys.argv[1], "rb") as f:
    req = x509.load_pem_x509_csr(f.read())
out = []
out.append("valid=%s" % req.is_signature_valid)
out.append("sigalg=%s" % req.signature_algorithm_oid.dotted_string)
out.append("rdns=%d" % len(req.subject.rdns))
for rdn in req.subject.rdns:
    parts = sorted("%s:%s:%d" % (a.oid.dotted_string, a.value.encode("utf-8").hex(),
                                 a._type.value) for a in rdn)
    out.append("rdn=" + "+".join(parts))
for ext in req.extensions:
    o = ext.oid.dotted_string
    out.append("ext=%s critical=%s" % (o, ext.critical))
    v = ext.value
    if o == "2.5.29.17":
        for n in v:
            if isinstance(n, x509.DNSName): out.append("san=dns:" + n.value)
            elif isinstance(n, x509.IPAddress): out.append("san=ip:" + str(n.value))
            elif isinstance(n, x509.RFC822Name): out.append("san=email:" + n.value)
            elif isinstance(n, x509.UniformResourceIdentifier): out.append("san=uri:" + n.value)
            else: out.append("san=other")
    elif o == "2.5.29.15":
        names = ["digital_signature", "content_commitment", "key_encipherment",
                 "data_encipherment", "key_agreement", "key_cert_sign", "crl_sign"]
        got = [n for n in names if getattr(v, n)]
        if v.key_agreement:
            if v.encipher_only: got.append("encipher_only")
            if v.decipher_only: got.append("decipher_only")
        out.append("ku=" + ",".join(got))
    elif o == "2.5.29.37":
        out.append("eku=" + ",".join(p.dotted_string for p in v))
    elif o == "2.5.29.19":
        out.append("bc=ca:%s,pathlen:%s" % (v.ca, v.path_length))
    elif o == "1.3.6.1.5.5.7.1.24":
        out.append("tls=" + ",".join(f.name for f in v))
    else:
        out.append("raw=%s:%s" % (o, v.value.hex()))
for oid in ("1.2.840.113549.1.9.7", "1.2.840.113549.1.9.2"):
    try:
        a = req.attributes.get_attribute_for_oid(x509.ObjectIdentifier(oid))
        out.append("attr=%s:%s:%d" % (oid, a.value.hex(),
                                              int(getattr(a._type, "value", a._type))))
    except x509.AttributeNotFound:
        pass
print("\n".join(out))
]==]

local function lines(text)
  local t = {}
  for l in text:gmatch("[^\n]+") do t[#t + 1] = l end
  return t
end

local function has(list, v)
  for _, x in ipairs(list) do if x == v then return true end end
  return false
end

local fixture_keys = {}
local function key_for(kt)
  if kt[1] == "rsa" then
    local name = "keys/rsa" .. kt[2] .. ".pem"
    if not fixture_keys[name] then
      fixture_keys[name] = assert(csr.key.parse(helpers.fixture(name)))
    end
    return fixture_keys[name]
  elseif kt[1] == "ec" then
    return assert(csr.key.generate("ec", {curve = kt[2]}))
  end
  return assert(csr.key.generate(kt[1]))
end

-- Builds, signs, writes the PEM; returns its file name.
local function build(opts, sign_opts)
  local key = opts.key
  local r = assert(csr.request.new(opts))
  assert(r:sign(key, sign_opts))
  return helpers.tmpfile(r:to_pem(), ".pem")
end

local function openssl_text(file)
  local ok, out = helpers.run("openssl req -in " .. file .. " -verify -noout")
  assert.is_true(ok, out)
  assert.matches("verify OK", out)
  local ok2, text = helpers.run("openssl req -in " .. file ..
                                " -text -noout -nameopt RFC2253,-esc_msb")
  assert.is_true(ok2, text)
  return text
end

-- What Python cryptography reads in file, as lines. Without python cryptography the test is
-- pending (once the openssl checks before this call have passed; file is removed first).
local pyfile
local function python(file)
  local py, why = helpers.pyca()
  if not py then
    os.remove(file)
    pending(why)
  end
  if not pyfile then pyfile = helpers.tmpfile(PY, ".py") end
  local ok, out = helpers.run(py .. " " .. pyfile .. " " .. file)
  assert.is_true(ok, out)
  return lines(out)
end

-- The subject as the python script prints it, from a DER-order table of RDNs.
local function expected_rdns(t)
  local out = {}
  for _, rdn in ipairs(t) do
    local members = type(rdn[1]) == "table" and rdn or {rdn}
    local parts = {}
    for _, m in ipairs(members) do
      parts[#parts + 1] = OID[m[1]] .. ":" .. helpers.tohex(m[2]) .. ":" .. m[3]
    end
    table.sort(parts)
    out[#out + 1] = "rdn=" .. table.concat(parts, "+")
  end
  return out
end

describe("built requests read by #openssl and #python", function()
  teardown(function()
    if pyfile then os.remove(pyfile) end
  end)

  -- key types x digests x padding --------------------------------------------------------
  local matrix = {
    {{"rsa", 2048}, {}, "sha256WithRSAEncryption"},
    {{"rsa", 2048}, {digest = "sha384"}, "sha384WithRSAEncryption"},
    {{"rsa", 2048}, {digest = "sha512"}, "sha512WithRSAEncryption"},
    {{"rsa", 2048}, {padding = "pss"}, "rsassaPss", "sha256", "0x20"},
    {{"rsa", 2048}, {padding = "pss", digest = "sha384"}, "rsassaPss", "sha384", "0x30"},
    {{"rsa", 2048}, {padding = "pss", digest = "sha512"}, "rsassaPss", "sha512", "0x40"},
    {{"rsa", 3072}, {}, "sha256WithRSAEncryption"},
    {{"rsa", 4096}, {padding = "pss"}, "rsassaPss", "sha256", "0x20"},
    {{"ec", "P-256"}, {}, "ecdsa-with-SHA256"},
    {{"ec", "P-256"}, {digest = "sha384"}, "ecdsa-with-SHA384"},
    {{"ec", "P-256"}, {digest = "sha512"}, "ecdsa-with-SHA512"},
    {{"ec", "P-384"}, {}, "ecdsa-with-SHA384"},
    {{"ec", "P-384"}, {digest = "sha256"}, "ecdsa-with-SHA256"},
    {{"ec", "P-521"}, {}, "ecdsa-with-SHA512"},
    {{"ed25519"}, {}, "ED25519"},
    {{"ed448"}, {}, "ED448"},
  }
  local sig_oids = {
    sha256WithRSAEncryption = "1.2.840.113549.1.1.11",
    sha384WithRSAEncryption = "1.2.840.113549.1.1.12",
    sha512WithRSAEncryption = "1.2.840.113549.1.1.13",
    rsassaPss = "1.2.840.113549.1.1.10",
    ["ecdsa-with-SHA256"] = "1.2.840.10045.4.3.2",
    ["ecdsa-with-SHA384"] = "1.2.840.10045.4.3.3",
    ["ecdsa-with-SHA512"] = "1.2.840.10045.4.3.4",
    ED25519 = "1.3.101.112", ED448 = "1.3.101.113",
  }

  for _, m in ipairs(matrix) do
    local kt, sopts, alg = m[1], m[2], m[3]
    local label = table.concat({kt[1], tostring(kt[2] or "")}, " ") .. " " ..
                  (sopts.digest or "default") .. " " .. (sopts.padding or "pkcs1")
    it("signs with " .. label .. " #openssl #python", function()
      local key = key_for(kt)
      local file = build({key = key, subject = "CN=www.example.com,O=Example Inc,C=US",
                          san = {dns = {"www.example.com"}}}, sopts)
      local text = openssl_text(file)
      assert.matches("Version: 1 %(0x0%)", text)
      assert.matches("Subject: CN=www.example.com,O=Example Inc,C=US\n", text)
      assert.matches("Signature Algorithm: " .. alg:gsub("%-", "%%-"), text)
      if m[4] then
        assert.matches("Hash Algorithm: " .. m[4], text)
        assert.matches("Mask Algorithm: mgf1 with " .. m[4], text)
        assert.matches("Salt Length: " .. m[5], text)
      end
      local out = python(file)
      assert.is_true(has(out, "valid=True"), table.concat(out, "\n"))
      assert.is_true(has(out, "sigalg=" .. sig_oids[alg]))
      assert.is_true(has(out, "san=dns:www.example.com"))
      os.remove(file)
    end)
  end

  -- subjects --------------------------------------------------------------------------------
  -- {input table (DER order) with string tags, openssl RFC2253 line}
  local U, P, I = 12, 19, 22
  local subjects = {
    { { {"C", "DE", P}, {"L", "M\195\188nchen", U}, {"O", "B\195\164ckerei Gr\195\182\195\159",
        U}, {"CN", "\230\151\165\230\156\172.example", U} },
      "CN=\230\151\165\230\156\172.example,O=B\195\164ckerei Gr\195\182\195\159," ..
      "L=M\195\188nchen,C=DE" },
    { { {"C", "US", P}, { {"O", "Example", U}, {"OU", "Eng", U} }, {"CN", "x", U} },
      "CN=x,O=Example+OU=Eng,C=US" },
    { { {"O", "a,b+c\"d\\e<f>g;h=i", U}, {"CN", "#lead", U}, {"OU", " spaces ", U} },
      "OU=\\ spaces\\ ,CN=\\#lead,O=a\\,b\\+c\\\"d\\\\e\\<f\\>g\\;h=i" },
    { { {"DC", "com", I}, {"DC", "example", I}, {"OU", "Ops", U}, {"OU", "Dev", U},
        {"emailAddress", "ops@example.com", I}, {"serialNumber", "1234", P} },
      "serialNumber=1234,emailAddress=ops@example.com,OU=Dev,OU=Ops,DC=example,DC=com" },
  }

  for i, s in ipairs(subjects) do
    it("keeps subject " .. i .. " exactly #openssl #python", function()
      local key = key_for({"ec", "P-256"})
      local input = {}
      for j, rdn in ipairs(s[1]) do
        if type(rdn[1]) == "table" then
          local multi = {}
          for k, mm in ipairs(rdn) do multi[k] = {mm[1], mm[2]} end
          input[j] = multi
        else
          input[j] = {rdn[1], rdn[2]}
        end
      end
      local file = build({key = key, subject = input})
      local text = openssl_text(file)
      local subj = text:match("\n%s*Subject: ([^\n]*)\n")
      -- openssl reverses the DER order, members of an RDN included (DER has OU before O:
      -- the shorter SEQUENCE sorts first)
      assert.equals(s[2], subj)
      local out = python(file)
      assert.is_true(has(out, "valid=True"))
      local want = expected_rdns(s[1])
      local got = {}
      for _, l in ipairs(out) do if l:match("^rdn=") then got[#got + 1] = l end end
      assert.same(want, got)
      os.remove(file)
    end)
  end

  it("writes an empty subject with a critical SAN #openssl #python", function()
    local key = key_for({"ec", "P-256"})
    local file = build({key = key, subject = {}, san = {dns = {"a.example"}}})
    local text = openssl_text(file)
    assert.matches("\n%s*Subject: ?\n", text)
    assert.matches("X509v3 Subject Alternative Name: critical\n%s*DNS:a.example\n", text)
    local out = python(file)
    assert.is_true(has(out, "valid=True"))
    assert.is_true(has(out, "rdns=0"))
    assert.is_true(has(out, "ext=2.5.29.17 critical=True"))
    assert.is_true(has(out, "san=dns:a.example"))
    os.remove(file)
  end)

  -- every extension and both attributes -----------------------------------------------------
  it("writes every extension and both attributes #openssl #python", function()
    local key = key_for({"rsa", 2048})
    local file = build({
      key = key, subject = "CN=www.example.com",
      san = {dns = {"www.example.com", "*.example.com", "xn--bcher-kva.example"},
             ip = {"192.0.2.1", "2001:db8::1"}, email = {"ops@example.com"},
             uri = {"spiffe://example.com/web"}},
      key_usage = {"digitalSignature", "keyEncipherment", "keyAgreement", "decipherOnly"},
      extended_key_usage = {"serverAuth", "clientAuth", "codeSigning", "emailProtection",
                            "timeStamping", "OCSPSigning", "1.3.6.1.4.1.99999.1"},
      basic_constraints = {ca = true, pathlen = 0},
      must_staple = true,
      extensions = { {oid = "1.2.3.4.5", critical = false, value = "\12\5hello"} },
      challenge_password = "s3cr3t pass",
      unstructured_name = "Caf\195\169 Ltd",
    }, {padding = "pss"})
    local text = openssl_text(file)
    assert.matches("X509v3 Subject Alternative Name: \n%s*DNS:www.example.com, " ..
                   "DNS:%*.example.com, DNS:xn%-%-bcher%-kva.example, IP Address:192.0.2.1, " ..
                   "IP Address:2001:DB8:0:0:0:0:0:1, email:ops@example.com, " ..
                   "URI:spiffe://example.com/web\n", text)
    assert.matches("X509v3 Key Usage: critical\n%s*Digital Signature, Key Encipherment, " ..
                   "Key Agreement, Decipher Only\n", text)
    assert.matches("X509v3 Extended Key Usage: \n%s*TLS Web Server Authentication, " ..
                   "TLS Web Client Authentication, Code Signing, E%-mail Protection, " ..
                   "Time Stamping, OCSP Signing, 1.3.6.1.4.1.99999.1\n", text)
    assert.matches("X509v3 Basic Constraints: critical\n%s*CA:TRUE, pathlen:0\n", text)
    assert.matches("TLS Feature: \n%s*status_request\n", text)
    assert.matches("1.2.3.4.5: \n%s*..hello\n", text)
    assert.matches("challengePassword%s*:s3cr3t pass\n", text)
    assert.matches("unstructuredName%s*:Caf\195\169 Ltd\n", text)
    assert.matches("Signature Algorithm: rsassaPss", text)
    assert.matches("Salt Length: 0x20", text)
    local out = python(file)
    local all = table.concat(out, "\n")
    local want = {
      "valid=True", "ext=2.5.29.17 critical=False",
      "san=dns:www.example.com", "san=dns:*.example.com", "san=dns:xn--bcher-kva.example",
      "san=ip:192.0.2.1", "san=ip:2001:db8::1", "san=email:ops@example.com",
      "san=uri:spiffe://example.com/web",
      "ext=2.5.29.15 critical=True",
      "ku=digital_signature,key_encipherment,key_agreement,decipher_only",
      "ext=2.5.29.37 critical=False",
      "eku=1.3.6.1.5.5.7.3.1,1.3.6.1.5.5.7.3.2,1.3.6.1.5.5.7.3.3,1.3.6.1.5.5.7.3.4," ..
      "1.3.6.1.5.5.7.3.8,1.3.6.1.5.5.7.3.9,1.3.6.1.4.1.99999.1",
      "ext=2.5.29.19 critical=True", "bc=ca:True,pathlen:0",
      "ext=1.3.6.1.5.5.7.1.24 critical=False", "tls=status_request",
      "ext=1.2.3.4.5 critical=False", "raw=1.2.3.4.5:0c0568656c6c6f",
      "attr=1.2.840.113549.1.9.7:" .. helpers.tohex("s3cr3t pass") .. ":19",
      "attr=1.2.840.113549.1.9.2:" .. helpers.tohex("Caf\195\169 Ltd") .. ":12",
    }
    for _, w in ipairs(want) do
      assert.is_true(has(out, w), w .. " not in:\n" .. all)
    end
    -- extension order as written: SAN, KU, EKU, BC, TLS feature, raw
    local order = {}
    for _, l in ipairs(out) do
      local o = l:match("^ext=(%S+)")
      if o then order[#order + 1] = o end
    end
    assert.same({"2.5.29.17", "2.5.29.15", "2.5.29.37", "2.5.29.19", "1.3.6.1.5.5.7.1.24",
                 "1.2.3.4.5"}, order)
    os.remove(file)
  end)

  it("writes non-default criticality and a CA without pathlen #openssl #python", function()
    local key = key_for({"ed25519"})
    local file = build({
      key = key, subject = "CN=ca",
      key_usage = {"keyCertSign", "cRLSign", critical = false},
      extended_key_usage = {"serverAuth", critical = true},
      basic_constraints = {ca = true, critical = false},
      must_staple = {critical = true},
      extensions = { {oid = "1.2.3.4.6", critical = true, value = "\5\0"} },
      challenge_password = "p\195\164ss",
    })
    local text = openssl_text(file)
    assert.matches("X509v3 Key Usage: \n%s*Certificate Sign, CRL Sign\n", text)
    assert.matches("X509v3 Extended Key Usage: critical\n", text)
    assert.matches("X509v3 Basic Constraints: \n%s*CA:TRUE\n", text)
    assert.matches("TLS Feature: critical\n", text)
    assert.matches("1.2.3.4.6: critical\n", text)
    assert.matches("challengePassword%s*:p\195\164ss\n", text)
    local out = python(file)
    for _, w in ipairs({"valid=True", "ext=2.5.29.15 critical=False", "ku=key_cert_sign,crl_sign",
                        "ext=2.5.29.37 critical=True", "ext=2.5.29.19 critical=False",
                        "bc=ca:True,pathlen:None", "ext=1.3.6.1.5.5.7.1.24 critical=True",
                        "ext=1.2.3.4.6 critical=True",
                        "attr=1.2.840.113549.1.9.7:" .. helpers.tohex("p\195\164ss") .. ":12"}) do
      assert.is_true(has(out, w), w .. " not in:\n" .. table.concat(out, "\n"))
    end
    os.remove(file)
  end)
end)
