-- libidn2 is opened when req:check meets the first xn-- label, not by require "csr"; where it
-- cannot be opened, an xn-- label is a bad_dns_name problem that says so (the check fails
-- closed) and every other check still runs. Each case runs in a fresh interpreter.
local helpers = require "spec.helpers"

local LINUX = helpers.exists("/proc/self/maps")

-- runs a Lua chunk in a new interpreter finding this csr.so; prefix: environment settings
local function lua(code, prefix)
  local cmd = string.format("%sLUA_CPATH=%s %s -e %s", prefix or "",
                            helpers.shellquote(helpers.abs_cpath()),
                            helpers.shellquote(helpers.interpreter()), helpers.shellquote(code))
  local ok, text = helpers.run(cmd)
  assert(ok, cmd .. "\n" .. text)
  return text
end

-- a chunk that checks a request with these dNSNames, printing "code field: message" lines
local function check_chunk(names)
  local q = {}
  for i, n in ipairs(names) do q[i] = string.format("%q", n) end
  return [[
    local csr = require "csr"
    local k = csr.key.generate("ec")
    local r = assert(csr.request.new{key = k, subject = "CN=example.com",
                                     san = {dns = {"example.com", ]] .. table.concat(q, ", ") .. [[}}})
    assert(r:sign(k))
    local ok, problems = r:check()
    if ok then print("ok") end
    for _, p in ipairs(problems or {}) do print(p.code .. " " .. p.field .. ": " .. p.message) end
  ]]
end

-- "yes" when libidn2 is mapped into the process after the chunk ran
local MAPPED = [[ local f = io.open("/proc/self/maps"); local m = f:read("*a"); f:close()
                  print(m:find("libidn2", 1, true) and "idn2 mapped" or "idn2 not mapped") ]]

describe("libidn2 opened on demand", function()
  it("is not loaded by require \"csr\", nor by a check without xn-- labels", function()
    if not LINUX then pending("needs /proc/self/maps") return end
    assert.are.equal("idn2 not mapped\n", lua('require "csr"' .. "\n" .. MAPPED))
    assert.are.equal("ok\nidn2 not mapped\n", lua(check_chunk{"www.example.com"} .. MAPPED))
  end)

  it("is loaded by the first xn-- label, which it checks", function()
    if not LINUX then pending("needs /proc/self/maps") return end
    assert.are.equal("ok\nidn2 mapped\n", lua(check_chunk{"xn--bcher-kva.example"} .. MAPPED))
  end)

  describe("where it cannot be opened", function()
    local shim
    setup(function()
      shim = helpers.tmpname(".so")
      local cmd = "cc -shared -fPIC -Wall -Wextra -Werror -o " .. helpers.shellquote(shim) ..
                  " " .. helpers.shellquote(helpers.root .. "/spec/c/no_idn2.c") .. " -ldl"
      local ok, text = helpers.run(cmd)
      assert(ok, cmd .. "\n" .. text)
    end)
    teardown(function() os.remove(shim) end)
    local function without(names)
      return lua(check_chunk(names), "LD_PRELOAD=" .. helpers.shellquote(shim) .. " ")
    end

    it("an xn-- label is a bad_dns_name problem naming the library, once per name", function()
      assert.are.equal(
        'bad_dns_name san.dns: "xn--bcher-kva.example" is not a valid host name: an xn-- label ' ..
        "cannot be checked: libidn2 (libidn2.so.0) cannot be loaded\n" ..
        'bad_dns_name san.dns: "a.xn--55qx5d.cn" is not a valid host name: an xn-- label ' ..
        "cannot be checked: libidn2 (libidn2.so.0) cannot be loaded\n",
        without{"xn--bcher-kva.example", "a.xn--55qx5d.cn"})
    end)

    it("names without xn-- labels are checked as before", function()
      assert.are.equal("ok\n", without{"www.example.com", "a-b.example.org"})
      assert.are.equal('bad_dns_name san.dns: "bad_name.example.com" is not a valid host ' ..
                       "name: underscore in a label\n", without{"bad_name.example.com"})
    end)
  end)
end)
