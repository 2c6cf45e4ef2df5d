# Chaos: kill -9 of each service at a random moment mid-storm (issue 13), sourced by check 70.
# A storm of purchases, payments, replays and expiries runs over both API instances; meanwhile, one
# after the other at a random moment, flash-sale-api-2, order-worker-1, the email function, the
# scheduler and queue-gateway-1 are killed with -9 and started again in the background
# (cluster-stack.sh's stack_service_restart: the same command line and environment) while the storm
# goes on. The killed API's outbox entries read but not relayed are claimed by the surviving
# instance's relay (miaosha.relay.claim-after); the killed worker's unacknowledged messages are
# redelivered to the other one (deduplicated by order id). Then the one invariant checker runs on the
# storm's record; no answer may be a 5xx other than 503, and no request may stay unanswered once the
# storm's retries (same Idempotency-Key, the other instance) are spent. An order paid afterwards gets its
# confirmation email through the restarted email function. Shoppers in a waiting room on a killed
# gateway: 62-chaos-kill-gateway.sh.
source "$ROOT/scripts/lib/chaos.sh"

CK_VICTIMS="flash-sale-api-2 order-worker-1 email-function scheduler queue-gateway-1"
chaos_begin kill 300 1 15 500
CHAOS_PARKED_BEFORE="$(chaos_parked)"
chaos_storm 75 --attempts 2 --pay-share 0.5 --replay-share 0.2 --concurrency 40

# A random pause of 1 to 5 s, and a random number of units (20 to 80) sold before the first kill.
ck_random() { awk -v seed="$RANDOM" -v lo="$1" -v hi="$2" 'BEGIN {srand(seed); printf "%.1f", lo + rand() * (hi - lo)}'; }
# ck_kill NAME: kill -9 NAME now and start it again in the background; the times in $CHAOS_DIR/NAME.kill.
CK_RESTARTS=()
ck_kill() {
  local name=$1 t0
  t0=$(date +%s.%N)
  stack_service_kill "$STACK_DIR" "$name" KILL
  log "chaos kill: $name killed -9 ($(chaos_sold) units sold so far)"
  ( stack_service_restart "$STACK_DIR" "$name" > "$CHAOS_DIR/$name.restart" 2>&1 \
      && echo "$t0 $(date +%s.%N)" > "$CHAOS_DIR/$name.kill" ) &
  CK_RESTARTS+=("$!")
}

chaos_wait_sold "$(ck_random 20 80 | cut -d. -f1)"
for victim in $CK_VICTIMS; do
  ck_kill "$victim"
  sleep "$(ck_random 1 5)"
done
for pid in "${CK_RESTARTS[@]}"; do
  wait "$pid" || { tail -n 20 "$CHAOS_DIR"/*.restart >&2; fail "chaos kill: a killed service did not start again"; }
done
recovery=0
for victim in $CK_VICTIMS; do
  read -r killed ready < "$CHAOS_DIR/$victim.kill"
  seconds=$(awk -v a="$killed" -v b="$ready" 'BEGIN {printf "%.0f", b - a}')
  [ "$seconds" -gt "$recovery" ] && recovery=$seconds
  log "chaos kill: $victim ready again $seconds s after its kill"
done

chaos_storm_wait
ck_figure() { sed -n "s|^$1=||p" "$CHAOS_DIR/storm.out"; }
for what in purchase replay pay pay-replay; do
  [ -z "$(ck_figure "$what.none")" ] || fail "chaos kill: $(ck_figure "$what.none") $what requests stayed unanswered through every retry"
done
chaos_check 60
chaos_nothing_parked
# The surviving relay took over what the killed one had read and not relayed (none when the kill
# landed between two rounds): counted from its log.
claimed="$({ grep -h "claimed [0-9]* outbox entries of sale $CHAOS_SALE " "$STACK_DIR"/logs/flash-sale-api-*.log || true; } \
  | sed -E 's/.*claimed ([0-9]+) outbox.*/\1/' | awk '{s += $1} END {print s + 0}')"
log "chaos kill: $claimed outbox entries of the killed API claimed by the other relay; connections refused and retried: $(ck_figure refused)"
# Everything healthy again: every instance ready, both relays and both workers' consumers at work.
for port in $STACK_API_PORTS $STACK_WORKER_PORTS $STACK_GATEWAY_PORTS; do
  eventually 60 "chaos kill: the service on $port is not ready after the kills" curl -fsS "http://127.0.0.1:$port/q/health/ready"
done
for name in email-function scheduler; do
  CLUSTER_RUN_DIR="$STACK_DIR/services" cluster_pid "$name" >/dev/null || fail "chaos kill: $name is not running after its restart"
done
# The restarted email function still sends: an order bought and paid now gets its confirmation email.
new_shoppers 1 "$CHAOS_DIR/mail-shopper"
read -r mail_id mail_email < "$CHAOS_DIR/mail-shopper"
mail_token=$(mint "$mail_id" "$mail_email")
mail_sale=$(live_sale 1 1 900)
arm "$mail_sale"
mail_order=$(curl -fsS -XPOST "$API1/api/sales/$mail_sale/purchase" -H "Authorization: Bearer $mail_token" \
  -H 'Content-Type: application/json' -H "Idempotency-Key: kill-mail-$mail_id" -d '{"quantity":1}' | jq -r .orderId)
curl -fsS -XPOST "$API2/api/orders/$mail_order/pay" -H "Authorization: Bearer $mail_token" -H "Idempotency-Key: kill-mail-pay-$mail_id" \
  -H 'Content-Type: application/json' -d '{"cardNumber":"4242424242424242"}' | jq -e '.status == "PAID"' >/dev/null \
  || fail "chaos kill: paying order $mail_order after the kills failed"
ck_mailed() { curl -fsS "http://127.0.0.1:$MAIL_API_PORT/api/user/$mail_email/messages/" | jq -e 'length == 1'; }
eventually 90 "chaos kill: no confirmation email for order $mail_order after the email function's restart" ck_mailed
log "chaos kill: an order paid after the kills got its confirmation email through the restarted email function"
log "$(chaos_line "kill -9 of $CK_VICTIMS mid-storm, each restarted" "$recovery")"
