-- lua-csr inside a real host: Debian's nginx with libnginx-mod-http-lua (LuaJIT), running
-- examples/nginx.conf on 127.0.0.1 with its own prefix, 2 workers and the module loaded by the
-- master in init_by_lua_block (so the workers inherit it through fork()).
-- Pending where nginx, its Lua module, curl, lua-dkjson or LuaJIT's headers are missing.
-- Under LuaJIT the csr.so under test is used; otherwise the spec first builds one with
-- make LUA=luajit LUA_VERSION=5.1 into <dir of the csr.so under test>/nginx-luajit
-- (build/luajit for ./csr.so; or $CSR_LUAJIT_BUILDDIR).
local helpers = require "spec.helpers"
local port = require "spec.port"
-- examples/nginx.conf answers JSON with lua-cjson or lua-dkjson; the spec reads it with dkjson
local have_json, json = pcall(require, "dkjson")

local q = helpers.shellquote
local MODULES = {"/usr/lib/nginx/modules/ndk_http_module.so",
                 "/usr/lib/nginx/modules/ngx_http_lua_module.so"}
local HITS = 40

local function exists(p)
  local f = io.open(p, "rb")
  if f then f:close() end
  return f ~= nil
end

local function nginx_missing()
  if not port.have("nginx") then return "nginx is not installed" end
  for _, m in ipairs(MODULES) do
    if not exists(m) then return m .. " is missing (libnginx-mod-http-lua)" end
  end
  if not port.have("curl") then return "curl is not installed" end
  if not have_json then return "lua-dkjson is not installed (the answers are JSON)" end
  if port.flavor() ~= "luajit" and not os.getenv("CSR_LUAJIT_BUILDDIR") and
     not helpers.run("pkg-config --exists luajit") then
    return "LuaJIT's headers are missing (libluajit2-5.1-dev): nginx's Lua needs a LuaJIT csr.so"
  end
  return nil
end

