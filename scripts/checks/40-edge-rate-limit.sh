#!/usr/bin/env bash
# The edge's rate limits, end to end: the real nginx (docker/nginx, started by start_edge) in
# front of the real flash-sale-api jar, both on free ports. Shows that normal traffic passes
# untouched, that a burst past a limit gets 429 + Retry-After + problem+json at once, and that
# another client address (127.0.0.2) is unaffected meanwhile; that every other spelling of a
# limited path is refused before any zone or the API sees it (by nginx and by the API itself);
# that every error nginx answers itself is problem+json; that the API throttles log-ins per
# account on the address nginx vouches for (not one the client claims); and that a logout on one
# API instance ends the token on a second one at once. Kills only what it started.
set -euo pipefail
source "$(dirname "$0")/../lib/env.sh"
source "$ROOT/scripts/lib/nginx.sh"
source "$ROOT/scripts/lib/stack.sh"

service_command flash-sale-api   # dies when it is not packaged
command -v curl >/dev/null || apt_install curl
ensure_servers
ensure_nginx

command -v socat >/dev/null || apt_install socat
command -v redis-cli >/dev/null || die "redis-cli is missing (apt-get install redis-tools)"

WORK="$(mktemp -d)"
API_PID="" API2_PID="" STUB_PID=""
cleanup() {
  stop_edge "$WORK/edge"
  local pid
  for pid in "$API_PID" "$API2_PID" "$STUB_PID"; do
    if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
      kill "$pid" 2>/dev/null || true
      wait "$pid" 2>/dev/null || true
    fi
  done
  rm -rf "$WORK"
}
trap cleanup EXIT

fail() {
  printf '\n--- nginx error.log ---\n' >&2; tail -20 "$WORK/edge/error.log" >&2 2>/dev/null || true
  printf -- '--- flash-sale-api log ---\n' >&2; tail -20 "$WORK/api.log" >&2 2>/dev/null || true
  die "edge rate limit: $*"
}

free_port() {
  local port
  for port in $(shuf -i 20000-45000 -n 100); do
    port_open "$port" || { echo "$port"; return; }
  done
  die "no free port found"
}

API_PORT="$(free_port)"
API2_PORT="$(free_port)"
EDGE_PORT="$(free_port)"
GATEWAY_PORT="$(free_port)"   # nothing listens there: a /ws/ request gets nginx's own 502
STUB_PORT="$(free_port)"      # accepts and never answers: nginx's own 504

# start_api PORT LOG: the relay is off so that a throwaway instance never moves anyone's outbox
# entries. The API's own log-in throttle is tightened (3 failures per account in 20 s) so that
# section 7 sees it, and per address loosened so that repeated runs of this check do not trip it;
# bcrypt is at its cheapest, since what is timed here is the edge.
# The instances run the production profile with keys and secrets of their own, made here, as a
# deployment would (never the committed dev ones).
local_secrets "$WORK/secrets"
start_api() {
  SERVICE_DIR="$WORK" start_service flash-sale-api "$1" "$2" QUARKUS_PROFILE=dev MIAOSHA_RELAY_ENABLED=false MIAOSHA_DEMO_ENABLED=false \
    MIAOSHA_LOGIN_MAX_PER_ACCOUNT=3 MIAOSHA_LOGIN_MAX_PER_ADDRESS=10000 MIAOSHA_LOGIN_WINDOW=PT20S MIAOSHA_ACCOUNT_BCRYPT_COST=4 \
    -- -Xmx256m
}
start_api "$API_PORT" "$WORK/api.log"
API_PID=$SERVICE_PID
wait_ready flash-sale-api "$API_PORT" "$WORK/api.log" 60 "$API_PID"

socat TCP-LISTEN:"$STUB_PORT",bind=127.0.0.1,fork,reuseaddr SYSTEM:'sleep 30' >/dev/null 2>&1 &
STUB_PID=$!

