-- Object lifetime (README "Object lifetime and secrets"): close() is idempotent, a closed
-- object raises "closed" on use and prints without crashing, <close> frees at once (5.4),
-- __gc frees without leaking, getters return independent copies, tostring shows no key bytes.
local csr = require "csr"
local helpers = require "helpers"

local function fx(name)
  return helpers.fixture("keys/" .. name)
end

local function assert_raises_closed(f, class)
  local ok, err = pcall(f)
  assert.is_false(ok, "expected a raise")
  assert.is_truthy(tostring(err):find("closed " .. class, 1, true), tostring(err))
end

local port = require "spec.port"
local rss_kib = helpers.rss_kib         -- resident set size in KiB (Linux); nil elsewhere

local function full_gc()
  collectgarbage("collect")
  collectgarbage("collect")
end

describe("lifecycle: close", function()
  it("closing twice is fine for key, subject and request", function()
    local k = assert(csr.key.generate())
    local s = csr.subject.new("CN=x")
    local r = assert(csr.request.new({key = k, subject = s}))
    assert.has_no.errors(function() r:close(); r:close() end)
    assert.has_no.errors(function() s:close(); s:close() end)
    assert.has_no.errors(function() k:close(); k:close() end)
  end)

  it("use after close raises 'closed' for a key", function()
    local k = assert(csr.key.generate())
    k:close()
    assert_raises_closed(function() k:type() end, "csr.key")
    assert_raises_closed(function() k:to_pem() end, "csr.key")
    assert_raises_closed(function() k:sign("x") end, "csr.key")
    assert_raises_closed(function() k:public() end, "csr.key")
  end)

  it("use after close raises 'closed' for a subject", function()
    local s = csr.subject.new("CN=x")
    s:close()
    assert_raises_closed(function() s:entries() end, "csr.subject")
    assert_raises_closed(function() s:add("O", "y") end, "csr.subject")
    assert_raises_closed(function() s:to_der() end, "csr.subject")
  end)

  it("use after close raises 'closed' for a request", function()
    local k = assert(csr.key.generate())
    local r = assert(csr.request.new({key = k}))
    assert(r:sign(k))
    r:close()
    assert_raises_closed(function() r:to_pem() end, "csr.request")
    assert_raises_closed(function() r:verify() end, "csr.request")
    assert_raises_closed(function() r:subject() end, "csr.request")
    assert_raises_closed(function() r:sign(k) end, "csr.request")
  end)

  it("tostring of closed objects does not crash and says closed", function()
    local k = assert(csr.key.generate())
    local s = csr.subject.new("CN=x")
    local r = assert(csr.request.new({key = k, subject = s}))
    k:close(); s:close(); r:close()
    assert.are.equal("csr.key (closed)", tostring(k))
    assert.are.equal("csr.subject (closed)", tostring(s))
    assert.are.equal("csr.request (closed)", tostring(r))
    assert.are.equal("key", csr.type(k))
    assert.are.equal("subject", csr.type(s))
    assert.are.equal("request", csr.type(r))
  end)

  it("a closed object collected by the GC is fine", function()
    for _ = 1, 50 do
      local k = assert(csr.key.generate())
      local r = assert(csr.request.new({key = k}))
      r:close()
      k:close()
    end
    assert.has_no.errors(full_gc)
  end)
end)

describe("lifecycle: <close> (Lua 5.4)", function()
  it("frees key, subject and request at the end of the block", function()
    if _VERSION ~= "Lua 5.4" then
      pending("<close> needs Lua 5.4")
      return
    end
    local chunk = assert(load([[
      local csr = ...
      local kk, ss, rr
      do
        local k <close> = assert(csr.key.generate())
        local s <close> = csr.subject.new("CN=x")
        local r <close> = assert(csr.request.new({key = k, subject = s}))
        assert(r:sign(k))
        kk, ss, rr = k, s, r
        assert(tostring(k) ~= "csr.key (closed)")
      end
      return kk, ss, rr
    ]], "=close_chunk", "t"))
    local k, s, r = chunk(csr)
    assert.are.equal("csr.key (closed)", tostring(k))
    assert.are.equal("csr.subject (closed)", tostring(s))
    assert.are.equal("csr.request (closed)", tostring(r))
    assert_raises_closed(function() k:type() end, "csr.key")
    assert_raises_closed(function() s:count() end, "csr.subject")
    assert_raises_closed(function() r:to_der() end, "csr.request")
  end)

  it("closes on an error unwinding the block", function()
    if _VERSION ~= "Lua 5.4" then
      pending("<close> needs Lua 5.4")
      return
    end
    local chunk = assert(load([[
      local csr, out = ...
      local k <close> = assert(csr.key.generate())
      out.k = k
      error("boom")
    ]], "=close_err", "t"))
    local out = {}
    local ok, err = pcall(chunk, csr, out)
    assert.is_false(ok)
    assert.matches("boom", err)
    assert.are.equal("csr.key (closed)", tostring(out.k))
  end)
end)

