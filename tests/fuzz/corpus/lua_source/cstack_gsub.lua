local M = {}
local function g() return (string.gsub("a", "a", g)) end
function M.run() return g() end
return M
