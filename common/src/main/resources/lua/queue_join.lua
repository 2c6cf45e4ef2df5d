-- queue_join.lua: a socket of a shopper opens on a sale's waiting room; gives the shopper a ticket
-- or finds the one it already has (a reconnect keeps its place).
--
-- KEYS[1] {sale:N}:meta   KEYS[2] {sale:N}:stock   KEYS[3] {sale:N}:q:waiting (zset user -> ticket)
-- KEYS[4] {sale:N}:q:joined (zset user -> join ms)   KEYS[5] {sale:N}:q:gone (zset user -> grace end ms)
-- KEYS[6] {sale:N}:q:conns (hash user -> open sockets)   KEYS[7] {sale:N}:q:inside (zset user -> window end ms)
-- KEYS[8] {sale:N}:q:seq (int)   KEYS[9] {sale:N}:q:stats (hash: served, reorders)
-- KEYS[10] {sale:N}:q:windows (hash user -> window end ms of its admission)
-- KEYS[11] {sale:N}:users (hash user -> units held or bought)
-- KEYS[12] {sale:N}:draw (hash: seed, commitment, revealed; see queue_draw.lua)
-- KEYS[13] {sale:N}:draw:entrants (set of ticket ids)   KEYS[14] {sale:N}:hold-deadlines (zset: unpaid holds by pay-by ms)
-- ARGV[1] user id   ARGV[2] now (ms)   ARGV[3] this user's draw value in (0, 1), computed from the
-- draw's seed and ARGV[4] (DrawFunction.value)   ARGV[4] this user's public ticket id
-- ARGV[5] the commitment of the seed ARGV[3] was computed with ('' when the caller has no seed)
-- ARGV[6] "1" when the shopper's session says its email is confirmed (claim email_verified); a sale
--         armed verified-only (meta verified_only) gives no ticket to anyone else
-- meta draw_from (ms, written by arm_sale.lua from the API's miaosha.draw.entries-open-before): before it
-- a newcomer gets no ticket; absent on a sale armed before the entries window existed (no limit then)
--
-- Returns {1, ahead, served, reorders, commitment, opens_at} waiting with `ahead` people before it
--         (see QueueKeys#stats); commitment is the draw's when this user's ticket is a draw ticket, else ''
--         {2, windowEndMs} inside (admitted)
--         {-1} not armed (or unknown)   {-2} armed without a waiting room   {-3} ended   {-4} cancelled
--         {-5} sold out: no units left and no unpaid hold that could return one (and no ticket held);
--         while unpaid holds remain the sale is only paused and a shopper may still queue for them   {-6, units, limit} the shopper holds or bought the
--         most a shopper may: waiting could never end in a purchase, so there is no ticket to give
--         {-7} a draw ticket is due, but the caller's value was not computed from the draw's seed
--         (it has none, or the sale has none yet): run queue_draw.lua and join again
--         {-9} the sale is for accounts with a confirmed email and this shopper's is not
--         {-8, drawFromMs} a newcomer before the draw's entries open (draw_from): nothing is written,
--         not even the draw, so joining early gains nothing and costs the sale nothing
-- Every refusal is answered before the first write: a socket for a sale that is not there, or not
-- queued, leaves nothing behind in Redis.
--
-- Fairness: before opening a ticket is the user's draw value (fixed per user and sale, so leaving
-- and rejoining cannot re-roll it), and the ticket id is recorded among the draw's entrants, to be
-- published with the seed at opening so anyone can recompute the order; after opening (or once the
-- draw was revealed, whatever this caller's clock says) it is the next sequence number (>= 1), so
-- every pre-open ticket comes first, in the draw's order, and later ones first come first served.
-- Opening therefore needs no pass over the queue. Cost: O(log n).
local meta = redis.call('HMGET', KEYS[1], 'state', 'opens_at', 'closes_at', 'queue', 'per_user_limit', 'draw_from', 'verified_only')
if not meta[1] then
  return {-1}
end
if meta[4] ~= '1' then
  return {-2}
end
if meta[1] == 'cancelled' then
  return {-4}
end
local now = tonumber(ARGV[2])
if now >= tonumber(meta[3]) then
  return {-3}
end
if meta[7] == '1' and ARGV[6] ~= '1' then
  return {-9}
end
local user = ARGV[1]
local slotUntil = redis.call('ZSCORE', KEYS[7], user)
if slotUntil and tonumber(slotUntil) > now then
  -- Back while admitted: this socket acknowledges the admission (see queue_admit.lua).
  local windowEnd = redis.call('HGET', KEYS[10], user) or slotUntil
  redis.call('ZADD', KEYS[7], 'XX', 'GT', windowEnd, user)
  redis.call('ZREM', KEYS[5], user)
  redis.call('HINCRBY', KEYS[6], user, 1)
  return {2, windowEnd}
end
local limit = tonumber(meta[5] or '0')
local units = tonumber(redis.call('HGET', KEYS[11], user) or '0')
if limit > 0 and units >= limit then
  return {-6, units, limit}
end
local ticketId = ARGV[4] or ''
local draw = redis.call('HMGET', KEYS[12], 'commitment', 'revealed')
local ahead = redis.call('ZRANK', KEYS[3], user)
if not ahead then
  if meta[6] and now < tonumber(meta[6]) then
    return {-8, meta[6]}
  end
  if tonumber(redis.call('GET', KEYS[2]) or '0') <= 0 and redis.call('ZCARD', KEYS[14]) == 0 then
    return {-5}
  end
  local drawOpen = now < tonumber(meta[2]) and draw[2] ~= '1'
  if drawOpen and (not draw[1] or draw[1] ~= ARGV[5]) then
    return {-7}
  end
  local ticket
  if drawOpen then
    ticket = ARGV[3]
    -- A draw ticket can land ahead of anyone: places read before are no longer exact.
    redis.call('HINCRBY', KEYS[9], 'reorders', 1)
    redis.call('SADD', KEYS[13], ticketId)
  else
    ticket = redis.call('INCR', KEYS[8])
  end
  redis.call('ZADD', KEYS[3], ticket, user)
  redis.call('ZADD', KEYS[4], 'NX', now, user)
  ahead = redis.call('ZRANK', KEYS[3], user)
end
redis.call('ZREM', KEYS[5], user)
redis.call('HINCRBY', KEYS[6], user, 1)
local stats = redis.call('HMGET', KEYS[9], 'served', 'reorders')
-- A ticket below 1 is a draw ticket (sequence numbers start at 1): the shopper is one of the draw's
-- entrants, and is told the commitment on every join, a reconnect after opening too.
local commitment = ''
if draw[1] and tonumber(redis.call('ZSCORE', KEYS[3], user)) < 1 then
  commitment = draw[1]
end
return {1, ahead, tonumber(stats[1] or '0'), tonumber(stats[2] or '0'), commitment, meta[2]}
