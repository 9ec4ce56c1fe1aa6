-- csr_commands: the parts of the csr command (examples/csr) that `csr new` does not run: the
-- usage texts, show, verify, check, sign, ca init and the openssl.cnf reader of new --config.
-- The tool requires it only when one of these is asked for, so `csr new` compiles less than half
-- of the code (compiling the whole tool was half of what a `csr new` process cost). Not an API:
-- it returns a function that takes the tool's helpers and returns {HELP =, CMD =, from_config =}.
return function(T)
  local csr, die, usage_error, input_error, need = T.csr, T.die, T.usage_error, T.input_error, T.need
  local unpack, toint, split = T.unpack, T.toint, T.split
  local parse_args, read_input, refuse_overwrite = T.parse_args, T.read_input, T.refuse_overwrite
  local write_output, passphrase, write_key = T.write_output, T.passphrase, T.write_key
  local new_key, ext_list, add_san = T.new_key, T.ext_list, T.add_san

  -- ---- usage ----------------------------------------------------------------------------------
  local HELP = {}
  HELP[""] = [==[
usage: csr COMMAND [options]   (csr COMMAND --help for one command)
  new      make a key (or read one) and a signed certificate signing request
  show     print a request or certificate as text
  verify   check a request's self-signature (or a certificate's signature)
  check    check a request against a CA policy: one line per problem
  sign     check a request, then issue a certificate for it with a CA key
  ca init  make a CA: a key and a self-signed CA certificate
exit status: 0 done / verify OK / no problem, 1 verify failed or a policy problem,
2 usage or input error
]==]
  HELP.new = [==[
usage: csr new [--key TYPE | --key-in FILE [--passin SRC]] [--subj /C=US/O=Example/CN=name |
  --subject "CN=name,O=Example,C=US"] [--san DNS:a,IP:b,email:c,URI:d] [--ku digitalSignature,...]
  [--eku serverAuth,...] [--digest sha256|sha384|sha512] [--pss] [--config openssl.cnf]
  [--out req.pem] [--keyout key.pem] [--passout SRC] [--force]
TYPE: ec:P-256 (default), ec:P-384, ec:P-521, rsa:BITS (2048..4096), ed25519, ed448; a new key
needs --keyout (mode 0600). --config reads [req] (default_bits, default_md, prompt,
distinguished_name, req_extensions), the DN section and the extension section (subjectAltName,
@alt_names, keyUsage, extendedKeyUsage, basicConstraints); the command line wins. --out and
--keyout take - for standard output (--out defaults to it). SRC: pass:WORD, env:VAR, file:PATH.
No file is overwritten without --force.
]==]
  HELP.show = "usage: csr show FILE\n  the request or certificate in FILE (PEM or DER; - for stdin) as text\n"
  HELP.verify = [==[
usage: csr verify FILE [--ca CA.pem]
  A request: its self-signature; a certificate: its signature by --ca (default: itself).
  "verify OK" and exit 0, else the reason on stderr and exit 1.
]==]
  HELP.check = [==[
usage: csr check FILE [--allow-ca] [--min-rsa-bits N] [--max-rsa-bits N] [--rsa-exponents LIST]
  [--curves LIST] [--no-eddsa] [--digests LIST] [--no-require-san] [--public-ip-only]
  [--max-sans N] [--no-wildcards]
  One line per problem, "code field: message", and exit 1; else "check OK". The options change
  a public TLS CA's policy. LISTs are comma-separated (--curves P-256,P-384).
]==]
  HELP.sign = [==[
usage: csr sign --ca ca.pem --ca-key ca.key [--passin SRC] [--days 90] [--digest NAME] [--pss]
  [--serial HEX] [--no-check] [check options] REQ [--out cert.pem] [--force]
  Checks the request as csr check does (--no-check: only its signature), then issues a
  certificate with the request's SANs, keyUsage, extendedKeyUsage and must-staple.
]==]
  HELP.ca = [==[
usage: csr ca init --subj /CN=Example Root [--key ec:P-384] [--days 3650] [--digest NAME]
  [--out ca.pem] [--keyout ca.key] [--passout SRC] [--force]
  A CA key and a self-signed CA certificate (CA:TRUE, keyCertSign, cRLSign).
]==]

  local function number_opt(cmd, name, v, lo, hi)
    local n = tonumber(v)
    if n and n == math.floor(n) and n >= lo and n <= hi then return toint(n) end
    usage_error("%s: --%s must be an integer from %d to %d", cmd, name, lo, hi)
  end

  -- ---- openssl.cnf (the parts `openssl req -config` uses for a request) ----------------------
  -- Returns {sections = {name = { {key, value}, … }}, get = function(section, key)}
  local function read_config(path)
    local sections, cur, n = {default = {}}, "default", 0
    for line in (read_input(path) .. "\n"):gmatch("([^\n]*)\n") do
      n = n + 1
      line = line:gsub("\r$", ""):gsub("^%s+", ""):gsub("%s+#.*$", ""):gsub("^#.*$", "")
      if line ~= "" then
        local sec = line:match("^%[%s*([^%]]-)%s*%]$")
        if sec then
          cur = sec
          sections[cur] = sections[cur] or {}
        else
          local k, v = line:match("^([^=]-)%s*=%s*(.-)%s*$")
          if not k or k == "" then input_error("%s line %d: expected name = value", path, n) end
          v = v:match('^"(.*)"$') or v:match("^'(.*)'$") or v
          table.insert(sections[cur], {k, v})
        end
      end
    end
    local cfg = {sections = sections, path = path}
    function cfg.get(section, key)
      for _, kv in ipairs(sections[section] or {}) do if kv[1] == key then return kv[2] end end
      return section ~= "default" and cfg.get("default", key) or nil
    end
    return cfg
  end

  -- The DN section in file order; with prompt = no the values themselves, else the *_default ones.
  local function config_subject(cfg, section, prompt)
    local entries = {}
    for _, kv in ipairs(cfg.sections[section] or {}) do
      local k = kv[1]:gsub("^%d+%.", "")
      if prompt then k = k:match("^(.-)_default$") elseif k:match("_min$") or k:match("_max$") then k = nil end
      if k then entries[#entries + 1] = {k, kv[2]} end
    end
    return entries
  end

  -- The extension section (req_extensions) into o (request options)
  local function config_extensions(cfg, section, o)
    for _, kv in ipairs(cfg.sections[section] or {}) do
      local k, v = kv[1], kv[2]
      if k == "subjectAltName" then
        o.san = o.san or {}
        for _, item in ipairs(split(v, ",")) do
          local ref = item:match("^@(.+)$")
          if ref and not cfg.sections[ref] then input_error("%s: no section [%s]", cfg.path, ref) end
          for _, e in ipairs(ref and cfg.sections[ref] or {}) do add_san(o.san, e[1] .. ":" .. e[2], cfg.path) end
          if not ref and item ~= "critical" then add_san(o.san, item, cfg.path) end
        end
      elseif k == "keyUsage" then          -- as openssl: critical only when the line says so
        o.key_usage = ext_list(v)
        o.key_usage.critical = o.key_usage.critical or false
      elseif k == "extendedKeyUsage" then
        o.extended_key_usage = ext_list(v)
      elseif k == "basicConstraints" then
        local bc = {ca = false}
        for _, item in ipairs(ext_list(v)) do
          local name, val = item:match("^(%a+)%s*:%s*(.-)$")
          if name and name:lower() == "ca" then bc.ca = val:upper() == "TRUE"
          elseif name and name:lower() == "pathlen" then bc.pathlen = tonumber(val)
          else input_error("%s: basicConstraints item %q is not understood", cfg.path, item) end
        end
        bc.critical = ext_list(v).critical or false
        o.basic_constraints = bc
      end
    end
  end

  -- The request options and key choice from --config
  local function from_config(path)
    local cfg, o = read_config(path), {}
    local bits, c = cfg.get("req", "default_bits"), {digest = cfg.get("req", "default_md")}
    c.key = bits and "rsa:" .. bits
    local prompt = (cfg.get("req", "prompt") or "yes"):lower() ~= "no"
    local dn, ext = cfg.get("req", "distinguished_name"), cfg.get("req", "req_extensions")
    local entries = dn and config_subject(cfg, dn, prompt) or {}
    if #entries > 0 then o.subject = entries end
    if ext then config_extensions(cfg, ext, o) end
    return o, c
  end

  -- ---- commands -------------------------------------------------------------------------------
  local function parse_object(data, what)
    local r, msg = csr.request.parse(data)
    if r then return "request", r end
    local c = csr.certificate and csr.certificate.parse(data)
    if c then return "certificate", c end
    input_error("%s is neither a request nor a certificate (%s)", what, msg)
  end

  local function one_file(cmd, pos)
    if #pos ~= 1 then usage_error("%s: expected one FILE (see csr %s --help)", cmd, cmd) end
    return pos[1]
  end

  local CMD = {}

  function CMD.show(argv)
    local file = one_file("show", select(2, parse_args("show", argv, {})))
    local _, obj = parse_object(read_input(file), file)
    return io.stdout:write(need(obj:text())) and 0
  end

  function CMD.verify(argv)
    local opts, pos = parse_args("verify", argv, {ca = "value"})
    local file = one_file("verify", pos)
    local kind, obj = parse_object(read_input(file), file)
    local issuer = obj
    if opts.ca then
      if kind == "request" then usage_error("verify: --ca is for certificates") end
      local k
      k, issuer = parse_object(read_input(opts.ca), opts.ca)
      if k ~= "certificate" then input_error("verify: %s is not a certificate", opts.ca) end
    end
    local ok, msg
    if kind == "request" then ok, msg = obj:verify() else ok, msg = obj:verify(issuer) end
    if not ok then die(1, "verify failed: %s", msg) end
    io.stdout:write("verify OK\n")
    return 0
  end

  -- check options: option -> {policy field, the value of a flag | the largest number | "list"}
  local CHECK = {
    ["allow-ca"] = {"allow_ca", true}, ["no-eddsa"] = {"eddsa", false},
    ["no-require-san"] = {"require_san", false}, ["public-ip-only"] = {"public_ip_only", true},
    ["no-wildcards"] = {"wildcards", false}, ["min-rsa-bits"] = {"min_rsa_bits", 65536},
    ["max-rsa-bits"] = {"max_rsa_bits", 65536}, ["max-sans"] = {"max_sans", 1000000},
    curves = {"curves", "list"}, digests = {"digests", "list"}, ["rsa-exponents"] = {"rsa_exponents", 2 ^ 53}}
  local CHECK_OPTS = {}
  for k, v in pairs(CHECK) do CHECK_OPTS[k] = type(v[2]) == "boolean" and "flag" or "value" end

  local function check_policy(cmd, opts)
    local p = {}
    for o, d in pairs(CHECK) do
      local v, field = opts[o], d[1]
      if v == nil then -- keep the default
      elseif type(d[2]) == "boolean" or d[2] == "list" then
        p[field] = d[2] == "list" and split(v, ",") or d[2]
      elseif o == "rsa-exponents" then
        p[field] = {}
        for i, e in ipairs(split(v, ",")) do p[field][i] = number_opt(cmd, o, e, 3, d[2]) end
      else
        p[field] = number_opt(cmd, o, v, 0, d[2])
      end
    end
    return p
  end

  -- runs req:check; prints the problems (to out); returns true when none
  local function run_check(cmd, req, policy, out)
    local okcall, ok, problems = pcall(req.check, req, policy)
    if not okcall then usage_error("%s: %s", cmd, tostring(ok):gsub("^.-%((.*)%)$", "%1")) end
    if ok == nil then input_error("%s: %s", cmd, problems) end
    for _, p in ipairs(problems or {}) do out:write(p.code, " ", p.field, ": ", p.message, "\n") end
    return ok
  end

  function CMD.check(argv)
    local opts, pos = parse_args("check", argv, CHECK_OPTS)
    local file = one_file("check", pos)
    local kind, req = parse_object(read_input(file), file)
    if kind ~= "request" then input_error("check: %s is not a request", file) end
    if not run_check("check", req, check_policy("check", opts), io.stdout) then return 1 end
    io.stdout:write("check OK\n")
    return 0
  end

  local function need_certificates(cmd)
    return csr.certificate or input_error("%s: this csr module has no certificate support", cmd)
  end

  function CMD.sign(argv)
    local spec = {ca = "value", ["ca-key"] = "value", passin = "value", days = "value",
                  digest = "value", pss = "flag", serial = "value", ["no-check"] = "flag",
                  out = "value", force = "flag"}
    for k, v in pairs(CHECK_OPTS) do spec[k] = v end
    local opts, pos = parse_args("sign", argv, spec)
    local file = one_file("sign", pos)
    if not opts.ca or not opts["ca-key"] then usage_error("sign: --ca and --ca-key are required") end
    need_certificates("sign")
    local days = number_opt("sign", "days", opts.days or "90", 1, 36500)
    local policy = check_policy("sign", opts)
    refuse_overwrite(opts.out or "-", opts.force)
    local kind, req = parse_object(read_input(file), file)
    local ck, ca = parse_object(read_input(opts.ca), opts.ca)
    if kind ~= "request" or ck ~= "certificate" then
      input_error("sign: expected a request (%s) and a CA certificate (%s)", file, opts.ca)
    end
    local cakey = need(csr.key.parse(read_input(opts["ca-key"]),
                                     {passphrase = passphrase("sign", "passin", opts.passin)}))
    local vok, vmsg = req:verify()
    if not vok then die(1, "sign: the request's signature does not verify: %s", vmsg) end
    if opts["no-check"] then -- the signature only
    elseif not run_check("sign", req, policy, io.stderr) then
      die(1, "sign: the request fails the policy (problems above); not issued")
    end
    local cert = need(csr.certificate.issue{
      request = req, issuer_key = cakey, issuer_cert = ca, days = days, serial = opts.serial,
      digest = opts.digest, padding = opts.pss and "pss" or nil})
    write_output(opts.out or "-", need(cert:to_pem()), opts.force)
    return 0
  end

  local function ca_init(argv)
    local opts, pos = parse_args("ca", argv, {
      subj = "value", subject = "value", key = "value", days = "value", digest = "value",
      out = "value", keyout = "value", passout = "value", force = "flag"})
    if #pos > 0 then usage_error("ca init: unexpected argument %s", pos[1]) end
    local subj = opts.subj or opts.subject
    if not subj then usage_error("ca init: --subj is required") end
    need_certificates("ca init")
    local out, keyout = opts.out or "ca.pem", opts.keyout or "ca.key"
    refuse_overwrite(out, opts.force)
    refuse_overwrite(keyout, opts.force)
    local days = number_opt("ca init", "days", opts.days or "3650", 1, 36500)
    local subject, key = need(csr.subject.new(subj)), new_key("ca init", opts.key or "ec:P-384")
    local cert = need(csr.certificate.self_signed{key = key, subject = subject, days = days,
                                                   ca = true, digest = opts.digest})
    write_key(key, keyout, passphrase("ca init", "passout", opts.passout), opts.force)
    write_output(out, need(cert:to_pem()), opts.force)
    return 0
  end

  function CMD.ca(argv)
    local sub = argv[1]
    if sub == "--help" or sub == "-h" then return io.stdout:write(HELP.ca) and 0 end
    if sub ~= "init" then usage_error("ca: expected the subcommand init (csr ca init --help)") end
    return ca_init({unpack(argv, 2)})
  end
  return {HELP = HELP, CMD = CMD, from_config = from_config}
end
