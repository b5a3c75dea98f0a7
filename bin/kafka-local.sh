#!/usr/bin/env bash
# A real Kafka node (KRaft, broker+controller) on 127.0.0.1 in the background, from the built kafka-local module.
#
#   bin/kafka-local.sh start    start it (pid file, waits for READY), prints the bootstrap servers
#   bin/kafka-local.sh stop     SIGTERM, waits for a clean stop, SIGKILL after KAFKA_LOCAL_STOP_TIMEOUT
#   bin/kafka-local.sh status   exit 0 and the bootstrap servers when running, exit 1 otherwise
#   bin/kafka-local.sh run      in the foreground (Ctrl-C stops it)
#
# Environment: KAFKA_LOCAL_DIR (run/kafka), KAFKA_LOCAL_PORT (9092), KAFKA_LOCAL_START_TIMEOUT (150 s),
# KAFKA_LOCAL_STOP_TIMEOUT (60 s), KAFKA_LOCAL_JAVA_OPTS (-Xms128m -Xmx1g), KAFKA_LOCAL_CDS (1: the first run
# records a class-data archive in kafka-local/target, later runs load it and start about twice as fast; 0: off),
# KAFKA_LOCAL_SECURE (1: a secured node, SASL_SSL/SCRAM on the port, mutual TLS on a second one, ACLs of every
# service; its CA in $KAFKA_LOCAL_DIR/pki, each Kafka user's settings in $KAFKA_LOCAL_DIR/clients/<user>.env).
# Data: $KAFKA_LOCAL_DIR/data, logs: $KAFKA_LOCAL_DIR/logs/server.log, console: $KAFKA_LOCAL_DIR/kafka.out.
# Build first: ./mvnw -B -pl kafka-local -am package -DskipTests
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
dir="${KAFKA_LOCAL_DIR:-$root/run/kafka}"
mkdir -p "$dir"
dir="$(cd "$dir" && pwd)"
port="${KAFKA_LOCAL_PORT:-9092}"
start_timeout="${KAFKA_LOCAL_START_TIMEOUT:-150}"
stop_timeout="${KAFKA_LOCAL_STOP_TIMEOUT:-60}"
java_opts="${KAFKA_LOCAL_JAVA_OPTS:--Xms128m -Xmx1g}"
pid_file="$dir/kafka.pid"
out_file="$dir/kafka.out"
main_class=dev.imdbstream.kafka.LocalKafkaMain

target="$root/kafka-local/target"
jsa="$target/kafka-local.jsa"

# The java command line (one word a line): options, classpath, main class and arguments.
java_command() {
  local jar
  jar="$(ls "$target"/kafka-local-*.jar 2>/dev/null | grep -v -- '-sources\|-tests' | head -n 1 || true)"
  if [[ -z "$jar" || ! -d "$target/lib" ]]; then
    echo "kafka-local is not built; run: ./mvnw -B -pl kafka-local -am package -DskipTests" >&2
    exit 1
  fi
  echo java
  # shellcheck disable=SC2086 # java_opts holds several options
  printf '%s\n' $java_opts
  # JVM warnings (class-data archive notes among them) go to stderr: stdout carries only the READY line.
  echo "-Xlog:disable"
  echo "-Xlog:all=warning,cds*=off:stderr"
  if [[ "${KAFKA_LOCAL_CDS:-1}" == 1 ]]; then
    # An archive older than the jars it was made from would be ignored: make a new one instead.
    if [[ -f "$jsa" && -z "$(find "$jar" "$target/lib" -newer "$jsa" -print -quit)" ]]; then
      echo "-XX:SharedArchiveFile=$jsa"
    else
      rm -f "$jsa"
      echo "-XX:ArchiveClassesAtExit=$jsa"
    fi
  fi
  printf '%s\n' -cp "$jar:$target/lib/*" "$main_class" --dir "$dir" --port "$port"
  if [[ "${KAFKA_LOCAL_SECURE:-0}" == 1 ]]; then
    echo --secure
  fi
}

# The pid of our running node, or nothing. A stale pid file, or a pid reused by another program, does not count.
running_pid() {
  [[ -f "$pid_file" ]] || return 0
  local pid
  pid="$(cat "$pid_file")"
  if [[ -n "$pid" ]] && kill -0 "$pid" 2>/dev/null && tr '\0' ' ' < "/proc/$pid/cmdline" 2>/dev/null | grep -q "$main_class"; then
    echo "$pid"
  fi
}

bootstrap() {
  grep -m 1 '^READY ' "$out_file" 2>/dev/null | cut -d' ' -f2
}

start() {
  local pid
  pid="$(running_pid)"
  if [[ -n "$pid" ]]; then
    echo "Kafka already running (pid $pid) on $(bootstrap)"
    return 0
  fi
  local cmd
  mapfile -t cmd < <(java_command)
  (( ${#cmd[@]} )) || exit 1
  nohup "${cmd[@]}" > "$out_file" 2>&1 < /dev/null &
  pid=$!
  echo "$pid" > "$pid_file"
  local waited=0
  while ! grep -q '^READY ' "$out_file" 2>/dev/null; do
    if ! kill -0 "$pid" 2>/dev/null; then
      echo "Kafka exited before it was ready; last lines of $out_file:" >&2
      tail -n 30 "$out_file" >&2
      rm -f "$pid_file"
      return 1
    fi
    if (( waited >= start_timeout * 10 )); then
      echo "Kafka not ready after ${start_timeout}s; stopping it. Logs: $out_file, $dir/logs/server.log" >&2
      stop >&2 || true
      return 1
    fi
    sleep 0.1
    waited=$((waited + 1))
  done
  echo "Kafka running (pid $pid) on $(bootstrap); logs in $dir/logs/server.log"
}

stop() {
  local pid
  pid="$(running_pid)"
  if [[ -z "$pid" ]]; then
    echo "Kafka not running"
    rm -f "$pid_file"
    return 0
  fi
  kill -TERM "$pid"
  local waited=0
  while kill -0 "$pid" 2>/dev/null; do
    if (( waited >= stop_timeout * 10 )); then
      echo "Kafka (pid $pid) still running after ${stop_timeout}s; killing it" >&2
      kill -KILL "$pid" 2>/dev/null || true
      break
    fi
    sleep 0.1
    waited=$((waited + 1))
  done
  rm -f "$pid_file"
  echo "Kafka stopped"
}

status() {
  local pid
  pid="$(running_pid)"
  if [[ -n "$pid" ]]; then
    echo "Kafka running (pid $pid) on $(bootstrap)"
  else
    echo "Kafka not running"
    return 1
  fi
}

run() {
  local cmd
  mapfile -t cmd < <(java_command)
  (( ${#cmd[@]} )) || exit 1
  exec "${cmd[@]}"
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  status) status ;;
  run) run ;;
  *) echo "usage: $0 start|stop|status|run" >&2; exit 2 ;;
esac
