-- csr.request.parse against hostile and malformed input: never a crash or a hang, always
-- nil, "csr.request.parse: <what> at byte N", code; every validation rule has a case.
local csr = require "csr"
local helpers = require "helpers"

local E = csr.errors
local vec = helpers.vectors .. "/pyca-requests/"
local POS = "^csr%.request%.parse: .* at byte %d+$"

-- ---- a small DER toolkit for building test inputs ----
local len_enc, tlv = helpers.der_len, helpers.der_tlv
local function seq(...) return tlv(0x30, table.concat({...})) end
local function set(...) return tlv(0x31, table.concat({...})) end
local function oid(dotted)
  local ids = {}
  for n in dotted:gmatch("%d+") do ids[#ids + 1] = tonumber(n) end
  local out = {string.char(ids[1] * 40 + ids[2])}
  for i = 3, #ids do
    local v, bytes = ids[i], {}
    bytes[1] = string.char(v % 128)
    v = math.floor(v / 128)
    while v > 0 do
      table.insert(bytes, 1, string.char(128 + v % 128))
      v = math.floor(v / 128)
    end
    out[#out + 1] = table.concat(bytes)
  end
  return tlv(0x06, table.concat(out))
end
local function octets(s) return tlv(0x04, s) end
local function utf8s(s) return tlv(0x0c, s) end

-- header of the TLV at 1-based pos: tag, header length, content length
local hdr = helpers.der_header
local function children(s)       -- contents of a constructed TLV string -> list of TLVs
  local _, h, l = hdr(s, 1)
  local body, out, p = s:sub(h + 1, h + l), {}, 1
  while p <= #body do
    local _, hh, ll = hdr(body, p)
    out[#out + 1] = body:sub(p, p + hh + ll - 1)
    p = p + hh + ll
  end
  return out
end

-- pieces of a real request (ECDSA P-384, from the vectors)
local real_der = helpers.readfile(vec .. "ec_sha256.der")
local top = children(real_der)
local cri_parts = children(top[1])
local SUBJECT, SPKI = cri_parts[2], cri_parts[3]
local ALGID = top[2]
local SIG = top[3]

local EXTREQ = "1.2.840.113549.1.9.14"

-- A request with the given attributes (list of Attribute TLVs) and a dummy signature.
local function csr_with(opts)
  opts = opts or {}
  local cri = seq(opts.version or tlv(0x02, "\0"), opts.subject or SUBJECT, opts.spki or SPKI,
                  tlv(0xa0, table.concat(opts.attrs or {})))
  return seq(cri, opts.algid or ALGID, opts.sig or SIG)
end
local function attr(o, ...) return seq(oid(o), set(...)) end
local function ext(o, value, critical)
  return seq(oid(o), critical and tlv(0x01, critical) or "", octets(value))
end
local function with_exts(...) return csr_with{attrs = {attr(EXTREQ, seq(...))}} end

local function refused(der, code, pattern)
  local r, msg, c = csr.request.parse(der)
  assert.is_nil(r, "parsed although it should not")
  assert.is_string(msg)
  assert.equals(code, c, msg)
  assert.matches("^csr%.request%.parse: ", msg)
  assert.matches(POS, msg)
  if pattern then assert.matches(pattern, msg) end
  return msg
end

describe("csr.request.parse hostile input", function()
  it("builds a request the parser accepts (the toolkit is right)", function()
    local r = assert(csr.request.parse(csr_with{}))
    assert.equals(0, r:version())
    local r2 = assert(csr.request.parse(with_exts(ext("2.5.29.17", seq(tlv(0x82, "a.test"))))))
    assert.same({dns = {"a.test"}}, r2:san())
    -- the original vector reassembled from its parts is byte-identical
    assert.equals(real_der, seq(top[1], top[2], top[3]))
  end)

  it("survives a 5 MB random blob", function()
    local parts = {}
    math.randomseed(12345)
    for i = 1, 5 * 1024 do
      local b = {}
      for j = 1, 1024 do b[j] = string.char(math.random(0, 255)) end
      parts[i] = table.concat(b)
    end
    local blob = table.concat(parts)
    local r, msg, code = csr.request.parse(blob)
    assert.is_nil(r)
    assert.equals(E.BAD_DER, code)
    assert.matches("^csr%.request%.parse: ", msg)
    -- the same blob behind a SEQUENCE header claiming the whole length
    r, msg, code = csr.request.parse("\48\131" .. string.char(0x50, 0, 0) .. blob)
    assert.is_nil(r)
    assert.matches(POS, msg)
  end)

  it("refuses inputs over the 16 MiB bound without reading them", function()
    local big = string.rep("\0", 16 * 1024 * 1024 + 1)
    local r, msg, code = csr.request.parse(big)
    assert.is_nil(r)
    assert.equals(E.TOO_LARGE, code)
    assert.matches("^csr%.request%.parse: ", msg)
  end)

  it("survives 10000 nested SEQUENCEs, at the top and inside an extension", function()
    local s = ""
    for _ = 1, 10000 do s = seq(s) end
    refused(s, E.BAD_DER)
    -- as the value of an unknown extension: the generic walk has a depth bound
    local msg = refused(with_exts(ext("1.2.3.4", s)), E.BAD_DER)
    assert.is_string(msg)
    -- as an otherName value inside a SAN
    refused(with_exts(ext("2.5.29.17", seq(tlv(0xa0, oid("1.2.3") .. tlv(0xa0, s))))),
            E.BAD_DER)
  end)

  it("refuses a length of 0xFFFFFFFF and other huge lengths anywhere", function()
    refused("\48\132\255\255\255\255" .. string.rep("\0", 32), E.BAD_DER,
            "at byte 0$")
    refused("\48\136\255\255\255\255\255\255\255\255\0", E.BAD_DER)
    -- the CRI length replaced by 0xFFFFFFFF inside a real request
    local cri_body = top[1]:sub(4)          -- 30 81 d6 header in this vector
    assert.equals("\48\129\214", top[1]:sub(1, 3))
    local bad = seq("\48\132\255\255\255\255" .. cri_body, top[2], top[3])
    refused(bad, E.BAD_DER)
    -- an extension value claiming a huge length
    refused(with_exts(seq(oid("1.2.3.4"), "\4\132\127\255\255\255")), E.BAD_DER)
  end)

  it("refuses a request truncated at every byte, DER and PEM", function()
    for i = 0, #real_der - 1 do
      local r, msg, code = csr.request.parse(real_der:sub(1, i))
      assert.is_nil(r)
      assert.equals(E.BAD_DER, code)
      assert.matches(POS, msg)
    end
    local pem = helpers.readfile(vec .. "ec_sha256.pem")
    for i = 0, #pem - 1, 7 do
      local r, msg, code = csr.request.parse(pem:sub(1, i))
      assert.is_nil(r)
      -- read as DER until the "-----BEGIN" line is there, as broken PEM after it
      assert.equals(pem:sub(1, i):find("-----BEGIN", 1, true) and E.BAD_PEM or E.BAD_DER, code,
                    msg)
      assert.matches("^csr%.request%.parse: ", msg)
    end
  end)

  it("never crashes on a wrong tag at any position, and never verifies a changed one",
     function()
    local n = 0
    for i = 1, #real_der do
      for _, t in ipairs({0x00, 0x04, 0x31, 0xa0}) do
        if real_der:byte(i) ~= t then
          local d = real_der:sub(1, i - 1) .. string.char(t) .. real_der:sub(i + 1)
          local r, msg, code = csr.request.parse(d)
          -- what a changed tag can be: bad DER, a version or string that is no longer one,
          -- or (still parsed) a signature that fails or an algorithm that is not one
          if r then
            local ok, vmsg, vcode = r:verify()
            assert.is_false(ok)
            assert.is_true(vcode == E.BAD_SIGNATURE or vcode == E.UNSUPPORTED, vmsg)
          else
            assert.is_true(code == E.BAD_DER or code == E.BAD_VERSION or code == E.BAD_UTF8, msg)
            assert.matches("^csr%.request%.parse: ", msg)
          end
          n = n + 1
        end
      end
    end
    assert.is_true(n > 1000)
  end)

  it("refuses non-DER encodings", function()
    -- indefinite length
    refused("\48\128" .. real_der:sub(4) .. "\0\0", E.BAD_DER)
    -- non-minimal length (0x81 for a short length) on the signature algorithm
    local alg_long = "\48\129" .. string.char(#ALGID - 2) .. ALGID:sub(3)
    refused(seq(top[1], alg_long, top[3]), E.BAD_DER)
    -- trailing bytes inside the CRI, inside the request, after the request
    refused(seq(seq(tlv(2, "\0"), SUBJECT, SPKI, tlv(0xa0, ""), tlv(5, "")), ALGID, SIG),
            E.BAD_DER, "trailing bytes")
    refused(seq(top[1], top[2], top[3], tlv(5, "")), E.BAD_DER, "trailing bytes")
    refused(real_der .. "\0", E.BAD_DER, "trailing bytes")
    -- high tag number
    refused(csr_with{attrs = {attr("1.2.3.4", "\127\129\0\0")}}, E.BAD_DER, "high tag")
  end)

  it("checks the version", function()
    refused(csr_with{version = tlv(2, "\1")}, E.BAD_VERSION, "version must be v1 %(0%)")
    refused(csr_with{version = tlv(2, "\2")}, E.BAD_VERSION)
    refused(csr_with{version = tlv(2, "\0\0")}, E.BAD_VERSION)     -- non-minimal
    refused(csr_with{version = tlv(2, "\255")}, E.BAD_VERSION)     -- negative
    refused(csr_with{version = tlv(4, "\0")}, E.BAD_DER, "version")
  end)

  it("validates the subject and the public key", function()
    refused(csr_with{subject = seq(set())}, E.BAD_DER)      -- empty RDN
    refused(csr_with{subject = seq(set(seq(oid("2.5.4.3"), utf8s("\255"))))}, E.BAD_UTF8)
    refused(csr_with{subject = seq(set(seq(oid("2.5.4.6"), tlv(0x13, "U*"))))}, E.BAD_DER)
    -- an EC point that is not on the curve
    local spk = children(SPKI)
    local bits = spk[2]
    local off = bits:sub(1, -2) .. string.char((bits:byte(-1) + 1) % 256)
    refused(csr_with{spki = seq(spk[1], off)}, E.BAD_DER)
    -- a point of the wrong length
    refused(csr_with{spki = seq(spk[1], tlv(3, "\0\4" .. string.rep("\1", 40)))}, E.BAD_DER)
  end)

  it("validates attributes", function()
    refused(csr_with{attrs = {attr("1.2.3.4")}}, E.BAD_DER, "empty value set")
    -- policy: an extensionRequest with an empty value SET reads as "no extensions"
    local r = assert(csr.request.parse(csr_with{attrs = {attr(EXTREQ)}}))
    assert.same({}, r:extensions())
    refused(csr_with{attrs = {attr("1.2.840.113549.1.9.7", utf8s("a"), utf8s("b"))}},
            E.BAD_DER, "more than one value")
    refused(csr_with{attrs = {attr("1.2.840.113549.1.9.7", tlv(2, "\1"))}}, E.BAD_DER,
            "not a DirectoryString")
    refused(csr_with{attrs = {attr("1.2.840.113549.1.9.7", utf8s("\192\128"))}}, E.BAD_UTF8)
    refused(csr_with{attrs = {attr("1.2.840.113549.1.9.2", tlv(0x16, "\200"))}}, E.BAD_DER)
    refused(csr_with{attrs = {attr("1.2.3.4", utf8s("a")), attr("1.2.3.4", utf8s("b"))}},
            E.DUPLICATE, "duplicate attribute")
    refused(csr_with{attrs = {attr(EXTREQ, seq(), seq())}}, E.BAD_DER, "more than one")
    refused(csr_with{attrs = {attr(EXTREQ, seq())}}, E.BAD_DER, "empty list")
    refused(csr_with{attrs = {attr(EXTREQ, set())}}, E.BAD_DER)
    refused(csr_with{attrs = {attr("1.2.3.4", "\48\5\4\1a")}}, E.BAD_DER)   -- bad framing
    refused(csr_with{attrs = {seq(oid("1.2.3.4"))}}, E.BAD_DER)
    refused(csr_with{attrs = {seq(tlv(6, "\42\128\1"), set(utf8s("a")))}}, E.BAD_DER)
    -- an unsorted attribute SET (not DER) is tolerated
    local a1 = attr("1.2.840.113549.1.9.7", utf8s("pw"))
    local a2 = attr("1.2.840.113549.1.9.2", utf8s("name"))
    local r = assert(csr.request.parse(csr_with{attrs = {a1, a2}}))
    assert.equals("pw", r:challenge_password())
    assert.equals("name", r:unstructured_name())
    assert.equals("challengePassword", r:attributes()[1].name)
    -- BMPString and UniversalString values read as UTF-8
    r = assert(csr.request.parse(csr_with{attrs = {
      attr("1.2.840.113549.1.9.7", tlv(0x1e, "\0p\0w\0\228")),
      attr("1.2.840.113549.1.9.2", tlv(0x1c, "\0\1\246\0\0\0\0x"))}}))
    assert.equals("pw\195\164", r:challenge_password())
    assert.equals("\240\159\152\128x", r:unstructured_name())
    assert.matches("pw\195\164", r:text())
    refused(csr_with{attrs = {attr("1.2.840.113549.1.9.7", tlv(0x1e, "\216\0"))}}, E.BAD_DER,
            "invalid character")
    refused(csr_with{attrs = {attr("1.2.840.113549.1.9.7", tlv(0x1e, "\0p\0"))}}, E.BAD_DER)
    refused(csr_with{attrs = {attr("1.2.840.113549.1.9.2", tlv(0x1c, "\0\17\0\0"))}},
            E.BAD_DER, "invalid character")
    -- unknown attributes are kept raw
    r = assert(csr.request.parse(csr_with{attrs = {attr("1.2.3.4", tlv(2, "\5"), utf8s("x"))}}))
    assert.same({{oid = "1.2.3.4", values = {tlv(2, "\5"), utf8s("x")}}}, r:attributes())
  end)

  it("validates extensions", function()
    local SAN, KU, EKU, BC, TLS = "2.5.29.17", "2.5.29.15", "2.5.29.37", "2.5.29.19",
                                  "1.3.6.1.5.5.7.1.24"
    refused(with_exts(ext(SAN, seq())), E.BAD_DER, "empty GeneralNames")
    refused(with_exts(ext(SAN, seq(tlv(0x87, "\1\2\3\4\5")))), E.BAD_DER, "4 or 16")
    refused(with_exts(ext(SAN, seq(tlv(0x87, "")))), E.BAD_DER, "4 or 16")
    refused(with_exts(ext(SAN, seq(tlv(0x82, "")))), E.BAD_DER, "empty name")
    refused(with_exts(ext(SAN, seq(tlv(0x82, "\195\164.test")))), E.BAD_DER, "IA5String")
    refused(with_exts(ext(SAN, seq(tlv(0x81, "\128@x")))), E.BAD_DER, "IA5String")
    refused(with_exts(ext(SAN, seq(tlv(0x86, "")))), E.BAD_DER)
    refused(with_exts(ext(SAN, seq(tlv(0xa3, "")))), E.BAD_DER, "unsupported GeneralName")
    refused(with_exts(ext(SAN, seq(tlv(0x83, "x")))), E.BAD_DER, "unsupported GeneralName")
    refused(with_exts(ext(SAN, seq(tlv(0xa5, seq())))), E.BAD_DER)
    refused(with_exts(ext(SAN, seq(tlv(0x88, "\42\128\1")))), E.BAD_DER)     -- bad RID OID
    refused(with_exts(ext(SAN, seq(tlv(0xa0, oid("1.2.3"))))), E.BAD_DER)    -- no value
    refused(with_exts(ext(SAN, seq(tlv(0xa0, oid("1.2.3") .. tlv(0x80, "x"))))), E.BAD_DER)
    refused(with_exts(ext(SAN, seq(tlv(0xa4, seq(set()))))), E.BAD_DER) -- dirName with an empty RDN
    refused(with_exts(ext(SAN, seq(tlv(0x82, "a")) .. "\0")), E.BAD_DER, "trailing")
    refused(with_exts(ext(KU, tlv(3, "\8\128"))), E.BAD_DER)                  -- 8 unused
    refused(with_exts(ext(KU, tlv(3, "\7\129"))), E.BAD_DER)      -- unused bits not zero
    refused(with_exts(ext(KU, tlv(4, "\128"))), E.BAD_DER)
    refused(with_exts(ext(KU, tlv(3, "\0\0\0\128"))), E.BAD_DER, "undefined bits")
    refused(with_exts(ext(EKU, seq())), E.BAD_DER, "empty list")
    refused(with_exts(ext(EKU, seq(utf8s("serverAuth")))), E.BAD_DER)
    refused(with_exts(ext(BC, seq(tlv(1, "\1")))), E.BAD_DER)                 -- BOOLEAN 01
    refused(with_exts(ext(BC, seq(tlv(1, "\255"), tlv(2, "\255")))), E.BAD_DER)  -- pathlen -1
    refused(with_exts(ext(BC, seq(tlv(2, "\0"), tlv(1, "\255")))), E.BAD_DER)
    refused(with_exts(ext(BC, seq(tlv(1, "\255\255")))), E.BAD_DER)
    refused(with_exts(ext(TLS, seq(utf8s("x")))), E.BAD_DER)
    refused(with_exts(ext("2.5.29.14", tlv(3, "\0\1"))), E.BAD_DER)
    refused(with_exts(ext("1.2.3.4", "value")), E.BAD_DER)       -- raw value must be DER
    refused(with_exts(seq(oid("1.2.3.4"), tlv(1, "\1"), octets(tlv(5, "")))), E.BAD_DER)
    refused(with_exts(seq(oid("1.2.3.4"), utf8s("x"))), E.BAD_DER)
    refused(with_exts(seq(oid("1.2.3.4"), octets(tlv(5, "")), tlv(5, ""))), E.BAD_DER)
    refused(with_exts(ext(BC, seq()), ext(BC, seq())), E.DUPLICATE, "duplicate extension")
    refused(with_exts(ext("1.2.3.4", tlv(5, "")), ext("1.2.3.4", tlv(5, ""))), E.DUPLICATE)
    refused(csr_with{attrs = {attr(EXTREQ, seq(ext(BC, seq()))),
                              attr("1.3.6.1.4.1.311.2.1.14", seq(ext(KU, tlv(3, "\7\128"))))}},
            E.DUPLICATE, "second extension request")
  end)

  it("reads well-formed edge cases of every typed extension", function()
    local r = assert(csr.request.parse(with_exts(
      ext("2.5.29.17", seq(tlv(0x87, "\192\0\2\1"),
                           tlv(0x87, "\32\1\13\184" .. string.rep("\0", 11) .. "\1"),
                           tlv(0x88, oid("1.2.3.4"):sub(3)),
                           tlv(0xa0, oid("1.3.6.1.4.1.311.20.2.3") .. tlv(0xa0, utf8s("u@x"))),
                           tlv(0xa4, seq(set(seq(oid("2.5.4.3"), utf8s("dir"))))),
                           tlv(0x81, "a@b"), tlv(0x86, "https://x/"), tlv(0x82, "d"))),
      ext("2.5.29.15", tlv(3, "\7\128"), "\255"),
      ext("2.5.29.37", seq(oid("1.3.6.1.5.5.7.3.1"), oid("1.2.3.4.5"))),
      ext("2.5.29.19", seq(tlv(1, "\255"), tlv(2, "\0")), "\255"),
      ext("1.3.6.1.5.5.7.1.24", seq(tlv(2, "\5"))),
      ext("1.2.3.4", tlv(5, ""), "\255"))))
    local san = r:san()
    assert.same({"192.0.2.1", "2001:db8::1"}, san.ip)
    assert.same({"1.2.3.4"}, san.rid)
    assert.same({{oid = "1.3.6.1.4.1.311.20.2.3", value = utf8s("u@x")}}, san.other_name)
    assert.equals(1, #san.dir_name)
    assert.equals("CN=dir", tostring(san.dir_name[1]))
    assert.same({"a@b"}, san.email)
    assert.same({"https://x/"}, san.uri)
    assert.same({"d"}, san.dns)
    assert.same({"digitalSignature"}, r:key_usage())
    assert.same({"serverAuth", "1.2.3.4.5"}, r:extended_key_usage())
    assert.same({ca = true, pathlen = 0}, r:basic_constraints())
    assert.is_true(r:must_staple())
    local exts = r:extensions()
    assert.equals(6, #exts)
    assert.same({oid = "1.2.3.4", critical = true, value = tlv(5, "")}, exts[6])
    assert.is_true(exts[2].critical)
    assert.is_false(exts[1].critical)
    -- criticality never makes verify fail: the dummy signature does, with its reason
    local ok, msg, code = r:verify()
    assert.is_false(ok)
    assert.equals(E.BAD_SIGNATURE, code)
    assert.equals("csr.request:verify: signature does not verify", msg)
    -- BER quirk policy: an explicit DEFAULT FALSE (critical, basicConstraints cA) is tolerated
    r = assert(csr.request.parse(with_exts(ext("2.5.29.19", seq(tlv(1, "\0")), "\0"))))
    assert.same({ca = false}, r:basic_constraints())
    assert.is_false(r:extensions()[1].critical)
    -- an empty keyUsage BIT STRING and a SEQUENCE {} basicConstraints
    r = assert(csr.request.parse(with_exts(ext("2.5.29.15", tlv(3, "\0")),
                                           ext("2.5.29.19", seq()))))
    assert.same({}, r:key_usage())
    assert.same({ca = false}, r:basic_constraints())
  end)

  it("does not treat a wrong signature algorithm or BIT STRING as valid", function()
    refused(csr_with{algid = seq(oid("1.2.840.10045.4.3.2"), tlv(5, ""))}, E.BAD_DER)
    refused(csr_with{sig = tlv(3, "\1\0")}, E.BAD_DER)
    refused(csr_with{sig = tlv(4, SIG:sub(3))}, E.BAD_DER)
    -- an unknown algorithm parses and verify answers unsupported
    local r = assert(csr.request.parse(csr_with{algid = seq(oid("1.2.3.4.5"))}))
    assert.equals("1.2.3.4.5", r:signature_algorithm())
    local ok, msg, code = r:verify()
    assert.is_false(ok)
    assert.equals(E.UNSUPPORTED, code)
    assert.equals("csr.request:verify: unsupported signature algorithm 1.2.3.4.5", msg)
    -- an RSA algorithm over an EC key never verifies
    r = assert(csr.request.parse(csr_with{algid = seq(oid("1.2.840.113549.1.1.11"),
                                                      tlv(5, ""))}))
    ok, msg, code = r:verify()
    assert.is_false(ok)
    assert.equals(E.BAD_SIGNATURE, code)
    assert.matches("does not match", msg)
  end)
end)
