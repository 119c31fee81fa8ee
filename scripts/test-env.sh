#!/usr/bin/env bash
# Starts, stops and describes the real servers Sluice's integration tests run against. Every server
# listens on 127.0.0.1 only and keeps all its state under one run directory.
#
#   scripts/test-env.sh up [SERVER...]      start the servers that are not up yet (default: all, and
#                                           install chromium + chromedriver for the browser test)
#   scripts/test-env.sh down [SERVER...]    stop what this script started and delete its data
#   scripts/test-env.sh env                 print the endpoints file (KEY=VALUE lines)
#   scripts/test-env.sh status [SERVER...]  one line per server; exits 1 if any of them is down
#
# SERVER is one of: mariadb (10.11, port 3307), mysql (Oracle MySQL 8.0.31, 3310), postgres (15,
# 5433), kafka (KRaft 4.1.1, 19092 and controller 19093), mongo (in-memory fake, 27018).
#
# Environment:
#   SLUICE_RUN_DIR        run directory (default: <repo>/.run/test-env)
#   SLUICE_CACHE_DIR      where fetched server jars and binaries are kept between runs
#                         (default: ~/.cache/sluice/test-env)
#   SLUICE_START_TIMEOUT  seconds to wait for one server to become ready (default: 90)
#
# Missing Debian packages are installed with apt-get; jars and the MySQL binaries come from Maven
# through ./mvnw and scripts/test-env/pom.xml. Processes are tracked by pid files only.
set -euo pipefail

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
RUN_DIR="${SLUICE_RUN_DIR:-$REPO/.run/test-env}"
CACHE_DIR="${SLUICE_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/sluice/test-env}"
START_TIMEOUT="${SLUICE_START_TIMEOUT:-90}"

HOST=127.0.0.1
ALL_SERVERS=(mariadb mysql postgres kafka mongo)

MARIADB_PORT=3307
MYSQL_PORT=3310
POSTGRES_PORT=5433
KAFKA_PORT=19092
KAFKA_CONTROLLER_PORT=19093
MONGO_PORT=27018

DATABASE=sluice_test
APP_USER=sluice
APP_PASSWORD=sluice
MYSQL_ADMIN_USER=root
PG_ADMIN_USER=postgres
ADMIN_PASSWORD=sluice-admin

# Keep in step with scripts/test-env/pom.xml.
KAFKA_VERSION=4.1.1
MONGO_SERVER_VERSION=1.47.0
MYSQL_ARTIFACT_VERSION=1.0.2
MYSQL_VERSION=8.0.31

PG_BIN=/usr/lib/postgresql/15/bin
JAVA="${JAVA_HOME:+$JAVA_HOME/bin/}java"
JAVAC="${JAVA_HOME:+$JAVA_HOME/bin/}javac"

KAFKA_HOME="$CACHE_DIR/kafka-$KAFKA_VERSION"
MONGO_HOME="$CACHE_DIR/mongo-java-server-$MONGO_SERVER_VERSION"
MYSQL_HOME="$CACHE_DIR/mysql-$MYSQL_VERSION"
MONGO_FAKE_SRC="$REPO/scripts/test-env/MongoFake.java"

say() { printf 'test-env: %s\n' "$*"; }
warn() { printf 'test-env: %s\n' "$*" >&2; }
die() { warn "$*"; exit 1; }
now_ms() { date +%s%3N; }
elapsed() { local ms=$(($(now_ms) - $1)); printf '%d.%01d s' $((ms / 1000)) $((ms % 1000 / 100)); }

usage() {
  sed -n '2,19p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'
  exit "${1:-0}"
}

# --- processes -----------------------------------------------------------------------------------

# True while the process exists and is not a zombie.
proc_alive() {
  local state
  [[ -r /proc/$1/stat ]] || return 1
  state="$(sed 's/^.*) //' "/proc/$1/stat" 2>/dev/null | cut -d' ' -f1)" || return 1
  [[ -n $state && $state != Z ]]
}

# Prints the pid recorded in $1 if that process is alive and its command line contains $2, which
# is a path inside this run directory: a reused pid never makes us signal someone else's process.
live_pid() {
  local file=$1 marker=$2 pid
  [[ -r $file ]] || return 1
  pid="$(head -n 1 "$file" 2>/dev/null | tr -cd '0-9')"
  [[ -n $pid ]] || return 1
  proc_alive "$pid" || return 1
  tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -qF -- "$marker" || return 1
  printf '%s\n' "$pid"
}

