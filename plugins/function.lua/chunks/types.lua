-- modrt.types: run in every Lua state of function.lua, as bytecode compiled at build time
-- (embed_chunk.lua; the C++ that loads it says what it is given and returns).
-- A type value is a userdata (it cannot be written, and its fields are the record's
-- field types); what it is lives in `info`, keyed weakly by the value.
local find, errors, getfenv, setmetatable, type, pairs, ipairs, next, error, tostring, floor, huge, select,
  newproxy, getmetatable = ...
local info = setmetatable({}, {__mode = "k"})
local scopes = setmetatable({}, {__mode = "k"})  -- module environment -> declared name -> type
local T = {}
-- Types are userdata: a library's view of its tables passes them through as they are.
local proto = newproxy(true)
local meta = getmetatable(proto)
meta.__metatable = false
local methods = {}

local function make(i)
  local t = newproxy(proto)
  info[t] = i
  return t
end

local function resolve(t, depth)
  local i = info[t]
  while i.kind == "ref" do
    local r = i.thunk()
    if info[r] == nil then
      local scope = scopes[i.env]
      r = scope and scope[i.name]
    end
    if r == nil then return T.prim("any") end  -- a generic or a name unknown here
    depth = (depth or 0) + 1
    if depth > 100 then error("type '" .. i.name .. "' refers to itself without end", 0) end
    t, i = r, info[r]
  end
  return t, i
end

local function got(v)
  local tv = type(v)
  if tv == "string" then return "string" end
  return tv
end

local validate
local function fail(path, msg)
  if path ~= "" then msg = path .. ": " .. msg end
  return msg
end

local checks = {
  min = function(v, n) return type(v) == "number" and v >= n, "less than " .. tostring(n) end,
  max = function(v, n) return type(v) == "number" and v <= n, "greater than " .. tostring(n) end,
  min_len = function(v, n)
    local tv = type(v)
    return (tv == "string" or tv == "table") and #v >= n, "shorter than " .. tostring(n)
  end,
  max_len = function(v, n)
    local tv = type(v)
    return (tv == "string" or tv == "table") and #v <= n, "longer than " .. tostring(n)
  end,
  pattern = function(v, p)
    return type(v) == "string" and find(v, p) ~= nil, "not matching " .. tostring(p)
  end,
}

local prims = {
  number = function(v) return type(v) == "number" end,
  integer = function(v) return type(v) == "number" and v == floor(v) and v ~= huge and v ~= -huge end,
  string = function(v) return type(v) == "string" end,
  boolean = function(v) return type(v) == "boolean" end,
  ["nil"] = function(v) return v == nil end,
  any = function() return true end,
  unknown = function() return true end,
  never = function() return false end,
  table = function(v) return type(v) == "table" end,
  ["function"] = function(v) return type(v) == "function" end,
  thread = function(v) return type(v) == "thread" end,
  userdata = function(v) return type(v) == "userdata" end,
  error = function(v) return v ~= nil end,
}

-- nil when v is a t, else the reason. `seen` stops cycles of tables through recursive types.
validate = function(t, v, path, seen)
  local i
  t, i = resolve(t)
  if i.validate then return i.validate(t, v, path, seen) end
  local k = i.kind
  if i.prim then
    if prims[i.prim](v) then return nil end
    return fail(path, "expected " .. i.prim .. ", got " .. got(v))
  elseif k == "literal" then
    if v == i.value then return nil end
    return fail(path, "expected " .. tostring(i.value) .. ", got " .. (type(v) == "string" and v or got(v)))
  elseif k == "optional" then
    if v == nil then return nil end
    return validate(i.inner, v, path, seen)
  elseif k == "union" then
    local first
    for _, variant in ipairs(i.variants) do
      local err = validate(variant, v, path, seen)
      if err == nil then return nil end
      first = first or err
    end
    return fail(path, "matches none of " .. (i.name or "the union's types")) .. (first and " (" .. first .. ")" or "")
  elseif k == "intersection" then
    for _, part in ipairs(i.parts) do
      local err = validate(part, v, path, seen)
      if err then return err end
    end
    return nil
  elseif k == "function" then
    if type(v) == "function" then return nil end
    return fail(path, "expected a function, got " .. got(v))
  elseif k == "tuple" then
    return nil
  end
  -- record, array, map: tables
  if type(v) ~= "table" then return fail(path, "expected a table, got " .. got(v)) end
  local mark = seen[v]
  if mark and mark[t] then return nil end
  if not mark then mark = {}; seen[v] = mark end
  mark[t] = true
  if k == "record" then
    for _, f in ipairs(i.fields) do
      local fv = v[f.name]
      local fpath = path == "" and f.name or path .. "." .. f.name
      if fv == nil then
        if not f.optional and validate(f.type, nil, fpath, seen) ~= nil then
          return fail(fpath, "missing")
        end
      else
        local err = validate(f.type, fv, fpath, seen)
        if err then return err end
      end
    end
  elseif k == "array" then
    for n = 1, #v do
      local err = validate(i.elem, v[n], path .. "[" .. n .. "]", seen)
      if err then return err end
    end
  elseif k == "map" then
    for key, val in next, v do
      local err = validate(i.key, key, path .. "[" .. tostring(key) .. "]", seen)
        or validate(i.val, val, path .. "[" .. tostring(key) .. "]", seen)
      if err then return err end
    end
  end
  return nil
