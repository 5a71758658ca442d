-- modrt.channel: run in every Lua state of function.lua, as bytecode compiled at build time
-- (embed_chunk.lua; the C++ that loads it says what it is given and returns).
-- Lua, not C: a coroutine blocked on a channel parks by yielding to the
-- scheduler, and only Lua frames can be yielded across (a C function that
-- called back into Lua cannot). It runs with the state's real globals, which
-- no function of a user can reach (getfenv is not in the sandbox).
--
-- Go's rules, single-threaded: a call's coroutines share its thread, and run
-- only while the call's main body blocks in a channel operation or time.sleep
-- (the blocking operation is the scheduler loop). A send hands its value to a
-- parked receiver or the buffer, else parks; a receive takes from the buffer
-- (refilling it from a parked sender), a parked sender, or sees the channel
-- closed, else parks. A parked party is a record listed on the wait queue of
-- every channel its cases name; whoever completes it first marks it done, and
-- the other queues drop it lazily.
local P = ...
local state_of, new_box, cannot_send = P.state, P.new_box, P.cannot_send
local ext_ready, ext_deliver, ext_choose, ext_wait, ext_close = P.ext_ready, P.ext_deliver, P.ext_choose, P.ext_wait,
  P.ext_close
local get_sched, set_sched, raise, now, INVALID = P.get_sched, P.set_sched, P.raise, P.now, P.INVALID
local create, resume, yield, running, status = coroutine.create, coroutine.resume, coroutine.yield, coroutine.running,
  coroutine.status
local type, select, unpack, error, pcall, setmetatable, floor, sort = type, select, unpack, error, pcall,
  setmetatable, math.floor, table.sort

local MAX_CASES = 4096          -- a larger select is almost surely a bug
local MAX_COROUTINES = 10000    -- live spawned coroutines per call
local PARK = {}                 -- what a parked coroutine yields to the scheduler
local CASES = setmetatable({}, {__mode = "k"})  -- the case tables case_receive/case_send made

-- A queue: entries q[head..tail]. Buffers may hold nil values, so emptiness is head > tail.
local function q_new() return {head = 1, tail = 0} end
local function q_push(q, v) local t = q.tail + 1; q.tail = t; q[t] = v end
local function q_take(q)
  local h = q.head
  local v = q[h]
  q[h] = nil
  if h == q.tail then q.head, q.tail = 1, 0 else q.head = h + 1 end
  return v
end

local function live(r) return not r.done and not r.S.closed end

-- First live waiter {record, case index} of a wait queue, removed; nil when none.
local function waiter(q)
  while q.head <= q.tail do
    local w = q_take(q)
    if live(w[1]) then return w end
  end
end

