-- queue_draw.lua: a sale's pre-opening draw (see DrawFunction): its secret seed and the seed's
-- public commitment, created on first need, and closed ("revealed") once the sale opens.
--
-- KEYS[1] {sale:N}:meta   KEYS[2] {sale:N}:draw (hash: seed, commitment, revealed)
-- ARGV[1] now (ms)   ARGV[2] a fresh seed (64 hex chars)   ARGV[3] its commitment (SHA-256 of the seed's bytes, hex)
--
-- Returns {1, commitment, opens_at, seed, revealed}   revealed 1 once now >= opens_at
--         {0}   no draw, and none to create: the sale is unknown, has no waiting room, is cancelled
--               or opened already (a draw is only ever created before opening)
--
-- The fresh seed is kept only when the sale has none: one seed per sale, whoever asks first (the
-- first pre-opening join, or the public endpoint), before any entrant's value is computed from it.
-- Revealing is recorded, and sticky: queue_join.lua enters nobody in a revealed draw, so a joining
-- instance whose clock runs behind cannot add an entrant once the seed may be public, and moving
-- opens_at later afterwards cannot reopen it.
local meta = redis.call('HMGET', KEYS[1], 'state', 'opens_at', 'queue')
if not meta[1] then
  return {0}
end
local now = tonumber(ARGV[1])
local opensAt = tonumber(meta[2])
local draw = redis.call('HMGET', KEYS[2], 'seed', 'commitment', 'revealed')
if not draw[1] then
  if meta[3] ~= '1' or meta[1] == 'cancelled' or now >= opensAt then
    return {0}
  end
  redis.call('HSET', KEYS[2], 'seed', ARGV[2], 'commitment', ARGV[3])
  draw = {ARGV[2], ARGV[3], false}
end
local revealed = draw[3] == '1'
if not revealed and now >= opensAt then
  redis.call('HSET', KEYS[2], 'revealed', '1')
  revealed = true
end
return {1, draw[2], meta[2], draw[1], revealed and 1 or 0}
