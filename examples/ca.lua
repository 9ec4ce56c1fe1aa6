-- A tiny CA in the module's API: a CA key and self-signed certificate, a server key and CSR,
-- the policy check, the issued certificate, and its verification by us and by openssl.
--   lua5.4 examples/ca.lua [DIR] [NAME]
-- Writes DIR/ca.key, ca.pem, server.key, server.csr, server.pem (DIR defaults to the current
-- directory, NAME to www.example.com); refuses to overwrite any of them. Keys are mode 0600.
local csr = require "csr"

local dir, name = arg[1] or ".", arg[2] or "www.example.com"

local function fail(...)
  io.stderr:write("ca.lua: ", table.concat({...}, " "), "\n")
  os.exit(1)
end

local function path(file) return dir .. "/" .. file end

local function write(file, data)
  local f = io.open(path(file), "rb")
  if f then f:close() fail(path(file), "exists; not overwriting it") end
  f = assert(io.open(path(file), "wb"))
  f:write(data)
  f:close()
end

for _, f in ipairs{"ca.key", "ca.pem", "server.key", "server.csr", "server.pem"} do
  local h = io.open(path(f), "rb")
  if h then h:close() fail(path(f), "exists; not overwriting it") end
end

-- 1. The CA: a P-384 key and a self-signed certificate (CA:TRUE, keyCertSign + cRLSign), 10 years
local ca_key = assert(csr.key.generate("ec", {curve = "P-384"}))
local ca = assert(csr.certificate.self_signed{key = ca_key, subject = "CN=Example Root CA,O=Example",
                                              days = 3650, ca = true})
assert(ca_key:write(path("ca.key")))
write("ca.pem", ca:to_pem())

-- 2. The applicant: its own key and a signed request for NAME
local key = assert(csr.key.generate("ec", {curve = "P-256"}))
local req = assert(csr.request.new{subject = {{"CN", name}}, key = key, san = {dns = {name}},
                                   key_usage = {"digitalSignature"},
                                   extended_key_usage = {"serverAuth"}})
assert(req:sign(key))
assert(key:write(path("server.key")))
write("server.csr", req:to_pem())

-- 3. The CA's side: parse what arrived, check it against the policy, issue for 90 days
local got = assert(csr.request.parse(req:to_pem()))
local ok, problems = got:check()
if not ok then
  for _, p in ipairs(problems) do io.stderr:write(p.code, " ", p.field, ": ", p.message, "\n") end
  fail("the request fails the policy")
end
local cert = assert(csr.certificate.issue{request = got, issuer_key = ca_key, issuer_cert = ca,
                                          days = 90})
write("server.pem", cert:to_pem())

-- 4. Verification: ours, then openssl's (when installed)
assert(cert:verify(ca))
print(string.format("issued %s, serial %s, valid until %s UTC", tostring(cert:subject()),
                    cert:serial(), os.date("!%Y-%m-%d %H:%M", cert:not_after())))
print("csr verify: OK")
local quote = function(s) return "'" .. s:gsub("'", "'\\''") .. "'" end
local okv = os.execute("openssl version >/dev/null 2>&1")
if okv == true or okv == 0 then
  local r = os.execute("openssl verify -CAfile " .. quote(path("ca.pem")) .. " " ..
                       quote(path("server.pem")))
  if not (r == true or r == 0) then fail("openssl verify failed") end
else
  print("openssl verify: skipped (openssl is not installed)")
end
