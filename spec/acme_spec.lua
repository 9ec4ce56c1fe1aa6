-- examples/acme_client.lua against Debian's pebble (Let's Encrypt's RFC 8555 test server) and
-- pebble-challtestsrv, both started here on loopback ports of their own: accounts with P-256
-- and RSA-2048 keys, with and without external account binding; certificates for P-256,
-- P-384, RSA and Ed25519 keys; each chain parsed and checked link by link with the module and
-- with `openssl verify` against pebble's root. pebble's HTTPS certificate is made by the module
-- (csr.certificate.self_signed + issue). Pending where pebble, lua-sec or a JSON library is
-- missing.
local csr = require "csr"
local helpers = require "helpers"
local port = require "port"

local q = helpers.shellquote
local NAMES = {"www.example.test", "example.test", "api.example.test"}
local EAB_KID, EAB_KEY = "kid-lua-csr", csr.util.base64url_encode(csr.util.random(48))

local function missing()
  if not port.have("pebble") or not port.have("pebble-challtestsrv") then
    return "pebble is not installed (Debian package pebble)"
  end
  if not port.have("openssl") then return "openssl is not installed" end
  for _, m in ipairs({"ssl.https", "socket.http", "socket"}) do
    if not pcall(require, m) then return m .. " is missing (lua-sec / lua-socket)" end
  end
  if not pcall(require, "cjson") and not pcall(require, "dkjson") then
    return "neither lua-cjson nor lua-dkjson is installed"
  end
  if not (csr.certificate and csr.certificate.self_signed and csr.certificate.issue) then
    return "csr.certificate is not in this build"
  end
  return nil
end

local function fixture_key(name)
  return assert(csr.key.parse(helpers.fixture("keys/" .. name)))
end

