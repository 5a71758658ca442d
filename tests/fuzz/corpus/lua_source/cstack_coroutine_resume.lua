local M = {}
local function f()
  local co = coroutine.create(f)
  local ok, err = coroutine.resume(co)
  if not ok then error(err, 0) end
  return err
end
function M.run() return f() end
return M
