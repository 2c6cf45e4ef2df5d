# shellcheck shell=bash
# Many sales at once, spread over the three shards (sourced by scripts/checks/70-cluster-system.sh).
# SHARD_SALES (12) sales of SHARD_STOCK (30) units, limit 2, chosen so that their hash tags map to every
# Redis master in equal parts (CLUSTER KEYSLOT against CLUSTER NODES, confirmed by CLUSTER SLOTS); then one
# storm over all of them at once, SHARD_SHOPPERS (25) shoppers making 8 attempts on every sale (2,400),
# shuffled together, over both API instances; 25 shoppers could hold 50 units of a sale, so both the limit
# and the stock refuse some. Per sale: exactly its stock accepted, the rest 409 (sold out or limit
# reached, both seen), or 503 purchase-not-confirmed (held, not promised: counted with the 202s), no
# other 5xx, nothing unanswered; Redis stock
# 0, as many holds as the stock, nobody above the limit; every 202 an order row on the primary and one
# row per unit held
# (the relay of every shard's outbox stream, both workers), nobody above the limit there. Then a queued
# sale on each master, one shopper on each gateway per sale: every sale's admission loop (its lease on
# its own shard) admits them and each buys with its token.
SHARD_SALES=${SHARD_SALES:-12} SHARD_STOCK=${SHARD_STOCK:-30} SHARD_LIMIT=2 SHARD_SHOPPERS=${SHARD_SHOPPERS:-25} SHARD_ATTEMPTS=${SHARD_ATTEMPTS:-8}
shard_dir="$WORK/shards"
mkdir -p "$shard_dir"

# master_of_sale SALE: the port of the master whose slots hold the sale's hash tag.
master_of_sale() { cluster_redis_master_of "{sale:$1}:stock"; }
mapfile -t shard_masters < <(cluster_redis_masters)
[ "${#shard_masters[@]}" = 3 ] || fail "shards: not three Redis masters: ${shard_masters[*]}"
per_master=$((SHARD_SALES / 3))

# Sales are created far from opening (nothing arms them), kept while their master still lacks sales and
# deleted otherwise; the kept ones then open. Ids come from AUTO_INCREMENT, so which shard a new sale lands
# on is the hash of its id: a few dozen tries fill every master.
shard_sale() { # stock limit queue(0|1) capacity
  primary "INSERT INTO products (sku, name) VALUES (CONCAT('shard-', UUID()), 'Shard sneaker');
    INSERT INTO sales (product_id, title, price_minor, currency, stock, opens_at, closes_at, per_user_limit,
                       queue_enabled, queue_capacity, window_seconds, hold_seconds)
    VALUES (LAST_INSERT_ID(), 'Shard drop', 1500, 'EUR', $1, UTC_TIMESTAMP(3) + INTERVAL 20 DAY,
            UTC_TIMESTAMP(3) + INTERVAL 21 DAY, $2, $3, $4, 600, 900);
    SELECT LAST_INSERT_ID();"
}
# pick_sales COUNT_PER_MASTER STOCK LIMIT QUEUE CAPACITY: prints "sale master" lines, COUNT_PER_MASTER per master.
pick_sales() {
  local want=$1 tries=0 sale master
  declare -A have=()
  local m; for m in "${shard_masters[@]}"; do have[$m]=0; done
  local kept=0
  while [ "$kept" -lt $((want * 3)) ]; do
    tries=$((tries + 1))
    [ "$tries" -le 300 ] || fail "shards: 300 sales created and the masters still not filled (${have[*]})"
    sale=$(shard_sale "$2" "$3" "$4" "$5")
    master=$(master_of_sale "$sale")
    if [ -n "$master" ] && [ "${have[$master]:-99}" -lt "$want" ]; then
      have[$master]=$((have[$master] + 1)) kept=$((kept + 1))
      echo "$sale $master"
    else
      primary "DELETE FROM sales WHERE id = $sale"
    fi
  done
}
pick_sales "$per_master" "$SHARD_STOCK" "$SHARD_LIMIT" 0 100 > "$shard_dir/sales"
SHARD_IDS=$(awk '{print $1}' "$shard_dir/sales" | paste -sd,)
primary "UPDATE sales SET opens_at = UTC_TIMESTAMP(3) - INTERVAL 1 MINUTE, closes_at = UTC_TIMESTAMP(3) + INTERVAL 1 HOUR
  WHERE id IN ($SHARD_IDS)"
# The assertion the spread rests on, asked of the cluster itself: each sale's slot and the master serving it.
for m in "${shard_masters[@]}"; do
  [ "$(awk -v m="$m" '$2 == m' "$shard_dir/sales" | wc -l)" = "$per_master" ] || fail "shards: master $m does not serve $per_master of the sales"
