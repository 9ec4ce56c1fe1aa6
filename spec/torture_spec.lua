-- Torture: random call sequences over the whole Lua API (every module function and every
-- method, found at run time from the module tables and metatables) with wrong types, closed
-- objects, wrong self, 1 MB and empty strings, nil, numbers, NaN, tables (also ones whose
-- __index raises), functions, and a full collectgarbage() between steps.
-- Every call must either return — a failure as nil/false, "csr.…" message, numeric code from
-- csr.errors; a bare nil/false only where it is the answer (ANSWERS) — or raise a Lua error (caught by pcall) with a string message; nothing crashes;
-- memory stays bounded once the pool is dropped.
-- Reproduce a run: TORTURE_SEED=<seed printed below> [TORTURE_STEPS=n] busted spec/torture_spec.lua
-- Parses under Lua 5.1 (no goto, //, bit operators; <close> only inside load()).
local csr = require "csr"
local helpers = require "helpers"

local unpack = table.unpack or unpack
local function pack(...) return {n = select("#", ...), ...} end

-- Park-Miller minimal standard PRNG: the same sequence under every Lua version
local Rng = {}
Rng.__index = Rng
function Rng.new(seed)
  local s = math.floor(seed) % 2147483647
  if s <= 0 then s = s + 2147483646 end
  return setmetatable({s = s}, Rng)
end
function Rng:next()                     -- 1 .. 2^31-2
  self.s = (self.s * 16807) % 2147483647
  return self.s
end
function Rng:int(n) return (self:next() % n) + 1 end   -- 1 .. n
function Rng:pick(t) return t[self:int(#t)] end
function Rng:chance(p) return (self:next() % 1000) < p * 1000 end

local SEED = tonumber(os.getenv("TORTURE_SEED") or "") or (os.time() % 2147483646 + 1)
local STEPS = tonumber(os.getenv("TORTURE_STEPS") or "") or 2500

local codes = {}
for _, v in pairs(csr.errors) do codes[v] = true end

-- The calls whose bare nil or false (one result, no message) is an answer, not a failure;
-- the ones that return nothing at all. Any other nil/false must come with a message and a code.
local ANSWERS = {
  ["csr.type"] = true, [":curve"] = true, [":get"] = true, [":signature_algorithm"] = true,
  [":challenge_password"] = true, [":unstructured_name"] = true, [":key_usage"] = true,
  [":extended_key_usage"] = true, [":basic_constraints"] = true,
  [":subject_key_id"] = true, [":authority_key_id"] = true,                 -- absent: nil
  [":is_private"] = true, [":is_signed"] = true, [":matches"] = true,
  [":must_staple"] = true,                                                  -- predicates
}
local NOTHING = {[":close"] = true, ["csr.thread_cleanup"] = true}

-- ---- the value pool --------------------------------------------------------------------------

local MB = string.rep("A", 1024 * 1024)
local MB_BIN = string.rep("\0\255\48\130\1\0\128", 149797)
local evil = setmetatable({}, {__index = function() error("evil __index") end})
local evil_len = setmetatable({}, {__len = function() error("evil __len") end,
                                   __index = function(_, k) if k == 1 then return "CN" end end})
local weird = setmetatable({}, {__index = function(_, k) return k end})

local strings = {
  "", "x", "ec", "ed25519", "ed448", "P-256", "P-384", "P-521", "P-999", "sha256", "sha384",
  "sha512", "sha1", "md5", "pss", "pkcs1", "raw", "der", "CN=x", "/C=US/O=Ex/CN=y",
  "CN=a+OU=b,O=c", "CN=\\", "=", "/", "#", "-----BEGIN CERTIFICATE REQUEST-----\nAAAA\n" ..
  "-----END CERTIFICATE REQUEST-----\n", "-----BEGIN PRIVATE KEY-----\n", "\48\0", "\48\128",
  "\48\130\255\255", "\0", "192.0.2.1", "2001:db8::1", "1.2.3.4", "0.0", "www.example.com",
  "a@b.c", "spiffe://x/y", "digitalSignature", "serverAuth", "\195\164\195\182", "\255\254",
  MB, MB_BIN, string.rep("CN=x,", 20000),
}

local function sample_tables(objs)
  local s = objs.subject
  return {
    {}, {1, 2, 3}, {curve = "P-256"}, {curve = "P-999"}, {curve = 5}, {bits = 1024},
    {bits = "x"}, {public = true}, {public = "yes"}, {digest = "sha384"}, {digest = "md5"},
    {format = "raw"}, {format = "xml"}, {padding = "pss"}, {unknown = 1},
    {passphrase = "wrong"}, {passphrase = 12}, {"CN", "x"}, { {"CN", "x"} },
    { {"C", "US"}, { {"O", "a"}, {"OU", "b"} }, {"CN", "c"} }, { {"CN"} }, { {1, 2} },
    { {"CN", MB} }, { {{{{}}}} }, {subject = "CN=x"}, {subject = s, key = objs.key},
    {key = objs.key, san = {dns = {"a.example"}, ip = {"192.0.2.1", "::1"}}},
    {key = objs.key, san = {ip = {"999.1.1.1"}}}, {key = objs.key, san = {dns = "notalist"}},
    {key = objs.key, key_usage = {"digitalSignature"}, extended_key_usage = {"1.2.3"}},
    {key = objs.key, key_usage = {"bogus"}}, {key = objs.key, basic_constraints = {ca = true,
    pathlen = -1}}, {key = objs.key, extensions = { {oid = "1.2.3.4", value = "\4\0"} }},
    {key = objs.key, extensions = { {oid = "x", value = 1} }}, {key = objs.key,
    challenge_password = MB}, {key = {"ed25519"}, subject = "CN=gen"},
    {key = {"ec", {curve = "P-384"}}}, {key = {"ec", {curve = 1}}}, {key = objs.subject},
    {key = evil}, evil, evil_len, weird, setmetatable({}, {__gc = true}),
    {request = objs.req, issuer_key = objs.key, issuer_cert = objs.cert, days = 1},
    {request = objs.unsigned, issuer_key = objs.key, issuer_cert = objs.cert, copy = {"san"}},
    {request = objs.req, issuer_key = objs.ed, issuer_cert = objs.cert, serial = "zz"},
    {key = objs.ed, ca = true, not_before = 0, not_after = -1}, {key = objs.key, days = 2 ^ 40},
    {private = true}, {kty = "EC", crv = "P-256", x = "AAAA", y = "AAAA"}, {kty = "RSA", n = MB,
    e = "AQAB"}, {kty = "OKP", crv = "Ed25519", x = string.rep("A", 43), d = 1}, {kty = evil},
    {kty = "RSA", oth = evil}, objs.jwk, objs.jwk_private,
  }
end

local function build_objects()
  local o = {}
  o.key = assert(csr.key.generate("ec"))
  o.ed = assert(csr.key.generate("ed25519"))
  o.ed448 = assert(csr.key.generate("ed448"))
  o.pub = assert(o.key:public())
  o.rsa = assert(csr.key.parse(helpers.fixture("keys/rsa2048.pem")))
  o.enc_pem = helpers.fixture("keys/rsa2048-enc.pem")       -- 2048 PBKDF2 iterations: cheap
  o.subject = assert(csr.subject.new("CN=www.example.com,O=Example,C=US"))
  o.req = assert(csr.request.new{subject = o.subject, key = o.key,
                                 san = {dns = {"www.example.com"}}})
  assert(o.req:sign(o.key))
  o.pem = assert(o.req:to_pem())
  o.der = assert(o.req:to_der())
  o.parsed = assert(csr.request.parse(o.pem))
  o.unsigned = assert(csr.request.new{subject = "CN=unsigned", key = o.ed})
  local closed = assert(csr.key.generate("ed25519"))
  closed:close()
  o.closed_key = closed
  local cs = assert(csr.subject.new("CN=closed"))
  cs:close()
  o.closed_subject = cs
  local cr = assert(csr.request.parse(o.pem))
  cr:close()
  o.closed_req = cr
  o.cert = assert(csr.certificate.self_signed{key = o.key, subject = o.subject, ca = true})
  o.cert_pem = o.cert:to_pem()
  local cc = assert(csr.certificate.parse(o.cert_pem))
  cc:close()
  o.closed_cert = cc
  o.key_pem = assert(o.key:to_pem())
  o.pub_der = assert(o.key:to_der{public = true})
  o.jwk = assert(o.key:to_jwk())
  o.jwk_private = assert(o.key:to_jwk{private = true})
  return o
end

-- ---- the call catalogue (found from the module) ----------------------------------------------

local function methods_of(obj)
  local names = {}
  local mt = getmetatable(obj)
  local idx = mt and rawget(mt, "__index")
  if type(idx) == "table" then
    for k, v in pairs(idx) do
      if type(v) == "function" then names[#names + 1] = k end
    end
  end
  table.sort(names)
  return names
end

local function module_functions()
  local fns = {}
  for _, sub in ipairs({"key", "subject", "request", "certificate", "util"}) do
    local names = {}
    for k, v in pairs(csr[sub]) do if type(v) == "function" then names[#names + 1] = k end end
    table.sort(names)
    for _, k in ipairs(names) do
      fns[#fns + 1] = {name = "csr." .. sub .. "." .. k, fn = csr[sub][k]}
    end
  end
  for _, k in ipairs({"generate", "type", "thread_cleanup"}) do
    fns[#fns + 1] = {name = "csr." .. k, fn = assert(csr[k], "csr." .. k .. " is missing")}
  end
  return fns
end

-- no RSA key generation here (seconds per key): replace "rsa" and big bit counts
local function tame(name, args)
  for i = 1, args.n do
    if args[i] == "rsa" then args[i] = "ec" end
  end
  if name == "csr.key.generate" and type(args[2]) == "table" and rawget(args[2], "bits") then
    args[2] = {curve = "P-384"}
  end
  if name == "csr.generate" and type(args[1]) == "table" and rawget(args[1], "key") == "rsa" then
    args[1] = {key = "ed25519"}
  end
  return args
end

local function check_result(what, res)
  if NOTHING[what] then
    assert(res.n == 0, what .. " returned " .. res.n .. " values")
  elseif res[1] == nil or res[1] == false then
    if ANSWERS[what] and res.n == 1 then return end
    if what == ":check" and res[1] == false then       -- req:check: false, {problem, ...}
      assert(res.n == 2 and type(res[2]) == "table" and #res[2] > 0, ":check: no problem list")
      for _, p in ipairs(res[2]) do
        assert(type(p.code) == "string" and type(p.field) == "string" and
               type(p.message) == "string", ":check: a problem without code, field, message")
      end
      return
    end
    assert(res.n == 3, what .. ": a failure with " .. res.n .. " results, not nil, msg, code (" ..
                       tostring(res[2]) .. ")")
    assert(type(res[2]) == "string", what .. ": failure message is a " .. type(res[2]))
    assert(res[2]:sub(1, 4) == "csr.",
           what .. ": failure message does not start with 'csr.': " .. res[2])
    assert(type(res[3]) == "number" and codes[res[3]],
           what .. ": failure code " .. tostring(res[3]) .. " is not in csr.errors (" ..
           res[2] .. ")")
  end
end

describe("torture #torture", function()
  local objs, tables, fns, mnames

  setup(function()
    objs = build_objects()
    tables = sample_tables(objs)
    fns = module_functions()
    mnames = {}
    for _, cls in ipairs({"key", "subject", "req", "cert"}) do
      for _, m in ipairs(methods_of(objs[cls])) do mnames[#mnames + 1] = m end
    end
  end)

  it("random calls with random arguments return a failure triple or raise, never crash",
     function()
    local rng = Rng.new(SEED)
    print(string.format("\ntorture: TORTURE_SEED=%d TORTURE_STEPS=%d (%s)", SEED, STEPS,
                        _VERSION .. (rawget(_G, "jit") and " LuaJIT" or "")))
    -- the object pool grows with results and is capped; old objects become garbage
    local pool = {objs.key, objs.ed, objs.ed448, objs.pub, objs.subject, objs.req, objs.parsed,
                  objs.unsigned, objs.closed_key, objs.closed_subject, objs.closed_req, objs.cert,
                  objs.closed_cert, objs.rsa}
    local spool = {objs.pem, objs.der, objs.key_pem, objs.pub_der, objs.cert_pem, objs.enc_pem}
    local others = {nil, true, false, 0, -1, 1.5, 2 ^ 53, -2 ^ 63, math.huge, -math.huge,
                    0 / 0, print, coroutine.create(function() end), csr}
    local nothers = 14

    local function value()
      local r = rng:int(100)
      if r <= 30 then return rng:pick(pool)
      elseif r <= 55 then return rng:pick(strings)
      elseif r <= 70 then return rng:pick(spool)
      elseif r <= 88 then return rng:pick(tables)
      else return others[rng:int(nothers)] end
    end

    local function args(max)
      local a = {n = rng:int(max + 1) - 1}
      for i = 1, a.n do a[i] = value() end
      return a
    end

    local function remember(res)
      for i = 1, res.n do
        local v = res[i]
        if type(v) == "userdata" and csr.type(v) then
          if #pool < 48 then pool[#pool + 1] = v else pool[rng:int(#pool)] = v end
        elseif type(v) == "string" and #v > 0 then
          if #spool < 24 then spool[#spool + 1] = v else spool[rng:int(#spool)] = v end
        end
      end
    end

    local raised, failed, returned = 0, 0, 0
    local seen = {}
    for step = 1, STEPS do
      local what, fn, a, m
      if rng:chance(0.35) then
        local f = rng:pick(fns)
        what, fn, a = f.name, f.fn, tame(f.name, args(3))
      else
        m = rng:pick(mnames)
        local self = rng:chance(0.85) and rng:pick(pool) or value()
        local meth = nil
        local mt = type(self) == "userdata" and getmetatable(self)
        local idx = mt and rawget(mt, "__index")
        if type(idx) == "table" and rawget(idx, m) then meth = rawget(idx, m) end
        if meth == nil then                     -- wrong self: borrow the method of a class
          for _, o in ipairs({objs.key, objs.subject, objs.req, objs.cert}) do
            local omt = getmetatable(o)
            local oidx = rawget(omt, "__index")
            if rawget(oidx, m) then meth = rawget(oidx, m) end
          end
        end
        a = args(3)
        if m == "write" then                     -- never write where a random string points
          -- numbers too: Lua turns 1.5 or -inf into a file name
          if type(a[1]) == "string" or type(a[1]) == "number" then
            a[1] = helpers.tmpname(".pem")
          end
        end
        local wrapped = {n = a.n + 1, self}
        for i = 1, a.n do wrapped[i + 1] = a[i] end
        what, fn, a = ":" .. m, meth, tame(m, wrapped)
      end
      seen[what] = true
      local res = pack(pcall(fn, unpack(a, 1, a.n)))
      if not res[1] then
        raised = raised + 1
        assert(type(res[2]) == "string",
               string.format("step %d %s raised a non-string error (seed %d)", step, what, SEED))
      else
        local r = {n = res.n - 1}
        for i = 2, res.n do r[i - 1] = res[i] end
        local ok, err = pcall(check_result, what, r)
        if not ok then
          error(string.format("step %d (seed %d): %s", step, SEED, tostring(err)))
        end
        if r[1] == nil and r[2] ~= nil then failed = failed + 1 else returned = returned + 1 end
        remember(r)
        if m == "write" and type(a[2]) == "string" then os.remove(a[2]) end
      end
      collectgarbage()
    end
    local nseen = 0
    for _ in pairs(seen) do nseen = nseen + 1 end
    print(string.format("torture: %d steps over %d functions/methods: %d returned, %d failed " ..
                        "(nil, msg, code), %d raised", STEPS, nseen, returned, failed, raised))
    assert.is_true(raised > 0 and returned > 0)
  end)

  it("every method raises on a closed object and on a wrong self", function()
    objs = build_objects()                      -- the random run closed some of the pool
    for _, cls in ipairs({{objs.key, objs.closed_key}, {objs.subject, objs.closed_subject},
                          {objs.req, objs.closed_req}, {objs.cert, objs.closed_cert}}) do
      local live, closed = cls[1], cls[2]
      for _, m in ipairs(methods_of(live)) do
        local meth = getmetatable(live).__index[m]
        if m ~= "close" then
          local ok, err = pcall(meth, closed)
          assert.is_false(ok, m .. " on a closed object returned")
          assert.is_string(err)
          assert.truthy(err:find("closed", 1, true), m .. ": " .. err)
        else
          assert.has_no.errors(function() meth(closed) end)   -- close is idempotent
        end
        local other = rawequal(objs.subject, live) and objs.key or objs.subject
        for _, wrong in ipairs({"x", 1, {}, other}) do
          local ok = pcall(meth, wrong)
          assert.is_false(ok, m .. " accepted a wrong self")
        end
      end
      assert.is_string(tostring(closed))
    end
  end)

  it("closing inside a loop and collecting with live references is safe", function()
    for i = 1, 200 do
      local k = assert(csr.key.generate(i % 2 == 0 and "ed25519" or "ec"))
      local r = assert(csr.request.new{subject = "CN=t" .. i, key = k})
      if i % 3 == 0 then k:close() end
      if i % 5 == 0 then r:close(); r:close() end
      local ok = pcall(r.sign, r, k)
      if i % 3 == 0 or i % 5 == 0 then assert.is_false(ok) end
      if i % 7 == 0 then collectgarbage() end
    end
    if _VERSION == "Lua 5.4" then
      local chunk = assert(load([[
        local csr = ...
        local n = 0
        for i = 1, 50 do
          local k <close> = assert(csr.key.generate("ed25519"))
          local s <close> = assert(csr.subject.new("CN=close" .. i))
          n = n + #k:fingerprint() + #tostring(s)
        end
        return n
      ]]))
      assert.is_true(chunk(csr) > 0)
    end
  end)

  it("memory stays bounded over repeated failing and succeeding calls", function()
    objs = build_objects()
    local function round()
      for i = 1, 100 do
        csr.request.parse(MB_BIN)
        csr.request.parse(objs.pem:sub(1, 100 + i))
        csr.subject.new(string.rep("CN=x,", i))
        csr.key.parse(objs.key_pem:sub(1, 60 + i))
        pcall(csr.request.new, {key = objs.key, san = {ip = {"bad" .. i}}})
        pcall(csr.key.generate, "ec", evil)
        local r = csr.request.parse(objs.pem)
        r:verify()
        r:text()
        r:subject()
        r:san()
        if i % 25 == 0 then objs.ed:sign(MB) end
      end
      collectgarbage()
      collectgarbage()
      return collectgarbage("count")
    end
    local rss_kb = helpers.rss_kib
    round()
    local base, base_rss = round(), rss_kb()
    local last, last_rss
    for _ = 1, 3 do last, last_rss = round(), rss_kb() end
    print(string.format("torture: Lua heap %.0f KB -> %.0f KB; RSS %s KB -> %s KB", base, last,
                        tostring(base_rss), tostring(last_rss)))
    assert.is_true(last < base + 512, "Lua heap grew from " .. base .. " KB to " .. last)
    if not (base_rss and last_rss) then
      pending("no /proc/self/statm: the RSS cannot be measured here (the Lua heap was)")
    end
    assert.is_true(last_rss < base_rss + 32 * 1024,
                   "RSS grew from " .. base_rss .. " KB to " .. last_rss .. " KB")
  end)
end)
