#!/usr/bin/env bash
# Waiting-room fleet benchmark (not a test): GATEWAYS queue-gateway processes sharing one sale
# through one Redis, each with its own tester process holding PER_GATEWAY connections from its own
# loopback source address (127.0.0.x) and its own shoppers. Frees one slot and reports, per tester,
# how long until every waiting connection was told of the advance. Own ports/Redis DB; kills only
# what it started.
set -euo pipefail
source "$(dirname "$0")/../scripts/lib/env.sh"
pick_java
prime_maven_wrapper
GATEWAYS="${GATEWAYS:-2}"
PER_GATEWAY="${PER_GATEWAY:-19000}"
BASE_PORT="${QUEUE_BENCH_PORT:-18240}"
REDIS_DB="${QUEUE_BENCH_REDIS_DB:-10}"
OUT="$ROOT/run/bench-queue-fleet"
rm -rf "$OUT"; mkdir -p "$OUT"
JAR="$ROOT/queue-gateway/target/quarkus-app/quarkus-run.jar"
[ -f "$JAR" ] || mvnw -q install -DskipTests -pl common,queue-gateway
CP="$ROOT/queue-gateway/target/quarkus-app/lib/main/*"

PIDS=()
cleanup() { [ "${#PIDS[@]}" -gt 0 ] && kill "${PIDS[@]}" 2>/dev/null; wait 2>/dev/null || true; }
trap cleanup EXIT

redis-cli -n "$REDIS_DB" flushdb >/dev/null
now=$(($(date +%s) * 1000))
redis-cli -n "$REDIS_DB" hset '{sale:1}:meta' state scheduled opens_at $((now - 1000)) closes_at $((now + 7200000)) \
  per_user_limit 2 hold_ms 300000 price 100 currency EUR queue 1 queue_capacity 1 window_ms 600000 >/dev/null
redis-cli -n "$REDIS_DB" set '{sale:1}:stock' 1000000 >/dev/null

for i in $(seq 0 $((GATEWAYS - 1))); do
  env PORT=$((BASE_PORT + i)) MIAOSHA_REDIS_URL="redis://127.0.0.1:6379/$REDIS_DB" MIAOSHA_QUEUE_INSTANCE_ID="gw-$i" \
    "$JAVA_HOME/bin/java" -Xmx2g -jar "$JAR" >"$OUT/gateway-$i.log" 2>&1 &
  PIDS+=("$!")
done
for i in $(seq 0 $((GATEWAYS - 1))); do
  for _ in $(seq 1 120); do curl -fsS "http://127.0.0.1:$((BASE_PORT + i))/q/health/ready" >/dev/null 2>&1 && break; sleep 0.5; done
done
log "$GATEWAYS gateways up; opening $PER_GATEWAY connections to each"
for i in $(seq 0 $((GATEWAYS - 1))); do
  "$JAVA_HOME/bin/java" -Xmx2g -cp "$CP" "$ROOT/loadtest/queue/ConnectionTester.java" --port $((BASE_PORT + i)) --sale 1 \
    --connections "$PER_GATEWAY" --first-user $((1 + i * PER_GATEWAY)) --source "127.0.0.$((i + 2))" --hold 5 \
    --advance-file "$OUT/advance" --key "$ROOT/flash-sale-api/src/main/resources/dev-keys/privateKey.pem" \
    >"$OUT/tester-$i.log" 2>&1 &
  PIDS+=("$!")
done
for i in $(seq 0 $((GATEWAYS - 1))); do
  until grep -qs READY "$OUT/tester-$i.log"; do sleep 1; done
done
sleep 5
# Free the one slot (the shopper inside "buys"): the lease holder admits the next ticket and every
# connection on every gateway should be told it moved up.
redis-cli -n "$REDIS_DB" zpopmin '{sale:1}:q:inside' >/dev/null
date +%s%3N >"$OUT/advance"
wait "${PIDS[@]:$GATEWAYS}" 2>/dev/null || true
for i in $(seq 0 $((GATEWAYS - 1))); do
  echo "gateway $i: $(grep -E 'connected|advance told|still open' "$OUT/tester-$i.log" | tr '\n' ';')"
  echo "  RSS $(awk '/^VmRSS:/ {print $2}' "/proc/${PIDS[$i]}/status") KB"
done
