local M = {}
function M.run() return {ok = true, n = 1} end
return M
