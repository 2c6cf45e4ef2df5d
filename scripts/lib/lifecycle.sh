# The order lifecycle's local stand-ins for AWS, shared by the run command and the end-to-end check.
# Source after env.sh. Each start_* appends the PID it started to the array named LIFECYCLE_PIDS.
#   ElasticMQ (SQS)           ELASTICMQ_PORT   (9324)
#   GreenMail (SMTP + API)    SMTP_PORT (3025), MAIL_API_PORT (8090)
#   local event sources       the email function fed from SQS, the scheduled start by the schedules' tasks

LIFECYCLE_PIDS=()
# The key of flash-sale-api's /api/internal/arming endpoints: the run and the check give the same one
# (MIAOSHA_ARMING_KEY, exported by local_secrets) to the API and to the scheduled-start function, as
# AWS does from one secret.
SERVERS_DIR="$ROOT/local-servers"
FUNCTIONS_JAR="$ROOT/functions/target/functions-1.0.0-SNAPSHOT-runner.jar"

require_lifecycle_artifacts() {
  [ -d "$SERVERS_DIR/target/elasticmq" ] && [ -f "$SERVERS_DIR/target/greenmail/greenmail-standalone.jar" ] \
    || die "ElasticMQ/GreenMail are not fetched: run ./mvnw install -pl local-servers"
  [ -f "$FUNCTIONS_JAR" ] || die "functions is not packaged: run ./mvnw install ($FUNCTIONS_JAR is missing)"
}

start_elasticmq() { # port logfile
  log "starting ElasticMQ (SQS) on port $1"
  ELASTICMQ_PORT="$1" "$JAVA_HOME/bin/java" -Xmx256m -Dconfig.file="$SERVERS_DIR/elasticmq.conf" \
    -cp "$SERVERS_DIR/target/elasticmq/*" org.elasticmq.server.Main >"$2" 2>&1 &
  LIFECYCLE_PIDS+=("$!")
}

start_greenmail() { # smtp-port api-port logfile
  log "starting GreenMail (SMTP) on port $1, mail API on $2"
  "$JAVA_HOME/bin/java" -Xmx128m -Dgreenmail.smtp.hostname=127.0.0.1 -Dgreenmail.smtp.port="$1" \
    -Dgreenmail.api.hostname=127.0.0.1 -Dgreenmail.api.port="$2" -Dgreenmail.auth.disabled \
    -jar "$SERVERS_DIR/target/greenmail/greenmail-standalone.jar" >"$3" 2>&1 &
  LIFECYCLE_PIDS+=("$!")
}

start_email_source() { # queue-url smtp-port logfile
  log "starting the email function behind the local SQS event source"
  QUEUE_URL="$1" MIAOSHA_SMTP_PORT="$2" \
    "$JAVA_HOME/bin/java" -Xmx256m -cp "$FUNCTIONS_JAR" io.miaosha.functions.local.LocalEventSource sqs >"$3" 2>&1 &
  LIFECYCLE_PIDS+=("$!")
}

# The deployed schedules' tasks and inputs: arm-upcoming every minute, scale-in every quarter hour
# (the end-to-end check runs them every few seconds).
start_scheduler() { # api-url logfile [arm-every-seconds] [scale-in-every-seconds]
  log "starting the scheduled-start function behind the local scheduler"
  [ -n "${MIAOSHA_ARMING_KEY:-}" ] || die "no MIAOSHA_ARMING_KEY: call local_secrets first"
  MIAOSHA_API_URL="$1" ARM_EVERY_SECONDS="${3:-60}" SCALE_IN_EVERY_SECONDS="${4:-900}" \
    "$JAVA_HOME/bin/java" -Xmx256m -cp "$FUNCTIONS_JAR" io.miaosha.functions.local.LocalEventSource schedule >"$2" 2>&1 &
  LIFECYCLE_PIDS+=("$!")
}
