#!/usr/bin/env bash
# The run command: installs/starts Redis, MariaDB and RabbitMQ when needed, builds every module,
# starts the services (flash-sale-api applies the migrations and seeds the demo data), prints what
# to open, and on Ctrl-C stops what it started and nothing else.
set -euo pipefail
source "$(dirname "$0")/lib/env.sh"
# --cluster: the same system on the clustered engines, two instances of each service (scripts/lib/cluster-stack.sh).
if [ "${1:-}" = "--cluster" ]; then shift; exec bash "$ROOT/scripts/lib/cluster-stack.sh" run "$@"; fi
source "$ROOT/scripts/lib/nginx.sh"
source "$ROOT/scripts/lib/web.sh"
source "$ROOT/scripts/lib/stack.sh"

RUN_DIR="$ROOT/run"
LOG_DIR="$RUN_DIR/logs"
API_PORT="${API_PORT:-8080}"
WORKER_PORT="${WORKER_PORT:-8081}"
QUEUE_PORT="${QUEUE_PORT:-8082}"
WEB_PORT="${WEB_PORT:-8000}"
mkdir -p "$LOG_DIR"

PIDS=()
stop_all() {
  trap - INT TERM EXIT
  if [ -n "${EDGE_STARTED:-}" ]; then stop_edge "$RUN_DIR/edge"; fi
  if [ "${#PIDS[@]}" -gt 0 ]; then
    log "stopping ${#PIDS[@]} process(es) this command started"
    kill "${PIDS[@]}" 2>/dev/null || true
    wait "${PIDS[@]}" 2>/dev/null || true
  fi
  exit 0
}
trap stop_all INT TERM EXIT

for port in "$API_PORT" "$WORKER_PORT" "$QUEUE_PORT" "$WEB_PORT"; do
  port_open "$port" && die "port $port is already in use; stop what holds it or set API_PORT / WORKER_PORT / QUEUE_PORT / WEB_PORT"
done

ensure_servers
if [ "${1:-}" = "--no-build" ]; then
  log "skipping the build (--no-build)"
else
  log "building (the first run downloads dependencies; later runs take about a minute)"
  mvnw -q install -DskipTests
  build_web
fi
[ -f "$ROOT/web/dist/index.html" ] || build_web

# run_service MODULE PORT [VAR=VALUE...]: started in the background, logged to run/logs/MODULE.log.
run_service() {
  local name=$1 port=$2; shift 2
  log "starting $name on port $port (log: run/logs/$name.log)"
  start_service "$name" "$port" "$LOG_DIR/$name.log" "$@"
  PIDS+=("$SERVICE_PID")
  wait_ready "$name" "$port" "$LOG_DIR/$name.log" 60 "$SERVICE_PID"
}

# Fresh session key pair and shared secrets for this run: the packaged services refuse the committed ones.
local_secrets "$RUN_DIR/secrets"
log "fresh secrets for this run in run/secrets (source run/secrets/env to mint tokens or arm by hand)"

# --- order lifecycle: ElasticMQ (SQS), GreenMail (SMTP) and the functions behind local event sources ---
source "$ROOT/scripts/lib/lifecycle.sh"
SQS_PORT="${SQS_PORT:-9324}" SMTP_PORT="${SMTP_PORT:-3025}" MAIL_API_PORT="${MAIL_API_PORT:-8090}"
for port in "$SQS_PORT" "$SMTP_PORT" "$MAIL_API_PORT"; do
  port_open "$port" && die "port $port is already in use; stop what holds it or set SQS_PORT / SMTP_PORT / MAIL_API_PORT"
done
require_lifecycle_artifacts
start_elasticmq "$SQS_PORT" "$LOG_DIR/elasticmq.log"
start_greenmail "$SMTP_PORT" "$MAIL_API_PORT" "$LOG_DIR/greenmail.log"
PIDS+=("${LIFECYCLE_PIDS[@]}")
wait_port "$SQS_PORT" ElasticMQ
wait_port "$MAIL_API_PORT" GreenMail
# ElasticMQ and its static keys, named: the worker runs in the production profile, whose defaults are
# AWS's endpoint and the instance role.
export MIAOSHA_SQS_ENDPOINT="http://127.0.0.1:$SQS_PORT" MIAOSHA_SQS_CREDENTIALS=static
export MIAOSHA_EMAIL_QUEUE_URL="http://127.0.0.1:$SQS_PORT/000000000000/miaosha-email"
# --- end of the order lifecycle block ---

# The dev profile: its test payment provider, which a production start refuses.
# The verification emails link to the storefront as shoppers reach it: nginx on WEB_PORT.
run_service flash-sale-api "$API_PORT" QUARKUS_PROFILE=dev MIAOSHA_DEMO_ENABLED=true MIAOSHA_STOREFRONT_URL="http://localhost:$WEB_PORT"
run_service order-worker "$WORKER_PORT"
# The waiting room (queue-gateway): WebSockets on /ws/sales/{id}/queue.
run_service queue-gateway "$QUEUE_PORT"
LIFECYCLE_PIDS=()
start_email_source "$MIAOSHA_EMAIL_QUEUE_URL" "$SMTP_PORT" "$LOG_DIR/email-function.log"
start_scheduler "http://127.0.0.1:$API_PORT" "$LOG_DIR/scheduler.log"
PIDS+=("${LIFECYCLE_PIDS[@]}")

# --- web: nginx serves web/dist and proxies /api and /ws, same origin, like the load balancer ---
log "starting nginx on port $WEB_PORT (web app, /api -> $API_PORT, /ws -> $QUEUE_PORT; logs: run/edge/)"
start_edge "$RUN_DIR/edge" "$WEB_PORT" "$API_PORT" "$QUEUE_PORT" "$ROOT/web/dist"
EDGE_STARTED=1

cat <<INFO

  Miaosha is running.

  Shop and admin http://localhost:$WEB_PORT
  API            http://localhost:$API_PORT/api/sales
  OpenAPI        http://localhost:$API_PORT/q/openapi
  Health         http://localhost:$API_PORT/q/health   (worker: http://localhost:$WORKER_PORT/q/health)
  Metrics        http://localhost:$API_PORT/q/metrics
  Waiting room   ws://localhost:$QUEUE_PORT/ws/sales/1/queue   (java loadtest/queue/WaitingRoomClient.java demo@test.com demodemo 1 --buy)
  Mail (SMTP)    read what was sent: http://localhost:$MAIL_API_PORT/api/user/<email>/messages/
                 e.g. curl -s localhost:$MAIL_API_PORT/api/user/demo@test.com/messages/ | jq -r '.[].subject'
  SQS (ElasticMQ) http://localhost:$SQS_PORT  (queues miaosha-email, miaosha-email-dlq)
  Logs           $LOG_DIR/

  Demo shopper   demo@test.com / demodemo
  Demo admin     admin@test.com / adminadmin
  The demo sale opens about two minutes after start; see README "Buy with curl" and "Pay and read the mail".
  Test cards: 4242424242424242 pays, 4000000000000002 is declined.

  Ctrl-C stops the services this command started.

INFO

wait -n "${PIDS[@]}" || true
log "a service exited; see $LOG_DIR"
