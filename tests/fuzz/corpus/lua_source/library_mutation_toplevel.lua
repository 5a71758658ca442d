string.rep = function() return "" end
table.insert(math, 1)
return {run = function() return string.rep("a", 3) end}
