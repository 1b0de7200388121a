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

running_pid() {
  [[ -f "$PID_FILE" ]] || return 1
  local pid
  pid="$(cat "$PID_FILE")"
  # The pid must still be our server, not a recycled pid of some other process.
  if kill -0 "$pid" 2>/dev/null && grep -q 'LocalMongoServer' "/proc/$pid/cmdline" 2>/dev/null; then
    echo "$pid"
  else
    return 1
  fi
}

# bash's /dev/tcp: no nc or mongosh needed on a fresh machine.
port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null; }

install_libs() {
  # The marker is written last, so an interrupted download is redone rather than half-used.
  local marker="$LIBS/.installed-from-$(sha256sum "$SRC/pom.xml" | cut -c1-16)"
  [[ -f "$marker" ]] && return 0
  command -v mvn >/dev/null || { echo "mvn not found (needed once, to fetch the server's jars)" >&2; exit 1; }
  echo "Installing mongo-java-server from Maven Central into $LIBS (first time only)…" >&2
  rm -rf "$LIBS" "$CLASSES"
  mkdir -p "$LIBS"
  if ! mvn -B -Dstyle.color=never -f "$SRC/pom.xml" dependency:copy-dependencies -DincludeScope=runtime \
    -DoutputDirectory="$LIBS" >"$HOME_DIR/mvn.log" 2>&1; then
    echo "Maven could not fetch the jars; last lines of $HOME_DIR/mvn.log:" >&2
    tail -n 30 "$HOME_DIR/mvn.log" >&2
    exit 1
  fi
  touch "$marker"
}

compile_main() {
  [[ -f "$CLASSES/LocalMongoServer.class" && "$CLASSES/LocalMongoServer.class" -nt "$SRC/LocalMongoServer.java" ]] && return 0
  mkdir -p "$CLASSES"
  javac -d "$CLASSES" -cp "$LIBS/*" "$SRC/LocalMongoServer.java"
}

start() {
  local pid
  if pid="$(running_pid)"; then
    # One server per checkout (one data file): report the port it was started with.
    echo "Mongo already running (pid $pid)" >&2
    echo "MONGO_URL=mongodb://127.0.0.1:$(cat "$PORT_FILE" 2>/dev/null || echo "$PORT")"
    return 0
  fi
  if port_open; then
    echo "Port $PORT is taken by another process; set MONGO_PORT" >&2
    exit 1
  fi
  command -v javac >/dev/null || { echo "javac not found (a Java 17+ JDK is needed)" >&2; exit 1; }
  mkdir -p "$HOME_DIR"
  install_libs
  compile_main
  local data="$DATA_FILE"
  [[ "$BACKEND" == memory ]] && data=memory
  # nohup: the server outlives this shell (and the terminal that started it).
  # One INFO line per client connection and disconnection would bury everything else in the log.
  nohup java -Xms64m -Xmx512m -Dorg.slf4j.simpleLogger.log.de.bwaldvogel.mongo.wire=warn -cp "$CLASSES:$LIBS/*" LocalMongoServer 127.0.0.1 "$PORT" "$data" >"$LOG" 2>&1 </dev/null &
  echo $! >"$PID_FILE"
  echo "$PORT" >"$PORT_FILE"
  local deadline=$((SECONDS + START_TIMEOUT_S))
  until port_open; do
    if ! running_pid >/dev/null; then
      echo "Mongo exited during start; last lines of $LOG:" >&2
      tail -n 40 "$LOG" >&2
      exit 1
    fi
    if ((SECONDS >= deadline)); then
      echo "Mongo did not accept connections on 127.0.0.1:$PORT within ${START_TIMEOUT_S}s; last lines of $LOG:" >&2
      tail -n 40 "$LOG" >&2
      stop >/dev/null 2>&1
      exit 1
    fi
    sleep 0.2
  done
  echo "Mongo started (pid $(cat "$PID_FILE"), log $LOG)" >&2
  echo "MONGO_URL=mongodb://127.0.0.1:$PORT"
}

stop() {
  local pid
  if ! pid="$(running_pid)"; then
    rm -f "$PID_FILE"
    echo "Mongo not running" >&2
    return 0
  fi
  # SIGTERM runs the server's shutdown hook, which closes (commits) the H2 file; force it after 20 s.
  kill -TERM "$pid"
  for _ in $(seq 1 100); do
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.2
  done
  if kill -0 "$pid" 2>/dev/null; then
    echo "Mongo did not stop within 20 s; killing it" >&2
    kill -KILL "$pid" 2>/dev/null || true
  fi
  rm -f "$PID_FILE"
  echo "Mongo stopped" >&2
}

status() {
  local pid
  if pid="$(running_pid)"; then
    echo "Mongo running (pid $pid) on mongodb://127.0.0.1:$(cat "$PORT_FILE" 2>/dev/null || echo "$PORT")"
  else
    echo "Mongo not running"
    return 3
  fi
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  status) status ;;
  *) echo "usage: $0 start|stop|status" >&2; exit 2 ;;
esac
