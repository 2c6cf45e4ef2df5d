-- arm_seats.lua: loads a seated sale's seat map and layout, once, before arm_sale.lua arms its meta.
--
-- KEYS[1] {sale:N}:seats        string one byte per seat position: '0' free, '1' held, '2' sold
-- KEYS[2] {sale:N}:seat-layout  hash   areas, prices, rows:<ordinal> (see purchase.lua)
-- ARGV[1] the seat states (from MySQL's order seats: held and sold ones are not free)
-- ARGV[2] areas: end position (exclusive) of each area, by ordinal, comma-separated
-- ARGV[3] prices: each area's price (minor units), by ordinal
-- ARGV[4], ARGV[5], ... pairs of field ("rows:<ordinal>") and value (first position of each row)
--
-- Returns 1 when loaded now, 0 when the sale had its seats already (nothing changes).
-- Invariant: loading twice never frees a seat: the states are written only with the layout, and the
-- layout only when there is none, so a second arm (two instances, a retry) cannot reset a held seat.
-- arm_sale.lua runs after this script, so a sale's meta never exists without its seats: purchase.lua
-- tells a seated sale by its layout, and a unit purchase never reaches one.
if redis.call('EXISTS', KEYS[2]) == 1 then
  return 0
end
redis.call('SET', KEYS[1], ARGV[1])
redis.call('HSET', KEYS[2], 'areas', ARGV[2], 'prices', ARGV[3])
for i = 4, #ARGV, 2 do
  redis.call('HSET', KEYS[2], ARGV[i], ARGV[i + 1])
end
return 1
