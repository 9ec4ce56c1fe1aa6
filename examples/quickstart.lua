-- Quick start: a P-256 key and a signed CSR for one domain, checked by parsing it back.
--   lua5.4 examples/quickstart.lua [domain]        (make demo runs it for example.com)
-- Prints the CSR (PEM) and the key's fingerprint; the private key itself is never printed.
local csr = require "csr"

local domain = (arg and arg[1]) or "example.com"

local function fail(...)
  io.stderr:write("quickstart: ", table.concat({...}, " "), "\n")
  os.exit(1)
end

local key, err = csr.key.generate("ec", {curve = "P-256"})
if not key then fail(err) end

local req
req, err = csr.request.new{
  subject = { {"CN", domain} },
  key = key,
  san = {dns = {domain}},
  key_usage = {"digitalSignature"},
  extended_key_usage = {"serverAuth"},
}
if not req then fail(err) end
local ok
ok, err = req:sign(key)
if not ok then fail(err) end

local pem = req:to_pem()
io.write(pem)
print("key: " .. tostring(key) .. ", SHA-256 fingerprint " .. key:fingerprint())

-- what a CA would do with it: parse, check proof of possession, read the fields
local back
back, err = csr.request.parse(pem)
if not back then fail(err) end
ok, err = back:verify()
if not ok then fail("signature does not verify:", err) end
if not back:matches(key) then fail("the request does not carry our key") end
print("verified: subject " .. tostring(back:subject()) .. ", DNS " ..
      table.concat(back:san().dns or {}, " ") .. ", " .. back:signature_algorithm())
