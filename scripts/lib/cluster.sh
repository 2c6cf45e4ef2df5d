# The clustered topology: a Redis Cluster (3 masters, 3 replicas, AOF on), a MariaDB primary with a
# GTID replica, and a 3-node RabbitMQ cluster, all from the machine's Debian packages, each with its
# own ports and data directories under one run directory. It never touches the machine's own servers
# (Redis 6379, MariaDB 3306, RabbitMQ 5672): every process it starts has its PID recorded under the
# run directory, and cluster_stop ends those PIDs and nothing else. epmd is shared with the machine's
# RabbitMQ (each node registers its own name there) and is never stopped.
#
# Source it after env.sh (it uses log, die, port_open and apt_install), or run it as a command:
#   scripts/lib/cluster.sh start [RUN_DIR] | stop [RUN_DIR] | env [RUN_DIR] | status [RUN_DIR]
#   scripts/lib/cluster.sh FUNCTION ARGS...   any function below without "cluster_", e.g. from a fault
#                                             test: CLUSTER_RUN_DIR=DIR scripts/lib/cluster.sh redis_kill_master 17001
#
# Ports (CLUSTER_PORT_BASE, default 17000; every port below moves with it):
#   Redis nodes         base+1 .. base+6        (cluster bus: each port + 10000, so 27001..27006)
#   MariaDB             primary base+306, replica base+307
#   RabbitMQ            AMQP base+672, base+673, base+674; Erlang distribution base+872 .. base+874
#                       (its CLI: +10000 .. +10010); node names miaosha-BASE-N@localhost; management off
# Two topologies whose bases differ by 100 (the smoke check uses 17100) never share a port.
# Run directory: CLUSTER_RUN_DIR (default $ROOT/run/cluster); pids/ holds one file per process.
#
# Functions:
#   cluster_start [RUN_DIR]          start all three and wait until each is clustered (about 25 s)
#   cluster_stop [RUN_DIR]           stop every process cluster_start (or a restart helper) started
#   cluster_env [RUN_DIR]            print `export NAME=value` lines configuring the services for it
#                                    (MIAOSHA_REDIS_URL, QUARKUS_REDIS_CLIENT_TYPE=cluster, MIAOSHA_DB_*, RABBITMQ_*);
#                                    eval "$(cluster_env)" exports them
#   cluster_test_env [RUN_DIR]       the same for tests, under names no service reads (MIAOSHA_CLUSTER_*)
#   cluster_status                   one line per part: nodes up, masters/replicas, replica lag
#   Redis:    cluster_redis_cli PORT ARGS...     redis-cli against one node
#             cluster_redis_masters              ports of the masters that serve slots, one a line
#             cluster_redis_replica_of PORT      port of a replica of the master on PORT
#             cluster_redis_master_of KEY        port of the master serving KEY's slot (e.g. "{sale:7}:stock")
#             cluster_redis_kill_master PORT     kill -9 that master, wait for a replica's promotion and
#                                                cluster_state:ok; prints the promoted node's port
#             cluster_redis_restart_node PORT    start a killed node again (it rejoins as a replica)
#             cluster_redis_wait_ok              wait for cluster_state:ok with 3 masters serving slots
#   MariaDB:  cluster_db primary|replica ARGS... the mariadb client as root on that server
#             cluster_db_replica_lag             Seconds_Behind_Master ("NULL" when the replica is not replicating)
#             cluster_db_wait_replica [SECONDS]  wait until the replica has applied everything the primary wrote
#             cluster_db_stop_primary | cluster_db_kill_primary | cluster_db_start_primary
#   RabbitMQ: cluster_rabbitmqctl N ARGS...      rabbitmqctl against node N (1..3)
#             cluster_rabbit_kill_node N         kill -9 node N
#             cluster_rabbit_stop_node N         stop node N gracefully
#             cluster_rabbit_start_node N        start node N again and wait until it has rejoined
#             cluster_rabbit_restart_all         stop every node, start them together, wait for the cluster

CLUSTER_PORT_BASE="${CLUSTER_PORT_BASE:-17000}"
CLUSTER_DB_NAMES="${CLUSTER_DB_NAMES:-miaosha miaosha_test}"
CLUSTER_DB_USER="${CLUSTER_DB_USER:-miaosha}"
CLUSTER_DB_PASSWORD="${CLUSTER_DB_PASSWORD:-miaosha}"
CLUSTER_RABBIT_USER="${CLUSTER_RABBIT_USER:-miaosha}"
CLUSTER_RABBIT_PASSWORD="${CLUSTER_RABBIT_PASSWORD:-miaosha}"
CLUSTER_RABBIT_VHOSTS="${CLUSTER_RABBIT_VHOSTS:-miaosha miaosha-test}"
# A failed master is noticed after this long; with 2 s a kill -9 is answered by a promotion in about 3-4 s.
CLUSTER_REDIS_NODE_TIMEOUT_MS="${CLUSTER_REDIS_NODE_TIMEOUT_MS:-2000}"
RABBIT_BIN=/usr/lib/rabbitmq/bin

