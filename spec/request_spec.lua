-- csr.request.new, req:sign, to_pem/to_der, csr.generate: behaviour and the DER we write.
-- (Peers reading the output: build_interop_spec.lua.)
local csr = require "csr"
local helpers = require "helpers"

-- A tiny DER walker: returns tag, contents start, contents length, next position.
local function tlv(s, pos)
  local tag = s:byte(pos)
  local l = s:byte(pos + 1)
  local hdr = 2
  if l >= 128 then
    local k = l - 128
    l = 0
    for i = 1, k do l = l * 256 + s:byte(pos + 1 + i) end
    hdr = 2 + k
  end
  return tag, pos + hdr, l, pos + hdr + l
end

-- The children TLVs (as strings) of the constructed TLV at pos.
local function children(s, pos)
  local _, start, len = tlv(s, pos)
  local out, p = {}, start
  while p < start + len do
    local _, _, _, nxt = tlv(s, p)
    out[#out + 1] = s:sub(p, nxt - 1)
    p = nxt
  end
  return out
end

-- CertificationRequestInfo children of a signed request DER.
local function cri_parts(der)
  local top = children(der, 1)
  return children(top[1], 1), top
end

local function find(hay, needle)
  return (string.find(hay, needle, 1, true))
end

local function fixture_key(name)
  return assert(csr.key.parse(helpers.fixture("keys/" .. name)))
end

describe("csr.request.new", function()
  local key

  setup(function()
    key = assert(csr.key.generate("ec", {curve = "P-256"}))
  end)

  it("builds an unsigned request that cannot be exported yet", function()
    local r = assert(csr.request.new{subject = "CN=www.example.com", key = key})
    assert.equals("request", csr.type(r))
    assert.is_false(r:is_signed())
    assert.equals("csr.request (CN=www.example.com, unsigned)", tostring(r))
    local pem, msg, code = r:to_pem()
    assert.is_nil(pem)
    assert.equals(csr.errors.NOT_SIGNED, code)
    assert.matches("^csr%.request:to_pem: ", msg)
    local der, msg2, code2 = r:to_der()
    assert.is_nil(der)
    assert.equals(csr.errors.NOT_SIGNED, code2)
    assert.matches("^csr%.request:to_der: ", msg2)
  end)

  it("signs, exports PEM and DER that parse back and verify", function()
    local r = assert(csr.request.new{subject = "CN=www.example.com,O=Example Inc,C=US", key = key})
    assert.is_true(r:sign(key))
    assert.is_true(r:is_signed())
    assert.equals("csr.request (CN=www.example.com,O=Example Inc,C=US, signed)", tostring(r))
    local pem, der = r:to_pem(), r:to_der()
    assert.matches("^%-%-%-%-%-BEGIN CERTIFICATE REQUEST%-%-%-%-%-\n", pem)
    assert.matches("\n%-%-%-%-%-END CERTIFICATE REQUEST%-%-%-%-%-\n$", pem)
    assert.equals(48, der:byte(1))
    local back = assert(csr.request.parse(pem))
    assert.equals(der, back:to_der())
    assert.is_true(back:verify())
    assert.is_true(back:matches(key))
    assert.equals(0, back:version())
    assert.equals("CN=www.example.com,O=Example Inc,C=US", tostring(back:subject()))
  end)

  it("writes version 0, the subject, the key's SPKI and empty attributes as A0 00", function()
    local r = assert(csr.request.new{subject = "CN=x", key = key})
    assert(r:sign(key))
    local cri = cri_parts(r:to_der())
    assert.equals(4, #cri)
    assert.equals("\2\1\0", cri[1])
    assert.equals(csr.subject.new("CN=x"):to_der(), cri[2])
    assert.equals(key:to_der{public = true}, cri[3])
    assert.equals("\160\0", cri[4])
  end)

  it("takes the subject as csr.subject, RFC 4514 text, slash text, table or nothing", function()
    local want = csr.subject.new("CN=www.example.com,O=Example Inc,C=US"):to_der()
    local forms = {
      csr.subject.new("CN=www.example.com,O=Example Inc,C=US"),
      "CN=www.example.com,O=Example Inc,C=US",
      "/C=US/O=Example Inc/CN=www.example.com",
      { {"C", "US"}, {"O", "Example Inc"}, {"CN", "www.example.com"} },
    }
    for _, s in ipairs(forms) do
      local r = assert(csr.request.new{subject = s, key = key})
      assert(r:sign(key))
      assert.equals(want, cri_parts(r:to_der())[2])
    end
    for _, s in ipairs({ {}, "", false }) do
      local opts = {key = key, san = {dns = {"a.example"}}}
      if s ~= false then opts.subject = s end
      local r = assert(csr.request.new(opts))
      assert(r:sign(key))
      assert.equals("\48\0", cri_parts(r:to_der())[2])
      assert.equals("csr.request (empty subject, signed)", tostring(r))
    end
  end)

  it("returns the subject's own error for a bad subject", function()
    local r, msg, code = csr.request.new{subject = "CN=x,C=USA", key = key}
    assert.is_nil(r)
    assert.equals(csr.errors.BAD_NAME, code)
    assert.equals("csr.request.new: C must be a two-letter country code (ISO 3166)", msg)
  end)

  it("encodes every extension in the documented order with default criticality", function()
    local raw = "\12\5hello"
    local r = assert(csr.request.new{
      subject = "CN=www.example.com", key = key,
      san = {dns = {"www.example.com", "*.example.com"}, ip = {"192.0.2.1", "2001:db8::1"},
             email = {"ops@example.com"}, uri = {"spiffe://example.com/web"}},
      key_usage = {"digitalSignature", "keyEncipherment"},
      extended_key_usage = {"serverAuth", "clientAuth", "1.3.6.1.4.1.311.20.2.2"},
      basic_constraints = {ca = false},
      must_staple = true,
      extensions = { {oid = "1.2.3.4", value = raw}, {oid = "1.2.3.5", critical = true,
                                                     value = "\5\0"} },
    })
    assert(r:sign(key))
    local der = r:to_der()
    local san = "\6\3\85\29\17\4"               -- not critical: the subject is not empty
    local ku = "\6\3\85\29\15\1\1\255\4\4\3\2\5\160"
    local eku = "\6\3\85\29\37\4"
    local bc = "\6\3\85\29\19\1\1\255\4\2\48\0"  -- cA FALSE is never written
    local tls = "\6\8\43\6\1\5\5\7\1\24\4\5\48\3\2\1\5"
    local c1 = "\6\3\42\3\4\4\7" .. raw
    local c2 = "\6\3\42\3\5\1\1\255\4\2\5\0"
    local last = 0
    for _, needle in ipairs({san, ku, eku, bc, tls, c1, c2}) do
      local at = find(der, needle)
      assert.is_truthy(at, helpers.tohex(needle))
      assert.is_true(at > last)
      last = at
    end
    -- SAN contents: DNS [2], IP [7] 4 and 16 bytes, email [1], URI [6], in that order
    assert.is_truthy(find(der, "\130\15www.example.com\130\13*.example.com\135\4\192\0\2\1" ..
                              "\135\16\32\1\13\184" .. string.rep("\0", 11) .. "\1" ..
                              "\129\15ops@example.com\134\24spiffe://example.com/web"))
    local back = assert(csr.request.parse(der))
    assert.same({dns = {"www.example.com", "*.example.com"}, ip = {"192.0.2.1", "2001:db8::1"},
                 email = {"ops@example.com"}, uri = {"spiffe://example.com/web"}}, back:san())
    assert.same({"digitalSignature", "keyEncipherment"}, back:key_usage())
    assert.same({"serverAuth", "clientAuth", "1.3.6.1.4.1.311.20.2.2"},
                back:extended_key_usage())
    assert.is_true(back:must_staple())
    assert.is_false(back:basic_constraints().ca)
  end)

  it("marks SAN critical when the subject is empty, and honours critical = bool", function()
    local r = assert(csr.request.new{key = key, san = {dns = {"a.example"}}})
    assert(r:sign(key))
    assert.is_truthy(find(r:to_der(), "\6\3\85\29\17\1\1\255\4"))
    r = assert(csr.request.new{key = key, san = {dns = {"a.example"}, critical = false}})
    assert(r:sign(key))
    assert.is_truthy(find(r:to_der(), "\6\3\85\29\17\4"))
    r = assert(csr.request.new{
      subject = "CN=x", key = key,
      san = {dns = {"a.example"}, critical = true},
      key_usage = {"digitalSignature", critical = false},
      extended_key_usage = {"serverAuth", critical = true},
      basic_constraints = {ca = true, pathlen = 0, critical = false},
      must_staple = {critical = true},
    })
    assert(r:sign(key))
    local der = r:to_der()
    assert.is_truthy(find(der, "\6\3\85\29\17\1\1\255\4"))
    assert.is_truthy(find(der, "\6\3\85\29\15\4\4\3\2\7\128"))
    assert.is_truthy(find(der, "\6\3\85\29\37\1\1\255\4"))
    assert.is_truthy(find(der, "\6\3\85\29\19\4\8\48\6\1\1\255\2\1\0"))
    assert.is_truthy(find(der, "\6\8\43\6\1\5\5\7\1\24\1\1\255\4"))
  end)

  it("knows every keyUsage name, with contentCommitment as nonRepudiation", function()
    local names = {"digitalSignature", "nonRepudiation", "keyEncipherment", "dataEncipherment",
                   "keyAgreement", "keyCertSign", "cRLSign", "encipherOnly", "decipherOnly"}
    local r = assert(csr.request.new{key = key, subject = "CN=x", key_usage = names})
    assert(r:sign(key))
    assert.is_truthy(find(r:to_der(), "\6\3\85\29\15\1\1\255\4\5\3\3\7\255\128"))
    r = assert(csr.request.new{key = key, subject = "CN=x", key_usage = {"contentCommitment"}})
    assert(r:sign(key))
    assert.is_truthy(find(r:to_der(), "\4\4\3\2\6\64"))
  end)

  it("writes the attributes in DER order, PrintableString when possible, else UTF8String",
     function()
    local r = assert(csr.request.new{
      key = key, subject = "CN=x", challenge_password = "secret",
      unstructured_name = "M\195\188ller GmbH", san = {dns = {"a.example"}},
    })
    assert(r:sign(key))
    local cri = cri_parts(r:to_der())
    local attrs = children(cri[4], 1)
    assert.equals(3, #attrs)
    for i = 2, #attrs do assert.is_true(attrs[i - 1] < attrs[i]) end
    local der = r:to_der()
    assert.is_truthy(find(der, "\42\134\72\134\247\13\1\9\7\49\8\19\6secret"))
    assert.is_truthy(find(der, "\42\134\72\134\247\13\1\9\2\49\14\12\12M\195\188ller GmbH"))
    local back = assert(csr.request.parse(der))
    assert.equals("secret", back:challenge_password())
    assert.equals("M\195\188ller GmbH", back:unstructured_name())
  end)

  it("accepts 255-character attribute values (counted in characters)", function()
    local r = assert(csr.request.new{key = key, challenge_password = string.rep("\195\164", 255)})
    assert(r:sign(key))
    local r2, _, code = csr.request.new{key = key, challenge_password = string.rep("a", 256)}
    assert.is_nil(r2)
    assert.equals(csr.errors.INVALID, code)
  end)

  it("returns nil, msg, code for bad values", function()
    local E = csr.errors
    local cases = {
      {{san = {ip = {"300.1.2.3"}}}, E.BAD_IP},
      {{san = {ip = {"2001:db8::1::2"}}}, E.BAD_IP},
      {{san = {ip = {"192.0.2.1/24"}}}, E.BAD_IP},
      {{san = {dns = {""}}}, E.INVALID},
      {{san = {dns = {"b\195\188cher.example"}}}, E.INVALID},
      {{san = {dns = {"a b.example"}}}, E.INVALID},
      {{san = {email = {""}}}, E.INVALID},
      {{san = {uri = {"http://ex\1ample"}}}, E.INVALID},
      {{san = {dns = {"a"}}, extensions = { {oid = "2.5.29.17", value = "\48\0"} }}, E.DUPLICATE},
      {{must_staple = true,
        extensions = { {oid = "1.3.6.1.5.5.7.1.24", value = "\48\0"} }}, E.DUPLICATE},
      {{extensions = { {oid = "1.2.3.4", value = "\5\0"}, {oid = "1.2.3.4", value = "\5\0"} }},
       E.DUPLICATE},
      {{extensions = { {oid = "1.2.3.4", value = "\5\1"} }}, E.BAD_DER},
      {{extensions = { {oid = "1.2.3.4", value = "\5\0\5\0"} }}, E.BAD_DER},
      {{extensions = { {oid = "1.2.3.4", value = "\48\128\0\0"} }}, E.BAD_DER},
      {{extensions = { {oid = "1.2.3.4", value = ""} }}, E.INVALID},
      {{extensions = { {oid = "1..2", value = "\5\0"} }}, E.INVALID},
      {{extensions = { {oid = "3.1", value = "\5\0"} }}, E.INVALID},
      {{extended_key_usage = {"serverAuth", "1.3.6.1.5.5.7.3.1"}}, E.DUPLICATE},
      {{extended_key_usage = {"1.2..3"}}, E.INVALID},
      {{basic_constraints = {ca = false, pathlen = 0}}, E.INVALID},
      {{basic_constraints = {ca = true, pathlen = -1}}, E.INVALID},
      {{key_usage = {}}, E.INVALID},
      {{challenge_password = "\255"}, E.BAD_UTF8},
      {{challenge_password = ""}, E.INVALID},
      {{unstructured_name = "\237\160\128"}, E.BAD_UTF8},
      {{unstructured_name = "a\0b"}, E.INVALID},
    }
    for i, c in ipairs(cases) do
      local opts = c[1]
      opts.key = key
      local r, msg, code = csr.request.new(opts)
      assert.is_nil(r, "case " .. i)
      assert.equals(c[2], code, "case " .. i .. ": " .. tostring(msg))
      assert.matches("^csr%.request%.new: ", msg)
    end
  end)

  it("raises on misuse", function()
    local closed = assert(csr.key.generate("ec"))
    closed:close()
    local bad = {
      {"table expected, got no value",
        function() csr.request.new() end},
      {"table expected, got string",
        function() csr.request.new("CN=x") end},
      {"option 'key' must be a csr.key",                                    -- key missing
        function() csr.request.new{subject = "CN=x"} end},
      {"option 'key' must be a csr.key",
        function() csr.request.new{key = "pem"} end},
      {"option 'key': attempt to use a closed csr.key",
        function() csr.request.new{key = closed} end},
      {"unknown option 'bogus'",
        function() csr.request.new{key = key, bogus = 1} end},
      {"option 'subject' must be a csr.subject, a string or a table",
        function() csr.request.new{key = key, subject = 42} end},
      {"option 'san' must be a table",
        function() csr.request.new{key = key, san = "a.example"} end},
      {"option 'dns' must be a table (a list of strings)",
        function() csr.request.new{key = key, san = {dns = "a.example"}} end},
      {"option 'dns' must contain only strings",
        function() csr.request.new{key = key, san = {dns = {1}}} end},
      {"unknown option 'foo' in 'san'",
        function() csr.request.new{key = key, san = {dns = {"a"}, foo = {}}} end},
      {"option 'san': critical must be a boolean",
        function() csr.request.new{key = key, san = {dns = {"a"}, critical = "yes"}} end},
      {"a string in option 'dns' has a NUL byte",
        function() csr.request.new{key = key, san = {dns = {"a\0b"}}} end},
      {"unknown key_usage 'bogus'",
        function() csr.request.new{key = key, key_usage = {"bogus"}} end},
      {"option 'key_usage' must be a table (a list of strings)",
        function() csr.request.new{key = key, key_usage = "digitalSignature"} end},
      {"option 'key_usage' must be a list of strings (and critical)",
        function() csr.request.new{key = key, key_usage = {"digitalSignature", x = 1}} end},
      {"unknown extended_key_usage 'bogusAuth' (a name or a dotted OID)",
        function() csr.request.new{key = key, extended_key_usage = {"bogusAuth"}} end},
      {"option 'basic_constraints' must be a table",
        function() csr.request.new{key = key, basic_constraints = true} end},
      {"option 'basic_constraints': ca must be a boolean",
        function() csr.request.new{key = key, basic_constraints = {ca = 1}} end},
      {"option 'basic_constraints': pathlen must be an integer",
        function() csr.request.new{key = key, basic_constraints = {ca = true,
                                                                  pathlen = 1.5}} end},
      {"unknown option 'path' in 'basic_constraints'",
        function() csr.request.new{key = key, basic_constraints = {ca = true, path = 1}} end},
      {"option 'must_staple' must be a boolean or a table",
        function() csr.request.new{key = key, must_staple = "yes"} end},
      {"option 'must_staple': critical must be a boolean",
        function() csr.request.new{key = key, must_staple = {critical = 1}} end},
      {"option 'challenge_password' must be a string",
        function() csr.request.new{key = key, challenge_password = 5} end},
      {"option 'unstructured_name' must be a string",
        function() csr.request.new{key = key, unstructured_name = {}} end},
      {"option 'extensions': every entry needs value = <DER string>",
        function() csr.request.new{key = key, extensions = { {oid = "1.2.3"} }} end},
      {"option 'extensions': every entry needs oid = \"<dotted OID>\"",
        function() csr.request.new{key = key, extensions = { {value = "\5\0"} }} end},
      {"option 'extensions' must be a list of tables",
        function() csr.request.new{key = key, extensions = { "1.2.3" }} end},
      {"unknown option 'foo' in 'extensions'",
        function() csr.request.new{key = key, extensions = { {oid = "1.2.3", value = "\5\0",
                                                               foo = 1} }} end},
      {"option 'extensions': critical must be a boolean",
        function() csr.request.new{key = key, extensions = { {oid = "1.2.3", value = "\5\0",
                                                               critical = "no"} }} end},
    }
    for i, c in ipairs(bad) do
      assert.error_matches(c[2], "bad argument #1 to 'new' (" .. c[1] .. ")", 1, true,
                           "case " .. i)
    end
  end)
end)

describe("csr.request:sign", function()
  local ec, rsa

  setup(function()
    ec = assert(csr.key.generate("ec", {curve = "P-256"}))
    rsa = fixture_key("rsa2048.pem")
  end)

  local function signed(key, opts)
    local r = assert(csr.request.new{subject = "CN=x", key = key})
    local ok, msg = r:sign(key, opts)
    assert.is_true(ok, msg)
    local back = assert(csr.request.parse(r:to_der()))
    assert.is_true(back:verify())
    return back:signature_algorithm()
  end

  it("picks the digest from the key and takes digest and padding options", function()
    assert.equals("ecdsa-with-SHA256", signed(ec))
    assert.equals("ecdsa-with-SHA384", signed(ec, {digest = "sha384"}))
    assert.equals("ecdsa-with-SHA384", signed(assert(csr.key.generate("ec", {curve = "P-384"}))))
    assert.equals("ecdsa-with-SHA512", signed(assert(csr.key.generate("ec", {curve = "P-521"}))))
    assert.equals("sha256WithRSAEncryption", signed(rsa))
    assert.equals("sha384WithRSAEncryption", signed(rsa, {digest = "sha384"}))
    assert.equals("sha512WithRSAEncryption", signed(rsa, {digest = "sha512", padding = "pkcs1"}))
    assert.equals("rsassaPss", signed(rsa, {padding = "pss"}))
    assert.equals("ed25519", signed(assert(csr.key.generate("ed25519"))))
    assert.equals("ed448", signed(assert(csr.key.generate("ed448"))))
  end)

  it("replaces an earlier signature", function()
    local r = assert(csr.request.new{subject = "CN=x", key = rsa})
    assert(r:sign(rsa))
    assert(r:sign(rsa, {padding = "pss", digest = "sha512"}))
    local back = assert(csr.request.parse(r:to_pem()))
    assert.equals("rsassaPss", back:signature_algorithm())
    assert.is_true(back:verify())
  end)

  it("refuses a key that is not the request's, a public key and bad combinations", function()
    local E = csr.errors
    local r = assert(csr.request.new{subject = "CN=x", key = ec})
    local other = assert(csr.key.generate("ec"))
    local ok, msg, code = r:sign(other)
    assert.is_nil(ok)
    assert.equals(E.KEY_MISMATCH, code)
    assert.matches("^csr%.request:sign: ", msg)
    ok, msg, code = r:sign(rsa)
    assert.is_nil(ok)
    assert.equals(E.KEY_MISMATCH, code)
    ok, msg, code = r:sign(ec:public())
    assert.is_nil(ok)
    assert.equals(E.INVALID, code)
    ok, msg, code = r:sign(ec, {padding = "pss"})
    assert.is_nil(ok)
    assert.equals(E.INVALID, code)
    assert.is_false(r:is_signed())
    local ed = assert(csr.key.generate("ed25519"))
    local r2 = assert(csr.request.new{subject = "CN=x", key = ed})
    ok, msg, code = r2:sign(ed, {digest = "sha256"})
    assert.is_nil(ok)
    assert.equals(E.INVALID, code)
    assert.matches("^csr%.request:sign: ", msg)
  end)

  it("raises on misuse and on a closed request", function()
    local r = assert(csr.request.new{subject = "CN=x", key = ec})
    assert.error_matches(function() r:sign() end,
                         "bad argument #1 to 'sign' (csr.key expected, got no value)", 1, true)
    assert.error_matches(function() r:sign("key") end,
                         "bad argument #1 to 'sign' (csr.key expected, got string)", 1, true)
    assert.error_matches(function() r:sign(ec, {digest = "md5"}) end,
                         "bad argument #2 to 'sign' (unknown digest 'md5')", 1, true)
    assert.error_matches(function() r:sign(ec, {padding = "oaep"}) end,
                         "bad argument #2 to 'sign' (unknown padding 'oaep')", 1, true)
    assert.error_matches(function() r:sign(ec, {salt = 20}) end,
                         "bad argument #2 to 'sign' (unknown option 'salt')", 1, true)
    assert.error_matches(function() r:sign(ec, "sha256") end,
                         "bad argument #2 to 'sign' (table expected, got string)", 1, true)
    r:close()
    r:close()
    assert.equals("csr.request (closed)", tostring(r))
    assert.error_matches(function() r:sign(ec) end,
                         "calling 'sign' on bad self (attempt to use a closed csr.request)",
                         1, true)
    assert.error_matches(function() r:to_pem() end,
                         "calling 'to_pem' on bad self (attempt to use a closed csr.request)",
                         1, true)
    assert.error_matches(function() r:is_signed() end,
                         "calling 'is_signed' on bad self (attempt to use a closed csr.request)",
                         1, true)
  end)

  it("closes with <close>", function()
    if _VERSION ~= "Lua 5.4" then pending("<close> needs Lua 5.4") end
    local f = assert(load([[
      local csr, key = ...
      local keep
      do
        local r <close> = assert(csr.request.new{subject = "CN=x", key = key})
        keep = r
      end
      return keep
    ]]))
    local r = f(csr, ec)
    assert.equals("csr.request (closed)", tostring(r))
  end)
end)

describe("csr.generate", function()
  it("makes a P-256 key and a signed PEM request by default", function()
    local pem, key = csr.generate{subject = "CN=www.example.com",
                                  san = {dns = {"www.example.com"}}}
    assert.is_string(pem, key)
    assert.equals("ec", key:type())
    assert.equals("P-256", key:curve())
    assert.is_true(key:is_private())
    local r = assert(csr.request.parse(pem))
    assert.is_true(r:verify())
    assert.is_true(r:matches(key))
    assert.same({dns = {"www.example.com"}}, r:san())
    assert.equals("ecdsa-with-SHA256", r:signature_algorithm())
  end)

  it("takes a key spec, an existing key and the signing options", function()
    local pem, key = csr.generate{key = {"ec", {curve = "P-384"}}, subject = "CN=x"}
    assert.equals("P-384", key:curve())
    assert.equals("ecdsa-with-SHA384", assert(csr.request.parse(pem)):signature_algorithm())
    pem, key = csr.generate{key = {"ed448"}, subject = "CN=x"}
    assert.equals("ed448", key:type())
    assert.is_true(assert(csr.request.parse(pem)):verify())
    local rsa = fixture_key("rsa2048.pem")
    local pem2, same = csr.generate{key = rsa, subject = "CN=x", padding = "pss",
                                    digest = "sha384", key_usage = {"digitalSignature"},
                                    challenge_password = "pw"}
    assert.is_true(rawequal(rsa, same))
    local r = assert(csr.request.parse(pem2))
    assert.equals("rsassaPss", r:signature_algorithm())
    assert.is_true(r:verify())
    assert.same({"digitalSignature"}, r:key_usage())
    assert.equals("pw", r:challenge_password())
  end)

  it("returns nil, msg, code for bad data", function()
    local pem, msg, code = csr.generate{san = {ip = {"999.1.1.1"}}}
    assert.is_nil(pem)
    assert.equals(csr.errors.BAD_IP, code)
    assert.matches("^csr%.generate: ", msg)
    pem, msg, code = csr.generate{key = {"rsa", {bits = 1024}}}
    assert.is_nil(pem)
    assert.equals(csr.errors.INVALID, code)
    assert.matches("^csr%.generate: ", msg)
    pem, msg, code = csr.generate{key = {"ed25519"}, digest = "sha256"}
    assert.is_nil(pem)
    assert.equals(csr.errors.INVALID, code)
  end)

  it("raises on misuse", function()
    assert.error_matches(function() csr.generate() end,
                         "bad argument #1 to 'generate' (table expected, got no value)", 1, true)
    assert.error_matches(function() csr.generate{bogus = true} end,
                         "bad argument #1 to 'generate' (unknown option 'bogus')", 1, true)
    assert.error_matches(function() csr.generate{key = {"dsa"}} end,
                         "bad argument #1 to 'generate' (unknown key type 'dsa')", 1, true)
    assert.error_matches(function() csr.generate{key = {"ec", {curve = "P-999"}}} end,
                         "bad argument #1 to 'generate' (unknown curve 'P-999')", 1, true)
    assert.error_matches(function() csr.generate{key = {"ec", {bits = 2048}}} end,
                         "bad argument #1 to 'generate' (option 'key': bits is for rsa keys)",
                         1, true)
    assert.error_matches(function() csr.generate{key = {"rsa", {bits = "big"}}} end,
                         "bad argument #1 to 'generate' (option 'key': bits must be a number)",
                         1, true)
    assert.error_matches(function() csr.generate{key = "ec"} end,
                         "bad argument #1 to 'generate' (option 'key' must be a csr.key)", 1, true)
    assert.error_matches(function() csr.generate{digest = "md5"} end,
                         "bad argument #1 to 'generate' (unknown digest 'md5')", 1, true)
    assert.error_matches(function() csr.generate{padding = "none"} end,
                         "bad argument #1 to 'generate' (unknown padding 'none')", 1, true)
  end)
end)
