local M = {}
function M.run()
  local t = {1}
  for i = 1, 60 do t = {t, t} end
  return t
end
return M
