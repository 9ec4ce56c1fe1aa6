-- Runs inside nginx's thread pool through ngx.run_worker_thread (see examples/nginx.conf):
-- RSA key generation takes 0.1-7 s, which would stall every connection of the worker if it
-- ran on the event loop. Each pool thread has its own Lua VM that requires this module.
local csr = require "csr"

local M = {}

-- A CSR for a new RSA key of `bits` bits, subject CN=cn; returns the PEM (the key is dropped
-- here -- a real service would store it, e.g. key:write(path) or key:to_pem{passphrase = ...}).
function M.rsa_csr(cn, bits)
  local key = assert(csr.key.generate("rsa", {bits = bits}))
  local req = assert(csr.request.new{subject = {{"CN", cn}}, key = key})
  assert(req:sign(key))
  local pem = req:to_pem()
  key:close()
  return pem
end

return M
