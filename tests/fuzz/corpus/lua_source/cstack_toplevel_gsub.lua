local function g() return (string.gsub("a", "a", g)) end
g()
return {run = function() return 1 end}
