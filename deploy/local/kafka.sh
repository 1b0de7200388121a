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
# KAFKA_HOME_DIR (default <repo>/.local/kafka) holds the data, config, log and pid of this broker,
# so a second broker (e.g. one a fault test stops) can run beside the first; the jars stay shared.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
POM="$ROOT/deploy/local/kafka/pom.xml"
HOME_DIR="${KAFKA_HOME_DIR:-$ROOT/.local/kafka}"
LIBS="$ROOT/.local/kafka/libs"
DATA="$HOME_DIR/data"
CONFIG="$HOME_DIR/server.properties"
LOG4J="$HOME_DIR/log4j.properties"
LOG="$HOME_DIR/kafka.log"
PID_FILE="$HOME_DIR/kafka.pid"
PORT_FILE="$HOME_DIR/kafka.port"
PORT="${KAFKA_PORT:-9092}"
CONTROLLER_PORT="${KAFKA_CONTROLLER_PORT:-$((PORT + 1))}"
START_TIMEOUT_S="${KAFKA_START_TIMEOUT_S:-90}"
# A clean shutdown (flush, controller hand-off) takes a few seconds.
STOP_TIMEOUT_S=30
NAME=Kafka
CMDLINE_MATCH=kafka.Kafka
# shellcheck source=lib/java-server.sh
source "$ROOT/deploy/local/lib/java-server.sh"

url_for() { echo "KAFKA_BROKERS=127.0.0.1:$1"; }

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
# Integration topics override it with unlimited retention (they are the integration log); a
# check every second lets the retention test see an expiring topic expire within seconds.
log.retention.hours=24
log.retention.check.interval.ms=1000
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

prepare() {
  install_libs
  write_config
  format_once
}

server_command() { SERVER_CMD=("${JAVA[@]}" kafka.Kafka "$CONFIG"); }

dispatch "$@"
