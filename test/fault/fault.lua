-- Driven by test/fault/host.c with one allocation failing per run. Returns "ok" when every
-- step worked, "fail", msg, code when a csr call answered nil/false, msg, code, and "wrong"
-- for an answer that is neither (a bug). Lua 5.4 only (the host is built against 5.4).
local csr = require "csr"

local SUBJECT = "CN=www.example.com,OU=Eng+OU=Ops,O=Example Inc,C=US"

local function run(keyspec)
  local k, msg, code = csr.key.generate(keyspec[1], keyspec[2])
  if not k then return "fail", msg, code end
  local r
  r, msg, code = csr.request.new{
    subject = SUBJECT, key = k,
    san = {dns = {"www.example.com", "example.com"}, ip = {"192.0.2.1", "2001:db8::1"},
           email = {"ops@example.com"}, uri = {"spiffe://example.com/web"}},
    key_usage = {"digitalSignature", "keyAgreement"},
    extended_key_usage = {"serverAuth", "clientAuth", "1.3.6.1.4.1.311.20.2.2"},
    basic_constraints = {ca = false}, must_staple = true,
    challenge_password = "pw", unstructured_name = "unstructured",
    extensions = { {oid = "1.2.3.4", critical = false, value = "\4\3abc"} },
  }
  if not r then return "fail", msg, code end
  local ok
  ok, msg, code = r:sign(k)
  if not ok then return "fail", msg, code end
  local pem
  pem, msg, code = r:to_pem()
  if not pem then return "fail", msg, code end
  local p
  p, msg, code = csr.request.parse(pem)
  if not p then return "fail", msg, code end
  ok, msg, code = p:verify()
  if ok ~= true then
    if ok == false and type(msg) == "string" then return "fail", msg, code end
    return "wrong", "verify answered " .. tostring(ok)
  end
  if p:matches(k) ~= true then return "wrong", "matches(k) is not true" end
  if tostring(p:subject()) ~= SUBJECT then return "wrong", "subject " .. tostring(p:subject()) end
  local san = p:san()
  if san.dns[1] ~= "www.example.com" or san.ip[2] ~= "2001:db8::1" then
    return "wrong", "san"
  end
  if p:challenge_password() ~= "pw" then return "wrong", "challenge_password" end
  local t
  t, msg, code = p:text()
  if not t then return "fail", msg, code end
  local der
  der, msg, code = p:to_der()
  if not der then return "fail", msg, code end
  local pk
  pk, msg, code = p:public_key()
  if not pk then return "fail", msg, code end
  if pk:fingerprint() ~= k:fingerprint() then return "wrong", "fingerprint" end
  local kp
  kp, msg, code = k:to_pem()
  if not kp then return "fail", msg, code end
  local k2
  k2, msg, code = csr.key.parse(kp)
  if not k2 then return "fail", msg, code end
  local sig
  sig, msg, code = k2:sign("data")
  if not sig then return "fail", msg, code end
  ok, msg, code = pk:verify("data", sig)
  if ok ~= true then
    if ok == false and type(msg) == "string" then return "fail", msg, code end
    return "wrong", "key verify answered " .. tostring(ok)
  end
  -- JOSE: private JWK out and back, thumbprint, a JWS, base64url
  local jwk
  jwk, msg, code = k:to_jwk{private = true}
  if not jwk then return "fail", msg, code end
  local k3
  k3, msg, code = csr.key.from_jwk(jwk)
  if not k3 then return "fail", msg, code end
  local tp
  tp, msg, code = k3:thumbprint()
  if not tp then return "fail", msg, code end
  if tp ~= k:thumbprint() then return "wrong", "thumbprint" end
  local jws
  jws, msg, code = k3:jws('{"alg":"' .. k3:jws_alg() .. '"}', "payload")
  if not jws then return "fail", msg, code end
  local raw
  raw, msg, code = csr.util.base64url_decode(csr.util.base64url_encode(tp))
  if raw ~= tp then return raw == nil and "fail" or "wrong", msg or "base64url", code end
  k3:close()
  k2:close()
  k:close()
  return "ok"
end

for _, spec in ipairs({ {"ec", {curve = "P-256"}}, {"ed25519"} }) do
  local tag, msg, code = run(spec)
  if tag ~= "ok" then return tag, msg, code end
end
local pem, key, code = csr.generate{key = {"ed25519"}, subject = "CN=one shot",
                                    san = {dns = {"one.example"}}}
if not pem then return "fail", key, code end
collectgarbage()
return "ok"