describe("csr inside nginx (2 workers, module loaded by the master) #nginx", function()
  local missing = nginx_missing()
  local prefix, conf, url, started, start_log

  local function errlog()
    local f = io.open(prefix .. "/logs/error.log", "rb")
    if not f then return "" end
    local s = f:read("*a")
    f:close()
    return s
  end

  local function get(path, body_file)
    local cmd = "curl -sS --max-time 20 -w '\\n%{http_code}' "
    if body_file then cmd = cmd .. "--data-binary @" .. q(body_file) .. " " end
    local ok, out = helpers.run(cmd .. q(url .. path))
    assert.is_true(ok, out)
    local body, status = out:match("^(.*)\n(%d+)$")
    assert.is_not_nil(status, out)
    return tonumber(status), body
  end

  local function stop()
    if not prefix then return end
    local f = io.open(prefix .. "/logs/nginx.pid", "r")
    local pid = f and f:read("*l")
    if f then f:close() end
    if pid and pid:match("^%d+$") then
      helpers.run("kill -TERM " .. pid)
      -- wait for the master (and with it the workers) to be gone
      helpers.run("(for i in $(seq 50); do kill -0 " .. pid .. " 2>/dev/null || exit 0; " ..
                  "sleep 0.1; done; kill -KILL " .. pid .. ")")
    end
  end

  setup(function()
    if missing then return end
    -- the csr.so under test when this is LuaJIT; else a LuaJIT build next to it (so that
    -- concurrent runs with different build dirs never share object files)
    local so
    local bdir = os.getenv("CSR_LUAJIT_BUILDDIR")
    if not bdir and port.flavor() == "luajit" then
      so = port.csr_so()
    else
      local here = port.dirname(port.csr_so())
      bdir = bdir or (here == port.root and port.root .. "/build/luajit" or here .. "/nginx-luajit")
      so = bdir .. "/csr.so"
      local mk = "make -s --no-print-directory -C " .. q(port.root) ..
                 " LUA=luajit LUA_VERSION=5.1 BUILDDIR=" .. q(bdir) .. " OUT=" .. q(so)
      local built, out = helpers.run(mk)
      assert(built, mk .. "\n" .. out)
    end
    prefix = helpers.tmpname(".nginx")
    assert(helpers.run("mkdir -p " .. q(prefix .. "/logs") .. " " .. q(prefix .. "/temp") ..
                       " " .. q(prefix .. "/lib")))
    assert(helpers.run("cp " .. q(so) .. " " .. q(prefix .. "/lib/csr.so")))
    assert(helpers.run("cp " .. q(port.root .. "/examples/csr_worker.lua") .. " " ..
                       q(prefix .. "/lib/")))
    local example = helpers.readfile(port.root .. "/examples/nginx.conf")
    math.randomseed(os.time() + math.floor(os.clock() * 1e6))
    for _ = 1, 8 do                                  -- a free random port, retried
      local p = math.random(20000, 59999)
      local text, n = example:gsub("listen 127%.0%.0%.1:8080 ", "listen 127.0.0.1:" .. p .. " ")
      assert(n == 1, "examples/nginx.conf: no 'listen 127.0.0.1:8080' line")
      conf = prefix .. "/nginx.conf"
      helpers.writefile(conf, text)
      local ok, log = helpers.run("nginx -p " .. q(prefix .. "/") .. " -c " .. q(conf) ..
                                  " -e " .. q(prefix .. "/logs/error.log"))
      start_log = log
      if ok then
        url = "http://127.0.0.1:" .. p
        started = true
        break
      end
      if not (log .. errlog()):find("in use", 1, true) then break end
    end
    if started then                                  -- wait until it answers
      helpers.run("(for i in $(seq 50); do curl -sf -o /dev/null " .. q(url .. "/key") ..
                  " && exit 0; sleep 0.1; done; exit 1)")
    end
  end)

  teardown(function()
    local ok, err = pcall(stop)
    if prefix and prefix:match("lcsr%-[^/]*%.nginx$") then helpers.run("rm -rf " .. q(prefix)) end
    assert(ok, err)
  end)

  local function need()
    if missing then pending(missing) return false end
    assert.is_true(started, "nginx did not start: " .. tostring(start_log) .. "\n" ..
                   (prefix and errlog() or ""))
    return true
  end

  it("GET /csr?cn= returns a PEM CSR that openssl req -verify accepts #openssl", function()
    if not need() then return end
    local status, pem = get("/csr?cn=www.example.com")
    assert.are.equal(200, status, pem)
    assert.truthy(pem:find("^%-%-%-%-%-BEGIN CERTIFICATE REQUEST%-%-%-%-%-\n"), pem)
    local file = helpers.tmpfile(pem, ".pem")
    local ok, out = helpers.run("openssl req -in " .. q(file) .. " -verify -noout -subject")
    local ok2, text = helpers.run("openssl req -in " .. q(file) .. " -noout -text")
    os.remove(file)
    assert.is_true(ok, out)
    assert.truthy(out:find("verify OK", 1, true), out)
    assert.truthy(out:find("CN%s*=%s*www%.example%.com"), out)
    assert.is_true(ok2, text)
    assert.truthy(text:find("DNS:www.example.com", 1, true), text)
    assert.truthy(text:find("prime256v1", 1, true), text)
    local bad = get("/csr")
    assert.are.equal(400, bad)
  end)

  it("GET /rsa-csr makes the RSA key in nginx's thread pool (ngx.run_worker_thread) #openssl",
     function()
    if not need() then return end
    local status, pem = get("/rsa-csr?cn=rsa.example.com")
    assert.are.equal(200, status, pem)
    local file = helpers.tmpfile(pem, ".pem")
    local ok, out = helpers.run("openssl req -in " .. q(file) .. " -verify -noout -text")
    os.remove(file)
    assert.is_true(ok, out)
    assert.truthy(out:find("verify OK", 1, true), out)
    assert.truthy(out:find("Public%-Key: %(2048 bit%)"), out)
    assert.truthy(out:find("CN%s*=%s*rsa%.example%.com"), out)
  end)

  it("POST /inspect verifies a CSR and answers subject and SAN as JSON #openssl", function()
    if not need() then return end
    local key = helpers.tmpname(".key")
    local pemf = helpers.tmpname(".pem")
    local ok, out = helpers.run("openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-384 " ..
      "-nodes -keyout " .. q(key) .. " -out " .. q(pemf) ..
      " -subj '/O=Peer Inc/CN=peer.example' " ..
      "-addext 'subjectAltName=DNS:peer.example,DNS:www.peer.example,IP:192.0.2.7'")
    os.remove(key)
    assert.is_true(ok, out)
    local status, body = get("/inspect", pemf)
    assert.are.equal(200, status, body)
    local r = json.decode(body)
    assert.is_table(r, body)
    assert.is_true(r.verified, body)
    assert.are.equal("CN=peer.example,O=Peer Inc", r.subject)
    assert.are.equal("peer.example", r.cn)
    assert.are.same({"peer.example", "www.peer.example"}, r.san.dns)
    assert.are.same({"192.0.2.7"}, r.san.ip)
    assert.are.equal("ecdsa-with-SHA256", r.signature_algorithm)
    -- the same CSR with its last signature byte changed: parsed, but does not verify
    local der = helpers.tmpname(".der")
    assert(helpers.run("openssl req -in " .. q(pemf) .. " -outform DER -out " .. q(der)))
    os.remove(pemf)
    local bytes = helpers.readfile(der)
    local last = bytes:byte(#bytes)
    helpers.writefile(der, bytes:sub(1, -2) .. string.char((last + 1) % 256))
    local s2, b2 = get("/inspect", der)
    os.remove(der)
    assert.are.equal(200, s2, b2)
    local r2 = json.decode(b2)
    assert.is_false(r2.verified, b2)
    assert.is_string(r2.reason, b2)
    -- not a CSR at all: 400 with the parser's message
    local junk = helpers.tmpfile("hello, not a CSR", ".txt")
    local s3, b3 = get("/inspect", junk)
    os.remove(junk)
    assert.are.equal(400, s3, b3)
    assert.truthy(json.decode(b3).error:find("^csr%.request%.parse: "), b3)
  end)

  it("keys made in both workers, request after request, are all distinct", function()
    if not need() then return end
    local pids, fps, n = {}, {}, 0
    for _ = 1, HITS do
      local status, body = get("/key")
      assert.are.equal(200, status, body)
      local pid, fp = body:match("^(%d+) (%x+)\n$")
      assert.is_not_nil(fp, body)
      assert.are.equal(64, #fp)
      assert.is_nil(fps[fp], "key repeated: " .. fp)
      fps[fp] = true
      if not pids[pid] then pids[pid] = true; n = n + 1 end
    end
    assert.is_true(n >= 2, "all " .. HITS .. " requests answered by one worker")
  end)

  it("ECDSA signatures by the master's key, made in both workers, never repeat", function()
    if not need() then return end
    local msg = helpers.tmpfile("the same message every time", ".txt")
    local pids, sigs, n = {}, {}, 0
    for _ = 1, HITS do
      local status, body = get("/sign", msg)
      assert.are.equal(200, status, body)
      local pid, sig = body:match("^(%d+) (%x+)\n$")
      assert.is_not_nil(sig, body)
      assert.truthy(sig:find("^30"), sig)             -- DER ECDSA-Sig-Value
      assert.is_nil(sigs[sig], "signature repeated (ECDSA nonce reuse): " .. sig)
      sigs[sig] = true
      if not pids[pid] then pids[pid] = true; n = n + 1 end
    end
    os.remove(msg)
    assert.is_true(n >= 2, "all " .. HITS .. " requests answered by one worker")
  end)

  it("runs 2 worker processes and leaves no error in the error log", function()
    if not need() then return end
    local pid = helpers.readfile(prefix .. "/logs/nginx.pid"):match("%d+")
    local ok, out = helpers.run("ps -o pid= --ppid " .. pid)
    assert.is_true(ok, out)
    local workers = 0
    for _ in out:gmatch("%d+") do workers = workers + 1 end
    assert.are.equal(2, workers, out)
    local log = errlog()
    for _, level in ipairs({"[error]", "[crit]", "[alert]", "[emerg]"}) do
      assert.is_nil(log:find(level, 1, true), log)
    end
  end)
end)
