#!/usr/bin/env bash
# The dashboards' check against the real system: starts a real Kafka broker (bin/kafka-local.sh), ingests the
# real data (ingestor), starts the trainer and the scorer as processes, runs a tiny experiment (size 100,
# random and glove, two seeds, two epochs), streams the sample reviews (deploy/samples, two of them bad on
# purpose) through the scorer, scrapes both services with a real Prometheus (Debian's package), then expands
# every panel's query of grafana/dashboards with its template variables and fails when one returns no data
# (deploy/checks/dashboards.mjs live). Everything it started is stopped at the end, by process id.
#
# Runs in CI (.ci/run). Needs: the modules built (`./mvnw -B verify` or `./mvnw -B package -DskipTests`; built here when missing),
# ../shared/data (IMDB_DATA_DIR), Node.js, and about 8 GB of memory. How long it
# takes: docs/benchmarks.md.
# Environment: IMDB_DATA_DIR, DASHBOARD_CHECK_DIR (run/dashboard-check), the ports CHECK_KAFKA_PORT (26092),
# CHECK_TRAINER_PORT (26082), CHECK_SCORER_PORT (26083), CHECK_PROMETHEUS_PORT (26090), TRAIN_TIMEOUT_S (1500),
# SAMPLE_ROUNDS (6: times the 21 sample reviews are sent) and SCORE_TIMEOUT_S (600).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
cd "$root"

data="${IMDB_DATA_DIR:-$root/../shared/data}"
run="${DASHBOARD_CHECK_DIR:-$root/run/dashboard-check}"
# Below Linux's ephemeral range (32768-60999): a client connection's local port there once took the trainer's port.
kafka_port="${CHECK_KAFKA_PORT:-26092}"
trainer_port="${CHECK_TRAINER_PORT:-26082}"
scorer_port="${CHECK_SCORER_PORT:-26083}"
prometheus_port="${CHECK_PROMETHEUS_PORT:-26090}"
train_timeout="${TRAIN_TIMEOUT_S:-1500}"
bootstrap="127.0.0.1:$kafka_port"
experiment="dashboard-check"

# shellcheck source=../../bin/lib/processes.sh
source "$root/bin/lib/processes.sh"

[[ -f "$data/aclImdb_v1.tar.gz" ]] || die "no data in $data (set IMDB_DATA_DIR)"
# Debian's packages where missing (CI runs as root on a bare machine): Node.js for dashboards.mjs, Prometheus.
missing=()
command -v node > /dev/null || missing+=(nodejs)
command -v prometheus > /dev/null || missing+=(prometheus)
if (( ${#missing[@]} )); then
  log "installing Debian's ${missing[*]}"
  apt-get update -qq > /dev/null 2>&1 || true
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" > /dev/null \
    || die "could not install ${missing[*]} (needs root and Debian's package sources)"
fi

build_services kafka-local ingestor trainer scorer

rm -rf "$run"
mkdir -p "$run"
stop_all() {
  local status=$?
  stop_spawned
  kafka_stop "$run/kafka"
  if [[ $status -ne 0 ]]; then
    log "failed; logs in $run"
  fi
}
trap stop_all EXIT

log "Kafka on $bootstrap"
kafka_start "$run/kafka" "$kafka_port"

log "ingesting $data"
OMP_NUM_THREADS=1 java -Xmx3g -jar "$(service_jar ingestor)" --data-dir "$data" --bootstrap-servers "$bootstrap" \
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
spawn prometheus "$run/prometheus.log" prometheus --config.file="$run/prometheus.yml" \
  --storage.tsdb.path="$run/prometheus" --web.listen-address="127.0.0.1:$prometheus_port"

log "trainer on :$trainer_port, scorer on :$scorer_port"
# Topics: the ingestor made them all (dev.imdbstream.common.kafka.Topics), as the topics job does in compose and k8s.
spawn trainer "$run/trainer.log" env "${local_service_env[@]}" QUARKUS_HTTP_PORT="$trainer_port" KAFKA_BOOTSTRAP_SERVERS="$bootstrap" \
  TRAINER_RUNS_PARALLEL=2 TRAINER_KAFKA_CREATE_TOPICS=false TRAINER_RUNS_CHECKPOINT_DIR="$run/trainer/checkpoints" \
  TRAINER_REPORT_DIR="$run/trainer/reports" OMP_NUM_THREADS=1 java "${model_java_opts[@]}" -Xmx2g -Djava.awt.headless=true -jar "$(service_jar trainer)"
spawn scorer "$run/scorer.log" env "${local_service_env[@]}" QUARKUS_HTTP_PORT="$scorer_port" QUARKUS_KAFKA_STREAMS_BOOTSTRAP_SERVERS="$bootstrap" \
  SCORER_CREATE_TOPICS=false OMP_NUM_THREADS=1 java "${model_java_opts[@]}" -Xmx1g -Dkafka-streams.state.dir="$run/scorer-state" -jar "$(service_jar scorer)"
wait_for "Prometheus ready" 60 curl -fsS "http://127.0.0.1:$prometheus_port/-/ready"
wait_for "trainer ready" 180 curl -fsS "http://127.0.0.1:$trainer_port/q/health/ready"
wait_for "scorer ready" 180 curl -fsS "http://127.0.0.1:$scorer_port/q/health/ready"

# Two seeds: the comparison dashboard's sample sd and 95% interval are NaN (no data) for a cell of one seed.
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
sent=$(java -cp "$(kafka_local_jar):kafka-local/target/lib/*" \
  "$here/SendReviews.java" "$bootstrap" deploy/samples/reviews.jsonl "$rounds" 3000)
out() { echo $(( $(metric "$scorer_port" scorer_predictions_total) + $(metric "$scorer_port" scorer_dlq_total) )); }
all_out() { (( $(out) >= sent )); }
# The dashboards need some predictions and dead letters, not all of them: a slow (loaded) machine only warns.
if ! (wait_for "a prediction or a dead letter for each of the $sent reviews" "${SCORE_TIMEOUT_S:-600}" all_out); then
  (( $(metric "$scorer_port" scorer_predictions_total) > 0 )) || die "the scorer predicted nothing"
  log "warning: only $(out) of $sent reviews came out; going on"
fi
log "scored: $(metric "$scorer_port" scorer_predictions_total) predictions, $(metric "$scorer_port" scorer_dlq_total) dead letters"
# Micrometer's Kafka binder looks for new client metrics once a minute, so the per-partition consumer lag of a
# freshly assigned scorer shows up to 60 s late; on a fast machine the whole check is shorter than that.
lag_exported() { curl -fsS "http://127.0.0.1:$scorer_port/q/metrics" | grep '^kafka_consumer_fetch_manager_records_lag{.*topic="reviews"' > /dev/null; }
wait_for "the scorer exports its consumer lag on reviews" 90 lag_exported
# A few more scrapes so that the last values and rates are in Prometheus.
sleep 10

node "$here/dashboards.mjs" live "http://127.0.0.1:$prometheus_port" "$start_epoch" | tee "$run/dashboards.txt"
