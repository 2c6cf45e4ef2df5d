-- arm_sale.lua: loads (or refreshes) one sale's hot state.
--
-- KEYS[1] {sale:N}:meta   KEYS[2] {sale:N}:stock   KEYS[3] {sale:N}:outbox
-- ARGV[1] opens_at ms  ARGV[2] closes_at ms  ARGV[3] state ("scheduled" | "cancelled")
-- ARGV[4] per-user limit  ARGV[5] hold ms  ARGV[6] price (minor units)  ARGV[7] currency
-- ARGV[8] total stock  ARGV[9] units left (total minus units the database already records as sold or held)
-- ARGV[10] "1" when buying requires admission through the waiting room  ARGV[11] queue capacity
-- ARGV[12] shopping window (ms)
-- ARGV[13] "1" when MySQL records the sale as armed before: a missing meta then means Redis lost the
--          sale's hot state, and the sale is armed as recovering   ARGV[14] now (epoch ms)
-- ARGV[15] when entries to the pre-opening draw open (ms; the opening minus the API's
--          miaosha.draw.entries-open-before): queue_join.lua gives no ticket before; '' for none
-- ARGV[16] the terms' version: when MySQL last changed the sale row (updated_at, ms); '' for none
-- ARGV[17] "1" when only accounts with a confirmed email may join and buy (meta verified_only, read by
--          queue_join.lua and purchase.lua); absent or anything else: open to every account
--
-- Returns 1 when the sale was armed now, 0 when it was armed before (only its terms were refreshed),
-- 3 when it was armed before with newer terms than these (an arming that read the row before an admin
-- changed it and ran after the admin's arming: nothing is changed),
-- 2 when its lost hot state is to be rebuilt: meta carries recovering = ARGV[14], the purchase script
-- refuses everything until restore_sale.lua has put back its holds, counts and idempotency records
-- and cleared the flag (the stock set here is only what the catalog shows meanwhile).
-- Invariant: arming twice never resets the stock, so a second arm (two instances, a retry, the
-- auto-armer racing an admin) cannot hand out units a second time; and a sale that lost its hot
-- state sells nothing until that state is rebuilt.
local existed = redis.call('EXISTS', KEYS[1])
local version = ARGV[16] or ''
if existed == 1 and version ~= '' then
  local armed = redis.call('HGET', KEYS[1], 'terms_version')
  if armed and tonumber(armed) > tonumber(version) then
    return 3
  end
end
if version ~= '' then
  redis.call('HSET', KEYS[1], 'terms_version', version)
end
redis.call('HSET', KEYS[1], 'opens_at', ARGV[1], 'closes_at', ARGV[2], 'state', ARGV[3],
  'per_user_limit', ARGV[4], 'hold_ms', ARGV[5], 'price', ARGV[6], 'currency', ARGV[7],
  'queue', ARGV[10] or '0', 'queue_capacity', ARGV[11] or '1', 'window_ms', ARGV[12] or '600000')
if ARGV[17] == '1' then
  redis.call('HSET', KEYS[1], 'verified_only', '1')
else
  redis.call('HDEL', KEYS[1], 'verified_only')
end
if ARGV[15] and ARGV[15] ~= '' then
  redis.call('HSET', KEYS[1], 'draw_from', ARGV[15])
else
  redis.call('HDEL', KEYS[1], 'draw_from')
end
if existed == 1 then
  return 0
end
redis.call('HSET', KEYS[1], 'total', ARGV[8])
redis.call('SET', KEYS[2], ARGV[9])
-- The group may exist from an earlier life of this key; BUSYGROUP is then harmless.
redis.pcall('XGROUP', 'CREATE', KEYS[3], 'relay', '0', 'MKSTREAM')
if ARGV[13] == '1' then
  redis.call('HSET', KEYS[1], 'recovering', ARGV[14])
  return 2
end
return 1
