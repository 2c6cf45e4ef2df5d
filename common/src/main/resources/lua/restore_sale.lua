-- restore_sale.lua: rebuilds the hot state of a sale that Redis lost, from MySQL's orders, and ends
-- its recovery.
--
-- KEYS[1] {sale:N}:meta            hash  'recovering' set by arm_sale.lua while the state is missing
-- KEYS[2] {sale:N}:stock           int   units left
-- KEYS[3] {sale:N}:users           hash  user id -> units held or bought
-- KEYS[4] {sale:N}:holds           hash  order id -> "userId|quantity|payByMs|STATUS[|paymentId]"
-- KEYS[5] {sale:N}:hold-deadlines  zset  order id scored by pay-by ms (PENDING holds)
-- KEYS[6] {sale:N}:recovery-late   hash  order id -> "userId|quantity|payByMs|createdAtMs[|amount|p1,p2,...]":
--                                        orders the worker took from the queue while the sale was
--                                        recovering (adopt_orders.lua), which the MySQL read below may
--                                        have missed (not written yet); a seat pick's with its seats
-- KEYS[7] {sale:N}:idem-keys       set   idempotency keys that got an order
-- KEYS[8] {sale:N}:tally           hash  the dashboard's tally: dropped, tally_holds.lua makes it anew
-- KEYS[9] {sale:N}:seats  KEYS[10] {sale:N}:seat-layout  KEYS[11] {sale:N}:hold-seats
-- KEYS[12] {sale:N}:seat-changes   (see purchase.lua) a seated sale's seat states, rebuilt here
-- KEYS[12+n] {sale:N}:idem:U:K     string the idempotency record of the n-th order below (any name when
--                                         it had no key: nothing is written then)
-- ARGV[1] now (ms)   ARGV[2] units left by that read (total minus its PENDING_PAYMENT and PAID units)
-- ARGV[3] idempotency record TTL (s, counted from the order's creation)
-- ARGV[4] length cap of the seat-changes stream
-- ARGV[5..] eleven per order of the sale in MySQL: id, user id, quantity, pay-by ms, status (PENDING,
--         PAID or EXPIRED), payment id ('' unless PAID), created-at ms, idempotency key ('' when none),
--         fingerprint, amount (the exact total, minor units), seats ('' for units; else "p1,p2,...")
--
-- Returns {1, ordersRestored, lateAdopted, unitsLeft, seatConflicts}, or {0} when the sale is not
-- recovering (another instance restored it first: nothing changes).
-- Invariant: units left + units of PENDING and PAID holds = the sale's total, counting every order
-- MySQL had and every order the worker took after it was read (the late hash): nothing acknowledged and
-- persisted is sold twice. EXPIRED orders come back as EXPIRED holds, so a redelivered OrderPlaced of
-- one is not adopted as a new hold. Purchases are refused while recovering, so nothing else writes
-- these keys meanwhile.
-- Seated sales: the seat map is made again from the same orders, not kept from arming (arm_seats.lua
-- read MySQL before the pipeline drained, and holds may have ended since): a seat of a PENDING hold is
-- held ('1'), of a PAID one sold ('2'), every other seat free; each order's seats go back into
-- hold-seats, so pay.lua and release_hold.lua sell or free exactly those seats, once; the stock is the
-- count of free seats. A seat two orders claim (possible only in the oversold window RELIABILITY.md
-- describes) is counted in seatConflicts. The differences from the map shown while recovering are
-- appended to seat-changes, so live seat maps catch up.
if not redis.call('HGET', KEYS[1], 'recovering') then
  return {0}
end
local now = tonumber(ARGV[1])
local ttl = tonumber(ARGV[3])
local left = tonumber(ARGV[2])
local seated = redis.call('EXISTS', KEYS[10]) == 1
local shown = seated and (redis.call('GET', KEYS[9]) or '') or ''
if seated then
  redis.call('SET', KEYS[9], string.rep('0', #shown))
  redis.call('DEL', KEYS[11])
end
local conflicts = 0

local function restoreIdempotency(n, key, orderId, quantity, payBy, createdAt, fingerprint)
  if key == '' then
    return
  end
  local remaining = math.floor((tonumber(createdAt) - now) / 1000) + ttl
  if remaining > 0 then
    redis.call('SET', KEYS[12 + n], orderId .. '|' .. quantity .. '|' .. payBy .. '|' .. fingerprint, 'EX', remaining)
    redis.call('SADD', KEYS[7], key)
  end
end

-- An order's seats: back in hold-seats whatever its status (as the scripts leave them), marked
-- '1' or '2' while its hold holds them.
local function restoreSeats(id, status, amount, seats)
  if not seated or seats == '' then
    return
  end
  redis.call('HSET', KEYS[11], id, amount .. '|' .. seats)
  if status == 'EXPIRED' then
    return
  end
  local mark = status == 'PAID' and '2' or '1'
  for p in string.gmatch(seats, '%d+') do
    local at = tonumber(p)
    if redis.call('GETRANGE', KEYS[9], at, at) ~= '0' then
      conflicts = conflicts + 1
    end
    redis.call('SETRANGE', KEYS[9], at, mark)
  end
end

redis.call('DEL', KEYS[3], KEYS[4], KEYS[5])
local restored = 0
for i = 5, #ARGV, 11 do
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
  restoreSeats(id, status, ARGV[i + 9], ARGV[i + 10])
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
    local amount, seats = string.match(late[j + 1], '^%d+|%d+|%d+|%d+|(%d+)|([%d,]+)$')
    redis.call('HSET', KEYS[4], id, user .. '|' .. quantity .. '|' .. payBy .. '|PENDING')
    redis.call('HINCRBY', KEYS[3], user, quantity)
    redis.call('ZADD', KEYS[5], payBy, id)
    if seats then
      restoreSeats(id, 'PENDING', amount, seats)
    end
    left = left - tonumber(quantity)
    adopted = adopted + 1
  end
end

if seated then
  local states = redis.call('GET', KEYS[9])
  local _, held = string.gsub(states, '1', '')
  local _, sold = string.gsub(states, '2', '')
  left = #states - held - sold
  local changed = {{}, {}, {}}
  for p = 1, #states do
    local state = string.byte(states, p)
    if state ~= string.byte(shown, p) then
      local list = changed[state - 47]
      list[#list + 1] = p - 1
    end
  end
  for state = 0, 2 do
    if #changed[state + 1] > 0 then
      redis.call('XADD', KEYS[12], 'MAXLEN', '~', ARGV[4], '*', 'state', tostring(state), 'seats',
        table.concat(changed[state + 1], ','))
    end
  end
end
redis.call('DEL', KEYS[6], KEYS[8])
redis.call('SET', KEYS[2], left)
redis.call('HDEL', KEYS[1], 'recovering')
return {1, restored, adopted, left, conflicts}
