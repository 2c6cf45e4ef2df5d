#!/usr/bin/env bash
# Purchase-path benchmark (not a test): purchase attempts/s on a sale with large stock, sold-out
# answers/s, and the no-op endpoint of the same server, with wrk on the same machine.
# Usage: loadtest/bench-purchase.sh [duration, default 30s]
#   By default one run measures the bare Quarkus + Redis Lua reference (../shared/reference/
#   quarkus-lua-ceiling: its /noop and /buy), then Miaosha with the relay off (purchase, sold-out, ping),
#   then with relay, broker, worker and MariaDB (purchase and the pipeline), and prints each budget of
#   issue 15 as a ratio to the reference of the same run (loadtest/target/ratios.txt).
#   RELAY=off|on measures one Miaosha mode alone, without the reference.
# Uses its own database (miaosha_bench), Redis DB 7 and RabbitMQ vhost miaosha-bench; stops what it starts.
# BENCH_REDIS_PORT points it at another Redis (bench-durable-ack.sh's master); PURCHASE_ONLY=1 skips the
# sold-out and no-op runs; WRK_TIMEOUT (2s) is wrk's --timeout. BENCH_DB, BENCH_REDIS_DB and BENCH_VHOST replace the scratch stores' names
# (loadtest/bench-cluster.sh runs it on a helper's or a CI job's own stores).
set -euo pipefail
source "$(dirname "$0")/../scripts/lib/env.sh"
source "$ROOT/scripts/lib/stack.sh"
source "$ROOT/loadtest/lib/wrk-cpu.sh"

DURATION=${1:-30s}
CONNECTIONS=${CONNECTIONS:-128}
THREADS=${THREADS:-2}
if [ -z "${RELAY:-}" ]; then
  exec bash "$ROOT/loadtest/bench-ceiling.sh" "$DURATION"
fi
USERS=${USERS:-1000}
RELAY=${RELAY:-on}
PORT=${PORT:-18080}
BENCH_REDIS_PORT=${BENCH_REDIS_PORT:-6379}
PURCHASE_ONLY=${PURCHASE_ONLY:-0}
BENCH_DB=${BENCH_DB:-miaosha_bench} BENCH_REDIS_DB=${BENCH_REDIS_DB:-7} BENCH_VHOST=${BENCH_VHOST:-miaosha-bench}
rcli() { redis-cli -p "$BENCH_REDIS_PORT" -n "$BENCH_REDIS_DB" "$@"; }
WORK="$ROOT/loadtest/target"
mkdir -p "$WORK"
local_secrets "$WORK/secrets"

ensure_servers
command -v wrk >/dev/null || apt_install wrk
[ -f "$(service_jar flash-sale-api)" ] && [ -d "$ROOT/test-support/target/classes/io" ] || mvnw -q install -DskipTests

if [ "$BENCH_REDIS_PORT" = 6379 ]; then
  fresh_stores db="$BENCH_DB" redis="$BENCH_REDIS_DB" vhost="$BENCH_VHOST"
else  # another Redis: the machine's own is left alone
  fresh_stores db="$BENCH_DB" vhost="$BENCH_VHOST"
  rcli flushdb >/dev/null
fi

PIDS=()
cleanup() { [ "${#PIDS[@]}" -eq 0 ] || kill "${PIDS[@]}" 2>/dev/null || true; wait 2>/dev/null || true; }
trap cleanup EXIT

COMMON_PROPS=(-Dquarkus.datasource.jdbc.url=jdbc:mariadb://127.0.0.1:3306/$BENCH_DB
  -Dquarkus.datasource.reactive.url=mysql://127.0.0.1:3306/$BENCH_DB
  -Drabbitmq-virtual-host="$BENCH_VHOST")
# shellcheck disable=SC2086 # API_JAVA_OPTS are words
start_service flash-sale-api "$PORT" "$WORK/bench-api.log" -- -Xms1g -Xmx1g ${API_JAVA_OPTS:-} "${COMMON_PROPS[@]}" \
  -Dquarkus.datasource.read.reactive.url=mysql://127.0.0.1:3306/$BENCH_DB \
  -Dquarkus.redis.hosts=redis://127.0.0.1:$BENCH_REDIS_PORT/$BENCH_REDIS_DB -Dquarkus.http.port="$PORT" \
  -Dmiaosha.relay.enabled="$([ "$RELAY" = on ] && echo true || echo false)" -Dquarkus.profile=dev
PIDS+=("$SERVICE_PID")
API_PID=$SERVICE_PID
if [ "$RELAY" = on ]; then
  start_service order-worker $((PORT + 1)) "$WORK/bench-worker.log" "${NO_EMAIL_QUEUE[@]}" -- -Xmx512m "${COMMON_PROPS[@]}" -Dquarkus.http.port=$((PORT + 1)) \
    -Dquarkus.redis.hosts=redis://127.0.0.1:$BENCH_REDIS_PORT/$BENCH_REDIS_DB
  PIDS+=("$SERVICE_PID")
  WORKER_PID=$SERVICE_PID
fi
wait_ready flash-sale-api "$PORT" "$WORK/bench-api.log" 60 "$API_PID"
REDIS_PID=$(redis_pid "$BENCH_REDIS_PORT")

