#!/usr/bin/env bash
# Purchase-path benchmark (not a test): purchase attempts/s on a sale with large stock, sold-out
# answers/s, and the no-op endpoint of the same server, with wrk on the same machine.
# Usage: loadtest/bench-purchase.sh [duration, default 30s] ; RELAY=off measures the hot path alone.
# Uses its own database (miaosha_bench), Redis DB 7 and RabbitMQ vhost miaosha-bench; stops what it starts.
set -euo pipefail
source "$(dirname "$0")/../scripts/lib/env.sh"
source "$ROOT/loadtest/lib/tokens.sh"

DURATION=${1:-30s}
CONNECTIONS=${CONNECTIONS:-128}
THREADS=${THREADS:-2}
USERS=${USERS:-1000}
RELAY=${RELAY:-on}
PORT=${PORT:-18080}
WORK="$ROOT/loadtest/target"
mkdir -p "$WORK"

ensure_servers
command -v wrk >/dev/null || apt_install wrk
[ -f "$ROOT/flash-sale-api/target/quarkus-app/quarkus-run.jar" ] || mvnw -q install -DskipTests

mariadb -uroot -e "DROP DATABASE IF EXISTS miaosha_bench; CREATE DATABASE miaosha_bench;
  GRANT ALL PRIVILEGES ON miaosha_bench.* TO 'miaosha'@'localhost', 'miaosha'@'127.0.0.1';"
redis-cli -n 7 flushdb >/dev/null
rabbitmqctl -q delete_vhost miaosha-bench >/dev/null 2>&1 || true
rabbitmqctl -q add_vhost miaosha-bench >/dev/null
rabbitmqctl -q set_permissions -p miaosha-bench guest '.*' '.*' '.*' >/dev/null

PIDS=()
cleanup() { [ "${#PIDS[@]}" -eq 0 ] || kill "${PIDS[@]}" 2>/dev/null || true; wait 2>/dev/null || true; }
trap cleanup EXIT

COMMON_PROPS=(-Dquarkus.datasource.jdbc.url=jdbc:mariadb://127.0.0.1:3306/miaosha_bench
  -Dquarkus.datasource.reactive.url=mysql://127.0.0.1:3306/miaosha_bench
  -Drabbitmq-virtual-host=miaosha-bench)
"$JAVA_HOME/bin/java" -Xms1g -Xmx1g ${API_JAVA_OPTS:-} "${COMMON_PROPS[@]}" \
  -Dquarkus.datasource.read.reactive.url=mysql://127.0.0.1:3306/miaosha_bench \
  -Dquarkus.redis.hosts=redis://127.0.0.1:6379/7 -Dquarkus.http.port="$PORT" \
  -Dmiaosha.relay.enabled="$([ "$RELAY" = on ] && echo true || echo false)" \
  -jar "$ROOT/flash-sale-api/target/quarkus-app/quarkus-run.jar" >"$WORK/bench-api.log" 2>&1 &
PIDS+=("$!")
if [ "$RELAY" = on ]; then
  "$JAVA_HOME/bin/java" -Xmx512m "${COMMON_PROPS[@]}" -Dquarkus.http.port=$((PORT + 1)) \
    -jar "$ROOT/order-worker/target/quarkus-app/quarkus-run.jar" >"$WORK/bench-worker.log" 2>&1 &
  PIDS+=("$!")
fi
for i in $(seq 1 120); do curl -fsS "http://127.0.0.1:$PORT/q/health/ready" >/dev/null 2>&1 && break; sleep 0.5; done

log "creating $USERS shoppers, a large sale and a one-unit sale"
mariadb -uroot miaosha_bench <<SQL
INSERT INTO products (sku, name) VALUES ('bench', 'Benchmark item');
INSERT INTO sales (product_id, title, price_minor, currency, stock, opens_at, closes_at, per_user_limit, queue_capacity, window_seconds, hold_seconds)
VALUES (1, 'large', 100, 'EUR', 10000000, UTC_TIMESTAMP() - INTERVAL 1 MINUTE, UTC_TIMESTAMP() + INTERVAL 1 DAY, 1000000, 1000, 600, 3600),
       (1, 'one unit', 100, 'EUR', 1, UTC_TIMESTAMP() - INTERVAL 1 MINUTE, UTC_TIMESTAMP() + INTERVAL 1 DAY, 1, 1000, 600, 3600);
INSERT INTO users (email, password_hash, role, created_at)
SELECT CONCAT('bench', seq, '@test.com'), 'x', 'shopper', UTC_TIMESTAMP() FROM seq_1_to_${USERS};
SQL
KEY="$ROOT/flash-sale-api/src/main/resources/dev-keys/privateKey.pem"
TOKENS="$WORK/tokens.txt"
: >"$TOKENS"
for user in $(mariadb -uroot -N miaosha_bench -e "SELECT id FROM users ORDER BY id"); do
  mint_token "$user" "$KEY" >>"$TOKENS"
done
export TOKENS
first_token=$(head -n1 "$TOKENS")
curl -fsS -o /dev/null -XPOST "http://127.0.0.1:$PORT/api/sales/2/purchase" -H "Authorization: Bearer $first_token" \
  -H 'Content-Type: application/json' -d '{"quantity":1}'

run() {
  local name=$1 url=$2 script=$3
  log "$name: wrk -t$THREADS -c$CONNECTIONS -d$DURATION"
  wrk -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" --latency -s "$ROOT/loadtest/wrk/$script" "$url" \
    | tee "$WORK/$name.txt" | grep -E "statuses|latency_ms|Socket errors"
}

log "warming up (JIT) for 15s"
wrk -t"$THREADS" -c"$CONNECTIONS" -d15s -s "$ROOT/loadtest/wrk/purchase.lua" "http://127.0.0.1:$PORT/api/sales/1/purchase" >/dev/null
wrk -t"$THREADS" -c"$CONNECTIONS" -d5s -s "$ROOT/loadtest/wrk/noop.lua" "http://127.0.0.1:$PORT/api/ping" >/dev/null
drain() {  # waits until every hold of the large sale has its order row
  local holds rows i
  holds=$(redis-cli -n 7 hlen '{sale:1}:holds')
  for i in $(seq 1 600); do
    rows=$(mariadb -uroot -N miaosha_bench -e "SELECT COUNT(*) FROM orders WHERE sale_id = 1")
    [ "$rows" -ge "$holds" ] && break
    sleep 0.5
  done
  echo "$holds $rows"
}
[ "$RELAY" = on ] && drain >/dev/null
rows_before=$(mariadb -uroot -N miaosha_bench -e "SELECT COUNT(*) FROM orders WHERE sale_id = 1")
started=$(date +%s.%N)
run purchase "http://127.0.0.1:$PORT/api/sales/1/purchase" purchase.lua
if [ "$RELAY" = on ]; then
  # Order pipeline: from the first purchase of the run to the last order row in MySQL.
  read -r holds rows < <(drain)
  drained=$(date +%s.%N)
  awk -v n="$((rows - rows_before))" -v t0="$started" -v t1="$drained" -v h="$holds" -v r="$rows" \
    'BEGIN { printf "pipeline: %d orders in MySQL (holds %d, rows %d) in %.1fs from first purchase to last row = %.0f orders/s\n", n, h, r, t1 - t0, n / (t1 - t0) }' \
    | tee "$WORK/pipeline.txt"
fi
run sold-out "http://127.0.0.1:$PORT/api/sales/2/purchase" purchase.lua
run noop "http://127.0.0.1:$PORT/api/ping" noop.lua
log "units left in the large sale: $(redis-cli -n 7 get '{sale:1}:stock'); relay=$RELAY"
