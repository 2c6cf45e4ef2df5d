# The local edge: nginx in front of the services, routing and rate limiting like production.
# Source it after env.sh (it uses apt_install, log, die and port_open from there).
#   ensure_nginx                                      install nginx when missing (never starts the system service)
#   start_edge RUN_DIR PORT API_PORT GATEWAY_PORT [WEB_ROOT]
#                                                     render the config into RUN_DIR, start nginx, return;
#                                                     WEB_ROOT is the built web app (default web/dist);
#                                                     EDGE_EXTRA_LOCATIONS, when set, names a file of
#                                                     location blocks put in the server (the edge check's)
#   stop_edge RUN_DIR                                 stop the nginx that start_edge started there

NGINX_TEMPLATES="$ROOT/docker/nginx"

nginx_bin() { command -v nginx 2>/dev/null || { [ -x /usr/sbin/nginx ] && echo /usr/sbin/nginx; }; }

ensure_nginx() {
  [ -n "$(nginx_bin)" ] && return
  # Debian's postinst would start the system nginx on port 80; policy-rc.d tells it not to.
  local policy=/usr/sbin/policy-rc.d created=""
  if [ ! -e "$policy" ]; then
    printf '#!/bin/sh\nexit 101\n' > "$policy" && chmod +x "$policy" && created=1
  fi
  apt_install nginx-light || true
  if [ -n "$created" ]; then rm -f "$policy"; fi
  [ -n "$(nginx_bin)" ] || die "nginx is missing and could not be installed (apt-get install nginx-light)"
}

# render TEMPLATE NAME=VALUE...: replaces ${NAME} and nothing else, so nginx's own $variables stay.
render_template() {
  local template=$1 script="" pair name value
  shift
  for pair in "$@"; do
    name=${pair%%=*}
    value=${pair#*=}
    value=${value//\\/\\\\}; value=${value//|/\\|}; value=${value//&/\\&}
    script+="s|\\\${$name}|$value|g;"
  done
  sed -e "$script" "$template"
}

start_edge() {
  local run_dir=$1 port=$2 api_port=$3 gateway_port=$4 web_root=${5:-$ROOT/web/dist} nginx pid i
  ensure_nginx
  nginx="$(nginx_bin)"
  mkdir -p "$run_dir"
  run_dir="$(cd "$run_dir" && pwd)"
  render_template "$NGINX_TEMPLATES/miaosha.conf.template" \
    EDGE_PORT="$port" API_HOT_UPSTREAM="127.0.0.1:$api_port" API_UPSTREAM="127.0.0.1:$api_port" \
    GATEWAY_UPSTREAM="127.0.0.1:$gateway_port" \
    WEB_ROOT="$web_root" > "$run_dir/miaosha.conf"
  if [ -n "${EDGE_EXTRA_LOCATIONS:-}" ]; then
    sed -i -e "/# @edge-check-locations/r $EDGE_EXTRA_LOCATIONS" "$run_dir/miaosha.conf"
  fi
  render_template "$NGINX_TEMPLATES/nginx-local.conf.template" RUN_DIR="$run_dir" RUN_USER="$(id -un)" \
    > "$run_dir/nginx.conf"
  "$nginx" -t -q -p "$run_dir" -e "$run_dir/error.log" -c "$run_dir/nginx.conf" \
    || die "the rendered nginx configuration in $run_dir is invalid"
  "$nginx" -p "$run_dir" -e "$run_dir/error.log" -c "$run_dir/nginx.conf" -g 'daemon off;' \
    >>"$run_dir/nginx.out" 2>&1 &
  pid=$!
  echo "$pid" > "$run_dir/edge.pid"
  for i in $(seq 1 100); do
    port_open "$port" && return 0
    kill -0 "$pid" 2>/dev/null || { cat "$run_dir/error.log" >&2 2>/dev/null; die "nginx exited at start (logs in $run_dir)"; }
    sleep 0.1
  done
  die "nginx did not open port $port (logs in $run_dir)"
}

stop_edge() {
  local run_dir=$1 pid i
  [ -f "$run_dir/edge.pid" ] || return 0
  pid="$(cat "$run_dir/edge.pid")"
  if kill -0 "$pid" 2>/dev/null; then
    kill -QUIT "$pid" 2>/dev/null || true
    for i in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -0 "$pid" 2>/dev/null && kill -TERM "$pid" 2>/dev/null || true
  fi
  rm -f "$run_dir/edge.pid"
}
