#!/usr/bin/env bash
# The whole system on the clustered topology (scripts/lib/cluster-stack.sh, what `scripts/run.sh
# --cluster` starts): Redis Cluster, MariaDB primary + replica, 3-node RabbitMQ with quorum order
# queues, two instances each of flash-sale-api, queue-gateway and order-worker, nginx in front.
# Started once, then:
#   storm      2,000 purchase attempts by 500 shoppers (4 each) spread over both API instances, on a
#              sale of 100 with a limit of 2: exactly 100 accepted (both instances accepting some),
#              the rest 409, no 5xx, nothing unanswered; Redis stock 0, 100 holds, nobody above 2;
#              every 202 exactly one order row (and one history row) on the primary, nobody above 2 there
#   edge       purchases through nginx reach both instances of the hot upstream, catalog reads both of
#              the general one
#   broker     every order queue is a quorum queue with members on the three nodes; both workers
#              consume the persist queue; the services reach RabbitMQ only through the address list
#              (RABBITMQ_PORT is a closed port here)
#   replica    a sale, and an order of a shopper, that exist only on the replica are served by the
#              catalog and the order history: those reads go to the replica
#   admin      with the replica's SQL thread stopped, a sale created and armed through the admin API is
#              answered from the primary while the public catalog (the replica) does not have it yet
#   pay        a storm order paid through the edge is PAID on the primary (paid queue, quorum) and its
#              confirmation email is sent
#   room       a shopper on each gateway queues for the demo sale, is admitted and buys with the token
#   expiry     an unpaid hold of 4 s expires through the quorum hold-timer queue: EXPIRED on the
#              primary, the unit back in Redis, and another shopper buys it
#   failover   the sale's Redis master killed -9 mid-storm: every 202 on the promoted master and in
#              MySQL, no unit held twice, in-flight attempts answered 503/409, never 500 or nothing
#   scenarios  then every scripts/checks/cluster/*.sh, in name order, sourced on the same stack: each
#              makes its own sales and shoppers with the functions below: 10-shards (12 sales over the three
#              masters in one storm, a queued sale per master), 20-room-order (60 WebSocket shoppers over both
#              gateways: capacity, ticket order, one purchase per token), and the chaos suite (50-70)
# While working on a scenario: CLUSTER_ATTACH=DIR runs against a stack already started in DIR (by
# `scripts/lib/cluster-stack.sh run`-style cluster_stack_start, same CLUSTER_SYSTEM_PORT_BASE) and leaves
# it running; CLUSTER_ONLY_SCENARIOS=GLOB (e.g. '*chaos-db*') skips the sections above and runs only the
# scenario files whose name matches.
# Own ports (CLUSTER_PORT_BASE 17200 unless CLUSTER_SYSTEM_PORT_BASE says otherwise; check 60 uses
# 17100, a developer's --cluster run 17000) and own directory; stops only what it started.
set -euo pipefail
source "$(dirname "$0")/../lib/env.sh"
source "$ROOT/scripts/lib/nginx.sh"
source "$ROOT/scripts/lib/lifecycle.sh"
source "$ROOT/scripts/lib/stack.sh"
source "$ROOT/scripts/lib/cluster.sh"
source "$ROOT/scripts/lib/cluster-stack.sh"

export CLUSTER_PORT_BASE="${CLUSTER_SYSTEM_PORT_BASE:-17200}"
export STACK_PORTS_FROM_BASE=1
# No service may fall back to host:port: a closed port there leaves only the address list.
export STACK_RABBITMQ_PORT=$((CLUSTER_PORT_BASE + 671))
STACK_DIR="${CLUSTER_ATTACH:-$(mktemp -d /tmp/miaosha-cluster-system.XXXXXX)}"
WORK="$STACK_DIR/check"
rm -rf "$WORK"
mkdir -p "$WORK"
command -v jq >/dev/null || apt_install jq

STOCK=100 LIMIT=2 SHOPPERS=500 ATTEMPTS_EACH=4

