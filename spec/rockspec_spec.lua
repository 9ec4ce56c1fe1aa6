-- The rockspec builds what the Makefile builds: its source list equals the C files on disk
-- (csr.c, src/core/*.c, src/lua/*.c -- nothing excluded) and the Makefile's own list.
local helpers = require "spec.helpers"
local port = require "spec.port"

local ROCKSPEC = port.root .. "/csr-scm-1.rockspec"

local function load_rockspec()
  local text = helpers.readfile(ROCKSPEC)
  local env = {}
  local chunk, err
  if setfenv then                                   -- Lua 5.1 / LuaJIT
    chunk, err = loadstring(text, "@" .. ROCKSPEC)
    if chunk then setfenv(chunk, env) end
  else
    chunk, err = load(text, "@" .. ROCKSPEC, "t", env)
  end
  assert(chunk, err)
  chunk()
  return env
end

local function sorted(list)
  local t = {}
  for i, v in ipairs(list) do t[i] = v end
  table.sort(t)
  return t
end

local function words(s)
  local t = {}
  for w in s:gmatch("%S+") do t[#t + 1] = w end
  return t
end

describe("csr-scm-1.rockspec #rocks", function()
  local spec = load_rockspec()
  local mod = spec.build and spec.build.modules and spec.build.modules.csr

  it("is a builtin build of one module csr, MIT, for Lua >= 5.1", function()
    assert.are.equal("csr", spec.package)
    assert.are.equal("scm-1", spec.version)
    assert.are.equal("MIT", spec.description.license)
    assert.are.equal("builtin", spec.build.type)
    assert.is_table(mod)
    assert.are.same({"lua >= 5.1"}, spec.dependencies)
  end)

  it("finds wolfSSL and libidn2's header as external dependencies, links no libidn2 (it is " ..
     "opened on demand) and defines what the Makefile defines",
     function()
    assert.are.same({header = "wolfssl/wolfcrypt/asn_public.h", library = "wolfssl"},
                    spec.external_dependencies.WOLFSSL)
    assert.are.same({header = "idn2.h"}, spec.external_dependencies.IDN2)
    assert.are.same({"$(WOLFSSL_INCDIR)", "$(IDN2_INCDIR)"}, mod.incdirs)
    assert.are.same({"$(WOLFSSL_LIBDIR)"}, mod.libdirs)
    assert.are.same({"wolfssl", "dl", "pthread"}, mod.libraries)
    local defs = {}
    for _, d in ipairs(mod.defines) do defs[d] = true end
    assert.is_true(defs["HAVE___UINT128_T=1"])      -- options.h omits it: struct sizes
    assert.is_true(defs["_POSIX_C_SOURCE=200809L"])
  end)

  it("installs the csr command and the Lua module it loads on demand", function()
    assert.are.same({csr = "examples/csr"}, spec.build.install.bin)
    assert.are.same({csr_commands = "examples/csr_commands.lua"}, spec.build.install.lua)
  end)

  it("lists exactly the C files on disk: csr.c, src/core/*.c, src/lua/*.c", function()
    local ok, out = helpers.run("cd " .. helpers.shellquote(port.root) ..
                                " && ls -1 csr.c src/core/*.c src/lua/*.c")
    assert.is_true(ok, out)
    local disk = sorted(words(out))
    assert.is_true(#disk > 3)
    local seen = {}
    for _, s in ipairs(mod.sources) do
      assert.is_nil(seen[s], "listed twice: " .. s)
      seen[s] = true
    end
    assert.are.same(disk, sorted(mod.sources))
  end)

  it("lists exactly the Makefile's sources (make print-srcs)", function()
    local ok, out = helpers.run("make -s --no-print-directory -C " ..
                                helpers.shellquote(port.root) .. " print-srcs")
    assert.is_true(ok, out)
    assert.are.same(sorted(words(out)), sorted(mod.sources))
  end)
end)
