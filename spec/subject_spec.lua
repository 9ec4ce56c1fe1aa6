-- csr.subject: the three input forms, RFC 4514 output, escaping, validation, lifecycle,
-- and DER compared with Python cryptography's encoding of the same name.
local csr = require "csr"
local helpers = require "helpers"

local E = csr.errors
local function hex(s) return helpers.tohex(s) end

local function fails(code, ...)
  local s, msg, c = csr.subject.new(...)
  assert.is_nil(s)
  assert.is_string(msg)
  assert.matches("^csr%.subject%.new: ", msg)
  assert.are.equal(code, c)
  return msg
end

describe("csr.subject", function()
  it("gives the same DER for table, RFC 4514 and slash input", function()
    local t = assert(csr.subject.new{ {"C","US"}, {"O","Example Inc"}, {"CN","www.example.com"} })
    local r = assert(csr.subject.new("CN=www.example.com,O=Example Inc,C=US"))
    local sl = assert(csr.subject.new("/C=US/O=Example Inc/CN=www.example.com"))
    assert.are.equal(t:to_der(), r:to_der())
    assert.are.equal(t:to_der(), sl:to_der())
    assert.are.equal("CN=www.example.com,O=Example Inc,C=US", tostring(t))
    assert.is_true(t == r)
    assert.are.equal(3, t:count())
    -- C PrintableString, O and CN UTF8String
    assert.are.equal("303d310b3009060355040613025553311430120603550"
      .. "40a0c0b4578616d706c6520496e633118301606035504030c0f7777772e6578616d706c652e636f6d",
      hex(t:to_der()))
  end)

  it("accepts long names case-insensitively and prints short names", function()
    local s = assert(csr.subject.new{ {"countryName","DE"}, {"organizationName","X"},
      {"givenName","Max"}, {"surname","M"}, {"commonname","c"}, {"domainComponent","org"},
      {"userId","u1"}, {"streetAddress","Main 1"}, {"EMAILADDRESS","a@b.c"} })
    assert.are.equal("emailAddress=a@b.c,street=Main 1,UID=u1,DC=org,CN=c,SN=M,GN=Max,O=X,C=DE",
      tostring(s))
  end)

  it("uses the string types the README lists", function()
    local function tag(attr, val)
      local d = assert(csr.subject.new{ {attr, val} }):to_der()
      -- 30 L 31 L 30 L 06 n oid... tag
      local oidlen = d:byte(8)
      return d:byte(9 + oidlen)
    end
    assert.are.equal(0x13, tag("C", "us"))
    assert.are.equal(0x13, tag("serialNumber", "ABC-123"))
    assert.are.equal(0x0c, tag("serialNumber", "A_B"))        -- '_' not printable
    assert.are.equal(0x13, tag("dnQualifier", "q1"))
    assert.are.equal(0x16, tag("emailAddress", "a@example.com"))
    assert.are.equal(0x16, tag("DC", "com"))
    assert.are.equal(0x0c, tag("CN", "plain"))
    assert.are.equal(0x0c, tag("1.2.3.4.5", "x"))
  end)

  it("keeps RDN order and repeated attributes", function()
    local s = assert(csr.subject.new("/DC=com/DC=example/OU=b/OU=a/CN=x"))
    assert.are.equal("CN=x,OU=a,OU=b,DC=example,DC=com", tostring(s))
    assert.are.same({ {"DC","com"}, {"DC","example"}, {"OU","b"}, {"OU","a"}, {"CN","x"} },
      s:entries())
    assert.are.equal("com", s:get("DC"))
    assert.are.equal("b", s:get("organizationalUnitName"))
    assert.is_nil(s:get("O"))
  end)

  it("writes multi-valued RDN members in DER SET order", function()
    local a = assert(csr.subject.new{ {"C","US"}, { {"OU","Eng"}, {"O","Ex"} }, {"CN","x"} })
    local b = assert(csr.subject.new{ {"C","US"}, { {"O","Ex"}, {"OU","Eng"} }, {"CN","x"} })
    assert.are.equal(a:to_der(), b:to_der())
    assert.are.same({ {"C","US"}, { {"O","Ex"}, {"OU","Eng"} }, {"CN","x"} }, a:entries())
    assert.are.equal("CN=x,O=Ex+OU=Eng,C=US", tostring(a))
    local c = assert(csr.subject.new("CN=x,OU=Eng+O=Ex,C=US"))
    local d = assert(csr.subject.new("/C=US/OU=Eng+O=Ex/CN=x"))
    assert.are.equal(a:to_der(), c:to_der())
    assert.are.equal(a:to_der(), d:to_der())
    assert.are.equal(3, a:count())
  end)

  it("escapes and unescapes RFC 4514 specials", function()
    local v = ",+\"\\<>;=x"
    local s = assert(csr.subject.new{ {"CN", v} })
    assert.are.equal("CN=\\,\\+\\\"\\\\\\<\\>\\;=x", tostring(s))
    assert.are.equal(v, csr.subject.new(tostring(s)):get("CN"))
    local lead = assert(csr.subject.new{ {"CN", "#lead"}, {"O", " sp "} })
    assert.are.equal("O=\\ sp\\ ,CN=\\#lead", tostring(lead))
    assert.are.equal(lead:to_der(), csr.subject.new(tostring(lead)):to_der())
    assert.are.equal("a,b", csr.subject.new("CN=a\\2cb"):get("CN"))
    assert.are.equal("M\195\188nchen", csr.subject.new("L=M\\c3\\bcnchen"):get("L"))
    assert.are.equal("O=a/b\\+c", tostring(csr.subject.new("/O=a\\/b\\+c")))
    assert.are.equal("a/b+c", csr.subject.new("/O=a\\/b\\+c"):get("O"))
    assert.are.equal("#x", csr.subject.new("/CN=#x"):get("CN"))   -- slash form: '#' literal
  end)

  it("reads #hex values (RFC 4514 2.4) and prints other string types as #hex", function()
    assert.are.equal("abc", csr.subject.new("CN=#0c03616263"):get("CN"))
    local bmp = assert(csr.subject.new("CN=#1e0400410042"))
    assert.are.equal("CN=#1e0400410042", tostring(bmp))
    assert.are.equal("AB", bmp:get("CN"))                      -- BMPString shown as UTF-8
    assert.are.equal(bmp:to_der(), csr.subject.new(tostring(bmp)):to_der())
    fails(E.BAD_NAME, "CN=#0203010001")                          -- INTEGER: not a string
    fails(E.BAD_NAME, "CN=#0c0361")                              -- truncated TLV
    fails(E.BAD_NAME, "CN=#zz")
  end)

  it("round-trips UTF-8 byte for byte", function()
    local cjk = "\230\157\177\228\186\172.example"
    local s = assert(csr.subject.new{ {"L","M\195\188nchen"}, {"CN", cjk} })
    assert.are.equal("CN=" .. cjk .. ",L=M\195\188nchen", tostring(s))
    assert.are.equal(cjk, s:get("CN"))
    local back = assert(csr.subject.parse_der(s:to_der()))
    assert.are.equal(cjk, back:get("CN"))
    assert.are.equal(s:to_der(), back:to_der())
  end)

  it("allows dotted OIDs as attributes", function()
    local s = assert(csr.subject.new{ {"1.3.6.1.4.1.99999.1","custom"}, {"2.5.4.3","x"} })
    assert.are.equal("CN=x,1.3.6.1.4.1.99999.1=custom", tostring(s))
    assert.are.equal("custom", s:get("1.3.6.1.4.1.99999.1"))
    assert.are.equal(s:to_der(), csr.subject.new(tostring(s)):to_der())
    assert.are.equal(s:to_der(), csr.subject.new("OID.2.5.4.3=x,oid.1.3.6.1.4.1.99999.1=custom"):to_der())
  end)

  it("returns nil, msg, code on bad data", function()
    fails(E.BAD_UTF8, { {"CN", "\255\254"} })
    fails(E.BAD_UTF8, "CN=\\ff")
    fails(E.BAD_NAME, { {"C", "USA"} })
    fails(E.BAD_NAME, { {"C", "U1"} })
    local m = fails(E.BAD_NAME, { {"CN", string.rep("x", 65)} })
    assert.matches("CN", m)
    assert.matches("64", m)
    assert.is_truthy(csr.subject.new{ {"CN", string.rep("\195\188", 64)} })  -- code points
    fails(E.BAD_NAME, { {"O", string.rep("o", 65)} })
    fails(E.BAD_NAME, { {"L", string.rep("l", 129)} })
    fails(E.BAD_NAME, { {"emailAddress", string.rep("e", 256)} })
    fails(E.BAD_NAME, { {"emailAddress", "m\195\188@example.com"} })
    fails(E.BAD_NAME, { {"DC", "\195\188"} })
    fails(E.BAD_NAME, { {"CN", ""} })
    fails(E.BAD_NAME, "CN=")
    fails(E.BAD_NAME, "/CN=")
    fails(E.BAD_NAME, { {"CN", "a\0b"} })
    assert.matches("unknown attribute 'XX'", fails(E.BAD_NAME, { {"XX", "a"} }))
    fails(E.BAD_NAME, "XX=a")
    fails(E.BAD_NAME, "CN=a,")
    fails(E.BAD_NAME, "CN=a, O=b")                -- strict: no space after ','
    fails(E.BAD_NAME, "CN=a ")
    fails(E.BAD_NAME, "CN=a;O=b")
    fails(E.BAD_NAME, "CN")
    fails(E.BAD_NAME, "/C=US/")
    fails(E.BAD_NAME, "CN=a\\")
  end)

  it("parses the empty name", function()
    for _, spec in ipairs({ "", "/", {} }) do
      local s = assert(csr.subject.new(spec))
      assert.are.equal(0, s:count())
      assert.are.equal("3000", hex(s:to_der()))
      assert.are.equal("", tostring(s))
      assert.are.same({}, s:entries())
    end
  end)

  it("raises on wrong Lua types", function()
    assert.error_matches(function() csr.subject.new(42) end,
                         "bad argument #1 to 'new' (csr.subject, string or table " ..
                         "expected, got number)", 1, true)
    assert.error_matches(function() csr.subject.new() end,
                         "bad argument #1 to 'new' (csr.subject, string or table " ..
                         "expected, got nil)", 1, true)
    assert.error_matches(function() csr.subject.new{ "CN=x" } end,
                         "bad argument #1 to 'new' (entry 1 must be a table)", 1, true)
    assert.error_matches(function() csr.subject.new{ {"CN", 5} } end,
                         "bad argument #1 to 'new' (entry 1: value must be a string)", 1, true)
    assert.error_matches(function() csr.subject.new{ {5, "x"} } end,
                         "bad argument #1 to 'new' (entry 1: attribute must be a string)", 1, true)
    assert.error_matches(function() csr.subject.new{ {} } end,
                         "bad argument #1 to 'new' (entry 1: attribute must be a string)", 1, true)
    local s = assert(csr.subject.new("CN=x"))
    assert.error_matches(function() s:add("CN", 5) end,
                         "bad argument #2 to 'add' (string expected, got number)", 1, true)
    assert.error_matches(function() s:get("NoSuchAttr") end,
                         "bad argument #1 to 'get' (unknown attribute 'NoSuchAttr')", 1, true)
  end)

  it("adds RDNs, copies, compares", function()
    local s = assert(csr.subject.new{ {"O","Ex"} })
    assert.are.equal(s, s:add("OU", "Ops"))
    assert.are.equal("OU=Ops,O=Ex", tostring(s))
    local nilv, msg, code = s:add("C", "XYZ")
    assert.is_nil(nilv)
    assert.matches("^csr%.subject:add: ", msg)
    assert.are.equal(E.BAD_NAME, code)
    local c = assert(csr.subject.new(s))
    assert.is_true(c == s)
    c:add("CN", "y")
    assert.is_false(c == s)
    assert.are.equal(2, s:count())
  end)

  it("closes idempotently; use after close raises", function()
    local s = assert(csr.subject.new("CN=x"))
    s:close()
    s:close()
    assert.error_matches(function() s:to_der() end,
                         "calling 'to_der' on bad self (attempt to use a closed csr.subject)",
                         1, true)
    assert.error_matches(function() s:get("CN") end, "closed")
    assert.error_matches(function() csr.subject.new(s) end, "closed")
    assert.are.equal("csr.subject (closed)", tostring(s))
  end)

  describe("parse_der", function()
    it("keeps the exact bytes of an unsorted SET and refuses malformed names", function()
      -- SET { O=aaa, OU=bb }: members out of DER order (OU=bb encodes shorter): kept as given
      local a = helpers.fromhex("30193117" .. "300a060355040a0c03616161"
        .. "3009060355040b0c026262")
      local s = assert(csr.subject.parse_der(a))
      assert.are.equal(a, s:to_der())
      assert.are.same({ { {"O","aaa"}, {"OU","bb"} } }, s:entries())
      assert.are.equal("O=aaa+OU=bb", tostring(s))
      -- rebuilt from text it is sorted
      assert.are.equal("30193117" .. "3009060355040b0c026262" .. "300a060355040a0c03616161",
        hex(csr.subject.new(tostring(s)):to_der()))
      local bad = {
        {"3002" .. "3100", E.BAD_DER},                           -- empty RDN
        {"3009310730050603550403", E.BAD_DER},                   -- missing value
        {"300c310a300806035504030c0161" .. "00", E.BAD_DER},     -- Name length one short
        {"300b3109300706035504030c01", E.BAD_DER},               -- truncated
        {"300d310b30090604550480030c0161", E.BAD_DER},           -- non-minimal OID arc
        {"300c310a3008060355040313013f" .. "0000", E.BAD_DER},   -- trailing bytes after Name
        {"300d310b30090603550403130261" .. "5f", E.BAD_DER},     -- '_' in PrintableString
        {"300d310b300906035504030c02c328", E.BAD_UTF8},          -- bad UTF-8
        {"300d310b30090603550403160280" .. "41", E.BAD_DER},     -- IA5 high bit
      }
      for _, c in ipairs(bad) do
        local r, m, code = csr.subject.parse_der(helpers.fromhex(c[1]))
        assert.is_nil(r, c[1])
        assert.matches("^csr%.subject%.parse_der: ", m)
        assert.are.equal(c[2], code, c[1] .. ": " .. m)
      end
    end)
  end)

  it("round-trips tostring over many random subjects", function()
    math.randomseed(4514)
    local attrs = { "C", "ST", "L", "O", "OU", "CN", "emailAddress", "serialNumber", "UID",
      "DC", "title", "GN", "SN", "initials", "pseudonym", "dnQualifier", "postalCode",
      "street", "businessCategory", "jurisdictionC", "jurisdictionST", "jurisdictionL",
      "organizationIdentifier", "1.3.6.1.4.1.99999.7", "2.5.4.41" }
    local ascii = { "a", "Z", "0", " ", ",", "+", "\"", "\\", "<", ">", ";", "=", "#", "/",
      "-", ".", "_", "@", "\t", "*" }
    local utf = { "\195\188", "\230\157\177", "\240\159\152\128", "\206\169" }
    local function value(attr)
      if attr == "C" or attr == "jurisdictionC" then
        return string.char(65 + math.random(0, 25), 97 + math.random(0, 25))
      end
      local n, t = math.random(1, 12), {}
      for i = 1, n do
        if (attr == "emailAddress" or attr == "DC") or math.random() < 0.7 then
          t[i] = ascii[math.random(#ascii)]
        else
          t[i] = utf[math.random(#utf)]
        end
      end
      return table.concat(t)
    end
    for _ = 1, 300 do
      local spec = {}
      for i = 1, math.random(0, 6) do
        if math.random() < 0.25 then
          local m = {}
          for j = 1, math.random(2, 3) do
            local a = attrs[math.random(#attrs)]
            m[j] = { a, value(a) }
          end
          spec[i] = m
        else
          local a = attrs[math.random(#attrs)]
          spec[i] = { a, value(a) }
        end
      end
      local s = assert(csr.subject.new(spec))
      local text = tostring(s)
      local back, err = csr.subject.new(text)
      assert(back, (err or "") .. " for " .. text)
      assert.are.equal(hex(s:to_der()), hex(back:to_der()))
      assert.are.equal(text, tostring(back))
      local p = assert(csr.subject.parse_der(s:to_der()))
      assert.are.same(s:entries(), p:entries())
    end
  end)

  describe("#python interop", function()
    it("encodes names exactly as cryptography does", function()
      local py, why = helpers.pyca()
      if not py then pending(why); return end
      local script = [[
import sys
from cryptography import x509
from cryptography.x509.oid import NameOID as N
def A(o, v): return x509.NameAttribute(o, v)
R = x509.RelativeDistinguishedName
names = [
  x509.Name([R([A(N.COUNTRY_NAME, "US")]), R([A(N.ORGANIZATION_NAME, "Example Inc")]),
             R([A(N.COMMON_NAME, "www.example.com")])]),
  x509.Name([R([A(N.COUNTRY_NAME, "DE")]), R([A(N.LOCALITY_NAME, "M\u00fcnchen")]),
             R([A(N.ORGANIZATIONAL_UNIT_NAME, "Eng"), A(N.ORGANIZATION_NAME, "Ex")]),
             R([A(N.DOMAIN_COMPONENT, "example")]), R([A(N.DOMAIN_COMPONENT, "com")]),
             R([A(N.EMAIL_ADDRESS, "a@example.com")]), R([A(N.SERIAL_NUMBER, "SN-1")]),
             R([A(N.COMMON_NAME, "\u6771\u4eac, +\"x")])]),
  x509.Name([R([A(N.GIVEN_NAME, "Max"), A(N.SURNAME, "Mustermann"), A(N.TITLE, "Dr")]),
             R([A(x509.ObjectIdentifier("1.3.6.1.4.1.99999.1"), "custom")])]),
]
for n in names:
    print(n.public_bytes().hex(), n.rfc4514_string())
]]
      local ok, out = helpers.run(py .. " -c " .. helpers.shellquote(script))
      assert(ok, out)
      local ours = {
        csr.subject.new{ {"C","US"}, {"O","Example Inc"}, {"CN","www.example.com"} },
        csr.subject.new{ {"C","DE"}, {"L","M\195\188nchen"}, { {"OU","Eng"}, {"O","Ex"} },
          {"DC","example"}, {"DC","com"}, {"emailAddress","a@example.com"},
          {"serialNumber","SN-1"}, {"CN","\230\157\177\228\186\172, +\"x"} },
        csr.subject.new{ { {"GN","Max"}, {"SN","Mustermann"}, {"title","Dr"} },
          {"1.3.6.1.4.1.99999.1","custom"} },
      }
      local i = 0
      for line in out:gmatch("[^\n]+") do
        i = i + 1
        local h, text = line:match("^(%x+) (.*)$")
        assert.are.equal(h, hex(assert(ours[i]):to_der()))
        -- cryptography's RFC 4514 text reads back to the same DER
        local back = assert(csr.subject.new(text))
        assert.are.equal(h, hex(back:to_der()))
      end
      assert.are.equal(3, i)
    end)
  end)

  describe("#openssl interop", function()
    it("matches the subject openssl req -multivalue-rdn writes", function()
      local ok0 = helpers.run("openssl version")
      if not ok0 then pending("openssl not available"); return end
      local key = helpers.tmpname(".pem")
      local der = helpers.tmpname(".der")
      local subj = "/C=US/ST=Bayern/O=Ex+OU=Eng/DC=example/DC=com/CN=M\195\188nchen.example"
      local ok, out = helpers.run("openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256"
        .. " -nodes -keyout " .. key .. " -utf8 -multivalue-rdn -subj "
        .. helpers.shellquote(subj) .. " -outform DER -out " .. der)
      os.remove(key)
      assert(ok, out)
      local csrder = helpers.readfile(der)
      os.remove(der)
      -- CertificationRequest SEQUENCE, CRI SEQUENCE, version INTEGER 0, then the Name
      local function hdr(s, pos)
        local l = s:byte(pos + 1)
        if l < 128 then return 2, l end
        local n, v = l - 128, 0
        for k = 1, n do v = v * 256 + s:byte(pos + 1 + k) end
        return 2 + n, v
      end
      local p = 1
      local h = hdr(csrder, p); p = p + h              -- into CertificationRequest
      h = hdr(csrder, p); p = p + h                    -- into CRI
      local vh, vl = hdr(csrder, p); p = p + vh + vl   -- skip version
      local nh, nl = hdr(csrder, p)
      local name = csrder:sub(p, p + nh + nl - 1)
      local ours = assert(csr.subject.new(subj))
      assert.are.equal(hex(name), hex(ours:to_der()))
      local parsed = assert(csr.subject.parse_der(name))
      assert.are.equal("CN=M\195\188nchen.example,DC=com,DC=example,O=Ex+OU=Eng,ST=Bayern,C=US",
        tostring(parsed))
    end)
  end)
end)
