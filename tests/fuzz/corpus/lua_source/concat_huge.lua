local M = {}
function M.run()
  local parts = {}
  for i = 1, 1e6 do parts[i] = string.rep("y", 1000) end
  return #table.concat(parts)
end
return M