# Test-only locations in this copy of the config, so that nginx answers 503 and 504 itself;
# the error pages they get are the production config's.
cat >"$WORK/extra-locations.conf" <<CONF
    location = /__edge-check/unavailable { return 503; }
    location = /__edge-check/slow { proxy_read_timeout 1s; proxy_pass http://127.0.0.1:$STUB_PORT; }
CONF
EDGE_EXTRA_LOCATIONS="$WORK/extra-locations.conf" start_edge "$WORK/edge" "$EDGE_PORT" "$API_PORT" "$GATEWAY_PORT"
EDGE="http://127.0.0.1:$EDGE_PORT"

# request NAME [curl args...]: writes NAME.status, NAME.headers, NAME.body under $WORK.
request() {
  local name=$1
  shift
  curl -s --max-time 10 -D "$WORK/$name.headers" -o "$WORK/$name.body" -w '%{http_code}' "$@" \
    >"$WORK/$name.status" || echo 000 >"$WORK/$name.status"
}
status() { cat "$WORK/$1.status"; }
header() { grep -i "^$2:" "$WORK/$1.headers" | head -1 | cut -d: -f2- | tr -d ' \r'; }
# A fresh unknown email per attempt: the API's own per-account throttle must not answer for nginx here.
login_body() { printf '{"email":"nobody-%s-%s@example.com","password":"not-the-password"}' "$$" "$RANDOM$RANDOM"; }
LOGIN=(-X POST -H 'Content-Type: application/json')
is_problem() { # NAME STATUS SLUG: the answer NAME is STATUS application/problem+json of that type
  [ "$(status "$1")" = "$2" ] || fail "$1: status $(status "$1"), expected $2: $(head -c 300 "$WORK/$1.body")"
  [ "$(header "$1" content-type)" = application/problem+json ] || fail "$1: content type '$(header "$1" content-type)' is not application/problem+json"
  grep -q "\"type\":\"https://miaosha.dev/problems/$3\"" "$WORK/$1.body" || fail "$1: body without the $3 type: $(head -c 300 "$WORK/$1.body")"
  grep -q "\"status\":$2" "$WORK/$1.body" || fail "$1: body without its status"
}

# 1. Normal traffic passes untouched: same status, type and body as straight from the API.
request direct "http://127.0.0.1:$API_PORT/api/sales/987654321"
request edged "$EDGE/api/sales/987654321"
[ "$(status direct)" = "$(status edged)" ] || fail "GET /api/sales/987654321: $(status direct) direct but $(status edged) through nginx"
cmp -s "$WORK/direct.body" "$WORK/edged.body" || fail "nginx changed the body of GET /api/sales/987654321"
[ "$(header direct content-type)" = "$(header edged content-type)" ] || fail "nginx changed the content type"
request listing "$EDGE/api/sales"
[ "$(status listing)" = 200 ] || fail "GET /api/sales through nginx answered $(status listing)"
request internal "$EDGE/q/health"
is_problem internal 404 not-found

# 2. Log-in: 10/min with a burst of 5 per address. Twelve attempts at once: the first six reach
#    the API (401, wrong password), the rest are refused by nginx at once.
start=$SECONDS
passed=0 refused=0
for i in $(seq 1 12); do
  request "login$i" "${LOGIN[@]}" --data "$(login_body)" "$EDGE/api/auth/login"
  case "$(status "login$i")" in
    401) passed=$((passed + 1)) ;;
    429) refused=$((refused + 1)); last_refused="login$i" ;;
    *) fail "login attempt $i answered $(status "login$i")" ;;
  esac
done
[ "$passed" -ge 1 ] && [ "$passed" -le 7 ] || fail "$passed of 12 log-in attempts reached the API (expected 6)"
[ "$refused" -ge 5 ] || fail "only $refused of 12 log-in attempts were limited"
[ $((SECONDS - start)) -le 5 ] || fail "the log-in burst took $((SECONDS - start)) s: refused requests must not wait"
[ "$(header "$last_refused" retry-after)" = 6 ] || fail "a log-in 429 with Retry-After '$(header "$last_refused" retry-after)', not 6 (one log-in per 6 s)"
[ "$(header "$last_refused" content-type)" = application/problem+json ] || fail "a 429 that is not application/problem+json"
grep -q '"type":"https://miaosha.dev/problems/rate-limited"' "$WORK/$last_refused.body" || fail "a 429 body without the rate-limited problem type"
grep -q '"status":429' "$WORK/$last_refused.body" || fail "a 429 body without its status"

