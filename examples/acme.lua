-- ACME-style: a fresh key and a CSR for the domains on the command line.
--   lua5.4 examples/acme.lua [--out DIR] [--rsa] [--must-staple] domain [domain ...]
-- Writes DIR/key.pem (PKCS#8, mode 0600, via key:write) and DIR/csr.pem (DIR defaults to the
-- current directory). Refuses to overwrite either file. The first domain is also the CN.
local csr = require "csr"

local function usage()
  io.stderr:write("usage: acme.lua [--out DIR] [--rsa] [--must-staple] domain [domain ...]\n")
  os.exit(2)
end

local function fail(...)
  io.stderr:write("acme: ", table.concat({...}, " "), "\n")
  os.exit(1)
end

local dir, rsa, staple, domains = ".", false, false, {}
local i = 1
while arg[i] do
  local a = arg[i]
  if a == "--out" then
    dir = arg[i + 1] or usage()
    i = i + 1
  elseif a == "--rsa" then
    rsa = true
  elseif a == "--must-staple" then
    staple = true
  elseif a:sub(1, 1) == "-" then
    usage()
  else
    domains[#domains + 1] = a:lower()
  end
  i = i + 1
end
if #domains == 0 then usage() end

local key_path, csr_path = dir .. "/key.pem", dir .. "/csr.pem"
for _, p in ipairs({key_path, csr_path}) do
  local f = io.open(p, "rb")
  if f then
    f:close()
    fail(p, "exists; not overwriting it")
  end
end

local key, err, req, ok
if rsa then
  key, err = csr.key.generate("rsa", {bits = 3072})
else
  key, err = csr.key.generate("ec", {curve = "P-256"})
end
if not key then fail(err) end

req, err = csr.request.new{
  subject = { {"CN", domains[1]} },
  key = key,
  san = {dns = domains},
  must_staple = staple or nil,
}
if not req then fail(err) end
ok, err = req:sign(key)
if not ok then fail(err) end
local pem = req:to_pem()

-- the key first: key:write creates the file with O_EXCL and mode 0600
ok, err = key:write(key_path)
if not ok then fail(err) end
local f
f, err = io.open(csr_path, "wb")
if not f then fail(err) end
f:write(pem)
f:close()
key:close()

print("wrote " .. key_path .. " (private key, mode 0600) and " .. csr_path)
print("domains: " .. table.concat(domains, " "))
