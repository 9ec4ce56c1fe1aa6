-- Shared by the certificate specs: DER surgery on certificates and a small CA + request.
local csr = require "csr"
local H = require "spec.helpers"

local M = {}

function M.key(name) return assert(csr.key.parse(H.fixture("keys/" .. name))) end

-- the first TLV inside the contents of the TLV at 1-based pos: its position
function M.first_child(der, pos)
  local _, hl = H.der_header(der, pos)
  return pos + hl
end
-- the TLV after the one at pos
function M.next_tlv(der, pos)
  local _, hl, cl = H.der_header(der, pos)
  return pos + hl + cl
end
function M.tlv_at(der, pos)
  local _, hl, cl = H.der_header(der, pos)
  return der:sub(pos, pos + hl + cl - 1)
end
-- the Certificate with its TBSCertificate contents replaced by f(contents)
function M.retbs(der, f)
  local tbs_pos = M.first_child(der, 1)
  local tag, hl, cl = H.der_header(der, tbs_pos)
  assert(tag == 0x30)
  local rest = der:sub(tbs_pos + hl + cl, #der)
  local content = f(der:sub(tbs_pos + hl, tbs_pos + hl + cl - 1))
  return H.der_tlv(0x30, H.der_tlv(0x30, content) .. rest)
end
-- TBSCertificate fields by index (1 = [0] version, 2 = serial, 3 = signature, 4 = issuer,
-- 5 = validity, 6 = subject, 7 = SPKI, 8 = [3] extensions): the TLV and its position
function M.tbs_field(der, i)
  local p = M.first_child(der, M.first_child(der, 1))
  for _ = 2, i do p = M.next_tlv(der, p) end
  return M.tlv_at(der, p), p
end

-- a P-384 CA, a P-256 key and a signed request with every typed extension
function M.setup()
  local t = {}
  t.cakey = M.key("ec-p384.pem")
  t.ca = assert(csr.certificate.self_signed{key = t.cakey, subject = "CN=Spec Root,O=Example",
                                            days = 3650, ca = true})
  t.leafkey = M.key("ec-p256.pem")
  t.req = assert(csr.request.new{
    subject = "CN=www.example.com,O=Example", key = t.leafkey,
    san = {dns = {"www.example.com", "example.com"}, ip = {"192.0.2.1"},
           email = {"ops@example.com"}, uri = {"https://example.com/"}},
    key_usage = {"digitalSignature"}, extended_key_usage = {"serverAuth", "clientAuth"},
    must_staple = true, basic_constraints = {ca = true},
  })
  assert(t.req:sign(t.leafkey))
  return t
end

return M
