#!/usr/bin/env bash
# Fault injection against the real system: a real Kafka broker (bin/kafka-local.sh), the ingestor, and the trainer and
# the scorer as processes under bin/lib/supervise.sh (restarted when they exit with an error, as compose and Kubernetes
# do), on real data. Each scenario injects one fault, prints its figures and checks what the reliability table
# (docs/reliability.md) promises; the suite ends with `N passed, N failed`.
#
#   outage        the broker stopped for FAULT_OUTAGE_S (120 s) while an experiment trains and reviews are scored:
#                 every run ends with one SUCCEEDED result and each epoch once; every review has exactly one output
#                 (read committed); nothing was restarted; the time to recover is printed
#   trainer-kill  the trainer killed (SIGKILL) mid-run: restarted, the run resumes after its last checkpointed
#                 epoch (printed), one result, each epoch once
#   model-swap    a broken artifact and an unreadable record on `models`: rejected (counted), scoring goes on with
#                 the model it had; then the scorer killed (SIGKILL) right after a new best model is published:
#                 restarted, it swaps to the new model, every review has exactly one output
#   thread-death  a stream thread of the scorer killed by an error (bytes that are not a pending review in its store's
#                 changelog): the process exits with status 1 within 10 s and is restarted, and scores again once the
#                 store is repaired; a trainer fenced by a second instance with its static member id exits with status 1
#   catch-up      (only with FAULT_CATCH_UP=N) the scorer stopped while N reviews are sent, then started with its
#                 production heap: it catches up without running out of memory; peak heap, pending reviews and
#                 the catch-up rate printed
#
# Needs Java 17, curl and ../shared/data (FAULT_DATA_DIR); builds what is not built. Environment: FAULT_DIR (run/fault),
# FAULT_SCENARIOS (outage,trainer-kill,model-swap,thread-death), FAULT_KAFKA_PORT (25092), FAULT_TRAINER_PORT
# (25082), FAULT_SCORER_PORT (25083), FAULT_TRAINER2_PORT (25084), FAULT_OUTAGE_S (120), FAULT_CATCH_UP (0).
set -uo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
cd "$root"
# shellcheck source=../../bin/lib/processes.sh
source "$root/bin/lib/processes.sh"

dir="${FAULT_DIR:-$root/run/fault}"
kafka_port="${FAULT_KAFKA_PORT:-25092}"
trainer_port="${FAULT_TRAINER_PORT:-25082}"
scorer_port="${FAULT_SCORER_PORT:-25083}"
trainer2_port="${FAULT_TRAINER2_PORT:-25084}"
outage_s="${FAULT_OUTAGE_S:-120}"
catch_up="${FAULT_CATCH_UP:-0}"
scenarios="${FAULT_SCENARIOS:-outage,trainer-kill,model-swap,thread-death}"
(( catch_up > 0 )) && scenarios+=",catch-up"
data="${FAULT_DATA_DIR:-$root/../shared/data}"
bootstrap="127.0.0.1:$kafka_port"
trainer_url="http://127.0.0.1:$trainer_port"
scorer_url="http://127.0.0.1:$scorer_port"
changelog="imdb-scorer-scorer-pending-changelog"

# shellcheck source=lib.sh
source "$here/lib.sh"
wants() { [[ ",$scenarios," == *",$1,"* ]]; }

rm -rf "$dir"
mkdir -p "$dir/logs"
pid_dir="$dir/pids"
logs="$dir/logs"
export SUPERVISE_EVENTS="$logs/events.log"
touch "$SUPERVISE_EVENTS"

cleanup() {
  local status=$?
  trap - EXIT INT TERM
  stop_spawned
  kafka_stop "$dir/kafka"
  exit "$status"
}
trap cleanup EXIT
trap 'log "interrupted"; exit 130' INT TERM

