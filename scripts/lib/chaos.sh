# The chaos suite's steps, for the scenario files under scripts/checks/cluster/ (sourced by check 70,
# whose functions and variables they use: primary, new_shoppers, live_sale, arm, fail, API1, API2, KEY,
# WORK, CLUSTER_PORT_BASE). A scenario reads:
#
#   source "$ROOT/scripts/lib/chaos.sh"
#   chaos_begin db 400 1 20 600        # sale of 400, limit 1, hold 20 s, 600 fresh shoppers
#   chaos_storm 90                     # ChaosStorm in the background for 90 s (options after: --pay-share 0.5 ...)
#   chaos_wait_sold 40                 # mid-storm: once 40 units are sold
#   ... inject the fault, recover ...
#   chaos_storm_wait                   # the storm's figures; fails on a 500 or a driver error
#   chaos_check 60                     # the one invariant checker, holds settled within pay-by + 60 s
#   chaos_nothing_parked               # no message parked in any *.parked queue
#   log "$(chaos_line 'MariaDB primary stopped 60 s' "$recovery_seconds")"
#
# The record the checker reads is $CHAOS_DIR/record (test-support's ShopperRecord lines); the
# storm's figures are in $CHAOS_DIR/storm.out, the checker's summary in $CHAOS_DIR/check.out.

chaos_begin() { # NAME STOCK LIMIT HOLD_SECONDS SHOPPERS
  CHAOS_NAME=$1 CHAOS_STOCK=$2 CHAOS_LIMIT=$3
  CHAOS_DIR="$WORK/chaos-$1"
  rm -rf "$CHAOS_DIR"
  mkdir -p "$CHAOS_DIR"
  CHAOS_SALE=$(live_sale "$2" "$3" "$4")
  new_shoppers "$5" "$CHAOS_DIR/shoppers"
  arm "$CHAOS_SALE"
  log "chaos $1: sale $CHAOS_SALE (stock $2, limit $3, hold $4 s), $5 shoppers"
}

chaos_storm() { # SECONDS [ChaosStorm option...]
  local seconds=$1
  shift
  CHAOS_STORM_STARTED=$(date +%s)
  "$JAVA_HOME/bin/java" -cp "$(test_support_classes)" "$ROOT/scripts/lib/ChaosStorm.java" "$KEY" "$CHAOS_SALE" \
    "$CHAOS_DIR/shoppers" "$CHAOS_DIR" "$API1,$API2" --seconds "$seconds" "$@" \
    > "$CHAOS_DIR/storm.out" 2> "$CHAOS_DIR/storm.err" &
  CHAOS_STORM=$!
  CLIENTS+=("$CHAOS_STORM")
}

# Units sold (held or paid) so far, as the sale's Redis master tells.
chaos_sold() {
  local left
  left="$(redis-cli -c -h 127.0.0.1 -p $((CLUSTER_PORT_BASE + 1)) GET "{sale:$CHAOS_SALE}:stock" 2>/dev/null || true)"
  [[ "$left" =~ ^-?[0-9]+$ ]] || left=$CHAOS_STOCK
  echo $((CHAOS_STOCK - left))
}

chaos_wait_sold() { # UNITS [SECONDS]
  local i
  for i in $(seq 1 $((${2:-60} * 4))); do
    [ "$(chaos_sold 2>/dev/null || echo 0)" -ge "$1" ] && return 0
    kill -0 "$CHAOS_STORM" 2>/dev/null || break
    sleep 0.25
  done
  fail "chaos $CHAOS_NAME: $1 units were not sold in time (sold $(chaos_sold); storm: $(tail -3 "$CHAOS_DIR/storm.err"))"
}

chaos_storm_wait() {
  wait "$CHAOS_STORM" || { tail -20 "$CHAOS_DIR/storm.err" >&2; fail "chaos $CHAOS_NAME: the storm driver failed"; }
  chaos_figure() { sed -n "s|^$1=||p" "$CHAOS_DIR/storm.out"; }
  log "chaos $CHAOS_NAME storm: $(tr '\n' ' ' < "$CHAOS_DIR/storm.out")"
  [ -z "$(chaos_figure driver-errors)" ] || fail "chaos $CHAOS_NAME: the driver failed for some shoppers: $(grep failed "$CHAOS_DIR/storm.err" | head -3)"
  [ "$(chaos_figure purchase.202)" -gt 0 ] 2>/dev/null || fail "chaos $CHAOS_NAME: no purchase was accepted"
  # A 5xx other than 503 (the store or the promise is unavailable) is a bug, even when a retry got through.
  grep -E '^retried\.5' "$CHAOS_DIR/storm.out" | grep -qv '^retried\.503=' \
    && fail "chaos $CHAOS_NAME: answers 5xx other than 503: $(grep -E 'answered 5' "$CHAOS_DIR/storm.err" | head -3)"
  return 0
}

