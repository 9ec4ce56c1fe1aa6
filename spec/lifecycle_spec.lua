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
    churn(200)                                  -- warm-up: allocator pools, caches
    local lua0, rss0 = collectgarbage("count"), rss_kib()
    churn(2000)
    local lua1, rss1 = collectgarbage("count"), rss_kib()
    churn(2000)
    local lua2, rss2 = collectgarbage("count"), rss_kib()
    assert.is_true(lua2 - lua0 < 1024, string.format("Lua heap grew %.0f KiB", lua2 - lua0))
    if rss0 then
      -- a leaked key + request is several KiB: 2000 of them would be > 8 MiB per round
      assert.is_true(rss2 - rss1 < 4096,
                     string.format("RSS grew %d KiB over the second round", rss2 - rss1))
      assert.is_true(rss2 - rss0 < 8192,
                     string.format("RSS grew %d KiB over 4000 rounds", rss2 - rss0))
    end
    assert.is_number(lua1)
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
    local _, msg = csr.key.parse(enc, {passphrase = "wrong"})
    assert.is_string(msg)
    for line in enc:gmatch("[^\n]+") do
      if not line:find("^%-%-%-%-%-") then
        assert.is_nil(msg:find(line:sub(1, 12), 1, true))
      end
    end
    local der = helpers.readfile(helpers.root .. "/spec/fixtures/keys/ec-p256.der")
    local _, m2 = csr.key.parse(der:sub(1, -3))
    assert.is_string(m2)
    assert.is_nil(m2:find(der:sub(-20, -3), 1, true))
    assert.is_true(#m2 < 200, m2)
  end)
end)