# 3. Meanwhile another address is untouched: its log-in reaches the API and the catalog answers.
request other_login --interface 127.0.0.2 "${LOGIN[@]}" --data "$(login_body)" "$EDGE/api/auth/login"
[ "$(status other_login)" = 401 ] || fail "127.0.0.2's log-in answered $(status other_login) while 127.0.0.1 was limited"
request other_listing --interface 127.0.0.2 "$EDGE/api/sales"
[ "$(status other_listing)" = 200 ] || fail "127.0.0.2's catalog answered $(status other_listing)"
request still_limited "${LOGIN[@]}" --data "$(login_body)" "$EDGE/api/auth/login"
[ "$(status still_limited)" = 429 ] || fail "127.0.0.1 was let through again within the minute"

# 4. Purchase: a burst of 40 then 20/s. 100 parallel attempts: the burst reaches the API (401, no
#    token), the excess gets 429, every request is answered.
urls=()
for i in $(seq 1 100); do urls+=(-o /dev/null "$EDGE/api/sales/1/purchase"); done
curl -s --no-progress-meter --max-time 20 --parallel --parallel-max 25 -X POST -H 'Content-Type: application/json' --data '{}' \
  -w '%{http_code}\n' "${urls[@]}" >"$WORK/purchase.codes" 2>"$WORK/purchase.err" || true
answered=$(grep -c . "$WORK/purchase.codes" || true)
limited=$(grep -c '^429$' "$WORK/purchase.codes" || true)
reached=$(grep -c '^401$' "$WORK/purchase.codes" || true)
[ "$answered" -eq 100 ] || fail "only $answered of 100 purchase attempts were answered"
[ "$limited" -ge 20 ] || fail "only $limited of 100 purchase attempts were limited"
[ "$reached" -ge 40 ] || fail "only $reached of 100 purchase attempts reached the API: the burst allowance is 40"
if [ -n "${EDGE_CHECK_VERBOSE:-}" ]; then
  log "log-in: $passed passed, $refused refused; purchase: $reached reached the API, $limited limited"
fi
request other_purchase --interface 127.0.0.2 -X POST -H 'Content-Type: application/json' --data '{}' "$EDGE/api/sales/1/purchase"
[ "$(status other_purchase)" = 401 ] || fail "127.0.0.2's purchase answered $(status other_purchase) during 127.0.0.1's burst"

# 5. Every other spelling of a limited path is refused before it reaches a zone or the API: nginx
#    answers 400 non-canonical-path (1 s apart would not help an attacker: no zone is consumed).
#    Sent from 127.0.0.5, whose auth zone is untouched: afterwards its log-in still gets through.
#    The API refuses the same spellings itself when reached directly.
variants=('/api/auth/login/' '/api/auth/login;x=1' '/api/auth/login/.' '/api/auth/./login' '/api//auth/login'
  '/api/x/../auth/login' '/api/auth/%6cogin' '/api/auth/%6Cogin' '/%61pi/auth/login' '/api/auth/login%2f'
  '/api/auth%2Flogin' '/api/auth/login%2e' '/API/auth/login' '/api/AUTH/login' '/api/auth/Login' '/api/auth/login\'
  '/api/auth/signup/' '/api/sales/1/purchase/' '/api/sales/1/purchase;a=b' '/api/sales/1/./purchase'
  '/api/sales/%31/purchase' '/api/SALES/1/purchase' '/api/sales/1/purchase/.' '/ws/sales/1/queue/')