end

-- Validators run after the type matched.
local function checked(t, v, path, seen)
  local _, i = resolve(t)
  local err = validate(i.inner, v, path, seen)
  if err then return err end
  for _, c in ipairs(i.checks) do
    local ok, why = checks[c[1]](v, c[2])
    if not ok then return fail(path, tostring(v) .. " is " .. why .. " (@" .. c[1] .. ")") end
  end
  return nil
end

local function check_value(t, v)
  local err = validate(t, v, "", {})
  if err == nil then return nil end
  local name = info[t].name
  local e = errors.new({message = (name and name .. ": " or "") .. err, kind = errors.INVALID})
  return e  -- not a tail call: the error's stack starts here, above the caller
end

meta.__call = function(t, v)
  local err = check_value(t, v)
  if err then error(err, 2) end
  return v
end
-- Where the caller of the caller is: "file:line: " (the error's stack stops at the
-- __call frame, so the message carries the position).

-- A record's field types first (User.name), then the methods (Point:name()).
meta.__index = function(t, k)
  local _, i = resolve(t)
  local f = i.by_name and i.by_name[k]
  if f ~= nil then return f end
  return methods[k]
end
meta.__newindex = function() error("attempt to modify a type", 2) end
meta.__tostring = function(t) return "type " .. (info[t].name or info[t].kind) end

function methods.is(t, v)
  local err = check_value(t, v)
  if err then return nil, err end
  return v, nil
end
function methods.kind(t) local _, i = resolve(t); return i.prim or i.kind end
function methods.name(t) return info[t].name end
function methods.fields(t)
  local _, i = resolve(t)
  local n = 0
  return function()
    n = n + 1
    local f = i.fields and i.fields[n]
    if f then return f.name, f.type end
  end
end
function methods.variants(t)
  local _, i = resolve(t)
  local n = 0
  return function()
    n = n + 1
    local v = i.variants and i.variants[n]
    if v == nil then return nil end
    local vi = info[v]
    if vi.kind == "literal" then return vi.value end
    return v
  end
end
function methods.inner(t) local _, i = resolve(t); return i.inner end
function methods.elem(t) local _, i = resolve(t); return i.elem end
function methods.key(t) local _, i = resolve(t); return i.key end
function methods.val(t) local _, i = resolve(t); return i.val end
function methods.ret(t) local _, i = resolve(t); return i.ret end
function methods.params(t)
  local _, i = resolve(t)
  local n = 0
  return function()
    n = n + 1
    return i.params and i.params[n]
  end
end

local prim_types = {}
function T.prim(name)
  local p = prim_types[name]
  if not p then p = make({kind = name, prim = name}); prim_types[name] = p end
  return p
end
function T.lit(v) return make({kind = "literal", value = v}) end
function T.opt(t) return make({kind = "optional", inner = t}) end
function T.union(list) return make({kind = "union", variants = list}) end
function T.inter(list)
  -- Records' fields merge, so User.name finds a field of any part.
  return make({kind = "intersection", parts = list, by_name = setmetatable({}, {__index = function(_, k)
    for _, p in ipairs(list) do
      local f = p[k]
      if f ~= nil then return f end
    end
  end})})
end
function T.array(t) return make({kind = "array", elem = t}) end
function T.map(k, v) return make({kind = "map", key = k, val = v}) end
function T.tuple(list) return make({kind = "tuple", items = list}) end
function T.func(list)
  local ret = list[#list]
  list[#list] = nil
  return make({kind = "function", params = list, ret = ret})
end
function T.record(list)
  local fields, by_name = {}, {}
  for n, f in ipairs(list) do
    fields[n] = {name = f[1], type = f[2], optional = f[3]}
    by_name[f[1]] = f[2]
  end
  return make({kind = "record", fields = fields, by_name = by_name})
end
function T.check(t, list)
  for _, c in ipairs(list) do
    if not checks[c[1]] then error("unknown validator @" .. tostring(c[1]), 2) end
    if select("#", c[2]) == 0 or c[2] == nil then error("validator @" .. c[1] .. " needs an argument", 2) end
  end
  local c = make({kind = "checked", inner = t, checks = list})
  info[c].validate = checked
  return c
end
function T.ref(name, thunk)
  return make({kind = "ref", name = name, thunk = thunk, env = getfenv(2)})
end
function T.decl(name, t)
  local src = info[t]
  local copy = {}
  for k, v in pairs(src) do copy[k] = v end
  copy.name = name
  local d = make(copy)
  local env = getfenv(2)
  local scope = scopes[env]
  if not scope then scope = {}; scopes[env] = scope end
  scope[name] = d
  return d
end

return T
