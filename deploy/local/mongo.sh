#!/usr/bin/env bash
# Local Mongo-wire server without Docker: mongo-java-server (H2 backend, data kept in one file) from
# Maven Central, run by deploy/local/mongo/LocalMongoServer.java.
#
#   deploy/local/mongo.sh start|stop|status
#
# Everything it fetches, builds and writes lives under .local/mongo/ (gitignored) and is reused:
# libs/ (jars), classes/ (the compiled main class), data.mv.db, mongo.pid, mongo.log.
# Environment: MONGO_PORT (27017), MONGO_HOST (127.0.0.1), MONGO_BACKEND (h2 | memory),
# MONGO_START_TIMEOUT seconds (60).
# The server has no transactions and no replica set; the read store does not need either.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
SRC="$ROOT/deploy/local/mongo"
HOME_DIR="$ROOT/.local/mongo"
LIBS="$HOME_DIR/libs"
CLASSES="$HOME_DIR/classes"
PID_FILE="$HOME_DIR/mongo.pid"
LOG_FILE="$HOME_DIR/mongo.log"
HOST="${MONGO_HOST:-127.0.0.1}"
PORT="${MONGO_PORT:-27017}"
BACKEND="${MONGO_BACKEND:-h2}"
TIMEOUT="${MONGO_START_TIMEOUT:-60}"

running_pid() {
  [[ -f "$PID_FILE" ]] || return 1
  local pid
  pid="$(cat "$PID_FILE")"
  [[ -n "$pid" ]] && kill -0 "$pid" 2>/dev/null && echo "$pid"
}

port_answers() {
  # bash's /dev/tcp: no nc or mongosh needed on a fresh machine.
  (exec 3<>"/dev/tcp/$HOST/$PORT") 2>/dev/null
}

install() {
  # Jars: fetched once; the marker is written only after a complete copy, so a broken download retries.
  if [[ ! -f "$LIBS/.complete" || "$SRC/pom.xml" -nt "$LIBS/.complete" ]]; then
    echo "Fetching mongo-java-server from Maven Central into $LIBS ..."
    rm -rf "$LIBS"
    mvn -q -B -f "$SRC/pom.xml" dependency:copy-dependencies -DincludeScope=runtime -DoutputDirectory="$LIBS"
    touch "$LIBS/.complete"
  fi
  if [[ ! -f "$CLASSES/LocalMongoServer.class" || "$SRC/LocalMongoServer.java" -nt "$CLASSES/LocalMongoServer.class" ]]; then
    mkdir -p "$CLASSES"
    javac -d "$CLASSES" -cp "$LIBS/*" "$SRC/LocalMongoServer.java"
  fi
}

start() {
  local pid
  if pid="$(running_pid)"; then
    echo "Mongo already running (pid $pid)"
    echo "MONGO_URL=mongodb://$HOST:$PORT"
    return 0
  fi
  if port_answers; then
    echo "Port $HOST:$PORT is already taken by another process; set MONGO_PORT" >&2
    return 1
  fi
  mkdir -p "$HOME_DIR"
  install
  local data="$HOME_DIR/data.mv.db"
  [[ "$BACKEND" == memory ]] && data=memory
  # setsid: the server outlives this shell and the terminal that ran it.
  setsid java -Xmx512m -cp "$CLASSES:$LIBS/*" LocalMongoServer "$HOST" "$PORT" "$data" >>"$LOG_FILE" 2>&1 </dev/null &
  echo $! >"$PID_FILE"
  pid="$(cat "$PID_FILE")"

  local waited=0
  until port_answers; do
    if ! kill -0 "$pid" 2>/dev/null || ((waited >= TIMEOUT * 5)); then
      echo "Mongo did not start on $HOST:$PORT (pid $pid); last lines of $LOG_FILE:" >&2
      tail -n 30 "$LOG_FILE" >&2 || true
      kill "$pid" 2>/dev/null || true
      rm -f "$PID_FILE"
      return 1
    fi
    sleep 0.2
    waited=$((waited + 1))
  done
  echo "Mongo started (pid $pid, log $LOG_FILE)"
  echo "MONGO_URL=mongodb://$HOST:$PORT"
}

stop() {
  local pid
  if ! pid="$(running_pid)"; then
    echo "Mongo not running"
    rm -f "$PID_FILE"
    return 0
  fi
  # SIGTERM runs the server's shutdown hook, which commits the H2 file; SIGKILL only if it hangs.
  kill "$pid"
  for _ in $(seq 1 100); do
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.2
  done
  if kill -0 "$pid" 2>/dev/null; then
    echo "Mongo (pid $pid) ignored SIGTERM for 20 s; killing it" >&2
    kill -9 "$pid" 2>/dev/null || true
  fi
  rm -f "$PID_FILE"
  echo "Mongo stopped"
}

status() {
  local pid
  if pid="$(running_pid)"; then
    echo "Mongo running (pid $pid) on mongodb://$HOST:$PORT"
  else
    echo "Mongo not running"
    return 1
  fi
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  status) status ;;
  *) echo "usage: $0 start|stop|status" >&2; exit 2 ;;
esac
