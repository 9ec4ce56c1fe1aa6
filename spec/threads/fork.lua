-- Workload of spec/threads/forkhost.c (parses under Lua 5.1).
-- load_module(cpath) runs first in the parent: loads the module, uses no randomness ("early"
-- children are forked after it). setup() then makes a key K0 and signs with it, so the
-- per-thread DRBG is live when fork() copies it ("late" children are forked after it).
-- work(tag) runs in the parent, every child and every grandchild; returns one line of fields:
--   ec=<fingerprint of a fresh P-256 key> ecsig=<its ECDSA signature of MSG>
--   k0sig=<ECDSA signature of MSG by K0> r=<the r values of both signatures, comma-separated>
--   ed=<fingerprint of a fresh Ed25519 key> csr=<CSR DER>
-- An early child has no K0 of the parent's: it makes its own on first use.
local MSG = "the same message in every process"
local csr, K0

local function hex(s)
  return (s:gsub(".", function(c) return string.format("%02x", c:byte()) end))
end

-- r of a DER ECDSA-Sig-Value (SEQUENCE { INTEGER r, INTEGER s }, short lengths: P-256)
local function ecdsa_r(der)
  assert(der:byte(1) == 0x30 and der:byte(3) == 0x02, "not a DER ECDSA signature")
  return hex(der:sub(5, 4 + der:byte(4)))
end

function load_module(cpath)
  package.cpath = cpath
  csr = require "csr"
  return "loaded"
end

function setup()
  K0 = assert(csr.key.generate("ec", {curve = "P-256"}))
  return "k0=" .. K0:fingerprint() .. " r0=" .. ecdsa_r(assert(K0:sign(MSG)))
end

function work(tag)
  if not K0 then setup() end
  local k = assert(csr.key.generate("ec", {curve = "P-256"}))
  local f = {"tag=" .. tag, "ec=" .. k:fingerprint()}
  local s = assert(k:sign(MSG))
  assert(k:verify(MSG, s) == true, "fresh key's signature does not verify")
  local s0 = assert(K0:sign(MSG))
  assert(K0:verify(MSG, s0) == true, "K0's signature does not verify")
  f[#f + 1] = "ecsig=" .. hex(s)
  f[#f + 1] = "k0sig=" .. hex(s0)
  f[#f + 1] = "r=" .. ecdsa_r(s) .. "," .. ecdsa_r(s0)
  local ed = assert(csr.key.generate("ed25519"))
  f[#f + 1] = "ed=" .. ed:fingerprint()
  local r = assert(csr.request.new{subject = {{"CN", "fork.example"}}, key = k})
  assert(r:sign(k))
  f[#f + 1] = "csr=" .. hex(r:to_der())
  return table.concat(f, " ")
end
