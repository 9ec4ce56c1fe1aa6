-- Workload of spec/threads/forkhost.c (parses under Lua 5.1).
-- setup(cpath) runs once in the parent before fork(): loads the module, makes a key K0 and
-- uses it (signs), so any RNG state the module or wolfSSL might keep is live when fork() copies it.
-- work(tag) runs in the parent and in every child after fork(); returns one line of fields:
--   ec=<fingerprint of a fresh P-256 key> ecsig=<its ECDSA signature of MSG>
--   k0sig=<ECDSA signature of MSG by K0> ed=<fingerprint of a fresh Ed25519 key> csr=<CSR DER>
local MSG = "the same message in every process"
local csr, K0

local function hex(s)
  return (s:gsub(".", function(c) return string.format("%02x", c:byte()) end))
end

function setup(cpath)
  package.cpath = cpath
  csr = require "csr"
  K0 = assert(csr.key.generate("ec", {curve = "P-256"}))
  assert(K0:sign(MSG))
  return "k0=" .. K0:fingerprint()
end

function work(tag)
  local k = assert(csr.key.generate("ec", {curve = "P-256"}))
  local f = {"tag=" .. tag, "ec=" .. k:fingerprint()}
  local s = assert(k:sign(MSG))
  assert(k:verify(MSG, s) == true, "fresh key's signature does not verify")
  local s0 = assert(K0:sign(MSG))
  assert(K0:verify(MSG, s0) == true, "K0's signature does not verify")
  f[#f + 1] = "ecsig=" .. hex(s)
  f[#f + 1] = "k0sig=" .. hex(s0)
  local ed = assert(csr.key.generate("ed25519"))
  f[#f + 1] = "ed=" .. ed:fingerprint()
  local r = assert(csr.request.new{subject = {{"CN", "fork.example"}}, key = k})
  assert(r:sign(k))
  f[#f + 1] = "csr=" .. hex(r:to_der())
  return table.concat(f, " ")
end