# Not under target/: a `./mvnw clean` at the root would wipe the data of running servers.
cluster_dir() { echo "${1:-${CLUSTER_RUN_DIR:-$ROOT/run/cluster}}"; }
cluster_redis_ports() { local i; for i in 1 2 3 4 5 6; do echo $((CLUSTER_PORT_BASE + i)); done; }
cluster_db_port() { case $1 in primary) echo $((CLUSTER_PORT_BASE + 306)) ;; replica) echo $((CLUSTER_PORT_BASE + 307)) ;; *) die "no MariaDB server named $1" ;; esac; }
cluster_rabbit_port() { echo $((CLUSTER_PORT_BASE + 671 + $1)); }
cluster_rabbit_dist_port() { echo $((CLUSTER_PORT_BASE + 871 + $1)); }
# The node name carries the port base: epmd is shared, so two topologies need distinct names.
cluster_rabbit_node() { echo "miaosha-$CLUSTER_PORT_BASE-$1@localhost"; }

# --- processes: each one a pid file holding "PID START_TIME", so a reused PID is never signalled ---

proc_start_time() { sed -E 's/^.*\) //' "/proc/$1/stat" 2>/dev/null | cut -d' ' -f20; }

# cluster_spawn NAME LOGFILE COMMAND...: starts COMMAND in the background and records its PID.
cluster_spawn() {
  local name=$1 logfile=$2 dir pid
  shift 2
  dir="$(cluster_dir)"
  mkdir -p "$dir/pids"
  # From the run directory, so nothing (an erl_crash.dump) lands in the caller's working directory.
  (cd "$dir" && exec "$@") >>"$logfile" 2>&1 </dev/null &
  pid=$!
  echo "$pid $(proc_start_time "$pid")" > "$dir/pids/$name.pid"
  # Out of the job table: a fault test's kill -9 is not reported as "Killed" by the shell that started it.
  disown "$pid" 2>/dev/null || true
}

# cluster_pid NAME: the PID recorded for NAME when that process still runs, nothing otherwise.
cluster_pid() {
  local file pid start
  file="$(cluster_dir)/pids/$1.pid"
  [ -f "$file" ] || return 1
  read -r pid start < "$file"
  [ -n "$pid" ] && [ "$(proc_start_time "$pid")" = "$start" ] && echo "$pid"
}

# cluster_signal NAME [SIGNAL] [WAIT_SECONDS]: signals NAME's process, waits for it to exit (kill -9
# after WAIT_SECONDS), and forgets it.
cluster_signal() {
  local name=$1 signal=${2:-TERM} wait=${3:-20} pid start i
  pid="$(cluster_pid "$name")" || { rm -f "$(cluster_dir)/pids/$name.pid"; return 0; }
  start="$(proc_start_time "$pid")"
  # gone between the two looks: nothing to signal (an empty start time would never stop matching)
  [ -n "$start" ] || { rm -f "$(cluster_dir)/pids/$name.pid"; return 0; }
  kill "-$signal" "$pid" 2>/dev/null || true
  for i in $(seq 1 $((wait * 10))); do
    [ "$(proc_start_time "$pid")" = "$start" ] || break
    # exited, its parent has not reaped it yet (wait reaps it when that parent is this shell)
    if grep -q '^State:.*Z' "/proc/$pid/status" 2>/dev/null; then wait "$pid" 2>/dev/null || true; break; fi
    sleep 0.1
  done
  # One look at the state: a zombie reaped between two looks (its status file gone) has stopped too.
  local state
  state="$(grep '^State:' "/proc/$pid/status" 2>/dev/null | tr -s '\t ' ' ' || true)"
  if [ -n "$state" ] && [[ "$state" != *Z* ]] && [ "$(proc_start_time "$pid")" = "$start" ]; then
    log "$name (PID $pid) did not stop after ${wait}s ($state); killing it"
    kill -9 "$pid" 2>/dev/null || true
  fi
  wait "$pid" 2>/dev/null || true
  rm -f "$(cluster_dir)/pids/$name.pid"
}

cluster_require_packages() {
  local missing=()
  command -v redis-server >/dev/null && command -v redis-cli >/dev/null || missing+=(redis-server redis-tools)
  command -v mariadb-install-db >/dev/null && command -v mariadb >/dev/null && [ -x /usr/sbin/mariadbd ] \
    || missing+=(mariadb-server mariadb-client)
  [ -x "$RABBIT_BIN/rabbitmq-server" ] || missing+=(rabbitmq-server)
  if [ "${#missing[@]}" -gt 0 ]; then
    # Debian's postinst would start the system services; policy-rc.d tells it not to.
    local policy=/usr/sbin/policy-rc.d created=""
    if [ ! -e "$policy" ]; then printf '#!/bin/sh\nexit 101\n' > "$policy" && chmod +x "$policy" && created=1; fi
    apt_install "${missing[@]}"
    if [ -n "$created" ]; then rm -f "$policy"; fi
  fi
}

# ---------------------------------------------------------------------------------------------------
# Redis Cluster
# ---------------------------------------------------------------------------------------------------

cluster_redis_cli() { local port=$1; shift; redis-cli -h 127.0.0.1 -p "$port" "$@"; }

