# Starting the packaged services and giving them fresh stores: one way for the run command, the
# checks and the load tests. Source it after env.sh.
#   service_command MODULE [JAVA_OPTION...]     SERVICE_COMMAND=(java ... -jar MODULE's quarkus-run.jar)
#   start_service MODULE PORT LOG [VAR=VALUE...] [-- JAVA_OPTION...]
#                                               starts it in the background (PORT and the variables in its
#                                               environment, from SERVICE_DIR when set); its PID in SERVICE_PID
#   wait_ready NAME PORT LOG [SECONDS] [PID]    returns once /q/health/ready answers 200 on PORT; dies with
#                                               the log's tail after SECONDS (90), or as soon as PID exits
#   fresh_stores [db=NAME] [redis=N]... [vhost=NAME]...
#                                               drops and recreates the database (granted to the services'
#                                               user), empties the Redis DBs, recreates the vhosts; without
#                                               arguments the tests' own stores (the names test-support's
#                                               TestStores reads), never the run command's
#   test_support_classpath                      test-support's classes and dependency jars (java -cp)
#   check_invariants SALE STOCK LIMIT RECORD    the chaos suite's invariant checker (CHECK_JDBC_URL, CHECK_REDIS)
#   mint_tokens KEY.pem [USER_ID [EMAIL]]       session tokens signed with KEY (test-support's SessionTokens):
#                                               one, or one per "USER_ID [EMAIL]" line of standard input

service_jar() { echo "$ROOT/$1/target/quarkus-app/quarkus-run.jar"; }

service_command() { # MODULE [JAVA_OPTION...]
  local jar
  jar="$(service_jar "$1")"
  shift
  [ -f "$jar" ] || die "${jar#"$ROOT/"} is missing: build first (./mvnw install -DskipTests)"
  # shellcheck disable=SC2207 # the flags are words
  SERVICE_COMMAND=("$JAVA_HOME/bin/java" $(service_jvm_opts) "$@" -jar "$jar")
}

