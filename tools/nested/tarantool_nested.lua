-- Tarantool's box.func:call of a Lua function from a Lua loop, and the same function as a
-- plain Lua call: the baselines of BM_Nested/lua_funcs_call (tools/nested/nested_vs_tarantool.sh).
-- Best of three runs of N calls each; prints ns per call.
local clock = require('clock')
box.cfg{work_dir = os.getenv('WORK'), log = os.getenv('WORK') .. '/tarantool.log', wal_mode = 'none', listen = box.NULL}
function add(a, b) return a + b end
box.schema.func.create('add', {if_not_exists = true})
local f = box.func.add
local n = tonumber(os.getenv('N') or '2000000')
local function run(call)
  local best = math.huge
  for _ = 1, 3 do
    local s, t0 = 0, clock.monotonic64()
    for i = 1, n do s = s + call(i) end
    local dt = tonumber(clock.monotonic64() - t0)
    assert(s == n * (n + 1) / 2 + n)
    if dt < best then best = dt end
  end
  return best / n
end
local func_call = run(function(i) return f:call({i, 1}) end)
local plain = run(function(i) return add(i, 1) end)
print(string.format('tarantool box.func:call %.1f ns, plain Lua call %.1f ns', func_call, plain))
os.exit(0)
