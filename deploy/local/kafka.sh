#!/usr/bin/env bash
# A single-node Kafka (KRaft: broker + controller in one JVM) for local runs and tests, without
# Docker: Apache Kafka's own jars come from Maven Central (deploy/local/kafka/pom.xml) and run
# with plain `java`. Everything lives under <repo>/.local/kafka (gitignored) and is reused, so only
# the first start downloads anything.
#
#   deploy/local/kafka.sh start|stop|status
#
# KAFKA_PORT (default 9092) is the client port; the controller listens on KAFKA_CONTROLLER_PORT
# (default KAFKA_PORT + 1). Both bind to 127.0.0.1 only. `start` prints KAFKA_BROKERS=… when ready.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
POM="$ROOT/deploy/local/kafka/pom.xml"
HOME_DIR="$ROOT/.local/kafka"
LIBS="$HOME_DIR/libs"
DATA="$HOME_DIR/data"
CONFIG="$HOME_DIR/server.properties"
LOG4J="$HOME_DIR/log4j.properties"
LOG="$HOME_DIR/kafka.log"
PID_FILE="$HOME_DIR/kafka.pid"
PORT_FILE="$HOME_DIR/kafka.port"
PORT="${KAFKA_PORT:-9092}"
CONTROLLER_PORT="${KAFKA_CONTROLLER_PORT:-$((PORT + 1))}"
START_TIMEOUT_S="${KAFKA_START_TIMEOUT_S:-90}"

running_pid() {
  [[ -f "$PID_FILE" ]] || return 1
  local pid
  pid="$(cat "$PID_FILE")"
  # The pid must still be our broker, not a recycled pid of some other process.
  if kill -0 "$pid" 2>/dev/null && grep -q 'kafka.Kafka' "/proc/$pid/cmdline" 2>/dev/null; then
    echo "$pid"
  else
    return 1
  fi
}

port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null; }

install_libs() {
  # The marker is written last, so an interrupted download is redone rather than half-used.
  local marker="$LIBS/.installed-from-$(sha256sum "$POM" | cut -c1-16)"
  [[ -f "$marker" ]] && return 0
  echo "Installing Kafka jars from Maven Central into $LIBS (first time only)…" >&2
  rm -rf "$LIBS"
  mkdir -p "$LIBS"
  if ! mvn -B -Dstyle.color=never -f "$POM" dependency:copy-dependencies -DoutputDirectory="$LIBS" >"$HOME_DIR/mvn.log" 2>&1; then
    echo "Maven could not fetch the jars; last lines of $HOME_DIR/mvn.log:" >&2
    tail -n 30 "$HOME_DIR/mvn.log" >&2
    exit 1
  fi
  touch "$marker"
}

write_config() {
  mkdir -p "$DATA"
  cat >"$CONFIG" <<EOF
# Written by deploy/local/kafka.sh; edits are overwritten at the next start.
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@127.0.0.1:$CONTROLLER_PORT
listeners=PLAINTEXT://127.0.0.1:$PORT,CONTROLLER://127.0.0.1:$CONTROLLER_PORT
advertised.listeners=PLAINTEXT://127.0.0.1:$PORT
controller.listener.names=CONTROLLER
inter.broker.listener.name=PLAINTEXT
listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT
log.dirs=$DATA
# Services create their topics (and <topic>.dlq) at start; a typo must fail, not create a topic.
auto.create.topics.enable=false
num.partitions=3
default.replication.factor=1
min.insync.replicas=1
offsets.topic.replication.factor=1
offsets.topic.num.partitions=3
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
# A lone consumer should not wait 3 s for company before it gets its partitions.
group.initial.rebalance.delay.ms=0
# Local data: small segments, short retention, so tests' topics do not pile up on disk.
log.segment.bytes=16777216
log.retention.hours=24
log.retention.check.interval.ms=60000
num.network.threads=2
num.io.threads=4
EOF
  cat >"$LOG4J" <<'EOF'
log4j.rootLogger=INFO, stdout
log4j.appender.stdout=org.apache.log4j.ConsoleAppender
log4j.appender.stdout.layout=org.apache.log4j.PatternLayout
log4j.appender.stdout.layout.ConversionPattern=[%d] %p %m (%c)%n
log4j.logger.kafka=INFO
log4j.logger.org.apache.kafka=INFO
log4j.logger.kafka.request.logger=WARN
log4j.logger.state.change.logger=WARN
EOF
}