describe("lifecycle: GC churn", function()
  -- C memory is not in collectgarbage("count"): watch the process RSS instead.
  -- (signing is sampled: req:sign with a fresh EC key costs ~7 ms here, because the
  -- request re-parses its SPKI and a second wc_ecc_check_key on one point builds an FP_ECC table)
  local der
  local function churn(n)
    for i = 1, n do
      local k = assert(csr.key.generate())
      local s = csr.subject.new({{"O", "Example"}, {"CN", "host" .. i .. ".example"}})
      local r = assert(csr.request.new({key = k, subject = s, san = {dns = {"a.example"}}}))
      if i % 20 == 0 or der == nil then
        assert(r:sign(k))
        der = assert(r:to_der())
      end
      local p = assert(csr.request.parse(der))
      local sub = p:subject()
      local pk = p:public_key()
      assert(sub and pk)
      if i % 250 == 0 then collectgarbage("collect") end
    end
    full_gc()
  end

  it("2000 keys/subjects/requests are all freed (Lua heap and RSS bounded)", function()
    if not rss_kib() then pending("no /proc/self/statm: the RSS cannot be measured here") end
    local n = os.getenv("CSR_UNDER_VALGRIND") and 100 or 2000
    churn(n / 10)                               -- warm-up: allocator pools, caches
    local lua0, rss0 = collectgarbage("count"), rss_kib()
    churn(n)
    local lua1, rss1 = collectgarbage("count"), rss_kib()
    churn(n)
    local lua2, rss2 = collectgarbage("count"), rss_kib()
    assert.is_true(lua2 - lua0 < 1024, string.format("Lua heap grew %.0f KiB", lua2 - lua0))
    assert.is_true(lua2 - lua1 < 512, string.format("Lua heap grew %.0f KiB", lua2 - lua1))
    -- a leaked key + request is several KiB: 2000 of them would be > 8 MiB per round
    assert.is_true(rss2 - rss1 < 4096,
                   string.format("RSS grew %d KiB over the second round", rss2 - rss1))
    assert.is_true(rss2 - rss0 < 8192,
                   string.format("RSS grew %d KiB over two rounds", rss2 - rss0))
  end)

  it("objects dropped without close are collected (subjects alone)", function()
    full_gc()
    local lua0 = collectgarbage("count")
    for i = 1, 2000 do
      local s = csr.subject.new("CN=n" .. i .. ",O=Example,C=US")
      assert(s:to_der())
    end
    full_gc()
    assert.is_true(collectgarbage("count") - lua0 < 512)
  end)
end)

