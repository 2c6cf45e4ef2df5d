# Gatling's js/stats.js (a JavaScript object per request and group) as a Markdown table.
function flush() {
  if (name != "") printf "| %s | %s | %s | %s | %s | %s | %s | %s |\n", name, v["n,ok"], v["n,ko"], v["p1,ok"], v["p2,ok"], v["p3,ok"], v["p4,ok"], v["max,ok"]
  name = ""; delete v
}
BEGIN { print "| entry | OK | KO | p50 ms | p75 ms | p95 ms | p99 ms | max ms |"; print "| --- | --- | --- | --- | --- | --- | --- | --- |" }
/^stats: \{/ { flush(); want = 1; next }
want && /"name":/ { match($0, /"name": "[^"]*"/); name = substr($0, RSTART + 9, RLENGTH - 10); want = 0; next }
/"numberOfRequests"/ { key = "n"; next }
/"maxResponseTime"/ { key = "max"; next }
/"percentiles[1-4]"/ { match($0, /[1-4]/); key = "p" substr($0, RSTART, 1); next }
/^ *"[a-zA-Z0-9]+": \{/ { key = ""; next }
key != "" && /"(ok|ko)":/ { match($0, /"(ok|ko)"/); k = substr($0, RSTART + 1, 2); match($0, /: "[^"]*"/); v[key "," k] = substr($0, RSTART + 3, RLENGTH - 4) }
END { flush() }
