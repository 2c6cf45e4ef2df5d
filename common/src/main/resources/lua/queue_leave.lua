-- queue_leave.lua: the shopper leaves on purpose: the place (or the slot inside) frees at once.
--
-- KEYS[1] {sale:N}:q:waiting  KEYS[2] {sale:N}:q:joined  KEYS[3] {sale:N}:q:gone
-- KEYS[4] {sale:N}:q:inside   KEYS[5] {sale:N}:q:conns   KEYS[6] {sale:N}:q:stats
-- ARGV[1] user id
-- Returns 1 when the user was inside (a slot freed for the next ticket), 0 otherwise. O(log n).
if redis.call('ZREM', KEYS[1], ARGV[1]) == 1 then
  -- Someone left the line: the places of those behind, as gateways last read them, are now too high.
  redis.call('HINCRBY', KEYS[6], 'reorders', 1)
end
redis.call('ZREM', KEYS[2], ARGV[1])
redis.call('ZREM', KEYS[3], ARGV[1])
redis.call('HDEL', KEYS[5], ARGV[1])
return redis.call('ZREM', KEYS[4], ARGV[1])
