-- The csr command (examples/csr) run as a subprocess, under the interpreter running the specs
-- with the csr.so they load: exit codes, stdout and stderr, and the files it writes judged by
-- openssl.
local csr = require "csr"
local helpers = require "spec.helpers"

local LUA = helpers.interpreter()
local CPATH = helpers.abs_cpath()
local ROOT = helpers.root:sub(1, 1) == "/" and helpers.root or
             (select(2, helpers.run("pwd")):gsub("%s+$", "")) .. "/" .. helpers.root:gsub("^%./", "")
local KEYS = ROOT .. "/spec/fixtures/keys/"
local q = helpers.shellquote

local dir
local function path(name) return dir .. "/" .. name end

-- runs `csr ARGS` in dir with env (a prefix such as "VAR=x "); returns status, stdout, stderr
local function tool(args, env, stdin)
  return helpers.run_split("cd " .. q(dir) .. " && " .. (env or "") .. "LUA_CPATH=" .. q(CPATH) ..
                           " " .. q(LUA) .. " " .. q(ROOT .. "/examples/csr") .. " " .. args ..
                           (stdin and (" <" .. q(stdin)) or " </dev/null"))
end

-- one line on stderr, "csr: …", never a traceback
local function one_line_error(err)
  assert.truthy(err:match("^csr: [^\n]+\n$"), "stderr: " .. err)
  assert.falsy(err:find("traceback", 1, true), err)
  assert.falsy(err:find("%.lua:%d+:"), err)
end

local function openssl(args)
  return helpers.run("cd " .. q(dir) .. " && openssl " .. args)
end

local function have_openssl() return (helpers.run("openssl version")) end

local function mode(p)
  local _, out = helpers.run("stat -c %a " .. q(p))
  return (out:gsub("%s+$", ""))
end

