-- Runs on a serving node; the caller's actor came with the call.
local security = require("security")

local users = {
    [1] = { id = 1, name = "Ada Lovelace" },
    [2] = { id = 2, name = "Alan Turing" },
}

local function get_user(id)
    local user = users[id]
    if not user then
        return nil, errors.new({ kind = errors.NOT_FOUND, message = "user " .. tostring(id) .. " not found",
                                 details = { id = id } })
    end
    local actor = security.actor()
    return { id = user.id, name = user.name, asked_by = actor and actor:id() or "anonymous" }
end

return { get_user = get_user }
