#!/usr/bin/env bash
# Seat map rendering benchmark (not a test): starts the stack as check 55 does (nginx, flash-sale-api,
# order-worker, queue-gateway on E2E_PORT_BASE.., fresh test stores of its own) and runs
# web/e2e/bench-seatmap.mjs against it instead of the browser scenarios: a 10,000-seat sale on a
# throttled phone, time to first draw and the cost of each live frame (see that script). Figures:
# BENCHMARKS.md "Seat map rendering". BENCH_CPU_THROTTLE (4), BENCH_LOADS (5), BENCH_PICKERS (40).
set -euo pipefail
exec env E2E_SCRIPT=e2e/bench-seatmap.mjs "$(dirname "$0")/../scripts/checks/55-web.sh"
