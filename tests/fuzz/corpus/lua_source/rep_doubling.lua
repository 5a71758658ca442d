local M = {}
function M.run()
  local s = "x"
  for i = 1, 40 do s = s .. s end
  return #s
end
return M