cluster_redis_launch() { # PORT
  local port=$1 dir
  dir="$(cluster_dir)/redis/$port"
  mkdir -p "$dir"
  # cluster-replica-validity-factor 0: a replica is promoted however long it was cut off, so a
  # fault test always gets its failover (the durability question is issue 13's WAIT, not this).
  cluster_spawn "redis-$port" "$dir/redis.log" redis-server --bind 127.0.0.1 --port "$port" --dir "$dir" \
    --cluster-enabled yes --cluster-config-file nodes.conf --cluster-node-timeout "$CLUSTER_REDIS_NODE_TIMEOUT_MS" \
    --cluster-replica-validity-factor 0 --appendonly yes --appendfsync everysec --save "" \
    --daemonize no --logfile "" --pidfile "$dir/redis.pid"
}

cluster_redis_wait_up() { # PORT
  local i
  for i in $(seq 1 300); do
    [ "$(cluster_redis_cli "$1" ping 2>/dev/null)" = PONG ] && return 0
    sleep 0.1
  done
  die "Redis node $1 did not start (log: $(cluster_dir)/redis/$1/redis.log)"
}

# The slot-serving masters as the first live node sees them: "port" lines.
cluster_redis_masters() {
  local port
  for port in $(cluster_redis_ports); do
    if cluster_redis_cli "$port" ping >/dev/null 2>&1; then
      cluster_redis_cli "$port" cluster nodes | awk '$3 ~ /master/ && $3 !~ /fail/ && $8 == "connected" && NF >= 9 {
        split($2, a, "[:@]"); print a[2] }' | sort -n
      return 0
    fi
  done
  return 1
}

cluster_redis_node_id() { cluster_redis_cli "$1" cluster myid; }

# The port of the master serving KEY's slot (e.g. "{sale:7}:stock"), as the first live node sees it.
cluster_redis_master_of() { # KEY
  local port slot
  for port in $(cluster_redis_ports); do
    cluster_redis_cli "$port" ping >/dev/null 2>&1 || continue
    slot="$(cluster_redis_cli "$port" cluster keyslot "$1")"
    cluster_redis_cli "$port" cluster nodes | awk -v s="$slot" '$3 ~ /master/ && $3 !~ /fail/ {
      for (i = 9; i <= NF; i++) { n = split($i, r, "-"); if (n == 1) r[2] = r[1];
        if (s + 0 >= r[1] + 0 && s + 0 <= r[2] + 0) { split($2, a, "[:@]"); print a[2] } } }'
    return 0
  done
  return 1
}

cluster_redis_replica_of() { # MASTER_PORT
  local id port
  id="$(cluster_redis_node_id "$1")"
  for port in $(cluster_redis_ports); do
    [ "$port" = "$1" ] && continue
    cluster_redis_cli "$port" ping >/dev/null 2>&1 || continue
    if cluster_redis_cli "$port" info replication | tr -d '\r' | grep -q "^role:slave"; then
      [ "$(cluster_redis_cli "$port" cluster nodes | awk '$3 ~ /myself/ {print $4}')" = "$id" ] && { echo "$port"; return 0; }
    fi
  done
  return 1
}

cluster_redis_wait_ok() { # [SECONDS]
  local seconds=${1:-30} i port ok masters
  for i in $(seq 1 $((seconds * 5))); do
    ok=1
    for port in $(cluster_redis_ports); do
      cluster_redis_cli "$port" ping >/dev/null 2>&1 || continue
      cluster_redis_cli "$port" cluster info 2>/dev/null | tr -d '\r' | grep -qx 'cluster_state:ok' || { ok=""; break; }
    done
    masters="$(cluster_redis_masters 2>/dev/null | wc -l)"
    [ -n "$ok" ] && [ "$masters" = 3 ] && return 0
    sleep 0.2
  done
  die "the Redis Cluster did not reach cluster_state:ok with 3 masters within ${seconds}s"
}

# Every replica attached and in sync with its master (so a failover has somewhere to go).
cluster_redis_wait_replicas() { # COUNT [SECONDS]
  local want=$1 seconds=${2:-30} i port synced
  for i in $(seq 1 $((seconds * 5))); do
    synced=0
    for port in $(cluster_redis_ports); do
      cluster_redis_cli "$port" info replication 2>/dev/null | tr -d '\r' | grep -q '^master_link_status:up' && synced=$((synced + 1))
    done
    [ "$synced" -ge "$want" ] && return 0
    sleep 0.2
  done
  die "only $synced of $want Redis replicas are in sync after ${seconds}s"
}

cluster_redis_start() {
  local port nodes=()
  for port in $(cluster_redis_ports); do
    port_open "$port" && die "port $port is in use; set CLUSTER_PORT_BASE to move the clustered topology"
    cluster_redis_launch "$port"
    nodes+=("127.0.0.1:$port")
  done
  for port in $(cluster_redis_ports); do cluster_redis_wait_up "$port"; done
  redis-cli --cluster create "${nodes[@]}" --cluster-replicas 1 --cluster-yes >"$(cluster_dir)/redis/create.log" 2>&1 \
    || { cat "$(cluster_dir)/redis/create.log" >&2; die "redis-cli --cluster create failed"; }
  cluster_redis_wait_ok 30
  cluster_redis_wait_replicas 3 30
}