CLIENTS=()
cleanup() {
  local status=$?
  if [ "${#CLIENTS[@]}" -gt 0 ]; then kill "${CLIENTS[@]}" 2>/dev/null || true; wait "${CLIENTS[@]}" 2>/dev/null || true; fi
  if [ -n "${CLUSTER_ATTACH:-}" ]; then log "the stack in $STACK_DIR keeps running (CLUSTER_ATTACH)"; exit "$status"; fi
  cluster_stack_stop "$STACK_DIR" || true
  local left="" port
  for port in $(stack_all_ports) $(cluster_ports); do port_open "$port" && left+=" port $port"; done
  left+="$(pgrep -f -- "$STACK_DIR" | tr '\n' ' ' || true)"
  [ -z "${left// /}" ] || { log "still running after the stop:$left"; status=1; }
  if [ "$status" = 0 ]; then rm -rf "$STACK_DIR"; else log "logs kept in $STACK_DIR (services: logs/, engines: cluster/)"; fi
  exit "$status"
}
trap cleanup EXIT
fail() {
  local f
  for f in "$STACK_DIR"/logs/flash-sale-api-*.log "$STACK_DIR"/logs/order-worker-*.log; do
    [ -e "$f" ] || continue
    printf '\n--- %s ---\n' "$(basename "$f")" >&2; grep -E 'ERROR|WARN' "$f" | tail -15 >&2 || true
  done
  die "cluster system: $*"
}
eventually() { # seconds description command...
  local seconds=$1 what=$2 i; shift 2
  for i in $(seq 1 $((seconds * 2))); do "$@" >/dev/null 2>&1 && return 0; sleep 0.5; done
  fail "$what"
}

t0=$(date +%s)
if [ -n "${CLUSTER_ATTACH:-}" ]; then cluster_stack_attach "$STACK_DIR"; else cluster_stack_start "$STACK_DIR"; fi
start_seconds=$(($(date +%s) - t0))
API1="http://127.0.0.1:$(stack_port "$STACK_API_PORTS" 1)"
API2="http://127.0.0.1:$(stack_port "$STACK_API_PORTS" 2)"
EDGE="http://127.0.0.1:$STACK_WEB_PORT"
VHOST=${CLUSTER_RABBIT_VHOSTS%% *}

primary() { cluster_db primary -N -B miaosha -e "$1"; }
replica() { cluster_db replica -N -B miaosha -e "$1"; }
rcli() { redis-cli -c -h 127.0.0.1 -p $((CLUSTER_PORT_BASE + 1)) "$@"; }
login() { curl -fsS -XPOST "$EDGE/api/auth/login" -H 'Content-Type: application/json' -d "{\"email\":\"$1\",\"password\":\"$2\"}" | jq -r .token; }
arm() { # sale
  local code
  code=$(curl -sS -o "$WORK/arm.out" -w '%{http_code}' -XPOST "$EDGE/api/admin/sales/$1/arm" -H "Authorization: Bearer $ADMIN")
  [ "$code" = 200 ] || fail "arming sale $1 answered $code: $(cat "$WORK/arm.out")"
}
live_sale() { # stock limit hold-seconds
  primary "INSERT INTO products (sku, name) VALUES (CONCAT('cluster-', UUID()), 'Cluster sneaker');
    INSERT INTO sales (product_id, title, price_minor, currency, stock, opens_at, closes_at, per_user_limit,
                       queue_capacity, window_seconds, hold_seconds)
    VALUES (LAST_INSERT_ID(), 'Cluster drop', 1999, 'EUR', $1, UTC_TIMESTAMP(3) - INTERVAL 1 MINUTE,
            UTC_TIMESTAMP(3) + INTERVAL 1 HOUR, $2, 100, 600, $3);
    SELECT LAST_INSERT_ID();"
}

ADMIN=$(login admin@test.com adminadmin)
[ -n "$ADMIN" ] && [ "$ADMIN" != null ] || fail "the demo admin could not log in through the edge"

