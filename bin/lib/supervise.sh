#!/usr/bin/env bash
# Runs a service and starts it again when it exits with a non-zero status, as compose's restart policy and Kubernetes
# do for the deployed services: the trainer and the scorer exit with status 1 when they can no longer work, and a
# restarted one resumes from its checkpoints and stores. At most SUPERVISE_MAX_RESTARTS (5) restarts in
# SUPERVISE_WINDOW_S (600 s), waiting 2, 4, 8 ... up to 30 s before each; then it gives up and exits with the service's
# status. A service that exits 0 is not restarted. SIGTERM or SIGINT stops the service (SIGTERM, SIGKILL after
# SUPERVISE_STOP_TIMEOUT_S, 25 s: within the 30 s that processes.sh gives a process) and then the supervisor.
#
#   bin/lib/supervise.sh NAME CHILD_PID_FILE -- COMMAND...
#
# Its output is the service's output with its own lines (prefixed "supervise:") between; each of those lines also goes
# to SUPERVISE_EVENTS when set (run-local.sh shows that file on the console). CHILD_PID_FILE holds the pid of the
# running service (the fault checks kill it there).
set -uo pipefail

name="$1" child_pid_file="$2"
shift 2
[[ "${1:-}" == "--" ]] && shift
max_restarts="${SUPERVISE_MAX_RESTARTS:-5}"
window="${SUPERVISE_WINDOW_S:-600}"
stop_timeout="${SUPERVISE_STOP_TIMEOUT_S:-25}"
events="${SUPERVISE_EVENTS:-}"

say() {
  local line
  line="$(date +%H:%M:%S) supervise: $name $*"
  echo "$line"
  [[ -z "$events" ]] || echo "$line" >> "$events"
}

child=""
stop() {
  [[ -n "$child" ]] || exit 0
  kill -TERM "$child" 2> /dev/null
  local i
  for (( i = 0; i < stop_timeout * 10; i++ )); do
    kill -0 "$child" 2> /dev/null || break
    sleep 0.1
  done
  kill -KILL "$child" 2> /dev/null
  wait "$child" 2> /dev/null
  rm -f "$child_pid_file"
  exit 0
}
trap stop TERM INT

restarts=()
while true; do
  "$@" &
  child=$!
  echo "$child" > "$child_pid_file"
  # A TERM or INT during the wait runs stop(), which ends this script.
  wait "$child"
  status=$?
  child=""
  rm -f "$child_pid_file"
  if (( status == 0 )); then
    say "exited with status 0: not restarting"
    exit 0
  fi
  now=$SECONDS
  recent=()
  for t in "${restarts[@]}"; do (( now - t < window )) && recent+=("$t"); done
  restarts=("${recent[@]}")
  if (( ${#restarts[@]} >= max_restarts )); then
    say "exited with status $status after ${#restarts[@]} restarts in ${window} s: not restarting it again"
    exit "$status"
  fi
  delay=$(( 2 << ${#restarts[@]} ))
  (( delay > 30 )) && delay=30
  restarts+=("$now")
  say "exited with status $status; restarting it in ${delay} s (restart ${#restarts[@]} of at most $max_restarts in ${window} s)"
  sleep "$delay" &
  wait $!
done