cluster_redis_kill_master() { # PORT
  local port=$1 replicas=() replica i new
  cluster_redis_masters | grep -qx "$port" || die "Redis node $port is not a master serving slots"
  # Its replicas, by node id, before it dies.
  local id
  id="$(cluster_redis_node_id "$port")"
  for replica in $(cluster_redis_ports); do
    [ "$replica" = "$port" ] && continue
    [ "$(cluster_redis_cli "$replica" cluster nodes 2>/dev/null | awk '$3 ~ /myself/ {print $4}')" = "$id" ] && replicas+=("$replica")
  done
  [ "${#replicas[@]}" -gt 0 ] || die "Redis master $port has no replica to promote"
  cluster_signal "redis-$port" KILL 5
  for i in $(seq 1 150); do
    for replica in "${replicas[@]}"; do
      if cluster_redis_cli "$replica" info replication 2>/dev/null | tr -d '\r' | grep -qx 'role:master'; then
        new=$replica
      fi
    done
    [ -n "${new:-}" ] && break
    sleep 0.2
  done
  [ -n "${new:-}" ] || die "no replica of Redis master $port was promoted within 30s"
  cluster_redis_wait_ok 30
  echo "$new"
}

cluster_redis_restart_node() { # PORT
  local port=$1
  cluster_pid "redis-$port" >/dev/null && die "Redis node $port still runs"
  cluster_redis_launch "$port"
  cluster_redis_wait_up "$port"
  cluster_redis_wait_ok 30
}

# ---------------------------------------------------------------------------------------------------
# MariaDB primary + GTID replica
# ---------------------------------------------------------------------------------------------------

cluster_db_socket() { echo "$(cluster_dir)/mariadb/$1/mysqld.sock"; }
cluster_db() { local which=$1; shift; mariadb --no-defaults -uroot --socket="$(cluster_db_socket "$which")" "$@"; }

cluster_db_launch() { # primary|replica
  local which=$1 dir server_id extra=()
  dir="$(cluster_dir)/mariadb/$which"
  if [ "$which" = primary ]; then server_id=1; else server_id=2; extra=(--read-only=1 --relay-log=relay-bin); fi
  # --no-defaults: nothing from /etc/mysql (the machine's server config) leaks into these servers.
  cluster_spawn "mariadb-$which" "$dir/mariadbd.out" /usr/sbin/mariadbd --no-defaults --user=root \
    --datadir="$dir/data" --socket="$dir/mysqld.sock" --port="$(cluster_db_port "$which")" --bind-address=127.0.0.1 \
    --pid-file="$dir/mariadbd.pid" --log-error="$dir/error.log" --tmpdir="$dir/tmp" --skip-name-resolve \
    --server-id="$server_id" --log-bin=mariadb-bin --binlog-format=ROW --log-slave-updates=1 --gtid-strict-mode=1 \
    --sql-mode=STRICT_TRANS_TABLES,ERROR_FOR_DIVISION_BY_ZERO,NO_AUTO_CREATE_USER,NO_ENGINE_SUBSTITUTION \
    --character-set-server=utf8mb4 --collation-server=utf8mb4_unicode_ci \
    --innodb-buffer-pool-size=128M --max-connections=400 "${extra[@]}"
}

cluster_db_wait_up() { # primary|replica
  local i
  for i in $(seq 1 300); do
    cluster_db "$1" -e 'select 1' >/dev/null 2>&1 && return 0
    cluster_pid "mariadb-$1" >/dev/null || break
    sleep 0.1
  done
  tail -n 20 "$(cluster_dir)/mariadb/$1/error.log" >&2 2>/dev/null
  die "MariaDB $1 did not start (log: $(cluster_dir)/mariadb/$1/error.log)"
}

cluster_db_install() { # primary|replica
  local dir
  dir="$(cluster_dir)/mariadb/$1"
  mkdir -p "$dir/data" "$dir/tmp"
  # Its own tmpdir: in the shared /tmp a bootstrap's temporary tables met other runs' (seen as
  # "Could not remove temporary table ... Unknown table 'mysql.tmp_user_sys'").
  mariadb-install-db --no-defaults --user=root --datadir="$dir/data" --tmpdir="$dir/tmp" --auth-root-authentication-method=normal \
    --skip-test-db >"$dir/install.log" 2>&1 || { cat "$dir/install.log" >&2; die "mariadb-install-db for the $1 failed"; }
}

