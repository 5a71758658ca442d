-- modrt.pcall: run in every Lua state of function.lua, as bytecode compiled at build time
-- (embed_chunk.lua; the C++ that loads it says what it is given and returns).
-- pcall and xpcall in Lua over the originals, so that a coroutine can still yield
-- inside them (a channel receive in a spawned coroutine parks by yielding; no C
-- function may sit between it and the scheduler). Measured the same as the C
-- versions they replace: the originals are fast functions of the VM.
local pcall, xpcall, error, canceled, reserve, collect = ...
-- reserve() makes the Lua stack room check() needs before the call: after running out of
-- memory, growing the stack would fail and lose the error pcall caught. Out of memory
-- (never a cancellation), the garbage the failed code left is collected at once, so the
-- handler can go on (LuaJIT does not collect when an allocation fails).
local function check(ok, ...)
  if not ok then
    if (...) == "not enough memory" then
      collect()
    elseif canceled() then
      error((...), 0)
    end
  end
  return ok, ...
end
return function(f, ...)
  reserve()
  return check(pcall(f, ...))
end, function(f, handler, ...)
  if handler == nil then error("bad argument #2 to 'xpcall' (value expected)", 2) end
  reserve()
  return check(xpcall(f, function(e)
    if canceled() then return e end
    return handler(e)
  end, ...))
end
