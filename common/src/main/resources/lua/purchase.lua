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
-- KEYS[10] {sale:N}:idem-keys       set   idempotency keys (any user) that got an order, so an API
--                                         instance that knows the sale is sold out can tell, without
--                                         authenticating, whether a keyed retry may be a replay
-- KEYS[11] {sale:N}:tally           hash  held, sold, orders for the dashboard; kept only once it exists
--                                         (tally_holds.lua makes it from the holds, so it is never partial)
-- KEYS[12] {sale:N}:seats          string one byte per seat position: '0' free, '1' held, '2' sold (seated sales)
-- KEYS[13] {sale:N}:seat-layout    hash  areas (end position of each area, by ordinal), prices (of each area),
--                                         rows:<ordinal> (first position of each row of that area, front first);
--                                         it exists exactly when the sale is seated (arm_seats.lua)
-- KEYS[14] {sale:N}:hold-seats     hash  order id -> "amountMinor|p1,p2,..." the seats of a seated hold
-- KEYS[15] {sale:N}:seat-changes   stream of seat state changes (state, seats) for live seat maps
-- (KEYS 12-15 may be left out by callers that only buy units of a sale that is not seated.)
-- ARGV[1] user id   ARGV[2] quantity   ARGV[3] new order id   ARGV[4] now (epoch ms), or 0 for this Redis
--         server's clock (TIME), what the API sends: opening, closing and pay-by are then decided on the
--         one clock of the sale's master, whatever the clock of the API instance that asks
-- ARGV[5] fingerprint of the request body when an idempotency key was given, "" when none was
--         (no '|'; the record is "orderId|quantity|payBy|fingerprint")
-- ARGV[6] idempotency record TTL (s)   ARGV[7] sale id   ARGV[8] idempotency key, "" when none
-- ARGV[9] id of the admission token (already verified by the API), "" when none was sent
-- ARGV[10] order events channel (a queued sale's shopper is told of its order there: an OrderUpdate)
-- ARGV[11] sale events channel (the last unit sold is announced there: a SaleEvent)
-- ARGV[12] outbox wake-up channel (an OutboxWake when the outbox was empty: the relays sleep until then)
-- ARGV[13] seats asked for: "" for units; "p1,p2,..." (distinct positions, checked by the API) for
--          those seats; "best:<area ordinal>" for the best ARGV[2] seats of that area (adjacent in one
--          row, front rows first; else the first free ones of the area)
-- ARGV[14] length cap of the seat-changes stream
-- ARGV[15] "1" when the buyer's session says its email is confirmed (the API reads the session's
--          email_verified claim); a sale armed verified-only (meta verified_only) refuses anyone else
-- (The messages are the JSON of io.miaosha.common.events, built by concatenation: cjson would print
-- ids past 14 digits in exponent form.)
--
-- Returns  {1, orderId, quantity, payBy, unitsLeft}   accepted
--          {2, orderId, quantity, payBy}              replay of an earlier answer to the same key
--          {-1} not armed   {-2, opensAt} not open yet   {-3} ended   {-4} cancelled
--          {-5, 0} sold out   {-6, unitsLeft} not enough stock   {-7, unitsHeld, limit} limit reached
--          {-8} the sale requires admission and no token was sent
--          {-9} the admission was already used, or its holder is no longer inside (left, window over)
--          {-10} the idempotency key was used before with a different body (nothing is done)
--          {1, orderId, quantity, payBy, unitsLeft, "p1,p2,...", amount}   seats held (seated sale)
--          {2, orderId, quantity, payBy, "amount|p1,p2,..."}             replay of a seat pick
--          {-12} seats are sold one by one in this sale: pick seats   {-13} the sale is not seated
--          {-14, "p1,p2,..."} these of the asked seats are no longer free (nothing is done)
--          {-15, free} not that many free seats in the area
--          {-16} the sale is for accounts with a confirmed email and this buyer's is not (nothing is done)
--          {-11} the sale is recovering from a Redis loss (meta recovering): its holds, counts and
--                idempotency records are being rebuilt, so nothing can be decided yet (the API answers 503)
--
-- Invariants: units held + paid never exceed the stock (no oversell); a seat is held or sold by at most
-- one order, and the stock of a seated sale is its count of free seats; a user never holds more
-- than the per-user limit; one idempotency key yields one order, and answers only the body it was
-- first sent with (Stripe's rule: a reused key with other parameters is an error). Every check runs before the
-- first write, and the writes cannot fail, so the script is all or nothing. For a sale behind the
-- waiting room (meta queue = 1) one admission buys once: the purchase records the token id and
-- frees the shopper's slot inside, so the next ticket is admitted.
local meta = redis.call('HMGET', KEYS[1], 'state', 'opens_at', 'closes_at', 'per_user_limit', 'hold_ms', 'price', 'currency', 'queue', 'recovering', 'verified_only')
if not meta[1] then
  return {-1}
end
-- Before the replay too: a recovering sale has not got its idempotency records back yet.
if meta[9] then
  return {-11}
end
local hasKey = ARGV[5] ~= ''
if hasKey then
  local earlier = redis.call('GET', KEYS[7])
  if earlier then
    local orderId, quantity, payBy, fingerprint = string.match(earlier, '^([^|]*)|([^|]*)|([^|]*)|?(.*)$')
    -- A record written before fingerprints has none: the key alone decides.
    if fingerprint ~= '' and fingerprint ~= ARGV[5] then
      return {-10}
    end
    -- A write, so that a WAIT after this replay (the durable acknowledgement) also covers the
    -- first answer's writes, which the replication stream carries before this one.
    redis.call('EXPIRE', KEYS[7], ARGV[6])
    if KEYS[14] then
      local seats = redis.call('HGET', KEYS[14], orderId)
      if seats then
        return {2, orderId, quantity, payBy, seats}
      end
    end
    return {2, orderId, quantity, payBy}
  end
end
if meta[1] == 'cancelled' then
  return {-4}
end
local now = tonumber(ARGV[4])
if now <= 0 then
  local t = redis.call('TIME')
  now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
end
if now < tonumber(meta[2]) then
  return {-2, meta[2]}
end
if now >= tonumber(meta[3]) then
  return {-3}
end
-- Read with the rest of meta: the sales that are open to everyone pay nothing for it.
if meta[10] == '1' and ARGV[15] ~= '1' then
  return {-16}
end
local queued = meta[8] == '1'
if queued then
  if ARGV[9] == '' then
    return {-8}
  end
  if redis.call('SISMEMBER', KEYS[9], ARGV[9]) == 1 or not redis.call('ZSCORE', KEYS[8], ARGV[1]) then
    return {-9}
  end
end
local wanted = ARGV[13] or ''
local seated = KEYS[13] ~= nil and redis.call('EXISTS', KEYS[13]) == 1
if wanted == '' and seated then
  return {-12}
end
if wanted ~= '' and not seated then
  return {-13}
end
local left = tonumber(redis.call('GET', KEYS[2]) or '0')
if left <= 0 then
  return {-5, 0}
end
local quantity = tonumber(ARGV[2])
local positions = {}
if wanted ~= '' and string.sub(wanted, 1, 5) ~= 'best:' then
  for p in string.gmatch(wanted, '%d+') do
    positions[#positions + 1] = tonumber(p)
  end
  quantity = #positions
end
local limit = tonumber(meta[4])
local held = tonumber(redis.call('HGET', KEYS[3], ARGV[1]) or '0')
if held + quantity > limit then
  return {-7, held, limit}
end
if left < quantity then
  return {-6, left}
end

-- Seats: every asked seat still free, or the best run found, before anything is written.
local amount = 0
local seatList = ''
if seated then
  local layout = redis.call('HMGET', KEYS[13], 'areas', 'prices')
  local ends, prices = {}, {}
  for e in string.gmatch(layout[1], '%d+') do ends[#ends + 1] = tonumber(e) end
  for p in string.gmatch(layout[2], '%d+') do prices[#prices + 1] = tonumber(p) end
  if #positions == 0 then
    local area = tonumber(string.sub(wanted, 6))
    if not area or not ends[area] then
      return {-15, 0}
    end
    local first = area > 1 and ends[area - 1] or 0
    local last = ends[area] - 1
    local states = redis.call('GETRANGE', KEYS[12], first, last)
    local starts = {}
    for r in string.gmatch(redis.call('HGET', KEYS[13], 'rows:' .. area) or tostring(first), '%d+') do
      starts[#starts + 1] = tonumber(r)
    end
    -- Adjacent in one row, front rows first: the first run of free seats long enough.
    for i = 1, #starts do
      if #positions == quantity then break end
      local rowEnd = (starts[i + 1] or (last + 1)) - 1
      local run = 0
      for p = starts[i], rowEnd do
        if string.byte(states, p - first + 1) == 48 then
          run = run + 1
          if run == quantity then
            for q = p - quantity + 1, p do positions[#positions + 1] = q end
            break
          end
        else
          run = 0
        end
      end
    end
    -- No row has them together: the first free seats of the area, front first.
    if #positions < quantity then
      positions = {}
      local free = 0
      for p = first, last do
        if string.byte(states, p - first + 1) == 48 then
          free = free + 1
          if #positions < quantity then positions[#positions + 1] = p end
        end
      end
      if free < quantity then
        return {-15, free}
      end
    end
  else
    local taken = {}
    for i = 1, #positions do
      if redis.call('GETRANGE', KEYS[12], positions[i], positions[i]) ~= '0' then
        taken[#taken + 1] = positions[i]
      end
    end
    if #taken > 0 then
      return {-14, table.concat(taken, ',')}
    end
  end
  for i = 1, #positions do
    local a = 1
    while positions[i] >= ends[a] do a = a + 1 end
    amount = amount + prices[a]
  end
  seatList = table.concat(positions, ',')
end

local payBy = now + tonumber(meta[5])
redis.call('DECRBY', KEYS[2], quantity)
redis.call('HINCRBY', KEYS[3], ARGV[1], quantity)
redis.call('HSET', KEYS[4], ARGV[3], ARGV[1] .. '|' .. quantity .. '|' .. payBy .. '|PENDING')
redis.call('ZADD', KEYS[5], payBy, ARGV[3])
local price = meta[6]
if seated then
  for i = 1, #positions do
    redis.call('SETRANGE', KEYS[12], positions[i], '1')
  end
  redis.call('HSET', KEYS[14], ARGV[3], amount .. '|' .. seatList)
  redis.call('XADD', KEYS[15], 'MAXLEN', '~', ARGV[14], '*', 'state', '1', 'seats', seatList)
  -- The order row keeps a whole unit price; the exact total travels as amount, and each seat's
  -- price reaches order_seats from the sale's area prices.
  price = math.floor(amount / quantity)
end
if redis.call('EXISTS', KEYS[11]) == 1 then
  redis.call('HINCRBY', KEYS[11], 'held', quantity)
  redis.call('HINCRBY', KEYS[11], 'orders', 1)
end
if redis.call('XLEN', KEYS[6]) == 0 then
  redis.call('PUBLISH', ARGV[12], '{"v":1,"saleId":' .. ARGV[7] .. '}')
end
-- The key and fingerprint travel with the order to MySQL, where recovery finds them after a Redis loss.
if seated then
  redis.call('XADD', KEYS[6], '*',
    'orderId', ARGV[3], 'saleId', ARGV[7], 'userId', ARGV[1], 'quantity', quantity,
    'price', price, 'currency', meta[7], 'createdAt', now, 'payBy', payBy,
    'idemKey', ARGV[8], 'fingerprint', ARGV[5], 'seats', seatList, 'amount', amount)
else
  redis.call('XADD', KEYS[6], '*',
    'orderId', ARGV[3], 'saleId', ARGV[7], 'userId', ARGV[1], 'quantity', quantity,
    'price', price, 'currency', meta[7], 'createdAt', now, 'payBy', payBy,
    'idemKey', ARGV[8], 'fingerprint', ARGV[5])
end
if hasKey then
  redis.call('SET', KEYS[7], ARGV[3] .. '|' .. quantity .. '|' .. payBy .. '|' .. ARGV[5], 'EX', ARGV[6])
  redis.call('SADD', KEYS[10], ARGV[8])
end
if queued then
  redis.call('SADD', KEYS[9], ARGV[9])
  redis.call('ZREM', KEYS[8], ARGV[1])
  redis.call('PUBLISH', ARGV[10], '{"v":1,"orderId":"' .. ARGV[3] .. '","userId":' .. ARGV[1] .. ',"saleId":' .. ARGV[7]
    .. ',"status":"PENDING_PAYMENT"}')
end
if left - quantity == 0 then
  redis.call('PUBLISH', ARGV[11], '{"v":1,"type":"SOLD_OUT","saleId":' .. ARGV[7] .. '}')
end
if seated then
  return {1, ARGV[3], quantity, payBy, left - quantity, seatList, amount}
end
return {1, ARGV[3], quantity, payBy, left - quantity}