# For a service started without ElasticMQ (the benchmarks): its email jobs go to a closed local port and
# fail at once, as they are retried, instead of the production profile's defaults (AWS's endpoint with
# whatever credentials the machine holds). start_service MODULE PORT LOG "${NO_EMAIL_QUEUE[@]}" ...
# shellcheck disable=SC2034 # used by the scripts that source this file
NO_EMAIL_QUEUE=(MIAOSHA_SQS_ENDPOINT=http://127.0.0.1:9 MIAOSHA_SQS_CREDENTIALS=static)

start_service() { # MODULE PORT LOG [VAR=VALUE...] [-- JAVA_OPTION...]
  local module=$1 port=$2 log=$3 vars=()
  shift 3
  while [ $# -gt 0 ] && [ "$1" != -- ]; do vars+=("$1"); shift; done
  [ $# -gt 0 ] && shift
  service_command "$module" "$@"
  (cd "${SERVICE_DIR:-.}" && exec env PORT="$port" "${vars[@]}" "${SERVICE_COMMAND[@]}") >"$log" 2>&1 </dev/null &
  SERVICE_PID=$!
}

wait_ready() { # NAME PORT LOG [SECONDS] [PID]
  local name=$1 port=$2 log=$3 seconds=${4:-90} pid=${5:-} i
  for i in $(seq 1 $((seconds * 2))); do
    curl -fsS "http://127.0.0.1:$port/q/health/ready" >/dev/null 2>&1 && return 0
    if [ -n "$pid" ] && ! kill -0 "$pid" 2>/dev/null; then
      tail -n 40 "$log" >&2
      die "$name exited before it was ready on port $port (log: $log)"
    fi
    sleep 0.5
  done
  tail -n 40 "$log" >&2
  die "$name did not become ready on port $port within $seconds s (log: $log)"
}

# test-support's classes, for the JDK source-launched tools that mint tokens with them.
test_support_classes() {
  [ -d "$ROOT/test-support/target/classes/io" ] || die "test-support is not built: run ./mvnw install -DskipTests"
  echo "$ROOT/test-support/target/classes"
}

# test-support's classes and every jar it depends on (target/classpath.txt, written at package time):
# for its mains that need more than the JDK, e.g. the chaos suite's invariant checker (JDBC driver).
test_support_classpath() {
  local file="$ROOT/test-support/target/classpath.txt"
  [ -f "$file" ] && [ -d "$ROOT/test-support/target/classes/io" ] \
    || die "test-support is not packaged: run ./mvnw -q package -DskipTests -pl test-support -am"
  echo "$ROOT/test-support/target/classes:$(cat "$file")"
}

# check_invariants SALE STOCK LIMIT RECORD [--bound SECONDS] [--once]: the chaos suite's one checker
# (test-support's InvariantChecker) against the stores in CHECK_JDBC_URL (user CHECK_DB_USER /
# CHECK_DB_PASSWORD, default miaosha/miaosha) and CHECK_REDIS (host:port[/db] of any node); prints each
# violation and one summary line, fails on any violation.
check_invariants() {
  local sale=$1 stock=$2 limit=$3 record=$4
  shift 4
  "$JAVA_HOME/bin/java" -Djava.util.logging.manager=org.jboss.logmanager.LogManager -cp "$(test_support_classpath)" \
    io.miaosha.testsupport.chaos.InvariantChecker \
    --jdbc "${CHECK_JDBC_URL:?CHECK_JDBC_URL names the database}" --db-user "${CHECK_DB_USER:-miaosha}" \
    --db-password "${CHECK_DB_PASSWORD:-miaosha}" --redis "${CHECK_REDIS:?CHECK_REDIS names a Redis node}" \
    --sale "$sale" --stock "$stock" --limit "$limit" --record "$record" "$@"
}

mint_tokens() { # KEY.pem [USER_ID [EMAIL]]
  "$JAVA_HOME/bin/java" -cp "$(test_support_classes)" io.miaosha.testsupport.SessionTokens "$@"
}

fresh_stores() { # [db=NAME] [redis=N]... [vhost=NAME]...
  if [ $# -eq 0 ]; then
    set -- db="${MIAOSHA_TEST_DB:-miaosha_test}" redis="${MIAOSHA_TEST_REDIS_DB:-5}" redis="${MIAOSHA_IT_REDIS_DB:-6}" \
      vhost="${MIAOSHA_TEST_VHOST:-miaosha-test}" vhost="${MIAOSHA_TEST_API_VHOST:-miaosha-test-api}" vhost="${MIAOSHA_IT_VHOST:-miaosha-it}"
  fi
  local store
  for store in "$@"; do
    case "$store" in
      db=?*)
        mariadb -uroot -e "DROP DATABASE IF EXISTS \`${store#db=}\`;
          CREATE DATABASE \`${store#db=}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;
          GRANT ALL PRIVILEGES ON \`${store#db=}\`.* TO 'miaosha'@'localhost', 'miaosha'@'127.0.0.1';" \
          || die "could not empty the database ${store#db=}" ;;
      redis=?*) redis-cli -n "${store#redis=}" FLUSHDB >/dev/null || die "could not empty the Redis DB ${store#redis=}" ;;
      vhost=?*)
        rabbitmqctl -q delete_vhost "${store#vhost=}" >/dev/null 2>&1 || true
        rabbitmqctl -q add_vhost "${store#vhost=}" >/dev/null \
          && rabbitmqctl -q set_permissions -p "${store#vhost=}" guest '.*' '.*' '.*' >/dev/null \
          || die "could not prepare the RabbitMQ virtual host ${store#vhost=}" ;;
      *) die "fresh_stores: '$store' is not db=NAME, redis=N or vhost=NAME" ;;
    esac
  done
}
