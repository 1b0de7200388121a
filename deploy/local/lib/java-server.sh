# Shared by kafka.sh and mongo.sh: a Java server whose jars come from Maven Central, run in the
# background with plain `java`, with pid/port/log files under <repo>/.local/<name>.
#
# The sourcing script sets NAME, HOME_DIR, POM, LIBS, LOG, PID_FILE, PORT_FILE, PORT,
# START_TIMEOUT_S, STOP_TIMEOUT_S, CMDLINE_MATCH (a string only our server's command line has) and
# defines url_for PORT (what `start` prints on stdout), prepare (install/configure before a start)
# and server_command (sets the array SERVER_CMD: the java command line); then calls `dispatch "$@"`.

running_pid() {
  [[ -f "$PID_FILE" ]] || return 1
  local pid
  pid="$(cat "$PID_FILE")"
  # The pid must still be our server, not a recycled pid of some other process.
  if kill -0 "$pid" 2>/dev/null && grep -q "$CMDLINE_MATCH" "/proc/$pid/cmdline" 2>/dev/null; then
    echo "$pid"
  else
    return 1
  fi
}

# bash's /dev/tcp: no nc or client tools needed on a fresh machine.
port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null; }

# Copies the POM's dependencies into $LIBS once; extra arguments go to Maven.
install_libs() {
  # The marker is written last, so an interrupted download is redone rather than half-used.
  local marker="$LIBS/.installed-from-$(sha256sum "$POM" | cut -c1-16)"
  [[ -f "$marker" ]] && return 0
  command -v mvn >/dev/null || { echo "mvn not found (needed once, to fetch the $NAME jars)" >&2; exit 1; }
  echo "Installing $NAME jars from Maven Central into $LIBS (first time only)…" >&2
  rm -rf "$LIBS"
  mkdir -p "$LIBS"
  if ! mvn -B -Dstyle.color=never -f "$POM" dependency:copy-dependencies -DoutputDirectory="$LIBS" "$@" >"$HOME_DIR/mvn.log" 2>&1; then
    echo "Maven could not fetch the jars; last lines of $HOME_DIR/mvn.log:" >&2
    tail -n 30 "$HOME_DIR/mvn.log" >&2
    exit 1
  fi
  touch "$marker"
}

fail_start() {
  echo "$1; last lines of $LOG:" >&2
  tail -n 40 "$LOG" >&2
  exit 1
}

start() {
  local pid
  if pid="$(running_pid)"; then
    # One server per checkout (one data dir): report the port it was started with.
    echo "$NAME already running (pid $pid)" >&2
    url_for "$(cat "$PORT_FILE" 2>/dev/null || echo "$PORT")"
    return 0
  fi
  if port_open; then
    echo "Port $PORT is taken by another process; choose another port" >&2
    exit 1
  fi
  command -v java >/dev/null || { echo "java not found (Java 17+ needed)" >&2; exit 1; }
  mkdir -p "$HOME_DIR"
  prepare
  # nohup: the server outlives this shell (and the terminal that started it).
  server_command
  nohup "${SERVER_CMD[@]}" >"$LOG" 2>&1 </dev/null &
  local started=$!
  echo "$started" >"$PID_FILE"
  echo "$PORT" >"$PORT_FILE"
  local deadline=$((SECONDS + START_TIMEOUT_S))
  until port_open; do
    # kill -0, not running_pid: until the child has exec'd java its command line is still this
    # script's, and a start that checked it then reported an exit while the server came up.
    kill -0 "$started" 2>/dev/null || fail_start "$NAME exited during start"
    if ((SECONDS >= deadline)); then
      stop >/dev/null 2>&1
      fail_start "$NAME did not accept connections on 127.0.0.1:$PORT within ${START_TIMEOUT_S}s"
    fi
    sleep 0.3
  done
  echo "$NAME started (pid $(cat "$PID_FILE"), log $LOG)" >&2
  url_for "$PORT"
}

stop() {
  local pid
  if ! pid="$(running_pid)"; then
    rm -f "$PID_FILE"
    echo "$NAME not running" >&2
    return 0
  fi
  # SIGTERM lets the server shut down cleanly (flush, close its files); force it after the timeout.
  kill -TERM "$pid"
  local deadline=$((SECONDS + STOP_TIMEOUT_S))
  while kill -0 "$pid" 2>/dev/null && ((SECONDS < deadline)); do sleep 0.3; done
  if kill -0 "$pid" 2>/dev/null; then
    echo "$NAME did not stop within ${STOP_TIMEOUT_S}s; killing it" >&2
    kill -KILL "$pid" 2>/dev/null || true
  fi
  rm -f "$PID_FILE"
  echo "$NAME stopped" >&2
}

status() {
  local pid
  if pid="$(running_pid)"; then
    echo "$NAME running (pid $pid): $(url_for "$(cat "$PORT_FILE" 2>/dev/null || echo "$PORT")")"
  else
    echo "$NAME not running"
    return 3
  fi
}

dispatch() {
  case "${1:-}" in
    start) start ;;
    stop) stop ;;
    status) status ;;
    *) echo "usage: $0 start|stop|status" >&2; exit 2 ;;
  esac
}
