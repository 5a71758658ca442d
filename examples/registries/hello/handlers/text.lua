-- Shared text helpers, imported by the functions as require("text").
local text = {}

function text.trim(s)
    return (s:gsub("^%s+", ""):gsub("%s+$", ""))
end

return text
