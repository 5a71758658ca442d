-- Callers of app.greet:greeter. They know the contract, not the functions
-- behind it: which one runs is the binding's business.
local contract = require("contract")

-- Greet through the contract's default binding.
local function welcome(name)
    local greeter, err = contract.get("app.greet:greeter")
    if err then return nil, err end
    local instance, oerr = greeter:open()
    if oerr then return nil, oerr end
    return instance:greet(name)
end

-- Greet through the binding `binding` (e.g. "app.greet:french_greeter").
local function welcome_with(binding, name)
    local instance, err = contract.open(binding)
    if err then return nil, err end
    return instance:greet(name)
end

return { welcome = welcome, welcome_with = welcome_with }
