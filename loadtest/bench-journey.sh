#!/usr/bin/env bash
# Shopper-journey scenario benchmark (not a test; issue 15): SHOPPERS virtual shoppers (Gatling, Java
# DSL, loadtest/gatling) each join a queued sale's waiting room over WebSocket on queue-gateway, wait
# for the admitted frame, buy one unit with the admission token on flash-sale-api and pay with the test
# card. Gatling's console progress (every 5 s) is the live display; its HTML report (charts of time
# to admission, purchase, payment and the whole journey) is copied to loadtest/results/journey/report
# beside summary.md (settings, outcomes, each entry's percentiles).
# Usage: loadtest/bench-journey.sh   (SHOPPERS=300 RAMP=20 STOCK=300 CAPACITY=50; REBUILD=1 repackages)
# Starts its own redis-server (port 18590), flash-sale-api, queue-gateway and order-worker (18680-18682)
# on database miaosha_bench_journey and vhost miaosha-bench-journey; stops only what it started.
set -euo pipefail
source "$(dirname "$0")/../scripts/lib/env.sh"
source "$ROOT/scripts/lib/stack.sh"

SHOPPERS=${SHOPPERS:-300}
RAMP=${RAMP:-20}
STOCK=${STOCK:-$SHOPPERS}
CAPACITY=${CAPACITY:-50}
REDIS_PORT=${JOURNEY_REDIS_PORT:-18590}
PORT=${PORT:-18680}
API_PORT=$PORT GATEWAY_PORT=$((PORT + 1)) WORKER_PORT=$((PORT + 2))
DBNAME=miaosha_bench_journey
VHOST=miaosha-bench-journey
WORK="$ROOT/loadtest/target/journey"
RESULTS="$ROOT/loadtest/results/journey"
rm -rf "$WORK" && mkdir -p "$WORK/redis" "$RESULTS"
local_secrets "$WORK/secrets"
ensure_servers
if [ "${REBUILD:-0}" = 1 ] || [ ! -d "$ROOT/test-support/target/classes/io" ] \
   || ! { [ -f "$(service_jar flash-sale-api)" ] && [ -f "$(service_jar queue-gateway)" ] && [ -f "$(service_jar order-worker)" ]; }; then
  mvnw -q package -DskipTests -pl test-support,flash-sale-api,order-worker,queue-gateway -am
fi
fresh_stores db=$DBNAME vhost=$VHOST
# The run starts copies of the packaged services, so a build in this tree meanwhile cannot pull the
# jars from under them.
for module in flash-sale-api queue-gateway order-worker; do
  mkdir -p "$WORK/apps/$module" && cp -r "$ROOT/$module/target/quarkus-app" "$WORK/apps/$module/"
done
service_jar() { echo "$WORK/apps/$1/quarkus-app/quarkus-run.jar"; }

PIDS=()
cleanup() {
  [ "${#PIDS[@]}" -eq 0 ] && return
  kill "${PIDS[@]}" 2>/dev/null || true
  local i pid alive
  for i in $(seq 1 40); do
    alive=()
    for pid in "${PIDS[@]}"; do kill -0 "$pid" 2>/dev/null && alive+=("$pid"); done
    [ "${#alive[@]}" -eq 0 ] && break
    sleep 0.25
  done
  # A JVM whose start failed half-way may ignore TERM.
  [ "${#alive[@]}" -eq 0 ] || kill -9 "${alive[@]}" 2>/dev/null || true
  wait 2>/dev/null || true
}
trap cleanup EXIT
redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --dir "$WORK/redis" --save '' --appendonly no --daemonize no >"$WORK/redis.log" 2>&1 &
PIDS+=("$!")
for i in $(seq 1 40); do redis-cli -p "$REDIS_PORT" ping >/dev/null 2>&1 && break; sleep 0.25; done

