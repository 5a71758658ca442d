while true do end
return {run = function() return 1 end}
