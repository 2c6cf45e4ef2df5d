#!/usr/bin/env bash
# The web app, tested: Vitest component/unit tests, then end-to-end scenarios in headless Debian
# Chromium (driven by playwright-core, no browser download) against the real stack started here:
# nginx serving web/dist and proxying /api and /ws, flash-sale-api, order-worker and queue-gateway
# on their own ports (E2E_PORT_BASE, default 18400..18403), the email path (ElasticMQ +4, GreenMail's
# SMTP +5 and REST API +6, the email function: the verification scenario opens the link from the real
# email) and with the test
# stores of its own, fresh every run: database MIAOSHA_E2E_DB (default miaosha_e2e), Redis DB
# MIAOSHA_E2E_REDIS_DB (default 13) and vhost MIAOSHA_E2E_VHOST (default miaosha-e2e).
# Stops only what it started. E2E_SCRIPT runs another script of web/e2e against the same stack
# instead of the scenarios (loadtest/bench-seatmap.sh).
set -euo pipefail
source "$(dirname "$0")/../lib/env.sh"
source "$ROOT/scripts/lib/nginx.sh"
source "$ROOT/scripts/lib/web.sh"
source "$ROOT/scripts/lib/stack.sh"
source "$ROOT/scripts/lib/lifecycle.sh"

BASE="${E2E_PORT_BASE:-18400}"
EDGE_PORT=$BASE API_PORT=$((BASE + 1)) WORKER_PORT=$((BASE + 2)) GATEWAY_PORT=$((BASE + 3))
SQS_PORT=$((BASE + 4)) SMTP_PORT=$((BASE + 5)) MAIL_API_PORT=$((BASE + 6))
QUEUE_URL="http://127.0.0.1:$SQS_PORT/000000000000/miaosha-email"
# Fresh stores of its own: the scenarios look for the sales they create in the storefront's
# listing, which other suites' leftover sales would otherwise crowd out.
DB="${MIAOSHA_E2E_DB:-miaosha_e2e}"
REDIS_DB="${MIAOSHA_E2E_REDIS_DB:-13}"
# A virtual host of its own: hold timers the run leaves behind must never reach the worker's tests.
VHOST="${MIAOSHA_E2E_VHOST:-miaosha-e2e}"

for module in flash-sale-api order-worker queue-gateway; do service_command "$module"; done   # dies when one is not packaged
require_lifecycle_artifacts   # the email function's jar, ElasticMQ and GreenMail
for port in $EDGE_PORT $API_PORT $WORKER_PORT $GATEWAY_PORT $SQS_PORT $SMTP_PORT $MAIL_API_PORT; do
  port_open "$port" && die "port $port is in use; set E2E_PORT_BASE to a free range of seven ports"
done
ensure_servers
ensure_nginx
[ -x /usr/bin/chromium ] || apt_install chromium
fresh_stores db="$DB" redis="$REDIS_DB" vhost="$VHOST"

build_web
log "web: unit and component tests (vitest)"
(cd "$ROOT/web" && npx vitest run --reporter=dot)

