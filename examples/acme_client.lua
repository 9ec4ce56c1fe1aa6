-- A small RFC 8555 (ACME) client over the csr module: account keys as JWK, JWS requests,
-- http-01 answers, a CSR made here, the certificate chain downloaded.
-- HTTPS comes from lua-sec/lua-socket, JSON from lua-cjson or lua-dkjson (Debian packages).
--
-- As a library:
--   local acme = dofile("examples/acme_client.lua")
--   local c = acme.new{directory = "https://…/dir", account_key = k, cafile = "ca.pem",
--                      http01 = function(token, key_authorization) … end}   -- publish, or
--                      -- http01 = acme.challtestsrv("http://127.0.0.1:8055")
--   assert(c:account{contact = {"mailto:ops@example.com"}, eab = {kid = "…", key = "…"}})
--   local chain_pem, problem = c:certificate{"example.com", "www.example.com"}
-- As a script (against a test server such as pebble):
--   lua5.4 examples/acme_client.lua --directory URL --cafile CA.pem --challtestsrv URL \
--          [--eab-kid KID --eab-key B64URL] [--out DIR] name [name …]
-- Errors from the server come back as nil, problem (problem.type, problem.detail, status).
local csr = require "csr"
local https = require "ssl.https"
local http = require "socket.http"
local socket = require "socket"
local ltn12 = require "ltn12"

local json = (function()
  local ok, cjson = pcall(require, "cjson")
  if ok then
    return {encode = cjson.encode, decode = function(s)
      local ok2, v = pcall(cjson.decode, s)
      return ok2 and v or nil
    end}
  end
  local dk = require "dkjson"
  return {encode = dk.encode, decode = function(s) return (dk.decode(s)) end}
end)()

local b64 = csr.util.base64url_encode
local M = {json = json}
local Client = {}
Client.__index = Client

local ERR = "urn:ietf:params:acme:error:"

local function problem(ptype, detail, status)
  return {type = ptype, detail = detail, status = status}
end

