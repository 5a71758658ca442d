local M = {}
function M.run() while true do end end
return M
