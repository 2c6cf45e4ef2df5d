-- login_refund.lua: takes back the attempt of a log-in whose password was right.
--
-- KEYS[1] a counter of login_attempt.lua
--
-- Returns the attempts left counted in the window (0 when the window is over).
--
-- Invariant: after the fact, only failed attempts count against an account or address. A window
-- that ended meanwhile is not brought back: DECR of a missing key would create one without expiry.
if redis.call('EXISTS', KEYS[1]) == 0 then
  return 0
end
return redis.call('DECR', KEYS[1])
