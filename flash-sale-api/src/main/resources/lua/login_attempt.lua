-- login_attempt.lua: counts one log-in attempt in a fixed window, before the password is checked.
--
-- KEYS[1] login:{account:<sha256 of the email>} or login:{address:<client address>}   int, PX = the window
-- ARGV[1] window (ms)
--
-- Returns {attempts, msLeft}: attempts counted in the current window, this one included, and the
--         time until the window ends (the Retry-After of a refusal).
--
-- Invariant: the attempt is counted before bcrypt runs, so N concurrent guesses see N distinct
-- counts and at most the limit of them reach the password check. The window starts with its first
-- attempt and is never extended, so hammering a locked account does not lock it longer.
local attempts = redis.call('INCR', KEYS[1])
local left = redis.call('PTTL', KEYS[1])
if left < 0 then
  redis.call('PEXPIRE', KEYS[1], ARGV[1])
  left = tonumber(ARGV[1])
end
return {attempts, left}