chaos_check() { # [BOUND_SECONDS]
  local status=0
  CHECK_JDBC_URL="jdbc:mariadb://127.0.0.1:$(cluster_db_port primary)/miaosha" CHECK_REDIS="127.0.0.1:$((CLUSTER_PORT_BASE + 1))" \
    check_invariants "$CHAOS_SALE" "$CHAOS_STOCK" "$CHAOS_LIMIT" "$CHAOS_DIR/record" --bound "${1:-60}" \
    > "$CHAOS_DIR/check.out" 2>&1 || status=$?
  CHAOS_SUMMARY="$(grep '^chaos-check' "$CHAOS_DIR/check.out" | tail -1)"
  log "chaos $CHAOS_NAME: $CHAOS_SUMMARY"
  [ "$status" = 0 ] || { cat "$CHAOS_DIR/check.out" >&2; fail "chaos $CHAOS_NAME: invariants broken (above)"; }
  # The checker can fail: told of an order that does not exist and of a payment of an order that
  # expired (or any never-paid one), it must name both.
  local unpaid
  unpaid="$(awk -F'\t' 'NR == FNR { if ($1 == "pay" && $4 == "200") paid[$5] = 1; next }
    $1 == "purchase" && $4 == "202" && !($5 in paid) { print $5; exit }' "$CHAOS_DIR/record" "$CHAOS_DIR/record")"
  cp "$CHAOS_DIR/record" "$CHAOS_DIR/record.tampered"
  printf 'purchase\t1\tmade-up\t202\t00000000-0000-7000-8000-000000000000\t1\n' >> "$CHAOS_DIR/record.tampered"
  [ -z "$unpaid" ] || printf 'pay\t1\tmade-up\t200\t%s\tpi_made_up\n' "$unpaid" >> "$CHAOS_DIR/record.tampered"
  status=0
  CHECK_JDBC_URL="jdbc:mariadb://127.0.0.1:$(cluster_db_port primary)/miaosha" CHECK_REDIS="127.0.0.1:$((CLUSTER_PORT_BASE + 1))" \
    check_invariants "$CHAOS_SALE" "$CHAOS_STOCK" "$CHAOS_LIMIT" "$CHAOS_DIR/record.tampered" --once \
    > "$CHAOS_DIR/check-tampered.out" 2>&1 || status=$?
  [ "$status" = 1 ] && grep -q '(lost)' "$CHAOS_DIR/check-tampered.out" \
    && { [ -z "$unpaid" ] || grep -q 'answered PAID are not PAID' "$CHAOS_DIR/check-tampered.out"; } \
    || fail "chaos $CHAOS_NAME: the checker did not see a made-up order and payment: $(cat "$CHAOS_DIR/check-tampered.out")"
}

# Messages parked in any *.parked queue of the services' vhost.
chaos_parked() {
  cluster_rabbitmqctl 1 list_queues -p "${CLUSTER_RABBIT_VHOSTS%% *}" name messages --no-table-headers 2>/dev/null \
    | awk '$1 ~ /\.parked$/ {sum += $2} END {print sum + 0}'
}

chaos_nothing_parked() {
  local parked
  parked="$(chaos_parked)"
  [ "$parked" = "${CHAOS_PARKED_BEFORE:-0}" ] || fail "chaos $CHAOS_NAME: $parked messages parked (${CHAOS_PARKED_BEFORE:-0} before)"
}

# One line of figures for the log and RELIABILITY.md: fault | acknowledged | persisted | lost | oversold | recovery.
chaos_line() { # FAULT RECOVERY_SECONDS
  local f
  f() { sed -n "s|.* $1=\([0-9-]*\).*|\1|p" <<<"$CHAOS_SUMMARY"; }
  echo "chaos $CHAOS_NAME | $1 | acknowledged $(f acknowledged) | persisted $(f persisted) | lost $(f lost) | oversold $(f oversold) | paid $(f paid) | expired $(f expired) | recovery $2 s"
}
