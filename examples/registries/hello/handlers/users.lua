-- Functions return `result` or `nil, err` (Wippy's convention).
local text = require("text")

local users = {
    [1] = { id = 1, name = "Ada Lovelace", roles = { "admin", "author" } },
    [2] = { id = 2, name = "Alan Turing", roles = { "author" } },
}

local function greet(name)
    if type(name) ~= "string" or text.trim(name) == "" then
        return nil, errors.new({ message = "name must be a non-empty string", kind = errors.INVALID })
    end
    return "Hello, " .. text.trim(name) .. "!"
end

local function get_user(id)
    local user = users[id]
    if not user then
        return nil, errors.new({
            message = "user " .. tostring(id) .. " not found",
            kind = errors.NOT_FOUND,
            details = { id = id },
        })
    end
    return user
end

return { greet = greet, get_user = get_user }
