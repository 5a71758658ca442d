local M = {}
function M.run()
  local t = {}
  for i = 1, 1e9 do t[i] = string.rep(tostring(i), 100) end
  return #t
end
return M
