-- tally_holds.lua: a sale's held and sold units and its orders, for the admin dashboard.
--
-- KEYS[1] {sale:N}:holds  hash  order id -> "userId|quantity|payByMs|STATUS[|paymentId]"
-- KEYS[2] {sale:N}:tally  hash  held, sold, orders
--
-- Returns {held, sold, orders}. The tally is kept by purchase.lua, pay.lua and release_hold.lua once it
-- exists; when it does not (a sale armed before tallies, or hot state rebuilt after a Redis loss), it is
-- made here from the holds, in the same atomic step, so it is never missing a hold written earlier.
-- That costs O(holds) once; every later call reads three fields.
local tally = redis.call('HMGET', KEYS[2], 'held', 'sold', 'orders')
if tally[1] then
  return {tonumber(tally[1]), tonumber(tally[2] or '0'), tonumber(tally[3] or '0')}
end
if redis.call('EXISTS', KEYS[1]) == 0 then
  return {0, 0, 0} -- no hold yet (or never armed): nothing to tally, and nothing is written
end
local held, sold, orders = 0, 0, 0
local all = redis.call('HGETALL', KEYS[1])
for i = 2, #all, 2 do
  local quantity, status = string.match(all[i], '^%d+|(%d+)|%d+|(%u+)')
  if quantity then
    orders = orders + 1
    if status == 'PENDING' then
      held = held + tonumber(quantity)
    elseif status == 'PAID' then
      sold = sold + tonumber(quantity)
    end
  end
end
redis.call('HSET', KEYS[2], 'held', held, 'sold', sold, 'orders', orders)
return {held, sold, orders}
