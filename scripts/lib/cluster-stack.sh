# The whole system on the clustered topology (scripts/lib/cluster.sh): the Redis Cluster, the
# MariaDB primary + GTID replica and the 3-node RabbitMQ cluster, then two instances each of
# flash-sale-api, queue-gateway and order-worker configured for them (cluster_env, quorum order
# queues), the order lifecycle's local stand-ins (lifecycle.sh) and nginx balancing the instances:
# the hot purchase route (POST /api/sales/*/purchase) and the general API routes as two upstreams,
# like the load balancer's hot and general target groups, and the WebSockets across both gateways.
# Used by `scripts/run.sh --cluster` and by scripts/checks/70-cluster-system.sh.
#
# Source it after env.sh, nginx.sh, lifecycle.sh, stack.sh and cluster.sh, or run it as a command:
#   scripts/lib/cluster-stack.sh run [--no-build]    what `scripts/run.sh --cluster` runs
#   scripts/lib/cluster-stack.sh start STACK_DIR     start and leave running (CLUSTER_ATTACH of check 70)
#   scripts/lib/cluster-stack.sh stop STACK_DIR      stop a stack another shell started
#
# Functions:
#   cluster_stack_start STACK_DIR    start everything (topology in STACK_DIR/cluster, services' logs in
#                                    STACK_DIR/logs, nginx in STACK_DIR/edge); returns when all are ready
#   cluster_stack_stop STACK_DIR     stop every process cluster_stack_start started, services first,
#                                    and nothing else (each PID recorded with its start time)
#   cluster_stack_watch STACK_DIR    return when one of the stack's services has exited
#   stack_service_kill STACK_DIR NAME [SIGNAL]
#                                    signal one recorded service (KILL unless told), wait for it to exit
#   stack_service_restart STACK_DIR NAME [VAR=VALUE...]
#                                    start one service again (stopping it first if it runs) with the
#                                    command line, environment and directory it was started with, plus
#                                    the VAR=VALUE overrides; recorded like the others, so
#                                    cluster_stack_stop stops it; returns when it is ready
#
# Ports. Instance 1 of each service keeps the single-node run's port, so the README's flows work
# unchanged against it; instance 2 is 100 above; nginx (web app, /api, /ws) on STACK_WEB_PORT:
#   STACK_API_PORTS="8080 8180"  STACK_WORKER_PORTS="8081 8181"  STACK_GATEWAY_PORTS="8082 8182"
#   STACK_WEB_PORT=8000  SQS_PORT=9324  SMTP_PORT=3025  MAIL_API_PORT=8090
# STACK_PORTS_FROM_BASE=1 instead puts all of them under CLUSTER_PORT_BASE (API base+180/181, worker
# base+182/183, gateway base+184/185, nginx base+800, SQS base+324, SMTP base+325, mail API base+390),
# so a test's stack never meets a developer's run.
# Which API instances serve each upstream (numbers 1..2): STACK_HOT_APIS="1 2", STACK_GENERAL_APIS="1 2";
# e.g. STACK_HOT_APIS=1 STACK_GENERAL_APIS=2 gives each target group an instance of its own.
# STACK_RABBITMQ_PORT, when set, replaces RABBITMQ_PORT (a closed port proves the services use the
# address list).

STACK_INSTANCES="1 2"

stack_ports() {
  if [ -n "${STACK_PORTS_FROM_BASE:-}" ]; then
    local b=$CLUSTER_PORT_BASE
    STACK_API_PORTS="$((b + 180)) $((b + 181))"
    STACK_WORKER_PORTS="$((b + 182)) $((b + 183))"
    STACK_GATEWAY_PORTS="$((b + 184)) $((b + 185))"
    STACK_WEB_PORT=$((b + 800)) SQS_PORT=$((b + 324)) SMTP_PORT=$((b + 325)) MAIL_API_PORT=$((b + 390))
  fi
  STACK_API_PORTS="${STACK_API_PORTS:-8080 8180}"
  STACK_WORKER_PORTS="${STACK_WORKER_PORTS:-8081 8181}"
  STACK_GATEWAY_PORTS="${STACK_GATEWAY_PORTS:-8082 8182}"
  STACK_WEB_PORT="${STACK_WEB_PORT:-8000}"
  SQS_PORT="${SQS_PORT:-9324}" SMTP_PORT="${SMTP_PORT:-3025}" MAIL_API_PORT="${MAIL_API_PORT:-8090}"
  STACK_HOT_APIS="${STACK_HOT_APIS:-1 2}"
  STACK_GENERAL_APIS="${STACK_GENERAL_APIS:-1 2}"
}

