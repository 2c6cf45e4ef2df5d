-- adopt_orders.lua: gives orders the worker is about to persist a hold in their sale's hot state when
-- it has none: the orders were still in the pipeline (RabbitMQ) when Redis lost the sale, whose state
-- is rebuilt (or was rebuilt) from MySQL without them.
--
-- KEYS[1] {sale:N}:meta   KEYS[2] {sale:N}:stock   KEYS[3] {sale:N}:users   KEYS[4] {sale:N}:holds
-- KEYS[5] {sale:N}:hold-deadlines   KEYS[6] {sale:N}:recovery-late   KEYS[7] {sale:N}:idem-keys
-- KEYS[8] {sale:N}:tally: the dashboard's tally, dropped when a hold is adopted (tally_holds.lua remakes it)
-- KEYS[9] {sale:N}:seats  KEYS[10] {sale:N}:seat-layout  KEYS[11] {sale:N}:hold-seats
-- KEYS[12] {sale:N}:seat-changes  (see purchase.lua) an adopted seat pick holds its seats again
-- KEYS[12+n] {sale:N}:idem:U:K: the idempotency record of the n-th order below (any name when it had none)
-- ARGV[1] now (ms)   ARGV[2] idempotency record TTL (s, from the order's creation)
-- ARGV[3] length cap of the seat-changes stream
-- ARGV[4..] nine per order: id, user id, quantity, pay-by ms, created-at ms, idempotency key (''), fingerprint,
--           amount (exact total, minor units), seats ('' for units, else "p1,p2,...")
--
-- Returns {adopted, late, oversoldUnits}: holds added now; orders noted for restore_sale.lua because the
-- sale is still recovering (a seat pick's with its seats); units adopted beyond the stock left (a unit
-- sold twice: it was resold before its order reached the worker, which the recovery's wait for the
-- pipeline is there to prevent); for a seated sale, also each adopted seat that another hold had taken
-- meanwhile (it stays that hold's: this order is the one sold twice).
-- Invariant: an order that has a hold (PENDING, PAID or EXPIRED) is never touched, so a redelivery
-- or the usual case (the hold was written by the purchase) changes nothing; a sale with no meta (never
-- armed here, retired, or lost and not re-armed: arming will rebuild it from MySQL) is left alone.
if redis.call('EXISTS', KEYS[1]) == 0 then
  return {0, 0, 0}
end
local recovering = redis.call('HGET', KEYS[1], 'recovering')
local now = tonumber(ARGV[1])
local ttl = tonumber(ARGV[2])
local seated = redis.call('EXISTS', KEYS[10]) == 1
local adopted, late, oversold = 0, 0, 0
local n = 0
for i = 4, #ARGV, 9 do
  n = n + 1
  local id, user, quantity, payBy, createdAt, key, fingerprint, amount, seats =
    ARGV[i], ARGV[i + 1], ARGV[i + 2], ARGV[i + 3], ARGV[i + 4], ARGV[i + 5], ARGV[i + 6], ARGV[i + 7], ARGV[i + 8]
  if redis.call('HEXISTS', KEYS[4], id) == 0 then
    -- The answer to a retry with the order's key: harmless while recovering (purchases are refused
    -- before any replay then), and what restore_sale.lua does not write for the orders noted here.
    local remaining = math.floor((tonumber(createdAt) - now) / 1000) + ttl
    if key ~= '' and remaining > 0 then
      redis.call('SET', KEYS[12 + n], id .. '|' .. quantity .. '|' .. payBy .. '|' .. fingerprint, 'EX', remaining, 'NX')
      redis.call('SADD', KEYS[7], key)
    end
    local picked = seated and seats ~= ''
    if recovering then
      local noted = user .. '|' .. quantity .. '|' .. payBy .. '|' .. createdAt
      if picked then
        noted = noted .. '|' .. amount .. '|' .. seats
      end
      redis.call('HSET', KEYS[6], id, noted)
      late = late + 1
    else
      local left = redis.call('DECRBY', KEYS[2], quantity)
      if picked then
        -- The stock of a seated sale is its free seats: a seat taken meanwhile is not taken again.
        local free = {}
        for p in string.gmatch(seats, '%d+') do
          if redis.call('GETRANGE', KEYS[9], tonumber(p), tonumber(p)) == '0' then
            redis.call('SETRANGE', KEYS[9], tonumber(p), '1')
            free[#free + 1] = p
          else
            oversold = oversold + 1
            left = redis.call('INCRBY', KEYS[2], 1)
          end
        end
        redis.call('HSET', KEYS[11], id, amount .. '|' .. table.concat(free, ','))
        if #free > 0 then
          redis.call('XADD', KEYS[12], 'MAXLEN', '~', ARGV[3], '*', 'state', '1', 'seats', table.concat(free, ','))
        end
      elseif left < 0 then
        oversold = oversold + math.min(tonumber(quantity), -left)
      end
      redis.call('HINCRBY', KEYS[3], user, quantity)
      redis.call('HSET', KEYS[4], id, user .. '|' .. quantity .. '|' .. payBy .. '|PENDING')
      redis.call('ZADD', KEYS[5], payBy, id)
      adopted = adopted + 1
    end
  end
end
if adopted > 0 then
  redis.call('DEL', KEYS[8])
end
return {adopted, late, oversold}
