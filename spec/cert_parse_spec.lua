-- csr.certificate.parse / parse_all: round trips, bundles, the refusals of strict DER
-- (versions, v1 fields, times, serials, algorithms, extension lists), text, and hostile
-- input (truncation at every offset, random bytes, flipped bytes).
local csr = require "csr"
local H = require "spec.helpers"
local C = require "spec.certhelp"
local first_child, tlv_at, retbs, tbs_field = C.first_child, C.tlv_at, C.retbs, C.tbs_field

local E = csr.errors

describe("csr.certificate.parse", function()
  local cakey, ca, req

  setup(function()
    local t = C.setup()
    cakey, ca, req = t.cakey, t.ca, t.req
  end)

  describe("parse", function()
    it("round-trips PEM and DER byte for byte", function()
      local der = ca:to_der()
      local a = assert(csr.certificate.parse(der))
      local b = assert(csr.certificate.parse(ca:to_pem()))
      assert.are.equal(der, a:to_der())
      assert.are.equal(der, b:to_der())
      assert.are.equal(ca:fingerprint(), b:fingerprint())
      assert.matches("^%x+$", ca:fingerprint())
      assert.are.equal(64, #ca:fingerprint())
      assert.matches("^%-%-%-%-%-BEGIN CERTIFICATE%-%-%-%-%-\n", ca:to_pem())
    end)

    it("reads a PEM bundle in order, skipping text and other blocks", function()
      local c1 = assert(csr.certificate.self_signed{key = cakey, subject = "CN=one"})
      local c2 = assert(csr.certificate.self_signed{key = cakey, subject = "CN=two"})
      local bundle = "subject=one\n" .. c1:to_pem() .. cakey:to_pem({public = true}) ..
                     "# two\n" .. c2:to_pem() .. "\n-----BEGIN X509 CRL-----\nAAAA\n" ..
                     "-----END X509 CRL-----\n-----BEGIN CERTIFICATE REQUEST-----\n"
      local list = assert(csr.certificate.parse_all(bundle))
      assert.are.equal(2, #list)
      assert.are.equal("CN=one", tostring(list[1]:subject()))
      assert.are.equal("CN=two", tostring(list[2]:subject()))
      assert.are.equal("CN=one", tostring(assert(csr.certificate.parse(bundle)):subject()))
      list = assert(csr.certificate.parse_all(c1:to_der()))
      assert.are.equal(1, #list)
    end)

    it("fails parse_all naming the certificate that is broken", function()
      local pem = ca:to_pem()
      local broken = pem:gsub("\n(.)", "\n!", 1)
      local list, msg, code = csr.certificate.parse_all(pem .. broken)
      assert.is_nil(list)
      assert.matches("^csr%.certificate%.parse_all: certificate 2: ", msg)
      assert.are.equal(E.BAD_PEM, code)
      list, _, code = csr.certificate.parse_all(cakey:to_pem({public = true}))
      assert.is_nil(list)
      assert.are.equal(E.BAD_PEM, code)
      list, _, code = csr.certificate.parse_all("no certificates here")
      assert.is_nil(list)
      assert.are.equal(E.BAD_DER, code)
      list, _, code = csr.certificate.parse_all("")
      assert.is_nil(list)
      assert.are.equal(E.BAD_DER, code)
    end)

    it("refuses a negative serial, mismatched algorithms and v1 explicitly written", function()
      local der = ca:to_der()
      local serial, sp = tbs_field(der, 2)
      -- make the serial's first content byte negative (and keep lengths)
      local neg = der:sub(1, sp + 1) .. "\128" .. der:sub(sp + 3)
      assert.are.equal(#der, #neg)
      local c, msg, code = csr.certificate.parse(neg)
      assert.is_nil(c)
      assert.matches("negative", msg)
      assert.are.equal(E.BAD_DER, code)
      assert.is_truthy(serial)
      -- inner signature algorithm: ecdsa-with-SHA384 -> ecdsa-with-SHA256 (last OID byte)
      local _, ap = tbs_field(der, 3)
      local alg = tlv_at(der, ap)
      local changed = der:sub(1, ap + #alg - 2) .. "\2" .. der:sub(ap + #alg)
      c, msg, code = csr.certificate.parse(changed)
      assert.is_nil(c)
      assert.matches("differs from the outer", msg)
      assert.are.equal(E.BAD_DER, code)
    end)

    it("refuses versions other than v3 and absent v1, and v3 fields in v1", function()
      local der = ca:to_der()
      local v3 = "\160\3\2\1\2"
      local function with_version(v)
        return retbs(der, function(c)
          assert.are.equal(v3, c:sub(1, 5))
          return v .. c:sub(6)
        end)
      end
      local c, msg, code = csr.certificate.parse(with_version("\160\3\2\1\0"))
      assert.is_nil(c)
      assert.matches("v1 written explicitly", msg)
      assert.are.equal(E.BAD_DER, code)
      for _, v in ipairs({"\160\3\2\1\1", "\160\3\2\1\3", "\160\3\2\1\255"}) do
        c, msg, code = csr.certificate.parse(with_version(v))
        assert.is_nil(c)
        assert.are.equal(E.BAD_VERSION, code, msg)
      end
      -- v1: drop the version; the extensions are then not allowed
      c, msg, code = csr.certificate.parse(with_version(""))
      assert.is_nil(c)
      assert.matches("not allowed in a v1", msg)
      assert.are.equal(E.BAD_DER, code)
      -- v3 with unique identifiers before the extensions: accepted
      local uid = retbs(der, function(content)
        local _, p8 = tbs_field(der, 8)
        local off = p8 - first_child(der, first_child(der, 1)) + 1
        return content:sub(1, off - 1) .. "\129\2\0\1\130\2\0\2" .. content:sub(off)
      end)
      assert.is_truthy(csr.certificate.parse(uid))
      -- an empty extension list, a duplicate extension, trailing bytes
      local seq = tbs_field(der, 8)
      local empty = retbs(der, function(content)
        return content:sub(1, #content - #seq) .. "\163\2\48\0"
      end)
      c, _, code = csr.certificate.parse(empty)
      assert.is_nil(c)
      assert.are.equal(E.BAD_DER, code)
      local exts = seq:sub(5)                         -- [3] len SEQUENCE len: both 1-byte
      assert.are.equal(163, seq:byte(1))
      local first = tlv_at(exts, 1)
      local dup = retbs(der, function(content)
        local inner = exts .. first
        return content:sub(1, #content - #seq) ..
               H.der_tlv(0xa3, H.der_tlv(0x30, inner))
      end)
      c, _, code = csr.certificate.parse(dup)
      assert.is_nil(c)
      assert.are.equal(E.DUPLICATE, code)
      c, _, code = csr.certificate.parse(der .. "\0")
      assert.is_nil(c)
      assert.are.equal(E.BAD_DER, code)
    end)

    it("refuses key identifiers over 127 octets, keeps 127", function()
      local long = string.rep("\1", 128)
      for _, e in ipairs({{oid = "2.5.29.14", value = H.der_tlv(4, long)},
                          {oid = "2.5.29.35", value = H.der_tlv(0x30, H.der_tlv(0x80, long))}}) do
        local c, msg, code = csr.certificate.self_signed{key = cakey, extensions = {e}}
        assert.is_nil(c, e.oid)
        assert.matches("key identifier too long", msg)
        assert.are.equal(E.BAD_DER, code)
      end
      local ok127 = string.rep("\171", 127)
      local c = assert(csr.certificate.self_signed{key = cakey, extensions = {
        {oid = "2.5.29.35", value = H.der_tlv(0x30, H.der_tlv(0x80, ok127))}}})
      assert.are.equal(string.rep("ab", 127), c:authority_key_id())
    end)

    it("refuses times that are not in the DER forms", function()
      local der = ca:to_der()
      local validity = tbs_field(der, 5)
      for _, bad in ipairs({"\23\11" .. "4912312359Z", "\23\13" .. "491231235959+",
                            "\23\15" .. "491231235959+01", "\24\17" .. "20500101000000.5Z",
                            "\23\13" .. "491331235959Z", "\23\13" .. "490230235959Z",
                            "\24\15" .. "20500101240000Z", "\4\13" .. "491231235959Z"}) do
        local v = H.der_tlv(0x30, bad .. validity:sub(3 + 2 + validity:byte(4)))
        local m = retbs(der, function(content)
          local a = content:find(validity, 1, true)
          return content:sub(1, a - 1) .. v .. content:sub(a + #validity)
        end)
        local c, msg, code = csr.certificate.parse(m)
        assert.is_nil(c, bad)
        assert.are.equal(E.BAD_DER, code, msg)
      end
    end)

    it("parses certificates with keys this build cannot use; verify answers UNSUPPORTED",
       function()
      for _, f in ipairs({"certs/rsa8192-self.pem", "certs/dsa-self.pem"}) do
        local c = assert(csr.certificate.parse(H.fixture(f)))
        local k, _, code = c:public_key()
        assert.is_nil(k)
        assert.are.equal(E.UNSUPPORTED, code, f)
        local ok, msg
        ok, msg, code = c:verify(c)
        assert.is_false(ok)
        assert.matches("unsupported", msg)
        assert.are.equal(E.UNSUPPORTED, code, f)
        ok, _, code = ca:verify(c)
        assert.is_false(ok)
        assert.are.equal(E.UNSUPPORTED, code, f)
        assert.matches("Certificate:", c:text())
        assert.is_false(c:matches(cakey))
      end
      local dsa = assert(csr.certificate.parse(H.fixture("certs/dsa-self.pem")))
      assert.are.equal("dsa-with-SHA256", dsa:signature_algorithm())
      -- an issuer certificate whose key we cannot use cannot issue
      local c, _, code = csr.certificate.issue{request = req, issuer_key = cakey,
                                               issuer_cert = dsa}
      assert.is_nil(c)
      assert.are.equal(E.UNSUPPORTED, code)
    end)

    it("answers false for a tampered signature", function()
      local der = ca:to_der()
      local bad = der:sub(1, #der - 1) .. string.char((der:byte(#der) + 1) % 256)
      local c = assert(csr.certificate.parse(bad))
      local ok, msg, code = c:verify(ca)
      assert.is_false(ok)
      assert.matches("^csr%.certificate:verify: ", msg)
      assert.are.equal(E.BAD_SIGNATURE, code)
    end)

    it("prints a text dump with every field", function()
      local cert = assert(csr.certificate.issue{request = req, issuer_key = cakey,
                                                issuer_cert = ca, serial = "1234"})
      local t = cert:text()
      for _, want in ipairs({"Certificate:", "Version: 3 %(0x2%)",
          "Serial Number: 4660 %(0x1234%)", "Issuer: CN=Spec Root,O=Example",
          "Not Before: ", "Not After : ", "Subject: CN=www.example.com,O=Example",
          "Public%-Key: %(256 bit%)", "X509v3 Subject Alternative Name:",
          "DNS:www.example.com, DNS:example.com, IP Address:192.0.2.1, " ..
          "email:ops@example.com, URI:https://example.com/",
          "X509v3 Key Usage: critical", "Digital Signature",
          "TLS Web Server Authentication, TLS Web Client Authentication",
          "X509v3 Basic Constraints: critical", "CA:FALSE", "TLS Feature:", "status_request",
          "X509v3 Subject Key Identifier:", "X509v3 Authority Key Identifier:",
          "Signature Algorithm: ecdsa%-with%-SHA384", "Signature Value:"}) do
        assert.matches(want, t)
      end
    end)
  end)

  describe("hostile input", function()
    local function check_fail(c, msg, code)
      assert.is_nil(c)
      assert.is_string(msg)
      assert.matches("^csr%.certificate%.parse: ", msg)
      assert.is_number(code)
    end

    it("fails cleanly on every truncation", function()
      local der = ca:to_der()
      for n = 0, #der - 1 do
        check_fail(csr.certificate.parse(der:sub(1, n)))
      end
      local pem = ca:to_pem()
      -- every 7th cut, and every cut in the END line; without its last newline it is whole
      for n = 0, #pem - 2 do
        if n % 7 == 0 or n > #pem - 30 then check_fail(csr.certificate.parse(pem:sub(1, n))) end
      end
      assert.is_truthy(csr.certificate.parse(pem:sub(1, #pem - 1)))
    end)

    it("fails cleanly on random bytes and survives flipped bytes", function()
      local rounds = os.getenv("CSR_UNDER_VALGRIND") and 50 or 500
      math.randomseed(11)
      for _ = 1, rounds do
        local t = {}
        for i = 1, math.random(0, 300) do t[i] = string.char(math.random(0, 255)) end
        check_fail(csr.certificate.parse("\48\130\1\0" .. table.concat(t)))
      end
      local der = assert(csr.certificate.issue{request = req, issuer_key = cakey,
                                               issuer_cert = ca}):to_der()
      for _ = 1, rounds do
        local i = math.random(1, #der)
        local m = der:sub(1, i - 1) .. string.char(math.random(0, 255)) .. der:sub(i + 1)
        local c, msg, code = csr.certificate.parse(m)
        if c then
          assert.is_string(c:text())
          assert.is_boolean((c:verify(ca)))
          assert.is_table(c:san())
          assert.is_string(c:serial())
        else
          assert.is_string(msg)
          assert.is_number(code)
        end
      end
    end)
  end)
end)
