-- Eight pthreads, each with its own lua_State, use the module at once (spec/threads/host.c
-- running spec/threads/work.lua); then the same under helgrind. The host is built against the
-- Lua running this spec, so the suite covers 5.1, 5.3, 5.4 and LuaJIT hosts.
local helpers = require "spec.helpers"
local port = require "spec.port"
local csr = require "csr"

local THREADS = 8

-- each thread makes a P-256 and an Ed25519 key per iteration, signs with each and builds,
-- parses and verifies a request with each (spec/threads/work.lua)
local function expected(iterations)
  local per = iterations * 2
  return {keys = per, sigs = per, csrs = per}
end

local host
local function run_host(prefix, iterations, preload, script)
  host = host or port.build_host("host")
  local cmd = string.format("%s%s %d %d %s %s%s", prefix, helpers.shellquote(host), THREADS,
                            iterations, helpers.shellquote(port.cpath()),
                            helpers.shellquote(port.root .. "/spec/threads/" ..
                                               (script or "work.lua")),
                            preload and " preload" or "")
  return helpers.run(cmd)
end

local function check_output(ok, text, iterations)
  local want = expected(iterations)
  assert.is_true(ok, text)
  local seen = 0
  for id, summary in text:gmatch("thread (%d+): ([^\n]*)") do
    seen = seen + 1
    assert.is_nil(summary:find("ERROR", 1, true), "thread " .. id .. ": " .. summary)
    local keys, sigs, csrs = summary:match("^keys=(%d+) sigs=(%d+) csrs=(%d+)$")
    assert.is_not_nil(keys, summary)
    assert.are.same(want, {keys = tonumber(keys), sigs = tonumber(sigs),
                           csrs = tonumber(csrs)}, "thread " .. id)
  end
  assert.are.equal(THREADS, seen, text)
  assert.truthy(text:find("0 of " .. THREADS .. " threads failed", 1, true), text)
end

describe("8 threads with one lua_State each #threads", function()
  it("generate keys, sign/verify and build+parse+verify CSRs at once", function()
    local ok, text = run_host("", 20)
    check_output(ok, text, 20)
  end)

  it("each have their own random generator: keys and ECDSA nonces (r) all distinct", function()
    local per = 8
    local ok, text = run_host("", per, false, "rng.lua")
    assert.is_true(ok, text)
    local seen, n = {}, 0
    for id, fps, rs in text:gmatch("thread (%d+): fp=(%S+) r=(%S+)") do
      for what, list in pairs{key = fps, r = rs} do
        for v in list:gmatch("%x+") do
          assert.is_nil(seen[v], what .. " " .. v .. " repeated in thread " .. id .. " and " ..
                        tostring(seen[v]))
          seen[v] = id
          n = n + 1
        end
      end
    end
    assert.are.equal(THREADS * per * 2, n, text)
  end)

  it("are clean under helgrind (csr.thread_cleanup at thread end)", function()
    if not port.have("valgrind") then pending("valgrind is not installed") return end
    local supp = port.root .. "/spec/threads/helgrind.supp"
    local f = io.open(supp, "r")
    local sopt = ""
    if f then f:close(); sopt = "--suppressions=" .. helpers.shellquote(supp) .. " " end
    -- "preload": the main thread loads the module first (see spec/threads/helgrind.supp)
    local ok, text = run_host("valgrind --tool=helgrind --error-exitcode=99 -q " .. sopt, 2, true)
    assert.is_nil(text:find("Possible data race", 1, true), text)
    assert.is_nil(text:find("ERROR SUMMARY: [1-9]"), text)
    check_output(ok, text, 2)
  end)

  it("make no invalid memory access and leak nothing under memcheck (PUC Lua hosts)", function()
    if not port.have("valgrind") then pending("valgrind is not installed") return end
    if port.flavor() == "luajit" then
      pending("LuaJIT's allocator and string code trip memcheck (not built for valgrind)")
      return
    end
    -- a thread that ends without csr.thread_cleanup() would leak wolfSSL's per-thread ECC cache
    local ok, text = run_host("valgrind --error-exitcode=99 -q --leak-check=full " ..
                              "--errors-for-leak-kinds=definite,indirect ", 2)
    assert.is_nil(text:find("Invalid read", 1, true), text)
    assert.is_nil(text:find("definitely lost", 1, true), text)
    check_output(ok, text, 2)
  end)

  it("csr.thread_cleanup() is callable any number of times on the main thread", function()
    assert.is_function(csr.thread_cleanup)
    csr.thread_cleanup()
    csr.thread_cleanup()
    local k = assert(csr.key.generate("ec", {curve = "P-256"}))   -- the module still works
    assert.is_true(k:verify("m", assert(k:sign("m"))))
  end)
end)