# stack_port LIST N: the Nth port of a list of ports.
stack_port() { echo "$1" | tr ' ' '\n' | sed -n "${2}p"; }

stack_all_ports() {
  echo $STACK_API_PORTS $STACK_WORKER_PORTS $STACK_GATEWAY_PORTS $STACK_WEB_PORT $SQS_PORT $SMTP_PORT $MAIL_API_PORT
}

# The services' processes are recorded like the engines' (PID + start time), in STACK_DIR/services/pids.
stack_spawn() { # STACK_DIR NAME COMMAND...
  local dir=$1 name=$2
  shift 2
  CLUSTER_RUN_DIR="$dir/services" cluster_spawn "$name" "$dir/logs/$name.log" "$@"
}

# A process started by lifecycle.sh (a background child of this shell), recorded the same way.
stack_adopt() { # STACK_DIR NAME PID
  mkdir -p "$1/services/pids"
  echo "$3 $(proc_start_time "$3")" > "$1/services/pids/$2.pid"
}

# The services are spawned like the engines (recorded PID + start time), with stack.sh's command line.
stack_service() { # STACK_DIR NAME MODULE PORT ENV...
  local dir=$1 name=$2 module=$3 port=$4
  shift 4
  log "starting $name on port $port (log: $dir/logs/$name.log)"
  service_command "$module"
  stack_spawn "$dir" "$name" env PORT="$port" "$@" "${SERVICE_COMMAND[@]}"
}

stack_wait_ready() { # STACK_DIR NAME PORT [SECONDS]
  local dir=$1 name=$2 port=$3 pid
  pid="$(CLUSTER_RUN_DIR="$dir/services" cluster_pid "$name")" \
    || { tail -n 40 "$dir/logs/$name.log" >&2; die "$name exited at start (log: $dir/logs/$name.log)"; }
  wait_ready "$name" "$port" "$dir/logs/$name.log" "${4:-180}" "$pid"
}

# nginx: the edge's own template (docker/nginx/miaosha.conf.template, so its routes and rate limits are
# the single-node run's), with its hot upstream (the purchase route) listing the hot instances, its API
# upstream the general ones and its gateway upstream both gateways.
stack_render_edge() { # EDGE_DIR WEB_ROOT
  local edge=$1 web_root=$2 n hot="" general="" gateways=""
  for n in $STACK_HOT_APIS; do hot+="    server 127.0.0.1:$(stack_port "$STACK_API_PORTS" "$n");\n"; done
  for n in $STACK_GENERAL_APIS; do general+="    server 127.0.0.1:$(stack_port "$STACK_API_PORTS" "$n");\n"; done
  for n in $STACK_INSTANCES; do gateways+="    server 127.0.0.1:$(stack_port "$STACK_GATEWAY_PORTS" "$n");\n"; done
  render_template "$NGINX_TEMPLATES/miaosha.conf.template" EDGE_PORT="$STACK_WEB_PORT" API_HOT_UPSTREAM=@HOT_SERVERS@ \
    API_UPSTREAM=@GENERAL_SERVERS@ GATEWAY_UPSTREAM=@GATEWAY_SERVERS@ WEB_ROOT="$web_root" \
    | awk -v hot="$hot" -v general="$general" -v gateways="$gateways" '
        /server @HOT_SERVERS@;/ { printf "%s", hot; next }
        /server @GENERAL_SERVERS@;/ { printf "%s", general; next }
        /server @GATEWAY_SERVERS@;/ { printf "%s", gateways; next }
        { print }' > "$edge/miaosha.conf"
  [ "$(grep -c 'proxy_pass http://miaosha_api_hot;' "$edge/miaosha.conf")" = 1 ] \
    || die "could not route the purchase location to the hot upstream in $edge/miaosha.conf (did the edge template change?)"
  ! grep -v '^\s*#' "$edge/miaosha.conf" | grep -q '@[A-Z_]*_SERVERS@' || die "an upstream of $edge/miaosha.conf has no servers"
  # Beside the usual access log, upstream.log names the instance that answered each request.
  render_template "$NGINX_TEMPLATES/nginx-local.conf.template" RUN_DIR="$edge" RUN_USER="$(id -un)" \
    | sed -e "/^http {/a\\    log_format miaosha_upstream '\$uri \$upstream_addr \$status';\n    access_log $edge/upstream.log miaosha_upstream;" \
    > "$edge/nginx.conf"
  grep -q 'upstream.log miaosha_upstream' "$edge/nginx.conf" || die "could not add the upstream log to $edge/nginx.conf"
}

