#!/usr/bin/env bash
# Seated-sale benchmark (not a test): a 10,000-seat venue and seated sale, VIEWERS (5,000) live seat
# maps open on the gateway (/ws/sales/{id}/live), and a steady RATE of picks (every other one named
# seats, the others "best 2 in an area") by distinct shoppers. Measures pick latency (request to 202)
# p50/p99, the time from a pick's 202 until every viewer's frame shows its seats held (p99 over picks
# of the slowest viewer), the gateway's and the API's CPU during the picks, and the gateway's live heap
# and RSS per viewer (after a full GC, against the gateway before the viewers connected).
# Usage: loadtest/bench-seats.sh   (knobs: VIEWERS 5000, RATE 20 picks/s, PICK_SECONDS 60)
# Uses its own database (miaosha_bench_seats), Redis DB 12 and RabbitMQ vhost miaosha-bench-seats, ports
# BENCH_PORT (18080) and +2 for the gateway; the relay is off (the picks' orders stay in the outbox:
# the order pipeline is bench-purchase.sh's). Starts and stops only its own processes.
set -euo pipefail
source "$(dirname "$0")/../scripts/lib/env.sh"
source "$ROOT/scripts/lib/stack.sh"
pick_java
prime_maven_wrapper
VIEWERS=${VIEWERS:-5000}
RATE=${RATE:-20}
SECONDS_OF_PICKS=${PICK_SECONDS:-60}
[ "$VIEWERS" -le 6000 ] || die "at most 6,000 sockets on this shared machine"
PORT=${BENCH_PORT:-18080}
GW_PORT=$((PORT + 2))
BENCH_DB=${BENCH_DB:-miaosha_bench_seats} BENCH_REDIS_DB=${BENCH_REDIS_DB:-12} BENCH_VHOST=${BENCH_VHOST:-miaosha-bench-seats}
USERS=$((RATE * SECONDS_OF_PICKS + 10))
OUT="$ROOT/loadtest/target/bench-seats"
mkdir -p "$OUT"
local_secrets "$OUT/secrets"

ensure_servers
for module in flash-sale-api queue-gateway; do
  [ -f "$(service_jar "$module")" ] || die "$(service_jar "$module") is missing: ./mvnw -o package -DskipTests -pl flash-sale-api,queue-gateway,test-support -am"
done
CP="$ROOT/queue-gateway/target/quarkus-app/lib/main/*:$(test_support_classes)"
fresh_stores db="$BENCH_DB" redis="$BENCH_REDIS_DB" vhost="$BENCH_VHOST"

PIDS=()
cleanup() { [ "${#PIDS[@]}" -eq 0 ] || kill "${PIDS[@]}" 2>/dev/null || true; wait 2>/dev/null || true; }
trap cleanup EXIT
heap_used_kb() { "$JAVA_HOME/bin/jcmd" "$1" GC.class_histogram >"$OUT/histogram-$2.txt"
  awk '/^Total/ {print int($3 / 1024)}' "$OUT/histogram-$2.txt"; }
rss_kb() { awk '/^VmRSS:/ {print $2}' "/proc/$1/status"; }

REDIS_URL="redis://127.0.0.1:6379/$BENCH_REDIS_DB"
start_service flash-sale-api "$PORT" "$OUT/api.log" -- -Xms1g -Xmx1g \
  -Dquarkus.datasource.jdbc.url=jdbc:mariadb://127.0.0.1:3306/$BENCH_DB \
  -Dquarkus.datasource.reactive.url=mysql://127.0.0.1:3306/$BENCH_DB \
  -Dquarkus.datasource.read.reactive.url=mysql://127.0.0.1:3306/$BENCH_DB \
  -Drabbitmq-virtual-host="$BENCH_VHOST" -Dquarkus.redis.hosts="$REDIS_URL" -Dquarkus.http.port="$PORT" \
  -Dmiaosha.relay.enabled=false -Dquarkus.profile=dev
API=$SERVICE_PID; PIDS+=("$API")
start_service queue-gateway "$GW_PORT" "$OUT/gateway.log" MIAOSHA_REDIS_URL="$REDIS_URL" -- -Xmx1g -Dquarkus.http.port="$GW_PORT"
GW=$SERVICE_PID; PIDS+=("$GW")
wait_ready flash-sale-api "$PORT" "$OUT/api.log" 90 "$API"
wait_ready queue-gateway "$GW_PORT" "$OUT/gateway.log" 90 "$GW"

log "creating a product, an admin and $USERS shoppers"
mariadb -uroot "$BENCH_DB" <<SQL
INSERT INTO products (sku, name) VALUES ('bench-seat', 'Benchmark concert');
INSERT INTO users (email, password_hash, role, created_at) VALUES ('admin@test.com', 'x', 'admin', UTC_TIMESTAMP());
INSERT INTO users (email, password_hash, role, created_at)
SELECT CONCAT('bench', seq + 1, '@test.com'), 'x', 'shopper', UTC_TIMESTAMP() FROM seq_1_to_${USERS};
SQL
sleep 2
heap0=$(heap_used_kb "$GW" idle); rss0=$(rss_kb "$GW")

GO="$OUT/go"; rm -f "$GO"
log "driver: $VIEWERS viewers, then $RATE picks/s for ${SECONDS_OF_PICKS}s"
"$JAVA_HOME/bin/java" -Xmx1500m -cp "$CP" "$ROOT/loadtest/seats/SeatBench.java" --api "$PORT" --gateway "$GW_PORT" \
  --key "$SMALLRYE_JWT_SIGN_KEY_LOCATION" --admin 1 --first-user 2 --users "$USERS" --product 1 \
  --viewers "$VIEWERS" --rate "$RATE" --seconds "$SECONDS_OF_PICKS" --go-file "$GO" --pids "$GW $API" >"$OUT/driver.log" 2>&1 &
DRIVER=$!; PIDS+=("$DRIVER")
until grep -qs '^READY' "$OUT/driver.log"; do
  kill -0 "$DRIVER" 2>/dev/null || { cat "$OUT/driver.log"; die "the driver exited"; }
  sleep 1
done
sleep 3
heap1=$(heap_used_kb "$GW" viewers); rss1=$(rss_kb "$GW")
touch "$GO"
wait "$DRIVER" || { cat "$OUT/driver.log"; die "the driver failed"; }
{
  cat "$OUT/driver.log"
  echo "(pids: gateway $GW, flash-sale-api $API)"
  echo "gateway live heap (objects surviving a full GC): ${heap0} KB idle, ${heap1} KB with the viewers;" \
    "per viewer: $(( (heap1 - heap0) * 1024 / VIEWERS )) bytes"
  echo "gateway RSS: ${rss0} KB idle, ${rss1} KB with the viewers; per viewer: $(( (rss1 - rss0) * 1024 / VIEWERS )) bytes"
  echo "$(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GB", $2/1048576}' /proc/meminfo); load average $(cut -d' ' -f1-3 /proc/loadavg)"
} | tee "$OUT/summary.txt"
