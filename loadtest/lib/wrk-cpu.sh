# Runs wrk and says what each request cost in CPU, by process: the server, its Redis and wrk itself.
# On a 2-core box that runs all three, the rate is bound by their sum, so a rate alone cannot say
# whether the server, Redis or the load generator is what got more expensive. Source it.

cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }   # user + system, in clock ticks

redis_pid() { redis-cli -p "$1" info server | sed -n 's/^process_id:\([0-9]*\).*/\1/p'; }

# wrk_with_cpu OUT SERVER_PID REDIS_PID WRK_ARG...: wrk's output in OUT, then a line
#   cpu_us_per_request server=… redis=… wrk=… total=… (requests=…)
wrk_with_cpu() {
  local out=$1 server=$2 redis=$3 tick server0 redis0 server1 redis1 wrk_ticks requests
  shift 3
  tick=$(getconf CLK_TCK)
  server0=$(cpu_ticks "$server"); redis0=$(cpu_ticks "$redis")
  # The subshell waits for wrk, so its children's times are wrk's.
  wrk_ticks=$( (wrk "$@" >"$out"; awk '{print $16 + $17}' "/proc/$BASHPID/stat") )
  server1=$(cpu_ticks "$server"); redis1=$(cpu_ticks "$redis")
  requests=$(sed -n 's/^ *\([0-9]*\) requests in .*/\1/p' "$out")
  awk -v s=$((server1 - server0)) -v r=$((redis1 - redis0)) -v w="$wrk_ticks" -v n="${requests:-0}" -v t="$tick" 'BEGIN {
    if (n == 0) n = 1; f = 1e6 / t / n
    printf "cpu_us_per_request server=%.1f redis=%.1f wrk=%.1f total=%.1f (requests=%d)\n", s * f, r * f, w * f, (s + r + w) * f, n }' >>"$out"
}
