-- wrk script: POST a log-in of $LOGIN_EMAIL / $LOGIN_PASSWORD (a real bcrypt check each time), count
-- the answers by status code, summarised like purchase.lua.
local body = string.format('{"email":"%s","password":"%s"}', os.getenv("LOGIN_EMAIL"), os.getenv("LOGIN_PASSWORD"))
local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  codes = {}
end

function request()
  return wrk.format("POST", nil, {["Content-Type"] = "application/json"}, body)
end

function response(status, headers, body)
  codes[status] = (codes[status] or 0) + 1
end

function done(summary, latency, requests)
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
