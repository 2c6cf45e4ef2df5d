#!/usr/bin/env bash
# The purchase path's budgets (issue 15) as ratios to the bare reference, all in one run: what
# `loadtest/bench-purchase.sh` runs by default. Same wrk settings for all (-t$THREADS -c$CONNECTIONS).
#   1. the bare Quarkus + Redis Lua reference (../shared/reference/quarkus-lua-ceiling, built in
#      loadtest/target/ceiling with this checkout's Maven wrapper, its own Redis on 6399, port 8099)
#   2. Miaosha, relay off: purchase, sold-out, ping        (bench-purchase.sh RELAY=off), on a Redis
#      of its own started like the reference's (6398, no persistence), so that Redis's CPU per
#      request is Miaosha's alone, as 6399's is the reference's
#   3. Miaosha, relay + broker + worker + MariaDB: purchase and the order pipeline (RELAY=on)
#   4. the idle budget: loadtest/bench-idle.sh (1,000 armed sales, 990 ended; IDLE_WINDOW seconds, 60)
# Prints, and writes to loadtest/target/ratios.txt, each budget with the figures and met / NOT met.
set -euo pipefail
source "$(dirname "$0")/../scripts/lib/env.sh"
source "$ROOT/scripts/lib/stack.sh"
source "$ROOT/loadtest/lib/wrk-cpu.sh"

DURATION=${1:-30s}
export CONNECTIONS=${CONNECTIONS:-128} THREADS=${THREADS:-2}
WORK="$ROOT/loadtest/target"
REFERENCE="$ROOT/../shared/reference/quarkus-lua-ceiling"
[ -f "$REFERENCE/pom.xml" ] || die "the reference is missing: $REFERENCE (../shared beside the checkout)"
ensure_servers
command -v wrk >/dev/null || apt_install wrk
mkdir -p "$WORK/ceiling-run"

PIDS=()
cleanup() {
  [ "${#PIDS[@]}" -eq 0 ] || kill "${PIDS[@]}" 2>/dev/null || true
  redis-cli -p 6399 shutdown nosave >/dev/null 2>&1 || true
  redis-cli -p 6398 shutdown nosave >/dev/null 2>&1 || true
  wait 2>/dev/null || true
}
trap cleanup EXIT

# --- 1. the reference -----------------------------------------------------------------------------
rm -rf "$WORK/ceiling" && cp -r "$REFERENCE" "$WORK/ceiling"
log "building the bare reference in $WORK/ceiling"
"$ROOT/mvnw" -q -B -f "$WORK/ceiling/pom.xml" package -DskipTests
redis-cli -p 6399 ping >/dev/null 2>&1 && die "port 6399 is taken: the reference needs its own Redis there"
redis-server --daemonize yes --port 6399 --save '' --appendonly no --dir "$WORK/ceiling" >/dev/null
for i in $(seq 1 40); do redis-cli -p 6399 ping >/dev/null 2>&1 && break; sleep 0.25; done
redis-cli -p 6399 SET '{s}:stock' 100000000 >/dev/null
"$JAVA_HOME/bin/java" -Dquarkus.redis.max-pool-waiting=4096 -Dquarkus.redis.max-pool-size=16 \
  -jar "$WORK/ceiling/target/quarkus-app/quarkus-run.jar" >"$WORK/ceiling-run/reference.log" 2>&1 &
PIDS+=("$!")
REFERENCE_PID=$!
for i in $(seq 1 120); do curl -fsS -o /dev/null http://127.0.0.1:8099/noop 2>/dev/null && break; sleep 0.5; done
log "reference: warming up"
wrk -t"$THREADS" -c"$CONNECTIONS" -d15s http://127.0.0.1:8099/noop >/dev/null
wrk -t"$THREADS" -c"$CONNECTIONS" -d15s -s "$REFERENCE/post.lua" http://127.0.0.1:8099/buy >/dev/null
log "reference: /noop and /buy, wrk -t$THREADS -c$CONNECTIONS -d$DURATION"
wrk_with_cpu "$WORK/ceiling-run/noop.txt" "$REFERENCE_PID" "$(redis_pid 6399)" -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" --latency http://127.0.0.1:8099/noop
grep -E "Requests/sec|99%|cpu_us" "$WORK/ceiling-run/noop.txt"
wrk_with_cpu "$WORK/ceiling-run/buy.txt" "$REFERENCE_PID" "$(redis_pid 6399)" -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" --latency -s "$REFERENCE/post.lua" http://127.0.0.1:8099/buy
grep -E "Requests/sec|99%|cpu_us" "$WORK/ceiling-run/buy.txt"
kill "${PIDS[@]}" 2>/dev/null || true; wait 2>/dev/null || true; PIDS=()
redis-cli -p 6399 shutdown nosave >/dev/null 2>&1 || true

