-- make bench's cases (bench/bench.lua runs them): inputs, what lua-csr and luaossl do for each,
-- the human table with the targets, and the memory run. core-c does the same in bench/core.c.
local M = {}

local KINDS = {
  rsa2048 = {"rsa", {bits = 2048}, {type = "RSA", bits = 2048}},
  p256 = {"ec", {curve = "P-256"}, {type = "EC", curve = "prime256v1"}},
  p384 = {"ec", {curve = "P-384"}, {type = "EC", curve = "secp384r1"}},
  ed25519 = {"ed25519", nil, {type = "ED25519"}},
  ed448 = {"ed448", nil, {type = "ED448"}},
}
local KEYGEN = {"rsa2048", "p256", "p384", "ed25519", "ed448"}
local POOLS = {"rsa2048", "p256", "p384", "ed25519"}
local POOL_SIZE = 64        -- distinct keys: no per-key cache flatters anyone
local WARM = 3 * POOL_SIZE  -- pool cases warm up over the pool thrice (as bench/core.c):
                            -- Debian's FP_ECC builds a key's tables on its second use

local function readfile(p)
  local f = io.open(p, "rb")
  if not f then return nil end
  local s = f:read("*a")
  f:close()
  return s
end

local function writefile(p, s)        -- whole or nothing: a stopped run leaves no half file
  local f = assert(io.open(p .. ".tmp", "wb"))
  assert(f:write(s))
  assert(f:close())
  assert(os.rename(p .. ".tmp", p))
end

-- the request every case builds: three subject attributes, three SANs, KU, EKU. Its option
-- table is data, made once per case as core-c's spec is (bench/core.c: a static SAN array):
-- the timed work is the binding reading it, the build, the signature and the PEM. (Making the
-- table in plain Lua costs about 11 000 instructions per request, callgrind.)
local function csr_opts(key, cn)
  return {
    subject = {{"C", "US"}, {"O", "Example Inc"}, {"CN", cn or "www.example.com"}},
    key = key,
    san = {dns = {"www.example.com", "example.com"}, ip = {"192.0.2.1"}},
    key_usage = {"digitalSignature"}, extended_key_usage = {"serverAuth"},
  }
end
local PSS = {padding = "pss"}

local function ours_csr(csr, opts, pss)
  local r = assert(csr.request.new(opts))
  assert(r:sign(opts.key, pss and PSS or nil))
  local pem = r:to_pem()
  r:close()
  return pem
end

local function ossl_csr(ossl, key, kind)
  local r = ossl.csr.new()
  r:setVersion(1)
  local n = ossl.name.new()
  n:add("C", "US"); n:add("O", "Example Inc"); n:add("CN", "www.example.com")
  r:setSubject(n)
  local alt = ossl.altname.new()
  alt:add("DNS", "www.example.com"); alt:add("DNS", "example.com"); alt:add("IP", "192.0.2.1")
  r:setSubjectAlt(alt)
  r:setPublicKey(key)
  r:sign(key, kind == "p384" and "sha384" or "sha256")
  return tostring(r)
end

