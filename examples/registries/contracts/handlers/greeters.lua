-- Two implementations of app.greet:greeter's `greet`. The contract has already
-- checked the argument (a string of 1 to 40 characters) before either runs.
local function english(name)
    return "Hello, " .. name .. "!"
end

local function french(name)
    return "Bonjour, " .. name .. " !"
end

return { english = english, french = french }