-- One HTTP(S) exchange: status, headers (lower-case names), body; or nil, problem.
local function exchange(self, method, url, body, ctype, accept)
  local out = {}
  local headers = {["user-agent"] = "lua-csr-acme-example"}
  if body then
    headers["content-type"] = ctype
    headers["content-length"] = tostring(#body)
  end
  if accept then headers["accept"] = accept end
  local req = {url = url, method = method, headers = headers, sink = ltn12.sink.table(out),
               source = body and ltn12.source.string(body) or nil}
  local ok, status, h
  if url:match("^https:") then
    req.cafile, req.verify, req.protocol = self.cafile, {"peer", "fail_if_no_peer_cert"}, "any"
    req.options = {"all", "no_sslv2", "no_sslv3", "no_tlsv1", "no_tlsv1_1"}
    ok, status, h = https.request(req)
  else
    ok, status, h = http.request(req)
  end
  if not ok then return nil, problem("connection", tostring(status), nil) end
  return status, h or {}, table.concat(out)
end

-- The problem document of an error response (RFC 7807), or one made from the status line.
local function to_problem(status, h, body)
  local doc = json.decode(body or "")
  if type(doc) == "table" and doc.type then
    return problem(doc.type, doc.detail, status)
  end
  return problem("about:blank", "HTTP " .. tostring(status) .. " " .. (body or ""), status)
end

--- A client for the ACME server whose directory is at opts.directory.
-- opts: directory, account_key (csr.key, private), cafile (trust for the server's HTTPS),
-- http01 (function(token, key_authorization) that publishes, and returns true or nil, err),
-- http01_cleanup (optional function(token)), poll_interval (seconds, default 0.2),
-- poll_limit (tries, default 100).
function M.new(opts)
  assert(type(opts) == "table" and opts.directory and opts.account_key, "directory, account_key")
  return setmetatable({directory_url = opts.directory, key = opts.account_key,
                       cafile = opts.cafile, http01 = opts.http01,
                       http01_cleanup = opts.http01_cleanup,
                       poll_interval = opts.poll_interval or 0.2,
                       poll_limit = opts.poll_limit or 100, retries = 0}, Client)
end

function Client:dir()
  if self.directory then return self.directory end
  local status, h, body = exchange(self, "GET", self.directory_url)
  if not status then return nil, h end
  if status ~= 200 then return nil, to_problem(status, h, body) end
  local d = json.decode(body)
  if type(d) ~= "table" or not d.newNonce then
    return nil, problem("malformed", "the directory is not an ACME directory", status)
  end
  self.directory = d
  return d
end

function Client:new_nonce()
  local d, err = self:dir()
  if not d then return nil, err end
  local status, h = exchange(self, "HEAD", d.newNonce)
  if not status then return nil, h end
  if not h["replay-nonce"] then
    return nil, problem("malformed", "no Replay-Nonce from newNonce", status)
  end
  return h["replay-nonce"]
end

-- The protected header for url, signed with key (kid = account URL, or the JWK itself).
local function protected(key, url, nonce, kid)
  local p = {alg = key:jws_alg(), url = url, nonce = nonce}
  if kid then p.kid = kid else p.jwk = key:to_jwk() end
  return json.encode(p)
end

--- POST a JWS to url. payload: a Lua table (JSON-encoded), a string (sent as is; "" is
-- POST-as-GET). Returns status, headers, body text, decoded body; or nil, problem.
-- A badNonce answer is retried once with the nonce it carried.
function Client:post(url, payload, opts)
  opts = opts or {}
  if type(payload) == "table" then payload = json.encode(payload) end
  for attempt = 1, 2 do
    local nonce = self.nonce
    self.nonce = nil
    if not nonce then
      local err
      nonce, err = self:new_nonce()
      if not nonce then return nil, err end
    end
    local key = opts.key or self.key
    local kid = opts.jwk and nil or (opts.kid or self.kid)
    local body, err = key:jws(protected(key, url, nonce, kid), payload)
    if not body then return nil, problem("client", err) end
    local status, h, text = exchange(self, "POST", url, body, "application/jose+json", opts.accept)
    if not status then return nil, h end
    self.nonce = h["replay-nonce"]
    if status < 400 then
      return status, h, text, json.decode(text)
    end
    local p = to_problem(status, h, text)
    if p.type ~= ERR .. "badNonce" or attempt == 2 then return nil, p end
    self.retries = self.retries + 1
  end
end

-- External account binding (RFC 8555 7.3.4): the account JWK signed with the CA's MAC key.
local function eab_jws(eab, url, jwk_json)
  local prot = json.encode({alg = "HS256", kid = eab.kid, url = url})
  local input = b64(prot) .. "." .. b64(jwk_json)
  local mac_key = assert(csr.util.base64url_decode(eab.key), "eab.key is not base64url")
  return {protected = b64(prot), payload = b64(jwk_json),
          signature = b64(csr.util.hmac("sha256", mac_key, input))}
end

--- Creates (or finds) the account of the key. opts: contact (list of mailto: URLs),
-- eab = {kid =, key = base64url MAC key} when the server requires external account binding.
-- Returns the account object (self.kid = its URL), or nil, problem.
function Client:account(opts)
  opts = opts or {}
  local d, err = self:dir()
  if not d then return nil, err end
  local meta = d.meta or {}
  if meta.externalAccountRequired and not opts.eab then
    return nil, problem(ERR .. "externalAccountRequired", "the server requires external " ..
                        "account binding: give eab = {kid =, key =}")
  end
  local payload = {termsOfServiceAgreed = true, contact = opts.contact}
  if opts.eab then
    payload.externalAccountBinding = eab_jws(opts.eab, d.newAccount, json.encode(self.key:to_jwk()))
  end
  local status, h, _, acct = self:post(d.newAccount, payload, {jwk = true})
  if not status then return nil, h end
  self.kid = h["location"]
  self.account_object = acct
  return acct
end

--- Polls url (POST-as-GET) until its status is not pending/processing (or ready, when
-- stop_at_ready). Returns the object, or nil, problem.
function Client:poll(url, stop_at_ready)
  for _ = 1, self.poll_limit do
    local status, h, _, obj = self:post(url, "")
    if not status then return nil, h end
    if obj.status ~= "pending" and obj.status ~= "processing" then return obj end
    if stop_at_ready and obj.status == "ready" then return obj end
    socket.sleep(self.poll_interval)
  end
  return nil, problem("timeout", "gave up polling " .. url)
end

--- The key authorization of an http-01 token (RFC 8555 8.1): token "." thumbprint.
function Client:key_authorization(token)
  return token .. "." .. self.key:thumbprint()
end

-- Answers one authorization with http-01.
function Client:authorize(authz_url)
  local status, h, _, authz = self:post(authz_url, "")
  if not status then return nil, h end
  if authz.status == "valid" then return authz end
  local chal
  for _, c in ipairs(authz.challenges or {}) do
    if c.type == "http-01" then chal = c end
  end
  if not chal then
    return nil, problem(ERR .. "unsupportedChallenge", "no http-01 challenge offered")
  end
  if not self.http01 then return nil, problem("client", "no http01 publisher given") end
  local ok, err = self.http01(chal.token, self:key_authorization(chal.token))
  if not ok then
    return nil, problem("client", "publishing the http-01 answer: " .. tostring(err))
  end
  status, h = self:post(chal.url, "{}")
  if not status then return nil, h end
  local done, perr = self:poll(authz_url)
  if self.http01_cleanup then self.http01_cleanup(chal.token) end
  if not done then return nil, perr end
  if done.status ~= "valid" then
    local c = done.challenges and done.challenges[1]
    local e = c and c.error or {}
    return nil, problem(e.type or ERR .. "unauthorized", e.detail or "authorization " ..
                        tostring(done.status), nil)
  end
  return done
end

--- Orders a certificate for names (list of DNS names; the first is also the CN) and returns
-- the PEM chain and the order. opts.key: the certificate key (csr.key; default a new P-256
-- key, returned as the third value). Returns chain_pem, order, key; or nil, problem.
function Client:certificate(names, opts)
  opts = opts or {}
  local d, err = self:dir()
  if not d then return nil, err end
  local ids = {}
  for i, n in ipairs(names) do ids[i] = {type = "dns", value = n} end
  local status, h, _, order = self:post(d.newOrder, {identifiers = ids})
  if not status then return nil, h end
  local order_url = h["location"]
  for _, a in ipairs(order.authorizations or {}) do
    local ok, perr = self:authorize(a)
    if not ok then return nil, perr end
  end
  local key = opts.key or assert(csr.key.generate("ec", {curve = "P-256"}))
  local req, rerr = csr.request.new{subject = {{"CN", names[1]}}, key = key,
                                    san = {dns = names}}
  if not req then return nil, problem("client", rerr) end
  local ok, serr = req:sign(key)
  if not ok then return nil, problem("client", serr) end
  status, h, _, order = self:post(order.finalize, {csr = b64(req:to_der())})
  if not status then return nil, h end
  order, err = self:poll(order_url)
  if not order then return nil, err end
  if order.status ~= "valid" or not order.certificate then
    local e = order.error or {}
    return nil, problem(e.type or ERR .. "orderNotReady",
                        e.detail or "order is " .. tostring(order.status))
  end
  local st, hh, pem = self:post(order.certificate, "",
                                {accept = "application/pem-certificate-chain"})
  if not st then return nil, hh end
  return pem, order, key
end

--- Replaces the account key by new_key (RFC 8555 7.3.5). Returns true or nil, problem.
function Client:rollover(new_key)
  local d, err = self:dir()
  if not d then return nil, err end
  -- the inner JWS, signed by the new key, names the account and its old key
  local inner_prot = json.encode({alg = new_key:jws_alg(), jwk = new_key:to_jwk(),
                                  url = d.keyChange})
  local inner = new_key:jws(inner_prot, json.encode({account = self.kid,
                                                     oldKey = self.key:to_jwk()}))
  local status, h = self:post(d.keyChange, inner)
  if not status then return nil, h end
  self.key = new_key
  return true
end

--- Deactivates the account (RFC 8555 7.3.6). Returns the account object or nil, problem.
function Client:deactivate()
  local status, h, _, acct = self:post(self.kid, {status = "deactivated"})
  if not status then return nil, h end
  return acct
end

--- An http01 publisher for pebble-challtestsrv's management API at base_url, and its cleanup.
function M.challtestsrv(base_url)
  local function call(path, doc)
    local body = json.encode(doc)
    local ok, status = http.request{url = base_url .. path, method = "POST",
                                    headers = {["content-type"] = "application/json",
                                               ["content-length"] = tostring(#body)},
                                    source = ltn12.source.string(body)}
    if not ok then return nil, status end
    if status ~= 200 then return nil, "HTTP " .. tostring(status) end
    return true
  end
  return function(token, keyauth)
    return call("/add-http01", {token = token, content = keyauth})
  end, function(token)
    return call("/del-http01", {token = token})
  end
end

-- ---- command line ----
local function main(argv)
  local o, names, i = {}, {}, 1
  while argv[i] do
    local a = argv[i]
    local flag = a:match("^%-%-([%w-]+)$")
    if flag then
      o[flag] = argv[i + 1]
      i = i + 1
    else
      names[#names + 1] = a
    end
    i = i + 1
  end
  if not o.directory or #names == 0 then
    io.stderr:write("usage: acme_client.lua --directory URL [--cafile CA.pem] " ..
                    "[--challtestsrv URL] [--eab-kid KID --eab-key KEY] [--out DIR] name …\n")
    os.exit(2)
  end
  local pub, clean = M.challtestsrv(o.challtestsrv or "http://127.0.0.1:8055")
  local key = assert(csr.key.generate("ec", {curve = "P-256"}))
  local c = M.new{directory = o.directory, account_key = key, cafile = o.cafile,
                  http01 = pub, http01_cleanup = clean}
  local eab = o["eab-kid"] and {kid = o["eab-kid"], key = o["eab-key"]} or nil
  local acct, err = c:account{eab = eab}
  if not acct then
    io.stderr:write("acme: ", err.type, ": ", tostring(err.detail), "\n")
    os.exit(1)
  end
  local chain, perr, certkey = c:certificate(names)
  if not chain then
    io.stderr:write("acme: ", perr.type, ": ", tostring(perr.detail), "\n")
    os.exit(1)
  end
  local dir = o.out or "."
  assert(certkey:write(dir .. "/key.pem"))
  local f = assert(io.open(dir .. "/chain.pem", "wb"))
  f:write(chain)
  f:close()
  print("wrote " .. dir .. "/chain.pem and " .. dir .. "/key.pem for " .. table.concat(names, ", "))
end

if arg and arg[0] and arg[0]:match("acme_client%.lua$") then
  main(arg)
end
return M
