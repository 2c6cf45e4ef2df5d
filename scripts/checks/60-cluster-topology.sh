#!/usr/bin/env bash
# The clustered topology of scripts/lib/cluster.sh, proven part by part, then stopped with nothing left:
#   Redis Cluster  cluster_state:ok, 3 masters serving all 16384 slots, 3 replicas in sync, AOF on
#                  every node, keys of three sales spread over the three masters; every Lua script runs
#                  on each shard (LuaScriptsOnRedisClusterTest); a master killed -9
#                  is replaced by its replica and the data written before is still there
#   MariaDB        a write on the primary (as the services' user, over TCP) is visible on the replica;
#                  strict SQL mode refuses a too-long value; the replica refuses the services' writes;
#                  the primary stopped and started again, the replica catches up
#   RabbitMQ       3 running nodes; a quorum queue declared through node 1 has members on all three;
#                  messages published (with confirms) through node 1 are consumed in order through
#                  node 3, and again through node 1 while node 2 is killed; messages survive a restart
#                  of the whole broker
# Own ports (CLUSTER_PORT_BASE, default 17100 here, so a topology started for the tests on 17000 can run
# beside it) and own run directory; stops only what it started.
set -euo pipefail
source "$(dirname "$0")/../lib/env.sh"
source "$ROOT/scripts/lib/cluster.sh"

export CLUSTER_PORT_BASE="${CLUSTER_SMOKE_PORT_BASE:-17100}"
RUN_DIR="$(mktemp -d /tmp/miaosha-cluster-smoke.XXXXXX)"
PROBE="$ROOT/scripts/lib/QuorumQueueProbe.java"

cleanup() {
  local status=$?
  cluster_stop "$RUN_DIR" || true
  # nothing this check started may outlive it: no port of the topology open, no process of its run directory
  local left="" port
  for port in $(cluster_ports); do port_open "$port" && left+=" port $port"; done
  left+="$(pgrep -f -- "$RUN_DIR" | tr '\n' ' ' || true)"
  [ -z "${left// /}" ] || { log "still running after the stop:$left"; status=1; }
  if [ "$status" = 0 ]; then rm -rf "$RUN_DIR"; else log "logs kept in $RUN_DIR"; fi
  exit "$status"
}
trap cleanup EXIT
fail() { die "cluster topology: $*"; }

started=$(date +%s)
cluster_start "$RUN_DIR"
start_seconds=$(($(date +%s) - started))

# --- Redis Cluster ----------------------------------------------------------------------------------
first=$((CLUSTER_PORT_BASE + 1))
info="$(cluster_redis_cli "$first" cluster info | tr -d '\r')"
grep -qx 'cluster_state:ok' <<<"$info" || fail "cluster_state is not ok: $info"
grep -qx 'cluster_slots_assigned:16384' <<<"$info" || fail "not every slot is assigned"
grep -qx 'cluster_size:3' <<<"$info" || fail "the cluster does not have 3 shards"
nodes="$(cluster_redis_cli "$first" cluster nodes)"
[ "$(awk '$3 ~ /master/' <<<"$nodes" | wc -l)" = 3 ] || fail "not 3 masters: $nodes"
[ "$(awk '$3 ~ /slave/ && $8 == "connected"' <<<"$nodes" | wc -l)" = 3 ] || fail "not 3 connected replicas: $nodes"
for port in $(cluster_redis_ports); do
  [ "$(cluster_redis_cli "$port" config get appendonly | tail -1)" = yes ] || fail "AOF is off on Redis node $port"
done
# Sales 1, 2 and 3 hash ({sale:N}, slots 4774, 8901, 13028) to slots on three different masters with the default slot split.
owners=""
for sale in 1 2 3; do
  cluster_redis_cli "$first" -c set "{sale:$sale}:stock" 100 >/dev/null
  owners+="$(cluster_redis_master_of "{sale:$sale}:stock") "
done
[ "$(tr ' ' '\n' <<<"$owners" | grep -c . )" = 3 ] && [ "$(tr ' ' '\n' <<<"$owners" | grep . | sort -u | wc -l)" = 3 ] \
  || fail "three sales did not land on three masters (owners: $owners)"
log "redis: cluster_state ok, 3 masters + 3 replicas, AOF on, sales 1/2/3 on masters $owners"

# Every Lua script on every shard, with the keys and arguments its typed class builds, and the
# classic PUBLISH from a script heard on every node (common's LuaScriptsOnRedisClusterTest).
MIAOSHA_CLUSTER_REDIS_URL="$(cluster_redis_urls)" mvnw -q -pl common verify -Dtest=LuaScriptsOnRedisClusterTest \
  -Dsurefire.failIfNoSpecifiedTests=false >"$RUN_DIR/lua-on-cluster.log" 2>&1 \
  || { tail -60 "$RUN_DIR/lua-on-cluster.log"; fail "a Lua script does not run on the cluster (log above)"; }
log "redis: every Lua script ran on each of the three shards without CROSSSLOT"

probe_master="$(cluster_redis_master_of '{probe}:before-failover')"
# WAIT counts the writes of its own connection: the SET and the WAIT go down one connection to the master.
acked="$(printf 'SET {probe}:before-failover kept\nWAIT 1 2000\n' | cluster_redis_cli "$probe_master" | tail -1)"
[ "$acked" = 1 ] || fail "the write before the failover was not acknowledged by a replica (WAIT answered $acked)"
t0=$(date +%s.%N)
promoted="$(cluster_redis_kill_master "$probe_master")"
failover=$(awk "BEGIN {printf \"%.1f\", $(date +%s.%N) - $t0}")
[ "$(cluster_redis_cli "$promoted" get '{probe}:before-failover')" = kept ] || fail "the promoted replica $promoted lost a write"
cluster_redis_restart_node "$probe_master"
cluster_redis_wait_replicas 3 30
cluster_redis_cli "$probe_master" info replication | tr -d '\r' | grep -qx 'role:slave' \
  || fail "the restarted node $probe_master did not rejoin as a replica"