describe("the csr tool", function()
  before_each(function()
    dir = helpers.tmpname(".d")
    assert(helpers.run("mkdir -m 700 " .. q(dir)))
  end)
  after_each(function() helpers.run("rm -rf " .. q(dir)) end)

  describe("help and usage", function()
    it("prints usage and exits 2 without a command, 0 with --help", function()
      local st, out, err = tool("")
      assert.are.equal(2, st)
      assert.are.equal("", out)
      assert.truthy(err:find("usage: csr COMMAND", 1, true))
      st, out = tool("--help")
      assert.are.equal(0, st)
      for _, c in ipairs{"new", "show", "verify", "check", "sign", "ca init"} do
        assert.truthy(out:find("\n  " .. c .. " ", 1, true), c)
      end
    end)
    it("has --help for every command", function()
      for _, c in ipairs{"new", "show", "verify", "check", "sign", "ca"} do
        local st, out, err = tool(c .. " --help")
        assert.are.equal(0, st, c .. err)
        assert.truthy(out:find("usage: csr " .. c, 1, true), c .. ": " .. out)
        st, out = tool("help " .. c)
        assert.are.equal(0, st)
        assert.truthy(out:find("usage: csr " .. c, 1, true), c)
      end
    end)
    it("answers usage and input errors with exit 2 and one line, never a traceback", function()
      local req = path("r.pem")
      helpers.writefile(req, "not a request")
      for _, args in ipairs{"bogus", "new --nope", "new --key", "new --key dsa:1024 --keyout k.pem",
                            "new --key rsa:1000 --keyout k.pem", "new --key ec:P-192 --keyout k.pem",
                            "new --keyout k.pem --ku frobnicate", "new --keyout k.pem --san FTP:x",
                            "new --keyout k.pem --subj /XX=1", "new --key-in /nonexistent",
                            "new --key-in " .. q(KEYS .. "ec-p256-enc.pem"),
                            "new --key-in " .. q(KEYS .. "ec-p256-enc.pem") .. " --passin env:NOPE_UNSET",
                            "new --key-in " .. q(KEYS .. "ec-p256.pem") .. " --passin secret",
                            "new --keyout k.pem --pss", "show", "show a b", "show " .. q(req),
                            "verify /nonexistent", "check " .. q(req), "check x --max-sans -1",
                            "check x --curves", "ca", "ca frob", "sign x", "new --config /nonexistent"} do
        local st, out, err = tool(args)
        assert.are.equal(2, st, args .. " -> " .. err)
        one_line_error(err)
      end
    end)
  end)

  describe("csr_commands.lua (the commands other than new, loaded on demand)", function()
    -- runs a copy of the tool in dir; LUA_PATH set to lpath when given
    local function copy_run(tool_path, args, lpath)
      return helpers.run_split("cd " .. q(dir) .. " && LUA_CPATH=" .. q(CPATH) ..
                               (lpath and " LUA_PATH=" .. q(lpath) or "") .. " " .. q(LUA) .. " " ..
                               q(tool_path) .. " " .. args .. " </dev/null")
    end

    it("is not needed by new; without it the other commands say what is missing", function()
      assert(helpers.run("mkdir " .. q(path("bin")) .. " && cp " .. q(ROOT .. "/examples/csr") ..
                         " " .. q(path("bin/csr"))))
      local st, out, err = copy_run(path("bin/csr"), "new --subj /CN=example.com --keyout k.pem",
                                    path("nowhere/?.lua"))
      assert.are.equal(0, st, err)
      assert.truthy(out:find("-----BEGIN CERTIFICATE REQUEST-----", 1, true))
      for _, args in ipairs{"--help", "show x.pem", "new --help"} do
        st, out, err = copy_run(path("bin/csr"), args, path("nowhere/?.lua"))
        assert.are.equal(2, st, args)
        one_line_error(err)
        assert.truthy(err:find("cannot load csr_commands", 1, true), err)
      end
    end)

    it("is installed by make install beside the module, where the installed csr finds it", function()
      local dest, so = path("dest"), helpers.abs_cpath():match("([^;]*)%?%.so")
      so = so and so .. "csr.so"
      assert(so and helpers.exists(so), "no csr.so along " .. CPATH)
      local ok, text = helpers.run("make -C " .. q(ROOT) .. " --no-print-directory -o " .. q(so) ..
                                   " install OUT=" .. q(so) .. " DESTDIR=" .. q(dest) ..
                                   " INST_LIBDIR=/lib INST_BINDIR=/bin INST_LUADIR=/share")
      assert.is_true(ok, text)
      local st, out, err = copy_run(dest .. "/bin/csr", "new --subj /CN=example.com --san " ..
                                    "DNS:example.com --keyout k.pem --out r.pem", dest .. "/share/?.lua")
      assert.are.equal(0, st, err)
      st, out, err = copy_run(dest .. "/bin/csr", "check r.pem", dest .. "/share/?.lua")
      assert.are.equal(0, st, out .. err)
      assert.are.equal("check OK\n", out)
    end)
  end)

  describe("new", function()
    it("writes a key (0600) and a request that openssl verifies and reads back", function()
      local st, out, err = tool("new --key ec:P-256 --subj /C=US/O=Example/CN=example.com " ..
                                "--san DNS:example.com,IP:192.0.2.1,email:a@example.com," ..
                                "URI:https://example.com --ku digitalSignature --eku serverAuth " ..
                                "--out req.pem --keyout key.pem")
      assert.are.equal(0, st, err)
      assert.are.equal("", out .. err)
      assert.are.equal("600", mode(path("key.pem")))
      local k = assert(csr.key.parse(helpers.readfile(path("key.pem"))))
      local r = assert(csr.request.parse(helpers.readfile(path("req.pem"))))
      assert.is_true(r:matches(k))
      assert.are.equal("CN=example.com,O=Example,C=US", tostring(r:subject()))
      if not have_openssl() then pending("openssl CLI not installed") return end
      local ok, text = openssl("req -in req.pem -noout -verify -text")
      assert.is_true(ok, text)
      assert.truthy(text:find("verify OK", 1, true))
      assert.truthy(text:find("DNS:example.com, IP Address:192.0.2.1, email:a@example.com, " ..
                              "URI:https://example.com", 1, true), text)
      assert.truthy(text:find("Digital Signature", 1, true))
      assert.truthy(text:find("TLS Web Server Authentication", 1, true))
      assert.truthy(text:find("Subject: C = US, O = Example, CN = example.com", 1, true), text)
      ok, text = openssl("pkey -in key.pem -noout -check")
      assert.is_true(ok, text)
    end)

    it("never overwrites a file without --force", function()
      assert.are.equal(0, (tool("new --subj /CN=a --out req.pem --keyout key.pem")))
      local before = helpers.readfile(path("key.pem"))
      local st, out, err = tool("new --subj /CN=b --out req2.pem --keyout key.pem")
      assert.are.equal(2, st)
      one_line_error(err)
      assert.truthy(err:find("--force", 1, true))
      assert.are.equal(before, helpers.readfile(path("key.pem")))
      st, out, err = tool("new --subj /CN=b --out req.pem --keyout key2.pem")
      assert.are.equal(2, st, err)
      st, out, err = tool("new --subj /CN=b --out req.pem --keyout key.pem --force")
      assert.are.equal(0, st, err)
      assert.are_not.equal(before, helpers.readfile(path("key.pem")))
      assert.are.equal("600", mode(path("key.pem")))
    end)

    it("writes to standard output with -", function()
      local st, out, err = tool("new --key ed25519 --subject CN=example.com --keyout - --out -")
      assert.are.equal(0, st, err)
      assert.truthy(out:find("-----BEGIN PRIVATE KEY-----", 1, true))
      assert.truthy(out:find("-----BEGIN CERTIFICATE REQUEST-----", 1, true))
      local r = assert(csr.request.parse(out))
      assert.are.equal("ed25519", r:signature_algorithm())
      assert.is_true(r:matches(assert(csr.key.parse(out))))
    end)

    it("reads --key-in with --passin, encrypts with --passout, takes --digest and --pss", function()
      local st, out, err = tool("new --key-in " .. q(KEYS .. "ec-p256-enc.pem") ..
                                " --passin env:PW --subj /CN=x --digest sha384", "PW=secret ")
      assert.are.equal(0, st, err)
      local r = assert(csr.request.parse(out))
      assert.are.equal("ecdsa-with-SHA384", r:signature_algorithm())
      assert.is_true(r:matches(assert(csr.key.parse(helpers.fixture("keys/ec-p256.pem")))))
      helpers.writefile(path("pw"), "secret\n")
      st, out, err = tool("new --key-in " .. q(KEYS .. "rsa2048-enc.pem") .. " --passin file:pw --pss" ..
                          " --subj /CN=x")
      assert.are.equal(0, st, err)
      assert.are.equal("rsassaPss", assert(csr.request.parse(out)):signature_algorithm())
      st, out, err = tool("new --key ec:P-384 --subj /CN=x --keyout k.pem --out r.pem --passout env:PW",
                          "PW=hunter2 ")
      assert.are.equal(0, st, err)
      assert.truthy(helpers.readfile(path("k.pem")):find("ENCRYPTED PRIVATE KEY", 1, true))
      assert.is_truthy(csr.key.parse(helpers.readfile(path("k.pem")), {passphrase = "hunter2"}))
      if have_openssl() then
        local ok, text = openssl("pkey -in k.pem -passin pass:hunter2 -noout -check")
        assert.is_true(ok, text)
      end
    end)

    it("reads an openssl.cnf: [req], the DN section, the extension section, alt_names", function()
      helpers.writefile(path("openssl.cnf"), [[
# as kept for openssl req -config
[ req ]
default_bits       = 2048
default_md         = sha384
prompt             = no
distinguished_name = dn
req_extensions     = v3_req

[ dn ]
C  = DE
O  = "Beispiel GmbH"
0.OU = Ops
1.OU = Web
CN = www.example.de

[ v3_req ]
basicConstraints = CA:FALSE
keyUsage = critical, digitalSignature, keyEncipherment
extendedKeyUsage = serverAuth, clientAuth
subjectAltName = @alt_names

[ alt_names ]
DNS.1 = www.example.de
DNS.2 = example.de
IP.1  = 192.0.2.7
email.1 = ops@example.de
]])
      local st, out, err = tool("new --config openssl.cnf --key-in " .. q(KEYS .. "rsa2048.pem"))
      assert.are.equal(0, st, err)
      local r = assert(csr.request.parse(out))
      assert.are.equal("sha384WithRSAEncryption", r:signature_algorithm())
      assert.are.equal("CN=www.example.de,OU=Web,OU=Ops,O=Beispiel GmbH,C=DE", tostring(r:subject()))
      assert.are.same({dns = {"www.example.de", "example.de"}, ip = {"192.0.2.7"},
                       email = {"ops@example.de"}}, r:san())
      assert.are.same({"digitalSignature", "keyEncipherment"}, r:key_usage())
      assert.are.same({"serverAuth", "clientAuth"}, r:extended_key_usage())
      assert.are.same({ca = false}, r:basic_constraints())
      for _, e in ipairs(r:extensions()) do
        assert.are.equal(e.name == "keyUsage", e.critical, e.name)
      end
      -- the command line wins over the file
      st, out, err = tool("new --config openssl.cnf --key-in " .. q(KEYS .. "ec-p256.pem") ..
                          " --subj /CN=other.example --san DNS:other.example --digest sha256")
      assert.are.equal(0, st, err)
      r = assert(csr.request.parse(out))
      assert.are.equal("CN=other.example", tostring(r:subject()))
      assert.are.same({dns = {"other.example"}}, r:san())
      assert.are.equal("ecdsa-with-SHA256", r:signature_algorithm())
      -- default_bits makes an RSA key of that size; prompt = yes reads the *_default values
      helpers.writefile(path("p.cnf"), "[req]\ndefault_bits = 2048\ndistinguished_name = d\n" ..
                        "[d]\ncountryName = Country\ncountryName_default = FR\n" ..
                        "commonName = Name\ncommonName_default = x.example\n")
      st, out, err = tool("new --config p.cnf --keyout k.pem --out r.pem")
      assert.are.equal(0, st, err)
      assert.are.equal(2048, assert(csr.key.parse(helpers.readfile(path("k.pem")))):bits())
      assert.are.equal("CN=x.example,C=FR",
                       tostring(assert(csr.request.parse(helpers.readfile(path("r.pem")))):subject()))
      if have_openssl() then
        local ok, text = openssl("req -in r.pem -noout -verify")
        assert.is_true(ok, text)
      end
    end)
  end)

  describe("show, verify, check", function()
    local function make(args)
      local st, out, err = tool("new --key-in " .. q(KEYS .. "ec-p256.pem") .. " " .. args)
      assert.are.equal(0, st, err)
      helpers.writefile(path("req.pem"), out)
      return out
    end

    it("show prints the text dump", function()
      make("--subj /CN=example.com --san DNS:example.com")
      local st, out, err = tool("show req.pem")
      assert.are.equal(0, st, err)
      assert.are.equal(assert(csr.request.parse(helpers.readfile(path("req.pem")))):text(), out)
      st, out = tool("show -", nil, path("req.pem"))
      assert.are.equal(0, st)
      assert.truthy(out:find("Certificate Request:", 1, true))
    end)

    it("verify: exit 0 and verify OK, or exit 1 and the reason", function()
      local pem = make("--subj /CN=example.com --san DNS:example.com")
      local st, out, err = tool("verify req.pem")
      assert.are.same({0, "verify OK\n", ""}, {st, out, err})
      local der = assert(csr.request.parse(pem)):to_der()
      helpers.writefile(path("bad.der"), der:sub(1, -2) .. string.char((der:byte(-1) + 1) % 256))
      st, out, err = tool("verify bad.der")
      assert.are.equal(1, st)
      assert.are.equal("", out)
      one_line_error(err)
      assert.truthy(err:find("verify failed", 1, true), err)
    end)

    it("check: one line per problem, exit 1; check OK, exit 0", function()
      make("--subj /CN=www.example.com --san DNS:example.com,DNS:bad_name.example.com,IP:10.0.0.1")
      local st, out, err = tool("check req.pem --public-ip-only")
      assert.are.equal(1, st, err)
      assert.are.equal("", err)
      local lines = {}
      for l in out:gmatch("[^\n]+") do lines[#lines + 1] = l end
      assert.are.same({
        'cn_not_in_san subject.CN: the CN "www.example.com" is not among the DNS SANs',
        'bad_dns_name san.dns: "bad_name.example.com" is not a valid host name: underscore in a label',
        "bad_ip san.ip: 10.0.0.1 is not a public address: private (10.0.0.0/8)"}, lines)
      st, out = tool("check req.pem")
      assert.are.equal(1, st)
      assert.are.equal(2, select(2, out:gsub("\n", "")))
      make("--subj /CN=example.com --san DNS:example.com")
      st, out, err = tool("check req.pem")
      assert.are.same({0, "check OK\n", ""}, {st, out, err})
    end)

    it("check: the options change the policy", function()
      local st, out
      st, out = tool("check " .. q(ROOT .. "/spec/fixtures/policy/rsa-e3-req.pem"))
      assert.are.same({1, "weak_key public_key: RSA public exponent 3 is not allowed\n"}, {st, out})
      st, out = tool("check " .. q(ROOT .. "/spec/fixtures/policy/rsa-e3-req.pem") ..
                     " --rsa-exponents 3,65537")
      assert.are.equal(0, st, out)
      make("--subj /CN=example.com --san DNS:example.com,DNS:www.example.com --key-in " ..
           q(KEYS .. "ec-p256.pem"))
      assert.are.equal(1, (tool("check req.pem --max-sans 1")))
      assert.are.equal(1, (tool("check req.pem --curves P-384")))
      assert.are.equal(0, (tool("check req.pem --curves P-384,P-256 --max-sans 2")))
      assert.are.equal(1, (tool("check req.pem --digests sha384")))
      helpers.writefile(path("ca.cnf"), "[req]\nprompt = no\ndistinguished_name = d\nreq_extensions = e\n" ..
                        "[d]\nCN = Example CA\n[e]\nbasicConstraints = critical, CA:TRUE\n")
      local out2
      st, out2 = tool("new --config ca.cnf --key-in " .. q(KEYS .. "ec-p256.pem") .. " --out ca-req.pem")
      assert.are.equal(0, st, out2)
      st, out = tool("check ca-req.pem --no-require-san")
      assert.are.same({1, "ca_requested basic_constraints: basicConstraints asks for CA:TRUE and " ..
                          "the policy does not allow CAs\n"}, {st, out})
      assert.are.equal(0, (tool("check ca-req.pem --no-require-san --allow-ca")))
    end)
  end)

  it("examples/ca.lua: CA, key + CSR, check, issue; openssl verifies the certificate", function()
    if not csr.certificate then pending("csr.certificate is not in this build") return end
    local run = function()
      return helpers.run_split("cd " .. q(dir) .. " && LUA_CPATH=" .. q(CPATH) .. " " .. q(LUA) ..
                               " " .. q(ROOT .. "/examples/ca.lua") .. " . api.example.com")
    end
    local st, out, err = run()
    assert.are.equal(0, st, err)
    assert.truthy(out:find("issued CN=api.example.com", 1, true), out)
    assert.truthy(out:find("csr verify: OK", 1, true), out)
    assert.are.equal("600", mode(path("ca.key")))
    assert.are.equal("600", mode(path("server.key")))
    local ca = assert(csr.certificate.parse(helpers.readfile(path("ca.pem"))))
    local cert = assert(csr.certificate.parse(helpers.readfile(path("server.pem"))))
    assert.is_true(cert:verify(ca))
    assert.is_true(cert:matches(assert(csr.key.parse(helpers.readfile(path("server.key"))))))
    assert.are.same({dns = {"api.example.com"}}, cert:san())
    if have_openssl() then
      assert.truthy(out:find("server.pem: OK", 1, true), out)
      local ok, text = openssl("verify -CAfile ca.pem server.pem")
      assert.is_true(ok, text)
    end
    st, out, err = run()                     -- never overwrites
    assert.are.equal(1, st)
    assert.truthy(err:find("exists; not overwriting", 1, true), err)
  end)

  describe("ca init and sign", function()
    it("makes a CA, issues a certificate openssl verifies, refuses a request failing the policy",
       function()
      if not csr.certificate then pending("csr.certificate is not in this build") return end
      local st, out, err = tool("ca init --subj /CN=Example\\ Root --key ec:P-384 --days 3650 " ..
                                "--out ca.pem --keyout ca.key")
      assert.are.equal(0, st, err)
      assert.are.equal("600", mode(path("ca.key")))
      local ca = assert(csr.certificate.parse(helpers.readfile(path("ca.pem"))))
      assert.are.same({ca = true}, (ca:basic_constraints()))
      st, out, err = tool("new --key ec:P-256 --subj /CN=www.example.com --san DNS:www.example.com " ..
                          "--keyout leaf.key --out leaf.csr")
      assert.are.equal(0, st, err)
      st, out, err = tool("sign --ca ca.pem --ca-key ca.key --days 90 leaf.csr --out leaf.pem")
      assert.are.equal(0, st, err)
      local cert = assert(csr.certificate.parse(helpers.readfile(path("leaf.pem"))))
      assert.is_true(cert:verify(ca))
      assert.are.same({dns = {"www.example.com"}}, cert:san())
      st, out, err = tool("verify leaf.pem --ca ca.pem")
      assert.are.same({0, "verify OK\n"}, {st, out})
      st, out, err = tool("verify ca.pem")            -- self-signed: with its own key
      assert.are.same({0, "verify OK\n"}, {st, out})
      st, out, err = tool("verify leaf.pem")          -- not self-signed
      assert.are.equal(1, st)
      one_line_error(err)
      st, out, err = tool("sign --ca ca.pem --ca-key ca.key --digest sha512 --serial 0a1b2c " ..
                          "leaf.csr --out leaf2.pem")
      assert.are.equal(0, st, err)
      local c2 = assert(csr.certificate.parse(helpers.readfile(path("leaf2.pem"))))
      assert.are.equal("a1b2c", c2:serial())
      assert.are.equal("ecdsa-with-SHA512", c2:signature_algorithm())
      assert.is_true(c2:not_after() - c2:not_before() >= 90 * 86400 - 1)
      st, out, err = tool("show leaf.pem")
      assert.are.equal(0, st, err)
      assert.truthy(out:find("www.example.com", 1, true))
      if have_openssl() then
        local ok, text = openssl("verify -CAfile ca.pem leaf.pem")
        assert.is_true(ok, text)
        assert.truthy(text:find("leaf.pem: OK", 1, true), text)
      end
      -- a request failing the policy: not issued (exit 1, the problems on stderr); --no-check
      st, out, err = tool("new --key ec:P-256 --subj /CN=bad_name.example --keyout b.key --out b.csr")
      assert.are.equal(0, st, err)
      st, out, err = tool("sign --ca ca.pem --ca-key ca.key b.csr --out b.pem")
      assert.are.equal(1, st)
      assert.truthy(err:find("no_san san:", 1, true), err)
      assert.is_false(helpers.run("test -e " .. q(path("b.pem"))))
      st, out, err = tool("sign --ca ca.pem --ca-key ca.key --no-check b.csr --out b.pem")
      assert.are.equal(0, st, err)
    end)
  end)
end)
