-- `luarocks --lua-version X make` installs the module from the checkout, offline, into a
-- private tree; a separate interpreter of that version then loads it from there only.
-- (The builtin backend writes its .o files next to the sources, so it runs in a copy.)
local helpers = require "spec.helpers"
local port = require "spec.port"

local q = helpers.shellquote
-- any attempt to reach the network fails at once
local OFFLINE = "http_proxy=http://127.0.0.1:9 https_proxy=http://127.0.0.1:9 " ..
                "HTTP_PROXY=http://127.0.0.1:9 HTTPS_PROXY=http://127.0.0.1:9 "

local function trim(s) return (s:gsub("^%s+", ""):gsub("%s+$", "")) end

-- WOLFSSL_INCDIR / WOLFSSL_LIBDIR from pkg-config (Debian: /usr/include, the multiarch libdir)
local function wolfssl_vars()
  local v = ""
  local ok, inc = helpers.run("pkg-config --variable=includedir wolfssl")
  if ok and trim(inc) ~= "" then v = v .. " WOLFSSL_INCDIR=" .. q(trim(inc)) end
  local ok2, lib = helpers.run("pkg-config --variable=libdir wolfssl")
  if ok2 and trim(lib) ~= "" then v = v .. " WOLFSSL_LIBDIR=" .. q(trim(lib)) end
  return v
end

-- LUA_INCDIR only when luarocks' own idea of it lacks lua.h
local function lua_incdir_var(ver)
  local ok, dir = helpers.run("luarocks --lua-version " .. ver .. " config variables.LUA_INCDIR")
  dir = trim(dir)
  if ok and dir ~= "" then
    local f = io.open(dir .. "/lua.h", "r")
    if f then f:close(); return "" end
  end
  return " LUA_INCDIR=/usr/include/lua" .. ver
end

local SCRIPT = [[
package.path = ""
package.cpath = arg[1] .. "/lib/lua/" .. arg[2] .. "/?.so"
local csr = require "csr"
assert(_VERSION == "Lua " .. arg[2], _VERSION)
local k = assert(csr.key.generate("ec", {curve = "P-256"}))
local out = {"loaded", csr._VERSION, csr.wolfssl_version, k:type() .. "/" .. k:curve(),
             k:fingerprint()}
print(table.concat(out, " "))
]]

describe("luarocks make from the checkout #rocks", function()
  local tmp

  setup(function()
    tmp = helpers.tmpname(".rocks")
    assert(helpers.run("mkdir -p " .. q(tmp)))
  end)

  teardown(function()
    if tmp and tmp:match("lcsr%-[^/]*%.rocks$") then
      helpers.run("rm -rf " .. q(tmp))
    end
  end)

  for _, ver in ipairs({"5.4", "5.3", "5.1"}) do
    it("installs for Lua " .. ver .. " into a tree that lua" .. ver .. " requires from",
       function()
      if not port.have("luarocks") then pending("luarocks is not installed") return end
      if not port.have("lua" .. ver) then pending("lua" .. ver .. " is not installed") return end
      local src, tree = tmp .. "/src" .. ver, tmp .. "/tree" .. ver
      assert(helpers.run("mkdir -p " .. q(src)))
      local okc, cp = helpers.run("cd " .. q(port.root) .. " && cp -R csr.c src examples " ..
                                  "csr-scm-1.rockspec " .. q(src))
      assert.is_true(okc, cp)
      local cmd = "cd " .. q(src) .. " && " .. OFFLINE .. "luarocks --lua-version " .. ver ..
                  " make --tree " .. q(tree) .. " --deps-mode none csr-scm-1.rockspec" ..
                  wolfssl_vars() .. lua_incdir_var(ver)
      local ok, out = helpers.run(cmd)
      assert.is_true(ok, cmd .. "\n" .. out)
      assert.truthy(out:find("csr scm-1 is now installed in", 1, true), out)
      local so = tree .. "/lib/lua/" .. ver .. "/csr.so"
      assert.is_not_nil(io.open(so, "rb"), "no " .. so)
      -- build.install.bin: the csr command, wrapped by luarocks for this Lua (a tree of one's
      -- own needs `luarocks path` in the environment, as for any module in it)
      local okb, ver_out = helpers.run("cd / && eval \"$(luarocks --lua-version " .. ver ..
                                       " path --tree " .. q(tree) .. ")\" && " ..
                                       q(tree .. "/bin/csr") .. " --version")
      assert.is_true(okb, ver_out)
      assert.truthy(ver_out:find("^csr %d+%.%d+%.%d+ %(wolfSSL "), ver_out)
      okb, ver_out = helpers.run("cd / && eval \"$(luarocks --lua-version " .. ver ..
                                 " path --tree " .. q(tree) .. ")\" && " .. q(tree .. "/bin/csr") ..
                                 " --help")                -- from csr_commands.lua (build.install.lua)
      assert.is_true(okb, ver_out)
      assert.truthy(ver_out:find("^usage: csr COMMAND"), ver_out)
      local script = helpers.tmpfile(SCRIPT, ".lua")
      local ok2, res = helpers.run("lua" .. ver .. " " .. q(script) .. " " .. q(tree) .. " " .. ver)
      os.remove(script)
      assert.is_true(ok2, res)
      assert.truthy(res:find("^loaded %S+ 5%.%d+%.%d+ ec/P%-256 %x+\n?$"), res)
      if ver == "5.1" and port.have("luajit") then   -- the 5.1 rock serves LuaJIT too
        local sj = helpers.tmpfile(SCRIPT, ".lua")          -- LuaJIT's _VERSION is "Lua 5.1"
        local ok3, res3 = helpers.run("luajit " .. q(sj) .. " " .. q(tree) .. " 5.1")
        os.remove(sj)
        assert.is_true(ok3, res3)
        assert.truthy(res3:find("^loaded %S+ 5%.%d+%.%d+"), res3)
      end
    end)
  end
end)
