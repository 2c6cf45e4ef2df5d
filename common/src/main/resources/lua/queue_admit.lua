-- queue_admit.lua: one tick of a sale's admission loop (run by the instance holding the lease).
--
-- KEYS[1] {sale:N}:meta  KEYS[2] {sale:N}:stock  KEYS[3] {sale:N}:q:waiting  KEYS[4] {sale:N}:q:joined
-- KEYS[5] {sale:N}:q:gone  KEYS[6] {sale:N}:q:inside  KEYS[7] {sale:N}:q:stats  KEYS[8] {sale:N}:q:conns
-- KEYS[9] {sale:N}:q:windows (hash user -> window end ms)   KEYS[10] {sale:N}:users (hash user -> units held or bought)
-- ARGV[1] now (ms)  ARGV[2] rate time constant (ms)  ARGV[3] most users handled per step
-- ARGV[4] sale id   ARGV[5] queue events channel   ARGV[6] time to acknowledge an admission (ms)
-- (The messages are the QueueEvent JSON of io.miaosha.common.events, built by concatenation: cjson
-- would print ids past 14 digits in exponent form.)
--
-- Returns {admitted, windows over, places lost, finished}; finished is 1 when the sale is over (ended
-- or cancelled) and nobody waits or is inside: the gateways may stop ticking it. A sale with no meta
-- (not armed yet, or its hot state lost) is never finished: it is armed again, and the worker takes a
-- sale out of the queued set once MySQL says it closed (io.miaosha.worker.housekeeping).
-- 1. Tickets whose grace period ended are lost. A shopper already inside keeps its slot until its
--    window ends, buys or leaves: it may well be at the checkout with its token and no socket.
-- 2. Windows that ended free their slots; a window_over event is published.
-- 3. While the sale is open and has stock, the lowest tickets fill the free slots (at most
--    queue_capacity inside); an admitted event is published in the same atomic step, so an
--    admission is never lost between admitting and telling, and ZPOPMIN makes a double admission
--    impossible even if two instances ever ran a tick at once. A ticket whose shopper already holds or
--    bought the most a shopper may (bought on another device while this one waited) is taken off
--    without a slot, and a limit_reached event tells its sockets why; it counts as served, since it
--    took a place ahead of everyone behind it (their places, advanced by served, stay exact). An admission holds its slot only
--    until ARGV[6] (the grace period) unless a gateway with the shopper's socket acknowledges it
--    (queue_ack.lua, which extends it to the window end): a shopper whose gateway died and who never
--    came back does not keep a slot for a whole window.
-- 4. The admission rate (places taken off the front per second, so skipped tickets count) is an exponentially weighted average with time constant ARGV[2] and a
--    bias-corrected weight, updated only while someone waits or was admitted (an empty queue is not
--    a slow queue) and not while the sale is paused (not open, sold out). It is what the admin sees.
-- 5. The turnover of the slots inside, which the wait estimate is built on (WaitEstimate): slots
--    freed since the last step (the inside set shrinks only by purchases, leaves and windows over,
--    and grows only here), plus skipped tickets, against the slot-seconds occupied meanwhile, both
--    exponentially decayed with time constant ARGV[2] ('departed', 'slot_ms'; 'occupied' is the
--    inside count this step left, 'flow_at' its time). Occupied time counts whether or not anyone
--    left, so shoppers still inside weigh in (a queue's first departures are its fastest shoppers), and
--    the opening fill, when every slot is taken at once, is no departure: it cannot make waits look short.
--    A slot counts as occupied until the step that finds it free (only a step can refill it), so
--    occupied time is each slot's whole cycle from one admission to the next: the inside count the
--    last step left, times the time since. Occupied time counts from the first slot freed on: until
--    then everyone inside came in at once and nobody has had the time to buy, which says nothing of
--    the pace and would make the first minute's waits look long (by 5% in a simulation of steady stays).
-- 6. Admissions are counted ('admitted' in the stats hash, KEYS[7]), for the admin dashboard; a shopper let in
--    again after its window ended counts again (the dashboard says "admissions"); skipped tickets do not.
-- Each step is bounded by ARGV[3]; no step walks the queue.
local now = tonumber(ARGV[1])
local batch = tonumber(ARGV[3])
local sale = ARGV[4]

local lost = redis.call('ZRANGEBYSCORE', KEYS[5], '-inf', now, 'LIMIT', 0, batch)
for _, user in ipairs(lost) do
  redis.call('ZREM', KEYS[5], user)
  redis.call('HINCRBY', KEYS[7], 'reorders', redis.call('ZREM', KEYS[3], user))
  redis.call('ZREM', KEYS[4], user)
end

local over = redis.call('ZRANGEBYSCORE', KEYS[6], '-inf', now, 'LIMIT', 0, batch)
for _, user in ipairs(over) do
  redis.call('ZREM', KEYS[6], user)
end
if #over > 0 then
  redis.call('PUBLISH', ARGV[5], '{"v":1,"type":"window_over","saleId":' .. sale .. ',"userIds":['
    .. table.concat(over, ',') .. ']}')
end

local occupiedNow = redis.call('ZCARD', KEYS[6])
local function measureTurnover(skippedNow)
  local flow = redis.call('HMGET', KEYS[7], 'departed', 'slot_ms', 'occupied', 'flow_at')
  if flow[4] then
    local dt = now - tonumber(flow[4])
    if dt > 0 then
      local before = tonumber(flow[3] or '0')
      local keep = math.exp(-dt / tonumber(ARGV[2]))
      local departed = tonumber(flow[1] or '0') * keep + math.max(0, before - occupiedNow) + skippedNow
      local slotMs = tonumber(flow[2] or '0')
      if departed > 0 then
        slotMs = slotMs * keep + before * dt
      end
      redis.call('HSET', KEYS[7], 'departed', tostring(departed), 'slot_ms', tostring(slotMs))
    end
  end
  redis.call('HSET', KEYS[7], 'occupied', redis.call('ZCARD', KEYS[6]), 'flow_at', now)
end

local meta = redis.call('HMGET', KEYS[1], 'state', 'opens_at', 'closes_at', 'queue_capacity', 'window_ms', 'per_user_limit')
local empty = redis.call('ZCARD', KEYS[3]) == 0 and redis.call('ZCARD', KEYS[6]) == 0
if not meta[1] then
  return {0, #over, #lost, 0}
end
local over_for_good = meta[1] == 'cancelled' or now >= tonumber(meta[3])
local open = not over_for_good and now >= tonumber(meta[2])
local left = tonumber(redis.call('GET', KEYS[2]) or '0')
if not open or left <= 0 then
  redis.call('HSET', KEYS[7], 'at', now)
  measureTurnover(0)
  return {0, #over, #lost, (over_for_good and empty) and 1 or 0}
end

local admitted = {}
local skipped = {}
local served = 0
local limit = tonumber(meta[6] or '0')
local free = tonumber(meta[4] or '1') - redis.call('ZCARD', KEYS[6])
if free > batch then
  free = batch
end
if free > 0 then
  local popped = redis.call('ZPOPMIN', KEYS[3], free)
  local windowEnd = now + tonumber(meta[5] or '600000')
  local ackBy = math.min(windowEnd, now + tonumber(ARGV[6]))
  for i = 1, #popped, 2 do
    local user = popped[i]
    redis.call('ZREM', KEYS[4], user)
    if limit > 0 and tonumber(redis.call('HGET', KEYS[10], user) or '0') >= limit then
      skipped[#skipped + 1] = user
    else
      redis.call('ZADD', KEYS[6], ackBy, user)
      redis.call('HSET', KEYS[9], user, windowEnd)
      admitted[#admitted + 1] = user
    end
  end
  served = #popped / 2
  if served > 0 then
    redis.call('HINCRBY', KEYS[7], 'served', served)
  end
  if #skipped > 0 then
    redis.call('PUBLISH', ARGV[5], '{"v":1,"type":"limit_reached","saleId":' .. sale .. ',"userIds":['
      .. table.concat(skipped, ',') .. ']}')
  end
  if #admitted > 0 then
    -- Every admission counted, O(1): the admin dashboard's conversion admitted -> bought -> paid.
    redis.call('HINCRBY', KEYS[7], 'admitted', #admitted)
    redis.call('PUBLISH', ARGV[5], '{"v":1,"type":"admitted","saleId":' .. sale .. ',"windowEndMs":'
      .. string.format('%.0f', windowEnd) .. ',"userIds":[' .. table.concat(admitted, ',') .. ']}')
  end
end

measureTurnover(#skipped)

local stats = redis.call('HMGET', KEYS[7], 'rate', 'weight', 'at')
if stats[3] then
  local dt = now - tonumber(stats[3])
  if dt > 0 then
    if served > 0 or redis.call('ZCARD', KEYS[3]) > 0 then
      local a = 1 - math.exp(-dt / tonumber(ARGV[2]))
      local rate = a * (served * 1000 / dt) + (1 - a) * tonumber(stats[1] or '0')
      local weight = a + (1 - a) * tonumber(stats[2] or '0')
      redis.call('HSET', KEYS[7], 'rate', tostring(rate), 'weight', tostring(weight), 'at', now)
    else
      redis.call('HSET', KEYS[7], 'at', now)
    end
  end
else
  redis.call('HSET', KEYS[7], 'at', now)
end
return {#admitted, #over, #lost, 0}
