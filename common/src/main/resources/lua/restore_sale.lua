-- restore_sale.lua: rebuilds the hot state of a sale that Redis lost, from MySQL's orders, and ends
-- its recovery.
--
-- KEYS[1] {sale:N}:meta            hash  'recovering' set by arm_sale.lua while the state is missing
-- KEYS[2] {sale:N}:stock           int   units left
-- KEYS[3] {sale:N}:users           hash  user id -> units held or bought
-- KEYS[4] {sale:N}:holds           hash  order id -> "userId|quantity|payByMs|STATUS[|paymentId]"
-- KEYS[5] {sale:N}:hold-deadlines  zset  order id scored by pay-by ms (PENDING holds)
-- KEYS[6] {sale:N}:recovery-late   hash  order id -> "userId|quantity|payByMs|createdAtMs":
--                                        orders the worker took from the queue while the sale was
--                                        recovering (adopt_orders.lua), which the MySQL read below may
--                                        have missed (not written yet)
-- KEYS[7] {sale:N}:idem-keys       set   idempotency keys that got an order
-- KEYS[8] {sale:N}:tally           hash  the dashboard's tally: dropped, tally_holds.lua makes it anew
-- KEYS[8+n] {sale:N}:idem:U:K      string the idempotency record of the n-th order below (any name when
--                                         it had no key: nothing is written then)
-- ARGV[1] now (ms)   ARGV[2] units left by that read (total minus its PENDING_PAYMENT and PAID units)
-- ARGV[3] idempotency record TTL (s, counted from the order's creation)
-- ARGV[4..] nine per order of the sale in MySQL: id, user id, quantity, pay-by ms, status (PENDING,
--         PAID or EXPIRED), payment id ('' unless PAID), created-at ms, idempotency key ('' when none),
--         fingerprint
--
-- Returns {1, ordersRestored, lateAdopted, unitsLeft}, or {0} when the sale is not recovering (another
-- instance restored it first: nothing changes).
-- Invariant: units left + units of PENDING and PAID holds = the sale's total, counting every order
-- MySQL had and every order the worker took after it was read (the late hash): nothing acknowledged and
-- persisted is sold twice. EXPIRED orders come back as EXPIRED holds, so a redelivered OrderPlaced of
-- one is not adopted as a new hold. Purchases are refused while recovering, so nothing else writes
-- these keys meanwhile.
if not redis.call('HGET', KEYS[1], 'recovering') then
  return {0}
end
local now = tonumber(ARGV[1])
local ttl = tonumber(ARGV[3])
local left = tonumber(ARGV[2])

local function restoreIdempotency(n, key, orderId, quantity, payBy, createdAt, fingerprint)
  if key == '' then
    return
  end
  local remaining = math.floor((tonumber(createdAt) - now) / 1000) + ttl
  if remaining > 0 then
    redis.call('SET', KEYS[8 + n], orderId .. '|' .. quantity .. '|' .. payBy .. '|' .. fingerprint, 'EX', remaining)
    redis.call('SADD', KEYS[7], key)
  end
end

redis.call('DEL', KEYS[3], KEYS[4], KEYS[5])
local restored = 0
for i = 4, #ARGV, 9 do
  local id, user, quantity, payBy, status = ARGV[i], ARGV[i + 1], ARGV[i + 2], ARGV[i + 3], ARGV[i + 4]
  local hold = user .. '|' .. quantity .. '|' .. payBy .. '|' .. status
  if status == 'PAID' then
    hold = hold .. '|' .. ARGV[i + 5]
  end
  redis.call('HSET', KEYS[4], id, hold)
  if status ~= 'EXPIRED' then
    redis.call('HINCRBY', KEYS[3], user, quantity)
  end
  if status == 'PENDING' then
    redis.call('ZADD', KEYS[5], payBy, id)
  end
  restored = restored + 1
  restoreIdempotency(restored, ARGV[i + 7], id, quantity, payBy, ARGV[i + 6], ARGV[i + 8])
end

local adopted = 0
local late = redis.call('HGETALL', KEYS[6])
for j = 1, #late, 2 do
  local id = late[j]
  if redis.call('HEXISTS', KEYS[4], id) == 0 then
    -- (adopt_orders.lua wrote its idempotency record when it noted it)
    local user, quantity, payBy = string.match(late[j + 1], '^(%d+)|(%d+)|(%d+)|')
    redis.call('HSET', KEYS[4], id, user .. '|' .. quantity .. '|' .. payBy .. '|PENDING')
    redis.call('HINCRBY', KEYS[3], user, quantity)
    redis.call('ZADD', KEYS[5], payBy, id)
    left = left - tonumber(quantity)
    adopted = adopted + 1
  end
end
redis.call('DEL', KEYS[6], KEYS[8])
redis.call('SET', KEYS[2], left)
redis.call('HDEL', KEYS[1], 'recovering')
return {1, restored, adopted, left}
