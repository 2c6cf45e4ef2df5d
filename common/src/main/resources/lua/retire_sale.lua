-- retire_sale.lua: deletes an ended sale's hot state once nothing in it can change any more, so
-- Redis holds nothing for sales that are over.
--
-- KEYS[1] {sale:N}:meta            hash  closes_at (epoch ms)
-- KEYS[2] {sale:N}:stock           int   units left
-- KEYS[3] {sale:N}:holds           hash  order id -> "userId|quantity|payByMs|STATUS[|paymentId]"
-- KEYS[4] {sale:N}:hold-deadlines  zset  pending (or not yet settled in MySQL) holds
-- KEYS[5] {sale:N}:outbox          stream entries the relay has not moved to RabbitMQ yet
-- KEYS[6..] every other key of the sale (user counts, idempotency key set, waiting-room keys)
-- ARGV[1] now (epoch ms)   ARGV[2] grace after closing (ms)
-- ARGV[3] orders of the sale in MySQL   ARGV[4] of those, still PENDING_PAYMENT in MySQL
--
-- Returns  {1, unitsLeft}  retired: every key above deleted
--          {0}             nothing to retire (no hot state: never armed, or retired before)
--          {-1, closesAt}  not closed long enough yet
--          {-2, pending}   holds still pending in Redis
--          {-3, entries}   outbox entries not relayed yet
--          {-4, missing}   MySQL does not have every order yet, or has some still pending payment
--
-- Why each check: after closing no purchase is accepted, so the stock can only change by a hold's
-- release; with no pending hold, nothing in the outbox and MySQL holding every order settled, the
-- sale's final figures are in MySQL and nothing would ever read these keys again. The per-user
-- idempotency answers ({sale:N}:idem:U:K) are not listed (their keys are not known) and expire by
-- their own time to live.
local closesAt = redis.call('HGET', KEYS[1], 'closes_at')
if not closesAt then
  if redis.call('EXISTS', KEYS[2], KEYS[3], KEYS[5]) == 0 then
    return {0}
  end
  closesAt = '0'
end
if tonumber(ARGV[1]) < tonumber(closesAt) + tonumber(ARGV[2]) then
  return {-1, closesAt}
end
local pending = redis.call('ZCARD', KEYS[4])
if pending > 0 then
  return {-2, pending}
end
local entries = redis.call('XLEN', KEYS[5])
if entries > 0 then
  return {-3, entries}
end
local orders = redis.call('HLEN', KEYS[3])
local missing = orders - tonumber(ARGV[3])
if missing > 0 or tonumber(ARGV[4]) > 0 then
  return {-4, math.max(missing, tonumber(ARGV[4]))}
end
local left = tonumber(redis.call('GET', KEYS[2]) or '0')
for i = 1, #KEYS do
  redis.call('DEL', KEYS[i])
end
return {1, left}