log "redis: master $probe_master killed -9, replica $promoted promoted in ${failover}s with the data; the old master rejoined as a replica"

# --- MariaDB primary + replica ------------------------------------------------------------------------
as_app() { # primary|replica SQL
  mariadb --no-defaults -h 127.0.0.1 -P "$(cluster_db_port "$1")" -u"$CLUSTER_DB_USER" -p"$CLUSTER_DB_PASSWORD" miaosha -N -e "$2"
}
as_app primary "CREATE TABLE smoke (id INT PRIMARY KEY, note VARCHAR(4) NOT NULL); INSERT INTO smoke VALUES (1, 'on')"
cluster_db_wait_replica 10
[ "$(as_app replica 'SELECT note FROM smoke WHERE id = 1')" = on ] || fail "the primary's write is not on the replica"
if as_app primary "INSERT INTO smoke VALUES (2, 'too long')" 2>/dev/null; then fail "strict SQL mode is off: a too-long value was truncated"; fi
if as_app replica "INSERT INTO smoke VALUES (3, 'rep')" 2>/dev/null; then fail "the replica accepted the services' write"; fi
[ "$(cluster_db replica -N -e "SELECT @@gtid_slave_pos = @@gtid_binlog_pos OR @@gtid_slave_pos <> ''")" = 1 ] || fail "the replica does not replicate by GTID"
cluster_db replica -e 'SHOW SLAVE STATUS\G' | grep -q 'Using_Gtid: Slave_Pos' || fail "the replica does not use MASTER_USE_GTID=slave_pos"
t0=$(date +%s.%N)
cluster_db_stop_primary
cluster_db_start_primary
as_app primary "INSERT INTO smoke VALUES (4, 'back')"
cluster_db_wait_replica 15
restart=$(awk "BEGIN {printf \"%.1f\", $(date +%s.%N) - $t0}")
[ "$(as_app replica 'SELECT COUNT(*) FROM smoke')" = 2 ] || fail "the replica did not catch up after the primary's restart"
log "mariadb: write on $(cluster_db_port primary) read on $(cluster_db_port replica) (lag $(cluster_db_replica_lag)s); strict mode on; replica read-only; primary restarted and replica caught up in ${restart}s"

# --- RabbitMQ cluster ---------------------------------------------------------------------------------
[ "$(cluster_rabbit_running_nodes 1 | wc -l)" = 3 ] || fail "RabbitMQ does not run 3 nodes: $(cluster_rabbit_running_nodes 1)"
# find, not ls: a version missing from ~/.m2 (a fresh machine's) must not end the check under pipefail.
amqp_jar="$(find "$HOME/.m2/repository/com/rabbitmq/amqp-client" -name 'amqp-client-5.*.jar' ! -name '*sources*' 2>/dev/null | sort -V | tail -1)"
slf4j_jar="$(find "$HOME/.m2/repository/org/slf4j/slf4j-api" -name 'slf4j-api-*.jar' ! -name '*sources*' 2>/dev/null | sort -V | tail -1)"
[ -n "$amqp_jar" ] && [ -n "$slf4j_jar" ] || fail "the AMQP client jars are not in ~/.m2: run ./mvnw -pl common verify first"
probe() { # publish|consume NODE QUEUE COUNT
  "$JAVA_HOME/bin/java" -cp "$amqp_jar:$slf4j_jar" "$PROBE" "$1" "$(cluster_rabbit_port "$2")" \
    "${CLUSTER_RABBIT_VHOSTS%% *}" "$CLUSTER_RABBIT_USER" "$CLUSTER_RABBIT_PASSWORD" "$3" "$4" 2>&1 | grep -v SLF4J
}
probe publish 1 smoke.orders 100 >/dev/null || fail "could not publish to a quorum queue through node 1"
queue="$(cluster_rabbitmqctl 1 list_queues -p "${CLUSTER_RABBIT_VHOSTS%% *}" name type members --no-table-headers | grep '^smoke.orders')"
grep -q quorum <<<"$queue" || fail "smoke.orders is not a quorum queue: $queue"
for n in 1 2 3; do grep -q "$(cluster_rabbit_node "$n")" <<<"$queue" || fail "node $n is not a member of smoke.orders: $queue"; done
probe consume 3 smoke.orders 100 >/dev/null || fail "the messages published through node 1 were not consumed in order through node 3"
probe publish 1 smoke.orders 50 >/dev/null
cluster_rabbit_kill_node 2
probe consume 1 smoke.orders 50 >/dev/null || fail "the quorum queue lost messages with node 2 down"
probe publish 3 smoke.orders 10 >/dev/null || fail "could not publish with node 2 down"
cluster_rabbit_start_node 2
probe consume 2 smoke.orders 10 >/dev/null || fail "the restarted node 2 does not serve the queue"
probe publish 2 smoke.orders 20 >/dev/null
t0=$(date +%s.%N)
cluster_rabbit_restart_all
restart=$(awk "BEGIN {printf \"%.1f\", $(date +%s.%N) - $t0}")
probe consume 3 smoke.orders 20 >/dev/null || fail "the quorum queue lost messages over a whole-broker restart"
log "rabbitmq: 3 nodes; quorum queue on all three; 100 published via node 1 consumed in order via node 3; 50 survived node 2's kill -9; node 2 rejoined; 20 survived a whole-broker restart (${restart}s)"

log "cluster topology: every part proven (started in ${start_seconds}s)"
