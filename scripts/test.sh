#!/usr/bin/env bash
# The test command: installs/starts the local servers, then runs every test of every module
# and every check under scripts/checks/ (in name order). Exits non-zero on the first failure.
set -euo pipefail
source "$(dirname "$0")/lib/env.sh"

ensure_servers
log "running every module's tests"
mvnw install

for check in "$ROOT"/scripts/checks/*.sh; do
  [ -e "$check" ] || continue
  log "check: $(basename "$check")"
  bash "$check"
done
log "all tests passed"