WORK="$(mktemp -d)"
ARTIFACTS="$ROOT/web/e2e-artifacts"
rm -rf "$ARTIFACTS"
mkdir -p "$ARTIFACTS"
PIDS=()
cleanup() {
  stop_edge "$WORK/edge"
  if [ "${#PIDS[@]}" -gt 0 ]; then
    kill "${PIDS[@]}" 2>/dev/null || true
    wait "${PIDS[@]}" 2>/dev/null || true
  fi
  if [ "${#LIFECYCLE_PIDS[@]}" -gt 0 ]; then
    kill "${LIFECYCLE_PIDS[@]}" 2>/dev/null || true
    wait "${LIFECYCLE_PIDS[@]}" 2>/dev/null || true
  fi
  if [ -f "$WORK/gateway.pid" ]; then bash "$WORK/gateway.sh" stop; fi
  cp "$WORK"/*.log "$ARTIFACTS/" 2>/dev/null || true
  cp "$WORK/edge/access.log" "$ARTIFACTS/edge-access.log" 2>/dev/null || true
  cp "$WORK/edge/error.log" "$ARTIFACTS/edge-error.log" 2>/dev/null || true
  rm -rf "$WORK"
}
trap cleanup EXIT

local_secrets "$WORK/secrets"
STORES=(MIAOSHA_DB_NAME="$DB" MIAOSHA_REDIS_URL="redis://127.0.0.1:6379/$REDIS_DB" RABBITMQ_VIRTUAL_HOST="$VHOST")
JVM=(-Xmx384m -XX:TieredStopAtLevel=1)
start_jar() { # MODULE PORT [VAR=VALUE...]
  local name=$1 port=$2; shift 2
  SERVICE_DIR="$WORK" start_service "$name" "$port" "$WORK/$name.log" "${STORES[@]}" "$@" -- "${JVM[@]}"
  PIDS+=("$SERVICE_PID")
}

log "web: starting the stack for the browser tests (edge on $EDGE_PORT)"
start_elasticmq "$SQS_PORT" "$WORK/elasticmq.log"
start_greenmail "$SMTP_PORT" "$MAIL_API_PORT" "$WORK/greenmail.log"
wait_port "$SQS_PORT" ElasticMQ
wait_port "$MAIL_API_PORT" GreenMail
# ElasticMQ and its static keys, named: the worker's production profile defaults to AWS and the instance role.
MAIL=(MIAOSHA_SQS_ENDPOINT="http://127.0.0.1:$SQS_PORT" MIAOSHA_SQS_CREDENTIALS=static MIAOSHA_EMAIL_QUEUE_URL="$QUEUE_URL")
# The demo seed gives the E2E its admin account (admin@test.com), as in the local run.
# The verification email's link opens the storefront as the browser reaches it: the edge.
start_jar flash-sale-api "$API_PORT" QUARKUS_PROFILE=dev MIAOSHA_DEMO_ENABLED=true "${MAIL[@]}" \
  MIAOSHA_STOREFRONT_URL="http://127.0.0.1:$EDGE_PORT"
wait_ready flash-sale-api "$API_PORT" "$WORK/flash-sale-api.log"
start_jar order-worker "$WORKER_PORT" "${MAIL[@]}"
start_email_source "$QUEUE_URL" "$SMTP_PORT" "$WORK/email-function.log"
# The gateway runs from a small control script so that a browser scenario can kill -9 it and
# start it again (the network lost and back); its PID lives in gateway.pid, which cleanup reads.
service_command queue-gateway "${JVM[@]}"
cat >"$WORK/gateway.sh" <<CONTROL
#!/usr/bin/env bash
case "\$1" in
  kill) kill -9 "\$(cat "$WORK/gateway.pid")" 2>/dev/null || true ;;
  stop) kill "\$(cat "$WORK/gateway.pid")" 2>/dev/null || true ;;
  start)
    (cd "$WORK" && exec env PORT="$GATEWAY_PORT" ${STORES[*]} ${SERVICE_COMMAND[*]}) >>"$WORK/queue-gateway.log" 2>&1 &
    echo "\$!" >"$WORK/gateway.pid" ;;
esac
CONTROL
bash "$WORK/gateway.sh" start
wait_ready queue-gateway "$GATEWAY_PORT" "$WORK/queue-gateway.log"
wait_ready order-worker "$WORKER_PORT" "$WORK/order-worker.log"
start_edge "$WORK/edge" "$EDGE_PORT" "$API_PORT" "$GATEWAY_PORT" "$ROOT/web/dist"

log "web: end-to-end scenarios in headless Chromium"
(cd "$ROOT/web" && E2E_EDGE_PORT="$EDGE_PORT" E2E_API_PORT="$API_PORT" E2E_GATEWAY=present E2E_GATEWAY_PORT="$GATEWAY_PORT" E2E_GATEWAY_CONTROL="$WORK/gateway.sh" E2E_ARTIFACTS="$ARTIFACTS" E2E_ONLY="${E2E_ONLY:-}" E2E_MAIL_API_PORT="$MAIL_API_PORT" \
  MIAOSHA_TEST_DB="$DB" MIAOSHA_TEST_REDIS_DB="$REDIS_DB" node "${E2E_SCRIPT:-e2e/run.mjs}")
