# Chaos: RabbitMQ faults in the middle of one purchase storm with payments, replays and expiries.
#   1. node 1 (the first address of every service) killed -9, then started again: the quorum queues
#      keep a majority on nodes 2 and 3, publishers (the outbox relay, the hold timers) and consumers
#      (both workers) reconnect to the others;
#   2. the whole broker (all 3 nodes) stopped and started again under load: the outbox keeps every
#      accepted order in Redis until the broker confirms it, the quorum queues keep what they had.
# Then the one invariant checker passes (nothing lost, nothing oversold, every hold paid or expired,
# replays answered the first result), nothing is parked, and both workers consume the persist queue
# again. Sourced by check 70 (scripts/checks/cluster/README.md).
source "$ROOT/scripts/lib/chaos.sh"

chaos_begin broker 300 1 20 600
CHAOS_PARKED_BEFORE="$(chaos_parked)"
chaos_storm 100 --attempts 2 --pay-share 0.5 --replay-share 0.2 --concurrency 60
chaos_wait_sold 30

rows() { primary "SELECT COUNT(*) FROM orders WHERE sale_id = $CHAOS_SALE"; }
holds() { redis-cli -c -h 127.0.0.1 -p $((CLUSTER_PORT_BASE + 1)) HLEN "{sale:$CHAOS_SALE}:holds"; }
# drained SINCE: seconds from SINCE until every order accepted by then has its row
drained() {
  local since=$1 accepted
  accepted="$(holds)"
  drained_now() { [ "$(rows)" -ge "$accepted" ]; }
  eventually 120 "chaos broker: the orders accepted by now did not reach MySQL ($(rows) of $accepted)" drained_now
  echo $(($(date +%s) - since))
}

log "chaos broker: kill -9 of RabbitMQ node 1 ($(chaos_sold) units sold so far)"
cluster_rabbit_kill_node 1
killed_at=$(date +%s)
sleep 10
cluster_rabbit_start_node 1
node_back=$(date +%s)
node_recovered="$(drained "$node_back")"
log "chaos broker: node 1 back $((node_back - killed_at)) s after the kill; backlog drained $node_recovered s later"

log "chaos broker: stopping and starting all three nodes ($(chaos_sold) units sold so far)"
restart_at=$(date +%s)
cluster_rabbit_restart_all
broker_back=$(date +%s)
broker_recovered="$(drained "$broker_back")"
log "chaos broker: the broker was away $((broker_back - restart_at)) s; backlog drained $broker_recovered s after it was back"

chaos_storm_wait
chaos_check 90
chaos_nothing_parked
consumers() { cluster_rabbitmqctl 1 list_queues -p "${CLUSTER_RABBIT_VHOSTS%% *}" name consumers --no-table-headers | awk '$1 == "miaosha.orders.persist" {print $2}'; }
both_consume() { [ "$(consumers)" = 2 ]; }
eventually 60 "chaos broker: not both workers consume miaosha.orders.persist again ($(consumers))" both_consume
for port in $STACK_API_PORTS $STACK_WORKER_PORTS; do
  eventually 60 "chaos broker: the service on $port is not ready after the broker came back" curl -fsS "http://127.0.0.1:$port/q/health/ready"
done
log "$(chaos_line "RabbitMQ node killed -9 mid-storm, then all 3 nodes restarted" "$node_recovered + $broker_recovered")"
