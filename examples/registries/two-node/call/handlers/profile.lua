-- Unchanged whether app.api:get_user is local or remote.
local funcs = require("funcs")

local function profile(id)
    local user, err = funcs.call("app.api:get_user", id)
    if err then return nil, err end
    return { title = "Profile of " .. user.name, user = user }
end

return { profile = profile }