# ---- build and tools ----
build_services kafka-local ingestor trainer scorer
tool_cp="$(ls "$root"/common/target/common-*.jar | grep -v -- '-sources\|-tests' | head -n 1):$root/kafka-local/target/lib/*"
mkdir -p "$dir/tools"
javac -nowarn -d "$dir/tools" -cp "$tool_cp" "$here/FaultProbe.java" || die "cannot compile the tools"
probe() { java -Dlog4j2.statusLoggerLevel=OFF -cp "$dir/tools:$tool_cp" FaultProbe "$@"; }

healthy() { curl -fsS "$1/q/health/ready" > /dev/null 2>&1; }
live_status() { curl -s -o /dev/null -w '%{http_code}' "$1/q/health/live" 2> /dev/null || true; }
events_count() { grep -cE "supervise: $1 exited with status $2[ ;]" "$SUPERVISE_EVENTS" 2> /dev/null || true; }
exits_of() { grep -c "supervise: $1 exited" "$SUPERVISE_EVENTS" 2> /dev/null || true; }
clock_s() { local h m s; IFS=: read -r h m s <<< "$1"; echo $(( 10#$h * 3600 + 10#$m * 60 + 10#${s%%[.,]*} )); }

start_trainer() { # name port [group instance id]
  spawn_service "$1" "$logs/$1.log" env "${local_service_env[@]}" QUARKUS_HTTP_PORT="$2" KAFKA_BOOTSTRAP_SERVERS="$bootstrap" \
    TRAINER_RUNS_PARALLEL=2 TRAINER_KAFKA_CREATE_TOPICS=false TRAINER_KAFKA_GROUP_INSTANCE_ID="${3:-}" \
    TRAINER_RUNS_CHECKPOINT_DIR="$dir/checkpoints" TRAINER_REPORT_DIR="$dir/reports" \
    java "${service_java_opts[@]}" "${model_java_opts[@]}" -Xmx2g -Djava.awt.headless=true -jar "$(service_jar trainer)"
}
start_scorer() { # [heap]
  spawn_service scorer "$logs/scorer.log" env "${local_service_env[@]}" QUARKUS_HTTP_PORT="$scorer_port" \
    QUARKUS_KAFKA_STREAMS_BOOTSTRAP_SERVERS="$bootstrap" SCORER_CREATE_TOPICS=false \
    java "${service_java_opts[@]}" "${model_java_opts[@]}" "${scorer_java_opts[@]}" ${1:+"$1"} \
    -Xlog:gc:file="$logs/scorer-gc.log" -Dkafka-streams.state.dir="$dir/scorer-state" \
    -jar "$(service_jar scorer)"
}
experiment() { # id body-json
  curl -fsS -XPOST "$trainer_url/experiments" -H 'content-type: application/json' -d "$2" > /dev/null
}
epochs_of() { probe epochs "$bootstrap" "$1" 2> /dev/null; }
min_epochs() { # experiment n: every job published at least n epochs
  local out; out="$(epochs_of "$1")"
  [[ -n "$out" ]] && awk -v n="$2" '$2 < n { bad = 1 } END { exit bad }' <<< "$out"
}

# ---- the system ----
log "broker on $bootstrap"
kafka_start "$dir/kafka" "$kafka_port" > /dev/null || die "Kafka did not start; see $dir/kafka/kafka.out"
log "ingesting $data"
java "${service_java_opts[@]}" -Xmx1g -jar "$(service_jar ingestor)" --data-dir "$data" --bootstrap-servers "$bootstrap" \
  > "$logs/ingestor.log" 2>&1 || { tail -n 20 "$logs/ingestor.log"; die "the ingestor failed"; }
start_trainer trainer "$trainer_port" fault-trainer-0
start_scorer
wait_for "trainer ready" 300 healthy "$trainer_url"
wait_for "scorer ready" 300 healthy "$scorer_url"
log "trainer and scorer ready"

# A first model, so that reviews are scored from the start.
experiment seed '{"experimentId":"fault-seed","sizes":[100],"variants":["random"],"seeds":[1],
  "hyperparameters":{"maxEpochs":1,"validationSize":200,"testSize":200}}' || die "POST /experiments failed"
probe runs "$bootstrap" fault-seed 600 > "$logs/seed-runs.txt" || die "the first model was not trained: $(cat "$logs/seed-runs.txt")"
wait_for "the scorer's first model" 120 bash -c "(( \$(curl -fsS $scorer_url/q/metrics | awk '/^scorer_models_selected/ {print int(\$2)}') >= 1 ))"

# ---- outage ----
if wants outage; then
  log "== outage: the broker down ${outage_s} s while an experiment trains and reviews are scored"
  experiment outage '{"experimentId":"fault-outage","sizes":[300],"variants":["random","glove"],"seeds":[1],
    "hyperparameters":{"maxEpochs":8,"patience":8,"validationSize":300,"testSize":1000}}'
  wait_for "two epochs of each run" 600 min_epochs fault-outage 2
  probe send "$bootstrap" "$data" outage 4000 | sed 's/^/     /'
  sleep 3
  scorer_pid_before="$(service_pid scorer)"
  trainer_pid_before="$(service_pid trainer)"
  log "stopping the broker"
  kafka_stop "$dir/kafka"
  sleep "$outage_s"
  log "starting the broker again"
  up_at=$SECONDS
  kafka_start "$dir/kafka" "$kafka_port" > /dev/null || die "Kafka did not start again"
  probe outputs "$bootstrap" outage 4000 900 > "$logs/outage-outputs.txt"
  outputs_status=$?
  recovered_s=$(( SECONDS - up_at ))
  sed 's/^/     /' "$logs/outage-outputs.txt"
  figure "every review's output was out ${recovered_s} s after the broker came back"
  check "outage: every review has exactly one output (predictions + dead letters = inputs, no duplicates)" test "$outputs_status" -eq 0
  probe runs "$bootstrap" fault-outage 1200 > "$logs/outage-runs.txt"
  runs_status=$?
  sed 's/^/     /' "$logs/outage-runs.txt"
  check "outage: every run ended with one SUCCEEDED result and published each epoch once" test "$runs_status" -eq 0
  check "outage: the scorer rode it out (same process, no restart)" test "$(service_pid scorer)" = "$scorer_pid_before"
  check "outage: the trainer rode it out (same process, no restart)" test "$(service_pid trainer)" = "$trainer_pid_before"
  retries="$(grep -c 'trying the run again from its last checkpoint' "$logs/trainer.log" || true)"
  figure "trainer: runs tried again from their checkpoint $retries times (trainer_runs_retries_total)"
  check "outage: trainer and scorer healthy afterwards" bash -c "curl -fsS $trainer_url/q/health/ready && curl -fsS $scorer_url/q/health/ready"
fi

# ---- trainer-kill ----
if wants trainer-kill; then
  log "== trainer-kill: SIGKILL to the trainer in the middle of a run"
  experiment kill '{"experimentId":"fault-kill","sizes":[300],"variants":["random"],"seeds":[2],
    "hyperparameters":{"maxEpochs":6,"patience":6,"validationSize":300,"testSize":1000}}'
  wait_for "two epochs" 600 min_epochs fault-kill 2
  killed_after="$(epochs_of fault-kill | awk '{print $2}')"
  kill -KILL "$(service_pid trainer)"
  log "killed the trainer after epoch $killed_after was published"
  probe runs "$bootstrap" fault-kill 900 > "$logs/kill-runs.txt"
  runs_status=$?
  sed 's/^/     /' "$logs/kill-runs.txt"
  resumed="$(grep -o 'resuming after epoch [0-9]*' "$logs/trainer.log" | tail -n 1)"
  figure "the restarted trainer: ${resumed:-did not resume from a checkpoint}"
  check "trainer-kill: the supervisor restarted the trainer (status 137)" test "$(events_count trainer 137)" -ge 1
  check "trainer-kill: the run resumed from its checkpoint" test -n "$resumed"
  check "trainer-kill: one SUCCEEDED result, each epoch once" test "$runs_status" -eq 0
