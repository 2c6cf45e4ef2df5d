-- pay.lua: marks a hold paid, atomically with the decision that it may still be paid.
--
-- KEYS[1] {sale:N}:meta            hash  price, currency (for the OrderPaid entry)
-- KEYS[2] {sale:N}:holds           hash  order id -> "userId|quantity|payByMs|STATUS[|paymentId]"
-- KEYS[3] {sale:N}:hold-deadlines  zset  order id scored by pay-by ms
-- KEYS[4] {sale:N}:outbox          stream the relay moves to RabbitMQ
-- KEYS[5] {sale:N}:tally           hash  held, sold, orders (kept once it exists; see tally_holds.lua)
-- KEYS[6] {sale:N}:seats  KEYS[7] {sale:N}:hold-seats  KEYS[8] {sale:N}:seat-changes  (see purchase.lua; a
--         seated hold's seats turn sold, '2', and the change is appended; optional for older callers)
-- ARGV[7] length cap of the seat-changes stream (with KEYS[6-8])
-- ARGV[1] order id   ARGV[2] user id (the payer)   ARGV[3] now (epoch ms), or 0 for this Redis server's
-- clock (TIME), what the services send   ARGV[4] payment id   ARGV[5] sale id   ARGV[6] outbox wake-up channel (an OutboxWake when the outbox was empty)
--
-- Returns  {1, paymentId}   paid now; an OrderPaid entry was appended to the outbox
--          {2, paymentId}   already paid: the answer of the first payment, nothing changes
--          {-1}             no such hold for this user (unknown order or someone else's)
--          {-2}             the hold expired (released, or its pay-by time has passed)
--          {-3}             the sale was cancelled (meta state): the caller refunds its charge
--
-- Invariant: a hold ends exactly one way. release_hold.lua changes only PENDING holds whose pay-by
-- time has passed; this script changes only PENDING holds whose pay-by time has not. Redis runs
-- scripts one at a time, so whichever runs first decides and the other sees a final status.
local hold = redis.call('HGET', KEYS[2], ARGV[1])
if not hold then
  return {-1}
end
local user, quantity, payBy, status, paymentId = string.match(hold, '^(%d+)|(%d+)|(%d+)|(%u+)|?(.*)$')
if user ~= ARGV[2] then
  return {-1}
end
if status == 'PAID' then
  return {2, paymentId}
end
local now = tonumber(ARGV[3])
if now <= 0 then
  local t = redis.call('TIME')
  now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
end
if status ~= 'PENDING' or now >= tonumber(payBy) then
  return {-2}
end
-- A cancel that lands while the charge is in flight wins: the shopper is refunded, not sold a cancelled sale.
if redis.call('HGET', KEYS[1], 'state') == 'cancelled' then
  return {-3}
end
redis.call('HSET', KEYS[2], ARGV[1], user .. '|' .. quantity .. '|' .. payBy .. '|PAID|' .. ARGV[4])
redis.call('ZREM', KEYS[3], ARGV[1])
if KEYS[7] then
  local seats = redis.call('HGET', KEYS[7], ARGV[1])
  if seats then
    local list = string.match(seats, '|(.*)$')
    for p in string.gmatch(list, '%d+') do
      redis.call('SETRANGE', KEYS[6], tonumber(p), '2')
    end
    redis.call('XADD', KEYS[8], 'MAXLEN', '~', ARGV[7], '*', 'state', '2', 'seats', list)
  end
end
if redis.call('EXISTS', KEYS[5]) == 1 then
  redis.call('HINCRBY', KEYS[5], 'held', -tonumber(quantity))
  redis.call('HINCRBY', KEYS[5], 'sold', quantity)
end
local meta = redis.call('HMGET', KEYS[1], 'price', 'currency')
if redis.call('XLEN', KEYS[4]) == 0 then
  redis.call('PUBLISH', ARGV[6], '{"v":1,"saleId":' .. ARGV[5] .. '}')
end
redis.call('XADD', KEYS[4], '*', 'type', 'paid',
  'orderId', ARGV[1], 'saleId', ARGV[5], 'userId', user, 'quantity', quantity,
  'price', meta[1], 'currency', meta[2], 'paymentId', ARGV[4], 'paidAt', now)
return {1, ARGV[4]}
