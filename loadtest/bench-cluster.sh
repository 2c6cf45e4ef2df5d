#!/usr/bin/env bash
# Clustered-topology benchmark (not a test), one run, in this order:
#   single   the single-node reference: loadtest/bench-purchase.sh (one API, one worker, the machine's
#            Redis, MariaDB and RabbitMQ) with PURCHASE_ONLY=1, the same wrk settings, before the cluster
#            starts (so the two never share the machine)
#   cluster  on the clustered topology (scripts/lib/cluster-stack.sh: Redis Cluster of 3+3, MariaDB
#            primary + replica, 3 RabbitMQ nodes with quorum queues, 2 APIs / 2 workers / 2 gateways),
#            purchase attempts through nginx (both API instances behind the hot upstream) rotating over
#            1, 3 (one per Redis master) and 12 sales at once
#   isolation (invariant 7) log-in and catalog latency on the general upstream, idle and under a purchase
#            storm on the hot upstream, twice: split (hot upstream = API 1 pinned to core 0 with the storm's
#            wrk, general upstream = API 2 pinned to core 1) and shared (both upstreams on both instances,
#            nothing pinned)
# The benchmark's two edges are the stack's nginx configuration with other ports and upstreams and the
# per-address rate limits taken out (all load comes from 127.0.0.1). Between the points the order
# backlog is left to drain (at most DRAIN_SECONDS), so one point's relay work does not land in the next.
#
# Usage: loadtest/bench-cluster.sh [duration per point, default 15s]
#   BENCH_CLUSTER_ATTACH=DIR  use a stack already started in DIR (scripts/lib/cluster-stack.sh start DIR,
#                             same CLUSTER_PORT_BASE and STACK_PORTS_FROM_BASE=1) and leave it running
#   BENCH_CLUSTER_PORT_BASE   the stack's port base (17600); SINGLE=off skips the single-node point
#   CONNECTIONS (128), THREADS (2), USERS (1000), DRAIN_SECONDS (120)
#   BENCH_DB, BENCH_REDIS_DB, BENCH_VHOST, SINGLE_PORT  the single-node point's stores and port
# Output: loadtest/target/bench-cluster/summary.txt (and each wrk output beside it).
set -euo pipefail
source "$(dirname "$0")/../scripts/lib/env.sh"
source "$ROOT/scripts/lib/nginx.sh"
source "$ROOT/scripts/lib/lifecycle.sh"
source "$ROOT/scripts/lib/stack.sh"
source "$ROOT/scripts/lib/cluster.sh"
source "$ROOT/scripts/lib/cluster-stack.sh"

DURATION=${1:-15s}
CONNECTIONS=${CONNECTIONS:-128}
THREADS=${THREADS:-2}
USERS=${USERS:-1000}
DRAIN_SECONDS=${DRAIN_SECONDS:-120}
# wrk counts an answer slower than its timeout (2 s by default) as an error and leaves it out of the
# latencies: on a loaded machine that would cut the p99 off.
WRK_TIMEOUT=${WRK_TIMEOUT:-10s}
OUT="$ROOT/loadtest/target/bench-cluster"
rm -rf "$OUT"
mkdir -p "$OUT"
SUMMARY="$OUT/summary.txt"
command -v wrk >/dev/null || apt_install wrk
command -v jq >/dev/null || apt_install jq
command -v taskset >/dev/null || die "taskset (util-linux) is missing"
[ "$(nproc)" -ge 2 ] || die "the isolation part pins two instances to two cores: this machine has $(nproc)"

note() { echo "$*" | tee -a "$SUMMARY"; }
load() { cut -d' ' -f1-3 /proc/loadavg; }
note "bench-cluster $(date -u +%Y-%m-%dT%H:%M:%SZ) on $(nproc) cores ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)), $(awk '/MemTotal/ {printf "%d GiB", $2 / 1048576}' /proc/meminfo); wrk -t$THREADS -c$CONNECTIONS -d$DURATION per point"

# --- single node ------------------------------------------------------------------------------------
if [ "${SINGLE:-on}" = on ]; then
  note "single node: load average before $(load)"
  RELAY=on PURCHASE_ONLY=1 WRK_TIMEOUT="$WRK_TIMEOUT" PORT="${SINGLE_PORT:-19950}" CONNECTIONS="$CONNECTIONS" THREADS="$THREADS" USERS="$USERS" \
    bash "$ROOT/loadtest/bench-purchase.sh" "$DURATION" > "$OUT/single.txt" 2>&1 || { tail -20 "$OUT/single.txt"; die "the single-node point failed"; }
  note "single node (1 API, relay + worker, lone Redis, durable-replicas 0): $(grep -E '^latency_ms' "$OUT/single.txt" | head -1) $(grep -E '^statuses' "$OUT/single.txt" | head -1)"
fi