fi

# ---- model-swap ----
if wants model-swap; then
  log "== model-swap: a broken artifact, then the scorer killed during a swap"
  models_before="$(curl -fsS "$scorer_url/q/health/ready" | tr -d ' \n' | grep -o '"scoring":"[^"]*"')"
  rejected_before="$(metric "$scorer_port" scorer_model_rejected_total)"
  probe corrupt-artifact "$bootstrap" broken-model | sed 's/^/     /'
  wait_for "the broken artifact counted" 120 bash -c "(( \$(curl -fsS $scorer_url/q/metrics | awk '/^scorer_model_rejected_total/ {s+=\$2} END {print int(s)}') > $rejected_before ))"
  probe send "$bootstrap" "$data" corrupt 300 > /dev/null
  probe outputs "$bootstrap" corrupt 300 300 > "$logs/corrupt-outputs.txt"
  outputs_status=$?
  sed 's/^/     /' "$logs/corrupt-outputs.txt"
  check "model-swap: the broken artifact was rejected and counted" test "$(metric "$scorer_port" scorer_model_rejected_total)" -gt "$rejected_before"
  check "model-swap: scoring went on with the models it had ($models_before)" test "$outputs_status" -eq 0
  check "model-swap: no prediction names the broken model" bash -c "! grep -q broken-model $logs/corrupt-outputs.txt"
  check "model-swap: still scoring with the same models" \
    test "$(curl -fsS "$scorer_url/q/health/ready" | tr -d ' \n' | grep -o '"scoring":"[^"]*"')" = "$models_before"

  best="$(sed 's/.*"scoring":"\([^",]*\).*/\1/' <<< "$models_before")"
  probe send "$bootstrap" "$data" swap 2000 > /dev/null
  probe copy-artifact "$bootstrap" "$best" swapped-model | sed 's/^/     /'
  sleep 1
  kill -KILL "$(service_pid scorer)"
  log "killed the scorer 1 s after publishing a new best model (a copy of $best)"
  probe outputs "$bootstrap" swap 2000 600 > "$logs/swap-outputs.txt"
  outputs_status=$?
  sed 's/^/     /' "$logs/swap-outputs.txt"
  check "model-swap: the supervisor restarted the scorer (status 137)" test "$(events_count scorer 137)" -ge 1
  check "model-swap: every review has exactly one output across the kill" test "$outputs_status" -eq 0
  wait_for "scorer ready again" 300 healthy "$scorer_url"
  # Ready means scoring with the models read so far: the restarted scorer may become ready on the older ones and reach
  # the new record of the models topic seconds later, so give it time.
  swap_deadline=$(( SECONDS + 120 ))
  until curl -fsS "$scorer_url/q/health/ready" | grep -q swapped-model || (( SECONDS > swap_deadline )); do
    sleep 2
  done
  check "model-swap: the restarted scorer swapped to the new model (within 120 s of being ready)" \
    bash -c "curl -fsS $scorer_url/q/health/ready | grep -q swapped-model"
fi

# ---- thread-death ----
if wants thread-death; then
  log "== thread-death: a stream thread killed by an error; a trainer fenced by its twin"
  stop_one scorer
  probe corrupt-store "$bootstrap" "$changelog" | sed 's/^/     /'
  : > "$logs/scorer.log"
  start_scorer
  started_at=$SECONDS
  saw_down=false
  until (( $(events_count scorer 1) >= 1 )) || (( SECONDS - started_at > 180 )); do
    [[ "$(live_status "$scorer_url")" == 503 ]] && saw_down=true
    sleep 0.5
  done
  replaced="$(grep -c 'a Kafka Streams thread died.*: replacing it' "$logs/scorer.log" || true)"
  first_death="$(grep -m1 'a Kafka Streams thread died' "$logs/scorer.log" | cut -c12-19)"
  exited="$(grep -m1 -E 'supervise: scorer exited with status 1[ ;]' "$SUPERVISE_EVENTS" | cut -c1-8)"
  to_exit=$(( $(clock_s "${exited:-0:0:0}") - $(clock_s "${first_death:-0:0:0}") ))
  figure "stream threads replaced: $replaced; from the first thread's death ($first_death) to the exit ($exited): ${to_exit} s"
  figure "liveness answered 503 before the exit: $saw_down"
  check "thread-death: the scorer exited with status 1 (and its supervisor restarts it)" test "$(events_count scorer 1)" -ge 1
  check "thread-death: gone (DOWN) within 10 s of the first thread's death" test "$to_exit" -le 10
  probe repair-store "$bootstrap" "$changelog" | sed 's/^/     /'
  wait_for "scorer ready after the repair" 300 healthy "$scorer_url"
  probe send "$bootstrap" "$data" repaired 200 > /dev/null
  probe outputs "$bootstrap" repaired 200 300 > "$logs/repaired-outputs.txt"
  repaired_status=$?
  check "thread-death: after the repair the restarted scorer scores again" test "$repaired_status" -eq 0

  start_trainer trainer-twin "$trainer2_port" fault-trainer-0
  twin_at=$SECONDS
  until (( $(events_count trainer 1) >= 1 )) || (( SECONDS - twin_at > 120 )); do sleep 1; done
  figure "the fenced trainer exited $(( SECONDS - twin_at )) s after its twin started"
  check "thread-death: the trainer fenced by a second instance with its member id exited with status 1" \
    test "$(events_count trainer 1)" -ge 1
  check "thread-death: its job consumer said why" grep -q 'the job consumer stopped' "$logs/trainer.log"
  stop_one trainer-twin
  wait_for "trainer ready after its twin left" 300 healthy "$trainer_url"
fi

# ---- catch-up ----
if wants catch-up; then
  log "== catch-up: $catch_up reviews sent while the scorer is stopped, then started with its production heap"
  stop_one scorer
  probe send "$bootstrap" "$data" catchup "$catch_up" | sed 's/^/     /'
  : > "$logs/scorer.log"
  exits_before="$(exits_of scorer)"
  start_scorer
  started_at=$SECONDS
  ( while sleep 2; do curl -fsS "$scorer_url/q/metrics" 2> /dev/null | grep '^scorer_pending_reviews '; done \
      > "$logs/catch-up-pending.txt" ) &
  sampler=$!
  probe outputs "$bootstrap" catchup "$catch_up" 7200 > "$logs/catch-up-outputs.txt"
  outputs_status=$?
  took=$(( SECONDS - started_at ))
  kill "$sampler" 2> /dev/null
  peak_pending="$(awk '$2 > p {p = $2} END {print int(p)}' "$logs/catch-up-pending.txt")"
  # From the GC log: the most heap in use before a collection, and the most still in use after one (live data).
  read -r peak_heap peak_live < <(grep -oE '[0-9]+M->[0-9]+M\([0-9]+M\)' "$logs/scorer-gc.log" \
    | awk -F'[M>(-]+' '$1 + 0 > b {b = $1 + 0} $2 + 0 > a {a = $2 + 0} END {print b + 0, a + 0}')
  sed 's/^/     /' "$logs/catch-up-outputs.txt"
  figure "caught up $catch_up reviews in ${took} s from the scorer's start ($(( catch_up / (took > 0 ? took : 1) )) reviews/s)"
  figure "heap (-Xmx1g): at most ${peak_heap} MiB in use before a collection, ${peak_live} MiB after one;"\
    "at most $peak_pending reviews pending (sampled every 2 s; 6 tasks x scorer.max-pending 2000)"
  check "catch-up: every review has exactly one output" test "$outputs_status" -eq 0
  check "catch-up: the scorer never exited (no out-of-memory exit, no restart)" test "$(exits_of scorer)" -eq "$exits_before"
fi

summary
