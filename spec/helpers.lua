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

-- The Python with `cryptography`: prefer pyenv's (48.x), else Debian's.
function M.python()
  if M._python ~= nil then return M._python end
  for _, py in ipairs({"python3", "/usr/bin/python3"}) do
    local ok = M.run(py .. " -c 'import cryptography'")
    if ok then M._python = py; return py end
  end
  M._python = false
  return false
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