# new_shoppers COUNT FILE: COUNT fresh shoppers in MySQL, "id email" lines in FILE (tokens are minted
# with the signing key, so their password hash is never checked).
new_shoppers() {
  local prefix="shopper-$(date +%s%N)-$RANDOM"
  primary "INSERT INTO users (email, password_hash, role)
    SELECT CONCAT('$prefix-', seq, '@test.miaosha.dev'), '\$2a\$04\$notarealhashnotarealhashnotarealhashnotarealhashnotre', 'shopper'
    FROM seq_1_to_$1"
  primary "SELECT id, email FROM users WHERE email LIKE '$prefix-%' ORDER BY id" > "$2"
  [ "$(wc -l < "$2")" = "$1" ] || fail "could not create $1 shoppers"
}
KEY="${SMALLRYE_JWT_SIGN_KEY_LOCATION:-$ROOT/flash-sale-api/src/main/resources/dev-keys/privateKey.pem}"
mint() { mint_tokens "$KEY" "$1" "$2"; }

if [ -z "${CLUSTER_ONLY_SCENARIOS:-}" ]; then
# --- waiting room (joined now, checked at the end: the demo sale opens two minutes after the start) ---
# Shoppers on both gateways queue for the demo sale and buy with their admission tokens: the admission
# loop, the queue's pub/sub and the purchase with an admission token, all on the Redis Cluster.
GW1="ws://127.0.0.1:$(stack_port "$STACK_GATEWAY_PORTS" 1)" GW2="ws://127.0.0.1:$(stack_port "$STACK_GATEWAY_PORTS" 2)"
CLIENTS=()
"$JAVA_HOME/bin/java" "$ROOT/loadtest/queue/WaitingRoomClient.java" demo@test.com demodemo 1 --buy --api "$API1" --ws "$GW1" \
  > "$WORK/room-1.out" 2>&1 & CLIENTS+=("$!")
"$JAVA_HOME/bin/java" "$ROOT/loadtest/queue/WaitingRoomClient.java" "room-$RANDOM$RANDOM@test.miaosha.dev" longenough 1 --buy \
  --api "$API2" --ws "$GW2" > "$WORK/room-2.out" 2>&1 & CLIENTS+=("$!")

# --- storm ------------------------------------------------------------------------------------------
SALE=$(live_sale "$STOCK" "$LIMIT" 900)
prefix="cluster-$(date +%s)-$RANDOM"
primary "INSERT INTO users (email, password_hash, role)
  SELECT CONCAT('$prefix-', seq, '@test.miaosha.dev'), '\$2a\$04\$notarealhashnotarealhashnotarealhashnotarealhashnotre', 'shopper'
  FROM seq_1_to_$SHOPPERS"
primary "SELECT id, email FROM users WHERE email LIKE '$prefix-%' ORDER BY id" > "$WORK/shoppers"
[ "$(wc -l < "$WORK/shoppers")" = "$SHOPPERS" ] || fail "could not create $SHOPPERS shoppers"
arm "$SALE"
# One purchase through each instance first, on a sale of its own: an instance's first purchase loads
# classes and opens connections for seconds on a busy machine, and the storm's 100 units go in about a
# second, so a cold instance could sell none of them (seen once: 100 on one instance, 0 on the other).
WARM_SALE=$(live_sale 2 1 900)
arm "$WARM_SALE"
warm_n=0
for api in "$API1" "$API2"; do
  warm_n=$((warm_n + 1))
  read -r warm_id warm_email <<<"$(sed -n "${warm_n}p" "$WORK/shoppers")"
  warm_code=$(curl -sS -o "$WORK/warm.out" -w '%{http_code}' -XPOST "$api/api/sales/$WARM_SALE/purchase" \
    -H "Authorization: Bearer $(mint_tokens "$KEY" "$warm_id" "$warm_email")" -H 'Content-Type: application/json' -d '{"quantity":1}')
  [ "$warm_code" = 202 ] || fail "the warm-up purchase on $api answered $warm_code: $(cat "$WORK/warm.out")"
done
log "storm: $((SHOPPERS * ATTEMPTS_EACH)) attempts by $SHOPPERS shoppers on sale $SALE (stock $STOCK, limit $LIMIT) over $API1 and $API2"
"$JAVA_HOME/bin/java" -cp "$(test_support_classes)" "$ROOT/scripts/lib/PurchaseStorm.java" "$KEY" "$SALE" "$WORK/shoppers" "$ATTEMPTS_EACH" 200 \
  "$WORK" "$API1,$API2" > "$WORK/storm.out" 2> "$WORK/storm.err" || { cat "$WORK/storm.err" >&2; fail "the storm driver failed"; }
