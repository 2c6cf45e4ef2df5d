-- pay.lua: marks a hold paid, atomically with the decision that it may still be paid.
--
-- KEYS[1] {sale:N}:meta            hash  price, currency (for the OrderPaid entry)
-- KEYS[2] {sale:N}:holds           hash  order id -> "userId|quantity|payByMs|STATUS[|paymentId]"
-- KEYS[3] {sale:N}:hold-deadlines  zset  order id scored by pay-by ms
-- KEYS[4] {sale:N}:outbox          stream the relay moves to RabbitMQ
-- ARGV[1] order id   ARGV[2] user id (the payer)   ARGV[3] now (epoch ms)   ARGV[4] payment id
-- ARGV[5] sale id
--
-- Returns  {1, paymentId}   paid now; an OrderPaid entry was appended to the outbox
--          {2, paymentId}   already paid: the answer of the first payment, nothing changes
--          {-1}             no such hold for this user (unknown order or someone else's)
--          {-2}             the hold expired (released, or its pay-by time has passed)
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
if status ~= 'PENDING' or tonumber(ARGV[3]) >= tonumber(payBy) then
  return {-2}
end
redis.call('HSET', KEYS[2], ARGV[1], user .. '|' .. quantity .. '|' .. payBy .. '|PAID|' .. ARGV[4])
redis.call('ZREM', KEYS[3], ARGV[1])
local meta = redis.call('HMGET', KEYS[1], 'price', 'currency')
redis.call('XADD', KEYS[4], '*', 'type', 'paid',
  'orderId', ARGV[1], 'saleId', ARGV[5], 'userId', user, 'quantity', quantity,
  'price', meta[1], 'currency', meta[2], 'paymentId', ARGV[4], 'paidAt', ARGV[3])
return {1, ARGV[4]}
