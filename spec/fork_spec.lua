-- fork() after the module is loaded and a key was generated and used in the parent
-- (spec/threads/forkhost.c running spec/threads/fork.lua): every key, ECDSA signature and CSR
-- made afterwards in the parent and in the children must differ. A random-number generator
-- kept across fork() would repeat them -- and a repeated ECDSA nonce gives the key away.
local helpers = require "spec.helpers"
local port = require "spec.port"
local csr = require "csr"

local CHILDREN = 6
local MSG = "the same message in every process"

local function all_distinct(list, what)
  local seen = {}
  for i, v in ipairs(list) do
    assert.is_nil(seen[v], what .. " repeated in process " .. i .. " and " .. (seen[v] or "?"))
    seen[v] = i
  end
end

describe("fork after loading the module #fork", function()
  local ok, text

  setup(function()
    local host = port.build_host("forkhost")
    ok, text = helpers.run(string.format("%s %d %s %s", helpers.shellquote(host), CHILDREN,
                           helpers.shellquote(port.cpath()),
                           helpers.shellquote(port.root .. "/spec/threads/fork.lua")))
  end)

  it("parent and every child run to the end", function()
    assert.is_true(ok, text)
    assert.truthy(text:find((CHILDREN + 1) .. " processes, 0 failed", 1, true), text)
    assert.is_nil(text:find("FAIL", 1, true), text)
    local pids = {}
    for pid, rest in text:gmatch("\n(%d+) ([^\n]*)") do
      if not rest:find("^processes") then pids[#pids + 1] = pid end
    end
    assert.are.equal(CHILDREN + 1, #pids, text)
    all_distinct(pids, "pid")
  end)

  it("keys, ECDSA signatures and CSRs made after fork() are all distinct", function()
    assert.is_true(ok, text)
    local f = {ec = {}, ed = {}, ecsig = {}, k0sig = {}, csr = {}}
    local k0 = text:match("setup k0=(%x+)")
    assert.is_not_nil(k0, text)
    for line in text:gmatch("[^\n]*tag=[^\n]*") do
      for name, value in line:gmatch("(%w+)=(%S+)") do
        if f[name] then f[name][#f[name] + 1] = value end
      end
    end
    assert.are.equal(CHILDREN + 1, #f.ec, text)
    for _, fp in ipairs(f.ec) do assert.are_not.equal(k0, fp) end
    all_distinct(f.ec, "P-256 key")
    all_distinct(f.ed, "Ed25519 key")
    all_distinct(f.ecsig, "ECDSA signature by a fresh key")
    -- the same key signing the same message: only a repeated nonce makes these equal (wolfCrypt
    -- signs ECDSA with a random k, not RFC 6979: two signatures of one message always differ)
    local k = assert(csr.key.generate("ec", {curve = "P-256"}))
    assert.are_not.equal(k:sign(MSG), k:sign(MSG))
    all_distinct(f.k0sig, "ECDSA signature by the parent's key")
    all_distinct(f.csr, "CSR")
  end)
end)
