local M = {}

function M.profile(user_id)
  if user_id == 0 then
    return nil, errors.new({message = "no user 0", kind = errors.NOT_FOUND, details = {user_id = user_id}})
  end
  local ctx = require("ctx")
  return {id = user_id, name = "User " .. user_id, request = ctx.get("request_id")}
end

function M.orders(user_id)
  local ctx = require("ctx")
  return {count = user_id * 2, for_user = ctx.get("user_id")}
end

function M.greeting(name)
  return "Welcome back, " .. name .. "!"
end

return M
