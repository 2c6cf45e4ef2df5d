#!/usr/bin/env bash
# Waiting-room benchmark (not a test): one queue-gateway process holding CONNECTIONS idle shopper
# WebSockets. Measures connect rate, heap and RSS per connection (after a full GC, against the
# idle process), CPU while idle, and the time until every waiting connection is told of an advance.
# Uses its own port and Redis DB; starts and stops only its own processes.
set -euo pipefail
source "$(dirname "$0")/../scripts/lib/env.sh"
source "$ROOT/scripts/lib/stack.sh"
pick_java
prime_maven_wrapper
CONNECTIONS="${CONNECTIONS:-19000}"
PORT="${QUEUE_BENCH_PORT:-18230}"
REDIS_DB="${QUEUE_BENCH_REDIS_DB:-10}"
HEAP="${HEAP:-2g}"
IDLE_SECONDS="${IDLE_SECONDS:-10}"
OUT="$ROOT/run/bench-queue"
mkdir -p "$OUT"
local_secrets "$OUT/secrets"
[ -f "$(service_jar queue-gateway)" ] && [ -d "$ROOT/test-support/target/classes/io" ] \
  || mvnw -q install -DskipTests -pl common,test-support,queue-gateway
# The tester's class path: the gateway's Vert.x, and test-support's token minter.
CP="$ROOT/queue-gateway/target/quarkus-app/lib/main/*:$(test_support_classes)"

PIDS=()
cleanup() { [ "${#PIDS[@]}" -gt 0 ] && kill "${PIDS[@]}" 2>/dev/null; wait 2>/dev/null || true; }
trap cleanup EXIT

# Live heap: the class histogram runs a full GC first and sums the objects that survive it.
heap_used_kb() { "$JAVA_HOME/bin/jcmd" "$1" GC.class_histogram >"$OUT/histogram-$2.txt"
  awk '/^Total/ {print int($3 / 1024)}' "$OUT/histogram-$2.txt"; }
rss_kb() { awk '/^VmRSS:/ {print $2}' "/proc/$1/status"; }
cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }

fresh_stores redis="$REDIS_DB"
now=$(($(date +%s) * 1000))
redis-cli -n "$REDIS_DB" hset '{sale:1}:meta' state scheduled opens_at $((now - 1000)) closes_at $((now + 7200000)) \
  per_user_limit 2 hold_ms 300000 price 100 currency EUR queue 1 queue_capacity 1 window_ms 600000 >/dev/null
redis-cli -n "$REDIS_DB" set '{sale:1}:stock' 1000000 >/dev/null

log "starting queue-gateway on port $PORT (heap $HEAP, Redis DB $REDIS_DB)"
# Sockets are measured here, not the proof-of-work: every client still pays one, a tiny one, and all come from loopback.
start_service queue-gateway "$PORT" "$OUT/gateway.log" MIAOSHA_REDIS_URL="redis://127.0.0.1:6379/$REDIS_DB" \
  MIAOSHA_POW_BASE_MAX_NUMBER=100 MIAOSHA_POW_CEILING_MAX_NUMBER=100 MIAOSHA_POW_JOINS_PER_ADDRESS=0 -- -Xmx"$HEAP"
GW=$SERVICE_PID; PIDS+=("$GW")
wait_ready queue-gateway "$PORT" "$OUT/gateway.log" 60 "$GW"
sleep 2
heap0=$(heap_used_kb "$GW" idle); rss0=$(rss_kb "$GW")

log "opening $CONNECTIONS connections"
"$JAVA_HOME/bin/java" -Xmx2g -cp "$CP" "$ROOT/loadtest/queue/ConnectionTester.java" --port "$PORT" --sale 1 \
  --connections "$CONNECTIONS" --first-user 1 --hold $((IDLE_SECONDS + 15)) --advance \
  --key "$SMALLRYE_JWT_SIGN_KEY_LOCATION" >"$OUT/tester.log" 2>&1 &
TESTER=$!; PIDS+=("$TESTER")
until grep -qs READY "$OUT/tester.log"; do
  kill -0 "$TESTER" 2>/dev/null || { cat "$OUT/tester.log"; die "the tester exited"; }
  sleep 1
done
heap1=$(heap_used_kb "$GW" loaded); rss1=$(rss_kb "$GW")
sleep 5   # let the advance (if any) settle before the idle window
t0=$(cpu_ticks "$GW"); sleep "$IDLE_SECONDS"; t1=$(cpu_ticks "$GW")
wait "$TESTER" || true
open=$(grep -c . "$OUT/tester.log" || true)

# Where the heap per connection goes: the classes that grew most.
awk 'FNR==NR && $1 ~ /:$/ {before[$4]=$3; next} $1 ~ /:$/ {d=$3-before[$4]; if (d>0) printf "%10d %6.0f B/conn  %s\n", d, d/'"$CONNECTIONS"', $4}' \
  "$OUT/histogram-idle.txt" "$OUT/histogram-loaded.txt" | sort -rn | awk 'NR <= 25' >"$OUT/heap-growth.txt"
hz=$(getconf CLK_TCK)
cat "$OUT/tester.log"
echo "gateway live heap (objects surviving a full GC): ${heap0} KB idle, ${heap1} KB with the connections"
echo "heap per connection: $(( (heap1 - heap0) * 1024 / CONNECTIONS )) bytes"
echo "RSS: ${rss0} KB idle, ${rss1} KB with the connections; per connection: $(( (rss1 - rss0) * 1024 / CONNECTIONS )) bytes"
echo "CPU while idle: $(awk -v a="$t0" -v b="$t1" -v hz="$hz" -v s="$IDLE_SECONDS" 'BEGIN{printf "%.1f%% of one core", (b-a)/hz/s*100}')"
