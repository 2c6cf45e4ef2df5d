-- queue_rank.lua: a shopper's exact place, read together with the admissions count so that the
-- gateway can advance it locally (each admission is one fewer ahead) until the next exact read.
-- KEYS[1] {sale:N}:q:waiting   KEYS[2] {sale:N}:q:stats   ARGV[1] user id
-- Returns {ahead or -1 when not waiting, served}. O(log n).
local ahead = redis.call('ZRANK', KEYS[1], ARGV[1])
return {ahead or -1, tonumber(redis.call('HGET', KEYS[2], 'served') or '0')}