# launch PIDFILE LOG COMMAND...: runs COMMAND detached (own session, no stdin, output to LOG). The
# process writes its own pid before it execs the server, so the pid file names the server itself.
launch() {
  local pidfile=$1 log=$2
  shift 2
  rm -f "$pidfile"
  # fd 9 is the run directory lock: a server must not hold it after this script ends.
  # shellcheck disable=SC2016 # $$ and $@ belong to the inner shell.
  setsid bash -c 'echo $$ >"$0"; exec "$@"' "$pidfile" "$@" </dev/null >"$log" 2>&1 9>&- &
  LAUNCHED=$!
}

# Sends signal $3 (default TERM) to pid $2 and waits for it to go; KILL after 30 s.
stop_pid() {
  local name=$1 pid=$2 sig=${3:-TERM} i
  kill "-$sig" "$pid" 2>/dev/null || return 0
  for ((i = 0; i < 300; i++)); do
    proc_alive "$pid" || return 0
    sleep 0.1
  done
  warn "$name: pid $pid still running 30 s after SIG$sig, sending SIGKILL"
  kill -KILL "$pid" 2>/dev/null || return 0
  for ((i = 0; i < 100; i++)); do
    proc_alive "$pid" || return 0
    sleep 0.1
  done
  warn "$name: pid $pid did not exit"
  return 1
}

port_open() { (exec 3<>"/dev/tcp/$HOST/$1") 2>/dev/null; }

# True once a MySQL-protocol server on port $1 sends its greeting, i.e. accepts sessions.
mysql_greets() {
  local n
  # shellcheck disable=SC2016 # $0 and $1 belong to the inner shell.
  n="$(timeout 2 bash -c 'exec 3<>"/dev/tcp/$0/$1" && head -c 4 <&3' "$HOST" "$1" 2>/dev/null | wc -c)" || true
  [[ $n -eq 4 ]]
}

# wait_ready NAME PIDFILE MARKER CHECK...: waits until CHECK succeeds while the server is alive.
wait_ready() {
  local name=$1 pidfile=$2 marker=$3 pid=""
  shift 3
  local deadline=$(($(date +%s) + START_TIMEOUT))
  while :; do
    if [[ -z $pid ]]; then
      pid="$(live_pid "$pidfile" "$marker")" || pid=""
      if [[ -z $pid ]] && ! proc_alive "$LAUNCHED"; then
        pid="$(live_pid "$pidfile" "$marker")" || { warn "$name: exited during start-up"; return 1; }
      fi
    elif ! proc_alive "$pid"; then
      warn "$name: exited during start-up"
      return 1
    fi
    if [[ -n $pid ]] && "$@"; then
      return 0
    fi
    if (($(date +%s) >= deadline)); then
      warn "$name: not ready after ${START_TIMEOUT} s"
      return 1
    fi
    sleep 0.1
  done
}

# start_failed NAME LOG...: prints the tail of each log, stops whatever was started, fails.
start_failed() {
  local name=$1 log pid
  shift
  for log in "$@"; do
    [[ -s $log ]] || continue
    warn "---- last lines of $log"
    tail -n 40 "$log" >&2
  done
  if pid="$(server_pid "$name")"; then
    stop_pid "$name" "$pid" KILL || true
  fi
  exit 1
}

ensure_port_free() {
  local name=$1 port
  shift
  for port in "$@"; do
    if port_open "$port"; then
      warn "$name: port $HOST:$port is already taken by a process this script did not start"
      exit 1
    fi
  done
}

# Where each server's pid file lives, and the path its command line must contain.
server_pidfile() {
  case $1 in
    postgres) printf '%s\n' "$(pg_data)/postmaster.pid" ;;
    *) printf '%s\n' "$RUN_DIR/$1/server.pid" ;;
  esac
}
server_marker() {
  case $1 in
    mariadb | mysql) printf '%s\n' "$RUN_DIR/$1/my.cnf" ;;
    postgres) pg_data ;;
    kafka) printf '%s\n' "$RUN_DIR/kafka/server.properties" ;;
    mongo) printf '%s\n' "-Dsluice.test-env=$RUN_DIR/mongo" ;;
  esac
}
server_pid() { live_pid "$(server_pidfile "$1")" "$(server_marker "$1")"; }

