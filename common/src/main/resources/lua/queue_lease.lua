-- queue_lease.lua: take or renew the lease on a sale's admission loop.
--
-- KEYS[1] {sale:N}:q:lease   ARGV[1] instance id   ARGV[2] lease time (ms)
-- Returns 1 when this instance holds the lease now, 0 when another does.
-- The lease expires unless renewed, so when its holder dies another instance takes over within one
-- lease time. Two holders at once (a paused process) would be harmless: each admission step is one
-- atomic script that pops tickets, so nobody can be admitted twice.
local holder = redis.call('GET', KEYS[1])
if holder == ARGV[1] then
  redis.call('PEXPIRE', KEYS[1], ARGV[2])
  return 1
end
if not holder then
  redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
  return 1
end
return 0
