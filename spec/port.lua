-- Helpers for the portability specs (threads, fork, nginx, luarocks). Parses under Lua 5.1.
local helpers = require "spec.helpers"
local M = {}

M.root = helpers.root
if M.root:sub(1, 1) ~= "/" then M.root = (os.getenv("PWD") or ".") .. "/" .. M.root end

-- "lua5.4" | "lua5.3" | "lua5.1" | "luajit": the interpreter running this spec
function M.flavor()
  if rawget(_G, "jit") then return "luajit" end
  return "lua" .. _VERSION:match("%d+%.%d+")
end

function M.abs(p)
  if p:sub(1, 1) == "/" then return p end
  return (os.getenv("PWD") or ".") .. "/" .. p:gsub("^%./", "")
end

-- The csr.so that require "csr" loads here (the first match along package.cpath)
function M.csr_so()
  for tpl in package.cpath:gmatch("[^;]+") do
    local p = tpl:gsub("%?", "csr")
    local f = io.open(p, "rb")
    if f then
      f:close()
      return M.abs(p)
    end
  end
  error("csr.so not found along package.cpath " .. package.cpath)
end

function M.dirname(p)
  return p:match("^(.*)/[^/]*$") or "."
end

-- package.cpath that finds exactly that csr.so
function M.cpath()
  return M.dirname(M.csr_so()) .. "/?.so"
end

function M.have(cmd)
  return (helpers.run("command -v " .. cmd))
end

-- Compiles spec/threads/<name>.c against the running Lua (and the pkg-config packages in
-- extra, e.g. "wolfssl") into the csr.so's directory.
-- Returns the binary's path (raises with the compiler's output on failure).
-- The wolfSSL csr.so was built with (make test exports CSR_WOLFSSL_CFLAGS/_LIBS: the SP build
-- of make WOLFSSL=sp) wins over pkg-config's, so the host and csr.so load one library.
function M.build_host(name, extra)
  local flavor = M.flavor()
  local wcf, wlibs = os.getenv("CSR_WOLFSSL_CFLAGS"), os.getenv("CSR_WOLFSSL_LIBS")
  local own = extra == "wolfssl" and wcf and wlibs and wcf ~= "" and wlibs ~= ""
  local pkgs = flavor .. (extra and not own and " " .. extra or "")
  local ok, cflags = helpers.run("pkg-config --cflags " .. pkgs)
  assert(ok, "pkg-config knows no " .. pkgs .. ": " .. cflags)
  local _, libs = helpers.run("pkg-config --libs " .. pkgs)
  if own then
    cflags = cflags:gsub("%s+$", "") .. " " .. wcf
    libs = libs:gsub("%s+$", "") .. " " .. wlibs
  end
  local out = M.dirname(M.csr_so()) .. "/" .. name .. "-" .. flavor
  local cmd = string.format(
    "cc -std=c99 -D_POSIX_C_SOURCE=200809L -Wall -Wextra -pedantic -Werror -O1 -g " ..
    "%s %s -o %s %s -lpthread",
    cflags:gsub("%s+$", ""), helpers.shellquote(M.root .. "/spec/threads/" .. name .. ".c"),
    helpers.shellquote(out), (libs:gsub("%s+$", "")))
  local built, text = helpers.run(cmd)
  assert(built, cmd .. "\n" .. text)
  return out
end

function M.lines(text)
  local t = {}
  for l in text:gmatch("[^\n]+") do t[#t + 1] = l end
  return t
end

return M
