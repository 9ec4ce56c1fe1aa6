-- Workload of one thread of spec/threads/host.c (also parses under Lua 5.1):
-- generate P-256 and Ed25519 keys, sign/verify, build+sign+parse+verify CSRs, then
-- csr.thread_cleanup(), counting what it did.
-- Returns "keys=N sigs=N csrs=N" or raises.
local iterations, id, cpath = ...
package.cpath = cpath
local csr = require "csr"

local n = {keys = 0, sigs = 0, csrs = 0}
local kinds = { {"ec", {curve = "P-256"}}, {"ed25519"} }

for i = 1, iterations do
  -- error paths at once too: misuse raises (longjmp in PUC Lua, unwinding in LuaJIT)
  assert(not pcall(csr.key.generate, "no-such-key-type"), "misuse did not raise")
  for _, kind in ipairs(kinds) do
    local k = assert(csr.key.generate(kind[1], kind[2]))
    n.keys = n.keys + 1
    local msg = "thread " .. id .. " message " .. i
    local sig = assert(k:sign(msg))
    assert(k:verify(msg, sig) == true, "own signature does not verify")
    assert(k:verify(msg .. "!", sig) ~= true, "signature verifies another message")
    n.sigs = n.sigs + 1
    local cn = "t" .. id .. "-" .. i .. "." .. kind[1] .. ".example"
    local r = assert(csr.request.new{subject = {{"CN", cn}}, key = k, san = {dns = {cn}}})
    assert(r:sign(k))
    local back = assert(csr.request.parse(r:to_pem()))
    assert(back:verify() == true, "CSR does not verify")
    assert(back:subject():get("CN") == cn, "CN lost")
    n.csrs = n.csrs + 1
    k:close()
  end
end
csr.thread_cleanup()
return string.format("keys=%d sigs=%d csrs=%d", n.keys, n.sigs, n.csrs)
