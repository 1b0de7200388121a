#!/usr/bin/env bash
# A Mongo-wire server for local runs and tests, without Docker: mongo-java-server with its H2 backend
# (all databases in one file, so documents survive a restart) from Maven Central
# (deploy/local/mongo/pom.xml), run by deploy/local/mongo/LocalMongoServer.java with plain `java`.
# Everything lives under <repo>/.local/mongo (gitignored) and is reused: libs/ (jars), classes/,
# data.mv.db, mongo.pid, mongo.port, mongo.log, mvn.log. Only the first start downloads anything.
#
#   deploy/local/mongo.sh start|stop|status
#
# MONGO_PORT (default 27017) on 127.0.0.1 only; MONGO_BACKEND=memory keeps nothing on disk (the
# fallback if the H2 file gives trouble). `start` prints MONGO_URL=… on stdout when ready (the rest
# goes to stderr), so `export "$(deploy/local/mongo.sh start)"` works.
# The server has no transactions, no replica set and no change streams; the read store needs none.
# It accepts and lists secondary indexes but does not build them (queries scan): fine for tests and
# local runs, not a stand-in for measuring query performance.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
SRC="$ROOT/deploy/local/mongo"
HOME_DIR="$ROOT/.local/mongo"
LIBS="$HOME_DIR/libs"
CLASSES="$HOME_DIR/classes"
DATA_FILE="$HOME_DIR/data.mv.db"
LOG="$HOME_DIR/mongo.log"
PID_FILE="$HOME_DIR/mongo.pid"
PORT_FILE="$HOME_DIR/mongo.port"
PORT="${MONGO_PORT:-27017}"
BACKEND="${MONGO_BACKEND:-h2}"
START_TIMEOUT_S="${MONGO_START_TIMEOUT_S:-60}"
# SIGTERM runs the server's shutdown hook, which closes (commits) the H2 file.
STOP_TIMEOUT_S=20
NAME=Mongo
POM="$SRC/pom.xml"
CMDLINE_MATCH=LocalMongoServer
# shellcheck source=lib/java-server.sh
source "$ROOT/deploy/local/lib/java-server.sh"

url_for() { echo "MONGO_URL=mongodb://127.0.0.1:$1"; }

compile_main() {
  [[ -f "$CLASSES/LocalMongoServer.class" && "$CLASSES/LocalMongoServer.class" -nt "$SRC/LocalMongoServer.java" ]] && return 0
  mkdir -p "$CLASSES"
  javac -d "$CLASSES" -cp "$LIBS/*" "$SRC/LocalMongoServer.java"
}

prepare() {
  command -v javac >/dev/null || { echo "javac not found (a Java 17+ JDK is needed)" >&2; exit 1; }
  install_libs -DincludeScope=runtime
  compile_main
}

server_command() {
  local data="$DATA_FILE"
  [[ "$BACKEND" == memory ]] && data=memory
  # One INFO line per client connection and disconnection would bury everything else in the log.
  SERVER_CMD=(java -Xms64m -Xmx512m -Dorg.slf4j.simpleLogger.log.de.bwaldvogel.mongo.wire=warn -cp "$CLASSES:$LIBS/*" LocalMongoServer 127.0.0.1 "$PORT" "$data")
}

dispatch "$@"