DB=(-Dquarkus.datasource.jdbc.url=jdbc:mariadb://127.0.0.1:3306/$DBNAME
  -Dquarkus.datasource.reactive.url=mysql://127.0.0.1:3306/$DBNAME
  -Dquarkus.datasource.read.reactive.url=mysql://127.0.0.1:3306/$DBNAME
  -Drabbitmq-virtual-host=$VHOST -Dquarkus.redis.hosts=redis://127.0.0.1:$REDIS_PORT)
start_service flash-sale-api "$API_PORT" "$WORK/api.log" -- -Xmx512m "${DB[@]}" -Dquarkus.http.port="$API_PORT" -Dquarkus.profile=dev
PIDS+=("$SERVICE_PID"); API_PID=$SERVICE_PID
start_service queue-gateway "$GATEWAY_PORT" "$WORK/gateway.log" -- -Xmx256m -Dquarkus.redis.hosts=redis://127.0.0.1:$REDIS_PORT -Dquarkus.http.port="$GATEWAY_PORT"
PIDS+=("$SERVICE_PID"); GATEWAY_PID=$SERVICE_PID
wait_ready flash-sale-api "$API_PORT" "$WORK/api.log" 180 "$API_PID"
# The API has migrated the schema by now.
# No ElasticMQ here: the confirmation emails of the payments fail at a closed local port (NO_EMAIL_QUEUE).
start_service order-worker "$WORKER_PORT" "$WORK/worker.log" "${NO_EMAIL_QUEUE[@]}" -- -Xmx256m "${DB[@]}" -Dquarkus.http.port="$WORKER_PORT" -Dquarkus.flyway.migrate-at-start=false
PIDS+=("$SERVICE_PID"); WORKER_PID=$SERVICE_PID
wait_ready queue-gateway "$GATEWAY_PORT" "$WORK/gateway.log" 180 "$GATEWAY_PID"
wait_ready order-worker "$WORKER_PORT" "$WORK/worker.log" 180 "$WORKER_PID"

log "creating $SHOPPERS shoppers and a queued live sale (stock $STOCK, $CAPACITY inside at a time) and arming it"
mariadb -uroot $DBNAME <<SQL
INSERT INTO products (sku, name) VALUES ('journey', 'Journey item');
INSERT INTO sales (product_id, title, price_minor, currency, stock, opens_at, closes_at, per_user_limit, queue_capacity, window_seconds, hold_seconds, queue_enabled)
VALUES (1, 'journey', 100, 'EUR', $STOCK, UTC_TIMESTAMP() - INTERVAL 1 MINUTE, UTC_TIMESTAMP() + INTERVAL 1 DAY, 1, $CAPACITY, 600, 600, TRUE);
INSERT INTO users (email, password_hash, role, created_at)
SELECT CONCAT('journey', seq, '@test.com'), 'x', 'shopper', UTC_TIMESTAMP() FROM seq_1_to_${SHOPPERS};
SQL
curl -fsS -o /dev/null -XPOST "http://127.0.0.1:$API_PORT/api/internal/arming/sales/1" -H "X-Miaosha-Arming-Key: $MIAOSHA_ARMING_KEY"
[ "$(redis-cli -p "$REDIS_PORT" HGET '{sale:1}:meta' queue)" = 1 ] || die "sale 1 is not armed with its waiting room"

FEEDER="$WORK/shoppers.csv"
mariadb -uroot -N $DBNAME -e "SELECT id, email FROM users ORDER BY id" >"$WORK/users.txt"
mint_tokens "$SMALLRYE_JWT_SIGN_KEY_LOCATION" --for 86400 <"$WORK/users.txt" >"$WORK/tokens.txt"
{ echo "userId,token"; paste -d, <(cut -f1 "$WORK/users.txt") "$WORK/tokens.txt"; } >"$FEEDER"

load_before=$(cut -d' ' -f1-3 /proc/loadavg | tr ' ' '/')
log "running Gatling: $SHOPPERS shoppers over ${RAMP}s (load average $load_before)"
started=$(date -u +%Y-%m-%dT%H:%M:%SZ)
gatling_rc=0
mvnw -f loadtest/gatling/pom.xml test-compile gatling:test \
  -Djourney.api="http://127.0.0.1:$API_PORT" -Djourney.ws="ws://127.0.0.1:$GATEWAY_PORT" -Djourney.saleId=1 \
  -Djourney.feeder="$FEEDER" -Djourney.shoppers="$SHOPPERS" -Djourney.rampSeconds="$RAMP" \
  -Djourney.summary="$WORK/outcomes.txt" 2>&1 | tee "$WORK/gatling.txt" || gatling_rc=$?
load_after=$(cut -d' ' -f1-3 /proc/loadavg | tr ' ' '/')

report=$(ls -dt "$ROOT"/loadtest/gatling/target/gatling/shopperjourney-* 2>/dev/null | head -n1)
[ -n "$report" ] && [ -f "$report/index.html" ] || die "Gatling wrote no report (exit $gatling_rc; output in $WORK/gatling.txt)"
# The order pipeline finishes behind the shoppers: wait (up to a minute) for every hold's MySQL row
# and every payment's PAID there.
holds=$(redis-cli -p "$REDIS_PORT" HLEN '{sale:1}:holds')
completed=$(sed -n 's/^journeys_completed=//p' "$WORK/outcomes.txt" 2>/dev/null || true)
for i in $(seq 1 120); do
  read -r rows paid_rows < <(mariadb -uroot -N $DBNAME -e "SELECT COUNT(*), COALESCE(SUM(status = 'PAID'), 0) FROM orders WHERE sale_id = 1")
  [ "$rows" -ge "$holds" ] && [ "$paid_rows" -ge "${completed:-0}" ] && break
  sleep 0.5
done
# The report without its raw log (the charts need only the HTML and js/stats.js) is kept in
# loadtest/results/journey/report, beside a summary: the settings, outcomes and each entry's percentiles.
rm -rf "$RESULTS/report" && cp -r "$report" "$RESULTS/report" && rm -f "$RESULTS/report/simulation.log"
{
  echo "# Shopper journey, $started"
  echo
  echo "\`SHOPPERS=$SHOPPERS RAMP=$RAMP STOCK=$STOCK CAPACITY=$CAPACITY loadtest/bench-journey.sh\` on a $(nproc)-core machine,"
  echo "load average $load_before before, $load_after after. [HTML report](report/index.html)."
  echo
  echo '```'
  cat "$WORK/outcomes.txt" 2>/dev/null || echo "no outcomes (Gatling exit $gatling_rc)"
  echo "units_left=$(redis-cli -p "$REDIS_PORT" GET '{sale:1}:stock') holds=$holds order_rows=$rows paid_rows=$paid_rows gatling_exit=$gatling_rc"
  echo '```'
  echo
  awk -f "$ROOT/loadtest/gatling/stats-table.awk" "$report/js/stats.js"
} >"$RESULTS/summary.md"
cat "$RESULTS/summary.md"
log "HTML report: ${RESULTS#"$ROOT/"}/report/index.html (summary: ${RESULTS#"$ROOT/"}/summary.md)"
exit "$gatling_rc"
