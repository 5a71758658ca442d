local M = {}
function M.run()
  local t = {x = 1}
  for i = 1, 60 do t = {a = t, b = t} end
  return {value = t}
end
return M
