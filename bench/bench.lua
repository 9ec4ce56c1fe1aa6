-- make bench: lua-csr per-operation cost, next to the raw wolfCrypt cost (bench/raw.c) and to
-- luaossl (OpenSSL 3 through Lua) doing the same job, in one run.
-- Usage: lua5.4 bench/bench.lua <raw-output-file> <rsa2048-key.pem> [seconds]
-- package.cpath is set by the Makefile to the freshly built module
local csr = require "csr"

local rawfile, rsapath, budget = arg[1], arg[2], tonumber(arg[3] or "0.5")

local function readfile(p)
  local f = assert(io.open(p, "rb"))
  local s = f:read("*a")
  f:close()
  return s
end

local clock = os.clock   -- CPU time of this process: what the operation costs

local function bench(fn)
  fn()                                   -- warm-up (first P-256 use builds tables)
  local n, t0 = 0, clock()
  local t
  repeat
    fn()
    n = n + 1
    t = clock() - t0
  until t >= budget
  return t * 1e6 / n
end

local raw = {}
if rawfile then
  for name, us in readfile(rawfile):gmatch("(%S+) (%S+)\n") do raw[name] = tonumber(us) end
end

local okossl, ossl = pcall(function()
  return {pkey = require "openssl.pkey", csr = require "openssl.x509.csr",
          name = require "openssl.x509.name", altname = require "openssl.x509.altname"}
end)
if not okossl then ossl = nil end

local msg = string.rep("Z", 400)
local rsa_pem = rsapath and readfile(rsapath)

local function ours_key(kind)
  if kind == "rsa2048" then return assert(csr.key.parse(rsa_pem)) end
  if kind == "p256" then return assert(csr.key.generate("ec", {curve = "P-256"})) end
  if kind == "p384" then return assert(csr.key.generate("ec", {curve = "P-384"})) end
  return assert(csr.key.generate("ed25519"))
end

local function ours_csr(key)
  local r = assert(csr.request.new{
    subject = {{"C", "US"}, {"O", "Example Inc"}, {"CN", "www.example.com"}},
    key = key,
    san = {dns = {"www.example.com", "example.com"}, ip = {"192.0.2.1"}},
    key_usage = {"digitalSignature"}, extended_key_usage = {"serverAuth"},
  })
  assert(r:sign(key))
  return r:to_pem()
end

local function ossl_key(kind)
  if kind == "rsa2048" then return ossl.pkey.new(rsa_pem) end
  if kind == "p256" then return ossl.pkey.new{type = "EC", curve = "prime256v1"} end
  if kind == "p384" then return ossl.pkey.new{type = "EC", curve = "secp384r1"} end
  return ossl.pkey.new{type = "ED25519"}
end

local function ossl_csr(key, kind)
  local r = ossl.csr.new()
  r:setVersion(1)
  local n = ossl.name.new()
  n:add("C", "US"); n:add("O", "Example Inc"); n:add("CN", "www.example.com")
  r:setSubject(n)
  local alt = ossl.altname.new()
  alt:add("DNS", "www.example.com"); alt:add("DNS", "example.com"); alt:add("IP", "192.0.2.1")
  r:setSubjectAlt(alt)
  r:setPublicKey(key)
  if kind == "ed25519" then r:sign(key) else r:sign(key, kind == "p384" and "sha384" or
    "sha256") end
  return tostring(r)
end

local rows = {}
local function row(op, ours, rawkey, theirs)
  rows[#rows + 1] = {op, ours, rawkey and raw[rawkey], theirs}
end

local kinds = {"p256", "p384", "ed25519"}
if rsa_pem then kinds[#kinds + 1] = "rsa2048" end
for _, kind in ipairs(kinds) do
  if kind ~= "rsa2048" then
    local ck = kind == "p256" and {"ec", {curve = "P-256"}} or kind == "p384" and
               {"ec", {curve = "P-384"}} or {"ed25519"}
    row(kind .. " keygen", bench(function() csr.key.generate(ck[1], ck[2]):close() end),
        kind .. "_keygen", ossl and bench(function() ossl_key(kind) end))
  end
  local k = ours_key(kind)
  row(kind .. " sign 400 B", bench(function() k:sign(msg) end), kind .. "_sign",
      ossl and (function()
        local ok_ = ossl_key(kind)
        if kind == "ed25519" then return nil end
        local d = require("openssl.digest")
        local md = kind == "p384" and "sha384" or "sha256"
        return bench(function() local h = d.new(md); h:update(msg); ok_:sign(h) end)
      end)())
  local sig = k:sign(msg)
  row(kind .. " verify 400 B", bench(function() assert(k:verify(msg, sig)) end),
      kind .. "_verify", nil)
  row(kind .. " CSR build+sign", bench(function() ours_csr(k) end), kind .. "_sign",
      ossl and (function() local ok_ = ossl_key(kind)
        if not pcall(ossl_csr, ok_, kind) then return nil end   -- e.g. no EdDSA CSRs
        return bench(function() ossl_csr(ok_, kind) end) end)())
  local pem = ours_csr(k)
  row(kind .. " CSR parse+verify", bench(function()
    local r = assert(csr.request.parse(pem)); assert(r:verify()); r:close() end),
    kind .. "_verify",
    ossl and (function()
      if not pcall(function() return ossl.csr.new(pem):getPublicKey() end) then return nil end
      return bench(function()
        local r = ossl.csr.new(pem); local pk = r:getPublicKey(); return pk end) end)())
  k:close()
end

print(string.format("lua-csr %s, wolfSSL %s, %s; CPU time per operation (%.1f s budget each)",
                    csr._VERSION, csr.wolfssl_version, _VERSION, budget))
print(string.format("%-24s %12s %12s %9s %12s %9s", "operation", "lua-csr us", "wolfCrypt us",
                    "x raw", "luaossl us", "x luaossl"))
for _, r in ipairs(rows) do
  local op, ours, rw, th = r[1], r[2], r[3], r[4]
  print(string.format("%-24s %12.1f %12s %9s %12s %9s", op, ours,
                      rw and string.format("%.1f", rw) or "-",
                      rw and string.format("%.2f", ours / rw) or "-",
                      th and string.format("%.1f", th) or "-",
                      th and string.format("%.2f", ours / th) or "-"))
end
print("x raw: lua-csr / raw wolfCrypt for the same public-key operation (the rest is our DER,")
print("       PEM, Lua and allocation overhead). luaossl parse+verify only loads and extracts the")
print("       key (luaossl has no CSR self-signature check), so that ratio flatters luaossl.")