log "creating $USERS shoppers, a large sale and a one-unit sale"
mariadb -uroot "$BENCH_DB" <<SQL
INSERT INTO products (sku, name) VALUES ('bench', 'Benchmark item');
INSERT INTO sales (product_id, title, price_minor, currency, stock, opens_at, closes_at, per_user_limit, queue_capacity, window_seconds, hold_seconds)
VALUES (1, 'large', 100, 'EUR', 10000000, UTC_TIMESTAMP() - INTERVAL 1 MINUTE, UTC_TIMESTAMP() + INTERVAL 1 DAY, 1000000, 1000, 600, 3600),
       (1, 'one unit', 100, 'EUR', 1, UTC_TIMESTAMP() - INTERVAL 1 MINUTE, UTC_TIMESTAMP() + INTERVAL 1 DAY, 1, 1000, 600, 3600);
INSERT INTO users (email, password_hash, role, created_at)
SELECT CONCAT('bench', seq, '@test.com'), 'x', 'shopper', UTC_TIMESTAMP() FROM seq_1_to_${USERS};
SQL
TOKENS="$WORK/tokens.txt"
# A day's tokens: a benchmark run never outlives them.
mariadb -uroot -N "$BENCH_DB" -e "SELECT id, email FROM users ORDER BY id" \
  | mint_tokens "$SMALLRYE_JWT_SIGN_KEY_LOCATION" --for 86400 >"$TOKENS"
export TOKENS
first_token=$(head -n1 "$TOKENS")
curl -fsS -o /dev/null -XPOST "http://127.0.0.1:$PORT/api/sales/2/purchase" -H "Authorization: Bearer $first_token" \
  -H 'Content-Type: application/json' -d '{"quantity":1}'

run() {
  local name=$1 url=$2 script=$3
  log "$name: wrk -t$THREADS -c$CONNECTIONS -d$DURATION"
  wrk_with_cpu "$WORK/$name.txt" "$API_PID" "$REDIS_PID" \
    -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" --timeout "${WRK_TIMEOUT:-2s}" --latency -s "$ROOT/loadtest/wrk/$script" "$url"
  grep -E "statuses|latency_ms|Socket errors|cpu_us_per_request" "$WORK/$name.txt"
}

log "warming up (JIT) for 15s"
wrk -t"$THREADS" -c"$CONNECTIONS" -d15s -s "$ROOT/loadtest/wrk/purchase.lua" "http://127.0.0.1:$PORT/api/sales/1/purchase" >/dev/null
wrk -t"$THREADS" -c"$CONNECTIONS" -d5s -s "$ROOT/loadtest/wrk/noop.lua" "http://127.0.0.1:$PORT/api/ping" >/dev/null
drain() {  # waits until every hold of the large sale has its order row
  local holds rows i
  for i in $(seq 1 600); do
    # Read each time: purchases still in flight when wrk stopped add holds after its last second.
    holds=$(rcli hlen '{sale:1}:holds')
    rows=$(mariadb -uroot -N "$BENCH_DB" -e "SELECT COUNT(*) FROM orders WHERE sale_id = 1")
    [ "$rows" -ge "$holds" ] && break
    sleep 0.5
  done
  echo "$holds $rows"
}
[ "$RELAY" = on ] && drain >/dev/null
rows_before=$(mariadb -uroot -N "$BENCH_DB" -e "SELECT COUNT(*) FROM orders WHERE sale_id = 1")
# The whole pipeline's CPU, by process, from the first purchase to the last order row: on two cores the
# orders per second are bound by their sum (the machine's broker and database serve this run alone).
pipeline_pids() { echo "api=$API_PID redis=$REDIS_PID worker=${WORKER_PID:-} rabbitmq=$(pgrep -o -f beam.smp || true) mariadb=$(pgrep -o mariadbd || true)"; }
pipeline_ticks() { local kv; for kv in $(pipeline_pids); do [ -n "${kv#*=}" ] && printf '%s=%s ' "${kv%%=*}" "$(cpu_ticks "${kv#*=}")"; done; }
[ "$RELAY" = on ] && ticks_before=$(pipeline_ticks)
started=$(date +%s.%N)
run purchase "http://127.0.0.1:$PORT/api/sales/1/purchase" purchase.lua
if [ "$RELAY" = on ]; then
  # Order pipeline: from the first purchase of the run to the last order row in MySQL.
  read -r holds rows < <(drain)
  drained=$(date +%s.%N)
  awk -v n="$((rows - rows_before))" -v t0="$started" -v t1="$drained" -v h="$holds" -v r="$rows" \
    'BEGIN { printf "pipeline: %d orders in MySQL (holds %d, rows %d) in %.1fs from first purchase to last row = %.0f orders/s\n", n, h, r, t1 - t0, n / (t1 - t0) }' \
    | tee "$WORK/pipeline.txt"
  ticks_after=$(pipeline_ticks)
  awk -v before="$ticks_before" -v after="$ticks_after" -v n="$((rows - rows_before))" -v t="$(getconf CLK_TCK)" 'BEGIN {
    nb = split(before, b, " "); split(after, a, " "); total = 0; line = ""
    for (i = 1; i <= nb; i++) { split(b[i], kb, "="); split(a[i], ka, "="); us = (ka[2] - kb[2]) * 1e6 / t / (n ? n : 1)
      line = line sprintf("%s=%.1f ", kb[1], us); total += us }
    printf "pipeline_cpu_us_per_order %stotal=%.1f (orders=%d; wrk not counted)\n", line, total, n }' \
    | tee -a "$WORK/pipeline.txt"
fi
if [ "$PURCHASE_ONLY" != 1 ]; then
  run sold-out "http://127.0.0.1:$PORT/api/sales/2/purchase" purchase.lua
  run noop "http://127.0.0.1:$PORT/api/ping" noop.lua
fi
log "units left in the large sale: $(rcli get '{sale:1}:stock'); relay=$RELAY"
