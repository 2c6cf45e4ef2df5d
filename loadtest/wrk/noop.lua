-- wrk script: GET the no-op endpoint, summarised in the same format as purchase.lua.
function done(summary, latency, requests)
  io.write(string.format("statuses: (not counted; non-2xx: %d)\n", summary.errors.status))
  io.write(string.format("latency_ms p50=%.2f p99=%.2f max=%.2f rps=%.0f\n",
    latency:percentile(50) / 1000, latency:percentile(99) / 1000, latency.max / 1000,
    summary.requests / (summary.duration / 1e6)))
end
