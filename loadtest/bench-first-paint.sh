#!/usr/bin/env bash
# First-paint benchmark of the web app (not a test): builds web/dist, serves it with the edge's own
# nginx configuration on BENCH_PORT, and has web/e2e/bench-first-paint.mjs open the storefront
# cold in headless Chromium on a desktop and on a throttled phone (see that script for what it
# measures). No API runs behind this edge: the first paint is the app's own files, and the API's
# calls (answered 502 here) come after it. Starts and stops only its own nginx.
set -euo pipefail
source "$(dirname "$0")/../scripts/lib/env.sh"
source "$ROOT/scripts/lib/nginx.sh"
source "$ROOT/scripts/lib/web.sh"
PORT="${BENCH_PORT:-18470}"
# Upstream ports where nothing listens: /api and /ws answer 502 at once.
NO_API=$((PORT + 1)) NO_GATEWAY=$((PORT + 2))
for port in $PORT $NO_API $NO_GATEWAY; do
  port_open "$port" && die "port $port is in use; set BENCH_PORT to a free range of three ports"
done
[ -x /usr/bin/chromium ] || apt_install chromium
[ "${SKIP_BUILD:-}" = 1 ] || build_web
RUN_DIR="$(mktemp -d)"
cleanup() { stop_edge "$RUN_DIR"; rm -rf "$RUN_DIR"; }
trap cleanup EXIT
start_edge "$RUN_DIR" "$PORT" "$NO_API" "$NO_GATEWAY" "$ROOT/web/dist"
log "web: first paint against the edge on port $PORT"
(cd "$ROOT/web" && BENCH_URL="http://127.0.0.1:$PORT" E2E_ARTIFACTS="$RUN_DIR/artifacts" node e2e/bench-first-paint.mjs)
