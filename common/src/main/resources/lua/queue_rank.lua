-- queue_rank.lua: a shopper's exact place, read together with the admissions count so that the
-- gateway can advance it locally (each admission is one fewer ahead) until the next exact read.
-- KEYS[1] {sale:N}:q:waiting   KEYS[2] {sale:N}:q:stats   ARGV[1] user id
-- Returns {ahead or -1 when not waiting, served, reorders}. O(log n).
local ahead = redis.call('ZRANK', KEYS[1], ARGV[1])
local stats = redis.call('HMGET', KEYS[2], 'served', 'reorders')
return {ahead or -1, tonumber(stats[1] or '0'), tonumber(stats[2] or '0')}
