-- queue_status.lua: the small shared state every gateway instance reads once per second per sale
-- (and the admin view): O(1) or O(log n), whatever the queue length.
--
-- KEYS[1] {sale:N}:meta  KEYS[2] {sale:N}:stock  KEYS[3] {sale:N}:q:waiting  KEYS[4] {sale:N}:q:inside
-- KEYS[5] {sale:N}:q:stats  KEYS[6] {sale:N}:q:joined  KEYS[7] {sale:N}:hold-deadlines (unpaid holds by pay-by ms)
-- Returns {state, opens_at, closes_at, queue_capacity, window_ms, units left, waiting, inside,
--          served, rate, weight, oldest join ms, queue flag, reorders, unpaid holds, earliest pay-by ms,
--          per-user limit, slots freed recently, slot-ms occupied recently}, "" for what is absent;
--          {} when not armed. The last two are queue_admit.lua's decayed turnover (step 5 there).
-- Stock and unpaid holds are read in one atomic step: no units left and no unpaid hold means nothing
-- can ever come free again (a purchase takes stock and adds its hold in one script).
local meta = redis.call('HMGET', KEYS[1], 'state', 'opens_at', 'closes_at', 'queue_capacity', 'window_ms', 'queue', 'per_user_limit')
if not meta[1] then
  return {}
end
local stats = redis.call('HMGET', KEYS[5], 'served', 'rate', 'weight', 'reorders', 'departed', 'slot_ms')
local oldest = redis.call('ZRANGE', KEYS[6], 0, 0, 'WITHSCORES')
local nextPayBy = redis.call('ZRANGE', KEYS[7], 0, 0, 'WITHSCORES')
return {meta[1], meta[2], meta[3], meta[4] or '', meta[5] or '', redis.call('GET', KEYS[2]) or '0',
  redis.call('ZCARD', KEYS[3]), redis.call('ZCARD', KEYS[4]), stats[1] or '0', stats[2] or '', stats[3] or '',
  oldest[2] or '', meta[6] or '0', stats[4] or '0', redis.call('ZCARD', KEYS[7]), nextPayBy[2] or '', meta[7] or '',
  stats[5] or '0', stats[6] or '0'}
