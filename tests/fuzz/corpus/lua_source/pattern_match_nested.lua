local M = {}
function M.run() return string.match(string.rep("a", 100000), "(.-)(.-)(.-)(.-)(.-)$b") end
return M