-- Keys and pools are made once per build directory (RSA pools take a while) and reused.
function M.setup(csr, ossl, data, cpath, core_bin)
  local ctx = {csr = csr, ossl = ossl, data = data, cpath = cpath, core_bin = core_bin,
               keys = {}, okeys = {}, pool = {}}
  for _, kind in ipairs(KEYGEN) do
    local path = data .. "/key-" .. kind .. ".pem"
    local pem = readfile(path)
    if not pem then
      local k = assert(csr.key.generate(KINDS[kind][1], KINDS[kind][2]))
      pem = k:to_pem()
      writefile(path, pem)
    end
    ctx.keys[kind] = assert(csr.key.parse(pem))
    if ossl then ctx.okeys[kind] = ossl.pkey.new(pem) end
  end
  for _, kind in ipairs(POOLS) do
    local path = data .. "/pool-" .. kind .. ".pem"
    local text = readfile(path)
    if not text then
      io.stderr:write("making ", POOL_SIZE, " ", kind, " keys and CSRs (once) ...\n")
      local t = {}
      for i = 1, POOL_SIZE do
        local k = assert(csr.key.generate(KINDS[kind][1], KINDS[kind][2]))
        t[i] = ours_csr(csr, csr_opts(k, "host" .. i .. ".example.com"))
        k:close()
      end
      text = table.concat(t)
      writefile(path, text)
    end
    local list = {}
    for pem in text:gmatch("%-%-%-%-%-BEGIN.-%-%-%-%-%-END [^\n]*\n") do list[#list + 1] = pem end
    assert(#list == POOL_SIZE, path .. ": " .. #list .. " CSRs")
    ctx.pool[kind] = list
  end
  return ctx
end

local function cycle(list, fn)
  local i, n = 0, #list
  return function() i = i % n + 1; return fn(list[i]) end
end

function M.list(ctx)
  local csr, ossl = ctx.csr, ctx.ossl
  local L = {}
  local function add(c) L[#L + 1] = c end
  for _, kind in ipairs(KEYGEN) do
    local t, o, oo = KINDS[kind][1], KINDS[kind][2], KINDS[kind][3]
    -- RSA key generation varies by the prime search: a longer budget averages it
    add{name = "keygen-" .. kind, scale = kind == "rsa2048" and 4 or nil,
        note = kind == "rsa2048" and "4x the budget (prime search varies)" or nil,
        ours = function() csr.key.generate(t, o):close() end,
        ossl = ossl and function() return ossl.pkey.new(oo) end}
  end
  for _, c in ipairs{{"rsa2048"}, {"rsa2048", true}, {"p256"}, {"p384"}, {"ed25519"},
                     {"ed448"}} do
    local kind, pss = c[1], c[2]
    local k, ok = ctx.keys[kind], ctx.okeys[kind]
    local o, note = ossl and function() return ossl_csr(ossl, ok, kind) end, nil
    if pss then o, note = nil, "luaossl cannot sign RSA-PSS CSRs"
    elseif kind:find("^ed") then o, note = nil, "luaossl cannot sign EdDSA CSRs" end
    local opts = csr_opts(k)
    add{name = "csr-" .. kind .. (pss and "-pss" or ""), note = note,
        ours = function() return ours_csr(csr, opts, pss) end, ossl = o}
  end
  add{name = "parse-fields", warm = WARM,
      note = "P-256 CSRs; subject entries + SANs, no verify",
      ours = cycle(ctx.pool.p256, function(pem)
        local r = assert(csr.request.parse(pem))
        local e, s = r:subject():entries(), r:san()
        r:close()
        return e, s
      end),
      ossl = ossl and cycle(ctx.pool.p256, function(pem)
        local r = ossl.csr.new(pem)
        return r:getSubject():all(), tostring(r:getSubjectAlt())
      end)}
  for _, kind in ipairs(POOLS) do
    add{name = "verify-" .. kind, warm = WARM,
        note = "luaossl: parse + public key only (it has no CSR signature check), less work",
        ours = cycle(ctx.pool[kind], function(pem)
          local r = assert(csr.request.parse(pem))
          assert(r:verify())
          r:close()
        end),
        ossl = ossl and cycle(ctx.pool[kind], function(pem)
          return ossl.csr.new(pem):getPublicKey()
        end)}
  end
  local popts = csr_opts(nil)
  add{name = "pipeline-p256", note = "keygen + CSR + PEM",
      ours = function()
        local k = csr.key.generate("ec", {curve = "P-256"})
        popts.key = k
        ours_csr(csr, popts)
        popts.key = nil
        k:close()
      end,
      ossl = ossl and function()
        return ossl_csr(ossl, ossl.pkey.new(KINDS.p256[3]), "p256")
      end}
  local q = function(s) return "'" .. s:gsub("'", "'\\''") .. "'" end
  -- the csr command (examples/csr) against openssl req, key written to a file by both
  local kf = q(ctx.data .. "/process-key.pem")
  add{name = "process-p256", note = "whole process: csr new | bench_core new | " ..
      "openssl req -new -newkey ec (in the luaossl column)",
      env = "LUA_CPATH=" .. q(ctx.cpath .. ";;"),
      ours_spawn = q(os.getenv("LUA") or "lua5.4") .. " examples/csr new --key ec:P-256 " ..
                   "--subj /CN=www.example.com --san DNS:www.example.com --force --keyout " .. kf,
      core_spawn = q(ctx.core_bin) .. " new",
      ossl_spawn = "openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes " ..
                   "-subj /CN=www.example.com -addext subjectAltName=DNS:www.example.com " ..
                   "-keyout " .. q(ctx.data .. "/process-key-ossl.pem")}
  return L
end

-- targets (issue 12): {case, field, at least, builds ("all", "default", "sp"), what}
local TARGETS = {
  {"parse-fields", "x_core", 1 / 1.15, "all", "binding <= 15 % over core-c"},
  {"verify-rsa2048", "x_ossl", 3.5, "default", ">= 3.5x luaossl"},
  {"parse-fields", "x_ossl", 12, "default", ">= 12x luaossl"},
  {"csr-p256", "x_ossl", 2.0, "sp", ">= 2.0x luaossl"},
  {"verify-p256", "x_ossl", 2.5, "sp", ">= 2.5x luaossl"},
  {"keygen-p256", "x_ossl", 1.4, "sp", ">= 1.4x luaossl"},
  {"pipeline-p256", "x_ossl", 2.5, "sp", ">= 2.5x luaossl"},
  {"verify-rsa2048", "x_ossl", 5, "sp", ">= 5x luaossl"},
  {"csr-rsa2048", "x_raw", 0.95, "sp", ">= 0.95x raw wolfCrypt signing"},
  {"process-p256", "x_ossl", 3, "sp", ">= 3x openssl req -new -newkey ec"},
}

function M.report(summary, ctx, o)
  local csr = o.csr
  print()
  print(string.format("lua-csr %s, wolfSSL %s (%s build), %s; %d rounds x %.2f s CPU per case " ..
                      "and implementation, %d s", csr._VERSION, csr.wolfssl_version, o.build,
                      _VERSION, o.rounds, o.budget, o.elapsed))
  print(string.format("%-16s %10s %10s %10s %10s %16s %7s  %s", "case", "lua-csr us",
                      "core-c us", "wolfCrypt", "luaossl us", "x luaossl", "x core", "note"))
  local by = {}
  for _, s in ipairs(summary) do
    by[s.case] = s
    local f = function(v, p) return v and string.format(p or "%.1f", v) or "-" end
    print(string.format("%-16s %10s %10s %10s %10s %16s %7s  %s", s.case, f(s.ours), f(s.core),
                        f(s.raw), f(s.ossl),
                        s.x_ossl and string.format("%.2f (%.2f-%.2f)", s.x_ossl, s.lo, s.hi)
                        or "-", f(s.x_core, "%.3f"), s.note or ""))
  end
  print("x luaossl: luaossl's time / lua-csr's (median of per-round ratios; min-max in brackets);")
  print("x core: core-c's time / lua-csr's (1.0 = the binding costs nothing). wolfCrypt: raw")
  print("wolfCrypt for the public-key operation alone (kept RNG, keys decoded beforehand).")
  print()
  local function check(case, field, want, what)
    local s = by[case]
    local v = s and s[field]
    print(string.format("target %-16s %-34s %s  (%s)", case, what,
                        v and string.format("%.2f", v) or "na",
                        v and (v >= want and "hit" or "MISSED") or "n/a"))
  end
  for _, s in ipairs(summary) do
    if s.case:find("^csr%-") or s.case:find("^verify%-") then
      check(s.case, "x_core", 1 / 1.05, "binding <= 5 % over core-c")
    end
  end
  for _, t in ipairs(TARGETS) do
    if t[4] == "all" or t[4] == o.build then check(t[1], t[2], t[3], t[5]) end
  end
end

local function rss_kib()
  local s = readfile("/proc/self/statm")
  local pages = s and tonumber(s:match("^%d+%s+(%d+)"))
  return pages and pages * 4 or 0
end

-- generate + build + sign + parse + verify, RSS sampled every 10 000 (Ed25519: fast, so the
-- count is what matters)
function M.memory(csr)
  local n = tonumber(os.getenv("BENCH_MEM_ITER") or "100000")
  local every = math.max(1, math.floor(n / 10))
  local first, last
  local t0 = os.clock()
  for i = 1, n do
    local k = csr.key.generate("ed25519")
    local r = assert(csr.request.new{subject = {{"CN", "mem.example"}}, key = k})
    assert(r:sign(k))
    local back = assert(csr.request.parse(r:to_pem()))
    assert(back:verify())
    back:close(); r:close(); k:close()
    if i % every == 0 then
      collectgarbage()
      local kib = rss_kib()
      first = first or kib
      last = kib
    end
  end
  print()
  print(string.format("memory: %d iterations (Ed25519 generate + build + sign + parse + verify, " ..
                      "%.0f s): RSS %d KiB after %d, %d KiB at the end, growth %.1f %% " ..
                      "(target <= 5 %%: %s)", n, os.clock() - t0, first or 0, every, last or 0,
                      first and (last - first) * 100 / first or 0,
                      first and (last - first) * 100 / first <= 5 and "hit" or "MISSED"))
end

return M
