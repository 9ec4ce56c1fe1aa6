-- csr.certificate judged by real peers: `openssl verify` accepts every certificate we issue
-- (every leaf key type x RSA, RSA-PSS, EC and Ed25519 CAs), `openssl x509 -text` shows the
-- fields we set, Python cryptography (spec/certdump.py) reads back what we wrote; and we read
-- back, field by field, certificates made by `openssl req -x509`, `openssl x509 -req`,
-- Python, and a real-world chain shape (spec/fixtures/make-cert-fixtures.sh).
local csr = require "csr"
local H = require "spec.helpers"

local q = H.shellquote
local fixdir = H.root .. "/spec/fixtures/"

local function key(name) return assert(csr.key.parse(H.fixture("keys/" .. name))) end
local function have_openssl() return (H.run("openssl version")) end

local function split(s)
  local t = {}
  if s == nil or s == "" then return t end
  for v in (s .. "|"):gmatch("([^|]*)|") do t[#t + 1] = v end
  return t
end

-- certdump.py dump over files (under py, default H.python()): one table per certificate
local function pydump(files, py)
  local quoted = {}
  for i, f in ipairs(files) do quoted[i] = q(f) end
  local ok, out = H.run((py or H.python()) .. " " .. q(H.root .. "/spec/certdump.py") ..
                        " dump " .. table.concat(quoted, " "))
  assert(ok, out)
  local list, cur = {}, {}
  for line in out:gmatch("[^\n]+") do
    if line == "--" then
      list[#list + 1] = cur
      cur = {}
    else
      local k, v = line:match("^([%w_]+)=(.*)$")
      if k then cur[k] = v end
    end
  end
  assert.are.equal(#files, #list, out)
  return list
end

local function list_or_empty(t) return t or {} end

-- our reading of c against Python's dump d, field by field
local function same_as_python(c, d)
  local where = d.file
  assert.are.equal(tonumber(d.version), c:version(), where)
  assert.are.equal(d.serial, c:serial(), where)
  assert.are.equal(tonumber(d.not_before), c:not_before(), where)
  assert.are.equal(tonumber(d.not_after), c:not_after(), where)
  assert.are.equal(d.subject, tostring(c:subject()), where)
  assert.are.equal(d.issuer, tostring(c:issuer()), where)
  assert.are.equal(d.fingerprint, c:fingerprint(), where)
  local san = c:san()
  assert.are.same(split(d.dns), list_or_empty(san.dns), where)
  assert.are.same(split(d.ip), list_or_empty(san.ip), where)
  assert.are.same(split(d.email), list_or_empty(san.email), where)
  assert.are.same(split(d.uri), list_or_empty(san.uri), where)
  if d.ku then assert.are.same(split(d.ku), c:key_usage(), where)
  else assert.is_nil(c:key_usage(), where) end
  local eku = c:extended_key_usage()
  if d.eku then
    local oids = {serverAuth = "1.3.6.1.5.5.7.3.1", clientAuth = "1.3.6.1.5.5.7.3.2",
                  codeSigning = "1.3.6.1.5.5.7.3.3"}
    for i, v in ipairs(eku) do eku[i] = oids[v] or v end
    assert.are.same(split(d.eku), eku, where)
  else
    assert.is_nil(eku, where)
  end
  local bc = c:basic_constraints()
  if d.ca then
    assert.are.same({ca = d.ca == "1", pathlen = tonumber(d.pathlen)}, bc, where)
  else
    assert.is_nil(bc, where)
  end
  assert.are.equal(d.must_staple == "1", c:must_staple(), where)
  assert.are.equal(d.ski, c:subject_key_id(), where)
  assert.are.equal(d.aki, c:authority_key_id(), where)
  local exts = {}
  for i, e in ipairs(c:extensions()) do exts[i] = e.oid .. ":" .. (e.critical and 1 or 0) end
  assert.are.equal(d.exts, table.concat(exts, "|"), where)
end

-- the CAs and leaves of the matrix
local CAS = {
  {name = "rsa", key = "rsa2048.pem"},
  {name = "rsa-pss", key = "rsa3072.pem", padding = "pss"},
  {name = "ec", key = "ec-p384.pem"},
  {name = "ed25519", key = "ed25519.pem"},
}
local LEAVES = {
  {name = "rsa2048", key = "rsa2048.pem"}, {name = "rsa3072", key = "rsa3072.pem"},
  {name = "rsa3072-pss", key = "rsa3072.pem", padding = "pss"},
  {name = "rsa2048-pss", key = "rsa2048.pem", padding = "pss"},
  {name = "p256", key = "ec-p256.pem"}, {name = "p384", key = "ec-p384.pem"},
  {name = "p521", key = "ec-p521.pem"}, {name = "ed25519", key = "ed25519.pem"},
  {name = "ed448", key = "ed448.pem"},
}

-- under valgrind, fewer leaves (RSA signing is slow there); every CA still signs
if os.getenv("CSR_UNDER_VALGRIND") then
  LEAVES = {LEAVES[1], LEAVES[4], LEAVES[5], LEAVES[9]}
end

describe("csr.certificate interop #openssl", function()
  local tmp, issued = {}, {}

  local function tmpfile(data, suffix)
    local f = H.tmpfile(data, suffix)
    tmp[#tmp + 1] = f
    return f
  end

  setup(function()
    for _, ca in ipairs(CAS) do
      local k = key(ca.key)
      ca.cert = assert(csr.certificate.self_signed{key = k, subject = "CN=Matrix " .. ca.name ..
        " CA,O=lua-csr", days = 3650, ca = true, padding = ca.padding})
      ca.k = k
      ca.file = tmpfile(ca.cert:to_pem(), ".pem")
      for _, leaf in ipairs(LEAVES) do
        local lk = key(leaf.key)
        local r = assert(csr.request.new{subject = "CN=" .. leaf.name .. ".example.com,O=lua-csr",
          key = lk, san = {dns = {leaf.name .. ".example.com"}, ip = {"192.0.2.9", "2001:db8::9"},
                           email = {"ops@example.com"}, uri = {"https://example.com/x"}},
          key_usage = {"digitalSignature"}, extended_key_usage = {"serverAuth", "clientAuth"},
          must_staple = true})
        assert(r:sign(lk, {padding = leaf.padding}))
        local c = assert(csr.certificate.issue{request = r, issuer_key = k, issuer_cert = ca.cert,
                                               days = 397, padding = ca.padding})
        issued[#issued + 1] = {ca = ca, leaf = leaf, cert = c, file = tmpfile(c:to_pem(), ".pem")}
      end
    end
  end)

  teardown(function()
    for _, f in ipairs(tmp) do os.remove(f) end
  end)

  it("openssl verify -x509_strict accepts every issued certificate", function()
    if not have_openssl() then return pending("openssl CLI not found") end
    for _, ca in ipairs(CAS) do
      local files = {}
      for _, it_ in ipairs(issued) do
        if it_.ca == ca then files[#files + 1] = q(it_.file) end
      end
      local ok, out = H.run("openssl verify -x509_strict -CAfile " .. q(ca.file) .. " " ..
                            table.concat(files, " "))
      assert.is_true(ok, out)
      local n = 0
      for _ in out:gmatch(": OK\n") do n = n + 1 end
      assert.are.equal(#LEAVES, n, out)
    end
  end)

  it("verifies every issued certificate itself, and refuses the wrong issuer", function()
    for _, it_ in ipairs(issued) do
      assert.is_true(it_.cert:verify(it_.ca.cert), it_.file)
      local other = it_.ca == CAS[1] and CAS[3] or CAS[1]
      local ok, _, code = it_.cert:verify(other.cert)
      assert.is_false(ok)
      assert.are.equal(csr.errors.BAD_SIGNATURE, code)
    end
  end)

  it("openssl x509 -text shows every field we set", function()
    if not have_openssl() then return pending("openssl CLI not found") end
    local ca = CAS[3]
    local lk = key("ec-p256.pem")
    local r = assert(csr.request.new{subject = "/C=DE/O=Field Org/OU=Ops/CN=fields.example",
                                     key = lk})
    assert(r:sign(lk))
    local c = assert(csr.certificate.issue{request = r, issuer_key = ca.k, issuer_cert = ca.cert,
      serial = "0123456789abcdef01", not_before = 1735689600, not_after = 2556143999,
      subject = "/C=DE/O=Field Org/CN=override.example",
      san = {dns = {"a.example"}, ip = {"198.51.100.1"}, email = {"x@a.example"},
             uri = {"urn:x:y"}},
      key_usage = {"digitalSignature", "keyAgreement"}, extended_key_usage = {"codeSigning"},
      basic_constraints = {ca = true, pathlen = 2}, must_staple = true,
      extensions = {{oid = "1.2.3.4.5", value = "\12\5hello"}}})
    local ok, out = H.run("openssl x509 -noout -text -in " .. q(tmpfile(c:to_pem(), ".pem")))
    assert.is_true(ok, out)
    for _, want in ipairs({
        "Version: 3 %(0x2%)", "01:23:45:67:89:ab:cd:ef:01",
        "Issuer: O = lua%-csr, CN = Matrix ec CA",
        "Not Before: Jan  1 00:00:00 2025 GMT", "Not After : Dec 31 23:59:59 2050 GMT",
        "Subject: C = DE, O = Field Org, CN = override.example",
        "DNS:a.example, IP Address:198.51.100.1, email:x@a.example, URI:urn:x:y",
        "X509v3 Key Usage: critical", "Digital Signature, Key Agreement", "Code Signing",
        "X509v3 Basic Constraints: critical", "CA:TRUE, pathlen:2", "TLS Feature:",
        "status_request", "1.2.3.4.5:", "hello",
        "X509v3 Subject Key Identifier:", "X509v3 Authority Key Identifier:",
        "Signature Algorithm: ecdsa%-with%-SHA384"}) do
      assert.matches(want, out)
    end
    local id = c:subject_key_id():upper():gsub("..", "%0:"):sub(1, -2)
    assert.matches(id, out, 1, true)
    -- our own dump carries the same dates, formatted the same way
    assert.matches("Not Before: Jan  1 00:00:00 2025 GMT", c:text(), 1, true)
    assert.matches("Not After : Dec 31 23:59:59 2050 GMT", c:text(), 1, true)
  end)

  it("Python cryptography reads back every issued certificate", function()
    if not H.python() then return pending("python3 with cryptography not found") end
    local files = {}
    for i, it_ in ipairs(issued) do files[i] = it_.file end
    for _, ca in ipairs(CAS) do files[#files + 1] = ca.file end
    local dumps = pydump(files)
    for i, it_ in ipairs(issued) do same_as_python(it_.cert, dumps[i]) end
    for i, ca in ipairs(CAS) do same_as_python(ca.cert, dumps[#issued + i]) end
  end)

  it("Debian's Python cryptography 38 reads them too", function()
    local ok = H.run("/usr/bin/python3 -c 'import cryptography'")
    if not ok then return pending("/usr/bin/python3 with cryptography not found") end
    local files = {}
    for i, it_ in ipairs(issued) do files[i] = it_.file end
    local dumps = pydump(files, "/usr/bin/python3")
    for i, it_ in ipairs(issued) do same_as_python(it_.cert, dumps[i]) end
  end)

  it("reads certificates made by openssl req -x509 and openssl x509 -req", function()
    if not have_openssl() then return pending("openssl CLI not found") end
    local files = {}
    local function add(name) files[#files + 1] = name end
    for _, kf in ipairs({"rsa2048.pem", "ec-p256.pem", "ed25519.pem", "ed448.pem"}) do
      local out = H.tmpname(".pem")
      tmp[#tmp + 1] = out
      local ok, msg = H.run("openssl req -x509 -new -key " .. q(fixdir .. "keys/" .. kf) ..
        " -subj '/C=US/ST=CA/O=Req X509/CN=" .. kf .. "' -days 10 -set_serial 0x0badc0de" ..
        " -addext 'subjectAltName=DNS:x.example,IP:10.1.2.3,email:e@x.example,URI:https://x/'" ..
        " -addext 'keyUsage=critical,digitalSignature,keyCertSign'" ..
        " -addext 'extendedKeyUsage=serverAuth,1.3.6.1.4.1.311.20.2.2'" ..
        " -addext 'tlsfeature=status_request' -out " .. q(out))
      assert.is_true(ok, msg)
      add(out)
    end
    local csrfile, cafile = H.tmpname(".csr"), fixdir .. "certs/chain-root.pem"
    local out = H.tmpname(".pem")
    tmp[#tmp + 1] = csrfile
    tmp[#tmp + 1] = out
    assert(H.run("openssl req -new -key " .. q(fixdir .. "keys/ec-p521.pem") ..
                 " -subj '/CN=x509 req' -out " .. q(csrfile)))
    local ok, msg = H.run("openssl x509 -req -in " .. q(csrfile) .. " -CA " .. q(cafile) ..
                          " -CAkey " .. q(fixdir .. "keys/ec-p384.pem") ..
                          " -set_serial 12345 -days 5 -out " .. q(out))
    assert.is_true(ok, msg)
    add(out)
    for _, f in ipairs({"certs/chain-root.pem", "certs/chain-inter.pem", "certs/v1.pem",
                        "certs/pss-root.pem"}) do
      add(fixdir .. f)
    end
    local root = assert(csr.certificate.parse(H.readfile(cafile)))
    for _, f in ipairs(files) do
      local c = assert(csr.certificate.parse(H.readfile(f)))
      local ok3, dump = H.run("openssl x509 -noout -serial -startdate -enddate -fingerprint " ..
                              "-sha256 -in " .. q(f))
      assert.is_true(ok3, dump)
      assert.are.equal(dump:match("serial=(%x+)"):lower():gsub("^0+(%x)", "%1"), c:serial())
      assert.are.equal(dump:match("Fingerprint=([%x:]+)"):gsub(":", ""):lower(), c:fingerprint())
      local nb = c:text():match("Not Before: ([^\n]+)")
      assert.are.equal(dump:match("notBefore=([^\n]+)"), nb, f)
      if c:issuer() == c:subject() then
        assert.is_true(c:verify(c), f)
      elseif c:issuer() == root:subject() then
        assert.is_true(c:verify(root), f)
      end
    end
    if H.python() then
      local dumps = pydump(files)
      for i, f in ipairs(files) do
        same_as_python(assert(csr.certificate.parse(H.readfile(f))), dumps[i])
      end
    end
  end)

  it("reads certificates made by Python cryptography, field by field", function()
    if not H.python() then return pending("python3 with cryptography not found") end
    local dir = H.tmpname("")
    assert(H.run("mkdir -p " .. q(dir)))
    local ok, out = H.run(H.python() .. " " .. q(H.root .. "/spec/certdump.py") .. " make " ..
                          q(dir))
    assert.is_true(ok, out)
    local files, certs = {}, {}
    for name in out:gmatch("[^\n]+") do files[#files + 1] = dir .. "/" .. name end
    assert.are.equal(5, #files)
    for i, f in ipairs(files) do certs[i] = assert(csr.certificate.parse(H.readfile(f))) end
    local dumps = pydump(files)
    for i = 1, #files do
      same_as_python(certs[i], dumps[i])
      assert.is_true(certs[i]:verify(certs[1]), files[i])
    end
    assert.are.same({ca = true, pathlen = 1}, certs[1]:basic_constraints())
    H.run("rm -rf " .. q(dir))
  end)

  it("parses a real-world chain shape and verifies each link", function()
    local chain = assert(csr.certificate.parse_all(H.fixture("certs/chain.pem")))
    assert.are.equal(3, #chain)
    local leaf, inter, root = chain[1], chain[2], chain[3]
    assert.is_true(leaf:verify(inter))
    assert.is_true(inter:verify(root))
    assert.is_true(root:verify(root))
    assert.is_false((leaf:verify(root)))
    assert.is_true(leaf:issuer() == inter:subject())
    assert.are.equal(inter:subject_key_id(), leaf:authority_key_id())
    assert.are.equal(root:subject_key_id(), inter:authority_key_id())
    assert.are.equal("f1e2d3c4b5a69788796a5b4c3d2e1f00", leaf:serial())
    assert.are.equal("7fedcba987654321", inter:serial())
    assert.are.same({ca = true, pathlen = 0}, inter:basic_constraints())
    assert.are.same({dns = {"www.example.com", "example.com"}, ip = {"192.0.2.7", "2001:db8::7"}},
                    leaf:san())
    local byname = {}
    for _, e in ipairs(leaf:extensions()) do byname[e.oid] = e end
    for _, oid in ipairs({"1.3.6.1.5.5.7.1.1", "2.5.29.31", "2.5.29.32"}) do
      assert.is_table(byname[oid], oid)
    end
    assert.are.equal("authorityInfoAccess", byname["1.3.6.1.5.5.7.1.1"].name)
    local sct = byname["1.3.6.1.4.1.11129.2.4.2"]
    assert.are.equal(H.fromhex("041a001800160001020304050607" ..
                               "08090a0b0c0d0e0f101112131415"), sct.value)
    assert.is_false(sct.critical)
    local text = leaf:text()
    for _, want in ipairs({"Authority Information Access:\n" ..
        "                OCSP - URI:http://ocsp.example.com\n" ..
        "                CA Issuers - URI:http://ca.example.com/int.crt\n",
        "X509v3 CRL Distribution Points:\n                Full Name:\n" ..
        "                  URI:http://crl.example.com/int.crl\n",
        "                Policy: 2.23.140.1.2.2\n                Policy: 1.3.6.1.4.1.44947.1.1.1\n" ..
        "                  CPS: http://cps.example.com\n",
        "CT Precertificate SCTs:\n                04:1a:00:18"}) do
      assert.matches(want, text, 1, true)
    end
    if have_openssl() then                      -- the same lines as openssl's dump
      local ok, out = H.run("openssl x509 -noout -text -in " ..
                            q(fixdir .. "certs/chain-leaf.pem"))
      assert.is_true(ok, out)
      for _, line in ipairs({"OCSP - URI:http://ocsp.example.com", "Full Name:",
                             "CPS: http://cps.example.com", "Policy: 2.23.140.1.2.2"}) do
        assert.matches(line, out, 1, true)
      end
    end
    local der = assert(csr.certificate.parse(H.fixture("certs/chain-leaf.der")))
    assert.are.equal(leaf:fingerprint(), der:fingerprint())
    if have_openssl() then
      local ok, out = H.run("openssl verify -CAfile " .. q(fixdir .. "certs/chain-root.pem") ..
                            " -untrusted " .. q(fixdir .. "certs/chain-inter.pem") .. " " ..
                            q(fixdir .. "certs/chain-leaf.pem"))
      assert.is_true(ok, out)
    end
  end)

  it("issues from a CA made by openssl, which openssl then verifies", function()
    if not have_openssl() then return pending("openssl CLI not found") end
    local inter = assert(csr.certificate.parse(H.fixture("certs/chain-inter.pem")))
    local lk = key("ed448.pem")
    local r = assert(csr.request.new{subject = "CN=from-openssl-ca", key = lk,
                                     san = {dns = {"from-openssl-ca.example"}}})
    assert(r:sign(lk))
    local c = assert(csr.certificate.issue{request = r, issuer_key = key("rsa2048.pem"),
                                           issuer_cert = inter})
    assert.are.equal(inter:subject_key_id(), c:authority_key_id())
    local ok, out = H.run("openssl verify -x509_strict -CAfile " ..
                          q(fixdir .. "certs/chain-root.pem") .. " -untrusted " ..
                          q(fixdir .. "certs/chain-inter.pem") .. " " ..
                          q(tmpfile(c:to_pem(), ".pem")))
    assert.is_true(ok, out)
  end)
end)