result() { sed -n "s|^$1=||p" "$WORK/storm.out"; }
log "storm answered: $(tr '\n' ' ' < "$WORK/storm.out")"
[ "$(result lost)" = 0 ] || fail "$(result lost) attempts went unanswered: $(head -5 "$WORK/storm.err")"
[ "$(result status.202)" = "$STOCK" ] || fail "accepted $(result status.202), not $STOCK"
[ "$(result status.409)" = $((SHOPPERS * ATTEMPTS_EACH - STOCK)) ] || fail "the rest are not all 409 (sold out / over the limit): $(tr '\n' ' ' < "$WORK/storm.out")"
[ "$(grep -c '^status\.' "$WORK/storm.out")" = 2 ] || fail "answers other than 202 and 409: $(tr '\n' ' ' < "$WORK/storm.out")"
[ "$(result "accepted.$API1")" -gt 0 ] && [ "$(result "accepted.$API2")" -gt 0 ] || fail "not both API instances sold: $(tr '\n' ' ' < "$WORK/storm.out")"
[ "$(wc -l < "$WORK/accepted")" = "$STOCK" ] && ! grep -q '^no-order-id' "$WORK/accepted" || fail "a 202 without an order id"
[ "$(rcli GET "{sale:$SALE}:stock")" = 0 ] || fail "Redis stock is $(rcli GET "{sale:$SALE}:stock"), not 0"
[ "$(rcli HLEN "{sale:$SALE}:holds")" = "$STOCK" ] || fail "Redis holds $(rcli HLEN "{sale:$SALE}:holds"), not $STOCK"
rcli HGETALL "{sale:$SALE}:users" | awk 'NR % 2 == 0' > "$WORK/units"
awk -v limit="$LIMIT" '$1 > limit {bad = 1} {sum += $1} END {exit !(sum == 100 && !bad)}' "$WORK/units" \
  || fail "Redis units per user: someone above $LIMIT, or not $STOCK in all ($(sort | uniq -c < "$WORK/units" | tr '\n' ' '))"

orders_in_mysql() { [ "$(primary "SELECT COUNT(*) FROM orders WHERE sale_id = $SALE")" -ge "$STOCK" ]; }
eventually 120 "the $STOCK orders did not all reach the primary ($(primary "SELECT COUNT(*) FROM orders WHERE sale_id = $SALE") there)" orders_in_mysql
sleep 2 # a redelivery after the drain would show as an extra row now
primary "SELECT id FROM orders WHERE sale_id = $SALE ORDER BY id" > "$WORK/mysql-ids"
awk '{print $1}' "$WORK/accepted" | sort > "$WORK/accepted-ids"
sort -c "$WORK/mysql-ids" 2>/dev/null || sort -o "$WORK/mysql-ids" "$WORK/mysql-ids"
diff -q "$WORK/accepted-ids" "$WORK/mysql-ids" >/dev/null || fail "the primary's order rows are not exactly the accepted orders: $(diff "$WORK/accepted-ids" "$WORK/mysql-ids" | head -5)"
[ "$(primary "SELECT COUNT(*) FROM order_status_history h JOIN orders o ON o.id = h.order_id WHERE o.sale_id = $SALE")" = "$STOCK" ] \
  || fail "not one status-history row per order"
[ "$(primary "SELECT COUNT(*) FROM (SELECT user_id FROM orders WHERE sale_id = $SALE GROUP BY user_id HAVING SUM(quantity) > $LIMIT) x")" = 0 ] \
  || fail "a shopper above the limit in MySQL"
log "storm: exactly $STOCK sold ($(result "accepted.$API1") on instance 1, $(result "accepted.$API2") on instance 2) in $(result millis) ms; each 202 one row on the primary; nobody above $LIMIT"

# --- broker ----------------------------------------------------------------------------------------
cluster_rabbitmqctl 1 list_queues -p "$VHOST" name type members consumers --no-table-headers > "$WORK/queues"
[ "$(grep -c '^miaosha\.orders\.' "$WORK/queues")" -ge 10 ] || fail "the order queues were not declared: $(cat "$WORK/queues")"
grep '^miaosha\.orders\.' "$WORK/queues" | grep -v quorum && fail "order queues that are not quorum queues (above)"
for n in 1 2 3; do
  [ "$(grep '^miaosha\.orders\.persist\s' "$WORK/queues" | grep -c "$(cluster_rabbit_node "$n")")" = 1 ] || fail "node $n is no member of miaosha.orders.persist"
