local M = {}
function M.run()
  local t = setmetatable({}, {__index = function(t, k) return k end, __tostring = function() error("no") end})
  error(t)
end
return M
