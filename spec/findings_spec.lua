-- Findings of the hardening work (issue 6: fuzzers, fault injection, torture), each a spec
-- that failed before its fix: regression tests like any other, run everywhere (ASan and
-- valgrind included: each is cheap once fixed). Tagged #finding.
-- Reproducers of the C-level findings (fault injection, UB in der.c) are in the issue notes.
local csr = require "csr"
local helpers = require "helpers"

local H = helpers.fromhex

local tlv = helpers.der_tlv

-- EncryptedPrivateKeyInfo, PBES2 / PBKDF2-HMAC-SHA256 / AES-256-CBC, with the given
-- iteration count (big-endian INTEGER contents as hex) and a ciphertext that is not a key
local function pbes2_key(iter_hex)
  local pbkdf2 = tlv(0x30, H("06092a864886f70d01050c") .. tlv(0x30,
    tlv(0x04, H("0102030405060708")) .. tlv(0x02, H(iter_hex)) ..
    tlv(0x30, H("06082a864886f70d0209") .. H("0500"))))
  local enc = tlv(0x30, H("060960864801650304012a") .. tlv(0x04, string.rep("\7", 16)))
  local algid = tlv(0x30, H("06092a864886f70d01050d") .. tlv(0x30, pbkdf2 .. enc))
  return tlv(0x30, algid .. tlv(0x04, string.rep("\85", 48)))
end

describe("hardening findings #finding", function()
  it("a PBES2 key with 10,000,000 PBKDF2 iterations costs no more than 2 s of CPU to refuse",
     function()
    -- the same structure with 2048 iterations is read through to the decryption
    local k, msg, code = csr.key.parse(pbes2_key("0800"), {passphrase = "secret"})
    assert.is_nil(k)
    assert.are.equal(csr.errors.PASSPHRASE, code, msg)
    -- refused before any PBKDF2 work (the fix): immediate even under valgrind
    local t = os.clock()
    k, msg, code = csr.key.parse(pbes2_key("00989680"), {passphrase = "secret"})
    local spent = os.clock() - t
    assert.is_nil(k)
    assert.are.equal(csr.errors.UNSUPPORTED, code, msg)
    assert.matches("^csr%.key%.parse: PBKDF2 iteration count 10000000 outside 1%.%.%d+", msg)
    assert.is_true(spent < 2, string.format(
      "csr.key.parse spent %.1f s of CPU on a hostile iteration count (%s)", spent, msg))
  end)

  it("a #hex value that bypasses the attribute rules survives tostring and re-parse", function()
    -- C=#0c03616263: a UTF8String "abc" as countryName; tostring gives C=abc, which the
    -- two-letter rule then refuses (fuzz_subject's round-trip property)
    local s = assert(csr.subject.new("C=#0c03616263"))
    local again, msg = csr.subject.new(tostring(s))
    assert.is_not_nil(again, msg)
    assert.are.equal(s:to_der(), again:to_der())
  end)

  it("== between a csr.subject and another userdata answers false instead of raising",
     function()
    local s = assert(csr.subject.new("CN=x"))
    local k = assert(csr.key.generate("ed25519"))
    local ok, eq = pcall(function() return s == k end)
    assert.is_true(ok, tostring(eq))
    assert.is_false(eq)
    ok, eq = pcall(function() return s == io.stdout end)
    assert.is_true(ok, tostring(eq))
    assert.is_false(eq)
  end)
end)