JAVA=(java -Xms128m -Xmx512m -XX:+UseG1GC -Djava.awt.headless=true -Dlog4j.configuration="file:$LOG4J" -cp "$LIBS/*")

format_once() {
  # KRaft needs its log dir formatted with a cluster id exactly once; meta.properties marks it done.
  [[ -f "$DATA/meta.properties" ]] && return 0
  local cluster_id
  cluster_id="$("${JAVA[@]}" kafka.tools.StorageTool random-uuid 2>/dev/null | tail -1)"
  "${JAVA[@]}" kafka.tools.StorageTool format -t "$cluster_id" -c "$CONFIG" >/dev/null
}

start() {
  if pid="$(running_pid)"; then
    # One broker per checkout (one data dir): report the port it was started with.
    echo "Kafka already running (pid $pid)" >&2
    echo "KAFKA_BROKERS=127.0.0.1:$(cat "$PORT_FILE" 2>/dev/null || echo "$PORT")"
    return 0
  fi
  if port_open; then
    echo "Port $PORT is taken by another process; set KAFKA_PORT" >&2
    exit 1
  fi
  command -v java >/dev/null || { echo "java not found (Java 17+ needed)" >&2; exit 1; }
  command -v mvn >/dev/null || [[ -n "$(ls "$LIBS"/.installed-from-* 2>/dev/null)" ]] ||
    { echo "mvn not found (needed once, to fetch the Kafka jars)" >&2; exit 1; }
  mkdir -p "$HOME_DIR"
  install_libs
  write_config
  format_once
  # nohup: the broker outlives this shell (and the terminal that started it).
  nohup "${JAVA[@]}" kafka.Kafka "$CONFIG" >"$LOG" 2>&1 </dev/null &
  echo $! >"$PID_FILE"
  echo "$PORT" >"$PORT_FILE"
  local deadline=$((SECONDS + START_TIMEOUT_S))
  until port_open; do
    if ! running_pid >/dev/null; then
      echo "Kafka exited during start; last lines of $LOG:" >&2
      tail -n 40 "$LOG" >&2
      exit 1
    fi
    if ((SECONDS >= deadline)); then
      echo "Kafka did not accept connections on 127.0.0.1:$PORT within ${START_TIMEOUT_S}s; last lines of $LOG:" >&2
      tail -n 40 "$LOG" >&2
      stop >/dev/null
      exit 1
    fi
    sleep 0.5
  done
  echo "Kafka started (pid $(cat "$PID_FILE"), log $LOG)" >&2
  echo "KAFKA_BROKERS=127.0.0.1:$PORT"
}

stop() {
  local pid
  if ! pid="$(running_pid)"; then
    rm -f "$PID_FILE"
    echo "Kafka not running" >&2
    return 0
  fi
  kill -TERM "$pid"
  # A clean shutdown (flush, controller hand-off) takes a few seconds; force it after 30.
  for _ in $(seq 1 60); do
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.5
  done
  if kill -0 "$pid" 2>/dev/null; then
    echo "Kafka did not stop within 30 s; killing it" >&2
    kill -KILL "$pid" 2>/dev/null || true
  fi
  rm -f "$PID_FILE"
  echo "Kafka stopped" >&2
}

status() {
  if pid="$(running_pid)"; then
    echo "Kafka running (pid $pid) on 127.0.0.1:$(cat "$PORT_FILE" 2>/dev/null || echo "$PORT")"
  else
    echo "Kafka not running"
    return 3
  fi
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  status) status ;;
  *) echo "usage: $0 start|stop|status" >&2; exit 2 ;;
esac
