-- purchase.lua: the whole purchase decision of the hot path, in one atomic round trip.
--
-- KEYS[1] {sale:N}:meta            hash  state, opens_at, closes_at, per_user_limit, hold_ms, price, currency, total
-- KEYS[2] {sale:N}:stock           int   units left
-- KEYS[3] {sale:N}:users           hash  user id -> units held or bought
-- KEYS[4] {sale:N}:holds           hash  order id -> "userId|quantity|payByMs|PENDING"
-- KEYS[5] {sale:N}:hold-deadlines  zset  order id scored by pay-by ms
-- KEYS[6] {sale:N}:outbox          stream of accepted orders for the relay
-- KEYS[7] {sale:N}:idem:U:K        string first answer to this user's idempotency key
-- KEYS[8] {sale:N}:q:inside         zset  admitted user id -> window end ms (the waiting room)
-- KEYS[9] {sale:N}:q:used           set   admission token ids already used by a purchase
-- ARGV[1] user id   ARGV[2] quantity   ARGV[3] new order id   ARGV[4] now (epoch ms)
-- ARGV[5] "1" when an idempotency key was given   ARGV[6] idempotency record TTL (s)   ARGV[7] sale id
-- ARGV[8] id of the admission token (already verified by the API), "" when none was sent
--
-- Returns  {1, "orderId|quantity|payBy", unitsLeft}   accepted
--          {2, "orderId|quantity|payBy"}              replay of an earlier answer to the same key
--          {-1} not armed   {-2, opensAt} not open yet   {-3} ended   {-4} cancelled
--          {-5, 0} sold out   {-6, unitsLeft} not enough stock   {-7, unitsHeld, limit} limit reached
--          {-8} the sale requires admission and no token was sent
--          {-9} the admission was already used, or its holder is no longer inside (left, window over)
--
-- Invariants: units held + paid never exceed the stock (no oversell); a user never holds more
-- than the per-user limit; one idempotency key yields one order. Every check runs before the
-- first write, and the writes cannot fail, so the script is all or nothing. For a sale behind the
-- waiting room (meta queue = 1) one admission buys once: the purchase records the token id and
-- frees the shopper's slot inside, so the next ticket is admitted.
local meta = redis.call('HMGET', KEYS[1], 'state', 'opens_at', 'closes_at', 'per_user_limit', 'hold_ms', 'price', 'currency', 'queue')
if not meta[1] then
  return {-1}
end
local hasKey = ARGV[5] == '1'
if hasKey then
  local earlier = redis.call('GET', KEYS[7])
  if earlier then
    return {2, earlier}
  end
end
if meta[1] == 'cancelled' then
  return {-4}
end
local now = tonumber(ARGV[4])
if now < tonumber(meta[2]) then
  return {-2, meta[2]}
end
if now >= tonumber(meta[3]) then
  return {-3}
end
local queued = meta[8] == '1'
if queued then
  if ARGV[8] == '' then
    return {-8}
  end
  if redis.call('SISMEMBER', KEYS[9], ARGV[8]) == 1 or not redis.call('ZSCORE', KEYS[8], ARGV[1]) then
    return {-9}
  end
end
local left = tonumber(redis.call('GET', KEYS[2]) or '0')
if left <= 0 then
  return {-5, 0}
end
local quantity = tonumber(ARGV[2])
local limit = tonumber(meta[4])
local held = tonumber(redis.call('HGET', KEYS[3], ARGV[1]) or '0')
if held + quantity > limit then
  return {-7, held, limit}
end
if left < quantity then
  return {-6, left}
end

local payBy = now + tonumber(meta[5])
redis.call('DECRBY', KEYS[2], quantity)
redis.call('HINCRBY', KEYS[3], ARGV[1], quantity)
redis.call('HSET', KEYS[4], ARGV[3], ARGV[1] .. '|' .. quantity .. '|' .. payBy .. '|PENDING')
redis.call('ZADD', KEYS[5], payBy, ARGV[3])
redis.call('XADD', KEYS[6], '*',
  'orderId', ARGV[3], 'saleId', ARGV[7], 'userId', ARGV[1], 'quantity', quantity,
  'price', meta[6], 'currency', meta[7], 'createdAt', ARGV[4], 'payBy', payBy)
local answer = ARGV[3] .. '|' .. quantity .. '|' .. payBy
if hasKey then
  redis.call('SET', KEYS[7], answer, 'EX', ARGV[6])
end
if queued then
  redis.call('SADD', KEYS[9], ARGV[8])
  redis.call('ZREM', KEYS[8], ARGV[1])
  redis.call('PUBLISH', 'miaosha:queue-events', 'O|' .. ARGV[7] .. '|' .. ARGV[1] .. '|' .. ARGV[3] .. '|PENDING_PAYMENT')
end
if left - quantity == 0 then
  redis.call('PUBLISH', 'miaosha:sale-events', 'SOLD_OUT:' .. ARGV[7])
end
return {1, answer, left - quantity}
