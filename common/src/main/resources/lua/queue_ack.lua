-- queue_ack.lua: a gateway holding a socket of an admitted shopper acknowledges the admission; the
-- slot is then held until the window end instead of only the grace period (see queue_admit.lua).
-- KEYS[1] {sale:N}:q:inside   KEYS[2] {sale:N}:q:windows   ARGV[1] user id
-- Returns 1 when acknowledged, 0 when the user is not inside (left, bought, window over). O(log n).
local windowEnd = redis.call('HGET', KEYS[2], ARGV[1])
if not windowEnd or not redis.call('ZSCORE', KEYS[1], ARGV[1]) then
  return 0
end
redis.call('ZADD', KEYS[1], 'XX', 'GT', windowEnd, ARGV[1])
return 1
