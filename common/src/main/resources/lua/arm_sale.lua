-- arm_sale.lua: loads (or refreshes) one sale's hot state.
--
-- KEYS[1] {sale:N}:meta   KEYS[2] {sale:N}:stock   KEYS[3] {sale:N}:outbox
-- ARGV[1] opens_at ms  ARGV[2] closes_at ms  ARGV[3] state ("scheduled" | "cancelled")
-- ARGV[4] per-user limit  ARGV[5] hold ms  ARGV[6] price (minor units)  ARGV[7] currency
-- ARGV[8] total stock  ARGV[9] units left (total minus units the database already records as sold or held)
-- ARGV[10] "1" when buying requires admission through the waiting room  ARGV[11] queue capacity
-- ARGV[12] shopping window (ms)
--
-- Returns 1 when the sale was armed now, 0 when it was armed before (only its terms were refreshed).
-- Invariant: arming twice never resets the stock, so a second arm (two instances, a retry, the
-- auto-armer racing an admin) cannot hand out units a second time.
local existed = redis.call('EXISTS', KEYS[1])
redis.call('HSET', KEYS[1], 'opens_at', ARGV[1], 'closes_at', ARGV[2], 'state', ARGV[3],
  'per_user_limit', ARGV[4], 'hold_ms', ARGV[5], 'price', ARGV[6], 'currency', ARGV[7],
  'queue', ARGV[10] or '0', 'queue_capacity', ARGV[11] or '1', 'window_ms', ARGV[12] or '600000')
if existed == 1 then
  return 0
end
redis.call('HSET', KEYS[1], 'total', ARGV[8])
redis.call('SET', KEYS[2], ARGV[9])
-- The group may exist from an earlier life of this key; BUSYGROUP is then harmless.
redis.pcall('XGROUP', 'CREATE', KEYS[3], 'relay', '0', 'MKSTREAM')
return 1
