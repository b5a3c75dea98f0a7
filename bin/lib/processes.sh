# Shell functions shared by run-local.sh and the deploy checks: logging, building the services, starting them as
# background processes (each logging to its own file), waiting for them, reading their metrics, and stopping
# everything that was started, by process id. Source it from bash with `root` set to the repository root.
#
#   log MESSAGE / die MESSAGE          time-stamped console lines; die exits 1
#   service_jar NAME                   the Quarkus runnable jar of a module
#   module_jar NAME                    the jar of a plain module (kafka-local, local-run)
#   "${model_java_opts[@]}"            JVM options of every process that runs the model (trainer, scorer)
#   OPENBLAS_CORETYPE                  exported: the OpenBLAS kernel type for this CPU (bin/lib/blas-kernel.sh)
#   "${scorer_java_opts[@]}"           the scorer's own JVM options, as deployed (compose, k8s)
#   "${local_service_env[@]}"          environment of a service of a local run: HTTP on 127.0.0.1 only, and the
#                                      trainer's write API open to this machine's users (no token)
#   build_services [MODULES]           ./mvnw package -DskipTests when a jar is missing or older than its sources
#   spawn NAME LOGFILE CMD...          starts CMD in the background, records its pid (also in $pid_dir/NAME.pid)
#   spawn_service NAME LOGFILE CMD...  the same under bin/lib/supervise.sh: restarted when it exits non-zero, as
#                                      compose and Kubernetes do; the service's own pid in $pid_dir/NAME.service.pid
#   wait_for WHAT TIMEOUT_S CMD...     retries CMD every 2 s; fails early when a spawned process died
#   metric PORT NAME                   sum of a metric's samples on a service's /q/metrics (integer)
#   stop_spawned                       SIGTERM to every spawned process, SIGKILL after STOP_TIMEOUT_S (30 s)
#   stop_one NAME                      the same for one spawned process, which is then no longer tracked
#   run_waited CMD... / stop_waited    a long command the traps can interrupt at once
#   kafka_start DIR PORT / kafka_stop DIR   the local broker (bin/kafka-local.sh)

spawned_pids=()
declare -A spawned_names=()
declare -A spawned_logs=()
pid_dir="${pid_dir:-}"

log() { printf '%s %s\n' "$(date +%H:%M:%S)" "$*"; }
die() { log "ERROR: $*" >&2; exit 1; }

# The model's RowsGemm (inference's recurrent products) uses the Vector API, an incubator module of JDK 17; without it
# the model falls back to BLAS: a pass over 4 reviews takes about twice as long, over 16-32 7-22% longer
# (model/README.md). Also in the Dockerfile and the surefire and failsafe configuration.
model_java_opts=(--add-modules jdk.incubator.vector)
# ND4J's OpenBLAS reads its kernel type once, when it loads, and its own CPU detection does not know CPUs newer than
# itself: every process started from here gets the kernel of the widest vector instructions this CPU has
# (bin/lib/blas-kernel.sh; IMDB_BLAS_KERNEL chooses another), whatever the environment said. Also in the Dockerfile.
OPENBLAS_CORETYPE="$("$root/bin/lib/blas-kernel.sh")"
if [[ -n $OPENBLAS_CORETYPE ]]; then export OPENBLAS_CORETYPE; else unset OPENBLAS_CORETYPE; fi
# Every service JVM: a JVM that cannot allocate exits, so that its supervisor starts it again (compose, Kubernetes and
# the Dockerfile's entrypoint do the same).
service_java_opts=(-XX:+ExitOnOutOfMemoryError)
# G1 with a 20 ms pause goal and the JIT compilers at nice 10: what the scorer's latency was measured with
# (scorer/README.md); the same in docker-compose.yml and k8s/base/scorer.yaml.
scorer_java_opts=(-Xmx1g -XX:+UseG1GC -XX:MaxGCPauseMillis=20 -XX:ThreadPriorityPolicy=1 -XX:CompilerThreadPriority=10)

# A local run's services listen on the loopback interface alone: only this machine's users reach them, so the trainer's
# POST and DELETE /experiments need no token there (trainer.api.auth=permit). Deployments require one
# (docs/security.md).
local_service_env=(QUARKUS_HTTP_HOST=127.0.0.1 TRAINER_API_AUTH=permit)

service_jar() { echo "$root/$1/target/quarkus-app/quarkus-run.jar"; }
# A plain module's jar (kafka-local, local-run: each with its runtime classpath in target/lib).
module_jar() { ls "$root/$1/target/$1-"*.jar 2>/dev/null | grep -v -- '-sources\|-tests' | head -n 1; }
kafka_local_jar() { module_jar kafka-local; }

# The modules whose runnable output is missing or older than a source or pom file of the module or of common/model.
stale_modules() {
  local m out newest
  for m in "$@"; do
    if [[ $m == kafka-local || $m == local-run ]]; then out="$(module_jar "$m")"; else out="$(service_jar "$m")"; fi
    if [[ -z "$out" || ! -f "$out" ]]; then
      echo "$m"
      continue
    fi
    newest="$(find "$root/$m/src/main" "$root/$m/pom.xml" "$root/common/src/main" "$root/model/src/main" "$root/encoder/src/main" "$root/pom.xml" \
      -type f -newer "$out" -print -quit 2>/dev/null)"
    [[ -z "$newest" ]] || echo "$m"
  done
}

