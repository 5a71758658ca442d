-- modrt.values: run in every Lua state of function.lua, as bytecode compiled at build time
-- (embed_chunk.lua; the C++ that loads it says what it is given and returns).
local ffi, bit = ...
local i64, u64 = ffi.typeof("int64_t"), ffi.typeof("uint64_t")
local istype, band, rshift, tonumber = ffi.istype, bit.band, bit.rshift, tonumber
local function make(hi, lo)
  return i64(hi) * 4294967296 + lo
end
local function read(x)
  local k
  if istype(i64, x) then k = 1 elseif istype(u64, x) then k = 2 else return 0 end
  return k, tonumber(rshift(x, 32)), tonumber(band(x, 0xffffffff))
end
return make, read