done
grep -q '^miaosha\.orders\.hold-timers\.900000ms\s.*quorum' "$WORK/queues" || fail "the hold-timer queue of the storm is no quorum queue"
[ "$(awk '$1 == "miaosha.orders.persist" {print $NF}' "$WORK/queues")" = 2 ] || fail "not both workers consume miaosha.orders.persist: $(grep persist "$WORK/queues")"
log "broker: $(grep -c '^miaosha\.orders\.' "$WORK/queues") order queues, all quorum on 3 nodes; 2 consumers on the persist queue; services connected through the address list only"

# --- edge ------------------------------------------------------------------------------------------
for i in $(seq 1 10); do
  curl -sS -o /dev/null "$EDGE/api/sales"
  curl -sS -o /dev/null -XPOST "$EDGE/api/sales/$SALE/purchase" -H 'Content-Type: application/json' -d '{"quantity":1}'
done
upstreams_of() { awk -v path="$1" '$1 ~ path {print $2}' "$STACK_DIR/edge/upstream.log" | tr ',' '\n' | tr -d ' ' | sort -u | grep -c .; }
[ "$(upstreams_of '^/api/sales/[0-9]+/purchase$')" = 2 ] || fail "purchases through the edge did not reach both hot instances: $(tail -20 "$STACK_DIR/edge/upstream.log")"
[ "$(upstreams_of '^/api/sales$')" = 2 ] || fail "catalog reads through the edge did not reach both general instances"
log "edge: purchases balanced over both hot-upstream instances, catalog reads over both general ones"

# --- replica ---------------------------------------------------------------------------------------
cluster_db_wait_replica 30
GHOST=900000001
# Written on the replica alone (as root, past read_only), under ids the primary never reaches, and kept
# out of the replica's binlog: a GTID of its own would put the primary's next ones out of order.
replica "SET SESSION sql_log_bin = 0;
  INSERT INTO products (id, sku, name) VALUES ($GHOST, 'replica-only', 'Replica-only sneaker');
  INSERT INTO sales (id, product_id, title, price_minor, currency, stock, opens_at, closes_at, per_user_limit,
                     queue_capacity, window_seconds, hold_seconds)
  VALUES ($GHOST, $GHOST, 'Replica-only drop', 100, 'EUR', 1, UTC_TIMESTAMP(3) + INTERVAL 1 DAY,
          UTC_TIMESTAMP(3) + INTERVAL 2 DAY, 1, 10, 600, 300);
  INSERT INTO orders (id, sale_id, user_id, quantity, unit_price_minor, total_minor, currency, status, pay_by, created_at)
  VALUES ('00000000-0000-7000-8000-0000000e51ca', $GHOST, $(sed -n 1p "$WORK/shoppers" | awk '{print $1}'), 1, 100, 100,
          'EUR', 'PAID', UTC_TIMESTAMP(3), UTC_TIMESTAMP(3))"
[ "$(primary "SELECT COUNT(*) FROM sales WHERE id = $GHOST")" = 0 ] || fail "the replica-only sale reached the primary"
GHOST_USER_EMAIL=$(sed -n 1p "$WORK/shoppers" | awk '{print $2}')
GHOST_USER=$(sed -n 1p "$WORK/shoppers" | awk '{print $1}')
for api in "$API1" "$API2"; do
  curl -fsS "$api/api/sales/$GHOST" | jq -e '.title == "Replica-only drop"' >/dev/null || fail "$api did not read sale $GHOST from the replica"
  # the listing is memoised for a moment (miaosha.catalog.local-cache-ttl)
  eventually 15 "$api's catalog listing is not the replica's" bash -c "curl -fsS '$api/api/sales' | grep -q 'Replica-only drop'"
done
GHOST_TOKEN=$(mint "$GHOST_USER" "$GHOST_USER_EMAIL")
curl -fsS "$EDGE/api/me/orders" -H "Authorization: Bearer $GHOST_TOKEN" | grep -q '00000000-0000-7000-8000-0000000e51ca' \
  || fail "the order history did not read the replica: $(curl -sS "$EDGE/api/me/orders" -H "Authorization: Bearer $GHOST_TOKEN")"
