-- Runs examples/quickstart.lua and examples/acme.lua as scripts, with the interpreter that runs
-- the specs and the csr.so the specs load, and checks what they print and write.
local csr = require "csr"
local helpers = require "helpers"

local LUA = helpers.interpreter()

-- The examples run in a temp dir: relative paths (root, "./?.so" in cpath) made absolute.
local CWD = (select(2, helpers.run("pwd")):gsub("%s+$", ""))
local function absolute(p)
  if p:sub(1, 1) == "/" then return p end
  return CWD .. "/" .. p:gsub("^%./", "")
end
local ROOT = absolute(helpers.root)
local CPATH = helpers.abs_cpath()

-- Runs an example in dir (cd there) with our cpath; returns ok, output.
local function example(name, args, dir)
  local cmd = "cd " .. helpers.shellquote(dir) .. " && LUA_CPATH=" ..
              helpers.shellquote(CPATH) .. " " .. helpers.shellquote(LUA) .. " " ..
              helpers.shellquote(ROOT .. "/examples/" .. name) .. " " .. args
  return helpers.run(cmd)
end

local function mkdtemp()
  local d = helpers.tmpname(".d")
  assert(helpers.run("mkdir -m 700 " .. helpers.shellquote(d)))
  return d
end

local function rmrf(d)
  helpers.run("rm -rf " .. helpers.shellquote(d))
end

local function exists(p)
  local f = io.open(p, "rb")
  if f then f:close() return true end
  return false
end

describe("examples", function()
  local dir

  before_each(function() dir = mkdtemp() end)
  after_each(function() rmrf(dir) end)

  it("quickstart prints a CSR that verifies, the fingerprint, never the key #openssl", function()
    local ok, out = example("quickstart.lua", "shop.example.org", dir)
    assert.is_true(ok, out)
    local pem = out:match("%-%-%-%-%-BEGIN CERTIFICATE REQUEST%-%-%-%-%-\n.-" ..
                          "%-%-%-%-%-END CERTIFICATE REQUEST%-%-%-%-%-\n")
    assert.is_string(pem, out)
    assert.is_nil(out:find("PRIVATE KEY", 1, true))
    local fp = out:match("fingerprint (%x+)")
    assert.equals(64, fp and #fp)
    local r = assert(csr.request.parse(pem))
    assert.is_true(r:verify())
    assert.same({"shop.example.org"}, r:san().dns)
    assert.equals(fp, assert(r:public_key()):fingerprint())
    local f = helpers.tmpfile(pem, ".pem")
    local vok, vout = helpers.run("openssl req -in " .. f .. " -verify -noout -text")
    os.remove(f)
    assert.is_true(vok, vout)
    assert.matches("verify OK", vout)
    assert.matches("DNS:shop.example.org", vout)
    assert.matches("verified: subject CN=shop.example.org", out)
  end)

  it("quickstart defaults to example.com and fails cleanly on a bad domain", function()
    local ok, out = example("quickstart.lua", "", dir)
    assert.is_true(ok, out)
    assert.matches("verified: subject CN=example.com, DNS example.com", out)
    ok, out = example("quickstart.lua", "'bad domain'", dir)
    assert.is_false(ok)
    assert.matches("csr%.request%.new: ", out)
  end)

  it("acme writes key.pem (0600) and csr.pem for the domains, and never overwrites", function()
    local ok, out = example("acme.lua", "a.example.net B.example.net", dir)
    assert.is_true(ok, out)
    local key_pem = helpers.readfile(dir .. "/key.pem")
    local csr_pem = helpers.readfile(dir .. "/csr.pem")
    local _, mode = helpers.run("stat -c %a " .. helpers.shellquote(dir .. "/key.pem"))
    assert.equals("600", mode:match("%d+"))
    local key = assert(csr.key.parse(key_pem))
    assert.is_true(key:is_private())
    local r = assert(csr.request.parse(csr_pem))
    assert.is_true(r:verify())
    assert.is_true(r:matches(key))
    assert.same({"a.example.net", "b.example.net"}, r:san().dns)
    assert.equals("CN=a.example.net", tostring(r:subject()))
    assert.is_false(r:must_staple())
    -- a second run refuses and leaves both files alone
    ok, out = example("acme.lua", "c.example.net", dir)
    assert.is_false(ok)
    assert.matches("exists", out)
    assert.equals(key_pem, helpers.readfile(dir .. "/key.pem"))
    assert.equals(csr_pem, helpers.readfile(dir .. "/csr.pem"))
  end)

  it("acme takes --out DIR and --must-staple; usage errors exit non-zero", function()
    local sub = dir .. "/out"
    assert(helpers.run("mkdir " .. helpers.shellquote(sub)))
    local ok, out = example("acme.lua", "--must-staple --out " .. helpers.shellquote(sub) ..
                            " x.example", dir)
    assert.is_true(ok, out)
    assert.is_false(exists(dir .. "/key.pem"))
    local r = assert(csr.request.parse(helpers.readfile(sub .. "/csr.pem")))
    assert.is_true(r:must_staple())
    assert.is_true(r:matches(assert(csr.key.parse(helpers.readfile(sub .. "/key.pem")))))
    ok, out = example("acme.lua", "", dir)
    assert.is_false(ok)
    assert.matches("usage", out)
    ok = example("acme.lua", "--bogus x.example", dir)
    assert.is_false(ok)
    assert.is_false(exists(dir .. "/key.pem"))
  end)
end)
