-- csr.request.parse / verify over every public vector in spec/vectors/pyca-requests,
-- driven by manifest.json (openssl 3.0's verdict for each file is recorded there).
local csr = require "csr"
local helpers = require "helpers"

local E = csr.errors
local dir = helpers.vectors .. "/"

-- A tiny reader for the manifest: the "files" array of flat objects with string/number
-- values (all this manifest holds).
local function read_manifest()
  local text = helpers.readfile(dir .. "manifest.json")
  local files = text:match('"files"%s*:%s*(%b[])')
  assert(files, "manifest has no files array")
  local list = {}
  for obj in files:gmatch("%b{}") do
    local e = {}
    for k, v in obj:gmatch('"([%w_]+)"%s*:%s*"(.-[^\\])"') do e[k] = v end
    for k, v in obj:gmatch('"([%w_]+)"%s*:%s*(%-?%d+)') do e[k] = tonumber(v) end
    for k, v in obj:gmatch('"([%w_]+)"%s*:%s*(true)') do e[k] = true end
    for k, v in obj:gmatch('"([%w_]+)"%s*:%s*(false)') do e[k] = false end
    assert(e.file, "manifest entry without file")
    list[#list + 1] = e
  end
  return list
end

local manifest = read_manifest()

-- Our verdict for each file. parse = "ok": parses, then verify = true | "unsupported" |
-- "bad"; parse = code name: refused with that code (and the message pattern).
local expect = {
  ["bad-version.pem"] = {parse = "BAD_VERSION", msg = "version must be v1 %(0%) at byte %d+"},
  ["basic_constraints.pem"] = {parse = "ok", verify = "bad", bc = {ca = true, pathlen = 1}},
  ["challenge-invalid.der"] = {parse = "BAD_DER", msg = "challengePassword: not a Directory"},
  ["challenge-multi-valued.der"] = {parse = "BAD_DER", msg = "challengePassword: more than one"},
  ["challenge-unstructured.pem"] = {parse = "ok", verify = true, challenge = "beauty",
                                    unstructured = "an unstructured field"},
  ["challenge.pem"] = {parse = "ok", verify = true, challenge = "challenge me!"},
  ["dsa_sha1.der"] = {parse = "ok", verify = "unsupported"},
  ["dsa_sha1.pem"] = {parse = "ok", verify = "unsupported"},
  ["ec_sha256.der"] = {parse = "ok", verify = true},
  ["ec_sha256.pem"] = {parse = "ok", verify = true},
  ["ec_sha256_old_header.pem"] = {parse = "ok", verify = true},
  -- BER quirk policy: an explicit critical = FALSE (DER forbids encoding the DEFAULT) is
  -- tolerated, as openssl and pyca do; the extension reads as not critical.
  ["freeipa-bad-critical.pem"] = {parse = "ok", verify = true, explicit_false = true},
  ["freeipa_bad_bool.pem"] = {parse = "ok", verify = true, explicit_false = true},
  ["invalid_signature.pem"] = {parse = "ok", verify = "bad"},
  -- a [APPLICATION 32] high-tag-number identifier: our DER reader refuses high tags
  ["long-form-attribute.pem"] = {parse = "BAD_DER", msg = "high tag number at byte %d+"},
  -- public keys, not requests: no PEM block with a CSR label
  ["mldsa-mlkem1024-signing-pubkey.pem"] = {parse = "BAD_PEM"},
  ["mldsa-mlkem768-signing-pubkey.pem"] = {parse = "BAD_PEM"},
  ["mldsa-mlkem1024.pem"] = {parse = "ok", verify = "unsupported"},
  ["mldsa-mlkem768.pem"] = {parse = "ok", verify = "unsupported"},
  ["mldsa.pem"] = {parse = "ok", verify = "unsupported"},
  ["rsa_md4.der"] = {parse = "ok", verify = "unsupported"},
  ["rsa_md4.pem"] = {parse = "ok", verify = "unsupported"},
  ["rsa_sha1.der"] = {parse = "ok", verify = true},        -- correct SHA-1 verifies
  ["rsa_sha1.pem"] = {parse = "ok", verify = true},
  ["rsa_sha256.der"] = {parse = "ok", verify = true},
  ["rsa_sha256.pem"] = {parse = "ok", verify = true},
  ["san_rsa_sha1.der"] = {parse = "ok", verify = true,
                          dns = {"cryptography.io", "sub.cryptography.io"}},
  ["san_rsa_sha1.pem"] = {parse = "ok", verify = true,
                          dns = {"cryptography.io", "sub.cryptography.io"}},
  ["two_basic_constraints.pem"] = {parse = "DUPLICATE",
                                   msg = "duplicate extension basicConstraints at byte %d+"},
  -- the extnValue of 1.2.3.4 is the five bytes "value", not a DER TLV: refused (unknown
  -- extensions are kept raw, but their value must still be DER)
  ["unsupported_extension.pem"] = {parse = "BAD_DER", msg = "at byte %d+"},
  ["unsupported_extension_critical.pem"] = {parse = "BAD_DER", msg = "at byte %d+"},
  -- policy: an extensionRequest whose value SET is empty (SIZE(1..MAX) violated) is read as
  -- "no extensions", as openssl and pyca read it; other attributes with no value are refused
  ["zero-element-attribute.pem"] = {parse = "ok", verify = true, no_extensions = true},
}

local function basename(p) return (p:match("([^/]+)$")) end

describe("csr.request.parse over the pyca vectors", function()
  it("has an expectation for every manifest entry and every file in the folder", function()
    local seen = {}
    for _, e in ipairs(manifest) do
      local b = basename(e.file)
      assert.is_not_nil(expect[b], "no expectation for " .. b)
      seen[b] = true
    end
    local ok, out = helpers.run("ls " .. helpers.shellquote(dir .. "pyca-requests"))
    assert.is_true(ok)
    for f in out:gmatch("[^\n]+") do
      if f:match("%.pem$") or f:match("%.der$") then
        assert.is_true(seen[f] == true, f .. " is not in the manifest")
      end
    end
    for f in pairs(expect) do assert.is_true(seen[f] == true, f .. " not in manifest") end
  end)

  for _, e in ipairs(manifest) do
    local b = basename(e.file)
    local x = expect[b] or {}
    it(b .. " (openssl: " .. tostring(e.openssl_verify) .. ")", function()
      local data = helpers.readfile(dir .. e.file)
      local r, msg, code = csr.request.parse(data)
      if x.parse ~= "ok" then
        assert.is_nil(r)
        assert.equals(E[x.parse], code)
        assert.matches("^csr%.request%.parse: ", msg)
        if x.msg then assert.matches(x.msg, msg) end
        if e.version_field and e.version_field ~= 0 then
          assert.equals(E.BAD_VERSION, code)
        end
        return
      end
      assert.is_not_nil(r, msg)
      assert.equals(0, r:version())
      assert.equals(e.version_field, r:version())
      -- the input DER comes back byte for byte
      if e.format == "der" then
        assert.equals(data, r:to_der())
      else
        local back = assert(csr.request.parse(r:to_pem()))
        assert.equals(r:to_der(), back:to_der())
        assert.matches("^%-%-%-%-%-BEGIN CERTIFICATE REQUEST%-%-%-%-%-\n", r:to_pem())
      end
      assert.equals(e.sig_alg, r:signature_algorithm())
      local ok, vmsg, vcode = r:verify()
      if x.verify == true then
        assert.is_true(ok, vmsg)
        assert.equals("valid", e.openssl_verify)
      elseif x.verify == "unsupported" then
        assert.is_false(ok)
        assert.equals(E.UNSUPPORTED, vcode)
        assert.matches("^csr%.request:verify: unsupported ", vmsg)
      else
        assert.is_false(ok)
        assert.equals(E.BAD_SIGNATURE, vcode)
        assert.equals("csr.request:verify: signature does not verify", vmsg)
        assert.equals("invalid", e.openssl_verify)
      end
      if e.key_type == "rsa" or e.key_type == "ec" then
        local k = assert(r:public_key())
        assert.equals(e.key_type, k:type())
        if e.curve then assert.equals(e.curve, k:curve()) end
        assert.is_true(r:matches(k))
      elseif e.key_type then
        local k, kmsg, kcode = r:public_key()
        assert.is_nil(k)
        assert.equals(E.UNSUPPORTED, kcode)
        assert.matches("^csr%.request:public_key: ", kmsg)
      end
      if x.challenge then assert.equals(x.challenge, r:challenge_password()) end
      if x.unstructured then assert.equals(x.unstructured, r:unstructured_name()) end
      if x.bc then assert.same(x.bc, r:basic_constraints()) end
      if x.dns then assert.same(x.dns, r:san().dns) end
      if x.no_extensions then
        assert.same({}, r:extensions())
        assert.is_nil(r:key_usage())
        assert.same({}, r:san())
      end
      if x.explicit_false then
        local exts = r:extensions()
        assert.equals("subjectAltName", exts[1].name)
        assert.is_false(exts[1].critical)
        assert.equals("basicConstraints", exts[2].name)
        assert.is_true(exts[2].critical)
        assert.same({ca = false}, r:basic_constraints())
        local san = r:san()
        assert.same({"replica1.ipa.test"}, san.dns)
        assert.equals(2, #san.other_name)
        assert.equals("1.3.6.1.4.1.311.20.2.3", san.other_name[1].oid)
        assert.equals("\12\31ldap/replica1.ipa.test@IPA.TEST", san.other_name[1].value)
        assert.equals("1.3.6.1.5.2.2", san.other_name[2].oid)
      end
      assert.is_string(r:text())
      assert.matches("Certificate Request:", r:text())
    end)
  end

  it("reads the subject of a vector in DER order with its values", function()
    local r = assert(csr.request.parse(helpers.readfile(dir .. "pyca-requests/rsa_sha256.pem")))
    local s = r:subject()
    assert.equals("CN=cryptography.io,O=PyCA,L=Austin,ST=Texas,C=US", tostring(s))
    assert.equals("cryptography.io", s:get("CN"))
    assert.same({{"C", "US"}, {"ST", "Texas"}, {"L", "Austin"}, {"O", "PyCA"},
                 {"CN", "cryptography.io"}}, s:entries())
  end)

  it("gives {} and nil for absent extensions", function()
    local r = assert(csr.request.parse(helpers.readfile(dir .. "pyca-requests/ec_sha256.pem")))
    assert.same({}, r:san())
    assert.is_nil(r:key_usage())
    assert.is_nil(r:extended_key_usage())
    assert.is_nil(r:basic_constraints())
    assert.is_false(r:must_staple())
    assert.is_nil(r:challenge_password())
    assert.is_nil(r:unstructured_name())
    assert.same({}, r:extensions())
  end)

  it("keeps unknown attributes raw with their OID and DER values", function()
    local r = assert(csr.request.parse(
      helpers.readfile(dir .. "pyca-requests/freeipa-bad-critical.pem")))
    local attrs = r:attributes()
    assert.equals(2, #attrs)
    assert.equals("1.2.840.113549.1.9.20", attrs[1].oid)      -- friendlyName (BMPString)
    assert.is_nil(attrs[1].name)
    assert.equals(1, #attrs[1].values)
    assert.equals("\30", attrs[1].values[1]:sub(1, 1))
    assert.equals("extensionRequest", attrs[2].name)
    assert.equals("1.2.840.113549.1.9.14", attrs[2].oid)
    assert.equals("\48", attrs[2].values[1]:sub(1, 1))
  end)

  it("accepts both PEM labels, CRLF and text around the block", function()
    local pem = helpers.readfile(dir .. "pyca-requests/ec_sha256.pem")
    local der = assert(csr.request.parse(pem)):to_der()
    local crlf = "junk before\r\n" .. pem:gsub("\n", "\r\n") .. "trailing words\r\n"
    assert.equals(der, assert(csr.request.parse(crlf)):to_der())
    local new = pem:gsub("CERTIFICATE REQUEST", "NEW CERTIFICATE REQUEST")
    assert.equals(der, assert(csr.request.parse(new)):to_der())
    local r, msg, code = csr.request.parse((pem:gsub("CERTIFICATE REQUEST", "CERTIFICATE")))
    assert.is_nil(r)
    assert.equals(E.BAD_PEM, code)
    assert.matches("^csr%.request%.parse: ", msg)
  end)

  it("refuses trailing bytes after the DER request", function()
    local der = helpers.readfile(dir .. "pyca-requests/ec_sha256.der")
    local r, msg, code = csr.request.parse(der .. "\0")
    assert.is_nil(r)
    assert.equals(E.BAD_DER, code)
    assert.matches("^csr%.request%.parse: .*trailing bytes at byte %d+", msg)
  end)

  it("raises on a non-string argument", function()
    assert.error_matches(function() csr.request.parse(nil) end,
                         "bad argument #1 to 'parse' (string expected, got nil)", 1, true)
    assert.error_matches(function() csr.request.parse({}) end,
                         "bad argument #1 to 'parse' (string expected, got table)", 1, true)
  end)
end)

describe("receiving-side methods on requests built here", function()
  local key = csr.key.generate("ec", {curve = "P-384"})

  it("answer for an unsigned request, and after signing", function()
    local r = assert(csr.request.new{subject = "CN=built.example,O=Here", key = key,
                                     san = {dns = {"built.example"}, ip = {"192.0.2.9"}},
                                     challenge_password = "pw"})
    local ok, msg, code = r:verify()
    assert.is_false(ok)
    assert.equals(E.NOT_SIGNED, code)
    assert.equals("csr.request:verify: the request is not signed", msg)
    assert.is_nil(r:signature_algorithm())
    assert.matches("%(not signed%)", r:text())
    assert.same({dns = {"built.example"}, ip = {"192.0.2.9"}}, r:san())
    assert.equals("pw", r:challenge_password())
    assert.is_true(r:matches(key))
    assert.is_true(r:sign(key))
    assert.is_true(r:verify())
    assert.equals("ecdsa-with-SHA384", r:signature_algorithm())
    local back = assert(csr.request.parse(r:to_der()))
    assert.is_true(back:verify())
    assert.equals(r:to_der(), back:to_der())
    assert.equals("CN=built.example,O=Here", tostring(back:subject()))
    assert.is_true(back:matches(key))
    assert.is_true(back:matches(key:public()))
    assert.is_false(back:matches(csr.key.generate("ec", {curve = "P-384"})))
    assert.equals(key:fingerprint(), assert(back:public_key()):fingerprint())
  end)

  it("returns new objects: a changed subject does not change the request", function()
    local r = assert(csr.request.new{subject = "CN=a", key = key})
    assert.is_true(r:sign(key))
    local s = r:subject()
    s:add("OU", "changed")
    assert.equals("CN=a", tostring(r:subject()))
  end)

  it("raises on misuse", function()
    local r = assert(csr.request.parse(helpers.readfile(dir .. "pyca-requests/ec_sha256.pem")))
    assert.error_matches(function() r:matches("not a key") end,
                         "bad argument #1 to 'matches' (csr.key expected, got string)", 1, true)
    assert.error_matches(function() r:matches() end,
                         "bad argument #1 to 'matches' (csr.key expected, got no value)", 1, true)
    assert.error_matches(function() r.verify(nil) end,
                         "bad argument #1 to 'verify' (csr.request expected, got nil)", 1, true)
    assert.error_matches(function() r.san("x") end,
                         "bad argument #1 to 'san' (csr.request expected, got string)", 1, true)
    r:close()
    assert.error_matches(function() r:verify() end,
                         "calling 'verify' on bad self (attempt to use a closed csr.request)",
                         1, true)
    assert.error_matches(function() r:subject() end,
                         "calling 'subject' on bad self (attempt to use a closed csr.request)",
                         1, true)
  end)
end)
