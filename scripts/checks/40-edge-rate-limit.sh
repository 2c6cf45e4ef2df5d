#!/usr/bin/env bash
# The edge's rate limits, end to end: the real nginx (docker/nginx, started by start_edge) in
# front of the real flash-sale-api jar, both on free ports. Shows that normal traffic passes
# untouched, that a burst past a limit gets 429 + Retry-After + problem+json at once, and that
# another client address (127.0.0.2) is unaffected meanwhile. Kills only what it started.
set -euo pipefail
source "$(dirname "$0")/../lib/env.sh"
source "$ROOT/scripts/lib/nginx.sh"

JAR="$ROOT/flash-sale-api/target/quarkus-app/quarkus-run.jar"
[ -f "$JAR" ] || die "flash-sale-api is not packaged: run ./mvnw install first ($JAR is missing)"
command -v curl >/dev/null || apt_install curl
ensure_servers
ensure_nginx

WORK="$(mktemp -d)"
API_PID=""
cleanup() {
  stop_edge "$WORK/edge"
  if [ -n "$API_PID" ] && kill -0 "$API_PID" 2>/dev/null; then
    kill "$API_PID" 2>/dev/null || true
    wait "$API_PID" 2>/dev/null || true
  fi
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
EDGE_PORT="$(free_port)"
GATEWAY_PORT="$(free_port)"   # nothing listens there: /ws/ is not exercised here

# The relay is off so that this throwaway instance never moves anyone's outbox entries.
(cd "$WORK" && exec env MIAOSHA_RELAY_ENABLED=false MIAOSHA_DEMO_ENABLED=false \
  java -Xmx256m -Dquarkus.http.port="$API_PORT" -jar "$JAR" >"$WORK/api.log" 2>&1) &
API_PID=$!
for _ in $(seq 1 120); do
  curl -sf "http://127.0.0.1:$API_PORT/q/health/ready" >/dev/null 2>&1 && break
  kill -0 "$API_PID" 2>/dev/null || fail "flash-sale-api exited at start"
  sleep 0.5
done
curl -sf "http://127.0.0.1:$API_PORT/q/health/ready" >/dev/null || fail "flash-sale-api not ready after 60 s"

start_edge "$WORK/edge" "$EDGE_PORT" "$API_PORT" "$GATEWAY_PORT"
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
LOGIN=(-X POST -H 'Content-Type: application/json' --data '{"email":"nobody@example.com","password":"not-the-password"}')

# 1. Normal traffic passes untouched: same status, type and body as straight from the API.
request direct "http://127.0.0.1:$API_PORT/api/sales/987654321"
request edged "$EDGE/api/sales/987654321"
[ "$(status direct)" = "$(status edged)" ] || fail "GET /api/sales/987654321: $(status direct) direct but $(status edged) through nginx"
cmp -s "$WORK/direct.body" "$WORK/edged.body" || fail "nginx changed the body of GET /api/sales/987654321"
[ "$(header direct content-type)" = "$(header edged content-type)" ] || fail "nginx changed the content type"
request listing "$EDGE/api/sales"
[ "$(status listing)" = 200 ] || fail "GET /api/sales through nginx answered $(status listing)"
request internal "$EDGE/q/health"
[ "$(status internal)" = 404 ] || fail "/q/health is reachable through nginx ($(status internal))"

# 2. Log-in: 10/min with a burst of 5 per address. Twelve attempts at once: the first six reach
#    the API (401, wrong password), the rest are refused by nginx at once.
start=$SECONDS
passed=0 refused=0
for i in $(seq 1 12); do
  request "login$i" "${LOGIN[@]}" "$EDGE/api/auth/login"
  case "$(status "login$i")" in
    401) passed=$((passed + 1)) ;;
    429) refused=$((refused + 1)); last_refused="login$i" ;;
    *) fail "login attempt $i answered $(status "login$i")" ;;
  esac
done
[ "$passed" -ge 1 ] && [ "$passed" -le 7 ] || fail "$passed of 12 log-in attempts reached the API (expected 6)"
[ "$refused" -ge 5 ] || fail "only $refused of 12 log-in attempts were limited"
[ $((SECONDS - start)) -le 5 ] || fail "the log-in burst took $((SECONDS - start)) s: refused requests must not wait"
case "$(header "$last_refused" retry-after)" in ''|*[!0-9]*) fail "a 429 without a numeric Retry-After" ;; esac
[ "$(header "$last_refused" content-type)" = application/problem+json ] || fail "a 429 that is not application/problem+json"
grep -q '"type":"https://miaosha.dev/problems/rate-limited"' "$WORK/$last_refused.body" || fail "a 429 body without the rate-limited problem type"
grep -q '"status":429' "$WORK/$last_refused.body" || fail "a 429 body without its status"

# 3. Meanwhile another address is untouched: its log-in reaches the API and the catalog answers.
request other_login --interface 127.0.0.2 "${LOGIN[@]}" "$EDGE/api/auth/login"
[ "$(status other_login)" = 401 ] || fail "127.0.0.2's log-in answered $(status other_login) while 127.0.0.1 was limited"
request other_listing --interface 127.0.0.2 "$EDGE/api/sales"
[ "$(status other_listing)" = 200 ] || fail "127.0.0.2's catalog answered $(status other_listing)"
request still_limited "${LOGIN[@]}" "$EDGE/api/auth/login"
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