-- What each call allocates in C and does not free, counted exactly: spec/threads/counthost.c
-- counts the blocks allocated through wolfSSL's allocator (wolfCrypt and the C core) and runs
-- COUNT_SCRIPT, which repeats each operation in rounds of n calls (objects dropped and
-- collected) and prints the blocks still live after a warm-up round and after two more.
-- A one-buffer-per-call leak shows as 2 * n more blocks.
-- (the host passes no arguments: the spec puts "local fixtures = <dir>" in front)
local COUNT_SCRIPT = [=[
local csr = require "csr"
local function rd(name)
  local f = assert(io.open(fixtures .. name, "rb"))
  local s = f:read("*a")
  f:close()
  return s
end
local ec_pem = rd("ec-p256.pem")
local enc_pem = rd("rsa2048-enc.pem")           -- openssl's 2048 PBKDF2 iterations: cheap
local ec = assert(csr.key.parse(ec_pem))
local rsa = assert(csr.key.parse(rd("rsa2048.pem")))
local req = assert(csr.request.new{key = ec, subject = "CN=leak.example,O=Example",
                                   san = {dns = {"a.example"}, ip = {"192.0.2.1"}},
                                   key_usage = {"digitalSignature"}})
assert(req:sign(ec))
local pem = req:to_pem()
local ops = {
  {"csr.key.parse", 200, function() assert(csr.key.parse(ec_pem)) end},
  {"csr.key.generate", 200, function()
    assert(csr.key.generate("ed25519")); assert(csr.key.generate("ec"))
  end},
  {"key:sign and key:verify (EC, RSA PSS)", 100, function()
    assert(ec:verify("m", assert(ec:sign("m"))))
    assert(rsa:verify("m", assert(rsa:sign("m", {padding = "pss"})), {padding = "pss"}))
  end},
  {"key:to_pem, key:public, encrypted keys both ways", 3, function()
    assert(ec:to_pem{passphrase = "pw"})       -- our export: 0.1 s of PBKDF2, hence n = 3
    assert(csr.key.parse(enc_pem, {passphrase = "secret"}))
    assert(ec:to_pem() and ec:to_der{public = true} and ec:public():fingerprint())
  end},
  {"csr.request.parse, verify and every getter", 200, function()
    local p = assert(csr.request.parse(pem))
    assert(p:verify())
    assert(p:subject() and p:san() and p:public_key() and p:text() and p:extensions())
    assert(p:attributes() and p:key_usage() and p:matches(ec))
  end},
  {"csr.request.new, sign, to_der, to_pem", 200, function()
    local r = assert(csr.request.new{key = ec, subject = "CN=x", san = {dns = {"b.example"}}})
    assert(r:sign(ec))
    assert(r:to_der() and r:to_pem())
  end},
  {"csr.subject.new, add, to_der, tostring", 200, function()
    local s = assert(csr.subject.new("CN=x,O=y,C=US"))
    assert(s:add("OU", "z") and s:to_der() and tostring(s))
  end},
  {"failing calls", 200, function()
    assert(not csr.request.parse(pem:sub(1, 200)))
    assert(not csr.key.parse("junk"))
    assert(not csr.subject.new("C=USA"))
    assert(not csr.key.parse(enc_pem, {passphrase = "wrong"}))
    assert(not pcall(csr.key.generate, "dsa"))
  end},
}
for i, op in ipairs(ops) do
  local function round(n)
    for j = 1, n do
      op[3]()
      if j % 50 == 0 then collectgarbage() end
    end
    collectgarbage()
    collectgarbage()
    return wolf_live()
  end
  round(op[2])
  local a = round(op[2])
  local b = round(op[2])
  print(string.format("op %d live %d %d calls %d", i, a, b, 2 * op[2]))
end
print("done")
]=]

describe("lifecycle: C memory per call (wolfSSL allocations counted)", function()
  local OPS = {"csr.key.parse", "csr.key.generate", "key:sign and key:verify (EC, RSA PSS)",
               "key:to_pem, key:public, encrypted keys both ways",
               "csr.request.parse, verify and every getter",
               "csr.request.new, sign, to_der, to_pem", "csr.subject.new, add, to_der, tostring",
               "failing calls"}
  local results, out

  local function run()
    if results then return end
    results = {}
    local host = port.build_host("counthost", "wolfssl")
    local script = helpers.tmpfile("local fixtures = " ..
      string.format("%q", port.root .. "/spec/fixtures/keys/") .. "\n" .. COUNT_SCRIPT, ".lua")
    local ok
    ok, out = helpers.run(helpers.shellquote(host) .. " " .. helpers.shellquote(port.cpath()) ..
                          " " .. helpers.shellquote(script))
    os.remove(script)
    assert(ok and out:find("\ndone\n?$"), out)
    for i, a, b, n in out:gmatch("op (%d+) live (%-?%d+) (%-?%d+) calls (%d+)") do
      results[tonumber(i)] = {tonumber(a), tonumber(b), tonumber(n)}
    end
  end

  for i, name in ipairs(OPS) do
    it(name .. ": no block left behind", function()
      run()
      local r = results[i]
      assert.is_not_nil(r, out)
      assert.are.equal(r[1], r[2], string.format("%s: %d wolfSSL blocks more after %d calls",
                       name, r[2] - r[1], r[3]))
    end)
  end
end)