stack_start_edge() { # STACK_DIR
  local dir=$1 edge nginx
  ensure_nginx
  nginx="$(nginx_bin)"
  edge="$dir/edge"
  mkdir -p "$edge"
  stack_render_edge "$edge" "$ROOT/web/dist"
  "$nginx" -t -q -p "$edge" -e "$edge/error.log" -c "$edge/nginx.conf" || die "the rendered nginx configuration in $edge is invalid"
  log "starting nginx on port $STACK_WEB_PORT (hot upstream: API $STACK_HOT_APIS, general: API $STACK_GENERAL_APIS, /ws: both gateways)"
  stack_spawn "$dir" nginx "$nginx" -p "$edge" -e "$edge/error.log" -c "$edge/nginx.conf" -g 'daemon off;'
  wait_port "$STACK_WEB_PORT" nginx
}

cluster_stack_start() { # STACK_DIR
  local dir=$1 started n port name
  stack_ports
  for port in $(stack_all_ports); do
    port_open "$port" && die "port $port is already in use; stop what holds it or move the ports (see scripts/lib/cluster-stack.sh)"
  done
  for name in flash-sale-api order-worker queue-gateway; do service_command "$name"; done   # dies when one is not packaged
  require_lifecycle_artifacts
  mkdir -p "$dir"
  dir="$(cd "$dir" && pwd)"
  [ -n "$(ls -A "$dir/services/pids" 2>/dev/null)" ] && die "$dir/services/pids is not empty: a stack may still run there (cluster-stack.sh stop $dir)"
  rm -rf "$dir/logs" "$dir/services" "$dir/edge"
  mkdir -p "$dir/logs" "$dir/services/pids"
  started=$(date +%s.%N)

  cluster_start "$dir/cluster"
  eval "$(cluster_env "$dir/cluster")"
  [ -z "${STACK_RABBITMQ_PORT:-}" ] || export RABBITMQ_PORT="$STACK_RABBITMQ_PORT"
  # Quorum order queues: replicated on the three nodes, so a node's loss loses no order or timer.
  export MIAOSHA_QUEUE_TYPE=quorum
  # Twelve JVMs and nine engines on one machine: a new connection may take more than the 5 s default.
  export QUARKUS_DATASOURCE_JDBC_ACQUISITION_TIMEOUT=30S
  # The packaged services run in the production profile: fresh secrets when this checkout makes them
  # (scripts/lib/secrets.sh), otherwise the local arming key the single-node run uses.
  if declare -F local_secrets >/dev/null; then local_secrets "$dir/secrets"; fi
  export MIAOSHA_ARMING_KEY="${MIAOSHA_ARMING_KEY:-${LOCAL_ARMING_KEY:-local-dev-arming-key}}"
  LOCAL_ARMING_KEY="$MIAOSHA_ARMING_KEY"

  LIFECYCLE_PIDS=()
  start_elasticmq "$SQS_PORT" "$dir/logs/elasticmq.log"
  stack_adopt "$dir" elasticmq "${LIFECYCLE_PIDS[-1]}"
  start_greenmail "$SMTP_PORT" "$MAIL_API_PORT" "$dir/logs/greenmail.log"
  stack_adopt "$dir" greenmail "${LIFECYCLE_PIDS[-1]}"
  # ElasticMQ and its static keys, named: the worker's production profile defaults to AWS and the instance role.
  export MIAOSHA_SQS_ENDPOINT="http://127.0.0.1:$SQS_PORT" MIAOSHA_SQS_CREDENTIALS=static
  export MIAOSHA_EMAIL_QUEUE_URL="http://127.0.0.1:$SQS_PORT/000000000000/miaosha-email"

  # Instance 1 first and alone: it applies the migrations on the primary and seeds the demo data once.
  # The API in the dev profile, as the single-node run starts it: its test payment provider.
  stack_service "$dir" flash-sale-api-1 flash-sale-api "$(stack_port "$STACK_API_PORTS" 1)" \
    QUARKUS_PROFILE=dev MIAOSHA_DEMO_ENABLED=true MIAOSHA_ARMING_KEY="$MIAOSHA_ARMING_KEY" MIAOSHA_PURCHASE_DURABLE_REPLICAS=1
  stack_wait_ready "$dir" flash-sale-api-1 "$(stack_port "$STACK_API_PORTS" 1)"
  log "$(cluster_elapsed "$started") migrations applied on the primary, demo data seeded"
  # The others side by side, without Flyway (the migrations are applied; five JVMs booting on a busy
  # machine each opening a JDBC connection for nothing timed out waiting for it).
  stack_service "$dir" flash-sale-api-2 flash-sale-api "$(stack_port "$STACK_API_PORTS" 2)" \
    QUARKUS_PROFILE=dev MIAOSHA_DEMO_ENABLED=false MIAOSHA_ARMING_KEY="$MIAOSHA_ARMING_KEY" MIAOSHA_PURCHASE_DURABLE_REPLICAS=1 QUARKUS_FLYWAY_MIGRATE_AT_START=false
  for n in $STACK_INSTANCES; do
    stack_service "$dir" "order-worker-$n" order-worker "$(stack_port "$STACK_WORKER_PORTS" "$n")" \
      QUARKUS_FLYWAY_MIGRATE_AT_START=false
    # The checks' crowds all come from loopback and rejoin after every kill: no join limits, and a
    # small proof-of-work (each client still fetches and solves one per join).
    stack_service "$dir" "queue-gateway-$n" queue-gateway "$(stack_port "$STACK_GATEWAY_PORTS" "$n")" \
      MIAOSHA_QUEUE_INSTANCE_ID="gateway-$n" MIAOSHA_POW_JOINS_PER_ADDRESS=0 MIAOSHA_POW_JOINS_PER_ACCOUNT=0 \
      MIAOSHA_POW_BASE_MAX_NUMBER=1000 MIAOSHA_POW_CEILING_MAX_NUMBER=10000
  done
  wait_port "$SQS_PORT" ElasticMQ
  wait_port "$MAIL_API_PORT" GreenMail
  stack_wait_ready "$dir" flash-sale-api-2 "$(stack_port "$STACK_API_PORTS" 2)"
  for n in $STACK_INSTANCES; do
    stack_wait_ready "$dir" "order-worker-$n" "$(stack_port "$STACK_WORKER_PORTS" "$n")"
    stack_wait_ready "$dir" "queue-gateway-$n" "$(stack_port "$STACK_GATEWAY_PORTS" "$n")"
  done
  LIFECYCLE_PIDS=()
  start_email_source "$MIAOSHA_EMAIL_QUEUE_URL" "$SMTP_PORT" "$dir/logs/email-function.log"
  stack_adopt "$dir" email-function "${LIFECYCLE_PIDS[-1]}"
  start_scheduler "http://127.0.0.1:$(stack_port "$STACK_API_PORTS" 1)" "$dir/logs/scheduler.log"
  stack_adopt "$dir" scheduler "${LIFECYCLE_PIDS[-1]}"
  LIFECYCLE_PIDS=()
  stack_start_edge "$dir"
  stack_service_save_all "$dir"
  log "whole system up on the clustered topology in $(cluster_elapsed "$started")"
}