build_services() { # [modules...]: builds only when needed, says which
  local modules=("$@")
  (( ${#modules[@]} )) || modules=(kafka-local ingestor trainer scorer)
  local stale
  stale="$(stale_modules "${modules[@]}" | paste -sd, -)"
  if [[ -z "$stale" ]]; then
    log "build: up to date, reusing the built jars (${modules[*]})"
    return 0
  fi
  log "build: ./mvnw -B -q package -DskipTests -pl $stale -am (a first build takes several minutes)"
  (cd "$root" && ./mvnw -B -q package -DskipTests -pl "$stale" -am) || die "build failed"
}

spawn() { # name logfile command...
  local name="$1" logfile="$2"; shift 2
  "$@" > "$logfile" 2>&1 < /dev/null &
  local pid=$!
  spawned_pids+=("$pid")
  spawned_names[$pid]="$name"
  spawned_logs[$pid]="$logfile"
  if [[ -n "$pid_dir" ]]; then
    mkdir -p "$pid_dir"
    echo "$pid" > "$pid_dir/$name.pid"
  fi
}

spawn_service() { # name logfile command...
  local name="$1" logfile="$2"; shift 2
  [[ -n "$pid_dir" ]] || die "spawn_service needs pid_dir"
  mkdir -p "$pid_dir"
  spawn "$name" "$logfile" "$root/bin/lib/supervise.sh" "$name" "$pid_dir/$name.service.pid" -- "$@"
}

# The pid of a supervised service's own process (not its supervisor's), or nothing while it is being restarted.
service_pid() { cat "$pid_dir/$1.service.pid" 2> /dev/null || true; }

# Fails (exit 1) naming the first spawned process that is no longer running.
check_spawned() {
  local pid
  for pid in "${spawned_pids[@]}"; do
    if ! kill -0 "$pid" 2> /dev/null; then
      tail -n 15 "${spawned_logs[$pid]}" >&2 || true
      die "${spawned_names[$pid]} exited; see ${spawned_logs[$pid]}"
    fi
  done
}

wait_for() { # description timeout_s command...
  local what="$1" timeout="$2"; shift 2
  local start=$SECONDS
  until "$@" > /dev/null 2>&1; do
    (( SECONDS - start < timeout )) || die "$what: not within ${timeout}s"
    check_spawned
    sleep 2
  done
}

metric() { # port name
  curl -fsS "http://127.0.0.1:$1/q/metrics" | awk -v n="$2" '$1 == n || index($1, n "{") == 1 { s += $NF } END { printf "%d\n", s }'
}

stop_pid() { # pid name: SIGTERM, then SIGKILL after STOP_TIMEOUT_S
  local pid="$1" name="$2" i
  kill -0 "$pid" 2> /dev/null || return 0
  kill -TERM "$pid" 2> /dev/null || return 0
  for (( i = 0; i < ${STOP_TIMEOUT_S:-30} * 10; i++ )); do
    kill -0 "$pid" 2> /dev/null || return 0
    sleep 0.1
  done
  log "$name (pid $pid) still running after ${STOP_TIMEOUT_S:-30}s: killing it"
  kill -KILL "$pid" 2> /dev/null || true
}

# Runs a long command in the background and waits for it. Bash runs a TERM/INT trap only between commands, so a
# `kill <script pid>` during a long foreground command would wait for the command to end before cleaning up;
# during `wait` the trap runs at once, and stop_waited stops the command. CMD must be a program, not a function
# (a function would run in a subshell whose pid is not the program's).
waited_pid=""
run_waited() { # cmd...: returns its exit status
  "$@" &
  waited_pid=$!
  local status=0
  wait "$waited_pid" || status=$?
  waited_pid=""
  return "$status"
}
stop_waited() { # name
  [[ -z "$waited_pid" ]] || stop_pid "$waited_pid" "$1"
  waited_pid=""
}

stop_spawned() { # [names to keep...]
  local pid keep
  for pid in "${spawned_pids[@]}"; do
    for keep in "$@"; do [[ ${spawned_names[$pid]} == "$keep" ]] && continue 2; done
    kill -TERM "$pid" 2> /dev/null || true
  done
  for pid in "${spawned_pids[@]}"; do
    for keep in "$@"; do [[ ${spawned_names[$pid]} == "$keep" ]] && continue 2; done
    stop_pid "$pid" "${spawned_names[$pid]}"
    [[ -z "$pid_dir" ]] || rm -f "$pid_dir/${spawned_names[$pid]}.pid"
  done
}

stop_one() { # name
  local pid kept=()
  for pid in "${spawned_pids[@]}"; do
    if [[ ${spawned_names[$pid]} == "$1" ]]; then
      stop_pid "$pid" "$1"
      [[ -z "$pid_dir" ]] || rm -f "$pid_dir/$1.pid"
    else
      kept+=("$pid")
    fi
  done
  spawned_pids=("${kept[@]}")
}

kafka_start() { # dir port
  KAFKA_LOCAL_DIR="$1" KAFKA_LOCAL_PORT="$2" "$root/bin/kafka-local.sh" start
}
kafka_stop() { # dir
  KAFKA_LOCAL_DIR="$1" "$root/bin/kafka-local.sh" stop > /dev/null 2>&1 || true
}
