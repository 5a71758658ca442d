local M = {}
function M.run() return #string.rep("x", 2 ^ 31) end
return M
