#!/usr/bin/env bash
# The order lifecycle end to end, every part a real process: flash-sale-api and order-worker jars,
# ElasticMQ, GreenMail, the email function behind the local SQS event source, the scheduled-start
# function behind the local scheduler. Shows: the scheduler's arm-upcoming task (the deployed schedule's
# input) arms the sales through the API before they open, and its scale-in task keeps the hot group; buy → pay
# with a test card → PAID in MySQL → the confirmation email at the SMTP server with the right order,
# amount and recipient (and the sign-up's verification email beside it); buy → don't pay → at pay-by the unit returns, the order is EXPIRED, and
# another shopper buys it. Own database, Redis DB, vhost and ports (MIAOSHA_LIFECYCLE_DB, default
# miaosha_lifecycle_e2e; MIAOSHA_LIFECYCLE_REDIS_DB, 11; MIAOSHA_LIFECYCLE_VHOST, miaosha-lifecycle-e2e;
# LIFECYCLE_PORT_BASE, 18380: API +0, worker +1, ElasticMQ +4, SMTP +5, mail API +6), fresh every run;
# kills only what it started.
set -euo pipefail
source "$(dirname "$0")/../lib/env.sh"
source "$ROOT/scripts/lib/lifecycle.sh"
source "$ROOT/scripts/lib/stack.sh"

service_command flash-sale-api && service_command order-worker   # die when they are not packaged
require_lifecycle_artifacts
ensure_servers
command -v jq >/dev/null || apt_install jq

DB="${MIAOSHA_LIFECYCLE_DB:-miaosha_lifecycle_e2e}" REDIS_DB="${MIAOSHA_LIFECYCLE_REDIS_DB:-11}"
VHOST="${MIAOSHA_LIFECYCLE_VHOST:-miaosha-lifecycle-e2e}"
BASE="${LIFECYCLE_PORT_BASE:-18380}"
API_PORT=$BASE WORKER_PORT=$((BASE + 1)) SQS_PORT=$((BASE + 4)) SMTP_PORT=$((BASE + 5)) MAIL_API_PORT=$((BASE + 6))
API="http://127.0.0.1:$API_PORT"
QUEUE_URL="http://127.0.0.1:$SQS_PORT/000000000000/miaosha-email"
WORK="$(mktemp -d)"

