-- seat_changes.lua: the seat changes of a seated sale after the last one its live viewers were told,
-- or, when that reader fell behind, a fresh snapshot of the whole map.
--
-- KEYS[1] {sale:N}:seats         string one byte per seat position: '0' free, '1' held, '2' sold
-- KEYS[2] {sale:N}:seat-changes  stream of changes (fields state, seats), capped (see purchase.lua)
-- ARGV[1] the id of the last change the viewers were told ("0-0": the map they have predates any change)
-- ARGV[2] at most this many changes in one answer
--
-- Returns {1, id1, state1, seats1, id2, state2, seats2, ...} the changes after ARGV[1], oldest first
--         (just {1} when there are none, or the stream is gone with its sale);
--         {2, states, lastChangeId} a snapshot, as seat_map.lua answers it, when a change after ARGV[1]
--         was trimmed from the capped stream (the entry ARGV[1] itself is gone) or more than ARGV[2]
--         are waiting: one frame of the whole map is then cheaper for every viewer than the backlog.
-- Invariant: what is answered continues ARGV[1] with no change missed: the check and the read are one
-- atomic step, and trimming removes the oldest entries first, so while the entry ARGV[1] exists, every
-- later one does. Needs Redis 7 (XINFO STREAM entries-added) for a reader that starts at "0-0".
local function snapshot()
  local last = redis.call('XREVRANGE', KEYS[2], '+', '-', 'COUNT', 1)
  local id = '0-0'
  if #last > 0 then
    id = last[1][1]
  end
  return {2, redis.call('GET', KEYS[1]) or '', id}
end

if redis.call('EXISTS', KEYS[2]) == 0 then
  return {1}
end
local after = ARGV[1]
if after == '0-0' then
  -- Every entry ever added follows "0-0": some were trimmed when fewer are left than were added.
  local info = redis.call('XINFO', 'STREAM', KEYS[2])
  local added, length
  for i = 1, #info, 2 do
    if info[i] == 'entries-added' then
      added = info[i + 1]
    elseif info[i] == 'length' then
      length = info[i + 1]
    end
  end
  if added > length then
    return snapshot()
  end
elseif #redis.call('XRANGE', KEYS[2], after, after) == 0 then
  return snapshot()
end

local most = tonumber(ARGV[2])
local entries = redis.call('XRANGE', KEYS[2], '(' .. after, '+', 'COUNT', most + 1)
if #entries > most then
  return snapshot()
end
local answer = {1}
for _, entry in ipairs(entries) do
  local fields = entry[2]
  local state, seats = '', ''
  for i = 1, #fields, 2 do
    if fields[i] == 'state' then
      state = fields[i + 1]
    elseif fields[i] == 'seats' then
      seats = fields[i + 1]
    end
  end
  answer[#answer + 1] = entry[1]
  answer[#answer + 1] = state
  answer[#answer + 1] = seats
end
return answer
