#!/usr/bin/env bash
# Idle-cost benchmark (not a test; issue 15's idle budget): with SALES armed sales of which all but
# LIVE have ended, nobody buying, how much CPU flash-sale-api, order-worker and queue-gateway spend and
# how many commands a second Redis runs, over WINDOW seconds. Redis is a redis-server of its own (port
# IDLE_REDIS_PORT, default 18490), so the count is the services' alone; it also prints Redis's
# commands by kind. Usage: loadtest/bench-idle.sh [window seconds, default 30]
# Own database miaosha_bench_idle and vhost miaosha-bench-idle; stops only what it started.
set -euo pipefail
source "$(dirname "$0")/../scripts/lib/env.sh"
source "$ROOT/scripts/lib/stack.sh"

WINDOW=${1:-30}
SALES=${SALES:-1000}
LIVE=${LIVE:-10}
REDIS_PORT=${IDLE_REDIS_PORT:-18490}
PORT=${PORT:-18280}
WORK="$ROOT/loadtest/target/idle"
rm -rf "$WORK" && mkdir -p "$WORK/redis"
local_secrets "$WORK/secrets"
ensure_servers
for module in flash-sale-api order-worker queue-gateway; do
  [ -f "$(service_jar "$module")" ] || mvnw -q package -DskipTests -pl flash-sale-api,order-worker,queue-gateway -am
done
fresh_stores db=miaosha_bench_idle vhost=miaosha-bench-idle

PIDS=()
cleanup() { [ "${#PIDS[@]}" -eq 0 ] || kill "${PIDS[@]}" 2>/dev/null || true; wait 2>/dev/null || true; }
trap cleanup EXIT
redis-server --port "$REDIS_PORT" --dir "$WORK/redis" --save '' --appendonly no --daemonize no >"$WORK/redis.log" 2>&1 &
PIDS+=("$!")
rcli() { redis-cli -p "$REDIS_PORT" "$@"; }
for i in $(seq 1 40); do rcli ping >/dev/null 2>&1 && break; sleep 0.25; done

DB=(-Dquarkus.datasource.jdbc.url=jdbc:mariadb://127.0.0.1:3306/miaosha_bench_idle
  -Dquarkus.datasource.reactive.url=mysql://127.0.0.1:3306/miaosha_bench_idle
  -Dquarkus.datasource.read.reactive.url=mysql://127.0.0.1:3306/miaosha_bench_idle
  -Drabbitmq-virtual-host=miaosha-bench-idle -Dquarkus.redis.hosts=redis://127.0.0.1:$REDIS_PORT)
start_service flash-sale-api "$PORT" "$WORK/api.log" -- "${DB[@]}" -Dquarkus.http.port="$PORT" -Dquarkus.profile=dev
PIDS+=("$SERVICE_PID"); API_PID=$SERVICE_PID
wait_ready flash-sale-api "$PORT" "$WORK/api.log" 120 "$API_PID"
start_service order-worker $((PORT + 1)) "$WORK/worker.log" "${NO_EMAIL_QUEUE[@]}" -- "${DB[@]}" -Dquarkus.http.port=$((PORT + 1)) -Dquarkus.flyway.migrate-at-start=false
PIDS+=("$SERVICE_PID"); WORKER_PID=$SERVICE_PID
start_service queue-gateway $((PORT + 2)) "$WORK/gateway.log" -- -Dquarkus.redis.hosts=redis://127.0.0.1:$REDIS_PORT -Dquarkus.http.port=$((PORT + 2))
PIDS+=("$SERVICE_PID"); GATEWAY_PID=$SERVICE_PID
wait_ready order-worker $((PORT + 1)) "$WORK/worker.log" 120 "$WORKER_PID"
wait_ready queue-gateway $((PORT + 2)) "$WORK/gateway.log" 120 "$GATEWAY_PID"

# All open now: the ended ones close ENDS_IN seconds after they are armed, so they are armed while open
# (as every real sale was) and then idle in the armed set like the sales of a busy day.
ENDS_IN=45
log "creating $SALES sales ($LIVE stay open, $((SALES - LIVE)) close in ${ENDS_IN}s) and arming them"
mariadb -uroot miaosha_bench_idle <<SQL
INSERT INTO products (sku, name) VALUES ('idle', 'Idle item');
INSERT INTO sales (product_id, title, price_minor, currency, stock, opens_at, closes_at, per_user_limit, queue_capacity, window_seconds, hold_seconds)
SELECT 1, CONCAT('idle ', seq), 100, 'EUR', 10, UTC_TIMESTAMP() - INTERVAL 1 MINUTE,
       IF(seq <= $LIVE, UTC_TIMESTAMP() + INTERVAL 1 DAY, UTC_TIMESTAMP() + INTERVAL $ENDS_IN SECOND), 1, 100, 600, 300
FROM seq_1_to_$SALES;
SQL
curl -fsS -o /dev/null -XPOST "http://127.0.0.1:$PORT/api/internal/arming/upcoming?lookaheadMinutes=15" -H "X-Miaosha-Arming-Key: $MIAOSHA_ARMING_KEY"
armed=$(rcli SCARD miaosha:sales:armed)
[ "$armed" -ge "$SALES" ] || die "only $armed of $SALES sales armed"
log "$armed sales armed; waiting ${ENDS_IN}s for $((SALES - LIVE)) of them to end, then 10s to settle"
sleep $((ENDS_IN + 10))

ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
hz=$(getconf CLK_TCK)
a0=$(ticks "$API_PID") w0=$(ticks "$WORKER_PID") g0=$(ticks "$GATEWAY_PID")
rcli CONFIG RESETSTAT >/dev/null
c0=$(rcli INFO stats | tr -d '\r' | sed -n 's/^total_commands_processed://p')
sleep "$WINDOW"
a1=$(ticks "$API_PID") w1=$(ticks "$WORKER_PID") g1=$(ticks "$GATEWAY_PID")
c1=$(rcli INFO stats | tr -d '\r' | sed -n 's/^total_commands_processed://p')
pct() { awk -v t="$1" -v hz="$hz" -v w="$WINDOW" 'BEGIN {printf "%.2f", 100 * t / hz / w}'; }
echo "date=$(date -u +%Y-%m-%dT%H:%M:%SZ) machine=$(nproc)-core load=$(cut -d' ' -f1-3 /proc/loadavg | tr ' ' '/')"
echo "armed_sales=$armed live=$LIVE window_s=$WINDOW"
echo "api_cpu_pct_of_one_core=$(pct $((a1 - a0)))"
echo "worker_cpu_pct_of_one_core=$(pct $((w1 - w0)))"
echo "gateway_cpu_pct_of_one_core=$(pct $((g1 - g0)))"
echo "redis_commands_per_s=$(awk -v c=$((c1 - c0 - 1)) -v w="$WINDOW" 'BEGIN {printf "%.1f", c / w}')"
echo "redis commands by kind (calls in the window):"
rcli INFO commandstats | tr -d '\r' | sed -n 's/^cmdstat_\([a-z|]*\):calls=\([0-9]*\).*/  \1 \2/p' | sort -k2 -nr | head -12
