# Chaos: poison in the middle of a purchase storm (issue 13), sourced by check 70. Once the storm is
# selling, three things no code can process are injected:
#   entry     a malformed entry XADDed to the sale's outbox stream (no order fields): the relay parks it
#             in miaosha.orders.persist.parked and acknowledges it with the good entries of its batch
#   persist   a message that is not JSON, published to miaosha.orders.persist: the worker parks it at once
#   paid      an OrderPaid without its fields, published to miaosha.orders.paid: parked at once
# Each is parked alone (the parking queues grow by exactly these three, found by their ids with their
# reasons through GET /api/admin/parked), every good order of the storm is persisted with its final
# status (the one invariant checker), and nothing is stuck: the sale's outbox drains to nothing pending
# and the persist and paid queues keep every consumer they had.
source "$ROOT/scripts/lib/chaos.sh"

CP_VHOST=${CLUSTER_RABBIT_VHOSTS%% *}
cp_queue_depth() { # QUEUE
  cluster_rabbitmqctl 1 list_queues -p "$CP_VHOST" name messages consumers --no-table-headers 2>/dev/null \
    | awk -v q="$1" '$1 == q {print $2 + 0; found = 1} END {if (!found) print 0}'
}
cp_consumers() { # QUEUE
  cluster_rabbitmqctl 1 list_queues -p "$CP_VHOST" name consumers --no-table-headers 2>/dev/null | awk -v q="$1" '$1 == q {print $2}'
}
CP_AMQP_CP="$(find "$HOME/.m2/repository/com/rabbitmq/amqp-client" -name 'amqp-client-5.*.jar' ! -name '*sources*' 2>/dev/null | sort -V | tail -1):$(find "$HOME/.m2/repository/org/slf4j/slf4j-api" -name 'slf4j-api-2.*.jar' ! -name '*sources*' 2>/dev/null | sort -V | tail -1)"
cp_publish() { # QUEUE MESSAGE_ID BODY
  "$JAVA_HOME/bin/java" -cp "$CP_AMQP_CP" "$ROOT/scripts/lib/AmqpPublish.java" "$(cluster_rabbit_addresses)" "$CP_VHOST" \
    "$CLUSTER_RABBIT_USER" "$CLUSTER_RABBIT_PASSWORD" "$1" "$2" "$3" >/dev/null \
    || fail "chaos poison: could not publish $2 to $1"
}

chaos_begin poison 300 1 15 500
persist_consumers=$(cp_consumers miaosha.orders.persist) paid_consumers=$(cp_consumers miaosha.orders.paid)
persist_parked_before=$(cp_queue_depth miaosha.orders.persist.parked)
paid_parked_before=$(cp_queue_depth miaosha.orders.paid.parked)
CHAOS_PARKED_BEFORE="$(chaos_parked)"
chaos_storm 50 --attempts 2 --pay-share 0.5 --replay-share 0.2 --concurrency 30
chaos_wait_sold 40

tag="poison-$(date +%s)-$RANDOM"
entry_id=$(redis-cli -c -h 127.0.0.1 -p $((CLUSTER_PORT_BASE + 1)) XADD "{sale:$CHAOS_SALE}:outbox" '*' \
  garbage "$tag-entry" saleId "$CHAOS_SALE")
[[ "$entry_id" =~ ^[0-9]+-[0-9]+$ ]] || fail "chaos poison: XADD of the poison entry answered $entry_id"
cp_publish miaosha.orders.persist "$tag-persist" '{this is not json'
cp_publish miaosha.orders.paid "$tag-paid" '{"orderId":"'"$tag-paid"'"}'
injected_at=$(date +%s)
log "chaos poison: outbox entry $entry_id, a non-JSON OrderPlaced and an empty OrderPaid injected ($(chaos_sold) units sold so far)"

parked_all() {
  [ "$(cp_queue_depth miaosha.orders.persist.parked)" -ge $((persist_parked_before + 2)) ] \
    && [ "$(cp_queue_depth miaosha.orders.paid.parked)" -ge $((paid_parked_before + 1)) ]
}
eventually 60 "chaos poison: the poison was not parked (persist.parked $(cp_queue_depth miaosha.orders.persist.parked), paid.parked $(cp_queue_depth miaosha.orders.paid.parked))" parked_all
parked_seconds=$(($(date +%s) - injected_at))

chaos_storm_wait
chaos_check 60
# Alone: exactly the three, nothing of the storm.
[ "$(cp_queue_depth miaosha.orders.persist.parked)" = $((persist_parked_before + 2)) ] \
  || fail "chaos poison: persist.parked holds $(cp_queue_depth miaosha.orders.persist.parked), not $persist_parked_before + 2"
[ "$(cp_queue_depth miaosha.orders.paid.parked)" = $((paid_parked_before + 1)) ] \
  || fail "chaos poison: paid.parked holds $(cp_queue_depth miaosha.orders.paid.parked), not $paid_parked_before + 1"
[ "$(chaos_parked)" = $((CHAOS_PARKED_BEFORE + 3)) ] || fail "chaos poison: $(chaos_parked) parked in all, not $CHAOS_PARKED_BEFORE + 3"
curl -fsS "$EDGE/api/admin/parked?limit=500" -H "Authorization: Bearer $ADMIN" > "$WORK/chaos-poison/parked.json" \
  || fail "chaos poison: GET /api/admin/parked failed"
for id in "$entry_id" "$tag-persist" "$tag-paid"; do
  jq -e --arg id "$id" '[.messages[] | select(.messageId == $id and (.reason // "") != "")] | length == 1' "$WORK/chaos-poison/parked.json" >/dev/null \
    || fail "chaos poison: $id is not parked once with a reason: $(jq -c --arg id "$id" '[.messages[] | select(.messageId == $id)]' "$WORK/chaos-poison/parked.json")"
done
# Not stuck: the outbox has nothing left pending, the queues keep their consumers.
outbox_drained() {
  [ "$(redis-cli -c -h 127.0.0.1 -p $((CLUSTER_PORT_BASE + 1)) XPENDING "{sale:$CHAOS_SALE}:outbox" relay | head -1)" = 0 ] \
    && [ "$(redis-cli -c -h 127.0.0.1 -p $((CLUSTER_PORT_BASE + 1)) XLEN "{sale:$CHAOS_SALE}:outbox")" = 0 ]
}
eventually 30 "chaos poison: the outbox of sale $CHAOS_SALE did not drain" outbox_drained
[ "$(cp_consumers miaosha.orders.persist)" = "$persist_consumers" ] && [ "$(cp_consumers miaosha.orders.paid)" = "$paid_consumers" ] \
  || fail "chaos poison: consumers of the persist / paid queues went from $persist_consumers / $paid_consumers to $(cp_consumers miaosha.orders.persist) / $(cp_consumers miaosha.orders.paid)"
log "chaos poison: the entry and the two messages parked alone with their reasons within ${parked_seconds} s; the outbox drained, the queues kept their $persist_consumers / $paid_consumers consumers"
log "$(chaos_line 'a poison outbox entry and poison persist/paid messages mid-storm' "$parked_seconds")"
