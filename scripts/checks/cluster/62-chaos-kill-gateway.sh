# Chaos: kill -9 of a queue-gateway with shoppers in its waiting room (issue 13), sourced by check 70.
# 40 shoppers queue for a waiting-room sale (capacity 4 inside at once, stock 40, limit 1), their sockets
# on both gateways in turn (scripts/lib/QueueFleet.java: a closed socket joins again on the next
# gateway, as behind the load balancer; the edge allows only 4 sockets per address, so the fleet goes to
# the gateways directly; an admitted shopper buys with its admission token). Once a few have bought,
# queue-gateway-1 is killed -9 and restarted; its shoppers' sockets die, they join again on the other
# gateway, and every one of them is admitted and buys: nobody is stranded. Meanwhile
# the number of shoppers inside (the sale's q:inside set) is sampled: never above the capacity.

QG="$WORK/chaos-kill-gateway"
rm -rf "$QG"
mkdir -p "$QG"
QG_SHOPPERS=40 QG_CAPACITY=4
QG_SALE=$(primary "INSERT INTO products (sku, name) VALUES (CONCAT('gateway-', UUID()), 'Queue sneaker');
  INSERT INTO sales (product_id, title, price_minor, currency, stock, opens_at, closes_at, per_user_limit,
                     queue_capacity, window_seconds, hold_seconds, queue_enabled)
  VALUES (LAST_INSERT_ID(), 'Queue drop', 1999, 'EUR', $QG_SHOPPERS, UTC_TIMESTAMP(3) - INTERVAL 1 MINUTE,
          UTC_TIMESTAMP(3) + INTERVAL 1 HOUR, 1, $QG_CAPACITY, 60, 900, TRUE);
  SELECT LAST_INSERT_ID();")
new_shoppers "$QG_SHOPPERS" "$QG/shoppers"
arm "$QG_SALE"
qg_redis() { redis-cli -c -h 127.0.0.1 -p $((CLUSTER_PORT_BASE + 1)) "$@"; }

FLEET_STATUS="$QG/open" "$JAVA_HOME/bin/java" -cp "$(test_support_classes)" "$ROOT/scripts/lib/QueueFleet.java" "$KEY" "$QG_SALE" "$QG/shoppers" \
  "ws://127.0.0.1:$(stack_port "$STACK_GATEWAY_PORTS" 1),ws://127.0.0.1:$(stack_port "$STACK_GATEWAY_PORTS" 2)" "$API1,$API2" 150 > "$QG/fleet.out" 2> "$QG/fleet.err" & QG_FLEET=$!
CLIENTS+=("$QG_FLEET")
( while kill -0 "$QG_FLEET" 2>/dev/null; do qg_redis ZCARD "{sale:$QG_SALE}:q:inside" 2>/dev/null; sleep 0.2; done ) > "$QG/inside" &
QG_SAMPLER=$!

qg_sold() { echo $((QG_SHOPPERS - $(qg_redis GET "{sale:$QG_SALE}:stock" 2>/dev/null || echo "$QG_SHOPPERS"))); }
# Killed once a few bought and shoppers wait on queue-gateway-1 (on a quiet machine the fleet is quick:
# a kill timed by sales alone once came when no socket was open there, and proved nothing).
QG_GW1="ws://127.0.0.1:$(stack_port "$STACK_GATEWAY_PORTS" 1)"
qg_some_sold() {
  [ "$(qg_sold)" -ge 4 ] && awk -v gw="$QG_GW1" '$1 == gw && $2 > 0 {on = 1} END {exit !on}' "$QG/open" 2>/dev/null
}
eventually 120 "chaos kill gateway: nobody bought through the waiting room, or no socket stayed open on queue-gateway-1 ($(cat "$QG/open" 2>/dev/null | tr '\n' ' '); $(tail -3 "$QG/fleet.err"))" qg_some_sold
log "chaos kill gateway: queue-gateway-1 killed -9 with $(qg_sold) of $QG_SHOPPERS bought, sockets open: $(tr '\n' ' ' < "$QG/open")"
killed_at=$(date +%s)
stack_service_kill "$STACK_DIR" queue-gateway-1 KILL
stack_service_restart "$STACK_DIR" queue-gateway-1
restarted=$(($(date +%s) - killed_at))
wait "$QG_FLEET" || { cat "$QG/fleet.err" >&2; fail "chaos kill gateway: the waiting-room fleet failed"; }
wait "$QG_SAMPLER" 2>/dev/null || true
log "chaos kill gateway: fleet $(tr '\n' ' ' < "$QG/fleet.out")"
qg_figure() { sed -n "s|^$1=||p" "$QG/fleet.out"; }
[ "$(qg_figure bought)" = "$QG_SHOPPERS" ] || fail "chaos kill gateway: $(qg_figure bought) of $QG_SHOPPERS shoppers bought ($(tr '\n' ' ' < "$QG/fleet.out"))"
[ "$(qg_figure reconnects)" -gt 0 ] 2>/dev/null || fail "chaos kill gateway: no open socket had to join again: the kill missed the waiting room"
max_inside=$(sort -n "$QG/inside" | tail -1)
[ -n "$max_inside" ] && [ "$max_inside" -le "$QG_CAPACITY" ] || fail "chaos kill gateway: $max_inside shoppers inside at once, above the capacity of $QG_CAPACITY"
[ "$(qg_redis GET "{sale:$QG_SALE}:stock")" = 0 ] || fail "chaos kill gateway: Redis stock is $(qg_redis GET "{sale:$QG_SALE}:stock"), not 0"
qg_rows() { [ "$(primary "SELECT COUNT(*) FROM orders WHERE sale_id = $QG_SALE")" = "$QG_SHOPPERS" ]; }
eventually 60 "chaos kill gateway: $(primary "SELECT COUNT(*) FROM orders WHERE sale_id = $QG_SALE") order rows, not $QG_SHOPPERS" qg_rows
for port in $STACK_GATEWAY_PORTS; do
  eventually 60 "chaos kill gateway: the gateway on $port is not ready" curl -fsS "http://127.0.0.1:$port/q/health/ready"
done
log "chaos kill gateway: all $QG_SHOPPERS shoppers bought through the waiting room across the kill ($(qg_figure reconnects) sockets joined again, at most $max_inside of $QG_CAPACITY inside at once, $(wc -l < "$QG/inside") samples); gateway ready again ${restarted} s after its kill"
