local ctx = require("ctx")
local funcs = require("funcs")

local function whoami()
    return {tenant = ctx.get("tenant"), calls = ctx.get("stamp_calls")}
end

local function twice()
    local first = funcs.call("acme.app:whoami")
    local second = funcs.call("acme.app:whoami")
    return {first.calls, second.calls}
end

-- Per-call options override the entry's: this one call is stamped "guest".
local function as_guest()
    return funcs.new():with_options({stamp = {value = "guest"}}):call("acme.app:whoami")
end

return {whoami = whoami, twice = twice, as_guest = as_guest}
