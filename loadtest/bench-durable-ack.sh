#!/usr/bin/env bash
# What the durable acknowledgement costs (not a test): the purchase path on a Redis master with one
# replica of its own, answered once the master has it (durable-replicas 0) and once the replica has
# it too (durable-replicas 1, WAIT batched with the script), in one run, so the figures compare.
# Usage: loadtest/bench-durable-ack.sh [duration, default 20s]. Own Redis pair on BENCH_REDIS_PORT
# (18479) and +1, own directory; everything else as bench-purchase.sh; stops only what it started.
set -euo pipefail
source "$(dirname "$0")/../scripts/lib/env.sh"
DURATION=${1:-20s}
export BENCH_REDIS_PORT=${BENCH_REDIS_PORT:-18479}
REPLICA_PORT=$((BENCH_REDIS_PORT + 1))
DIR="$(mktemp -d /tmp/miaosha-durable-ack.XXXXXX)"
PIDS=()
cleanup() { [ "${#PIDS[@]}" -eq 0 ] || kill "${PIDS[@]}" 2>/dev/null || true; wait 2>/dev/null || true; rm -rf "$DIR"; }
trap cleanup EXIT

for port in "$BENCH_REDIS_PORT" "$REPLICA_PORT"; do port_open "$port" && die "port $port is in use; set BENCH_REDIS_PORT"; done
redis-server --port "$BENCH_REDIS_PORT" --bind 127.0.0.1 --save "" --appendonly no --dir "$DIR" >"$DIR/master.log" 2>&1 &
PIDS+=("$!")
wait_port "$BENCH_REDIS_PORT" "the benchmark's Redis master"
mkdir -p "$DIR/replica"
redis-server --port "$REPLICA_PORT" --bind 127.0.0.1 --save "" --appendonly no --dir "$DIR/replica" \
  --replicaof 127.0.0.1 "$BENCH_REDIS_PORT" >"$DIR/replica.log" 2>&1 &
PIDS+=("$!")
wait_port "$REPLICA_PORT" "the benchmark's Redis replica"
for i in $(seq 1 100); do redis-cli -p "$REPLICA_PORT" info replication | grep -q master_link_status:up && break; sleep 0.2; done

declare -A RESULT
for replicas in 0 1; do
  log "durable-replicas=$replicas"
  API_JAVA_OPTS="-Dmiaosha.purchase.durable-replicas=$replicas" RELAY=off PURCHASE_ONLY=1 \
    bash "$ROOT/loadtest/bench-purchase.sh" "$DURATION" >"$DIR/run-$replicas.log" 2>&1 || { cat "$DIR/run-$replicas.log"; die "run failed"; }
  RESULT[$replicas]="$(grep latency_ms "$ROOT/loadtest/target/purchase.txt")"
  grep statuses "$ROOT/loadtest/target/purchase.txt"
done
for replicas in 0 1; do echo "durable-replicas=$replicas: ${RESULT[$replicas]}"; done
awk -v a="${RESULT[0]}" -v b="${RESULT[1]}" 'BEGIN {
  split(a, x, /[ =]/); split(b, y, /[ =]/)
  for (i in x) { if (x[i] == "p99") p0 = x[i+1]; if (x[i] == "rps") r0 = x[i+1] }
  for (i in y) { if (y[i] == "p99") p1 = y[i+1]; if (y[i] == "rps") r1 = y[i+1] }
  printf "cost of the durable acknowledgement: throughput %.2fx, p99 %.2fx (%.2f ms -> %.2f ms)\n", r1 / r0, p1 / p0, p0, p1 }'