# A Unix socket path must stay short; deep run directories get one under /tmp instead.
socket_path() {
  local p="$RUN_DIR/$1/$1.sock"
  if ((${#p} > 100)); then
    p="/tmp/sluice-$(printf '%s' "$RUN_DIR" | md5sum | cut -c1-12)-$1.sock"
  fi
  printf '%s\n' "$p"
}

# --- installing ----------------------------------------------------------------------------------

deb_installed() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q 'install ok installed'; }

# Prints the Debian packages that the given servers need and that are missing.
missing_packages() {
  local s
  for s; do
    case $s in
      mariadb)
        if [[ ! -x /usr/sbin/mariadbd || ! -x /usr/bin/mariadb-install-db || ! -x /usr/bin/mariadb ]]; then
          echo mariadb-server mariadb-client
        fi
        ;;
      mysql)
        deb_installed libaio1 || echo libaio1
        deb_installed libnuma1 || echo libnuma1
        ;;
      postgres)
        [[ -x $PG_BIN/initdb && -x $PG_BIN/psql ]] || echo postgresql
        ;;
      browser) # not a server: what the status page's browser test drives
        [[ -x /usr/bin/chromium && -x /usr/bin/chromedriver ]] || echo chromium chromium-driver fonts-liberation
        ;;
    esac
  done
}

install_packages() {
  local pkgs=("$@") sudo=""
  if ((EUID != 0)); then
    command -v sudo >/dev/null || die "needs Debian packages ${pkgs[*]}: install them as root"
    sudo="sudo"
  fi
  command -v apt-get >/dev/null || die "needs Debian packages ${pkgs[*]}, and there is no apt-get here"
  $sudo apt-get update -qq &&
    $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${pkgs[@]}"
}

# Prints the modules of scripts/test-env/pom.xml that the given servers need and whose output is
# not in the cache yet.
missing_artifacts() {
  local s
  for s; do
    case $s in
      kafka) [[ -f $KAFKA_HOME/lib/.complete ]] || echo kafka ;;
      mongo) [[ -f $MONGO_HOME/lib/.complete ]] || echo mongo ;;
      mysql) [[ -f $MYSQL_HOME/.complete ]] || echo mysql ;;
    esac
  done
}

fetch_artifacts() {
  local modules=("$@") m
  for m in "${modules[@]}"; do
    case $m in
      kafka) rm -rf "$KAFKA_HOME" ;;
      mongo) rm -rf "$MONGO_HOME" ;;
      mysql) rm -rf "$MYSQL_HOME" "$CACHE_DIR/mysql-tarball-$MYSQL_ARTIFACT_VERSION" ;;
    esac
  done
  mkdir -p "$CACHE_DIR"
  (IFS=,; "$REPO/mvnw" -q -B -f "$REPO/scripts/test-env/pom.xml" -pl "${modules[*]}" validate \
    "-Dsluice.testenv.cache=$CACHE_DIR") || return 1
  for m in "${modules[@]}"; do
    case $m in
      kafka) touch "$KAFKA_HOME/lib/.complete" ;;
      mongo) touch "$MONGO_HOME/lib/.complete" ;;
      mysql) unpack_mysql || return 1 ;;
    esac
  done
}

