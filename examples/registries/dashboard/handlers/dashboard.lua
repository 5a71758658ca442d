local funcs = require("funcs")
local ctx = require("ctx")

local M = {}

-- Fetch a user's profile and orders in parallel, with a request-scoped
-- context and a time limit, then build a greeting synchronously.
function M.dashboard(user_id)
  local exec = funcs.new()
    :with_context({request_id = ctx.get("request_id") or "none", user_id = user_id})
    :with_options({timeout = "2s"})

  local profile_f, err = exec:async("app.web:profile", user_id)
  if err then return nil, err end
  local orders_f, err2 = exec:async("app.web:orders", user_id)
  if err2 then return nil, err2 end

  local profile_ch, orders_ch = profile_f:channel(), orders_f:channel()
  local out = {}
  for _ = 1, 2 do
    local r = channel.select {profile_ch:case_receive(), orders_ch:case_receive()}
    if not r.ok then
      local which = r.channel == profile_ch and profile_f or orders_f
      local _, failure = which:result()
      return nil, errors.wrap(failure, "dashboard")
    end
    if r.channel == profile_ch then out.profile = r.value:data() else out.orders = r.value:data() end
  end

  local greeting, gerr = funcs.call("app.web:greeting", out.profile.name)
  if gerr then return nil, gerr end
  out.greeting = greeting
  return out
end

return M
