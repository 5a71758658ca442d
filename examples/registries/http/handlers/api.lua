-- Handlers of examples/registries/http: each reads the request and writes the response
-- through the `http` module (http.request(), http.response()).
local http = require("http")

local function hello()
    local req = http.request()
    local res = http.response()
    res:set_content_type("text/plain")
    res:write("hello " .. (req:query("name") or "world") .. "\n")
end

-- Returning a value without writing anything answers it as JSON (200).
local function get_user()
    local req = http.request()
    local id = req:param("id")
    return {id = id, name = "user " .. id}
end

local function create_user()
    local req = http.request()
    local res = http.response()
    local user, err = req:body_json()
    if err then
        res:set_status(http.STATUS.BAD_REQUEST)
        res:write_json({error = "expected a JSON body"})
        return
    end
    res:set_status(http.STATUS.CREATED)
    res:write_json({created = user})
end

local function get_file()
    local req = http.request()
    return {path = req:param("path")}
end

local function stats()
    return {requests = "many", served_by = "modrt"}
end

return {hello = hello, get_user = get_user, create_user = create_user, get_file = get_file, stats = stats}
