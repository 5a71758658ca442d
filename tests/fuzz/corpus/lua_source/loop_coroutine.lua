local M = {}
function M.run() return coroutine.wrap(function() while true do end end)() end
return M
