local queue = require("queue")
local logger = require("logger")

local function handle_order(order)
    local msg = queue.message()
    if order.item == "poison" then
        -- not retryable: dead-lettered at once, with this error in x_dead_letter_error
        return nil, errors.new({message = "cannot ship item 'poison'", kind = errors.INVALID})
    end
    logger:info("order handled", {order = order.id, message = msg:id()})
    return true
end

local function log_dead_letter(order)
    local msg = queue.message()
    logger:warn("dead letter", {order = order.id, error = msg:header("x_dead_letter_error"),
                                attempts = msg:header("x_dead_letter_attempts")})
    return true
end

local function place_order(order)
    return queue.publish("app.queue:orders", order, {correlation_id = tostring(order.id)})
end

return {handle_order = handle_order, log_dead_letter = log_dead_letter, place_order = place_order}
