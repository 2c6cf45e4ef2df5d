# Chaos: a 2 s clock skew between the two API instances (issue 13), sourced by check 70.
# flash-sale-api-2 is restarted under libfaketime (FAKETIME=+2s; the monotonic clock left alone, or the
# JVM's timers would misbehave), its skew read from its own clock (the iat of a session token it signs).
# Then, with instance 1 on the true clock and instance 2 two seconds ahead:
#   storm     a storm of purchases, payments, replays and expiries over both; the invariant checker
#             passes (every hold paid or expired, never both, none before its pay-by)
#   pay-by    a hold bought on the fast instance gets the pay-by of the sale's Redis clock, not 2 s more
#   early     a hold bought on instance 1 is paid on the fast instance 1.9 s before its pay-by: paid, not
#             "expired" (a hold never expires early because the instance answering runs ahead)
#   opening   a purchase on the fast instance 1.9 s before the sale opens is refused "not open yet"
# The decisions that compare times (open, close, pay-by, release) are taken in the Lua scripts on the
# Redis clock of the sale's master (redis.call('TIME')), one clock for every instance and worker.
# Instance 2 is restarted without the skew at the end.
source "$ROOT/scripts/lib/chaos.sh"

FAKETIME_LIB=/usr/lib/x86_64-linux-gnu/faketime/libfaketimeMT.so.1
[ -f "$FAKETIME_LIB" ] || apt_install faketime
[ -f "$FAKETIME_LIB" ] || fail "chaos clock: libfaketime is not at $FAKETIME_LIB"

# The instance's own clock: the iat (whole seconds) of the session tokens it signs at login, against the
# true time before and after each login. Prints "LOW HIGH": the instance's clock minus the true time is
# within [LOW, HIGH] ms (the tightest bounds over four logins; a login may be slow on a busy machine,
# which widens HIGH, but LOW stays within about a second of the truth: the token is signed last).
cc_skew() { # API
  local i before after token iat low=-999999 high=999999
  for i in 1 2 3 4; do
    before=$(date +%s%3N)
    token=$(curl -fsS -XPOST "$1/api/auth/login" -H 'Content-Type: application/json' \
      -d '{"email":"demo@test.com","password":"demodemo"}' | jq -r .token) || return 1
    after=$(date +%s%3N)
    iat=$(cut -d. -f2 <<<"$token" | tr '_-' '/+' | awk '{ while (length($0) % 4) $0 = $0 "="; print }' | base64 -d 2>/dev/null | jq -r .iat)
    [ $((iat * 1000 - after)) -gt "$low" ] && low=$((iat * 1000 - after))
    [ $((iat * 1000 + 999 - before)) -lt "$high" ] && high=$((iat * 1000 + 999 - before))
  done
  echo "$low $high"
}

log "chaos clock: restarting flash-sale-api-2 two seconds ahead (libfaketime)"
stack_service_restart "$STACK_DIR" flash-sale-api-2 LD_PRELOAD="$FAKETIME_LIB" FAKETIME=+2s FAKETIME_DONT_FAKE_MONOTONIC=1
read -r low2 high2 <<<"$(cc_skew "$API2")" || fail "chaos clock: could not log in on instance 2 to read its clock"
read -r low1 high1 <<<"$(cc_skew "$API1")" || fail "chaos clock: could not log in on instance 1 to read its clock"
# Ahead by more than half a second for sure, and possibly by the full 2 s; instance 1 not ahead.
[ "$low2" -gt 500 ] && [ "$high2" -ge 1500 ] || fail "chaos clock: instance 2's clock is [$low2, $high2] ms off the true time, not +2 s"
[ "$low1" -le 500 ] && [ "$high1" -ge -500 ] || fail "chaos clock: instance 1's clock is [$low1, $high1] ms off the true time"
log "chaos clock: instance 2's clock reads [$low2, $high2] ms off the true time, instance 1's [$low1, $high1] ms"

# --- storm across the skewed pair (it also warms the fast instance up for the probes) ---------------
chaos_begin clock 200 1 12 300
CHAOS_PARKED_BEFORE="$(chaos_parked)"
chaos_storm 40 --attempts 2 --pay-share 0.5 --replay-share 0.2 --concurrency 20
chaos_storm_wait
chaos_check 60
chaos_nothing_parked

# --- probes ------------------------------------------------------------------------------------------
CC="$WORK/chaos-clock-probes"
mkdir -p "$CC"
new_shoppers 7 "$CC/shoppers"
mint_tokens "$KEY" < "$CC/shoppers" > "$CC/tokens"
[ "$(wc -l < "$CC/tokens")" = 7 ] || fail "chaos clock: could not mint the probes' session tokens"
cc_token() { sed -n "${1}p" "$CC/tokens"; }
cc_buy() { # API SALE TOKEN -> status; body in $CC/buy.out
  curl -sS -o "$CC/buy.out" -w '%{http_code}' -XPOST "$1/api/sales/$2/purchase" -H "Authorization: Bearer $3" \
    -H 'Content-Type: application/json' -H "Idempotency-Key: clock-$RANDOM$RANDOM" -d '{"quantity":1}'
}
millis() { date +%s%3N; }

# pay-by of a hold bought on the fast instance: the true time + the hold (8 s), not 2 s more. The true
# time of the decision lies between the request and its answer; the fast clock would put it 2 s later.
CC_SALE=$(live_sale 10 1 8)
arm "$CC_SALE"
before=$(millis)
[ "$(cc_buy "$API2" "$CC_SALE" "$(cc_token 1)")" = 202 ] || fail "chaos clock: buying on instance 2 answered $(cat "$CC/buy.out")"
after=$(millis)
pay_by=$(date -d "$(jq -r .payBy "$CC/buy.out")" +%s%3N)
off=$((pay_by - 8000 - after))
[ $((pay_by - 8000)) -ge $((before - 500)) ] && [ "$off" -le 500 ] \
  || fail "chaos clock: a hold bought on the fast instance has pay-by $(jq -r .payBy "$CC/buy.out"): the decision at $((pay_by - 8000 - before)) ms after the request, $((after - before)) ms answering it"
