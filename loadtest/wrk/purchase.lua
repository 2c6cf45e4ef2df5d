-- wrk script: POST a purchase of one unit, rotating over the session tokens in $TOKENS
-- (one per line), and count the answers by status code. With $SALES (sale ids, comma separated)
-- the requests rotate over those sales' purchase paths instead of the URL's.
-- COUNT_STATUSES=0 counts only 2xx against the rest, from wrk's own summary: a response() callback
-- makes wrk hand every response's headers to Lua, which on a 2-core box running the server too
-- costs the load generator more CPU per request than the bare reference's plain wrk run.
local tokens = {}
for line in io.lines(os.getenv("TOKENS")) do
  tokens[#tokens + 1] = line
end
local sales = {}
for id in string.gmatch(os.getenv("SALES") or "", "[^,]+") do
  sales[#sales + 1] = "/api/sales/" .. id .. "/purchase"
end
local body = '{"quantity":1}'
local threads = {}

function setup(thread)
  thread:set("offset", #threads * 7919)
  table.insert(threads, thread)
end

local function format(n)
  local path = nil
  if #sales > 0 then
    path = sales[(n % #sales) + 1]
  end
  return wrk.format("POST", path, {
    ["Authorization"] = "Bearer " .. tokens[(n % #tokens) + 1],
    ["Content-Type"] = "application/json"
  }, body)
end

local function gcd(a, b)
  while b > 0 do a, b = b, a % b end
  return a
end

function init(args)
  codes = {}
  n = offset or 0
  -- The requests repeat with the period of (token, sale) pairs: formatted once, not per request.
  local sale_count = math.max(1, #sales)
  period = #tokens / gcd(#tokens, sale_count) * sale_count
  prepared = {}
  if period <= 20000 then
    for i = 0, period - 1 do prepared[i] = format(i) end
  end
end

function request()
  n = n + 1
  return prepared[n % period] or format(n)
end

if os.getenv("COUNT_STATUSES") ~= "0" then
  function response(status, headers, body)
    codes[status] = (codes[status] or 0) + 1
  end
end

function done(summary, latency, requests)
  if os.getenv("COUNT_STATUSES") == "0" then
    io.write(string.format("statuses: 2xx=%d other=%d\n", summary.requests - summary.errors.status, summary.errors.status))
    io.write(string.format("latency_ms p50=%.2f p99=%.2f max=%.2f rps=%.0f\n",
      latency:percentile(50) / 1000, latency:percentile(99) / 1000, latency.max / 1000,
      summary.requests / (summary.duration / 1e6)))
    return
  end
  local merged = {}
  for _, thread in ipairs(threads) do
    for status, count in pairs(thread:get("codes")) do
      merged[status] = (merged[status] or 0) + count
    end
  end
  local parts = {}
  for status, count in pairs(merged) do
    parts[#parts + 1] = status .. "=" .. count
  end
  table.sort(parts)
  io.write(string.format("statuses: %s\n", table.concat(parts, " ")))
  io.write(string.format("latency_ms p50=%.2f p99=%.2f max=%.2f rps=%.0f\n",
    latency:percentile(50) / 1000, latency:percentile(99) / 1000, latency.max / 1000,
    summary.requests / (summary.duration / 1e6)))
end