ghost="ghost-$$-$RANDOM@example.com"
for i in "${!variants[@]}"; do
  request "variant$i" --path-as-is --interface 127.0.0.5 -X POST -H 'Content-Type: application/json' \
    --data "{\"email\":\"$ghost\",\"password\":\"not-the-password\"}" "$EDGE${variants[$i]}"
  is_problem "variant$i" 400 non-canonical-path
done
ghost_key="login:{account:$(printf %s "$ghost" | sha256sum | cut -c1-32)}"
[ "$(redis-cli -n 0 EXISTS "$ghost_key")" = 0 ] || fail "a non-canonical log-in reached the API's log-in (its attempt was counted)"
request canonical_after --interface 127.0.0.5 "${LOGIN[@]}" --data "$(login_body)" "$EDGE/api/auth/login"
[ "$(status canonical_after)" = 401 ] || fail "127.0.0.5's canonical log-in answered $(status canonical_after): the variants used its zone"
for path in '/api/auth/login/' '/api/auth/login;x=1' '/api/auth/%6cogin' '/api/./auth/login' '/api/sales/1/purchase/'; do
  request direct_variant --path-as-is -X POST -H 'Content-Type: application/json' --data '{}' "http://127.0.0.1:$API_PORT$path"
  is_problem direct_variant 400 non-canonical-path
done

# 6. Every error nginx answers itself is problem+json: 400, 404, 413, 414, 429 (above), 502, 503, 504.
request not_found "$EDGE/__edge/not-found"
is_problem not_found 404 not-found
head -c 70000 /dev/zero | tr '\0' a >"$WORK/big.body"
request too_large -X POST -H 'Content-Type: application/json' --data-binary @"$WORK/big.body" "$EDGE/api/sales/1/purchase"
is_problem too_large 413 body-too-large
request too_long "$EDGE/api/sales?q=$(head -c 9000 /dev/zero | tr '\0' a)"
is_problem too_long 414 uri-too-long
request big_header -H "X-Padding: $(head -c 9000 /dev/zero | tr '\0' a)" "$EDGE/api/sales"
is_problem big_header 400 headers-too-large
printf 'NOT HTTP AT ALL\r\n\r\n' | socat -t 3 - TCP:127.0.0.1:"$EDGE_PORT" >"$WORK/garbage.raw" 2>/dev/null || true
head -1 "$WORK/garbage.raw" | grep -q '^HTTP/1.1 400' || fail "a garbage request line got: $(head -1 "$WORK/garbage.raw")"
grep -qi '^content-type: application/problem+json' "$WORK/garbage.raw" || fail "a garbage request line's 400 is not problem+json"
grep -q '"type":"https://miaosha.dev/problems/bad-request"' "$WORK/garbage.raw" || fail "a garbage request line's 400 has no type"
request no_gateway "$EDGE/ws/sales/1/queue"
is_problem no_gateway 502 upstream-unavailable
request unavailable "$EDGE/__edge-check/unavailable"
is_problem unavailable 503 service-unavailable
request slow "$EDGE/__edge-check/slow"
is_problem slow 504 upstream-timeout

# 7. The API's own log-in throttle, behind the edge, keys on the address nginx saw, never on one
#    the client claims in X-Forwarded-For: 3 wrong passwords for one account (this instance's
#    limit) reach bcrypt, the 4th is the API's 429 too-many-logins with Retry-After.
victim="victim-$$-$RANDOM@example.com"
for i in 1 2 3; do
  request "throttle$i" --interface 127.0.0.7 -H 'X-Forwarded-For: 6.6.6.6' "${LOGIN[@]}" \
    --data "{\"email\":\"$victim\",\"password\":\"wrong-password-$i\"}" "$EDGE/api/auth/login"
  [ "$(status "throttle$i")" = 401 ] || fail "log-in attempt $i for one account answered $(status "throttle$i")"