# --- one service killed and started again (the chaos scenarios) --------------------------------------
# What a service was started with is read from /proc while it runs (its command line, environment and
# working directory, NUL-separated) and kept in STACK_DIR/services/commands, once: a restart with
# overrides (say a fake clock) never becomes the command the next plain restart uses.

stack_service_save() { # STACK_DIR NAME
  local dir=$1 name=$2 pid saved
  saved="$dir/services/commands/$name"
  [ -f "$saved.cmdline" ] && return 0
  pid="$(CLUSTER_RUN_DIR="$dir/services" cluster_pid "$name")" || die "$name does not run: nothing to read its command line from"
  mkdir -p "$dir/services/commands"
  cat "/proc/$pid/environ" > "$saved.environ" && readlink "/proc/$pid/cwd" > "$saved.cwd" \
    && cat "/proc/$pid/cmdline" > "$saved.cmdline.tmp" && mv "$saved.cmdline.tmp" "$saved.cmdline" \
    || die "could not read the command line of $name (PID $pid)"
}

stack_service_save_all() { # STACK_DIR
  local file
  for file in "$1"/services/pids/*.pid; do
    [ -e "$file" ] || continue
    stack_service_save "$1" "$(basename "$file" .pid)"
  done
}

stack_service_kill() { # STACK_DIR NAME [SIGNAL]
  stack_service_save "$1" "$2"
  CLUSTER_RUN_DIR="$1/services" cluster_signal "$2" "${3:-KILL}" 30
}

stack_service_restart() { # STACK_DIR NAME [VAR=VALUE...]
  local dir=$1 name=$2 saved cmd=() envs=() port="" kv pid
  shift 2
  saved="$dir/services/commands/$name"
  if CLUSTER_RUN_DIR="$dir/services" cluster_pid "$name" >/dev/null; then
    stack_service_save "$dir" "$name"
    CLUSTER_RUN_DIR="$dir/services" cluster_signal "$name" TERM 30
  fi
  [ -f "$saved.cmdline" ] || die "no command line kept for $name in $dir/services/commands"
  mapfile -d '' cmd < "$saved.cmdline"
  mapfile -d '' envs < "$saved.environ"
  case $name in flash-sale-api-* | order-worker-* | queue-gateway-*)
    for kv in "${envs[@]}" "$@"; do [[ "$kv" == PORT=* ]] && port=${kv#PORT=}; done ;;
  esac
  log "restarting $name${*:+ with $*}"
  CLUSTER_RUN_DIR="$dir/services" cluster_spawn "$name" "$dir/logs/$name.log" \
    env -i -C "$(cat "$saved.cwd")" "${envs[@]}" "$@" "${cmd[@]}"
  if [ -n "$port" ]; then
    stack_wait_ready "$dir" "$name" "$port"
  else
    # a stand-in without a health endpoint (the email function, the scheduler): alive after a moment
    sleep 2
    pid="$(CLUSTER_RUN_DIR="$dir/services" cluster_pid "$name")" \
      || { tail -n 20 "$dir/logs/$name.log" >&2; die "$name exited right after its restart"; }
  fi
}

# cluster_stack_attach STACK_DIR: the environment cluster_stack_start left in its shell (ports, engines'
# addresses, secrets), for another shell that works against the running stack.
cluster_stack_attach() { # STACK_DIR
  local dir=$1
  [ -n "$(ls -A "$dir/services/pids" 2>/dev/null)" ] || die "no stack runs in $dir (scripts/lib/cluster-stack.sh start $dir)"
  stack_ports
  export CLUSTER_RUN_DIR="$dir/cluster" CLUSTER_PORT_BASE
  eval "$(cluster_env "$dir/cluster")"
  # shellcheck source=/dev/null
  [ ! -f "$dir/secrets/env" ] || source "$dir/secrets/env"
  # ElasticMQ and its static keys, named: the worker's production profile defaults to AWS and the instance role.
  export MIAOSHA_SQS_ENDPOINT="http://127.0.0.1:$SQS_PORT" MIAOSHA_SQS_CREDENTIALS=static
  export MIAOSHA_EMAIL_QUEUE_URL="http://127.0.0.1:$SQS_PORT/000000000000/miaosha-email"
}

cluster_stack_stop() { # STACK_DIR
  local dir=$1 file name
  [ -d "$dir" ] || return 0
  if [ -d "$dir/services/pids" ]; then
    # nginx first (no new requests), then the services, then the engines under them.
    CLUSTER_RUN_DIR="$dir/services" cluster_signal nginx QUIT 10
    for file in "$dir"/services/pids/*.pid; do
      [ -e "$file" ] || continue
      name="$(basename "$file" .pid)"
      CLUSTER_RUN_DIR="$dir/services" cluster_signal "$name" TERM 30 &
    done
    wait
  fi
  cluster_stop "$dir/cluster"
}

cluster_stack_watch() { # STACK_DIR
  local dir=$1 file name
  while sleep 2; do
    for file in "$dir"/services/pids/*.pid; do
      [ -e "$file" ] || continue
      name="$(basename "$file" .pid)"
      CLUSTER_RUN_DIR="$dir/services" cluster_pid "$name" >/dev/null || { log "$name exited (logs: $dir/logs/$name.log)"; return 0; }
    done
  done
}

cluster_stack_info() { # STACK_DIR
  local dir=$1
  cat <<INFO

  Miaosha is running on the clustered topology.

  Shop and admin   http://localhost:$STACK_WEB_PORT   (nginx: purchase -> API $STACK_HOT_APIS, other /api -> API $STACK_GENERAL_APIS, /ws -> both gateways)
  API instances    http://localhost:$(stack_port "$STACK_API_PORTS" 1)/api/sales   http://localhost:$(stack_port "$STACK_API_PORTS" 2)/api/sales
  Gateways         ws://localhost:$(stack_port "$STACK_GATEWAY_PORTS" 1)/ws/sales/1/queue   ws://localhost:$(stack_port "$STACK_GATEWAY_PORTS" 2)/ws/sales/1/queue
  Workers          http://localhost:$(stack_port "$STACK_WORKER_PORTS" 1)/q/health   http://localhost:$(stack_port "$STACK_WORKER_PORTS" 2)/q/health
  Redis Cluster    redis-cli -c -p $((CLUSTER_PORT_BASE + 1))   (nodes $((CLUSTER_PORT_BASE + 1))-$((CLUSTER_PORT_BASE + 6)))
  MariaDB          primary 127.0.0.1:$(cluster_db_port primary), replica 127.0.0.1:$(cluster_db_port replica)  (user $CLUSTER_DB_USER / $CLUSTER_DB_PASSWORD, database miaosha)
  RabbitMQ         $(cluster_rabbit_addresses)  (vhost miaosha, quorum queues)
  Status           scripts/lib/cluster.sh status $dir/cluster
  Mail (SMTP)      http://localhost:$MAIL_API_PORT/api/user/<email>/messages/
  Logs             $dir/logs/  (engines: $dir/cluster/)

  Demo shopper demo@test.com / demodemo, demo admin admin@test.com / adminadmin; the README's flows
  work unchanged against instance 1's ports or through nginx.

  Ctrl-C stops everything this command started.

INFO
}

if [ "${BASH_SOURCE[0]}" = "$0" ]; then
  set -euo pipefail
  source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
  source "$ROOT/scripts/lib/nginx.sh"
  source "$ROOT/scripts/lib/web.sh"
  source "$ROOT/scripts/lib/lifecycle.sh"
  source "$ROOT/scripts/lib/stack.sh"
  source "$ROOT/scripts/lib/cluster.sh"
  command=${1:-}
  [ $# -gt 0 ] && shift
  case "$command" in
    run)
      STACK_DIR="${STACK_DIR:-$ROOT/run/cluster-stack}"
      if [ "${1:-}" = "--no-build" ]; then
        log "skipping the build (--no-build)"
      else
        log "building (the first run downloads dependencies; later runs take a few minutes)"
        mvnw -q package -DskipTests
        build_web
      fi
      [ -f "$ROOT/web/dist/index.html" ] || build_web
      stopping() { trap - INT TERM EXIT; cluster_stack_stop "$STACK_DIR"; exit 0; }
      trap stopping INT TERM EXIT
      cluster_stack_start "$STACK_DIR"
      cluster_stack_info "$STACK_DIR"
      cluster_stack_watch "$STACK_DIR"
      ;;
    start)
      # Started and left running (every process is detached): for working on a cluster scenario with
      # CLUSTER_ATTACH (scripts/checks/cluster/README.md). Needs the modules packaged.
      [ $# -ge 1 ] || die "usage: scripts/lib/cluster-stack.sh start STACK_DIR"
      cluster_stack_start "$1"
      cluster_stack_info "$1"
      ;;
    stop) cluster_stack_stop "${1:-${STACK_DIR:-$ROOT/run/cluster-stack}}" ;;
    *) die "usage: scripts/lib/cluster-stack.sh run [--no-build] | start STACK_DIR | stop [STACK_DIR]" ;;
  esac
fi
