# The web app (web/): built with the machine's Node.js and npm, served by the nginx edge.
# Source it after env.sh.
#   ensure_node    check that Node.js >= 20.19 and npm are there (apt-get when missing)
#   build_web      npm ci (only when package-lock.json changed) and npm run build -> web/dist

ensure_node() {
  command -v npm >/dev/null 2>&1 || apt_install nodejs npm
  node -e 'const [a,b]=process.versions.node.split(".").map(Number); process.exit(a>20||(a===20&&b>=19)?0:1)' \
    || die "web/ needs Node.js 20.19 or newer (found $(node -v)); Vite 7 does not run on older ones"
}

build_web() {
  ensure_node
  local web="$ROOT/web"
  # node_modules/.package-lock.json is npm's record of the last install: newer than the lock file
  # means the tree is current and a rebuild can skip the install.
  if [ ! -f "$web/node_modules/.package-lock.json" ] || [ "$web/package-lock.json" -nt "$web/node_modules/.package-lock.json" ]; then
    log "installing the web app's packages (npm ci)"
    (cd "$web" && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund --loglevel=error >&2) \
      || die "npm ci in web/ failed"
  fi
  log "building the web app (web/dist)"
  (cd "$web" && npm run --silent build >"$web/node_modules/.build.log" 2>&1) \
    || { tail -30 "$web/node_modules/.build.log" >&2; die "the web build failed"; }
}
