local M = {}
local function f()
  table.sort({3, 2, 1}, function(a, b) f() return a < b end)
end
function M.run() return f() end
return M
