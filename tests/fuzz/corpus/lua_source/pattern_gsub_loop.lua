local M = {}
function M.run()
  local s = string.rep("ab", 100000)
  for i = 1, 1000 do s = s:gsub("a.-b", "%0%0") end
  return #s
end
return M
