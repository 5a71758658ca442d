-- The caller's side of bench_remote.sh: `n` calls of `id`, `inflight` at a time (funcs.async
-- beyond 1), timing each from its start to when its result is taken.
local funcs = require("funcs")
local time = require("time")

local function run(id, n, inflight)
    local lat = {}
    local started = time.now()
    if inflight <= 1 then
        for i = 1, n do
            local t = time.now()
            local _, err = funcs.call(id, i)
            if err then error(err) end
            lat[i] = time.now():sub(t):microseconds()
        end
    else
        local window, starts = {}, {}
        for i = 1, n + inflight do
            if i > inflight then  -- take the oldest before starting another
                local j = i - inflight
                local _, err = window[j]:result()
                if err then error(err) end
                lat[j] = time.now():sub(starts[j]):microseconds()
                window[j] = nil
            end
            if i <= n then
                starts[i] = time.now()
                local f, err = funcs.async(id, i)
                if not f then error(err) end
                window[i] = f
            end
        end
    end
    local secs = time.now():sub(started):seconds()
    table.sort(lat)
    return {
        calls_per_s = math.floor(n / secs),
        p50_us = lat[math.max(1, math.floor(n * 0.50))],
        p99_us = lat[math.max(1, math.floor(n * 0.99))],
    }
end

return { run = run }