unpack_mysql() {
  local tarball="$CACHE_DIR/mysql-tarball-$MYSQL_ARTIFACT_VERSION/mysql-Linux-amd64.tar.gz"
  local tmp="$MYSQL_HOME.partial" link
  rm -rf "$tmp"
  mkdir -p "$tmp"
  tar -xzf "$tarball" -C "$tmp" || return 1
  # The tarball's bin/ links to the shared libraries point at its build machine; make them relative.
  for link in "$tmp"/bin/*.so.*; do
    [[ -L $link ]] || continue
    ln -sfn "../lib/private/$(basename "$link")" "$link"
  done
  touch "$tmp/.complete"
  rm -rf "$MYSQL_HOME"
  mv "$tmp" "$MYSQL_HOME"
  rm -rf "$(dirname "$tarball")"
}

# Installs packages (apt) and fetches jars (Maven) for the given servers, the two side by side.
prepare() {
  local pkgs arts apt_pid="" rc=0
  read -r -a pkgs <<<"$(missing_packages "$@" | tr '\n' ' ')"
  read -r -a arts <<<"$(missing_artifacts "$@" | tr '\n' ' ')"
  if ((${#pkgs[@]})); then
    say "installing Debian packages: ${pkgs[*]} (log: $RUN_DIR/apt.log)"
    install_packages "${pkgs[@]}" >"$RUN_DIR/apt.log" 2>&1 &
    apt_pid=$!
  fi
  if ((${#arts[@]})); then
    say "fetching server jars through Maven: ${arts[*]} (log: $RUN_DIR/maven.log)"
    if ! fetch_artifacts "${arts[@]}" >"$RUN_DIR/maven.log" 2>&1; then
      warn "fetching ${arts[*]} failed; last lines of $RUN_DIR/maven.log:"
      tail -n 40 "$RUN_DIR/maven.log" >&2
      rc=1
    fi
  fi
  if [[ -n $apt_pid ]] && ! wait "$apt_pid"; then
    warn "installing ${pkgs[*]} failed; last lines of $RUN_DIR/apt.log:"
    tail -n 40 "$RUN_DIR/apt.log" >&2
    rc=1
  fi
  return "$rc"
}

# --- MariaDB -------------------------------------------------------------------------------------

start_mariadb() {
  local d="$RUN_DIR/mariadb" sock
  sock="$(socket_path mariadb)"
  ensure_port_free mariadb "$MARIADB_PORT"
  rm -rf "$d" "$sock"
  mkdir -p "$d/data" "$d/tmp"
  {
    echo "[client-server]"
    echo "socket=$sock"
    echo "port=$MARIADB_PORT"
    echo
    echo "[mariadbd]"
    ((EUID != 0)) || echo "user=root"
    cat <<EOF
datadir=$d/data
tmpdir=$d/tmp
pid-file=$d/mariadbd.pid
log-error=$d/mariadbd.err
bind-address=$HOST
skip-name-resolve
server-id=1
log-bin=$d/data/binlog
binlog_format=ROW
binlog_row_image=FULL
binlog_row_metadata=FULL
gtid_strict_mode=ON
innodb_flush_log_at_trx_commit=2
sync_binlog=0
performance_schema=OFF
EOF
  } >"$d/my.cnf"

  mariadb-install-db --defaults-file="$d/my.cnf" --auth-root-authentication-method=normal \
    --skip-test-db >"$d/install-db.log" 2>&1 || start_failed mariadb "$d/install-db.log"

  launch "$d/server.pid" "$d/mariadbd.out" /usr/sbin/mariadbd --defaults-file="$d/my.cnf"
  wait_ready mariadb "$d/server.pid" "$d/my.cnf" mysql_greets "$MARIADB_PORT" ||
    start_failed mariadb "$d/mariadbd.out" "$d/mariadbd.err"

  # install-db already made root@127.0.0.1, hence IF NOT EXISTS followed by ALTER.
  mariadb --defaults-file="$d/my.cnf" -uroot >"$d/setup.log" 2>&1 <<EOF || start_failed mariadb "$d/setup.log"
CREATE DATABASE IF NOT EXISTS $DATABASE;
CREATE USER IF NOT EXISTS '$MYSQL_ADMIN_USER'@'$HOST';
ALTER USER '$MYSQL_ADMIN_USER'@'$HOST' IDENTIFIED BY '$ADMIN_PASSWORD';
GRANT ALL PRIVILEGES ON *.* TO '$MYSQL_ADMIN_USER'@'$HOST' WITH GRANT OPTION;
CREATE USER IF NOT EXISTS '$APP_USER'@'%';
ALTER USER '$APP_USER'@'%' IDENTIFIED BY '$APP_PASSWORD';
GRANT SELECT, RELOAD, SHOW DATABASES, REPLICATION SLAVE, REPLICATION CLIENT ON *.* TO '$APP_USER'@'%';
ALTER USER '$MYSQL_ADMIN_USER'@'localhost' IDENTIFIED BY '$ADMIN_PASSWORD';
EOF
}

endpoints_mariadb() {
  jdbc_endpoints MARIADB "jdbc:mariadb://$HOST:$MARIADB_PORT/$DATABASE" "$MARIADB_PORT" "$MYSQL_ADMIN_USER"
}

# --- MySQL 8 -------------------------------------------------------------------------------------

start_mysql() {
  local d="$RUN_DIR/mysql" sock
  sock="$(socket_path mysql)"
  ensure_port_free mysql "$MYSQL_PORT"
  rm -rf "$d" "$sock"
  mkdir -p "$d/tmp"
  {
    echo "[mysqld]"
    ((EUID != 0)) || echo "user=root"
    cat <<EOF
basedir=$MYSQL_HOME
lc_messages_dir=$MYSQL_HOME/share
datadir=$d/data
tmpdir=$d/tmp
socket=$sock
pid-file=$d/mysqld.pid
log-error=$d/mysqld.err
port=$MYSQL_PORT
bind-address=$HOST
mysqlx=OFF
skip-name-resolve
server-id=1
log-bin=$d/data/binlog
binlog_format=ROW
binlog_row_image=FULL
binlog_row_metadata=FULL
gtid_mode=ON
enforce_gtid_consistency=ON
innodb_flush_log_at_trx_commit=2
innodb_doublewrite=OFF
sync_binlog=0
performance_schema=OFF
EOF
  } >"$d/my.cnf"

  # Run once by --initialize: users and database exist before the server first accepts anyone.
  cat >"$d/init.sql" <<EOF
CREATE DATABASE IF NOT EXISTS $DATABASE;
ALTER USER '$MYSQL_ADMIN_USER'@'localhost' IDENTIFIED BY '$ADMIN_PASSWORD';
CREATE USER IF NOT EXISTS '$MYSQL_ADMIN_USER'@'%' IDENTIFIED BY '$ADMIN_PASSWORD';
GRANT ALL PRIVILEGES ON *.* TO '$MYSQL_ADMIN_USER'@'%' WITH GRANT OPTION;
CREATE USER IF NOT EXISTS '$APP_USER'@'%' IDENTIFIED BY '$APP_PASSWORD';
GRANT SELECT, RELOAD, SHOW DATABASES, REPLICATION SLAVE, REPLICATION CLIENT ON *.* TO '$APP_USER'@'%';
EOF

  "$MYSQL_HOME/bin/mysqld" --defaults-file="$d/my.cnf" --initialize-insecure --init-file="$d/init.sql" \
    >"$d/initialize.log" 2>&1 || start_failed mysql "$d/initialize.log" "$d/mysqld.err"

  launch "$d/server.pid" "$d/mysqld.out" "$MYSQL_HOME/bin/mysqld" --defaults-file="$d/my.cnf"
  wait_ready mysql "$d/server.pid" "$d/my.cnf" mysql_greets "$MYSQL_PORT" ||
    start_failed mysql "$d/mysqld.out" "$d/mysqld.err"
}

endpoints_mysql() {
  jdbc_endpoints MYSQL "jdbc:mysql://$HOST:$MYSQL_PORT/$DATABASE?allowPublicKeyRetrieval=true" \
    "$MYSQL_PORT" "$MYSQL_ADMIN_USER"
}

# --- PostgreSQL ----------------------------------------------------------------------------------

# Runs a PostgreSQL tool as the postgres user (initdb refuses root), from a directory it can read.
as_pg() {
  if ((EUID == 0)); then
    (cd / && runuser -u postgres -- "$@" 9>&-)
  else
    (cd / && "$@" 9>&-)
  fi
}

# The PostgreSQL part of the run directory; a symlink to a directory under /tmp when the postgres
# user cannot reach the run directory (a repository under /root, say).
pg_dir() { readlink -f "$RUN_DIR/postgres" 2>/dev/null || printf '%s\n' "$RUN_DIR/postgres"; }
pg_data() { printf '%s/data\n' "$(pg_dir)"; }

remove_pg_dir() {
  local link="$RUN_DIR/postgres"
  if [[ -L $link ]]; then
    rm -rf "$(readlink -f "$link")"
    rm -f "$link"
  else
    rm -rf "$link"
  fi
}

start_postgres() {
  local d data
  ensure_port_free postgres "$POSTGRES_PORT"
  remove_pg_dir
  d="$RUN_DIR/postgres"
  mkdir -p "$d"
  if ((EUID == 0)); then
    chown postgres:postgres "$d"
    if ! runuser -u postgres -- test -w "$d"; then
      rmdir "$d"
      local real
      real="$(mktemp -d /tmp/sluice-postgres.XXXXXX)"
      chown postgres:postgres "$real"
      ln -s "$real" "$d"
      say "postgres: user postgres cannot reach $RUN_DIR; its files are in $real (linked)"
    fi
  fi
  d="$(pg_dir)"
  data="$(pg_data)"

  (umask 077 && printf '%s\n' "$ADMIN_PASSWORD" >"$d/pwfile")
  ((EUID != 0)) || chown postgres:postgres "$d/pwfile"
  as_pg "$PG_BIN/initdb" -D "$data" -U "$PG_ADMIN_USER" --pwfile="$d/pwfile" -A scram-sha-256 \
    -E UTF8 --locale=C.UTF-8 --no-sync >"$d/initdb.log" 2>&1 || start_failed postgres "$d/initdb.log"
  rm -f "$d/pwfile"

  cat >>"$data/postgresql.conf" <<EOF

# scripts/test-env.sh
listen_addresses='$HOST'
port=$POSTGRES_PORT
unix_socket_directories=''
wal_level=logical
max_replication_slots=10
max_wal_senders=10
fsync=off
full_page_writes=off
EOF
  grep -Eq '^host[[:space:]]+replication[[:space:]]+all[[:space:]]+127\.0\.0\.1/32' "$data/pg_hba.conf" ||
    echo "host replication all 127.0.0.1/32 scram-sha-256" >>"$data/pg_hba.conf"

  # pg_ctl -w returns once the postmaster reports itself ready; postmaster.pid is the pid file.
  LAUNCHED=$$
  as_pg "$PG_BIN/pg_ctl" -D "$data" -l "$d/postgres.log" -w -t "$START_TIMEOUT" start \
    >"$d/pg_ctl.log" 2>&1 || start_failed postgres "$d/pg_ctl.log" "$d/postgres.log"
  wait_ready postgres "$data/postmaster.pid" "$data" port_open "$POSTGRES_PORT" ||
    start_failed postgres "$d/postgres.log"

  PGPASSWORD="$ADMIN_PASSWORD" "$PG_BIN/psql" -X -q -v ON_ERROR_STOP=1 -h "$HOST" -p "$POSTGRES_PORT" \
    -U "$PG_ADMIN_USER" -d postgres >"$d/setup.log" 2>&1 <<EOF || start_failed postgres "$d/setup.log" "$d/postgres.log"
SELECT 'CREATE DATABASE $DATABASE' WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = '$DATABASE')
\\gexec
DO \$\$
BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '$APP_USER') THEN
    CREATE ROLE $APP_USER WITH LOGIN REPLICATION PASSWORD '$APP_PASSWORD';
  END IF;
END
\$\$;
EOF
}

endpoints_postgres() {
  jdbc_endpoints POSTGRES "jdbc:postgresql://$HOST:$POSTGRES_PORT/$DATABASE" "$POSTGRES_PORT" "$PG_ADMIN_USER"
}

# --- Kafka ---------------------------------------------------------------------------------------

start_kafka() {
  local d="$RUN_DIR/kafka" cluster_id
  ensure_port_free kafka "$KAFKA_PORT" "$KAFKA_CONTROLLER_PORT"
  rm -rf "$d"
  mkdir -p "$d/data"
  cat >"$d/server.properties" <<EOF
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@$HOST:$KAFKA_CONTROLLER_PORT
listeners=PLAINTEXT://$HOST:$KAFKA_PORT,CONTROLLER://$HOST:$KAFKA_CONTROLLER_PORT
advertised.listeners=PLAINTEXT://$HOST:$KAFKA_PORT
controller.listener.names=CONTROLLER
inter.broker.listener.name=PLAINTEXT
listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT
log.dirs=$d/data
num.partitions=1
auto.create.topics.enable=true
offsets.topic.replication.factor=1
offsets.topic.num.partitions=5
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
transaction.state.log.num.partitions=5
share.coordinator.state.topic.replication.factor=1
share.coordinator.state.topic.min.isr=1
group.initial.rebalance.delay.ms=0
EOF
  # A cluster id is 16 random bytes in URL-safe base64 without padding.
  cluster_id="$(head -c 16 /dev/urandom | base64 | tr '+/' '-_' | tr -d '=')"
  "$JAVA" -Xmx256m -cp "$KAFKA_HOME/lib/*" kafka.tools.StorageTool format "--cluster-id=$cluster_id" \
    -c "$d/server.properties" >"$d/format.log" 2>&1 || start_failed kafka "$d/format.log"

  launch "$d/server.pid" "$d/kafka.log" "$JAVA" -Xms256m -Xmx512m -XX:+UseG1GC \
    -Djava.awt.headless=true -cp "$KAFKA_HOME/lib/*" kafka.Kafka "$d/server.properties"
  wait_ready kafka "$d/server.pid" "$d/server.properties" port_open "$KAFKA_PORT" ||
    start_failed kafka "$d/kafka.log"
}

endpoints_kafka() {
  echo "SLUICE_KAFKA_BOOTSTRAP=$HOST:$KAFKA_PORT"
}

# --- MongoDB fake --------------------------------------------------------------------------------

# Compiles MongoFake.java once per source version into the cache.
mongo_fake_classes() {
  local sum dir
  sum="$(sha1sum <"$MONGO_FAKE_SRC" | cut -c1-12)"
  dir="$MONGO_HOME/fake-$sum"
  if [[ ! -f $dir/MongoFake.class ]]; then
    rm -rf "$dir.partial"
    mkdir -p "$dir.partial"
    "$JAVAC" -nowarn -d "$dir.partial" -cp "$MONGO_HOME/lib/*" "$MONGO_FAKE_SRC" >&2 || return 1
    rm -rf "$dir"
    mv "$dir.partial" "$dir"
  fi
  printf '%s\n' "$dir"
}

start_mongo() {
  local d="$RUN_DIR/mongo" classes
  ensure_port_free mongo "$MONGO_PORT"
  rm -rf "$d"
  mkdir -p "$d"
  classes="$(mongo_fake_classes 2>"$d/javac.log")" || start_failed mongo "$d/javac.log"
  launch "$d/server.pid" "$d/mongo.log" "$JAVA" -Xmx256m -XX:+UseSerialGC "-Dsluice.test-env=$d" \
    -cp "$classes:$MONGO_HOME/lib/*" MongoFake "$HOST" "$MONGO_PORT"
  wait_ready mongo "$d/server.pid" "-Dsluice.test-env=$d" port_open "$MONGO_PORT" ||
    start_failed mongo "$d/mongo.log"
}

endpoints_mongo() {
  echo "SLUICE_MONGO_URI=mongodb://$HOST:$MONGO_PORT"
}

# --- endpoints -----------------------------------------------------------------------------------

# jdbc_endpoints PREFIX URL PORT ADMIN_USER
jdbc_endpoints() {
  local p="SLUICE_$1"
  cat <<EOF
${p}_URL=$2
${p}_HOST=$HOST
${p}_PORT=$3
${p}_DATABASE=$DATABASE
${p}_USER=$APP_USER
${p}_PASSWORD=$APP_PASSWORD
${p}_ADMIN_USER=$4
${p}_ADMIN_PASSWORD=$ADMIN_PASSWORD
EOF
}

# Rewrites endpoints.env from the servers that are running now.
write_endpoints() {
  local s any=0 tmp="$RUN_DIR/endpoints.env.tmp"
  {
    echo "# Endpoints of the servers scripts/test-env.sh runs; KEY=VALUE lines, rewritten by up and down."
    for s in "${ALL_SERVERS[@]}"; do
      if server_pid "$s" >/dev/null; then
        "endpoints_$s"
        any=1
      fi
    done
  } >"$tmp"
  if ((any)); then
    mv "$tmp" "$RUN_DIR/endpoints.env"
  else
    rm -f "$tmp" "$RUN_DIR/endpoints.env"
  fi
}

# --- commands ------------------------------------------------------------------------------------

# Sets SERVERS from the arguments (default all), refusing unknown names.
select_servers() {
  SERVERS=()
  local s k known
  (($#)) || set -- "${ALL_SERVERS[@]}"
  for s; do
    known=0
    for k in "${ALL_SERVERS[@]}"; do [[ $s == "$k" ]] && known=1; done
    ((known)) || die "unknown server '$s' (known: ${ALL_SERVERS[*]})"
    SERVERS+=("$s")
  done
}

lock_run_dir() {
  mkdir -p "$RUN_DIR"
  exec 9>"$RUN_DIR/.lock"
  flock -w 600 9 || die "another scripts/test-env.sh holds $RUN_DIR/.lock"
}

cmd_up() {
  select_servers "$@"
  lock_run_dir
  local t0 s pid todo=() failed=()
  t0="$(now_ms)"
  for s in "${SERVERS[@]}"; do
    if pid="$(server_pid "$s")"; then
      say "$s: already up (pid $pid)"
    else
      todo+=("$s")
    fi
  done
  if ((${#todo[@]})); then
    prepare "${todo[@]}" || { write_endpoints; exit 1; }
    declare -A jobs=()
    for s in "${todo[@]}"; do
      (
        local started
        started="$(now_ms)"
        "start_$s"
        pid="$(server_pid "$s")"
        say "$s: up in $(elapsed "$started") (pid $pid)"
      ) >"$RUN_DIR/.start-$s.out" 2>&1 &
      jobs[$s]=$!
    done
    for s in "${todo[@]}"; do
      if wait "${jobs[$s]}"; then
        cat "$RUN_DIR/.start-$s.out"
      else
        cat "$RUN_DIR/.start-$s.out" >&2
        warn "$s: failed to start"
        failed+=("$s")
      fi
      rm -f "$RUN_DIR/.start-$s.out"
    done
  fi
  write_endpoints
  # With every server, the browser of the status page's test too: installed (after the servers'
  # packages, as apt takes one install at a time), nothing to start; without it that test is skipped.
  if (($# == 0)); then
    prepare browser || warn "no browser installed: the status page's browser test will be skipped"
  fi
  if ((${#failed[@]})); then
    die "not started: ${failed[*]} (the others are up; stop them with scripts/test-env.sh down)"
  fi
  say "ready in $(elapsed "$t0"); endpoints in $RUN_DIR/endpoints.env"
}

cmd_down() {
  select_servers "$@"
  [[ -d $RUN_DIR ]] || { say "nothing to stop ($RUN_DIR does not exist)"; return 0; }
  lock_run_dir
  local s pid rc=0 sig
  declare -A jobs=()
  for s in "${SERVERS[@]}"; do
    (
      if pid="$(server_pid "$s")"; then
        # postgres: SIGINT is its fast shutdown.
        sig=TERM
        [[ $s != postgres ]] || sig=INT
        stop_pid "$s" "$pid" "$sig" || exit 1
        say "$s: stopped (pid $pid)"
      fi
      # Data goes; configuration and logs stay for a look after the fact.
      case $s in
        postgres)
          # A directory under /tmp (see start_postgres) goes whole; nothing is left outside the run dir.
          if [[ -L $RUN_DIR/postgres ]]; then remove_pg_dir; else rm -rf "$(pg_data)"; fi
          ;;
        mariadb | mysql) rm -rf "$RUN_DIR/$s/data" "$RUN_DIR/$s/tmp" "$(socket_path "$s")" ;;
        *) rm -rf "$RUN_DIR/$s/data" ;;
      esac
      rm -f "$RUN_DIR/$s/server.pid"
    ) &
    jobs[$s]=$!
  done
  for s in "${SERVERS[@]}"; do
    wait "${jobs[$s]}" || rc=1
  done
  write_endpoints
  return "$rc"
}

cmd_status() {
  select_servers "$@"
  local s pid rc=0
  for s in "${SERVERS[@]}"; do
    if pid="$(server_pid "$s")"; then
      printf '%-9s up    pid %s\n' "$s" "$pid"
    else
      printf '%-9s down\n' "$s"
      rc=1
    fi
  done
  return "$rc"
}

cmd_env() {
  [[ -f $RUN_DIR/endpoints.env ]] || die "no endpoints: nothing is up (start with scripts/test-env.sh up)"
  cat "$RUN_DIR/endpoints.env"
}

main() {
  (($#)) || usage 1
  local cmd=$1
  shift
  case $RUN_DIR in /*) ;; *) RUN_DIR="$PWD/$RUN_DIR" ;; esac
  case $cmd in
    up) cmd_up "$@" ;;
    down) cmd_down "$@" ;;
    status) cmd_status "$@" ;;
    env) (($# == 0)) || usage 1; cmd_env ;;
    -h | --help | help) usage 0 ;;
    *) usage 1 ;;
  esac
}

main "$@"