log "replica: a sale and an order only the replica has were served by both instances' catalog and the order history"

# --- read-your-writes for the admin ----------------------------------------------------------------
# The replica stops applying: a sale the admin creates and arms now exists on the primary only. The
# admin's answers come from the writer; the public catalog (the replica) does not know the sale yet.
cluster_db replica -e 'STOP SLAVE SQL_THREAD'
PRODUCT=$(curl -fsS -XPOST "$EDGE/api/admin/products" -H "Authorization: Bearer $ADMIN" -H 'Content-Type: application/json' \
  -d '{"sku":"cluster-lag-tee","name":"Lag tee"}' | jq -r .id)
OPENS=$(date -u -d '+10 minutes' +%Y-%m-%dT%H:%M:%SZ) CLOSES=$(date -u -d '+1 hour' +%Y-%m-%dT%H:%M:%SZ)
CREATED=$(curl -sS -w '\n%{http_code}' -XPOST "$EDGE/api/admin/sales" -H "Authorization: Bearer $ADMIN" -H 'Content-Type: application/json' \
  -d "{\"productId\":$PRODUCT,\"title\":\"Lagging drop\",\"priceMinor\":900,\"currency\":\"EUR\",\"stock\":5,\"opensAt\":\"$OPENS\",\"closesAt\":\"$CLOSES\",\"perUserLimit\":1,\"queueCapacity\":10}")
[ "$(tail -1 <<<"$CREATED")" = 201 ] || [ "$(tail -1 <<<"$CREATED")" = 200 ] || fail "creating a sale while the replica lags answered $CREATED"
LAG_SALE=$(head -1 <<<"$CREATED" | jq -r .id)
[ "$(head -1 <<<"$CREATED" | jq -r .title)" = "Lagging drop" ] || fail "the created sale's answer is not the sale: $CREATED"
arm "$LAG_SALE"
jq -e '.title == "Lagging drop"' "$WORK/arm.out" >/dev/null || fail "arming answered $(cat "$WORK/arm.out")"
[ "$(curl -sS -o /dev/null -w '%{http_code}' "$API2/api/sales/$LAG_SALE")" = 404 ] || fail "the public catalog did not read the (lagging) replica"
cluster_db replica -e 'START SLAVE SQL_THREAD'
cluster_db_wait_replica 30
[ "$(curl -sS -o /dev/null -w '%{http_code}' "$API2/api/sales/$LAG_SALE")" = 200 ] || fail "the catalog does not show the sale once the replica caught up"
log "admin: with the replica stopped, creating and arming a sale answered it from the primary; the catalog showed it once the replica caught up"

# --- pay --------------------------------------------------------------------------------------------
read -r PAID_ORDER PAYER _ < "$WORK/accepted"
PAYER_EMAIL=$(awk -v id="$PAYER" '$1 == id {print $2}' "$WORK/shoppers")
PAYER_TOKEN=$(mint "$PAYER" "$PAYER_EMAIL")
PAID=$(curl -sS -XPOST "$EDGE/api/orders/$PAID_ORDER/pay" -H "Authorization: Bearer $PAYER_TOKEN" -H 'Idempotency-Key: cluster-pay' \
  -H 'Content-Type: application/json' -d '{"cardNumber":"4242424242424242"}')
[ "$(jq -r .status <<<"$PAID")" = PAID ] || fail "paying $PAID_ORDER answered $PAID"
paid_in_mysql() { [ "$(primary "SELECT status FROM orders WHERE id = '$PAID_ORDER'")" = PAID ]; }
eventually 60 "order $PAID_ORDER is not PAID on the primary" paid_in_mysql
mailed() { curl -fsS "http://127.0.0.1:$MAIL_API_PORT/api/user/$PAYER_EMAIL/messages/" | jq -e 'length == 1'; }
eventually 60 "no confirmation email reached $PAYER_EMAIL" mailed
log "pay: order $PAID_ORDER paid through the edge, PAID on the primary through the quorum paid queue, email sent"

