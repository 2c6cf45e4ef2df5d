-- release_hold.lua: returns an unpaid hold's units once its pay-by time has passed.
--
-- KEYS[1] {sale:N}:stock           int   units left
-- KEYS[2] {sale:N}:users           hash  user id -> units held or bought
-- KEYS[3] {sale:N}:holds           hash  order id -> "userId|quantity|payByMs|STATUS[|paymentId]"
-- KEYS[4] {sale:N}:hold-deadlines  zset  order id scored by pay-by ms
-- KEYS[5] {sale:N}:tally           hash  held, sold, orders (kept once it exists; see tally_holds.lua)
-- KEYS[6] {sale:N}:seats  KEYS[7] {sale:N}:hold-seats  KEYS[8] {sale:N}:seat-changes  (see purchase.lua; a
--         seated hold's seats turn free again, '0', and the change is appended; optional for older callers)
-- ARGV[1] order id   ARGV[2] now (epoch ms), or 0 for this Redis server's clock (TIME), what the worker sends
--
-- Returns  {1, userId, quantity, unitsLeft}  released now: units back to stock and to the user's allowance
--          {0, userId}                       already expired earlier (a redelivery): nothing changes
--          {2, userId}                       paid: nothing changes
--          {-1}                              no such hold (the sale's hot state is gone)
--          {-3, payBy}                       not due yet: the caller tries again later
-- ARGV[3] length cap of the seat-changes stream (with KEYS[6-8])
--
-- Invariant: the units (and the seats) of one hold return exactly once, and never for a paid hold (see pay.lua:
-- both scripts act only on PENDING and split on the pay-by time).
local hold = redis.call('HGET', KEYS[3], ARGV[1])
if not hold then
  return {-1}
end
local user, quantity, payBy, status = string.match(hold, '^(%d+)|(%d+)|(%d+)|(%u+)')
if status == 'PAID' then
  return {2, user}
end
if status == 'EXPIRED' then
  return {0, user}
end
local now = tonumber(ARGV[2])
if now <= 0 then
  local t = redis.call('TIME')
  now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
end
if now < tonumber(payBy) then
  return {-3, payBy}
end
local left = redis.call('INCRBY', KEYS[1], quantity)
if redis.call('HINCRBY', KEYS[2], user, -tonumber(quantity)) <= 0 then
  redis.call('HDEL', KEYS[2], user)
end
redis.call('HSET', KEYS[3], ARGV[1], user .. '|' .. quantity .. '|' .. payBy .. '|EXPIRED')
redis.call('ZREM', KEYS[4], ARGV[1])
if KEYS[7] then
  local seats = redis.call('HGET', KEYS[7], ARGV[1])
  if seats then
    local list = string.match(seats, '|(.*)$')
    for p in string.gmatch(list, '%d+') do
      redis.call('SETRANGE', KEYS[6], tonumber(p), '0')
    end
    redis.call('XADD', KEYS[8], 'MAXLEN', '~', ARGV[3], '*', 'state', '0', 'seats', list)
  end
end
if redis.call('EXISTS', KEYS[5]) == 1 then
  redis.call('HINCRBY', KEYS[5], 'held', -tonumber(quantity))
end
return {1, user, quantity, left}
