-- fork() with the module loaded (spec/threads/forkhost.c running spec/threads/fork.lua):
-- children forked before the parent's first use of randomness and after it (a key generated
-- and used), and a grandchild of each: every key, ECDSA signature, ECDSA r value and CSR made
-- in any of them must differ. The module keeps one DRBG per thread; one carried across fork()
-- without a re-seed would repeat them -- and a repeated ECDSA nonce (equal r) gives the key away.
local helpers = require "spec.helpers"
local port = require "spec.port"
local csr = require "csr"

local EARLY, LATE = 2, 3
local PROCS = 1 + 2 * (EARLY + LATE)     -- the parent, every child and one grandchild each
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
    ok, text = helpers.run(string.format("%s %d %d %s %s", helpers.shellquote(host), EARLY, LATE,
                           helpers.shellquote(port.cpath()),
                           helpers.shellquote(port.root .. "/spec/threads/fork.lua")))
  end)

  it("parent, every child and every grandchild run to the end", function()
    assert.is_true(ok, text)
    assert.truthy(text:find(PROCS .. " processes, 0 failed", 1, true), text)
    assert.is_nil(text:find("FAIL", 1, true), text)
    local pids = {}
    for pid, rest in text:gmatch("\n(%d+) ([^\n]*)") do
      if not rest:find("^processes") then pids[#pids + 1] = pid end
    end
    assert.are.equal(PROCS, #pids, text)
    all_distinct(pids, "pid")
    for _, tag in ipairs{"early", "late", "grand%-early", "grand%-late", "parent"} do
      assert.truthy(text:find("tag=" .. tag .. " "), "no " .. tag .. " process: " .. text)
    end
  end)

  it("keys, ECDSA signatures and CSRs made after fork() are all distinct", function()
    assert.is_true(ok, text)
    local f = {ec = {}, ed = {}, ecsig = {}, k0sig = {}, csr = {}, r = {}}
    local k0, r0 = text:match("setup k0=(%x+) r0=(%S+)")
    assert.is_not_nil(k0, text)
    for line in text:gmatch("[^\n]*tag=[^\n]*") do
      for name, value in line:gmatch("(%w+)=(%S+)") do
        if f[name] then f[name][#f[name] + 1] = value end
      end
    end
    assert.are.equal(PROCS, #f.ec, text)
    for _, fp in ipairs(f.ec) do assert.are_not.equal(k0, fp) end
    all_distinct(f.ec, "P-256 key")
    all_distinct(f.ed, "Ed25519 key")
    all_distinct(f.ecsig, "ECDSA signature by a fresh key")
    -- the same key signing the same message: only a repeated nonce makes these equal (wolfCrypt
    -- signs ECDSA with a random k, not RFC 6979: two signatures of one message always differ)
    local k = assert(csr.key.generate("ec", {curve = "P-256"}))
    assert.are_not.equal(k:sign(MSG), k:sign(MSG))
    all_distinct(f.k0sig, "ECDSA signature by the parent's key")
    -- every nonce: r of each process's two signatures and of the parent's first one
    local rs = {r0}
    for _, pair in ipairs(f.r) do
      for r in pair:gmatch("%x+") do rs[#rs + 1] = r end
    end
    assert.are.equal(2 * PROCS + 1, #rs, text)
    all_distinct(rs, "ECDSA r (nonce)")
    all_distinct(f.csr, "CSR")
  end)
end)