cluster_db_start() {
  local which db grants=""
  for which in primary replica; do
    port_open "$(cluster_db_port "$which")" && die "port $(cluster_db_port "$which") is in use; set CLUSTER_PORT_BASE to move the clustered topology"
  done
  cluster_db_install primary & local a=$!
  cluster_db_install replica & local b=$!
  wait "$a" && wait "$b" || die "could not initialise the MariaDB data directories"
  cluster_db_launch primary
  cluster_db_launch replica
  cluster_db_wait_up primary
  cluster_db_wait_up replica
  for db in $CLUSTER_DB_NAMES; do
    grants+="CREATE DATABASE IF NOT EXISTS \`$db\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;
GRANT ALL PRIVILEGES ON \`$db\`.* TO '$CLUSTER_DB_USER'@'localhost', '$CLUSTER_DB_USER'@'127.0.0.1';
"
  done
  # Everything below is written on the primary after its binlog started, so the replica gets it by
  # replication: the replica holds the same users and databases without being told.
  cluster_db primary <<SQL || die "could not prepare the MariaDB primary"
CREATE USER 'repl'@'127.0.0.1' IDENTIFIED BY 'repl';
GRANT REPLICATION SLAVE ON *.* TO 'repl'@'127.0.0.1';
CREATE USER '$CLUSTER_DB_USER'@'localhost' IDENTIFIED BY '$CLUSTER_DB_PASSWORD';
CREATE USER '$CLUSTER_DB_USER'@'127.0.0.1' IDENTIFIED BY '$CLUSTER_DB_PASSWORD';
$grants
SQL
  # MASTER_CONNECT_RETRY=1: after the primary comes back the replica reconnects within a second, not a minute.
  cluster_db replica <<SQL || die "could not start replication on the MariaDB replica"
CHANGE MASTER TO MASTER_HOST='127.0.0.1', MASTER_PORT=$(cluster_db_port primary), MASTER_USER='repl',
  MASTER_PASSWORD='repl', MASTER_USE_GTID=slave_pos, MASTER_CONNECT_RETRY=1;
START SLAVE;
SQL
  cluster_db_wait_replica 30
}

cluster_db_replica_lag() {
  cluster_db replica -e 'SHOW SLAVE STATUS\G' | awk -F': ' '/Seconds_Behind_Master/ {print $2}'
}

# Waits until the replica has applied every transaction the primary has written so far.
cluster_db_wait_replica() { # [SECONDS]
  local seconds=${1:-30} pos reached
  pos="$(cluster_db primary -N -e 'SELECT @@gtid_binlog_pos')" || die "the MariaDB primary does not answer"
  reached="$(cluster_db replica -N -e "SELECT MASTER_GTID_WAIT('$pos', $seconds)")" || die "the MariaDB replica does not answer"
  [ "$reached" = 0 ] || die "the MariaDB replica did not reach the primary's position $pos within ${seconds}s (lag: $(cluster_db_replica_lag))"
}

cluster_db_stop_primary() { cluster_signal mariadb-primary TERM 60; }
cluster_db_kill_primary() { cluster_signal mariadb-primary KILL 5; }
cluster_db_start_primary() {
  cluster_pid mariadb-primary >/dev/null && die "the MariaDB primary still runs"
  cluster_db_launch primary
  cluster_db_wait_up primary
}

# ---------------------------------------------------------------------------------------------------
# RabbitMQ cluster
# ---------------------------------------------------------------------------------------------------

# The environment of one node's server and of the CLI talking to it. HOME holds the run directory's
# Erlang cookie (shared by the three nodes and the CLI); RABBITMQ_CONF_ENV_FILE replaces the machine's
# /etc/rabbitmq/rabbitmq-env.conf, whose NODENAME is the machine's broker's.
cluster_rabbit_env() { # N
  local n=$1 dir base
  base="$(cluster_dir)/rabbitmq"
  dir="$base/node$n"
  echo HOME="$base/home" RABBITMQ_CONF_ENV_FILE="$base/rabbitmq-env.conf" \
    RABBITMQ_NODENAME="$(cluster_rabbit_node "$n")" RABBITMQ_NODE_IP_ADDRESS=127.0.0.1 \
    RABBITMQ_NODE_PORT="$(cluster_rabbit_port "$n")" RABBITMQ_DIST_PORT="$(cluster_rabbit_dist_port "$n")" \
    RABBITMQ_CONFIG_FILE="$dir/rabbitmq.conf" RABBITMQ_ADVANCED_CONFIG_FILE="$dir/advanced.config" \
    RABBITMQ_ENABLED_PLUGINS_FILE="$base/enabled_plugins" RABBITMQ_MNESIA_BASE="$dir/mnesia" \
    RABBITMQ_LOG_BASE="$dir/log" RABBITMQ_PID_FILE="$dir/beam.pid" ERL_EPMD_ADDRESS=127.0.0.1 \
    ERL_CRASH_DUMP="$dir/erl_crash.dump"
}

cluster_rabbitmqctl() { local n=$1; shift; env $(cluster_rabbit_env "$n") "$RABBIT_BIN/rabbitmqctl" -q -n "$(cluster_rabbit_node "$n")" "$@"; }

cluster_rabbit_prepare() {
  local base n
  base="$(cluster_dir)/rabbitmq"
  mkdir -p "$base/home"
  [ -f "$base/home/.erlang.cookie" ] || { head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n' > "$base/home/.erlang.cookie"; }
  chmod 400 "$base/home/.erlang.cookie"
  : > "$base/rabbitmq-env.conf"
  # No plugins: management would take the machine's 15672 and Prometheus its 15692.
  echo '[].' > "$base/enabled_plugins"
  for n in 1 2 3; do
    mkdir -p "$base/node$n/mnesia" "$base/node$n/log"
    cat > "$base/node$n/rabbitmq.conf" <<CONF
listeners.tcp.local = 127.0.0.1:$(cluster_rabbit_port "$n")
# a node cut off from the majority stops serving rather than diverging
cluster_partition_handling = pause_minority
log.console = false
log.file.level = info
CONF
    echo '[].' > "$base/node$n/advanced.config"
  done
}

cluster_rabbit_launch() { # N
  local n=$1
  # The server script's own PID: it traps TERM and stops the broker it runs; beam.pid has the VM's.
  cluster_spawn "rabbitmq-$n" "$(cluster_dir)/rabbitmq/node$n/server.out" \
    env $(cluster_rabbit_env "$n") RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS="-kernel inet_dist_use_interface {127,0,0,1}" \
    "$RABBIT_BIN/rabbitmq-server"
}

cluster_rabbit_wait_up() { # N [SECONDS]
  local n=$1 seconds=${2:-60} deadline
  deadline=$(($(date +%s) + seconds))
  # await_startup gives up at once while the node has not registered with epmd yet: ask again.
  while [ "$(date +%s)" -lt "$deadline" ]; do
    cluster_rabbitmqctl "$n" await_startup --timeout "$seconds" >/dev/null 2>&1 && return 0
    cluster_pid "rabbitmq-$n" >/dev/null || break
    sleep 0.5
  done
  tail -n 20 "$(cluster_dir)/rabbitmq/node$n/server.out" >&2 2>/dev/null
  die "RabbitMQ node $(cluster_rabbit_node "$n") did not start (logs in $(cluster_dir)/rabbitmq/node$n)"
}

cluster_rabbit_running_nodes() { # N: the running nodes as node N sees them, one a line
  cluster_rabbitmqctl "$1" eval 'lists:foreach(fun(N) -> io:format("~s~n", [N]) end, rabbit_nodes:all_running()).' 2>/dev/null \
    | grep '@' | sort
}

cluster_rabbit_wait_joined() { # N COUNT [SECONDS]
  local n=$1 want=$2 seconds=${3:-60} i
  for i in $(seq 1 $((seconds * 2))); do
    [ "$(cluster_rabbit_running_nodes "$n" | wc -l)" -ge "$want" ] && return 0
    sleep 0.5
  done
  die "RabbitMQ node $(cluster_rabbit_node "$n") sees $(cluster_rabbit_running_nodes "$n" | wc -l) running nodes, not $want"
}

cluster_rabbit_start() {
  local n vhost pids=()
  for n in 1 2 3; do
    for port in "$(cluster_rabbit_port "$n")" "$(cluster_rabbit_dist_port "$n")"; do
      port_open "$port" && die "port $port is in use; set CLUSTER_PORT_BASE to move the clustered topology"
    done
  done
  cluster_rabbit_prepare
  for n in 1 2 3; do cluster_rabbit_launch "$n"; done
}

# The second half of the start: wait for the nodes, join 2 and 3 to 1, create the vhosts and the user.
cluster_rabbit_form() {
  local n vhost pids=()
  # Each rabbitmqctl call boots an Erlang VM (1-3 s on 2 busy cores): independent calls run side by side.
  for n in 1 2 3; do cluster_rabbit_wait_up "$n" 90 & pids+=("$!"); done
  for n in "${pids[@]}"; do wait "$n" || die "a RabbitMQ node did not start"; done
  pids=()
  # One node at a time: two nodes joining at the same moment can abort each other's Mnesia schema copy
  # ({aborted, ... schema_prepare}), or leave one that joined unable to start its app (mnesia_app
  # badmatch). A node whose join or start failed is reset and tries the whole join again.
  for n in 2 3; do
    (
      for attempt in 1 2 3 4; do
        cluster_rabbitmqctl "$n" stop_app >/dev/null \
          && cluster_rabbitmqctl "$n" join_cluster "$(cluster_rabbit_node 1)" >/dev/null \
          && cluster_rabbitmqctl "$n" start_app >/dev/null && exit 0
        [ "$attempt" = 4 ] && exit 1
        echo "join attempt $attempt failed; resetting node $n and joining again"
        cluster_rabbitmqctl "$n" stop_app >/dev/null 2>&1 || true
        cluster_rabbitmqctl "$n" reset >/dev/null || true
        sleep $((attempt * 2))
      done
    ) > "$(cluster_dir)/rabbitmq/node$n/join.log" 2>&1 \
      || die "RabbitMQ node $n could not join the cluster (see $(cluster_dir)/rabbitmq/node$n/join.log)"
  done
  cluster_rabbit_wait_joined 1 3 60
  pids=()
  (cluster_rabbitmqctl 1 add_user "$CLUSTER_RABBIT_USER" "$CLUSTER_RABBIT_PASSWORD" >/dev/null &&
    cluster_rabbitmqctl 1 set_user_tags "$CLUSTER_RABBIT_USER" administrator >/dev/null) & pids+=("$!")
  for vhost in $CLUSTER_RABBIT_VHOSTS; do cluster_rabbitmqctl 1 add_vhost "$vhost" >/dev/null & pids+=("$!"); done
  for n in "${pids[@]}"; do wait "$n" || die "could not create the RabbitMQ user and virtual hosts"; done
  pids=()
  for vhost in $CLUSTER_RABBIT_VHOSTS; do
    cluster_rabbitmqctl 1 set_permissions -p "$vhost" "$CLUSTER_RABBIT_USER" '.*' '.*' '.*' >/dev/null & pids+=("$!")
  done
  for n in "${pids[@]}"; do wait "$n" || die "could not grant the RabbitMQ user its virtual hosts"; done
}

cluster_rabbit_kill_node() { # N
  local n=$1 beam
  beam="$(cat "$(cluster_dir)/rabbitmq/node$n/beam.pid" 2>/dev/null || true)"
  [ -n "$beam" ] && kill -9 "$beam" 2>/dev/null || true
  cluster_signal "rabbitmq-$n" KILL 10
}

cluster_rabbit_stop_node() { # N
  cluster_rabbitmqctl "$1" stop >/dev/null 2>&1 || true
  cluster_signal "rabbitmq-$1" TERM 30
}

# The whole broker down and up again: stopped one by one, started together (a node waits at boot
# for the peers it last saw, so starting them one at a time could stall).
cluster_rabbit_restart_all() {
  local n pids=()
  for n in 3 2 1; do cluster_rabbit_stop_node "$n"; done
  for n in 1 2 3; do cluster_rabbit_launch "$n"; done
  for n in 1 2 3; do cluster_rabbit_wait_up "$n" 120 & pids+=("$!"); done
  for n in "${pids[@]}"; do wait "$n" || die "a RabbitMQ node did not come back"; done
  cluster_rabbit_wait_joined 1 3 60
}

cluster_rabbit_start_node() { # N
  local n=$1
  cluster_pid "rabbitmq-$n" >/dev/null && die "RabbitMQ node $(cluster_rabbit_node "$n") still runs"
  cluster_rabbit_launch "$n"
  cluster_rabbit_wait_up "$n" 90
  cluster_rabbit_wait_joined "$n" 3 60
}

# ---------------------------------------------------------------------------------------------------
# The whole topology
# ---------------------------------------------------------------------------------------------------

cluster_elapsed() { awk "BEGIN {printf \"%.1f s\", $(date +%s.%N) - $1}"; }

cluster_start() { # [RUN_DIR]
  local started
  CLUSTER_RUN_DIR="$(cluster_dir "${1:-}")"
  export CLUSTER_RUN_DIR CLUSTER_PORT_BASE
  [ -d "$CLUSTER_RUN_DIR/pids" ] && [ -n "$(ls -A "$CLUSTER_RUN_DIR/pids" 2>/dev/null)" ] \
    && die "$CLUSTER_RUN_DIR/pids is not empty: a topology may still run there (cluster_stop $CLUSTER_RUN_DIR)"
  # Only a directory this library made (or an empty one) is wiped for a fresh start.
  if [ -d "$CLUSTER_RUN_DIR" ] && [ -n "$(ls -A "$CLUSTER_RUN_DIR")" ] && [ ! -f "$CLUSTER_RUN_DIR/.miaosha-cluster" ]; then
    die "$CLUSTER_RUN_DIR is not empty and not a clustered topology's run directory; give another RUN_DIR"
  fi
  cluster_require_packages
  CLUSTER_STARTING=1
  rm -rf "$CLUSTER_RUN_DIR"
  mkdir -p "$CLUSTER_RUN_DIR/pids"
  touch "$CLUSTER_RUN_DIR/.miaosha-cluster"
  CLUSTER_RUN_DIR="$(cd "$CLUSTER_RUN_DIR" && pwd)"
  started=$(date +%s.%N)
  log "starting the clustered topology in $CLUSTER_RUN_DIR (ports from $CLUSTER_PORT_BASE)"
  # RabbitMQ boots slowest: launch its nodes first and form the cluster last.
  cluster_rabbit_start
  cluster_redis_start
  log "$(cluster_elapsed "$started") Redis Cluster ok: 3 masters, 3 replicas on $(cluster_redis_ports | tr '\n' ' ')"
  cluster_db_start
  log "$(cluster_elapsed "$started") MariaDB primary $(cluster_db_port primary) replicating to $(cluster_db_port replica) (GTID)"
  cluster_rabbit_form
  log "$(cluster_elapsed "$started") RabbitMQ cluster of 3 on $(cluster_rabbit_port 1), $(cluster_rabbit_port 2), $(cluster_rabbit_port 3)"
  cluster_env > "$CLUSTER_RUN_DIR/cluster.env"
  cluster_test_env > "$CLUSTER_RUN_DIR/cluster-test.env"
  log "clustered topology up in $(cluster_elapsed "$started"); env: $CLUSTER_RUN_DIR/cluster.env (services), cluster-test.env (tests)"
}

cluster_stop() { # [RUN_DIR]
  local dir file name n
  dir="$(cluster_dir "${1:-}")"
  [ -d "$dir/pids" ] || return 0
  CLUSTER_RUN_DIR="$dir"
  for n in 3 2 1; do
    if cluster_pid "rabbitmq-$n" >/dev/null; then
      cluster_signal "rabbitmq-$n" TERM 30
      # the VM, should the script have gone first
      local beam
      beam="$(cat "$dir/rabbitmq/node$n/beam.pid" 2>/dev/null || true)"
      if [ -n "$beam" ] && [ -d "/proc/$beam" ] && grep -q "$(cluster_rabbit_node "$n")" "/proc/$beam/cmdline" 2>/dev/null; then
        kill -9 "$beam" 2>/dev/null || true
      fi
    fi
  done
  for file in "$dir"/pids/*.pid; do
    [ -e "$file" ] || continue
    name="$(basename "$file" .pid)"
    cluster_signal "$name" TERM 30
  done
  log "clustered topology in $dir stopped"
}

# Every TCP port the topology listens on, one a line (a stopped topology leaves none open).
cluster_ports() {
  local n
  cluster_redis_ports
  for n in $(cluster_redis_ports); do echo $((n + 10000)); done
  cluster_db_port primary; cluster_db_port replica
  for n in 1 2 3; do cluster_rabbit_port "$n"; cluster_rabbit_dist_port "$n"; done
}

# The services' configuration for running against the topology (their application.properties read
# these). Not for the test command's own Maven run: QUARKUS_REDIS_CLIENT_TYPE and RABBITMQ_* would
# move every module's tests onto the cluster; tests get cluster_test_env instead.
cluster_env() { # [RUN_DIR]
  cat <<ENV
export MIAOSHA_REDIS_URL='$(cluster_redis_urls)'
export QUARKUS_REDIS_CLIENT_TYPE=cluster
export MIAOSHA_DB_HOST=127.0.0.1
export MIAOSHA_DB_PORT=$(cluster_db_port primary)
export MIAOSHA_DB_READ_HOST=127.0.0.1
export MIAOSHA_DB_READ_PORT=$(cluster_db_port replica)
export MIAOSHA_DB_NAME=miaosha
export MIAOSHA_DB_USER=$CLUSTER_DB_USER
export MIAOSHA_DB_PASSWORD=$CLUSTER_DB_PASSWORD
export RABBITMQ_HOST=127.0.0.1
export RABBITMQ_PORT=$(cluster_rabbit_port 1)
export RABBITMQ_ADDRESSES='$(cluster_rabbit_addresses)'
export RABBITMQ_USERNAME=$CLUSTER_RABBIT_USER
export RABBITMQ_PASSWORD=$CLUSTER_RABBIT_PASSWORD
export RABBITMQ_VIRTUAL_HOST=${CLUSTER_RABBIT_VHOSTS%% *}
ENV
}

# For tests that target the topology on purpose: names no service reads, so exporting them before
# ./mvnw leaves every other test on the single-node servers. MIAOSHA_CLUSTER_REDIS_URL also turns on
# common's redis-cluster test profile.
cluster_test_env() { # [RUN_DIR]
  cat <<ENV
export MIAOSHA_CLUSTER_REDIS_URL='$(cluster_redis_urls)'
export MIAOSHA_CLUSTER_DB_PRIMARY=127.0.0.1:$(cluster_db_port primary)
export MIAOSHA_CLUSTER_DB_REPLICA=127.0.0.1:$(cluster_db_port replica)
export MIAOSHA_CLUSTER_DB_USER=$CLUSTER_DB_USER
export MIAOSHA_CLUSTER_DB_PASSWORD=$CLUSTER_DB_PASSWORD
export MIAOSHA_CLUSTER_RABBITMQ_ADDRESSES='$(cluster_rabbit_addresses)'
export MIAOSHA_CLUSTER_RABBITMQ_VHOST=${CLUSTER_RABBIT_VHOSTS##* }
export MIAOSHA_CLUSTER_RABBITMQ_USER=$CLUSTER_RABBIT_USER
export MIAOSHA_CLUSTER_RABBITMQ_PASSWORD=$CLUSTER_RABBIT_PASSWORD
export CLUSTER_RUN_DIR='$(cluster_dir "${1:-}")'
export CLUSTER_PORT_BASE=$CLUSTER_PORT_BASE
ENV
}

cluster_redis_urls() { local urls="" port; for port in $(cluster_redis_ports); do urls+="${urls:+,}redis://127.0.0.1:$port"; done; echo "$urls"; }
cluster_rabbit_addresses() { echo "127.0.0.1:$(cluster_rabbit_port 1),127.0.0.1:$(cluster_rabbit_port 2),127.0.0.1:$(cluster_rabbit_port 3)"; }

cluster_status() {
  local masters replicas=0 port
  masters="$(cluster_redis_masters 2>/dev/null | tr '\n' ' ')"
  for port in $(cluster_redis_ports); do
    cluster_redis_cli "$port" info replication 2>/dev/null | tr -d '\r' | grep -q '^master_link_status:up' && replicas=$((replicas + 1))
  done
  echo "redis: masters ${masters:-none}; replicas in sync: $replicas"
  echo "mariadb: primary $(cluster_db primary -N -e 'select @@gtid_binlog_pos' 2>/dev/null || echo down); replica lag $(cluster_db_replica_lag 2>/dev/null || echo down)"
  echo "rabbitmq: running $(cluster_rabbit_running_nodes 1 2>/dev/null | tr '\n' ' ')"
}

if [ "${BASH_SOURCE[0]}" = "$0" ]; then
  set -euo pipefail
  source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
  command=${1:-}
  [ $# -gt 0 ] && shift
  case "$command" in
    start)
      # A start that fails half way stops what it had started.
      trap '[ -z "${CLUSTER_STARTING:-}" ] || [ -n "${CLUSTER_STARTED:-}" ] || cluster_stop "$CLUSTER_RUN_DIR"' EXIT
      cluster_start "$@"
      CLUSTER_STARTED=1
      ;;
    stop) cluster_stop "$@" ;;
    env) cluster_env "$@" ;;
    status) CLUSTER_RUN_DIR="$(cluster_dir "${1:-}")"; cluster_status ;;
    *)
      # Any other function by its name without the prefix, for a test in another language, e.g.
      # CLUSTER_RUN_DIR=/tmp/c scripts/lib/cluster.sh redis_kill_master 17001
      function="cluster_${command//-/_}"
      [ -n "$command" ] && declare -F "$function" >/dev/null \
        || die "usage: scripts/lib/cluster.sh start|stop|env|status [RUN_DIR], or FUNCTION ARGS... (e.g. redis_kill_master 17001)"
      "$function" "$@"
      ;;
  esac
fi
