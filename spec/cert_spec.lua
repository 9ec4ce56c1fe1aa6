-- csr.certificate: self_signed and issue, every accessor on what they make, verify, the
-- errors and misuse raises (parsing and hostile input: cert_parse_spec.lua).
local csr = require "csr"
local H = require "spec.helpers"

local E = csr.errors
local DAY = 86400
local C = require "spec.certhelp"
local key, tbs_field = C.key, C.tbs_field

describe("csr.certificate", function()
  local cakey, ca, leafkey, req

  setup(function()
    local t = C.setup()
    cakey, ca, leafkey, req = t.cakey, t.ca, t.leafkey, t.req
  end)

  describe("self_signed", function()
    it("makes a v3 CA certificate that verifies with its own key", function()
      assert.are.equal(3, ca:version())
      assert.are.equal("CN=Spec Root,O=Example", tostring(ca:subject()))
      assert.is_true(ca:subject() == ca:issuer())
      assert.are.same({ca = true}, ca:basic_constraints())
      assert.are.same({"keyCertSign", "cRLSign"}, ca:key_usage())
      assert.is_true(ca:verify(ca))
      assert.is_true(ca:verify(cakey))
      assert.is_true(ca:verify(cakey:public()))
      assert.is_true(ca:matches(cakey))
      assert.are.equal("ecdsa-with-SHA384", ca:signature_algorithm())
      assert.are.equal("certificate", csr.type(ca))
      assert.matches("^csr%.certificate %(CN=Spec Root,O=Example%)$", tostring(ca))
    end)

    it("marks basicConstraints and keyUsage critical", function()
      local crit = {}
      for _, e in ipairs(ca:extensions()) do crit[e.name or e.oid] = e.critical end
      assert.is_true(crit.basicConstraints)
      assert.is_true(crit.keyUsage)
      assert.is_false(crit.subjectKeyIdentifier)
      assert.is_false(crit.authorityKeyIdentifier)
    end)

    it("writes SKI = SHA-1 of the subjectPublicKey bits (as openssl's hash) and AKI = SKI",
       function()
      -- the fixtures were made by openssl with subjectKeyIdentifier = hash, from these keys
      local root = assert(csr.certificate.parse(H.fixture("certs/chain-root.pem")))
      local inter = assert(csr.certificate.parse(H.fixture("certs/chain-inter.pem")))
      assert.is_true(root:matches(cakey))
      assert.are.equal(root:subject_key_id(), ca:subject_key_id())
      assert.are.equal(ca:subject_key_id(), ca:authority_key_id())
      local rk = key("rsa2048.pem")
      local c = assert(csr.certificate.self_signed{key = rk, subject = "CN=rsa"})
      assert.is_true(inter:matches(rk))
      assert.are.equal(inter:subject_key_id(), c:subject_key_id())
      assert.matches("^%x+$", c:subject_key_id())
      assert.are.equal(40, #c:subject_key_id())
    end)

    it("uses 16 random bytes for the serial, different each time", function()
      local a = assert(csr.certificate.self_signed{key = cakey, subject = "CN=a"})
      local b = assert(csr.certificate.self_signed{key = cakey, subject = "CN=a"})
      assert.matches("^[1-9a-f]%x*$", a:serial())
      assert.is_true(#a:serial() >= 25 and #a:serial() <= 32)
      assert.are_not.equal(a:serial(), b:serial())
      local serial = tbs_field(a:to_der(), 2)
      assert.are.equal(2, serial:byte(1))
      assert.is_true(serial:byte(3) < 128)                  -- positive
    end)

    it("takes the serial, dates and digest given", function()
      local c = assert(csr.certificate.self_signed{key = cakey, subject = "CN=s",
        serial = "00ABCDEF0123", not_before = 1700000000, not_after = 1800000000,
        digest = "sha512"})
      assert.are.equal("abcdef0123", c:serial())
      assert.are.equal(1700000000, c:not_before())
      assert.are.equal(1800000000, c:not_after())
      assert.are.equal("ecdsa-with-SHA512", c:signature_algorithm())
      assert.is_nil(c:key_usage())
      assert.are.same({ca = false}, c:basic_constraints())
    end)

    it("defaults to 365 days from now", function()
      local t = os.time()
      local c = assert(csr.certificate.self_signed{key = cakey, subject = "CN=d"})
      assert.is_true(math.abs(c:not_before() - t) <= 2)
      assert.are.equal(365 * DAY, c:not_after() - c:not_before())
    end)

    it("writes UTCTime through 2049 and GeneralizedTime from 2050", function()
      local t2049 = 2524607999            -- 2049-12-31T23:59:59Z
      local c = assert(csr.certificate.self_signed{key = cakey, subject = "CN=t",
        not_before = t2049, not_after = t2049 + 1})
      local validity = tbs_field(c:to_der(), 5)
      assert.are.equal("\48\32\23\13" .. "491231235959Z" .. "\24\15" .. "20500101000000Z",
                       validity)
      assert.are.equal(t2049, c:not_before())
      assert.are.equal(t2049 + 1, c:not_after())
      c = assert(csr.certificate.self_signed{key = cakey, subject = "CN=t",
        not_before = -631152000, not_after = 253402300799})   -- 1950-01-01, 9999-12-31
      validity = tbs_field(c:to_der(), 5)
      assert.are.equal("\48\32\23\13" .. "500101000000Z" .. "\24\15" .. "99991231235959Z",
                       validity)
      assert.are.equal(253402300799, c:not_after())
    end)

    it("writes and reads back dates across leap days and centuries", function()
      local samples = {0, 951782400, 951868799, 4107456000, 4107542399, 4102444800,
                       -631152001, -2208988800, 946684799, 1709164800, 2147483647,
                       2147483648, 253402300799, -62167219200, -62135596800}
      math.randomseed(5)
      for _ = 1, 20 do       -- Lua 5.1's math.random(m, n) takes 32-bit integers only
        samples[#samples + 1] = -2208988800 + math.floor(math.random() * 6311433600)
      end
      for _, t in ipairs(samples) do
        local c = assert(csr.certificate.self_signed{key = cakey, subject = "CN=d",
                                                     not_before = t, not_after = t})
        assert.are.equal(t, c:not_before())
        assert.are.equal(t, c:not_after())
        local v = tbs_field(c:to_der(), 5)
        local _, hl = H.der_header(v, 1)
        local tag, thl, tcl = H.der_header(v, 1 + hl)
        local s = v:sub(1 + hl + thl, hl + thl + tcl)
        if t >= -631152000 and t < 2524608000 then
          assert.are.equal(23, tag)
          s = ((tonumber(s:sub(1, 2)) < 50) and "20" or "19") .. s
        else
          assert.are.equal(24, tag)
        end
        if t >= 0 and t < 4102444800 then
          assert.are.equal(os.date("!%Y%m%d%H%M%SZ", t), s, tostring(t))
        end
      end
    end)

    it("signs with every key type and padding", function()
      local cases = {
        {"rsa2048.pem", nil, "sha256WithRSAEncryption"},
        {"rsa2048.pem", {padding = "pss", digest = "sha384"}, "rsassaPss"},
        {"ec-p256.pem", nil, "ecdsa-with-SHA256"}, {"ec-p521.pem", nil, "ecdsa-with-SHA512"},
        {"ed25519.pem", nil, "ed25519"}, {"ed448.pem", nil, "ed448"},
      }
      for _, cs in ipairs(cases) do
        local k = key(cs[1])
        local opts = {key = k, subject = "CN=" .. cs[1], ca = true}
        for o, v in pairs(cs[2] or {}) do opts[o] = v end
        local c = assert(csr.certificate.self_signed(opts))
        assert.are.equal(cs[3], c:signature_algorithm())
        assert.is_true(c:verify(c), cs[1])
        assert.is_true(assert(csr.certificate.parse(c:to_pem())):verify(k))
      end
    end)
  end)

  describe("issue", function()
    local cert
    setup(function()
      cert = assert(csr.certificate.issue{request = req, issuer_key = cakey, issuer_cert = ca,
                                          days = 30})
    end)

    it("binds the request's subject and key, signed by the issuer", function()
      assert.are.equal(tostring(req:subject()), tostring(cert:subject()))
      assert.is_true(cert:issuer() == ca:subject())
      assert.is_true(cert:matches(leafkey))
      assert.is_false(cert:matches(cakey))
      assert.is_true(cert:verify(ca))
      assert.is_true(cert:verify(cakey))
      assert.are.equal(30 * DAY, cert:not_after() - cert:not_before())
      assert.are.equal(leafkey:fingerprint(), cert:public_key():fingerprint())
    end)

    it("copies the issuer name byte for byte and links AKI to the issuer's SKI", function()
      assert.are.equal(tbs_field(ca:to_der(), 6), tbs_field(cert:to_der(), 4))
      assert.are.equal(ca:subject_key_id(), cert:authority_key_id())
      assert.are_not.equal(ca:subject_key_id(), cert:subject_key_id())
    end)

    it("takes AKI from the issuer's SKI as written, and a raw SKI replaces ours", function()
      local own = assert(csr.certificate.self_signed{key = cakey, subject = "CN=Own SKI",
        ca = true, extensions = {{oid = "2.5.29.14", value = "\4\4\222\173\190\239"}}})
      assert.are.equal("deadbeef", own:subject_key_id())
      assert.are.equal(ca:subject_key_id(), own:authority_key_id())
      local c = assert(csr.certificate.issue{request = req, issuer_key = cakey,
                                             issuer_cert = own})
      assert.are.equal("deadbeef", c:authority_key_id())
      assert.is_true(c:verify(own))
    end)

    it("copies SAN, key usage, EKU and must-staple by default, not basicConstraints", function()
      assert.are.same(req:san(), cert:san())
      assert.are.same({"digitalSignature"}, cert:key_usage())
      assert.are.same({"serverAuth", "clientAuth"}, cert:extended_key_usage())
      assert.is_true(cert:must_staple())
      assert.are.same({ca = false}, cert:basic_constraints())
      for _, e in ipairs(cert:extensions()) do
        if e.name == "basicConstraints" then assert.is_true(e.critical) end
      end
    end)

    it("copies what copy names, and overrides win", function()
      local c = assert(csr.certificate.issue{request = req, issuer_key = cakey,
        issuer_cert = ca, copy = {"basic_constraints"}, san = {dns = {"other.example"}},
        subject = "CN=override", extended_key_usage = {"codeSigning"}})
      assert.are.same({dns = {"other.example"}}, c:san())
      assert.are.equal("CN=override", tostring(c:subject()))
      assert.is_nil(c:key_usage())
      assert.are.same({"codeSigning"}, c:extended_key_usage())
      assert.is_false(c:must_staple())
      assert.are.same({ca = true}, c:basic_constraints())
      c = assert(csr.certificate.issue{request = req, issuer_key = cakey, issuer_cert = ca,
        copy = {}, basic_constraints = {ca = true, pathlen = 0}, key_usage = {"keyCertSign"},
        extensions = {{oid = "1.2.3.4", value = "\4\1x", critical = true}}})
      assert.are.same({}, c:san())
      assert.are.same({ca = true, pathlen = 0}, c:basic_constraints())
      local found
      for _, e in ipairs(c:extensions()) do
        if e.oid == "1.2.3.4" then found = e end
      end
      assert.are.same({oid = "1.2.3.4", critical = true, value = "\4\1x"}, found)
    end)

    it("signs with the digest and padding asked for", function()
      local rk = key("rsa2048.pem")
      local rca = assert(csr.certificate.self_signed{key = rk, subject = "CN=RSA CA", ca = true})
      local c = assert(csr.certificate.issue{request = req, issuer_key = rk, issuer_cert = rca,
                                             padding = "pss", digest = "sha512"})
      assert.are.equal("rsassaPss", c:signature_algorithm())
      assert.is_true(c:verify(rca))
      local ok, msg, code = c:verify(ca)
      assert.is_false(ok)
      assert.matches("^csr%.certificate:verify: ", msg)
      assert.are.equal(E.BAD_SIGNATURE, code)
    end)

    it("refuses a request whose signature does not verify", function()
      local der = req:to_der()
      local bad = der:sub(1, #der - 3) .. string.char((der:byte(#der - 2) + 1) % 256) ..
                  der:sub(#der - 1)
      local r = assert(csr.request.parse(bad))
      local c, msg, code = csr.certificate.issue{request = r, issuer_key = cakey,
                                                 issuer_cert = ca}
      assert.is_nil(c)
      assert.matches("^csr%.certificate%.issue: the request's signature", msg)
      assert.are.equal(E.BAD_SIGNATURE, code)
      local unsigned = assert(csr.request.new{subject = "CN=x", key = leafkey})
      c, _, code = csr.certificate.issue{request = unsigned, issuer_key = cakey, issuer_cert = ca}
      assert.is_nil(c)
      assert.are.equal(E.BAD_SIGNATURE, code)
    end)

    it("refuses an issuer key that is not the issuer certificate's", function()
      local c, msg, code = csr.certificate.issue{request = req, issuer_key = leafkey,
                                                 issuer_cert = ca}
      assert.is_nil(c)
      assert.matches("^csr%.certificate%.issue: ", msg)
      assert.are.equal(E.KEY_MISMATCH, code)
    end)

    it("refuses not_after before not_before, and bad serials", function()
      local c, _, code = csr.certificate.issue{request = req, issuer_key = cakey,
        issuer_cert = ca, not_before = 2000000000, not_after = 1999999999}
      assert.is_nil(c)
      assert.are.equal(E.INVALID, code)
      for _, s in ipairs({"0", "000", "", "xyz", "12 34", string.rep("ff", 21)}) do
        c, _, code = csr.certificate.issue{request = req, issuer_key = cakey, issuer_cert = ca,
                                           serial = s}
        assert.is_nil(c, s)
        assert.are.equal(E.INVALID, code, s)
      end
      c = assert(csr.certificate.issue{request = req, issuer_key = cakey, issuer_cert = ca,
                                       serial = string.rep("7f", 20)})
      assert.are.equal(string.rep("7f", 20), c:serial())
      c = assert(csr.certificate.issue{request = req, issuer_key = cakey, issuer_cert = ca,
                                       serial = "FF"})
      assert.are.equal("ff", c:serial())
      assert.are.equal("\2\2\0\255", (tbs_field(c:to_der(), 2)))
    end)

    it("raises on misuse", function()
      local base = {request = req, issuer_key = cakey, issuer_cert = ca}
      local function with(extra)
        local t = {}
        for k, v in pairs(base) do t[k] = v end
        for k, v in pairs(extra) do t[k] = v end
        return t
      end
      assert.has_error(function() csr.certificate.issue(with{bogus = 1}) end)
      assert.has_error(function() csr.certificate.issue(with{days = 1, not_after = 5}) end)
      assert.has_error(function() csr.certificate.issue(with{days = -1}) end)
      assert.has_error(function() csr.certificate.issue(with{days = 1.5}) end)
      assert.has_error(function() csr.certificate.issue(with{copy = {"subject"}}) end)
      assert.has_error(function() csr.certificate.issue(with{digest = "md5"}) end)
      assert.has_error(function() csr.certificate.issue(with{request = "x"}) end)
      assert.has_error(function() csr.certificate.issue{issuer_key = cakey, issuer_cert = ca} end)
      assert.has_error(function() csr.certificate.issue{request = req, issuer_cert = ca} end)
      assert.has_error(function() csr.certificate.issue{request = req, issuer_key = cakey} end)
      assert.has_error(function() csr.certificate.self_signed{subject = "CN=x"} end)
      assert.has_error(function() csr.certificate.self_signed{key = cakey, ca = 1} end)
      assert.has_error(function() cert:verify("x") end)
      local c = assert(csr.certificate.parse(cert:to_der()))
      c:close()
      c:close()
      assert.has_error(function() c:serial() end)
      assert.has_error(function() c:san() end)
      assert.are.equal("csr.certificate (closed)", tostring(c))
    end)

    it("frees at once with <close> on Lua 5.4", function()
      if _VERSION ~= "Lua 5.4" then return pending("<close> needs Lua 5.4") end
      local f = assert(load([[
        local csr, der = ...
        local kept
        do
          local c <close> = assert(csr.certificate.parse(der))
          kept = c
        end
        return tostring(kept)
      ]]))
      assert.are.equal("csr.certificate (closed)", f(csr, cert:to_der()))
    end)

    it("refuses a public issuer key and an EdDSA digest", function()
      local c, _, code = csr.certificate.issue{request = req, issuer_key = cakey:public(),
                                               issuer_cert = ca}
      assert.is_nil(c)
      assert.are.equal(E.INVALID, code)
      c, _, code = csr.certificate.self_signed{key = key("ed25519.pem"), digest = "sha256"}
      assert.is_nil(c)
      assert.are.equal(E.INVALID, code)
    end)
  end)

end)
