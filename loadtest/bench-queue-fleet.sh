#!/usr/bin/env bash
# Waiting-room fleet benchmark (not a test): GATEWAYS queue-gateway processes sharing one sale
# through one Redis, each with its own tester process holding PER_GATEWAY connections from its own
# loopback source address (127.0.0.x) and its own shoppers. Frees one slot and reports, per tester,
# how long until every waiting connection was told of the advance. Own ports/Redis DB; kills only
# what it started.
set -euo pipefail
source "$(dirname "$0")/../scripts/lib/env.sh"
source "$ROOT/scripts/lib/stack.sh"
pick_java
prime_maven_wrapper
GATEWAYS="${GATEWAYS:-2}"
PER_GATEWAY="${PER_GATEWAY:-19000}"
BASE_PORT="${QUEUE_BENCH_PORT:-18240}"
REDIS_DB="${QUEUE_BENCH_REDIS_DB:-10}"
# 300,000 sockets on one 24 GiB machine: each gateway's live heap is ~160 MB at 19,000 sockets, so
# the heaps are capped to keep 2 x GATEWAYS JVMs within memory.
GW_HEAP="${GW_HEAP:-448m}"
TESTER_HEAP="${TESTER_HEAP:-320m}"
OUT="$ROOT/run/bench-queue-fleet"
rm -rf "$OUT"; mkdir -p "$OUT"
local_secrets "$OUT/secrets"
[ -f "$(service_jar queue-gateway)" ] && [ -d "$ROOT/test-support/target/classes/io" ] \
  || mvnw -q install -DskipTests -pl common,test-support,queue-gateway
# The tester's class path: the gateway's Vert.x, and test-support's token minter.
CP="$ROOT/queue-gateway/target/quarkus-app/lib/main/*:$(test_support_classes)"

PIDS=()
cleanup() { [ "${#PIDS[@]}" -gt 0 ] && kill "${PIDS[@]}" 2>/dev/null; wait 2>/dev/null || true; }
trap cleanup EXIT

fresh_stores redis="$REDIS_DB"
# The window outlasts the run: the one shopper inside must not leave (an advance of its own) before
# the measured advance, which frees the slot by hand.
now=$(($(date +%s) * 1000))
redis-cli -n "$REDIS_DB" hset '{sale:1}:meta' state scheduled opens_at $((now - 1000)) closes_at $((now + 7200000)) \
  per_user_limit 2 hold_ms 300000 price 100 currency EUR queue 1 queue_capacity 1 window_ms 10800000 >/dev/null
redis-cli -n "$REDIS_DB" set '{sale:1}:stock' 1000000 >/dev/null

for i in $(seq 0 $((GATEWAYS - 1))); do
  start_service queue-gateway $((BASE_PORT + i)) "$OUT/gateway-$i.log" MIAOSHA_REDIS_URL="redis://127.0.0.1:6379/$REDIS_DB" \
    MIAOSHA_QUEUE_INSTANCE_ID="gw-$i" MIAOSHA_POW_BASE_MAX_NUMBER=100 MIAOSHA_POW_CEILING_MAX_NUMBER=100 \
    MIAOSHA_POW_JOINS_PER_ADDRESS=0 -- -Xmx"$GW_HEAP"
  PIDS+=("$SERVICE_PID")
done
for i in $(seq 0 $((GATEWAYS - 1))); do
  wait_ready "queue-gateway $i" $((BASE_PORT + i)) "$OUT/gateway-$i.log" 60 "${PIDS[$i]}"
done
log "$GATEWAYS gateways up; opening $PER_GATEWAY connections to each, one tester after the other"
# One tester connects at a time: 32 JVMs connecting at once on 2 cores mostly measure the
# scheduler (SYN retries, run queues of 60); every tester holds its sockets until the advance.
established() { awk '/^TCP:/ {print int($9 / 2)}' /proc/net/sockstat; }
started=$(date +%s)
for i in $(seq 0 $((GATEWAYS - 1))); do
  "$JAVA_HOME/bin/java" $(service_jvm_opts) -XX:+UseSerialGC -Xmx"$TESTER_HEAP" -cp "$CP" "$ROOT/loadtest/queue/ConnectionTester.java" --port $((BASE_PORT + i)) --sale 1 \
    --connections "$PER_GATEWAY" --first-user $((1 + i * PER_GATEWAY)) --source "127.0.0.$((i + 2))" --hold 5 \
    --advance-file "$OUT/advance" --key "$SMALLRYE_JWT_SIGN_KEY_LOCATION" \
    >"$OUT/tester-$i.log" 2>&1 &
  PIDS+=("$!")
  until grep -qs READY "$OUT/tester-$i.log"; do
    kill -0 "${PIDS[$((GATEWAYS + i))]}" 2>/dev/null || { tail -5 "$OUT/tester-$i.log"; die "tester $i exited"; }
    sleep 1
  done
  log "tester $i: $(grep -h '^connected' "$OUT/tester-$i.log"); ~$(established) sockets open after $(( $(date +%s) - started )) s; $(awk '/MemAvailable/ {print int($2/1024)}' /proc/meminfo) MB available; load $(cut -d' ' -f1 /proc/loadavg)"
done
log "all testers connected: $(established) sockets open after $(( $(date +%s) - started )) s"
sleep 5
RSS=()
for i in $(seq 0 $((GATEWAYS - 1))); do RSS+=("$(awk '/^VmRSS:/ {print $2}' "/proc/${PIDS[$i]}/status")"); done
log "memory available with every socket open: $(awk '/MemAvailable/ {print int($2/1024)}' /proc/meminfo) MB"
# Free the one slot (the shopper inside "buys"): the lease holder admits the next ticket and every
# connection on every gateway should be told it moved up.
redis-cli -n "$REDIS_DB" zpopmin '{sale:1}:q:inside' >/dev/null
date +%s%3N >"$OUT/advance"
wait "${PIDS[@]:$GATEWAYS}" 2>/dev/null || true
total_rss=0
for i in $(seq 0 $((GATEWAYS - 1))); do
  rss=${RSS[$i]}
  total_rss=$((total_rss + rss))
  echo "gateway $i: $(grep -E 'connected|without a frame|advance told|still open' "$OUT/tester-$i.log" | tr '\n' ';') RSS ${rss} KB"
done
echo "connections held: $(grep -h 'still open after holding' "$OUT"/tester-*.log | awk '{s += $5} END {print s}') of $((GATEWAYS * PER_GATEWAY))"
echo "slowest tester told of the advance: $(grep -h 'advance told' "$OUT"/tester-*.log | awk '{print $(NF-1)}' | sort -n | tail -1) ms"
echo "gateways' RSS: $((total_rss / 1024)) MB in all"
