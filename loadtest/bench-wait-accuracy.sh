#!/usr/bin/env bash
# Wait-accuracy benchmark (issue 16; not a test): one queue-gateway of its own, one live sale with
# CAPACITY (50) shoppers inside at a time and a WINDOW_MS (30 s) window, SHOPPERS (1000) real sockets
# through queue/WaitAccuracyBench.java, once per pattern (PATTERNS: steady irregular bursty). For every position
# frame it compares the range shown with the time that shopper really waited until admitted.
# Uses its own port and Redis DB; starts and stops only its own processes.
set -euo pipefail
source "$(dirname "$0")/../scripts/lib/env.sh"
source "$ROOT/scripts/lib/stack.sh"
pick_java
SHOPPERS="${SHOPPERS:-1000}"
CAPACITY="${CAPACITY:-50}"
WINDOW_MS="${WINDOW_MS:-30000}"
PATTERNS="${PATTERNS:-steady irregular bursty}"
PORT="${WAIT_BENCH_PORT:-18260}"
REDIS_DB="${WAIT_BENCH_REDIS_DB:-14}"
OUT="$ROOT/run/bench-wait-accuracy"
mkdir -p "$OUT"
local_secrets "$OUT/secrets"
[ -f "$(service_jar queue-gateway)" ] && [ -d "$ROOT/test-support/target/classes/io" ] \
  || die "package first: ./mvnw -q package -DskipTests -pl common,test-support,queue-gateway"
CP="$ROOT/queue-gateway/target/quarkus-app/lib/main/*:$(test_support_classes)"

PIDS=()
cleanup() { [ "${#PIDS[@]}" -gt 0 ] && kill "${PIDS[@]}" 2>/dev/null; wait 2>/dev/null || true; }
trap cleanup EXIT

fresh_stores redis="$REDIS_DB"
log "starting queue-gateway on port $PORT (Redis DB $REDIS_DB)"
# Every shopper joins from this address: no join limits, and a light proof-of-work (what is measured is the wait).
start_service queue-gateway "$PORT" "$OUT/gateway.log" MIAOSHA_REDIS_URL="redis://127.0.0.1:6379/$REDIS_DB" \
  MIAOSHA_POW_JOINS_PER_ADDRESS=0 MIAOSHA_POW_JOINS_PER_ACCOUNT=0 MIAOSHA_POW_BASE_MAX_NUMBER=1000 MIAOSHA_POW_CEILING_MAX_NUMBER=10000
GW=$SERVICE_PID; PIDS+=("$GW")
wait_ready queue-gateway "$PORT" "$OUT/gateway.log" 60 "$GW"

sale=0
for pattern in $PATTERNS; do
  sale=$((sale + 1))
  now=$(($(date +%s) * 1000))
  # Armed as the API arms it (arm_sale.lua's fields), live since a second ago, a unit for everyone.
  redis-cli -n "$REDIS_DB" hset "{sale:$sale}:meta" state scheduled opens_at $((now - 1000)) closes_at $((now + 3600000)) \
    per_user_limit 2 hold_ms 300000 price 100 currency EUR queue 1 queue_capacity "$CAPACITY" window_ms "$WINDOW_MS" >/dev/null
  redis-cli -n "$REDIS_DB" set "{sale:$sale}:stock" 1000000 >/dev/null
  log "pattern $pattern: $SHOPPERS shoppers on sale $sale (capacity $CAPACITY, window $WINDOW_MS ms)"
  "$JAVA_HOME/bin/java" -Xmx512m -cp "$CP" "$ROOT/loadtest/queue/WaitAccuracyBench.java" --port "$PORT" --sale "$sale" \
    --shoppers "$SHOPPERS" --first-user $((sale * 100000)) --pattern "$pattern" --key "$SMALLRYE_JWT_SIGN_KEY_LOCATION" \
    | tee "$OUT/$pattern.txt"
done