# --- the clustered stack ----------------------------------------------------------------------------
export CLUSTER_PORT_BASE="${BENCH_CLUSTER_PORT_BASE:-17600}" STACK_PORTS_FROM_BASE=1
STACK_DIR="${BENCH_CLUSTER_ATTACH:-$OUT/stack}"
PIDS=()
cleanup() {
  local status=$?
  if [ "${#PIDS[@]}" -gt 0 ]; then kill "${PIDS[@]}" 2>/dev/null || true; wait "${PIDS[@]}" 2>/dev/null || true; fi
  # unpin whatever was pinned (an attached stack keeps running)
  for pid in ${HOT_PID:-} ${GENERAL_PID:-}; do taskset -a -p -c "0-$(($(nproc) - 1))" "$pid" >/dev/null 2>&1 || true; done
  [ -n "${BENCH_CLUSTER_ATTACH:-}" ] || cluster_stack_stop "$STACK_DIR" || true
  exit "$status"
}
trap cleanup EXIT
if [ -n "${BENCH_CLUSTER_ATTACH:-}" ]; then
  cluster_stack_attach "$STACK_DIR"
else
  cluster_stack_start "$STACK_DIR" > "$OUT/stack-start.log" 2>&1 || { tail -30 "$OUT/stack-start.log"; die "the stack did not start"; }
fi
KEY="${SMALLRYE_JWT_SIGN_KEY_LOCATION:-$ROOT/flash-sale-api/src/main/resources/dev-keys/privateKey.pem}"
API1="http://127.0.0.1:$(stack_port "$STACK_API_PORTS" 1)"
service_pid() { awk '{print $1}' "$STACK_DIR/services/pids/$1.pid"; }
HOT_PID=$(service_pid flash-sale-api-1) GENERAL_PID=$(service_pid flash-sale-api-2)
primary() { cluster_db primary -N -B miaosha -e "$1"; }

# Two edges from the stack's own template (same routes), without the per-address rate limits.
SPLIT_PORT=$((CLUSTER_PORT_BASE + 801)) SHARED_PORT=$((CLUSTER_PORT_BASE + 802))
bench_edge() { # NAME PORT HOT_APIS GENERAL_APIS
  local edge="$OUT/edge-$1"
  mkdir -p "$edge"
  (STACK_WEB_PORT=$2 STACK_HOT_APIS=$3 STACK_GENERAL_APIS=$4; stack_render_edge "$edge" "$ROOT/web/dist")
  sed -i -e '/^\s*limit_req /d' -e '/^\s*limit_conn /d' "$edge/miaosha.conf"
  "$(nginx_bin)" -p "$edge" -e "$edge/error.log" -c "$edge/nginx.conf" -g 'daemon off;' &
  PIDS+=("$!")
  wait_port "$2" "nginx ($1)"
}
ensure_nginx
bench_edge split "$SPLIT_PORT" 1 2
bench_edge shared "$SHARED_PORT" "1 2" "1 2"

