-- modrt.library_view: run in every Lua state of function.lua, as bytecode compiled at build time
-- (embed_chunk.lua; the C++ that loads it says what it is given and returns).
-- Lua, not C: a view's __index is a Lua closure, which the JIT traces through
-- (a C __index would end every trace that reads a library field). Arguments:
-- the real base functions the sandbox started from.
local newproxy, getmetatable, setmetatable, type, error, tostring, rawget, pairs, ipairs, next, unpack = ...
local targets = setmetatable({}, {__mode = "k"})  -- view -> table
local names = setmetatable({}, {__mode = "k"})    -- view -> library id
local views = setmetatable({}, {__mode = "v"})    -- table -> its view, while the view lives

local view
view = function(t, name)
  local v = views[t]
  if v ~= nil then return v end
  v = newproxy(true)
  local mt = getmetatable(v)
  mt.__index = function(_, k)
    local x = t[k]
    if type(x) == "table" then return view(x, name) end
    return x
  end
  mt.__newindex = function()
    error("attempt to modify the read-only library '" .. name .. "'", 2)
  end
  mt.__len = function() return #t end
  mt.__call = function(_, ...) return t(...) end
  mt.__tostring = function() return "library table of '" .. name .. "'" end
  mt.__metatable = false
  targets[v] = t
  names[v] = name
  views[t] = v
  return v
end

local function wrap(x, name)
  if type(x) == "table" then return view(x, name) end
  return x
end

local function view_next(v, k)
  local t = targets[v]
  if t == nil then error("bad argument #1 to 'next' (table expected, got userdata)", 2) end
  local k2, x = next(t, k)
  return k2, wrap(x, names[v])
end

local function view_inext(v, i)
  i = i + 1
  local x = rawget(targets[v], i)
  if x == nil then return nil end
  return i, wrap(x, names[v])
end

local sandbox_pairs = function(t)
  if targets[t] ~= nil then return view_next, t, nil end
  local f, s, c = pairs(t)
  return f, s, c
end

local sandbox_ipairs = function(t)
  if targets[t] ~= nil then return view_inext, t, 0 end
  local f, s, c = ipairs(t)
  return f, s, c
end

local sandbox_next = function(t, k)
  if targets[t] ~= nil then return view_next(t, k) end
  return next(t, k)
end

local sandbox_unpack = function(t, i, j)
  local src = targets[t]
  if src == nil then return unpack(t, i, j) end
  i = i or 1
  j = j or #src
  local out = {}
  for n = i, j do out[n - i + 1] = wrap(src[n], names[t]) end
  return unpack(out, 1, j - i + 1)
end

local sandbox_setmetatable = function(t, mt)
  if targets[mt] ~= nil then
    error("setmetatable: the metatable is a read-only table of library '" .. names[mt] ..
          "'; let the library make its objects (e.g. a constructor function it exports)", 2)
  end
  return setmetatable(t, mt)
end

return view, targets, sandbox_pairs, sandbox_ipairs, sandbox_next, sandbox_unpack, sandbox_setmetatable
