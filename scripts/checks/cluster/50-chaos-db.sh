# Chaos: the MariaDB primary stopped for 60 s in the middle of a purchase storm with payments,
# replays and expiries, then started again. Purchases go on from Redis the whole time; the workers
# wait (their messages go round the retry queue with capped back-off) instead of parking; payments
# answer 503 store-unavailable while the primary is down and are retried with the same key. Once it is
# back the backlog drains and the one invariant checker passes: every 202 one row with the right final
# status, nothing lost, nothing oversold, nobody above the limit, every hold paid or expired, replays
# answered the first result; nothing parked. Sourced by check 70 (scripts/checks/cluster/README.md).
# CHAOS_DB_DOWN_SECONDS (60) shortens the outage while working on it.
source "$ROOT/scripts/lib/chaos.sh"

DB_DOWN=${CHAOS_DB_DOWN_SECONDS:-60}
chaos_begin db 300 1 20 500
CHAOS_PARKED_BEFORE="$(chaos_parked)"
chaos_storm $((DB_DOWN + 25)) --attempts 2 --pay-share 0.5 --replay-share 0.2 --concurrency 60
chaos_wait_sold 30

holds() { redis-cli -c -h 127.0.0.1 -p $((CLUSTER_PORT_BASE + 1)) HLEN "{sale:$CHAOS_SALE}:holds"; }
holds_before="$(holds)"
log "chaos db: stopping the MariaDB primary for $DB_DOWN s ($holds_before orders so far)"
cluster_db_stop_primary
down_at=$(date +%s)
sleep "$DB_DOWN"
holds_at_start="$(holds)"
cluster_db_start_primary
up_at=$(date +%s)
log "chaos db: primary back after $((up_at - down_at)) s; $((holds_at_start - holds_before)) orders accepted while it was down"
# The purchase path needs no primary: the session check reads the replica while the writer is away.
[ "$((holds_at_start - holds_before))" -gt 0 ] || fail "chaos db: no purchase was accepted while the primary was down"
# Recovery: every order accepted while the primary was down has its row.
backlog_drained() { [ "$(primary "SELECT COUNT(*) FROM orders WHERE sale_id = $CHAOS_SALE")" -ge "$holds_at_start" ]; }
eventually 120 "chaos db: the orders accepted during the outage did not reach the primary ($(primary "SELECT COUNT(*) FROM orders WHERE sale_id = $CHAOS_SALE") of $holds_at_start)" backlog_drained
recovered=$(($(date +%s) - up_at))
log "chaos db: the outage's backlog drained $recovered s after the primary came back"

chaos_storm_wait
chaos_check 60
chaos_nothing_parked
cluster_db_wait_replica 60
for port in $STACK_API_PORTS $STACK_WORKER_PORTS; do
  eventually 60 "chaos db: the service on $port is not ready after the outage" curl -fsS "http://127.0.0.1:$port/q/health/ready"
done
log "$(chaos_line "MariaDB primary stopped ${DB_DOWN} s mid-storm" "$recovered")"
