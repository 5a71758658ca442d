local M = {}
local function f() return coroutine.wrap(f)() end
function M.run() return f() end
return M
