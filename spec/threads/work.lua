-- Workload of one thread of spec/threads/host.c (also parses under Lua 5.1):
-- generate P-256 and Ed25519 keys, sign/verify, build+sign+parse+verify CSRs, then
-- csr.thread_cleanup(). Does what the module offers so far and counts it.
-- Returns "keys=N sigs=N csrs=N" or raises.
local iterations, id, cpath = ...
package.cpath = cpath
local csr = require "csr"

local have_keys = csr.key ~= nil and csr.key.generate ~= nil
local have_req = csr.request ~= nil and csr.request.new ~= nil and csr.request.parse ~= nil
local n = {keys = 0, sigs = 0, csrs = 0}
local kinds = { {"ec", {curve = "P-256"}}, {"ed25519"} }

for i = 1, iterations do
  -- error paths at once too: misuse raises (longjmp in PUC Lua, unwinding in LuaJIT)
  assert(not pcall(csr.key.generate, "no-such-key-type"), "misuse did not raise")
  if have_keys then
    for _, kind in ipairs(kinds) do
      local k = assert(csr.key.generate(kind[1], kind[2]))
      n.keys = n.keys + 1
      local msg = "thread " .. id .. " message " .. i
      if k.sign and k.verify then
        local sig = assert(k:sign(msg))
        assert(k:verify(msg, sig) == true, "own signature does not verify")
        assert(k:verify(msg .. "!", sig) ~= true, "signature verifies another message")
        n.sigs = n.sigs + 1
      end
      if have_req then
        local cn = "t" .. id .. "-" .. i .. "." .. kind[1] .. ".example"
        local r = assert(csr.request.new{subject = {{"CN", cn}}, key = k,
                                         san = {dns = {cn}}})
        assert(r:sign(k))
        local back = assert(csr.request.parse(r:to_pem()))
        assert(back:verify() == true, "CSR does not verify")
        assert(back:subject():get("CN") == cn, "CN lost")
        n.csrs = n.csrs + 1
      end
      if k.close then k:close() end
    end
  end
end
csr.thread_cleanup()
return string.format("keys=%d sigs=%d csrs=%d", n.keys, n.sigs, n.csrs)