describe("ACME against pebble #acme", function()
  local why = missing()
  local dir, pids, ports, roots, acme = nil, {}, {}, {}, nil
  local directory, eab_directory, publish, cleanup

  local function start(name, cmd)
    local ok, out = helpers.run("cd " .. q(dir) .. " && (" .. cmd .. " >" .. name ..
                                ".log 2>&1 & echo $!)")
    assert(ok, out)
    pids[#pids + 1] = assert(tonumber(out:match("(%d+)")), out)
  end

  local function log(name)              -- "" until the background shell has created it
    local f = io.open(dir .. "/" .. name .. ".log", "rb")
    if not f then return "" end
    local s = f:read("*a")
    f:close()
    return s
  end

  -- Waits until 127.0.0.1:p accepts connections (or the log says the port is taken).
  local function wait_port(p, name)
    local socket = require "socket"
    for _ = 1, 100 do
      local c = socket.connect("127.0.0.1", p)
      if c then c:close() return true end
      if log(name):find("address already in use", 1, true) then return false end
      socket.sleep(0.1)
    end
    error(name .. " did not start on port " .. p .. ":\n" .. log(name))
  end

  local function stop_all()
    for _, pid in ipairs(pids) do
      helpers.run("(kill -TERM " .. pid .. "; for i in $(seq 50); do kill -0 " .. pid ..
                  " 2>/dev/null || exit 0; sleep 0.1; done; kill -KILL " .. pid .. ")")
    end
    pids = {}
  end

  -- pebble's HTTPS certificate, made by the module: a CA and a server certificate for
  -- 127.0.0.1 and localhost. Returns the CA file name.
  local function make_tls()
    local ca_key = assert(csr.key.generate("ec", {curve = "P-256"}))
    local ca = assert(csr.certificate.self_signed{key = ca_key, subject = "CN=lua-csr ACME test CA",
                                                   days = 2, ca = true})
    local key = assert(csr.key.generate("ec", {curve = "P-256"}))
    local req = assert(csr.request.new{subject = "CN=localhost", key = key,
                                       san = {dns = {"localhost"}, ip = {"127.0.0.1"}}})
    assert(req:sign(key))
    local cert = assert(csr.certificate.issue{request = req, issuer_key = ca_key, issuer_cert = ca,
                                              days = 2, extended_key_usage = {"serverAuth"}})
    helpers.writefile(dir .. "/ca.pem", ca:to_pem())
    helpers.writefile(dir .. "/tls.pem", cert:to_pem())
    assert(key:write(dir .. "/tls.key"))
    return dir .. "/ca.pem"
  end

  local function pebble_config(name, listen, mgmt, eab)
    local c = string.format('{"pebble": {"listenAddress": "127.0.0.1:%d", ' ..
      '"managementListenAddress": "127.0.0.1:%d", "certificate": "%s/tls.pem", ' ..
      '"privateKey": "%s/tls.key", "httpPort": %d, "tlsPort": %d, "ocspResponderURL": "", ' ..
      '"externalAccountBindingRequired": %s%s}}', listen, mgmt, dir, dir, ports.http01,
      ports.tls, eab and "true" or "false",
      eab and string.format(', "externalAccountMACKeys": {"%s": "%s"}', EAB_KID, EAB_KEY) or "")
    helpers.writefile(dir .. "/" .. name .. ".json", c)
  end

  -- challtestsrv, then two pebbles (without and with EAB) on ports from a random base.
  local function start_servers()
    math.randomseed(os.time() + math.floor(os.clock() * 1e6))
    for _ = 1, 8 do
      local b = math.random(20000, 59000)
      ports = {http01 = b, tls = b + 1, dns = b + 2, cts = b + 3, acme = b + 4, mgmt = b + 5,
               eab = b + 6, eab_mgmt = b + 7}
      start("cts", string.format("exec pebble-challtestsrv -management 127.0.0.1:%d -http01 " ..
            "127.0.0.1:%d -https01 '' -tlsalpn01 '' -dns01 127.0.0.1:%d -defaultIPv6 ''",
            ports.cts, ports.http01, ports.dns))
      local ok = wait_port(ports.cts, "cts")
      if ok then
        pebble_config("pebble", ports.acme, ports.mgmt, false)
        pebble_config("pebble-eab", ports.eab, ports.eab_mgmt, true)
        local env = "PEBBLE_VA_NOSLEEP=1 PEBBLE_WFE_NONCEREJECT=0 "
        start("pebble", env .. "exec pebble -config pebble.json -dnsserver 127.0.0.1:" .. ports.dns)
        start("pebble-eab", env .. "exec pebble -config pebble-eab.json -dnsserver 127.0.0.1:" ..
              ports.dns)
        ok = wait_port(ports.acme, "pebble") and wait_port(ports.eab, "pebble-eab") and
             wait_port(ports.mgmt, "pebble")
      end
      if ok then return end
      stop_all()
    end
    error("no free ports for pebble")
  end

  local function fetch(url)
    local https = require "ssl.https"
    local out = {}
    local ok, status = https.request{url = url, cafile = dir .. "/ca.pem", verify = "peer",
                                     sink = require("ltn12").sink.table(out)}
    assert(ok and status == 200, "GET " .. url .. ": " .. tostring(status))
    return table.concat(out)
  end

  setup(function()
    if why then return end
    dir = helpers.tmpname(".acme")
    assert(helpers.run("mkdir -m 700 " .. q(dir)))
    make_tls()
    start_servers()
    directory = "https://127.0.0.1:" .. ports.acme .. "/dir"
    eab_directory = "https://127.0.0.1:" .. ports.eab .. "/dir"
    roots[directory] = fetch("https://127.0.0.1:" .. ports.mgmt .. "/roots/0")
    roots[eab_directory] = fetch("https://127.0.0.1:" .. ports.eab_mgmt .. "/roots/0")
    acme = dofile(helpers.root .. "/examples/acme_client.lua")
    publish, cleanup = acme.challtestsrv("http://127.0.0.1:" .. ports.cts)
  end)

  teardown(function()
    stop_all()
    if dir and dir:match("lcsr%-[^/]*%.acme$") then helpers.run("rm -rf " .. q(dir)) end
  end)

  local function client(key, eab, opts)
    local c = acme.new{directory = eab and eab_directory or directory, account_key = key,
                       cafile = dir .. "/ca.pem", http01 = publish, http01_cleanup = cleanup,
                       poll_interval = 0.1, poll_limit = (opts or {}).poll_limit}
    return c
  end

  local function account(key, eab)
    local c = client(key, eab)
    local acct, p = c:account{contact = {"mailto:ops@example.test"},
                              eab = eab and {kid = EAB_KID, key = EAB_KEY} or nil}
    if not acct then error(tostring(p.type) .. ": " .. tostring(p.detail)) end
    assert.are.equal("valid", acct.status)
    assert.matches("^https://127%.0%.0%.1:%d+/", c.kid)
    return c
  end

  -- The chain: parsed by the module, every link verified by the module and by openssl against
  -- pebble's root, SANs in our order, the leaf for our key and not yet expired.
  local function check_chain(c, pem, names, key)
    local root_pem = roots[c.directory_url]
    helpers.writefile(dir .. "/root.pem", root_pem)
    local chain = assert(csr.certificate.parse_all(pem))
    assert.is_true(#chain >= 2, "a leaf and at least one intermediate")
    local root = assert(csr.certificate.parse(root_pem))
    local leaf = chain[1]
    assert.is_true(leaf:matches(key))
    assert.are.same(names, leaf:san().dns)
    assert.is_true(leaf:not_after() > os.time())
    for i = 1, #chain do
      local issuer = chain[i + 1] or root
      local ok, err = chain[i]:verify(issuer)
      assert.is_true(ok, err)
      assert.are.equal(tostring(issuer:subject()), tostring(chain[i]:issuer()))
    end
    assert.is_false((chain[1]:verify(root)))          -- the check can fail
    local inter = {}
    for i = 2, #chain do inter[#inter + 1] = chain[i]:to_pem() end
    local leaf_f = helpers.tmpfile(leaf:to_pem(), ".pem")
    local inter_f = helpers.tmpfile(table.concat(inter), ".pem")
    local ok, out = helpers.run("openssl verify -CAfile " .. q(dir .. "/root.pem") ..
                                " -untrusted " .. q(inter_f) .. " " .. q(leaf_f))
    os.remove(leaf_f)
    os.remove(inter_f)
    assert.is_true(ok, out)
    assert.matches(": OK", out)
    return chain
  end

  -- asserts an ACME call's first value, naming the problem it returned otherwise
  local function got(v, p)
    if not v then
      error((type(p) == "table" and (tostring(p.type) .. ": " .. tostring(p.detail)) or
             tostring(p)), 2)
    end
    return v
  end

  local function need()
    if why then pending(why) return false end
    return true
  end

  it("P-256 account: certificates for P-256, P-384, RSA and Ed25519 keys", function()
    if not need() then return end
    local c = account(assert(csr.key.generate("ec", {curve = "P-256"})))
    local keys = {
      assert(csr.key.generate("ec", {curve = "P-256"})),
      assert(csr.key.generate("ec", {curve = "P-384"})),
      fixture_key("rsa3072.pem"),
      assert(csr.key.generate("ed25519")),
    }
    for _, k in ipairs(keys) do
      local pem, p = c:certificate(NAMES, {key = k})
      got(pem, p)
      check_chain(c, pem, NAMES, k)
    end
  end)

  it("RSA-2048 account (a fixture key)", function()
    if not need() then return end
    local c = account(fixture_key("rsa2048.pem"))
    local pem, p, k = c:certificate({"rsa-account.example.test"})
    got(pem, p)
    check_chain(c, pem, {"rsa-account.example.test"}, k)
  end)

  for _, kind in ipairs({"P-256", "RSA-2048"}) do
    it(kind .. " account with external account binding", function()
      if not need() then return end
      local key = kind == "P-256" and assert(csr.key.generate("ec")) or fixture_key("rsa2048.pem")
      local c = account(key, true)
      local pem, p, k = c:certificate({"eab.example.test", "eab2.example.test"})
      got(pem, p)
      check_chain(c, pem, {"eab.example.test", "eab2.example.test"}, k)
    end)
  end

  it("the EAB server refuses an account without binding or with a wrong MAC key", function()
    if not need() then return end
    local c = client(assert(csr.key.generate("ec")), true)
    local acct, p = c:account{}
    assert.is_nil(acct)
    assert.are.equal("urn:ietf:params:acme:error:externalAccountRequired", p.type)
    -- the server's own answer, bypassing the client's check of the directory's meta
    local d = assert(c:dir())
    local st, sp = c:post(d.newAccount, {termsOfServiceAgreed = true}, {jwk = true})
    assert.is_nil(st)
    assert.are.equal("urn:ietf:params:acme:error:externalAccountRequired", sp.type)
    assert.is_string(sp.detail)
    local bad = csr.util.base64url_encode(string.rep("k", 48))
    acct, p = c:account{eab = {kid = EAB_KID, key = bad}}
    assert.is_nil(acct)
    assert.matches("^urn:ietf:params:acme:error:", p.type)
  end)

  it("server errors come back as nil, problem; badNonce is retried once", function()
    if not need() then return end
    local c = account(assert(csr.key.generate("ec")))
    local pem, p = c:certificate({"bad_name!.example.test"})
    assert.is_nil(pem)
    assert.are.equal("urn:ietf:params:acme:error:malformed", p.type)   -- pebble's choice
    assert.is_string(p.detail)
    c.nonce = "bogus-nonce"                          -- the server answers badNonce
    pem, p = c:certificate({"nonce.example.test"})
    got(pem, p)
    assert.are.equal(1, c.retries)
    -- an http-01 answer the server cannot find: the authorization fails
    local liar = acme.new{directory = directory, account_key = c.key, cafile = dir .. "/ca.pem",
                          http01 = function() return true end, poll_interval = 0.1}
    assert(liar:account{})
    pem, p = liar:certificate({"liar.example.test"})
    assert.is_nil(pem)
    assert.are.equal("urn:ietf:params:acme:error:unauthorized", p.type)
  end)

  it("key rollover, then deactivation", function()
    if not need() then return end
    local old = assert(csr.key.generate("ec"))
    local c = account(old)
    local kid = c.kid
    local new = assert(csr.key.generate("ec", {curve = "P-384"}))
    assert.is_true(c:rollover(new))
    local pem, p, k = c:certificate({"rolled.example.test"})
    got(pem, p)
    check_chain(c, pem, {"rolled.example.test"}, k)
    -- the old key no longer speaks for the account
    local stale = client(old)
    stale.kid = kid
    local st, sp = stale:post(kid, "")
    assert.is_nil(st)
    assert.matches("^urn:ietf:params:acme:error:", sp.type)
    local acct = assert(c:deactivate())
    assert.are.equal("deactivated", acct.status)
    pem, p = c:certificate({"gone.example.test"})
    assert.is_nil(pem)
    assert.are.equal("urn:ietf:params:acme:error:unauthorized", p.type)
  end)

  it("runs as a command: chain.pem and key.pem for the names", function()
    if not need() then return end
    local out = dir .. "/cli"
    assert(helpers.run("mkdir -m 700 " .. q(out)))
    local cmd = "LUA_CPATH=" .. q(port.cpath() .. ";;") .. " " .. port.flavor() .. " " ..
                q(port.abs(helpers.root) .. "/examples/acme_client.lua")
    local ok, text = helpers.run(cmd)
    assert.is_false(ok)
    assert.matches("usage:", text)
    ok, text = helpers.run(cmd .. " --directory " .. q(directory) .. " --cafile " ..
                           q(dir .. "/ca.pem") .. " --challtestsrv http://127.0.0.1:" ..
                           ports.cts .. " --out " .. q(out) .. " cli.example.test cli2.example.test")
    assert.is_true(ok, text)
    local key = assert(csr.key.parse(helpers.readfile(out .. "/key.pem")))
    local c = {directory_url = directory}
    check_chain(c, helpers.readfile(out .. "/chain.pem"), {"cli.example.test", "cli2.example.test"},
                key)
  end)

  -- What this pebble (2.4) refuses; the README's ACME section lists the same.
  it("documents what pebble refuses: EdDSA account keys, Ed448 certificate keys", function()
    if not need() then return end
    local acct, p = client(assert(csr.key.generate("ed25519"))):account{}
    assert.is_nil(acct)
    assert.are.equal("urn:ietf:params:acme:error:badPublicKey", p.type)
    acct, p = client(assert(csr.key.generate("ed448"))):account{}
    assert.is_nil(acct)
    assert.are.equal("urn:ietf:params:acme:error:malformed", p.type)
    local c = account(assert(csr.key.generate("ec")))
    c.poll_limit = 10
    local pem
    pem, p = c:certificate({"ed448.example.test"}, {key = assert(csr.key.generate("ed448"))})
    assert.is_nil(pem)
    assert.is_table(p)
    assert.matches("unsupported public key type", log("pebble"))
  end)
end)
