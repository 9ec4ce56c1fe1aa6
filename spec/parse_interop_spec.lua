-- Reading requests made by real producers: `openssl req` (#openssl) and Python cryptography
-- (#python). Every field we read is compared with what the producer was given, and
-- tampered copies never verify.
local csr = require "csr"
local helpers = require "helpers"

local E = csr.errors
local FIX = helpers.root .. "/spec/fixtures/req/"
local RSA_KEY = FIX .. "rsa2048.pem"
local q = helpers.shellquote

local function sh(cmd)
  local ok, out = helpers.run(cmd)
  assert(ok, cmd .. "\n" .. out)
  return out
end

-- Runs `openssl req -new <keyarg> <args> [-config]` and returns the PEM request.
local function run_req(keyarg, args, config)
  local out = helpers.tmpname(".pem")
  local cfg
  if config then
    cfg = helpers.tmpfile(config, ".cnf")
    args = args .. " -config " .. cfg
  end
  sh("openssl req -new " .. keyarg .. " " .. args .. " -out " .. out)
  local pem = helpers.readfile(out)
  os.remove(out)
  if cfg then os.remove(cfg) end
  return pem
end

local function openssl_req(args, config)
  return run_req("-nodes -keyout /dev/null", args, config)
end

local function openssl_req_key(keyfile, args, config)
  return run_req("-key " .. q(keyfile), args, config)
end

-- DER walking: header of the TLV at 1-based pos -> tag, header length, content length
local hdr = helpers.der_header
-- 1-based offsets and total lengths of the children of the TLV at pos
local function kids(s, pos)
  local _, h, l = hdr(s, pos)
  local p, stop, out = pos + h, pos + h + l, {}
  while p < stop do
    local _, hh, ll = hdr(s, p)
    out[#out + 1] = {pos = p, len = hh + ll, hlen = hh}
    p = p + hh + ll
  end
  return out
end

local function flip(s, pos)
  return s:sub(1, pos - 1) .. string.char((s:byte(pos) + 1) % 256) .. s:sub(pos + 1)
end

-- One byte changed in the signature, in the subject's last value, in the public key:
-- never verifies (parse may refuse a copy whose structure broke).
local function assert_tamper_fails(der)
  local top = kids(der, 1)
  local cri = kids(der, top[1].pos)
  local subject, spki, sig = cri[2], cri[3], top[3]
  local cases = {
    sig.pos + sig.len - 1,                          -- last signature byte
    sig.pos + sig.hlen + 5,                         -- one in the middle
    subject.pos + subject.len - 1,                  -- last byte of the last subject value
    spki.pos + spki.len - 1,                        -- last byte of the key
    spki.pos + spki.len - 20,
  }
  for _, pos in ipairs(cases) do
    local bad = flip(der, pos)
    local r, msg, code = csr.request.parse(bad)
    if r then
      local ok, vmsg, vcode = r:verify()
      assert.is_false(ok, "tampered request verified (byte " .. pos .. ")")
      assert.matches("^csr%.request:verify: ", vmsg)
      assert.equals(E.BAD_SIGNATURE, vcode, vmsg)
    else
      assert.matches("^csr%.request%.parse: ", msg)
      assert.equals(E.BAD_DER, code, msg)
    end
  end
end

local function parse_ok(pem)
  local r, msg = csr.request.parse(pem)
  assert.is_not_nil(r, msg)
  local ok, vmsg = r:verify()
  assert.is_true(ok, vmsg)
  assert.equals(0, r:version())
  -- DER back byte for byte, PEM round trip
  local der = r:to_der()
  assert.equals(der, assert(csr.request.parse(r:to_pem())):to_der())
  assert.equals(der, assert(csr.request.parse(der)):to_der())
  assert.equals(pem, r:to_pem())
  assert_tamper_fails(der)
  return r
end

local function has_pair(rdn, a, v)
  for _, p in ipairs(rdn) do
    if p[1] == a and p[2] == v then return true end
  end
  return false
end

describe("reading requests made by openssl req #openssl", function()
  local rsa = csr.key.parse(helpers.readfile(RSA_KEY))

  for _, c in ipairs({{"P-256", "sha256"}, {"P-384", "sha384"}, {"P-521", "sha512"},
                      {"P-256", "sha512"}, {"P-521", "sha256"}}) do
    it("ECDSA " .. c[1] .. " with " .. c[2], function()
      local pem = openssl_req("-newkey ec -pkeyopt ec_paramgen_curve:" .. c[1] ..
                              " -subj /CN=ec.example/O=EC -" .. c[2])
      local r = parse_ok(pem)
      assert.equals("ecdsa-with-" .. c[2]:upper(), r:signature_algorithm())
      local k = assert(r:public_key())
      assert.equals("ec", k:type())
      assert.equals(c[1], k:curve())
      assert.is_false(k:is_private())
      assert.is_true(r:matches(k))
      assert.is_false(r:matches(rsa))
      assert.equals("O=EC,CN=ec.example", tostring(r:subject()))   -- RFC 4514: reversed
      assert.same({}, r:san())
      assert.same({}, r:attributes())
    end)
  end

  for _, t in ipairs({"ed25519", "ed448"}) do
    it(t, function()
      local pem = openssl_req("-newkey " .. t .. " -subj /CN=" .. t .. ".example")
      local r = parse_ok(pem)
      assert.equals(t, r:signature_algorithm())
      local k = assert(r:public_key())
      assert.equals(t, k:type())
      assert.is_true(r:matches(k))
    end)
  end

  for _, d in ipairs({"sha1", "sha224", "sha256", "sha384", "sha512"}) do
    it("RSA PKCS#1 v1.5 with " .. d .. " (a correct SHA-1 signature verifies)", function()
      local r = parse_ok(openssl_req_key(RSA_KEY, "-subj /CN=rsa.example -" .. d))
      assert.equals(d .. "WithRSAEncryption", r:signature_algorithm())
      local k = assert(r:public_key())
      assert.equals("rsa", k:type())
      assert.equals(2048, k:bits())
      assert.is_true(r:matches(rsa))
      assert.is_true(r:matches(k))
      assert.equals(rsa:fingerprint(), k:fingerprint())
    end)
  end

  for _, c in ipairs({{"", "default salt"}, {"-sigopt rsa_pss_saltlen:max", "max salt"},
                      {"-sigopt rsa_pss_saltlen:32", "salt 32"},
                      {"-sigopt rsa_pss_saltlen:0", "salt 0"},
                      {"-sha512 -sigopt rsa_pss_saltlen:-1", "sha512, digest-length salt"},
                      {"-sha384 -sigopt rsa_mgf1_md:sha256", "sha384, MGF1-SHA256"}}) do
    it("RSA-PSS, " .. c[2], function()
      local pem = openssl_req_key(RSA_KEY, "-subj /CN=pss.example -sigopt " ..
                                  "rsa_padding_mode:pss " .. c[1])
      sh("echo " .. q(pem) .. " | openssl req -noout -verify")
      local r = parse_ok(pem)
      assert.equals("rsassaPss", r:signature_algorithm())
      assert.is_true(r:matches(rsa))
    end)
  end

  it("UTF-8 subjects, kept exact", function()
    local subj = "/C=DE/O=M\195\188ller & S\195\182hne/OU=\230\157\177\228\186\172" ..
                 "/CN=J\195\188rgen \240\159\152\128"
    local r = parse_ok(openssl_req_key(RSA_KEY, "-utf8 -subj " .. q(subj)))
    local s = r:subject()
    assert.same({{"C", "DE"}, {"O", "M\195\188ller & S\195\182hne"},
                 {"OU", "\230\157\177\228\186\172"}, {"CN", "J\195\188rgen \240\159\152\128"}},
                s:entries())
    assert.equals("J\195\188rgen \240\159\152\128", s:get("CN"))
    assert.matches("J\195\188rgen", r:text())
  end)

  it("multi-valued RDNs, order kept", function()
    local r = parse_ok(openssl_req_key(RSA_KEY, "-multivalue-rdn -subj " ..
                                       q("/C=US/O=Org/OU=Eng+CN=multi.example/CN=last")))
    local e = r:subject():entries()
    assert.equals(4, #e)
    assert.same({"C", "US"}, e[1])
    assert.same({"O", "Org"}, e[2])
    assert.equals(2, #e[3])
    assert.is_true(has_pair(e[3], "OU", "Eng"))
    assert.is_true(has_pair(e[3], "CN", "multi.example"))
    assert.same({"CN", "last"}, e[4])
    assert.equals("multi.example", r:subject():get("CN"))     -- the first CN in DER order
  end)

  it("every SAN type, every extension and both attributes from a config file", function()
    local config = table.concat({
      "[req]", "prompt = no", "distinguished_name = dn", "req_extensions = ext",
      "attributes = attrs", "string_mask = utf8only", "utf8 = yes",
      "[dn]", "C = DE", "O = M\195\188ller & S\195\182hne", "OU = Ops", "CN = www.example.com",
      "[attrs]", "challengePassword = s3cret-pw", "unstructuredName = unit 7",
      "[ext]", "subjectAltName = @san",
      "keyUsage = critical, digitalSignature, keyEncipherment, cRLSign",
      "extendedKeyUsage = serverAuth, clientAuth, OCSPSigning, 1.3.6.1.4.1.311.20.2.2",
      "basicConstraints = critical, CA:TRUE, pathlen:3",
      "tlsfeature = status_request",
      "1.2.3.4.5 = ASN1:UTF8String:hello",
      "[san]", "DNS.1 = a.example.com", "DNS.2 = b.example.com", "IP.1 = 192.0.2.1",
      "IP.2 = 2001:db8::1", "email.1 = ops@example.com", "URI.1 = https://example.com/x",
      "otherName.1 = 1.3.6.1.4.1.311.20.2.3;UTF8:user@example.com", "RID.1 = 1.2.3.4",
      "dirName.1 = dir_sect",
      "[dir_sect]", "C = US", "O = Dir Org", "CN = Dir Name", ""}, "\n")
    local r = parse_ok(openssl_req("-newkey ec -pkeyopt ec_paramgen_curve:P-256", config))
    assert.same({{"C", "DE"}, {"O", "M\195\188ller & S\195\182hne"}, {"OU", "Ops"},
                 {"CN", "www.example.com"}}, r:subject():entries())
    local san = r:san()
    assert.same({"a.example.com", "b.example.com"}, san.dns)
    assert.same({"192.0.2.1", "2001:db8::1"}, san.ip)
    assert.same({"ops@example.com"}, san.email)
    assert.same({"https://example.com/x"}, san.uri)
    assert.same({{oid = "1.3.6.1.4.1.311.20.2.3", value = "\12\16user@example.com"}},
                san.other_name)
    assert.same({"1.2.3.4"}, san.rid)
    assert.equals(1, #san.dir_name)
    assert.equals("CN=Dir Name,O=Dir Org,C=US", tostring(san.dir_name[1]))
    assert.same({{"C", "US"}, {"O", "Dir Org"}, {"CN", "Dir Name"}}, san.dir_name[1]:entries())
    assert.same({"digitalSignature", "keyEncipherment", "cRLSign"}, r:key_usage())
    assert.same({"serverAuth", "clientAuth", "OCSPSigning", "1.3.6.1.4.1.311.20.2.2"},
                r:extended_key_usage())
    assert.same({ca = true, pathlen = 3}, r:basic_constraints())
    assert.is_true(r:must_staple())
    assert.equals("s3cret-pw", r:challenge_password())
    assert.equals("unit 7", r:unstructured_name())
    local exts = r:extensions()
    local want = {{"2.5.29.17", "subjectAltName", false}, {"2.5.29.15", "keyUsage", true},
                  {"2.5.29.37", "extendedKeyUsage", false},
                  {"2.5.29.19", "basicConstraints", true},
                  {"1.3.6.1.5.5.7.1.24", "tlsfeature", false}, {"1.2.3.4.5", nil, false}}
    assert.equals(#want, #exts)
    for i, w in ipairs(want) do
      assert.equals(w[1], exts[i].oid)
      assert.equals(w[2], exts[i].name)
      assert.equals(w[3], exts[i].critical)
    end
    assert.equals("\12\5hello", exts[6].value)
    assert.equals("\3\2\1\162", exts[2].value)     -- bits 0, 2, 6: one unused bit
    local attrs = r:attributes()
    local names = {}
    for _, a in ipairs(attrs) do names[a.name] = a end
    assert.is_not_nil(names.challengePassword)
    assert.equals("1.2.840.113549.1.9.7", names.challengePassword.oid)
    assert.is_not_nil(names.unstructuredName)
    assert.is_not_nil(names.extensionRequest)
    assert.equals(1, #names.extensionRequest.values)
    -- text() shows what openssl shows
    local text = r:text()
    for _, s in ipairs({"DNS:a.example.com", "IP Address:192.0.2.1", "IP Address:2001:db8::1",
                        "email:ops@example.com", "URI:https://example.com/x",
                        "Registered ID:1.2.3.4", "X509v3 Key Usage: critical",
                        "Digital Signature, Key Encipherment, CRL Sign", "CA:TRUE, pathlen:3",
                        "status_request", "s3cret-pw", "unit 7", "ecdsa-with-SHA256",
                        "M\195\188ller"}) do
      assert.is_truthy(text:find(s, 1, true), s .. " missing from text()")
    end
  end)

  it("extensions given with -addext on the command line", function()
    local r = parse_ok(openssl_req_key(RSA_KEY, "-subj /CN=addext -addext " ..
      q("subjectAltName=DNS:x.example,IP:10.0.0.1,email:a@b.example") .. " -addext " ..
      q("keyUsage=critical,digitalSignature,nonRepudiation") .. " -addext " ..
      q("extendedKeyUsage=codeSigning,emailProtection,timeStamping,1.2.3.4.5.6") ..
      " -addext " .. q("basicConstraints=CA:FALSE") .. " -addext " ..
      q("1.3.6.1.4.1.55555.1=critical,DER:30:03:02:01:07")))
    assert.same({dns = {"x.example"}, ip = {"10.0.0.1"}, email = {"a@b.example"}}, r:san())
    assert.same({"digitalSignature", "nonRepudiation"}, r:key_usage())
    assert.same({"codeSigning", "emailProtection", "timeStamping", "1.2.3.4.5.6"},
                r:extended_key_usage())
    assert.same({ca = false}, r:basic_constraints())
    assert.is_false(r:must_staple())
    local exts = r:extensions()
    assert.equals("1.3.6.1.4.1.55555.1", exts[5].oid)
    assert.is_true(exts[5].critical)
    assert.equals("\48\3\2\1\7", exts[5].value)
    assert.is_nil(r:challenge_password())
  end)

  it("RSA-PSS keys (id-RSASSA-PSS SubjectPublicKeyInfo)", function()
    for _, opts in ipairs({"", "-pkeyopt rsa_pss_keygen_md:sha256 -pkeyopt " ..
                               "rsa_pss_keygen_saltlen:32"}) do
      local r = parse_ok(openssl_req("-newkey rsa-pss -pkeyopt rsa_keygen_bits:2048 " .. opts ..
                                     " -subj /CN=psskey"))
      assert.equals("rsassaPss", r:signature_algorithm())
      local k = assert(r:public_key())
      assert.equals("rsa", k:type())
      assert.is_true(r:matches(k))
    end
  end)

  for _, c in ipairs({{"secp256k1", "1.3.132.0.10"}, {"brainpoolP256r1", "1.3.36.3.3.2.8.1.1.7"},
                      {"prime192v1", "1.2.840.10045.3.1.1"}}) do
    it("a curve this build cannot use (" .. c[1] .. ") parses and answers unsupported",
       function()
      local pem = openssl_req("-newkey ec -pkeyopt ec_paramgen_curve:" .. c[1] .. " -subj /CN=c")
      sh("echo " .. q(pem) .. " | openssl req -noout -verify")
      local r = assert(csr.request.parse(pem))
      assert.equals("CN=c", tostring(r:subject()))
      local ok, msg, code = r:verify()
      assert.is_false(ok)
      assert.equals(E.UNSUPPORTED, code)
      assert.matches("^csr%.request:verify: unsupported public key", msg)
      assert.is_truthy(msg:find(c[2], 1, true))
      local k, _, kcode = r:public_key()
      assert.is_nil(k)
      assert.equals(E.UNSUPPORTED, kcode)
      assert.is_string(r:text())
      assert.is_false(r:matches(csr.key.generate("ec")))
    end)
  end

  it("an RSA-8192 request parses and answers unsupported", function()
    local r = assert(csr.request.parse(helpers.readfile(FIX .. "rsa8192-req.pem")))
    assert.equals("CN=rsa8192.example", tostring(r:subject()))
    assert.equals("sha256WithRSAEncryption", r:signature_algorithm())
    local ok, msg, code = r:verify()
    assert.is_false(ok)
    assert.equals(E.UNSUPPORTED, code)
    assert.matches("^csr%.request:verify: unsupported ", msg)
    local k, kmsg, kcode = r:public_key()
    assert.is_nil(k)
    assert.equals(E.UNSUPPORTED, kcode)
    assert.matches("^csr%.request:public_key: ", kmsg)
    assert.is_false(r:matches(rsa))
  end)
end)

describe("reading requests made by Python cryptography #python", function()
  -- the script runs once, at the first test that needs it; without python cryptography every
  -- test is pending, and the RSA-PSS ones where this cryptography cannot sign with PSS
  local made
  local function need(...)
    local py, why = helpers.pyca(...)
    if not py then pending(why) return false end
    if not made then
      made = {}
      local pss = helpers.pyca("csr_sign_pss") and " pss" or ""
      local out = sh(py .. " " .. q(FIX .. "pyca_csrs.py") .. " " .. q(RSA_KEY) .. pss)
      local cur
      for l in out:gmatch("[^\n]*\n?") do
        local name = l:match("^== (%S+)")
        if name then
          cur = name
          made[cur] = ""
        elseif cur then
          made[cur] = made[cur] .. l
        end
      end
    end
    return true
  end
  local function get(name)
    local body = made[name]
    assert.is_not_nil(body, "python made no " .. name)
    local req = body:match("(%-%-%-%-%-BEGIN CERTIFICATE REQUEST%-%-%-%-%-.-" ..
                           "%-%-%-%-%-END CERTIFICATE REQUEST%-%-%-%-%-\n)")
    local key = body:match("(%-%-%-%-%-BEGIN PRIVATE KEY%-%-%-%-%-.-" ..
                           "%-%-%-%-%-END PRIVATE KEY%-%-%-%-%-\n)")
    return req, key
  end

  local kinds = {
    rsa = {"rsa", nil, "sha256WithRSAEncryption"},
    p256 = {"ec", "P-256", "ecdsa-with-SHA256"},
    p384 = {"ec", "P-384", "ecdsa-with-SHA256"},
    p521 = {"ec", "P-521", "ecdsa-with-SHA256"},
    ed25519 = {"ed25519", nil, "ed25519"},
    ed448 = {"ed448", nil, "ed448"},
  }
  for _, kname in ipairs({"rsa", "p256", "p384", "p521", "ed25519", "ed448"}) do
    it("every field of a full request, " .. kname, function()
      if not need() then return end
      local pem, keypem = get("full-" .. kname)
      local r = parse_ok(pem)
      local kind = kinds[kname]
      assert.equals(kind[3], r:signature_algorithm())
      local k = assert(r:public_key())
      assert.equals(kind[1], k:type())
      if kind[2] then assert.equals(kind[2], k:curve()) end
      local priv = assert(csr.key.parse(keypem))
      assert.is_true(r:matches(priv))
      assert.is_true(r:matches(k))
      assert.is_false(r:matches(csr.key.generate("ec")))
      local e = r:subject():entries()
      assert.same({"C", "SE"}, e[1])
      assert.same({"O", "Bj\195\182rk \230\157\177\228\186\172"}, e[2])
      assert.same({{"OU", "Eng"}, {"CN", "multi.example"}}, e[3])
      assert.same({"CN", "\195\133sa"}, e[4])
      local san = r:san()
      assert.same({"www.example.org", "*.example.org"}, san.dns)
      assert.same({"198.51.100.7", "2001:db8:0:1::5"}, san.ip)
      assert.same({"me@example.org"}, san.email)
      assert.same({"spiffe://example.org/svc"}, san.uri)
      assert.same({{oid = "1.3.6.1.4.1.311.20.2.3", value = "\12\5a@b.c"}}, san.other_name)
      assert.same({"1.2.3.4.5.6"}, san.rid)
      assert.equals("CN=Dir \195\169", tostring(san.dir_name[1]))
      assert.same({"digitalSignature", "nonRepudiation", "keyAgreement", "decipherOnly"},
                  r:key_usage())
      assert.same({"clientAuth", "codeSigning", "1.3.6.1.4.1.99999.1"}, r:extended_key_usage())
      assert.same({ca = false}, r:basic_constraints())
      assert.is_true(r:must_staple())
      assert.equals("py-secret", r:challenge_password())
      assert.equals("py unstructured", r:unstructured_name())
      local exts = r:extensions()
      local want = {{"2.5.29.17", false}, {"2.5.29.15", true}, {"2.5.29.37", false},
                    {"2.5.29.19", true}, {"1.3.6.1.5.5.7.1.24", false}, {"1.2.3.99", true}}
      assert.equals(#want, #exts)
      for i, w in ipairs(want) do
        assert.equals(w[1], exts[i].oid)
        assert.equals(w[2], exts[i].critical)
      end
      assert.equals("\4\3abc", exts[6].value)
      local attrs = r:attributes()
      assert.equals(3, #attrs)
      assert.equals("challengePassword", attrs[1].name)
      assert.same({"\12\9py-secret"}, attrs[1].values)
      assert.equals("unstructuredName", attrs[2].name)
      assert.equals("extensionRequest", attrs[3].name)
      assert.matches("Bj\195\182rk", r:text())
    end)
  end

  for _, n in ipairs({"rsa-sha224", "rsa-sha384", "rsa-sha512", "p384-sha224", "p384-sha384",
                      "p384-sha512"}) do
    it("digest " .. n, function()
      if not need() then return end
      local r = parse_ok((get(n)))
      local d = n:match("sha%d+")
      if n:match("^rsa") then
        assert.equals(d .. "WithRSAEncryption", r:signature_algorithm())
      else
        assert.equals("ecdsa-with-" .. d:upper(), r:signature_algorithm())
      end
      assert.equals("digest " .. d, r:subject():get("CN"))
    end)
  end

  for _, n in ipairs({"rsa-pss-digest", "rsa-pss-max", "rsa-pss-0",
                      "rsa-pss-sha512-mgf1sha256"}) do
    it("RSA-PSS " .. n, function()
      if not need("csr_sign_pss") then return end
      local r = parse_ok((get(n)))
      assert.equals("rsassaPss", r:signature_algorithm())
    end)
  end

  it("an empty subject", function()
    if not need() then return end
    local r = parse_ok((get("empty-subject")))
    assert.equals("", tostring(r:subject()))
    assert.same({}, r:subject():entries())
  end)
end)
