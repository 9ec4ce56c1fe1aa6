-- Shared helpers for the specs: fixtures, temp files, running peers (openssl, python).
local M = {}

M.root = (function()
  local info = debug.getinfo(1, "S").source:sub(2)
  return (info:match("^(.*)/spec/[^/]*$")) or "."
end)()

function M.readfile(path)
  local f = assert(io.open(path, "rb"))
  local s = f:read("*a")
  f:close()
  return s
end

function M.writefile(path, data)
  local f = assert(io.open(path, "wb"))
  f:write(data)
  f:close()
end

function M.fixture(name)
  return M.readfile(M.root .. "/spec/fixtures/" .. name)
end

-- third-party test vectors, kept in the repository (spec/vectors/README.md)
M.vectors = M.root .. "/spec/vectors"

-- This process's id (Linux /proc); temp names must differ between specs run side by side
-- (two valgrind shards start in the same second with the same math.random seed, since
-- valgrind turns off address randomisation: names without the pid clashed).
local pid = (function()
  local f = io.open("/proc/self/stat", "r")
  if not f then return 0 end
  local n = tonumber((f:read("*l") or ""):match("^(%d+)"))
  f:close()
  return n or 0
end)()

local tmpn = 0
function M.tmpname(suffix)
  tmpn = tmpn + 1
  local dir = os.getenv("TMPDIR") or "/tmp"
  return string.format("%s/lcsr-%d-%d-%d-%d%s", dir, pid, os.time(), math.random(1, 1e9), tmpn,
                       suffix or "")
end

-- Runs a shell command; returns ok, combined stdout+stderr. Raises, saying why, when the shell
-- could not run the command at all (no output file appeared).
function M.run(cmd)
  local out = M.tmpname(".out")
  local ok, how, code = os.execute(cmd .. " >" .. out .. " 2>&1")
  local f = io.open(out, "rb")
  if not f then
    error(string.format("helpers.run: the shell did not run %q (os.execute returned %s, %s, %s)",
                        cmd, tostring(ok), tostring(how), tostring(code)), 2)
  end
  local text = f:read("*a")
  f:close()
  os.remove(out)
  if type(ok) == "number" then ok = (ok == 0) end   -- Lua 5.1
  return ok and true or false, text
end

-- true when path names a file that can be opened for reading
function M.exists(path)
  local f = io.open(path, "rb")
  if f then f:close() end
  return f ~= nil
end

-- Runs a shell command; returns its exit status, stdout and stderr (kept apart).
function M.run_split(cmd)
  local out, err = M.tmpname(".out"), M.tmpname(".err")
  local ok, how, code = os.execute(cmd .. " >" .. out .. " 2>" .. err)
  if type(ok) == "number" then code = ok >= 256 and math.floor(ok / 256) or ok end  -- 5.1: wait status
  local o, e = io.open(out, "rb"), io.open(err, "rb")
  if not o or not e then
    error(string.format("helpers.run_split: the shell did not run %q (%s, %s)", cmd, tostring(ok),
                        tostring(how)), 2)
  end
  local so, se = o:read("*a"), e:read("*a")
  o:close()
  e:close()
  os.remove(out)
  os.remove(err)
  return code, so, se
end

-- The interpreter running the specs (the most negative arg index: busted re-runs itself under
-- --lua), checked to be this Lua version; else the usual name for this version.
function M.interpreter()
  local lua, i = nil, -1
  while arg and arg[i] do
    lua = arg[i]
    i = i - 1
  end
  if lua and M.run(M.shellquote(lua) .. " -e 'assert(_VERSION == " ..
                   string.format("%q", _VERSION) .. ")'") then
    return lua
  end
  if rawget(_G, "jit") then return "luajit" end
  return "lua" .. _VERSION:match("%d+%.%d+")
end

-- package.cpath with relative entries made absolute (for commands run in another directory)
function M.abs_cpath()
  local cwd = (select(2, M.run("pwd")):gsub("%s+$", ""))
  return (package.cpath:gsub("[^;]+", function(p)
    if p:sub(1, 1) == "/" then return p end
    return cwd .. "/" .. p:gsub("^%./", "")
  end))
end

-- Writes data to a temp file and returns its name (caller removes it).
function M.tmpfile(data, suffix)
  local name = M.tmpname(suffix)
  M.writefile(name, data)
  return name
