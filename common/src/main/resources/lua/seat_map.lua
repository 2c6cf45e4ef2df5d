-- seat_map.lua: a seated sale's seat states and the id of the last change they include, read together.
--
-- KEYS[1] {sale:N}:seats  KEYS[2] {sale:N}:seat-changes  (see purchase.lua)
--
-- Returns {states, lastChangeId} (states "" when the sale has no seat map in Redis; lastChangeId "0-0"
-- before any change). A viewer that shows the states and then reads the changes after lastChangeId
-- (XREAD) misses none and applies none twice: both were read in one atomic step.
local states = redis.call('GET', KEYS[1]) or ''
local last = redis.call('XREVRANGE', KEYS[2], '+', '-', 'COUNT', 1)
if #last == 0 then
  return {states, '0-0'}
end
return {states, last[1][1]}
