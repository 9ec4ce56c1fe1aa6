-- One process making a P-256 key and a CSR, PEM to stdout: make bench's "process-p256" case
-- (against `openssl req -new -newkey ec`). Usage: lua5.4 bench/new.lua <package.cpath>
package.cpath = arg[1] .. ";" .. package.cpath
local csr = require "csr"
local key = assert(csr.key.generate("ec", {curve = "P-256"}))
local req = assert(csr.request.new{subject = {{"CN", "www.example.com"}}, key = key,
                                   san = {dns = {"www.example.com"}}})
assert(req:sign(key))
io.write(key:to_pem(), req:to_pem())