cleanup() {
  if [ "${#LIFECYCLE_PIDS[@]}" -gt 0 ]; then
    kill "${LIFECYCLE_PIDS[@]}" 2>/dev/null || true
    wait "${LIFECYCLE_PIDS[@]}" 2>/dev/null || true
  fi
  rm -rf "$WORK"
}
trap cleanup EXIT
fail() {
  for f in "$WORK"/*.log; do printf '\n--- %s ---\n' "$(basename "$f")" >&2; tail -25 "$f" >&2; done
  die "order lifecycle: $*"
}
for port in $API_PORT $WORKER_PORT $SQS_PORT $SMTP_PORT $MAIL_API_PORT; do
  port_open "$port" && die "port $port is in use; set LIFECYCLE_PORT_BASE to a free range of seven ports"
done

fresh_stores db="$DB" redis="$REDIS_DB" vhost="$VHOST"
sql() { mariadb -uroot -N -B "$DB" -e "$1"; }
local_secrets "$WORK/secrets"

start_elasticmq "$SQS_PORT" "$WORK/elasticmq.log"
start_greenmail "$SMTP_PORT" "$MAIL_API_PORT" "$WORK/greenmail.log"
COMMON_ENV=(MIAOSHA_DB_NAME="$DB" MIAOSHA_REDIS_URL="redis://127.0.0.1:6379/$REDIS_DB" RABBITMQ_VIRTUAL_HOST="$VHOST")
# No auto-arming ahead of opening: the scheduled-start function must be the one that arms.
# The API queues sign-ups' verification emails on the same queue. Both name ElasticMQ and its static
# keys: the worker runs in the production profile, whose defaults are AWS's endpoint and the instance role.
start_service flash-sale-api "$API_PORT" "$WORK/api.log" "${COMMON_ENV[@]}" QUARKUS_PROFILE=dev MIAOSHA_DEMO_ENABLED=true MIAOSHA_ARMING_HORIZON=PT0S \
  MIAOSHA_SQS_ENDPOINT="http://127.0.0.1:$SQS_PORT" MIAOSHA_SQS_CREDENTIALS=static MIAOSHA_EMAIL_QUEUE_URL="$QUEUE_URL"
LIFECYCLE_PIDS+=("$SERVICE_PID")
wait_ready flash-sale-api "$API_PORT" "$WORK/api.log" 60 "$SERVICE_PID"
start_service order-worker "$WORKER_PORT" "$WORK/worker.log" "${COMMON_ENV[@]}" \
  MIAOSHA_SQS_ENDPOINT="http://127.0.0.1:$SQS_PORT" MIAOSHA_SQS_CREDENTIALS=static MIAOSHA_EMAIL_QUEUE_URL="$QUEUE_URL"
LIFECYCLE_PIDS+=("$SERVICE_PID")
wait_ready order-worker "$WORKER_PORT" "$WORK/worker.log" 60 "$SERVICE_PID"
wait_port "$SQS_PORT" ElasticMQ
wait_port "$MAIL_API_PORT" GreenMail
start_email_source "$QUEUE_URL" "$SMTP_PORT" "$WORK/email-function.log"

sqs() { # action json: one call of the SQS JSON protocol to ElasticMQ
  curl -fsS "http://127.0.0.1:$SQS_PORT/" -H 'Content-Type: application/x-amz-json-1.0' -H "X-Amz-Target: AmazonSQS.$1" -d "$2"
}
log "a poison email job: the function reports it failed, and after 3 receives it is in the dead-letter queue"
sqs SendMessage "{\"QueueUrl\":\"$QUEUE_URL\",\"MessageBody\":\"not a confirmation\"}" >/dev/null

login() { curl -fsS -XPOST "$API/api/auth/login" -H 'Content-Type: application/json' -d "{\"email\":\"$1\",\"password\":\"$2\"}" | jq -r .token; }
shopper() {
  local email="shopper-$RANDOM$RANDOM@test.miaosha.dev"
  curl -sS -XPOST "$API/api/auth/signup" -H 'Content-Type: application/json' -d "{\"email\":\"$email\",\"password\":\"longenough\"}" >/dev/null
  echo "$email $(login "$email" longenough)"
}
eventually() { # seconds description command...
  local seconds=$1 what=$2 i; shift 2
  for i in $(seq 1 $((seconds * 4))); do "$@" >/dev/null 2>&1 && return 0; sleep 0.25; done
  fail "$what"
}
ADMIN=$(login admin@test.com adminadmin)
[ -n "$ADMIN" ] && [ "$ADMIN" != null ] || fail "admin login"
PRODUCT=$(curl -fsS -XPOST "$API/api/admin/products" -H "Authorization: Bearer $ADMIN" -H 'Content-Type: application/json' \
  -d '{"sku":"lifecycle-tee","name":"Lifecycle tee"}' | jq -r .id)
new_sale() { # stock hold-seconds
  local opens closes id
  opens=$(date -u -d "@$OPENS_AT" +%Y-%m-%dT%H:%M:%SZ); closes=$(date -u -d '+1 hour' +%Y-%m-%dT%H:%M:%SZ)
  id=$(curl -fsS -XPOST "$API/api/admin/sales" -H "Authorization: Bearer $ADMIN" -H 'Content-Type: application/json' \
    -d "{\"productId\":$PRODUCT,\"title\":\"Lifecycle drop\",\"priceMinor\":2450,\"currency\":\"EUR\",\"stock\":$1,\"opensAt\":\"$opens\",\"closesAt\":\"$closes\",\"perUserLimit\":2,\"queueCapacity\":100}" | jq -r .id)
  # The API's minimum hold is 30 s; the check shortens it in MySQL before the sale is armed.
  sql "UPDATE sales SET hold_seconds = $2 WHERE id = $id"
  echo "$id"
}

log "the scheduler's arm-upcoming task arms the sales through the API before they open"
# Both sales open 25 s from now: time for the scheduler to boot and arm them first.
OPENS_AT=$(( $(date +%s) + 25 ))
PAY_SALE=$(new_sale 5 300)
EXPIRY_SALE=$(new_sale 1 4)
# arm-upcoming every 2 s and scale-in every 5 s instead of every minute and quarter hour.
start_scheduler "$API" "$WORK/scheduler.log" 2 5
armed() { # sale: the function's answer to an arm-upcoming run lists it
  grep -qE "\"task\":\"arm-upcoming\"\} -> \"armed sale\(s\) \[([0-9]+, )*$1(, [0-9]+)*\]\"" "$WORK/scheduler.log"
}
eventually 60 "the arm-upcoming task armed sale $PAY_SALE" armed "$PAY_SALE"
eventually 30 "the arm-upcoming task armed sale $EXPIRY_SALE" armed "$EXPIRY_SALE"
eventually 30 "the scale-in task kept the hot group for the upcoming sales" \
  grep -q '"task":"scale-in"} -> "hot group kept: sale(s)' "$WORK/scheduler.log"
[ "$(sql "SELECT COUNT(*) FROM sales WHERE armed_at IS NOT NULL AND armed_at < opens_at AND id IN ($PAY_SALE,$EXPIRY_SALE)")" = 2 ] \
  || fail "the sales were not armed before they opened"
[ "$(redis-cli -n $REDIS_DB GET "{sale:$PAY_SALE}:stock")" = 5 ] || fail "sale $PAY_SALE has no stock in Redis"
while [ "$(date +%s)" -le "$OPENS_AT" ]; do sleep 0.5; done

log "buy → pay with a test card → PAID in MySQL → confirmation email"
read -r EMAIL TOKEN <<<"$(shopper)"
ORDER=$(curl -sS -XPOST "$API/api/sales/$PAY_SALE/purchase" -H "Authorization: Bearer $TOKEN" -H 'Idempotency-Key: e2e-buy' \
  -H 'Content-Type: application/json' -d '{"quantity":2}' | jq -r .orderId)
[ -n "$ORDER" ] && [ "$ORDER" != null ] || fail "purchase refused: $(curl -sS "$API/api/sales/$PAY_SALE")"
DECLINE=$(curl -sS -o /dev/null -w '%{http_code}' -XPOST "$API/api/orders/$ORDER/pay" -H "Authorization: Bearer $TOKEN" \
  -H 'Idempotency-Key: e2e-pay-1' -H 'Content-Type: application/json' -d '{"cardNumber":"4000000000000002"}')
[ "$DECLINE" = 402 ] || fail "declined card answered $DECLINE"
PAID=$(curl -sS -XPOST "$API/api/orders/$ORDER/pay" -H "Authorization: Bearer $TOKEN" -H 'Idempotency-Key: e2e-pay-2' \
  -H 'Content-Type: application/json' -d '{"cardNumber":"4242424242424242"}')
[ "$(jq -r .status <<<"$PAID")" = PAID ] && [ "$(jq -r .amountMinor <<<"$PAID")" = 4900 ] || fail "payment answered $PAID"
eventually 20 "order $ORDER PAID in MySQL" bash -c "[ \"\$(mariadb -uroot -N -B $DB -e \"SELECT status FROM orders WHERE id='$ORDER'\")\" = PAID ]"
# The shopper's mailbox also holds the sign-up's "Confirm your email" message: the confirmation is the one about the order.
eventually 30 "the confirmation email reached $EMAIL" bash -c \
  "curl -sS http://127.0.0.1:$MAIL_API_PORT/api/user/$EMAIL/messages/ | jq -e '[.[] | select(.subject | startswith(\"Your order\"))] | length == 1'"
eventually 30 "the sign-up's verification email reached $EMAIL" bash -c \
  "curl -sS http://127.0.0.1:$MAIL_API_PORT/api/user/$EMAIL/messages/ | jq -e '[.[] | select(.subject == \"Confirm your email for Miaosha\")] | length == 1'"
MAIL=$(curl -fsS "http://127.0.0.1:$MAIL_API_PORT/api/user/$EMAIL/messages/" | jq '[.[] | select(.subject | startswith("Your order"))]')
# The subject names the short code the shopper saw (OrderIds.shortCode: the id's last 8 hex digits), the body the whole id.
HEX="${ORDER//-/}"; CODE="${HEX: -8}"; CODE="${CODE^^}"; CODE="${CODE:0:4}-${CODE:4:4}"
[ "$(jq -r '.[0].subject' <<<"$MAIL")" = "Your order $CODE is paid" ] || fail "subject: $(jq -r '.[0].subject' <<<"$MAIL")"
jq -r '.[0].mimeMessage' <<<"$MAIL" | grep -q "$ORDER" || fail "the email does not name the order $ORDER"
jq -r '.[0].mimeMessage' <<<"$MAIL" | grep -q "49.00 EUR" || fail "the email does not state 49.00 EUR"
jq -r '.[0].mimeMessage' <<<"$MAIL" | grep -q "To: $EMAIL" || fail "the email is not addressed to $EMAIL"

log "buy → don't pay → at pay-by the unit returns, EXPIRED, another shopper buys it"
read -r _ FIRST <<<"$(shopper)"
read -r _ SECOND <<<"$(shopper)"
HELD=$(curl -sS -XPOST "$API/api/sales/$EXPIRY_SALE/purchase" -H "Authorization: Bearer $FIRST" \
  -H 'Content-Type: application/json' -d '{"quantity":1}' | jq -r .orderId)
SOLD_OUT=$(curl -sS -o /dev/null -w '%{http_code}' -XPOST "$API/api/sales/$EXPIRY_SALE/purchase" -H "Authorization: Bearer $SECOND" \
  -H 'Content-Type: application/json' -d '{"quantity":1}')
[ "$SOLD_OUT" = 409 ] || fail "the second shopper got $SOLD_OUT while the unit was held"
eventually 30 "order $HELD EXPIRED in MySQL" bash -c "[ \"\$(mariadb -uroot -N -B $DB -e \"SELECT status FROM orders WHERE id='$HELD'\")\" = EXPIRED ]"
[ "$(redis-cli -n $REDIS_DB GET "{sale:$EXPIRY_SALE}:stock")" = 1 ] || fail "the unit did not return to stock"
AGAIN=$(curl -sS -o /dev/null -w '%{http_code}' -XPOST "$API/api/sales/$EXPIRY_SALE/purchase" -H "Authorization: Bearer $SECOND" \
  -H 'Content-Type: application/json' -d '{"quantity":1}')
[ "$AGAIN" = 202 ] || fail "the second shopper could not buy the returned unit ($AGAIN)"
LATE=$(curl -sS -o /dev/null -w '%{http_code}' -XPOST "$API/api/orders/$HELD/pay" -H "Authorization: Bearer $FIRST" \
  -H 'Idempotency-Key: late' -H 'Content-Type: application/json' -d '{"cardNumber":"4242424242424242"}')
[ "$LATE" = 409 ] || fail "paying an expired order answered $LATE"
dlq_depth() {
  sqs GetQueueAttributes "{\"QueueUrl\":\"${QUEUE_URL}-dlq\",\"AttributeNames\":[\"ApproximateNumberOfMessages\"]}" \
    | jq -r .Attributes.ApproximateNumberOfMessages
}
eventually 60 "the poison email job reached miaosha-email-dlq" bash -c "[ \"\$(curl -fsS http://127.0.0.1:$SQS_PORT/ -H 'Content-Type: application/x-amz-json-1.0' -H 'X-Amz-Target: AmazonSQS.GetQueueAttributes' -d '{\"QueueUrl\":\"${QUEUE_URL}-dlq\",\"AttributeNames\":[\"ApproximateNumberOfMessages\"]}' | jq -r .Attributes.ApproximateNumberOfMessages)\" = 1 ]"
[ "$(dlq_depth)" = 1 ] || fail "dead-letter queue depth $(dlq_depth)"
grep -q "reported failed" "$WORK/email-function.log" || fail "the email function never reported a failed record"
log "order lifecycle: all good"