end

function M.shellquote(s)
  return "'" .. s:gsub("'", "'\\''") .. "'"
end

-- The Python with `cryptography`: $CSR_PYTHON if set ("none": act as if there were none),
-- else `python3` along PATH, else Debian's /usr/bin/python3.
function M.python()
  if M._python ~= nil then return M._python end
  M._python = false
  local forced = os.getenv("CSR_PYTHON")
  local list = forced and {forced} or {"python3", "/usr/bin/python3"}
  for _, py in ipairs(list) do
    if py ~= "none" and py ~= "" and M.run(py .. " -c 'import cryptography'") then
      M._python = py
      break
    end
  end
  return M._python
end

-- What the installed cryptography can do, probed (not inferred from its version number):
-- name -> {python expression, what it is for, the release that brought it}
local PYCA_FEATURES = {
  csr_sign_pss = {"'rsa_padding' in inspect.signature(" ..
                  "x509.CertificateSigningRequestBuilder.sign).parameters",
                  "CertificateSigningRequestBuilder.sign(rsa_padding=), to sign a request " ..
                  "with RSA-PSS", "41"},
}

local pyca_info
local function pyca()
  if pyca_info then return pyca_info end
  local py = M.python()
  pyca_info = {py = py, has = {}}
  if not py then return pyca_info end
  local lines = {"import inspect, sys, cryptography", "from cryptography import x509",
                 "print('version', cryptography.__version__)", "print('exe', sys.executable)"}
  for name, f in pairs(PYCA_FEATURES) do
    lines[#lines + 1] = "print('" .. name .. "', bool(" .. f[1] .. "))"
  end
  local ok, out = M.run(py .. " -c " .. M.shellquote(table.concat(lines, "\n")))
  assert(ok, "probing python cryptography failed:\n" .. out)
  pyca_info.version = out:match("version (%S+)")
  pyca_info.exe = out:match("exe (%S+)")
  for name, v in out:gmatch("(%S+) (%a+)\n") do
    if PYCA_FEATURES[name] then pyca_info.has[name] = (v == "True") end
  end
  return pyca_info
end

-- The Python command when the installed `cryptography` is there (and has every feature named,
-- keys of PYCA_FEATURES); else nil and the reason, for pending().
function M.pyca(...)
  local info = pyca()
  if not info.py then
    return nil, "no python3 with the cryptography module (Debian: python3-cryptography)"
  end
  for _, name in ipairs({...}) do
    local f = assert(PYCA_FEATURES[name], "unknown python cryptography feature " .. name)
    if not info.has[name] then
      return nil, string.format("python cryptography %s (%s) lacks %s (cryptography >= %s)",
                                tostring(info.version), tostring(info.exe), f[2], f[3])
    end
  end
  return info.py
end

-- Lua 5.1 has no string.format("%q") for binary safety issues: hex helpers
function M.tohex(s)
  return (s:gsub(".", function(c) return string.format("%02x", c:byte()) end))
end

function M.fromhex(h)
  return (h:gsub("%s", ""):gsub("..", function(x) return string.char(tonumber(x, 16)) end))
end

-- Resident set size of this process in KiB (Linux /proc, 4 KiB pages); nil elsewhere.
function M.rss_kib()
  local f = io.open("/proc/self/statm", "r")
  if not f then return nil end
  local line = f:read("*l")
  f:close()
  local pages = tonumber(line:match("^%d+%s+(%d+)"))
  return pages and pages * 4 or nil
end

-- ---- DER for test inputs (definite, minimal lengths) ----
function M.der_len(n)
  if n < 128 then return string.char(n) end
  local b = ""
  while n > 0 do
    b = string.char(n % 256) .. b
    n = math.floor(n / 256)
  end
  return string.char(128 + #b) .. b
end

function M.der_tlv(tag, content)
  return string.char(tag) .. M.der_len(#content) .. content
end

-- Header of the TLV at 1-based pos of s: tag, header length, content length.
function M.der_header(s, pos)
  local tag, l = s:byte(pos), s:byte(pos + 1)
  if l < 128 then return tag, 2, l end
  local n, v = l - 128, 0
  for i = 1, n do v = v * 256 + s:byte(pos + 1 + i) end
  return tag, 2 + n, v
end

return M
