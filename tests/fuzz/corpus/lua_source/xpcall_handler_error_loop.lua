local M = {}
function M.run()
  return xpcall(function() error("x") end, function(e) while true do end end)
end
return M
