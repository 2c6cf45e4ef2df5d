-- pow_redeem.lua: spends one verified proof-of-work on one join, within the join limits.
-- The solution's signature, hash and expiry were checked by the gateway before this runs (pure CPU);
-- this script is the one place that decides whether it may still be used. Every key carries the
-- sale's hash tag, so the script runs on the sale's own shard of a Redis Cluster.
--
-- KEYS[1] {sale:N}:pow:used:<challenge>   marker of a spent solution (lives until the challenge expires)
-- KEYS[2] {sale:N}:pow:acct:<user>        joins of this account in the current limit window
-- KEYS[3] {sale:N}:pow:addr:<address>     joins from this client address in the current limit window
-- KEYS[4] {sale:N}:pow:rate:<epoch s>     joins of this sale in this second (the difficulty follows it)
-- KEYS[5] {sale:N}:meta                   the armed sale (state, closes_at, queue)
-- ARGV[1] ms the used marker lives (until the challenge's expiry, so a replay is refused as long as
--         the solution would otherwise pass)
-- ARGV[2] most joins per account per window (0: no limit)
-- ARGV[3] most joins per address per window (0: no limit)
-- ARGV[4] window length in ms (a fixed window from the first join in it)
-- ARGV[5] ms a rate bucket lives (a few seconds: only the last two are read)
-- ARGV[6] now (ms)
--
-- Returns {0} accepted (the solution is spent and the join counted), {1} replayed (spent before),
-- {2, count} over the account limit, {3, count} over the address limit, {4} no waiting room to join
-- (unknown or not armed, armed without a waiting room, cancelled, ended: the join script tells which).
-- A refused join spends nothing and counts nothing: the limits count joins, not attempts, and a sale
-- that is not there gets no key from here either.
-- Invariant: one solution opens at most one join.
local meta = redis.call('HMGET', KEYS[5], 'state', 'closes_at', 'queue')
if not meta[1] or meta[3] ~= '1' or meta[1] == 'cancelled' or tonumber(ARGV[6]) >= tonumber(meta[2] or '0') then
  return {4}
end
if redis.call('EXISTS', KEYS[1]) == 1 then
  return {1}
end
local accountLimit = tonumber(ARGV[2])
local addressLimit = tonumber(ARGV[3])
local account = tonumber(redis.call('GET', KEYS[2]) or '0')
if accountLimit > 0 and account >= accountLimit then
  return {2, account}
end
local address = tonumber(redis.call('GET', KEYS[3]) or '0')
if addressLimit > 0 and address >= addressLimit then
  return {3, address}
end
redis.call('SET', KEYS[1], '1', 'PX', ARGV[1])
if redis.call('INCR', KEYS[2]) == 1 then
  redis.call('PEXPIRE', KEYS[2], ARGV[4])
end
if redis.call('INCR', KEYS[3]) == 1 then
  redis.call('PEXPIRE', KEYS[3], ARGV[4])
end
if redis.call('INCR', KEYS[4]) == 1 then
  redis.call('PEXPIRE', KEYS[4], ARGV[5])
end
return {0}