# --- 2 and 3. Miaosha -----------------------------------------------------------------------------
redis-cli -p 6398 ping >/dev/null 2>&1 && die "port 6398 is taken: Miaosha's run needs its own Redis there"
redis-server --daemonize yes --port 6398 --save '' --appendonly no --dir "$WORK/ceiling" >/dev/null
for i in $(seq 1 40); do redis-cli -p 6398 ping >/dev/null 2>&1 && break; sleep 0.25; done
# Statuses from wrk's summary, as for the reference: no per-response Lua callback in the load generator.
export BENCH_REDIS_PORT=6398 BENCH_REDIS_DB=0 COUNT_STATUSES=0
RELAY=off bash "$ROOT/loadtest/bench-purchase.sh" "$DURATION"
for name in purchase sold-out noop; do cp "$WORK/$name.txt" "$WORK/ceiling-run/relay-off-$name.txt"; done
RELAY=on PURCHASE_ONLY=1 bash "$ROOT/loadtest/bench-purchase.sh" "$DURATION"
cp "$WORK/purchase.txt" "$WORK/ceiling-run/relay-on-purchase.txt"
cp "$WORK/pipeline.txt" "$WORK/ceiling-run/pipeline.txt"

# --- 4. idle: 1,000 armed sales, 990 of them ended, nobody buying (its own Redis, on 18490) ----------
redis-cli -p 6398 shutdown nosave >/dev/null 2>&1 || true
log "idle: loadtest/bench-idle.sh ${IDLE_WINDOW:-60}"
bash "$ROOT/loadtest/bench-idle.sh" "${IDLE_WINDOW:-60}" | tee "$WORK/ceiling-run/idle.txt" | grep -E "_pct_|commands_per_s"

# --- the budgets ----------------------------------------------------------------------------------
rate() { sed -n 's/^Requests\/sec: *\([0-9.]*\).*/\1/p' "$WORK/ceiling-run/$1.txt"; }
# wrk's --latency table (reference) or purchase.lua's own line (Miaosha), in ms.
p99() {
  local f="$WORK/ceiling-run/$1.txt" v
  v=$(sed -n 's/^latency_ms .*p99=\([0-9.]*\).*/\1/p' "$f")
  [ -n "$v" ] || v=$(awk '$1 == "99%" {x = $2; if (x ~ /us$/) {sub(/us$/, "", x); x /= 1000} else if (x ~ /ms$/) sub(/ms$/, "", x); else if (x ~ /s$/) {sub(/s$/, "", x); x *= 1000}; print x}' "$f")
  echo "$v"
}
pipeline=$(sed -n 's/.*= \([0-9]*\) orders\/s.*/\1/p' "$WORK/ceiling-run/pipeline.txt")
budget() { # name value reference at-least|at-most factor
  awk -v n="$1" -v v="$2" -v r="$3" -v kind="$4" -v f="$5" 'BEGIN {
    ratio = v / r; ok = (kind == "at-least") ? ratio >= f : ratio <= f
    printf "%-58s %10.1f vs %10.1f = %5.2fx (%s %.1fx) %s\n", n, v, r, ratio, kind == "at-least" ? ">=" : "<=", f, ok ? "met" : "NOT met" }'
}
{
  echo "date=$(date -u +%Y-%m-%dT%H:%M:%SZ) machine=$(nproc)-core load=$(cut -d' ' -f1-3 /proc/loadavg | tr ' ' '/') wrk=-t$THREADS-c$CONNECTIONS-d$DURATION"
  budget "purchase, relay off (/s) vs bare /buy" "$(rate relay-off-purchase)" "$(rate buy)" at-least 0.8
  budget "purchase p99, relay off (ms) vs bare /buy p99" "$(p99 relay-off-purchase)" "$(p99 buy)" at-most 1.5
  budget "purchase, relay+broker+worker+MariaDB (/s) vs bare /buy" "$(rate relay-on-purchase)" "$(rate buy)" at-least 0.5
  budget "pipeline purchase -> MySQL row (orders/s) vs bare /buy" "${pipeline:-0}" "$(rate buy)" at-least 0.4
  budget "sold-out answers (/s) vs bare /noop" "$(rate relay-off-sold-out)" "$(rate noop)" at-least 1.0
  budget "/api/ping (/s) vs bare /noop" "$(rate relay-off-noop)" "$(rate noop)" at-least 0.8
  idle() { sed -n "s/^$1=//p" "$WORK/ceiling-run/idle.txt"; }
  below() { awk -v n="$1" -v v="$2" -v b="$3" 'BEGIN { printf "%-58s %10.2f (< %s) %s\n", n, v, b, v < b ? "met" : "NOT met" }'; }
  below "idle: flash-sale-api CPU (% of one core)" "$(idle api_cpu_pct_of_one_core)" 2
  below "idle: Redis commands/s" "$(idle redis_commands_per_s)" 100
  echo "  ($(sed -n 's/^armed_sales=\([0-9]*\) live=\([0-9]*\).*/\1 armed sales, \2 live/p' "$WORK/ceiling-run/idle.txt"); order-worker $(idle worker_cpu_pct_of_one_core)%, queue-gateway $(idle gateway_cpu_pct_of_one_core)% of one core)"
  echo "CPU per request, by process (µs; the two cores are shared by all three):"
  for run in noop buy relay-off-purchase relay-off-sold-out relay-off-noop relay-on-purchase; do
    printf '  %-20s %s\n' "$run" "$(sed -n 's/^cpu_us_per_request //p' "$WORK/ceiling-run/$run.txt")"
  done
  echo "CPU per order of the pipeline run, first purchase to last row (µs, every process of the pipeline):"
  printf '  %s\n' "$(sed -n 's/^pipeline_cpu_us_per_order //p' "$WORK/ceiling-run/pipeline.txt")"
} | tee "$WORK/ratios.txt"