done
rcli --json CLUSTER SLOTS > "$shard_dir/slots.json"
while read -r sale master; do
  slot=$(rcli CLUSTER KEYSLOT "{sale:$sale}:stock")
  owner=$(jq -r --argjson s "$slot" '.[] | select(.[0] <= $s and $s <= .[1]) | .[2][1]' "$shard_dir/slots.json")
  [ "$owner" = "$master" ] || fail "shards: CLUSTER SLOTS says slot $slot of sale $sale is served by $owner, not $master"
  [ "$(rcli CLUSTER KEYSLOT "{sale:$sale}:holds")" = "$slot" ] && [ "$(rcli CLUSTER KEYSLOT "{sale:$sale}:q:waiting")" = "$slot" ] \
    || fail "shards: the keys of sale $sale are not all in slot $slot"
done < "$shard_dir/sales"
while read -r sale _; do arm "$sale"; done < "$shard_dir/sales"
while read -r sale master; do
  [ "$(redis-cli -h 127.0.0.1 -p "$master" GET "{sale:$sale}:stock")" = "$SHARD_STOCK" ] \
    || fail "shards: armed sale $sale has no stock of $SHARD_STOCK on its master $master"
done < "$shard_dir/sales"
log "shards: $SHARD_SALES sales ($SHARD_IDS) armed, $per_master on each master ($(awk '{print $2}' "$shard_dir/sales" | sort | uniq -c | awk '{printf "%s:%s ", $2, $1}'))"

new_shoppers "$SHARD_SHOPPERS" "$shard_dir/shoppers"
"$JAVA_HOME/bin/java" -cp "$(test_support_classes)" "$ROOT/scripts/lib/PurchaseStorm.java" "$KEY" "$SHARD_IDS" "$shard_dir/shoppers" \
  "$SHARD_ATTEMPTS" 200 "$shard_dir" "$API1,$API2" > "$shard_dir/storm.out" 2> "$shard_dir/storm.err" \
  || { cat "$shard_dir/storm.err" >&2; fail "shards: the storm driver failed"; }
sresult() { sed -n "s|^$1=||p" "$shard_dir/storm.out"; }
shard_attempts=$((SHARD_SHOPPERS * SHARD_ATTEMPTS * SHARD_SALES))
log "shards: storm of $shard_attempts attempts answered $(grep -v '^sale\.' "$shard_dir/storm.out" | tr '\n' ' ')"
[ "$(sresult lost)" = 0 ] || fail "shards: $(sresult lost) attempts went unanswered: $(head -5 "$shard_dir/storm.err")"
# 503 purchase-not-confirmed: the unit is held on the master, its replica did not confirm in time (a
# starved machine); it becomes an order like a 202, it was only not promised (RELIABILITY.md).
[ "$(grep '^status\.' "$shard_dir/storm.out" | grep -cv '^status\.\(202\|409\|503\)=')" = 0 ] \
  || fail "shards: answers other than 202, 409 and 503: $(grep '^status\.' "$shard_dir/storm.out" | tr '\n' ' ')"
grep '^problem\.' "$shard_dir/storm.out" | grep -qv '^problem\.\(409\.sold-out\|409\.limit-reached\|503\.purchase-not-confirmed\)\.' \
  && fail "shards: refusals other than sold-out, limit-reached and purchase-not-confirmed: $(grep '^problem\.' "$shard_dir/storm.out" | tr '\n' ' ')"
grep -q '^problem\.409\.limit-reached\.' "$shard_dir/storm.out" || fail "shards: nobody reached the limit: the limit was not put to the test"
[ "$(sresult "accepted.$API1")" -gt 0 ] && [ "$(sresult "accepted.$API2")" -gt 0 ] || fail "shards: not both API instances sold"
! grep -q '^no-order-id' "$shard_dir/accepted" || fail "shards: a 202 without an order id"

# Every sale sold exactly its stock in Redis; then wait for all the orders at once, and check each sale's rows.
while read -r sale master; do
  s202=$(sresult "sale.$sale.status.202") s503=$(sresult "sale.$sale.status.503")
  [ $((s202 + ${s503:-0})) = "$SHARD_STOCK" ] || fail "shards: sale $sale accepted $s202 (and ${s503:-0} not confirmed), not $SHARD_STOCK"
  [ "$(sresult "sale.$sale.status.409")" = $((SHARD_SHOPPERS * SHARD_ATTEMPTS - SHARD_STOCK)) ] \
    || fail "shards: sale $sale's other answers are not all 409: $(grep "^sale\.$sale\." "$shard_dir/storm.out" | tr '\n' ' ')"
  [ "$(awk -v s="$sale" '$4 == s' "$shard_dir/accepted" | wc -l)" = "$s202" ] || fail "shards: sale $sale's accepted orders are not its $s202 202s"
  srcli() { redis-cli -h 127.0.0.1 -p "$master" "$@"; }
  [ "$(srcli GET "{sale:$sale}:stock")" = 0 ] || fail "shards: sale $sale's Redis stock is $(srcli GET "{sale:$sale}:stock"), not 0"
  [ "$(srcli HLEN "{sale:$sale}:holds")" = "$SHARD_STOCK" ] || fail "shards: sale $sale holds $(srcli HLEN "{sale:$sale}:holds") units in Redis, not $SHARD_STOCK"
  srcli HGETALL "{sale:$sale}:users" | awk 'NR % 2 == 0' > "$shard_dir/units-$sale"
  awk -v limit="$SHARD_LIMIT" -v stock="$SHARD_STOCK" '$1 > limit {bad = 1} {sum += $1} END {exit !(sum == stock && !bad)}' "$shard_dir/units-$sale" \
    || fail "shards: sale $sale's units per user in Redis: someone above $SHARD_LIMIT, or not $SHARD_STOCK in all"