# --- expiry ----------------------------------------------------------------------------------------
EXPIRY_SALE=$(live_sale 1 1 4)
arm "$EXPIRY_SALE"
read -r FIRST_ID FIRST_EMAIL <<<"$(sed -n 2p "$WORK/shoppers")"
read -r SECOND_ID SECOND_EMAIL <<<"$(sed -n 3p "$WORK/shoppers")"
FIRST=$(mint "$FIRST_ID" "$FIRST_EMAIL")
SECOND=$(mint "$SECOND_ID" "$SECOND_EMAIL")
buy() { curl -sS -o "$WORK/buy.out" -w '%{http_code}' -XPOST "$1/api/sales/$EXPIRY_SALE/purchase" -H "Authorization: Bearer $2" \
  -H 'Content-Type: application/json' -d '{"quantity":1}'; }
[ "$(buy "$API1" "$FIRST")" = 202 ] || fail "the first shopper could not buy the expiry sale's unit: $(cat "$WORK/buy.out")"
HELD=$(jq -r .orderId "$WORK/buy.out")
[ "$(buy "$API2" "$SECOND")" = 409 ] || fail "the second shopper was not refused while the unit was held"
expired() { [ "$(primary "SELECT status FROM orders WHERE id = '$HELD'")" = EXPIRED ]; }
eventually 60 "the unpaid hold $HELD did not expire on the primary" expired
[ "$(rcli GET "{sale:$EXPIRY_SALE}:stock")" = 1 ] || fail "the expired unit did not return to stock"
[ "$(buy "$API2" "$SECOND")" = 202 ] || fail "the second shopper could not buy the returned unit: $(cat "$WORK/buy.out")"
log "expiry: a 4 s hold expired through the quorum hold-timer queue, the unit returned and sold again on the other instance"

# --- waiting room, continued ----------------------------------------------------------------------
bought() { grep -q '^purchase: 202' "$WORK/room-1.out" && grep -q '^purchase: 202' "$WORK/room-2.out"; }
eventually 180 "the shoppers in the waiting room on both gateways did not both buy (room-1: $(tail -2 "$WORK/room-1.out" | tr '\n' ' ') room-2: $(tail -2 "$WORK/room-2.out" | tr '\n' ' '))" bought
log "waiting room: a shopper on each gateway was admitted to the demo sale and bought with the admission token"

# --- failover mid-storm ---------------------------------------------------------------------------
# The sale's Redis master is killed -9 in the middle of a storm; its replica is promoted. Every 202 was
# acknowledged by that replica (MIAOSHA_PURCHASE_DURABLE_REPLICAS=1), so none may be lost, and no unit
# may be held twice: the orders anywhere (MySQL rows and the promoted master's holds) are at most the
# stock. What was in flight is answered 503 (not promised) or 409, never 500, never left unanswered.
F_STOCK=300 F_SHOPPERS=600
F_SALE=$(live_sale "$F_STOCK" 1 900)
fprefix="failover-$(date +%s)-$RANDOM"
primary "INSERT INTO users (email, password_hash, role)
  SELECT CONCAT('$fprefix-', seq, '@test.miaosha.dev'), '\$2a\$04\$notarealhashnotarealhashnotarealhashnotarealhashnotre', 'shopper'
  FROM seq_1_to_$F_SHOPPERS"
primary "SELECT id, email FROM users WHERE email LIKE '$fprefix-%' ORDER BY id" > "$WORK/f-shoppers"
arm "$F_SALE"
mkdir -p "$WORK/failover"
F_MASTER="$(cluster_redis_master_of "{sale:$F_SALE}:stock")"
"$JAVA_HOME/bin/java" -cp "$(test_support_classes)" "$ROOT/scripts/lib/PurchaseStorm.java" "$KEY" "$F_SALE" "$WORK/f-shoppers" 1 40 \
  "$WORK/failover" "$API1,$API2" > "$WORK/failover/storm.out" 2> "$WORK/failover/storm.err" & F_STORM=$!
# The kill comes once 60 units are sold, so acknowledged purchases exist on both sides of it; the old
# master restarts at once and rejoins as the promoted one's replica, so purchases are promised again.
for i in $(seq 1 600); do
  left="$(redis-cli -p "$F_MASTER" GET "{sale:$F_SALE}:stock" 2>/dev/null || true)"
  [ -n "$left" ] && [ "$left" -le $((F_STOCK - 60)) ] && break
  sleep 0.05
