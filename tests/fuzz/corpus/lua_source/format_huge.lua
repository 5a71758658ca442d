local M = {}
function M.run()
  local s = string.rep("z", 1e8)
  return #string.format("%s%s%s%s", s, s, s, s)
end
return M
