-- modrt.env: run in every Lua state of function.lua, as bytecode compiled at build time
-- (embed_chunk.lua; the C++ that loads it says what it is given and returns).
-- M (see sandbox.hpp). __newindex stays Lua so that the JIT compiles loops
-- that write globals (a C __newindex made each such write ~10x slower); it
-- calls the C function `mark` only for a call's first global write.
local sandbox, setmetatable, rawset, mark = ...
local M = {}
local scratch_mt = {__index = sandbox, __metatable = false}
M.__index = sandbox
M.__newindex = function(_, k, v)
  local s = M.__index
  if s == sandbox then
    s = setmetatable({}, scratch_mt)
    mark()  -- before M changes: if it raises, nothing did
    M.__index = s
  end
  rawset(s, k, v)
end
M.__metatable = false
return M
