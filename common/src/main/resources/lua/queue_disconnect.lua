-- queue_disconnect.lua: a socket of a shopper closed without "leave". When it was the user's last
-- open socket on any instance, the ticket is kept for the grace period and then lost.
--
-- KEYS[1] {sale:N}:q:conns   KEYS[2] {sale:N}:q:gone   KEYS[3] {sale:N}:q:waiting   KEYS[4] {sale:N}:q:inside
-- ARGV[1] user id   ARGV[2] end of the grace period (ms)
-- Returns 1 when the grace period started, 0 when another socket of the user is still open.
-- Counting sockets (not instances) makes a reload that reconnects before the old socket's close is
-- noticed safe: the new socket's join counted first, so this close does not start a grace period.
local left = redis.call('HINCRBY', KEYS[1], ARGV[1], -1)
if left > 0 then
  return 0
end
redis.call('HDEL', KEYS[1], ARGV[1])
-- Only a waiting ticket can be lost; a slot inside lasts its window (KEYS[4] is kept for the key list).
if redis.call('ZSCORE', KEYS[3], ARGV[1]) then
  redis.call('ZADD', KEYS[2], ARGV[2], ARGV[1])
end
return 1
