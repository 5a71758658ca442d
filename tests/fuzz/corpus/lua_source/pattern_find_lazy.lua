local M = {}
function M.run() return string.find(string.rep("a", 200000), ".-.-.-.-.-b") end
return M