# 12 sales of 10,000,000 units (limit 1,000,000 each) and USERS shoppers with day-long tokens.
ADMIN=$(curl -fsS -XPOST "$API1/api/auth/login" -H 'Content-Type: application/json' -d '{"email":"admin@test.com","password":"adminadmin"}' | jq -r .token)
: > "$OUT/sales"
for i in $(seq 1 12); do
  sale=$(primary "INSERT INTO products (sku, name) VALUES (CONCAT('bench-', UUID()), 'Bench item');
    INSERT INTO sales (product_id, title, price_minor, currency, stock, opens_at, closes_at, per_user_limit, queue_capacity, window_seconds, hold_seconds)
    VALUES (LAST_INSERT_ID(), 'bench', 100, 'EUR', 10000000, UTC_TIMESTAMP() - INTERVAL 1 MINUTE, UTC_TIMESTAMP() + INTERVAL 1 DAY, 1000000, 1000, 600, 3600);
    SELECT LAST_INSERT_ID();")
  curl -fsS -o /dev/null -XPOST "$API1/api/admin/sales/$sale/arm" -H "Authorization: Bearer $ADMIN"
  echo "$sale $(cluster_redis_master_of "{sale:$sale}:stock")" >> "$OUT/sales"
done
ALL_SALES=$(awk '{print $1}' "$OUT/sales" | paste -sd,)
ONE_SALE=$(awk 'NR == 1 {print $1}' "$OUT/sales")
# three sales on three masters when the twelve allow it
THREE_SALES=$(awk '!seen[$2]++ {print $1}' "$OUT/sales" | head -3 | paste -sd,)
[ "$(tr ',' '\n' <<<"$THREE_SALES" | wc -l)" = 3 ] || THREE_SALES=$(awk 'NR <= 3 {print $1}' "$OUT/sales" | paste -sd,)
note "sales: $(awk '{print $2}' "$OUT/sales" | sort | uniq -c | awk '{printf "%s on master %s, ", $1, $2}')one sale: $ONE_SALE, three: $THREE_SALES"
prefix="bench-$(date +%s)"
primary "INSERT INTO users (email, password_hash, role)
  SELECT CONCAT('$prefix-', seq, '@test.miaosha.dev'), 'x', 'shopper' FROM seq_1_to_$USERS"
export TOKENS="$OUT/tokens.txt"
primary "SELECT id, email FROM users WHERE email LIKE '$prefix-%' ORDER BY id" | mint_tokens "$KEY" --for 86400 > "$TOKENS"

orders_backlog() { # holds in Redis of the bench sales minus their order rows on the primary
  local holds=0 sale master
  while read -r sale master; do holds=$((holds + $(redis-cli -c -p "$master" HLEN "{sale:$sale}:holds"))); done < "$OUT/sales"
  echo $((holds - $(primary "SELECT COUNT(*) FROM orders WHERE sale_id IN ($ALL_SALES)")))
}
drain() {
  local i left
  for i in $(seq 1 "$DRAIN_SECONDS"); do
    left=$(orders_backlog)
    [ "$left" -le 0 ] && return 0
    sleep 1
  done
  note "  (order backlog still $left after ${DRAIN_SECONDS}s of draining)"
}
storm() { # OUT_NAME PORT SALES [taskset cores]
  local name=$1 port=$2 sales=$3 cores=${4:-}
  local pin=()
  [ -z "$cores" ] || pin=(taskset -c "$cores")
  SALES="$sales" "${pin[@]}" wrk -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" --timeout "$WRK_TIMEOUT" --latency -s "$ROOT/loadtest/wrk/purchase.lua" \
    "http://127.0.0.1:$port/api/sales/$ONE_SALE/purchase" > "$OUT/$name.txt" 2>&1
}
figures() { echo "$(grep -E '^latency_ms' "$OUT/$1.txt") $(grep -E '^statuses' "$OUT/$1.txt")$(grep -E 'Socket errors' "$OUT/$1.txt" | sed 's/^/ /')"; }

log "warming up both APIs for 15s"
SALES="$ALL_SALES" wrk -t"$THREADS" -c"$CONNECTIONS" -d15s -s "$ROOT/loadtest/wrk/purchase.lua" "http://127.0.0.1:$SHARED_PORT/api/sales/$ONE_SALE/purchase" > "$OUT/warm.txt"
for path in /api/sales /api/auth/login; do curl -sS -o /dev/null "http://127.0.0.1:$SHARED_PORT$path" || true; done
drain

# --- attempts/s with 1, 3 and 12 sales ----------------------------------------------------------------
for point in "1:$ONE_SALE" "3:$THREE_SALES" "12:$ALL_SALES"; do
  n=${point%%:*} sales=${point#*:}
  note "cluster, $n sale(s): load average before $(load)"
  storm "cluster-$n" "$SHARED_PORT" "$sales"
  note "cluster, $n sale(s) ($sales) through nginx to both APIs: $(figures "cluster-$n")"
  drain
done

# --- isolation ------------------------------------------------------------------------------------
# Probes on the general upstream: log-in (a real bcrypt check) and the catalog, closed loop, few connections.
probes() { # NAME PORT
  LOGIN_EMAIL=demo@test.com LOGIN_PASSWORD=demodemo wrk -t1 -c2 -d"$DURATION" --timeout "$WRK_TIMEOUT" --latency -s "$ROOT/loadtest/wrk/login.lua" \
    "http://127.0.0.1:$2/api/auth/login" > "$OUT/$1-login.txt" 2>&1 &
  local login=$!
  wrk -t1 -c4 -d"$DURATION" --timeout "$WRK_TIMEOUT" --latency -s "$ROOT/loadtest/wrk/noop.lua" "http://127.0.0.1:$2/api/sales" > "$OUT/$1-catalog.txt" 2>&1
  wait "$login"
}
p99() { sed -n 's/^latency_ms .*p99=\([0-9.]*\).*/\1/p' "$OUT/$1.txt"; }
isolation() { # MODE PORT STORM_CORES
  local mode=$1 port=$2 cores=$3 storm_pid
  note "isolation, $mode: load average before $(load)"
  probes "$mode-idle" "$port"
  storm "$mode-storm" "$port" "$ALL_SALES" "$cores" &
  storm_pid=$!
  sleep 2 # the storm is running before the probes start, and outlasts them
  probes "$mode-busy" "$port"
  wait "$storm_pid"
  note "isolation, $mode: storm $(figures "$mode-storm")"
  local what
  for what in login catalog; do
    note "isolation, $mode, $what: idle $(figures "$mode-idle-$what"); under the storm $(figures "$mode-busy-$what"); p99 ratio $(awk -v a="$(p99 "$mode-busy-$what")" -v b="$(p99 "$mode-idle-$what")" 'BEGIN {printf "%.2f", a / b}')"
  done
  drain
}
taskset -a -p -c 0 "$HOT_PID" > /dev/null
taskset -a -p -c 1 "$GENERAL_PID" > /dev/null
note "split: API 1 (hot upstream, pid $HOT_PID) and the storm's wrk on core 0, API 2 (general upstream, pid $GENERAL_PID) on core 1; the engines, workers, gateways, nginx and the probes unpinned"
isolation split "$SPLIT_PORT" 0
taskset -a -p -c "0-$(($(nproc) - 1))" "$HOT_PID" > /dev/null
taskset -a -p -c "0-$(($(nproc) - 1))" "$GENERAL_PID" > /dev/null
note "shared: both upstreams on both instances, nothing pinned"
isolation shared "$SHARED_PORT" ""
note "done $(date -u +%H:%M:%SZ), load average $(load)"