done < "$shard_dir/sales"
shard_rows() { [ "$(primary "SELECT COUNT(*) FROM orders WHERE sale_id IN ($SHARD_IDS)")" -ge $((SHARD_STOCK * SHARD_SALES)) ]; }
eventually 120 "shards: the $((SHARD_STOCK * SHARD_SALES)) orders did not all reach the primary ($(primary "SELECT COUNT(*) FROM orders WHERE sale_id IN ($SHARD_IDS)") there)" shard_rows
sleep 2 # a second relay of an entry would show as an extra row now
while read -r sale _; do
  awk -v s="$sale" '$4 == s {print $1}' "$shard_dir/accepted" | sort > "$shard_dir/accepted-$sale"
  primary "SELECT id FROM orders WHERE sale_id = $sale" | sort > "$shard_dir/mysql-$sale"
  [ "$(comm -23 "$shard_dir/accepted-$sale" "$shard_dir/mysql-$sale" | wc -l)" = 0 ] \
    || fail "shards: sale $sale's accepted orders missing on the primary: $(comm -23 "$shard_dir/accepted-$sale" "$shard_dir/mysql-$sale" | head -5 | tr '\n' ' ')"
  [ "$(wc -l < "$shard_dir/mysql-$sale")" = "$SHARD_STOCK" ] \
    || fail "shards: sale $sale has $(wc -l < "$shard_dir/mysql-$sale") order rows, not one per unit held ($SHARD_STOCK)"
  [ "$(primary "SELECT COUNT(*) FROM (SELECT user_id FROM orders WHERE sale_id = $sale GROUP BY user_id HAVING SUM(quantity) > $SHARD_LIMIT) x")" = 0 ] \
    || fail "shards: a shopper above the limit of sale $sale in MySQL"
done < "$shard_dir/sales"
log "shards: every one of the $SHARD_SALES sales sold exactly $SHARD_STOCK ($(sresult "accepted.$API1") 202s on instance 1, $(sresult "accepted.$API2") on 2, $(sresult status.503 | grep . || echo 0) held but not confirmed) in $(sresult millis) ms; each 202 one row on the primary; nobody above $SHARD_LIMIT"

# --- a queued sale on each master: its admission loop, lease and pub/sub on that shard -------------
pick_sales 1 10 1 1 2 > "$shard_dir/queued"
QUEUED_IDS=$(awk '{print $1}' "$shard_dir/queued" | paste -sd,)
primary "UPDATE sales SET opens_at = UTC_TIMESTAMP(3) - INTERVAL 1 MINUTE, closes_at = UTC_TIMESTAMP(3) + INTERVAL 1 HOUR
  WHERE id IN ($QUEUED_IDS)"
while read -r sale _; do arm "$sale"; done < "$shard_dir/queued"
new_shoppers 6 "$shard_dir/room-shoppers"
i=0 shard_rooms=()
while read -r sale master; do
  sed -n "$((i * 2 + 1)),$((i * 2 + 2))p" "$shard_dir/room-shoppers" > "$shard_dir/room-$sale"
  "$JAVA_HOME/bin/java" -cp "$(test_support_classes)" "$ROOT/scripts/lib/RoomCrowd.java" --key "$KEY" --sale "$sale" \
    --crowd "$shard_dir/room-$sale" --out "$shard_dir/room-$sale.d" --ws "ws://127.0.0.1:$(stack_port "$STACK_GATEWAY_PORTS" 1),ws://127.0.0.1:$(stack_port "$STACK_GATEWAY_PORTS" 2)" --api "$API1,$API2" --hold-ms 0 \
    > "$shard_dir/room-$sale.out" 2> "$shard_dir/room-$sale.err" &
  shard_rooms+=("$!") CLIENTS+=("$!")
  i=$((i + 1))
done < "$shard_dir/queued"
# only these: CLIENTS may hold the check's own waiting-room clients, which never exit by themselves
for pid in "${shard_rooms[@]}"; do wait "$pid" || true; done
while read -r sale master; do
  [ $(($(sed -n 's/^bought=//p' "$shard_dir/room-$sale.out") + $(sed -n 's/^unconfirmed=//p' "$shard_dir/room-$sale.out"))) = 2 ] \
    || fail "shards: the two shoppers of queued sale $sale (master $master) were not both admitted and served: $(tr '\n' ' ' < "$shard_dir/room-$sale.out") $(tail -3 "$shard_dir/room-$sale.err" | tr '\n' ' ')"
  [ "$(redis-cli -h 127.0.0.1 -p "$master" GET "{sale:$sale}:stock")" = 8 ] || fail "shards: queued sale $sale's stock is not 8 after two purchases"
done < "$shard_dir/queued"
log "shards: a queued sale on each master ($QUEUED_IDS), its two shoppers (one per gateway) admitted and served with their tokens"
