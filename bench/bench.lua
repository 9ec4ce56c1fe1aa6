-- make bench: lua-csr against core-c (the same cases in C over libcsrcore.a: the limit for the
-- binding, plus raw wolfCrypt for the public-key operation alone) and luaossl (OpenSSL through
-- Lua), interleaved: every round runs each case as lua-csr, core-c, luaossl, one after the other,
-- for `seconds` of CPU time each, and a ratio is taken per round, so load on a shared machine
-- hits all three alike. Reported: the median over rounds of each time and each ratio, and the
-- min-max of the ratio over rounds (spread).
-- Usage: lua5.4 bench/bench.lua <bench_core> <datadir> <package.cpath> [seconds] [rounds] [build]
-- (build: "sp" or "default", which targets apply; by default what bench_core was built against)
-- Ratios are speed ratios: the other implementation's time / this one's (> 1: this one faster).
local core_bin, data, cpath = arg[1], arg[2], arg[3]
local budget, rounds = tonumber(arg[4] or "0.1"), tonumber(arg[5] or "7")
local function shq(s) return "'" .. s:gsub("'", "'\\''") .. "'" end

local build = arg[6]
if not build then
  local p = assert(io.popen(shq(core_bin) .. " build"))
  build = p:read("*l") or "default"
  p:close()
end
package.cpath = cpath .. ";" .. package.cpath
local csr = require "csr"
local cases = require "bench.cases"

local okossl, ossl = pcall(function()
  return {pkey = require "openssl.pkey", csr = require "openssl.x509.csr",
          name = require "openssl.x509.name", altname = require "openssl.x509.altname"}
end)
if not okossl then ossl = nil end

local function median(t)
  local s = {}
  for i, v in ipairs(t) do s[i] = v end
  table.sort(s)
  local n = #s
  if n == 0 then return nil end
  if n % 2 == 1 then return s[math.floor((n + 1) / 2)] end
  return (s[n / 2] + s[n / 2 + 1]) / 2
end

local function minmax(t)
  local lo, hi = math.huge, -math.huge
  for _, v in ipairs(t) do lo = math.min(lo, v); hi = math.max(hi, v) end
  return lo, hi
end

local clock = os.clock   -- CPU time of this process: what an operation costs
-- Each measurement pays for collecting its own garbage and nobody else's: a full collection
-- before (untimed) and after (timed, less what a collection of the live heap alone costs).
-- Otherwise luaossl's finalisers (OpenSSL frees) would land in lua-csr's time, or back.
local function time_lua(fn, b, warm)
  for _ = 1, warm or 1 do fn() end      -- warm-up (first use builds curve tables)
  collectgarbage()
  local g0 = clock()
  collectgarbage()
  local gc_base = clock() - g0
  -- the clock is read once per batch (a read costs about 2 µs on a virtual machine); the
  -- batch doubles while it takes under a fiftieth of the budget (as TIMED in bench/core.h)
  local n, k, t0, t = 0, 1, clock(), 0
  repeat
    for _ = 1, k do fn() end
    n = n + k
    t = clock() - t0
    if t < b / 50 then k = k * 2 end
  until t >= b
  collectgarbage()
  t = math.max(clock() - t0 - gc_base, t)
  return t * 1e6 / n
end

local function run_core(args, env)
  local p = assert(io.popen((env and env .. " " or "") .. shq(core_bin) .. " " .. args))
  local out = p:read("*a")
  local ok = p:close()
  local us, raw = out:match("us=(%S+)"), out:match("raw=(%S+)")
  assert(ok and us, "bench_core " .. args .. " failed: " .. out)
  return tonumber(us), tonumber(raw)
end

local ctx = cases.setup(csr, ossl, data, cpath, core_bin)
local list = cases.list(ctx)
-- BENCH_CASES=csr-rsa2048,verify-p256: those cases only (names as in the table)
if os.getenv("BENCH_CASES") then
  local want, kept = {}, {}
  for name in os.getenv("BENCH_CASES"):gmatch("[^,%s]+") do want[name] = true end
  for _, c in ipairs(list) do if want[c.name] then kept[#kept + 1] = c end end
  list = kept
end

-- rounds: every case, every implementation, in turn
local res = {}
for _, c in ipairs(list) do res[c.name] = {ours = {}, core = {}, raw = {}, ossl = {}} end
local t_start = os.time()
for r = 1, rounds do
  for _, c in ipairs(list) do
    local rr, b = res[c.name], budget * (c.scale or 1)
    if c.ours_spawn then
      rr.ours[r] = run_core("spawn " .. b .. " " .. c.ours_spawn, c.env)
      rr.core[r] = run_core("spawn " .. b .. " " .. c.core_spawn)
      if c.ossl_spawn then rr.ossl[r] = run_core("spawn " .. b .. " " .. c.ossl_spawn) end
    else
      rr.ours[r] = time_lua(c.ours, b, c.warm)
      rr.core[r], rr.raw[r] = run_core("run " .. c.name .. " " .. b .. " " .. shq(data))
      if type(c.ossl) == "function" then rr.ossl[r] = time_lua(c.ossl, b, c.warm) end
    end
  end
  io.stderr:write(string.format("round %d/%d done (%d s)\n", r, rounds, os.time() - t_start))
end

local function ratios(num, den)
  local t = {}
  for i = 1, #den do if num[i] and den[i] then t[#t + 1] = num[i] / den[i] end end
  return t
end

local function fmt(v, f) return v and string.format(f or "%.2f", v) or "na" end

-- machine-readable lines
local summary = {}
for _, c in ipairs(list) do
  local rr = res[c.name]
  local s = {case = c.name, note = c.note}
  s.ours, s.core, s.raw, s.ossl = median(rr.ours), median(rr.core), median(rr.raw),
                                  median(rr.ossl)
  local x_ol, x_cl = ratios(rr.ossl, rr.ours), ratios(rr.core, rr.ours)
  local x_oc, x_co = ratios(rr.ossl, rr.core), ratios(rr.core, rr.ossl)
  s.x_ossl, s.x_core, s.x_ossl_core = median(x_ol), median(x_cl), median(x_oc)
  s.x_raw = median(ratios(rr.raw, rr.ours))
  local function line(impl, us, xo, xc, spread_of, extra)
    local lo, hi = minmax(spread_of)
    print(string.format("case=%s impl=%s us_per_op=%s x_luaossl=%s x_core=%s spread=%s-%s%s",
                        c.name, impl, fmt(us, "%.1f"), fmt(xo), fmt(xc),
                        #spread_of > 0 and fmt(lo) or "na", #spread_of > 0 and fmt(hi) or "na",
                        extra or ""))
  end
  s.lo, s.hi = minmax(#x_ol > 0 and x_ol or x_cl)
  line("lua-csr", s.ours, s.x_ossl, s.x_core, #x_ol > 0 and x_ol or x_cl)
  line("core-c", s.core, s.x_ossl_core, 1, #x_oc > 0 and x_oc or x_cl,
       s.raw and string.format(" wolfcrypt_us=%.1f", s.raw) or "")
  if s.ossl then line("luaossl", s.ossl, 1, median(x_co), x_co) end
  summary[#summary + 1] = s
end

cases.report(summary, ctx, {budget = budget, rounds = rounds, build = build,
                            csr = csr, elapsed = os.time() - t_start})
cases.memory(csr, ctx)
local p = assert(io.popen(shq(core_bin) .. " heap " .. shq(data)))
io.write(p:read("*a"))
p:close()