log "chaos clock: a hold bought on the fast instance has pay-by = the true time + 8 s ($((pay_by - 8000 - before)) ms into a $((after - before)) ms request)"

# early: a hold bought on instance 1, paid on the fast instance 1.9 s before its pay-by, which that
# instance's clock already shows as past. Paid, or else refused only once the true pay-by has passed
# (a busy machine may answer late: tried again on a new hold, three times).
cc_early() { # TOKEN -> 0 paid, 1 expired early, 2 inconclusive (answered after the pay-by)
  local order pay_by wait_ms paid answered
  [ "$(cc_buy "$API1" "$CC_SALE" "$1")" = 202 ] || fail "chaos clock: buying on instance 1 answered $(cat "$CC/buy.out")"
  order=$(jq -r .orderId "$CC/buy.out")
  pay_by=$(date -d "$(jq -r .payBy "$CC/buy.out")" +%s%3N)
  wait_ms=$((pay_by - 1900 - $(millis)))
  [ "$wait_ms" -gt 0 ] || return 2
  sleep "$(awk -v ms="$wait_ms" 'BEGIN {printf "%.3f", ms / 1000}')"
  paid=$(curl -sS -o "$CC/pay.out" -w '%{http_code}' -XPOST "$API2/api/orders/$order/pay" -H "Authorization: Bearer $1" \
    -H "Idempotency-Key: clock-pay-$order" -H 'Content-Type: application/json' -d '{"cardNumber":"4242424242424242"}')
  answered=$(millis)
  CC_EARLY="$paid $(cat "$CC/pay.out"), answered $((pay_by - answered)) ms before the pay-by"
  [ "$paid" = 200 ] && return 0
  [ "$answered" -lt "$pay_by" ] && return 1
  return 2
}
for try in 1 2 3; do
  outcome=0
  cc_early "$(cc_token $((1 + try)))" || outcome=$?
  [ "$outcome" = 2 ] || break
  log "chaos clock: the early-payment probe was answered too late to tell ($CC_EARLY); again"
done
[ "$outcome" = 0 ] || fail "chaos clock: paying on the fast instance 1.9 s before the pay-by: $CC_EARLY (the hold expired early)"
log "chaos clock: a hold of instance 1 paid on the fast instance 1.9 s before its pay-by: PAID ($CC_EARLY)"

# opening: a sale opening in 8 s, bought on the fast instance 1.9 s before (its clock shows it open):
# refused sale-not-open, or else accepted only once the true opening has passed (then tried again).
cc_opening() { # TOKEN -> 0 refused, 1 sold early, 2 inconclusive
  local sale opens wait_ms early answered
  sale=$(primary "INSERT INTO products (sku, name) VALUES (CONCAT('clock-', UUID()), 'Clock sneaker');
    INSERT INTO sales (product_id, title, price_minor, currency, stock, opens_at, closes_at, per_user_limit,
                       queue_capacity, window_seconds, hold_seconds)
    VALUES (LAST_INSERT_ID(), 'Clock drop', 1999, 'EUR', 5, UTC_TIMESTAMP(3) + INTERVAL 8 SECOND,
            UTC_TIMESTAMP(3) + INTERVAL 1 HOUR, 1, 100, 600, 60);
    SELECT LAST_INSERT_ID();")
  arm "$sale"
  opens=$(date -d "$(primary "SELECT DATE_FORMAT(opens_at, '%Y-%m-%dT%H:%i:%s.%fZ') FROM sales WHERE id = $sale")" +%s%3N)
  wait_ms=$((opens - 1900 - $(millis)))
  [ "$wait_ms" -gt 0 ] || return 2
  sleep "$(awk -v ms="$wait_ms" 'BEGIN {printf "%.3f", ms / 1000}')"
  early=$(cc_buy "$API2" "$sale" "$1")
  answered=$(millis)
  CC_OPENING="$early $(cat "$CC/buy.out"), answered $((opens - answered)) ms before the opening"
  [ "$early" = 403 ] && jq -e '.type | endswith("sale-not-open")' "$CC/buy.out" >/dev/null && return 0
  [ "$early" = 202 ] && [ "$answered" -ge "$opens" ] && return 2
  return 1
}
for try in 1 2 3; do
  outcome=0
  cc_opening "$(cc_token $((4 + try)))" || outcome=$?
  [ "$outcome" = 2 ] || break
  log "chaos clock: the opening probe was answered too late to tell ($CC_OPENING); again"
done
[ "$outcome" = 0 ] || fail "chaos clock: a purchase on the fast instance 1.9 s before the opening: $CC_OPENING"
log "chaos clock: the fast instance refused a purchase 1.9 s before the opening ($CC_OPENING)"

log "chaos clock: restarting flash-sale-api-2 on the true clock"
restored_at=$(date +%s)
stack_service_restart "$STACK_DIR" flash-sale-api-2
read -r low2 high2 <<<"$(cc_skew "$API2")" || fail "chaos clock: could not log in on instance 2 to read its clock"
[ "$low2" -le 500 ] && [ "$high2" -ge -500 ] || fail "chaos clock: instance 2 is still [$low2, $high2] ms off after its restart"
log "chaos clock: instance 2 back on the true clock ([$low2, $high2] ms)"
log "$(chaos_line "2 s clock skew between the API instances" "$(($(date +%s) - restored_at))")"
