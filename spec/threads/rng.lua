-- Workload of spec/threads/host.c for the per-thread DRBG (parses under Lua 5.1): each thread
-- generates P-256 keys and signs one message with each; returns
-- "fp=<fingerprint prefixes, comma-separated> r=<ECDSA r prefixes, comma-separated>".
-- Threads sharing or copying generator state would repeat a key or a nonce (equal r).
local iterations, id, cpath = ...
package.cpath = cpath
local csr = require "csr"

local function hex(s)
  return (s:gsub(".", function(c) return string.format("%02x", c:byte()) end))
end

local fps, rs = {}, {}
for i = 1, iterations do
  local k = assert(csr.key.generate("ec", {curve = "P-256"}))
  local sig = assert(k:sign("the same message in every thread"))
  assert(sig:byte(1) == 0x30 and sig:byte(3) == 0x02, "not a DER ECDSA signature")
  fps[i] = k:fingerprint():sub(1, 16)
  rs[i] = hex(sig:sub(5, 4 + sig:byte(4))):sub(-16)
  k:close()
end
if id % 2 == 0 then csr.thread_cleanup() end  -- odd threads: freed at thread exit
return "fp=" .. table.concat(fps, ",") .. " r=" .. table.concat(rs, ",")
