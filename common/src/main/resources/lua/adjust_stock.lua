-- adjust_stock.lua: changes an armed sale's total stock without touching what is already sold.
--
-- KEYS[1] {sale:N}:meta   KEYS[2] {sale:N}:stock
-- ARGV[1] new total stock
--
-- Returns {1, unitsLeft} changed   {-1} not armed   {-2, unitsCommitted} the new total is below
-- the units already held or paid.
-- Invariant: units held + paid never exceed the stock; the stock is never cut below them.
local total = redis.call('HGET', KEYS[1], 'total')
if not total then
  return {-1}
end
local left = tonumber(redis.call('GET', KEYS[2]) or '0')
local committed = tonumber(total) - left
local newTotal = tonumber(ARGV[1])
if newTotal < committed then
  return {-2, committed}
end
redis.call('HSET', KEYS[1], 'total', newTotal)
redis.call('SET', KEYS[2], newTotal - committed)
return {1, newTotal - committed}
