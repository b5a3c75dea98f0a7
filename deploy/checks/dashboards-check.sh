#!/usr/bin/env bash
# The dashboards' check against the real system: starts a real Kafka broker (bin/kafka-local.sh), ingests the
# real data (ingestor), starts the trainer and the scorer as processes, runs a tiny experiment (size 100,
# random and glove, two seeds, two epochs), streams the sample reviews (deploy/samples, two of them bad on
# purpose) through the scorer, scrapes both services with a real Prometheus (Debian's package), then expands
# every panel's query of grafana/dashboards with its template variables and fails when one returns no data
# (deploy/checks/dashboards.mjs live). Everything it started is stopped at the end, by process id.
#
# Needs: the modules built (`./mvnw -B verify` or `./mvnw -B package -DskipTests`; built here when missing),
# ../shared/data (IMDB_DATA_DIR), Node.js, and about 8 GB of memory. Took 12 minutes on 2 busy cores (ingest 1, training 6, scoring 2).
# Environment: IMDB_DATA_DIR, DASHBOARD_CHECK_DIR (run/dashboard-check), the ports CHECK_KAFKA_PORT (39092),
# CHECK_TRAINER_PORT (38082), CHECK_SCORER_PORT (38083), CHECK_PROMETHEUS_PORT (39090), TRAIN_TIMEOUT_S (1500),
# SAMPLE_ROUNDS (6: times the 21 sample reviews are sent) and SCORE_TIMEOUT_S (600).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
cd "$root"

data="${IMDB_DATA_DIR:-$root/../shared/data}"
run="${DASHBOARD_CHECK_DIR:-$root/run/dashboard-check}"
kafka_port="${CHECK_KAFKA_PORT:-39092}"
trainer_port="${CHECK_TRAINER_PORT:-38082}"
scorer_port="${CHECK_SCORER_PORT:-38083}"
prometheus_port="${CHECK_PROMETHEUS_PORT:-39090}"
train_timeout="${TRAIN_TIMEOUT_S:-1500}"
bootstrap="127.0.0.1:$kafka_port"
experiment="dashboard-check"

log() { printf '%s %s\n' "$(date +%H:%M:%S)" "$*"; }
die() { log "ERROR: $*" >&2; exit 1; }

[[ -f "$data/aclImdb_v1.tar.gz" ]] || die "no data in $data (set IMDB_DATA_DIR)"
command -v node > /dev/null || die "Node.js is needed for deploy/checks/dashboards.mjs"
if ! command -v prometheus > /dev/null; then
  log "installing Debian's prometheus"
  apt-get update -qq > /dev/null 2>&1 || true
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends prometheus > /dev/null
fi

jar() { echo "$root/$1/target/quarkus-app/quarkus-run.jar"; }
if [[ ! -f "$(jar ingestor)" || ! -f "$(jar trainer)" || ! -f "$(jar scorer)" ]] \
    || ! ls kafka-local/target/kafka-local-*.jar > /dev/null 2>&1; then
  log "building kafka-local, ingestor, trainer and scorer"
  ./mvnw -B -q package -DskipTests -pl kafka-local,ingestor,trainer,scorer -am
fi

rm -rf "$run"
mkdir -p "$run"
pids=()
declare -A names=()
started() { # name: records the last background process
  pids+=($!)
  names[$!]="$1"
}
stop_all() {
  local status=$?
  for pid in "${pids[@]}"; do
    kill -TERM "$pid" 2> /dev/null || true
  done
  for pid in "${pids[@]}"; do
    for _ in $(seq 1 300); do
      kill -0 "$pid" 2> /dev/null || break
      sleep 0.1
    done
    kill -KILL "$pid" 2> /dev/null || true
  done
  KAFKA_LOCAL_DIR="$run/kafka" bin/kafka-local.sh stop > /dev/null 2>&1 || true
  if [[ $status -ne 0 ]]; then
    log "failed; logs in $run"
  fi
}
trap stop_all EXIT

wait_for() { # description timeout_s command...
  local what="$1" timeout="$2"; shift 2
  local start=$SECONDS
  until "$@" > /dev/null 2>&1; do
    (( SECONDS - start < timeout )) || die "$what: not within ${timeout}s"
    for pid in "${pids[@]}"; do
      kill -0 "$pid" 2> /dev/null || die "${names[$pid]} exited; see $run/${names[$pid]}.log"
    done
    sleep 2
  done
}
metric() { # port name: the sum of a metric's samples on a service's /q/metrics
  curl -fsS "http://127.0.0.1:$1/q/metrics" | awk -v n="$2" '$1 == n || index($1, n "{") == 1 { s += $NF } END { printf "%d\n", s }'
}

log "Kafka on $bootstrap"
KAFKA_LOCAL_DIR="$run/kafka" KAFKA_LOCAL_PORT="$kafka_port" bin/kafka-local.sh start

log "ingesting $data"
OMP_NUM_THREADS=1 java -Xmx3g -jar "$(jar ingestor)" --data-dir "$data" --bootstrap-servers "$bootstrap" \
  > "$run/ingestor.log" 2>&1 || { tail -n 20 "$run/ingestor.log"; die "ingestor failed"; }

