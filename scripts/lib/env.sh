# Shared environment for the run and test commands. Source it; do not execute it.
# Picks a JDK >= 21 (the machine default may be 17), primes the Maven wrapper, and
# offers ensure_* functions that install (apt-get) and start the local servers.

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
export ROOT
MAVEN_VERSION=3.9.11

log() { printf '\033[1;34m[miaosha]\033[0m %s\n' "$*" >&2; }
die() { printf '\033[1;31m[miaosha]\033[0m %s\n' "$*" >&2; exit 1; }

java_major() { "$1/bin/java" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p'; }

pick_java() {
  if [ -n "${JAVA_HOME:-}" ] && [ -x "$JAVA_HOME/bin/java" ] && [ "$(java_major "$JAVA_HOME")" -ge 21 ] 2>/dev/null; then
    return
  fi
  local candidate
  for candidate in /usr/lib/jvm/temurin-25-jdk-amd64 /usr/lib/jvm/temurin-2[5-9]* /usr/lib/jvm/temurin-21* /usr/lib/jvm/java-2[1-9]*; do
    if [ -x "$candidate/bin/java" ] && [ "$(java_major "$candidate")" -ge 21 ] 2>/dev/null; then
      export JAVA_HOME="$candidate"
      export PATH="$JAVA_HOME/bin:$PATH"
      return
    fi
  done
  die "No JDK 21+ found under /usr/lib/jvm; install Temurin 25 (apt-get install temurin-25-jdk) or set JAVA_HOME"
}

# JVM flags for the services: 8-byte object headers (a product flag from JDK 25) shrink every
# object, about 1 KB of heap per idle waiting-room socket.
service_jvm_opts() {
  if [ "$(java_major "$JAVA_HOME")" -ge 25 ] 2>/dev/null; then echo "-XX:+UseCompactObjectHeaders"; fi
}

apt_install() {
  [ "$(id -u)" = 0 ] || die "need root to apt-get install $*; install them by hand"
  if [ -z "${APT_UPDATED:-}" ]; then
    DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=300 update -qq >&2 || true
    APT_UPDATED=1
  fi
  log "installing $* with apt-get"
  DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=300 install -y -qq "$@" >&2 || die "apt-get install $* failed"
}

# The Maven wrapper reads its distribution from the local repository (see .mvn/wrapper).
prime_maven_wrapper() {
  local zip="$HOME/.m2/repository/org/apache/maven/apache-maven/$MAVEN_VERSION/apache-maven-$MAVEN_VERSION-bin.zip"
  if [ ! -f "$zip" ]; then
    command -v mvn >/dev/null || apt_install maven
    log "fetching Maven $MAVEN_VERSION for the wrapper"
    (cd /tmp && mvn -q -B dependency:get -Dartifact="org.apache.maven:apache-maven:$MAVEN_VERSION:zip:bin" >&2) \
      || die "could not fetch Maven $MAVEN_VERSION"
  fi
  export MVNW_REPOURL="file://$HOME/.m2/repository"
}

mvnw() { (cd "$ROOT" && ./mvnw -B -ntp "$@"); }

port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

wait_port() {
  local port=$1 what=$2 i
  for i in $(seq 1 120); do port_open "$port" && return 0; sleep 0.5; done
  die "$what did not open port $port"
}

ensure_redis() {
  port_open 6379 && return
  command -v redis-server >/dev/null || apt_install redis-server
  log "starting Redis on 6379"
  mkdir -p /var/lib/redis /var/log/redis
  redis-server --daemonize yes --bind 127.0.0.1 -::1 --port 6379 --save "" --appendonly no \
    --dir /var/lib/redis --logfile /var/log/redis/ci.log
  wait_port 6379 Redis
}

ensure_mariadb() {
  if ! port_open 3306; then
    command -v mariadbd >/dev/null || [ -x /usr/sbin/mariadbd ] || apt_install mariadb-server
    log "starting MariaDB on 3306"
    mkdir -p /run/mysqld && chown mysql:mysql /run/mysqld 2>/dev/null || true
    start-stop-daemon --start --oknodo --background --exec /usr/sbin/mariadbd
    wait_port 3306 MariaDB
  fi
  local i
  for i in $(seq 1 60); do mariadb -uroot -e 'select 1' >/dev/null 2>&1 && break; sleep 0.5; done
  # The services log in as a dedicated user over TCP; root with an empty password is a local convenience only.
  mariadb -uroot <<'SQL' || die "could not prepare the miaosha database"
CREATE DATABASE IF NOT EXISTS miaosha CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;
CREATE DATABASE IF NOT EXISTS miaosha_test CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;
CREATE USER IF NOT EXISTS 'miaosha'@'localhost' IDENTIFIED BY 'miaosha';
CREATE USER IF NOT EXISTS 'miaosha'@'127.0.0.1' IDENTIFIED BY 'miaosha';
GRANT ALL PRIVILEGES ON miaosha.* TO 'miaosha'@'localhost', 'miaosha'@'127.0.0.1';
GRANT ALL PRIVILEGES ON miaosha_test.* TO 'miaosha'@'localhost', 'miaosha'@'127.0.0.1';
SQL
}

ensure_rabbitmq() {
  if ! port_open 5672; then
    command -v rabbitmq-server >/dev/null || apt_install rabbitmq-server
    log "starting RabbitMQ on 5672"
    rabbitmq-server -detached
    wait_port 5672 RabbitMQ
  fi
  # Tests publish and consume in their own virtual hosts, so a running local stack never sees their
  # orders; flash-sale-api's tests get one of their own so the hold timers they leave behind never
  # reach the order-worker's tests.
  local vhost
  for vhost in miaosha-test miaosha-test-api miaosha-it; do
    rabbitmqctl -q list_vhosts 2>/dev/null | grep -qx "$vhost" && continue
    rabbitmqctl -q await_startup >/dev/null 2>&1 || true
    rabbitmqctl -q add_vhost "$vhost" >/dev/null 2>&1 || true
    rabbitmqctl -q set_permissions -p "$vhost" guest '.*' '.*' '.*' >/dev/null \
      || die "could not prepare the RabbitMQ virtual host $vhost"
  done
}

ensure_servers() {
  ensure_redis
  ensure_mariadb
  ensure_rabbitmq
}

pick_java
prime_maven_wrapper
source "$ROOT/scripts/lib/secrets.sh"
