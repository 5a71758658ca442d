local M = {}
function M.run()
  local results = {}
  results[1] = pcall(function() string.upper = nil end)
  results[2] = pcall(function() table.insert(string, "x") end)
  results[3] = pcall(function() rawset(string, 1, "x") end)
  results[4] = pcall(function() math.pi = 3 end)
  results[5] = pcall(function() table.sort(string) end)
  results[6] = pcall(function() getmetatable("").__index = {} end)
  results[7] = pcall(function() setmetatable(string, nil) end)
  return results
end
return M
