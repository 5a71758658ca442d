local M = {}
function M.run() return #string.rep("abc", 1e9, ",") end
return M
