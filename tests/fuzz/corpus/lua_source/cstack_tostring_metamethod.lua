local M = {}
local t = setmetatable({}, {__tostring = function(self) return tostring(self) end})
function M.run() return tostring(t) end
return M
