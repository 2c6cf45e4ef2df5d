#!/usr/bin/env bash
# Static checks of what no engine runs here: every GitHub workflow against the workflow schema
# (action-validator), every Dockerfile (dockerfile-utils lint + the project's rules), and the
# compose file (docker-compose config, then check-compose.mjs against the services' config).
set -euo pipefail
source "$(dirname "$0")/../lib/env.sh"
LINT="$ROOT/docker/lint"

if [ ! -d "$LINT/node_modules/@action-validator/core" ] || [ ! -d "$LINT/node_modules/dockerfile-ast" ]; then
  log "installing the linters (npm ci in docker/lint)"
  (cd "$LINT" && npm ci --no-audit --no-fund --loglevel=error >/dev/null)
fi
command -v docker-compose >/dev/null || apt_install docker-compose

failed=0
report() { printf '%s\n' "$2" >&2; log "lint failed: $1"; failed=1; }

shopt -s nullglob
workflows=("$ROOT"/.github/workflows/*.yml "$ROOT"/.github/workflows/*.yaml)
[ "${#workflows[@]}" -gt 0 ] || die "no workflows under .github/workflows"
for workflow in "${workflows[@]}"; do
  # It warns that path globs are not validated; only its exit status and errors matter.
  out="$("$LINT/node_modules/.bin/action-validator" "$workflow" 2>&1)" \
    || report "${workflow#"$ROOT"/}" "$out"
done

dockerfiles=()
for dockerfile in "$ROOT"/docker/Dockerfile.*; do
  [[ "$dockerfile" == *.dockerignore ]] || dockerfiles+=("$dockerfile")
done
[ "${#dockerfiles[@]}" -gt 0 ] || die "no Dockerfiles under docker/"
for dockerfile in "${dockerfiles[@]}"; do
  out="$("$LINT/node_modules/.bin/dockerfile-utils" lint "$dockerfile" 2>&1)" \
    || report "${dockerfile#"$ROOT"/}" "$out"
  if grep -q '^Error' <<<"$out"; then report "${dockerfile#"$ROOT"/}" "$out"; fi
done
out="$(node "$LINT/check-dockerfiles.mjs" "${dockerfiles[@]}" 2>&1)" || report "Dockerfile rules" "$out"

out="$(docker-compose -f "$ROOT/docker/compose.yaml" config -q 2>&1)" || report "docker/compose.yaml schema" "$out"
out="$(node "$LINT/check-compose.mjs" 2>&1)" || report "docker/compose.yaml contract" "$out"

[ "$failed" = 0 ] || die "static checks failed (details above)"