done
request throttled --interface 127.0.0.7 "${LOGIN[@]}" --data "{\"email\":\"$victim\",\"password\":\"wrong-password-4\"}" "$EDGE/api/auth/login"
is_problem throttled 429 too-many-logins
case "$(header throttled retry-after)" in ''|*[!0-9]*) fail "the API's 429 without a numeric Retry-After" ;; esac
[ "$(redis-cli -n 0 EXISTS 'login:{address:6.6.6.6}')" = 0 ] || fail "the API believed the client's own X-Forwarded-For"
[ "$(redis-cli -n 0 GET 'login:{address:127.0.0.7}')" -ge 4 ] 2>/dev/null || fail "the API did not count the attempts under the address nginx saw"

# 8. Two instances share the log-in throttle; and sessions end on every instance: a second API
#    instance (same Redis and MySQL, not behind this nginx) trusts a token, then a logout through
#    the edge ends it there at once.
start_api "$API2_PORT" "$WORK/api2.log"
API2_PID=$SERVICE_PID
wait_ready "flash-sale-api 2" "$API2_PORT" "$WORK/api2.log" 60 "$API2_PID"
# The log-in throttle is counted in Redis, so the two instances count one account together:
# two failures on the first (through the edge) and one on the second use up the limit of 3.
shared="shared-$$-$RANDOM@example.com"
for i in 1 2; do
  request "shared$i" --interface 127.0.0.9 "${LOGIN[@]}" --data "{\"email\":\"$shared\",\"password\":\"wrong-password-$i\"}" "$EDGE/api/auth/login"
  [ "$(status "shared$i")" = 401 ] || fail "shared-throttle attempt $i answered $(status "shared$i")"
done
request shared3 "${LOGIN[@]}" --data "{\"email\":\"$shared\",\"password\":\"wrong-password-3\"}" "http://127.0.0.1:$API2_PORT/api/auth/login"
[ "$(status shared3)" = 401 ] || fail "the second instance's first attempt answered $(status shared3)"
request shared4 "${LOGIN[@]}" --data "{\"email\":\"$shared\",\"password\":\"wrong-password-4\"}" "http://127.0.0.1:$API2_PORT/api/auth/login"
is_problem shared4 429 too-many-logins
shopper="session-$$-$RANDOM@example.com"
request signup --interface 127.0.0.8 -X POST -H 'Content-Type: application/json' \
  --data "{\"email\":\"$shopper\",\"password\":\"long-enough-1\"}" "$EDGE/api/auth/signup"
[ "$(status signup)" = 201 ] || fail "sign-up through the edge answered $(status signup): $(cat "$WORK/signup.body")"
request session --interface 127.0.0.8 -X POST -H 'Content-Type: application/json' \
  --data "{\"email\":\"$shopper\",\"password\":\"long-enough-1\"}" "$EDGE/api/auth/login"
[ "$(status session)" = 200 ] || fail "log-in through the edge answered $(status session)"
token=$(sed -n 's/.*"token":"\([^"]*\)".*/\1/p' "$WORK/session.body")
request me_second -H "Authorization: Bearer $token" "http://127.0.0.1:$API2_PORT/api/me"
[ "$(status me_second)" = 200 ] || fail "the second instance refused a fresh token: $(status me_second)"
request logout --interface 127.0.0.8 -X POST -H "Authorization: Bearer $token" "$EDGE/api/auth/logout"
[ "$(status logout)" = 204 ] || fail "logout through the edge answered $(status logout): $(cat "$WORK/logout.body")"
ended=""
for _ in $(seq 1 10); do
  request me_after -H "Authorization: Bearer $token" "http://127.0.0.1:$API2_PORT/api/me"
  [ "$(status me_after)" = 401 ] && { ended=1; break; }
  sleep 0.1
done
[ -n "$ended" ] || fail "the second instance still accepts a logged-out token after 1 s"
is_problem me_after 401 not-authenticated
request me_first --interface 127.0.0.8 -H "Authorization: Bearer $token" "$EDGE/api/me"
is_problem me_first 401 not-authenticated
if [ -n "${EDGE_CHECK_VERBOSE:-}" ]; then
  log "non-canonical spellings refused: ${#variants[@]}; nginx errors as problem+json: 400 404 413 414 429 502 503 504"
fi