cat > "$run/prometheus.yml" <<EOF
global:
  scrape_interval: 2s
  scrape_timeout: 2s
scrape_configs:
  - job_name: trainer
    metrics_path: /q/metrics
    static_configs: [{targets: ["127.0.0.1:$trainer_port"]}]
  - job_name: scorer
    metrics_path: /q/metrics
    static_configs: [{targets: ["127.0.0.1:$scorer_port"]}]
EOF
promtool check config "$run/prometheus.yml" > /dev/null
start_epoch=$(date +%s)
prometheus --config.file="$run/prometheus.yml" --storage.tsdb.path="$run/prometheus" \
  --web.listen-address="127.0.0.1:$prometheus_port" > "$run/prometheus.log" 2>&1 &
started prometheus

log "trainer on :$trainer_port, scorer on :$scorer_port"
# Topics: the ingestor made them all (dev.imdbstream.common.kafka.Topics), as the topics job does in compose and k8s.
QUARKUS_HTTP_PORT="$trainer_port" KAFKA_BOOTSTRAP_SERVERS="$bootstrap" TRAINER_RUNS_PARALLEL=2 TRAINER_KAFKA_CREATE_TOPICS=false \
  TRAINER_RUNS_CHECKPOINT_DIR="$run/trainer/checkpoints" TRAINER_REPORT_DIR="$run/trainer/reports" \
  OMP_NUM_THREADS=1 java -Xmx2g -Djava.awt.headless=true -jar "$(jar trainer)" > "$run/trainer.log" 2>&1 &
started trainer
QUARKUS_HTTP_PORT="$scorer_port" QUARKUS_KAFKA_STREAMS_BOOTSTRAP_SERVERS="$bootstrap" SCORER_CREATE_TOPICS=false OMP_NUM_THREADS=1 \
  java -Xmx1g -Dkafka-streams.state.dir="$run/scorer-state" -jar "$(jar scorer)" > "$run/scorer.log" 2>&1 &
started scorer
wait_for "Prometheus ready" 60 curl -fsS "http://127.0.0.1:$prometheus_port/-/ready"
wait_for "trainer ready" 180 curl -fsS "http://127.0.0.1:$trainer_port/q/health/ready"
wait_for "scorer ready" 180 curl -fsS "http://127.0.0.1:$scorer_port/q/health/ready"

body='{"experimentId":"'$experiment'","sizes":[100],"variants":["random","glove"],"seeds":[1,2],
       "hyperparameters":{"maxEpochs":2,"validationSize":200,"testSize":500}}'
start_experiment() {
  local code
  code=$(curl -sS -o "$run/experiment.json" -w '%{http_code}' -H 'Content-Type: application/json' -d "$body" \
    "http://127.0.0.1:$trainer_port/experiments")
  [[ $code == 202 ]] || grep -q "exists already" "$run/experiment.json"
}
wait_for "POST /experiments accepted (the trainer sees the data set)" 120 start_experiment
log "experiment $experiment: $(cat "$run/experiment.json")"

finished() {
  curl -fsS "http://127.0.0.1:$trainer_port/experiments/$experiment" > "$run/experiment-state.json" \
    && grep -q '"finished":true' "$run/experiment-state.json"
}
wait_for "experiment finished" "$train_timeout" finished
grep -q '"failed":0' "$run/experiment-state.json" || log "warning: some runs failed: $(cat "$run/experiment-state.json")"
log "experiment finished"

models_loaded() { (( $(metric "$scorer_port" scorer_models_selected) >= 1 )); }
wait_for "scorer loaded a model" 180 models_loaded

lines=$(grep -c '' deploy/samples/reviews.jsonl)
rounds="${SAMPLE_ROUNDS:-6}"
log "streaming $rounds x $lines sample reviews"
sent=$(java -cp "$(ls kafka-local/target/kafka-local-*.jar | grep -v -- '-sources\|-tests' | head -n 1):kafka-local/target/lib/*" \
  "$here/SendReviews.java" "$bootstrap" deploy/samples/reviews.jsonl "$rounds" 3000)
out() { echo $(( $(metric "$scorer_port" scorer_predictions_total) + $(metric "$scorer_port" scorer_dlq_total) )); }
all_out() { (( $(out) >= sent )); }
# The dashboards need some predictions and dead letters, not all of them: a slow (loaded) machine only warns.
if ! (wait_for "a prediction or a dead letter for each of the $sent reviews" "${SCORE_TIMEOUT_S:-600}" all_out); then
  (( $(metric "$scorer_port" scorer_predictions_total) > 0 )) || die "the scorer predicted nothing"
  log "warning: only $(out) of $sent reviews came out; going on"
fi
log "scored: $(metric "$scorer_port" scorer_predictions_total) predictions, $(metric "$scorer_port" scorer_dlq_total) dead letters"
# A few more scrapes so that the last values and rates are in Prometheus.
sleep 10

node "$here/dashboards.mjs" live "http://127.0.0.1:$prometheus_port" "$start_epoch" | tee "$run/dashboards.txt"