done
F_PROMOTED="$(cluster_redis_kill_master "$F_MASTER")"
cluster_redis_restart_node "$F_MASTER"
wait "$F_STORM" || { cat "$WORK/failover/storm.err" >&2; fail "the failover storm driver failed"; }
fresult() { sed -n "s|^$1=||p" "$WORK/failover/storm.out"; }
log "failover storm answered: $(tr '\n' ' ' < "$WORK/failover/storm.out") (master $F_MASTER killed with $left units left, $F_PROMOTED promoted)"
[ "$(fresult status.202)" -gt 0 ] 2>/dev/null || fail "no purchase was acknowledged around the failover: $(tr '\n' ' ' < "$WORK/failover/storm.out")"
[ "$(fresult lost)" = 0 ] || fail "$(fresult lost) attempts went unanswered during the failover: $(head -5 "$WORK/failover/storm.err")"
grep '^status\.' "$WORK/failover/storm.out" | grep -qv '^status\.\(202\|409\|503\)=' \
  && fail "answers other than 202, 409 and 503 during the failover: $(tr '\n' ' ' < "$WORK/failover/storm.out")"
frcli() { redis-cli -c -h 127.0.0.1 -p "$F_PROMOTED" "$@"; }
F_503="$(fresult status.503)"
awk '{print $1}' "$WORK/failover/accepted" | sort > "$WORK/failover/accepted-ids"
frcli HKEYS "{sale:$F_SALE}:holds" | sort > "$WORK/failover/redis-ids"
missing_in_redis="$(comm -23 "$WORK/failover/accepted-ids" "$WORK/failover/redis-ids" | wc -l)"
[ "$missing_in_redis" = 0 ] || fail "$missing_in_redis acknowledged orders are not on the promoted master"
all_acknowledged_in_mysql() {
  primary "SELECT id FROM orders WHERE sale_id = $F_SALE" | sort > "$WORK/failover/mysql-ids"
  [ "$(comm -23 "$WORK/failover/accepted-ids" "$WORK/failover/mysql-ids" | wc -l)" = 0 ]
}
eventually 120 "not every acknowledged order reached MySQL after the failover" all_acknowledged_in_mysql
sleep 2
primary "SELECT id FROM orders WHERE sale_id = $F_SALE" | sort > "$WORK/failover/mysql-ids"
orders_anywhere="$(sort -u "$WORK/failover/mysql-ids" "$WORK/failover/redis-ids" | wc -l)"
left="$(frcli GET "{sale:$F_SALE}:stock")"
[ "$orders_anywhere" -le "$F_STOCK" ] || fail "oversold: $orders_anywhere orders hold units of a stock of $F_STOCK"
[ $((left + $(wc -l < "$WORK/failover/redis-ids"))) = "$F_STOCK" ] || fail "Redis stock $left + holds $(wc -l < "$WORK/failover/redis-ids") is not $F_STOCK"
[ "$(primary "SELECT COUNT(*) FROM (SELECT user_id FROM orders WHERE sale_id = $F_SALE GROUP BY user_id HAVING SUM(quantity) > 1) x")" = 0 ] \
  || fail "a shopper above the limit of 1 after the failover"
log "failover: $(fresult status.202) acknowledged, all on the promoted master and in MySQL; $orders_anywhere orders for $F_STOCK units, none lost, none oversold; ${F_503:-0} not promised (503)"

fi # the built-in sections

# --- scenarios in their own files ------------------------------------------------------------------
for scenario in "$ROOT"/scripts/checks/cluster/*.sh; do
  [ -e "$scenario" ] || continue
  # shellcheck disable=SC2053 # a glob on purpose
  [ -z "${CLUSTER_ONLY_SCENARIOS:-}" ] || [[ "$(basename "$scenario")" == $CLUSTER_ONLY_SCENARIOS ]] || continue
  log "scenario: $(basename "$scenario" .sh)"
  # shellcheck source=/dev/null
  source "$scenario"
done

log "cluster system: all good (stack started in ${start_seconds}s, whole check $(($(date +%s) - t0))s)"