-- Park waiter w on q; a queue that grew past twice its live waiters drops the dead ones
-- (a loop that selects on a channel nobody sends to would otherwise grow it forever).
local function q_wait(q, w)
  if q.tail - q.head >= (q.sweep or 16) then
    local keep = {}
    while q.head <= q.tail do
      local x = q_take(q)
      if live(x[1]) then keep[#keep + 1] = x end
    end
    for i = 1, #keep do q_push(q, keep[i]) end
    q.sweep = 2 * #keep + 16
  end
  q_push(q, w)
end

-- The scheduler of the running call (made on first use when `make`): its runnable
-- coroutines, parked records, and spawned coroutines. The kernel side marks it
-- closed when the call ends, so a channel that outlives the call never hands a
-- value to a coroutine that will not run again.
local function scheduler(make)
  local S = get_sched()
  if S == nil and make then
    S = {ready = q_new(), parked = {}, spawned = {}, live = 0, closed = false}
    set_sched(S)
  end
  return S
end

local function complete(r, i, v, ok, err)
  r.done, r.index, r.value, r.ok, r.err = true, i, v, ok, err
  if r.thread then q_push(r.S.ready, r.thread) end
end

-- Try case c ({ch, st, send, value}; st is the local channel's state, false for a
-- future's or a clock's channel) without blocking: true, value, ok when it went.
local function try_case(c)
  local st = c.st
  if not st then
    if ext_ready(c.ch) then return true, ext_deliver(c.ch) end
    return false
  end
  local buf = st.buf
  if c.send then
    if st.closed then error("send on a closed channel", 0) end
    local w = waiter(st.recvq)
    if w then
      complete(w[1], w[2], c.value, true)
    elseif buf.tail - buf.head + 1 < st.cap then
      q_push(buf, c.value)
    else
      return false
    end
    return true, c.value, true
  end
  if buf.head <= buf.tail then
    local v = q_take(buf)
    local w = waiter(st.sendq)
    if w then
      local sv = w[1].cases[w[2]].value
      q_push(buf, sv)
      complete(w[1], w[2], sv, true)
    end
    return true, v, true
  end
  local w = waiter(st.sendq)
  if w then
    local sv = w[1].cases[w[2]].value
    complete(w[1], w[2], sv, true)
    return true, sv, true
  end
  if st.closed then return true, nil, false end
  return false
end

-- The first case that can go now: index, value, ok; nil when none can.
local function attempt(cases)
  for i = 1, #cases do
    local went, v, ok = try_case(cases[i])
    if went then return i, v, ok end
  end
end

-- Resume coroutine co of S once. Its error fails the call that spawned it (nothing is
-- lost silently); a cancellation passes through resume's guard by itself.
local function run(S, co)
  local ok, what = resume(co)
  if not ok then
    S.spawned[co], S.live = nil, S.live - 1
    error(what, 0)
  end
  if status(co) == "dead" then
    S.spawned[co], S.live = nil, S.live - 1
  elseif what ~= PARK then
    q_push(S.ready, co)  -- it yielded on its own: it runs again after the others
  end
end

-- Complete the parked records whose sleep is over or whose future's or clock's channel
-- is ready, and drop the completed ones from the list.
local function by_deadline(a, b) return a.until_ns < b.until_ns end

local function poll(S)
  local p, n, t, woken = S.parked, 0, nil, nil
  for k = 1, #p do
    local r = p[k]
    if not r.done then
      if r.until_ns then
        t = t or now()
        if t >= r.until_ns then
          woken = woken or {}
          woken[#woken + 1] = r
        end
      else
        local cs = r.cases
        for i = 1, #cs do
          local c = cs[i]
          if not c.st and ext_ready(c.ch) then
            complete(r, i, ext_deliver(c.ch))
            break
          end
        end
      end
    end
    if not r.done and not (r.until_ns and t and t >= r.until_ns) then n = n + 1; p[n] = r end
  end
  for k = n + 1, #p do p[k] = nil end
  if woken then
    -- Sleeps that ended together wake in the order they were due (a late poll sees several).
    sort(woken, by_deadline)
    for k = 1, #woken do complete(woken[k], 0) end
  end
end

-- What the parked records wait for outside this call: futures' and clocks' channels,
-- and the earliest end of a sleep.
local function outside_waits(S)
  local chans, until_ns = {}, 0
  local p = S.parked
  for k = 1, #p do
    local r = p[k]
    if r.until_ns then
      if until_ns == 0 or r.until_ns < until_ns then until_ns = r.until_ns end
    else
      local cs = r.cases
      for i = 1, #cs do
        if not cs[i].st then chans[#chans + 1] = cs[i].ch end
      end
    end
  end
  return chans, until_ns
end

-- The blocked main body (or a coroutine this call did not spawn) runs the others until
-- its own record r is done.
local function drive(S, r, who)
  while not r.done do
    local ready = S.ready
    if ready.head <= ready.tail then
      run(S, q_take(ready))
    else
      poll(S)
      if not r.done and ready.head > ready.tail then
        local chans, until_ns = outside_waits(S)
        if (#chans == 0 and until_ns == 0) or not ext_wait(chans, until_ns, who) then
          raise(INVALID, who .. ": every coroutine of this call is blocked and nothing can wake one (deadlock)")
        end
      end
    end
  end
end

-- With no coroutine of this call able to run, only futures' and clocks' channels can
-- still deliver: the kernel-side wait takes them (and raises as it always has).
local function wait_outside(cases, who)
  local idx, chans = {}, {}
  for i = 1, #cases do
    if not cases[i].st then
      idx[#idx + 1] = i
      chans[#chans + 1] = cases[i].ch
    end
  end
  if #chans == 0 then
    raise(INVALID, who .. ": nothing else in this call can send to or receive from these channels (deadlock)")
  end
  local i = idx[ext_choose(chans, who)]
  return i, ext_deliver(cases[i].ch)
end

-- Block on cases (or, with none, until until_ns): index, value, ok of the case that went.
local function park(cases, until_ns, who)
  local S = scheduler(false)
  local co = running()
  local spawned = S ~= nil and co ~= nil and S.spawned[co] == true
  if not spawned and (S == nil or S.live == 0) then return wait_outside(cases, who) end
  local r = {thread = spawned and co, S = S, cases = cases, done = false, until_ns = until_ns}
  for i = 1, #cases do
    local c = cases[i]
    if c.st then q_wait(c.send and c.st.sendq or c.st.recvq, {r, i}) end
  end
  local p = S.parked
  p[#p + 1] = r
  if spawned then
    repeat yield(PARK) until r.done  -- only the scheduler resumes it, once r is done
  else
    local ok, err = pcall(drive, S, r, who)
    if not ok then
      r.done = true  -- nobody may hand it a value now
      error(err, 0)
    end
  end
  if r.err then error(r.err, 0) end
  return r.index, r.value, r.ok
end

local methods = {}

function methods.send(ch, v)
  local st = state_of(ch, "send")
  if not st then cannot_send(ch) end
  local c = {ch = ch, st = st, send = true, value = v}
  if not try_case(c) then park({c}, nil, "send") end
  return true
end

function methods.receive(ch)
  local c = {ch = ch, st = state_of(ch, "receive")}
  local went, v, ok = try_case(c)
  if went then return v, ok end
  local _
  _, v, ok = park({c}, nil, "receive")
  return v, ok
end

function methods.close(ch)
  local st = state_of(ch, "close")
  if not st then return ext_close(ch) end
  if st.closed then return end
  st.closed = true
  local w = waiter(st.recvq)
  while w do
    complete(w[1], w[2], nil, false)
    w = waiter(st.recvq)
  end
  w = waiter(st.sendq)
  while w do
    complete(w[1], w[2], nil, nil, "send on a closed channel")
    w = waiter(st.sendq)
  end
end

function methods.case_receive(ch)
  state_of(ch, "case_receive")
  local c = {channel = ch}
  CASES[c] = true
  return c
end

function methods.case_send(ch, v)
  if not state_of(ch, "case_send") then cannot_send(ch) end
  local c = {channel = ch, send = true, value = v}
  CASES[c] = true
  return c
end

local M = {methods = methods}

function M.new(size)
  size = size == nil and 0 or size
  if type(size) ~= "number" or size < 0 or size ~= floor(size) or size > 2 ^ 31 then
    error("channel.new: the size must be a whole number from 0 (unbuffered) up", 2)
  end
  return new_box({cap = size, buf = q_new(), recvq = q_new(), sendq = q_new(), closed = false})
end

function M.select(cases)
  if type(cases) ~= "table" then
    error("bad argument #1 to 'select' (table expected, got " .. type(cases) .. ")", 0)
  end
  local default = cases.default
  local n = #cases
  if n > MAX_CASES then error("channel.select: more than " .. MAX_CASES .. " cases", 0) end
  if n == 0 and not default then error("channel.select: no cases", 0) end
  local list = {}
  for i = 1, n do
    local c = cases[i]
    if type(c) ~= "table" or not CASES[c] then
      error("channel.select: case " .. i .. " is not a case (use ch:case_receive())", 0)
    end
    list[i] = {ch = c.channel, st = state_of(c.channel, "select"), send = c.send, value = c.value}
  end
  local i, v, ok = attempt(list)
  if not i then
    if default then return {default = true, ok = true} end
    i, v, ok = park(list, nil, "channel.select")
  end
  return {channel = list[i].ch, value = v, ok = ok}
end

function M.spawn(fn, ...)
  if type(fn) ~= "function" then
    error("bad argument #1 to 'spawn' (function expected, got " .. type(fn) .. ")", 0)
  end
  local S = scheduler(true)
  if S.live >= MAX_COROUTINES then
    raise(INVALID, "coroutine.spawn: more than " .. MAX_COROUTINES .. " live coroutines in one call")
  end
  local n = select("#", ...)
  local co
  if n == 0 then
    co = create(fn)
  else
    local args = {...}
    co = create(function() return fn(unpack(args, 1, n)) end)
  end
  S.spawned[co], S.live = true, S.live + 1
  q_push(S.ready, co)
end

-- time.sleep: the kernel-side sleep until this call spawns coroutines; then a sleep parks
-- like a blocked receive, and the others run meanwhile.
function M.make_sleep(c_sleep, sleep_deadline)
  return function(d)
    local S = scheduler(false)
    local co = running()
    if S == nil or (S.live == 0 and (co == nil or not S.spawned[co])) then return c_sleep(d) end
    park({}, sleep_deadline(d) or now(), "time.sleep")
  end
end

return M