describe("lifecycle: independent copies", function()
  local k

  before_each(function()
    k = assert(csr.key.generate())
  end)

  it("closing req:subject() does not affect the request", function()
    local r = assert(csr.request.new({key = k, subject = "CN=x,O=Example"}))
    assert(r:sign(k))
    local s = r:subject()
    s:close()
    assert.are.equal("CN=x,O=Example", tostring(r:subject()))
    assert.is_true(r:verify())
    local p = assert(csr.request.parse(r:to_pem()))
    local ps = p:subject()
    ps:close()
    assert.are.equal("CN=x,O=Example", tostring(p:subject()))
    assert.is_true(p:verify())
  end)

  it("changing req:subject() does not change the request", function()
    local r = assert(csr.request.new({key = k, subject = "CN=x"}))
    local s = r:subject()
    s:add("O", "Changed")
    assert.are.equal("CN=x", tostring(r:subject()))
  end)

  it("a subject used to build a request is copied in", function()
    local s = csr.subject.new("CN=x")
    local r = assert(csr.request.new({key = k, subject = s}))
    s:add("O", "Later")
    s:close()
    assert(r:sign(k))
    assert.are.equal("CN=x", tostring(r:subject()))
    local p = assert(csr.request.parse(r:to_der()))
    assert.are.equal("CN=x", tostring(p:subject()))
  end)

  it("closing the key used to build a request does not break to_pem/verify", function()
    local r = assert(csr.request.new({key = k, subject = "CN=x"}))
    assert(r:sign(k))
    local fp = k:fingerprint()
    k:close()
    local pem = assert(r:to_pem())
    assert.is_true(r:verify())
    local p = assert(csr.request.parse(pem))
    assert.is_true(p:verify())
    assert.are.equal(fp, p:public_key():fingerprint())
  end)

  it("closing the key between new and sign keeps the request's public key", function()
    local r = assert(csr.request.new({key = k, subject = "CN=x"}))
    local pem = k:to_pem()
    k:close()
    local again = assert(csr.key.parse(pem))
    assert.is_true(r:sign(again))
    assert.is_true(r:verify())
  end)

  it("closing req:public_key() does not affect the request, nor key:public() the key", function()
    local r = assert(csr.request.new({key = k}))
    assert(r:sign(k))
    local pk = r:public_key()
    pk:close()
    assert.is_true(r:verify())
    assert.is_true(r:matches(k))
    local pub = k:public()
    pub:close()
    assert.is_true(k:is_private())
    assert.is_string(k:to_pem())
  end)

  it("the key returned by csr.generate outlives the internals", function()
    local pem, key = csr.generate({subject = "CN=gen"})
    assert.is_string(pem)
    full_gc()
    local p = assert(csr.request.parse(pem))
    assert.is_true(p:matches(key))
    assert.is_true(p:verify())
  end)

  it("results from san(), extensions() are plain tables the caller owns", function()
    local r = assert(csr.request.new({key = k, san = {dns = {"a.example"}}}))
    assert(r:sign(k))
    local p = assert(csr.request.parse(r:to_der()))
    local san = p:san()
    san.dns[1] = "evil.example"
    assert.are.same({dns = {"a.example"}}, p:san())
    local ext = p:extensions()
    ext[1].value = "x"
    assert.are_not.equal("x", p:extensions()[1].value)
  end)
end)

describe("lifecycle: tostring(key) shows no key material", function()
  local function windows(s, width)
    local t = {}
    for i = 1, #s - width + 1, width do t[#t + 1] = s:sub(i, i + width - 1) end
    return t
  end

  local function check_key(k)
    local str = tostring(k)
    assert.matches("^csr%.key %(", str)
    assert.is_true(#str < 64, str)
    local pem = k:to_pem()
    for line in pem:gmatch("[^\n]+") do
      if not line:find("^%-%-%-%-%-") then
        assert.is_nil(str:find(line:sub(1, 8), 1, true), "PEM text in tostring: " .. str)
      end
    end
    local hex = helpers.tohex(k:to_der())
    for _, w in ipairs(windows(hex, 8)) do
      assert.is_nil(str:lower():find(w, 1, true), "DER hex in tostring: " .. str)
    end
    -- the public half too
    local pub = k:public()
    local pstr = tostring(pub)
    assert.matches("public", pstr)
    assert.is_nil(pstr:find(helpers.tohex(pub:to_der()):sub(-16), 1, true))
  end

  it("for generated EC, Ed25519, Ed448 keys", function()
    check_key(assert(csr.key.generate("ec", {curve = "P-256"})))
    check_key(assert(csr.key.generate("ec", {curve = "P-521"})))
    check_key(assert(csr.key.generate("ed25519")))
    check_key(assert(csr.key.generate("ed448")))
  end)

  it("for a parsed RSA key", function()
    local k = assert(csr.key.parse(fx("rsa2048.pem")))
    check_key(k)
    assert.are.equal("csr.key (rsa 2048, private)", tostring(k))
  end)

  it("error messages from parsing never echo the key", function()
    local enc = fx("ec-p256-enc.pem")
    local _, msg, code = csr.key.parse(enc, {passphrase = "wrong"})
    assert.are.equal(csr.errors.PASSPHRASE, code)
    for line in enc:gmatch("[^\n]+") do
      if not line:find("^%-%-%-%-%-") then
        assert.is_nil(msg:find(line:sub(1, 12), 1, true))
      end
    end
    local der = helpers.readfile(helpers.root .. "/spec/fixtures/keys/ec-p256.der")
    local _, m2, c2 = csr.key.parse(der:sub(1, -3))
    assert.are.equal(csr.errors.BAD_DER, c2)
    assert.is_nil(m2:find(der:sub(-20, -3), 1, true))
    assert.is_true(#m2 < 200, m2)
  end)
end)
