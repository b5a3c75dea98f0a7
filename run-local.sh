#!/usr/bin/env bash
# The whole system on this machine, with nothing but Java 17 (and curl): builds what is not built, starts a real
# Kafka broker on 127.0.0.1, ingests the IMDB data, starts the trainer and the scorer, runs the experiment (subset
# sizes x embedding variants x seeds) through the trainer's REST API while showing every run's epochs, streams
# labelled test reviews through the scorer and shows its throughput and accuracy, then prints where the report is.
# Everything it started is stopped at the end or on Ctrl-C (--keep-running leaves the broker and the scorer up).
#
#   ./run-local.sh                      the default experiment: sizes 100,500,1000 x random,glove x 1 seed
#   ./run-local.sh --full               the notebook's grid with 3 seeds
#   ./run-local.sh --sizes 100 --variants random --epochs 2 --test-size 500 --reviews 100    a short run
#   ./run-local.sh --stop               stops what an earlier --keep-running left up
#   ./run-local.sh --help
#
# Run folder: runs/<timestamp>/ (logs/, the trainer's report/, checkpoints, stages.txt); runs/latest links to it.
# The broker's data stays in runs/kafka (KAFKA_DATA_DIR) so that a second run reuses the ingested topics
# (--fresh-kafka starts from an empty broker).
# The body is one block, read whole before it runs, so that editing this file during a run cannot derail it.
{
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cd "$root"
# shellcheck source=bin/lib/processes.sh
source "$root/bin/lib/processes.sh"

usage() {
  cat <<'EOF'
Usage: ./run-local.sh [options]
  --sizes LIST         training subset sizes (default 100,500,1000)
  --variants LIST      variants: random, glove, glove-frozen, tfidf-logreg, minilm-logreg, tfidf-minilm-logreg, or
                       an embedding the data set offers with or without -frozen, e.g. word2vec-imdb-100d (see
                       --word2vec) (default random,glove); the two *minilm-logreg make the ingestor encode every train
                       and test review with all-MiniLM-L6-v2 once per data set (40 min on 2 cores; later runs reuse
                       the vectors)
  --seeds N|LIST       number of seeds, or the list (default 1)
  --full               the notebook's full study: 3 seeds (sizes and variants as given)
  --epochs N           maximum epochs per run (default 20, early stopping on validation loss)
  --learning-rate X    AdamW learning rate (default 1e-4, the notebook's)
  --batch-size N       mini-batch size (default 32)
  --lstm IMPL          the BiLSTM implementation: auto (fast on CPU, stock on CUDA), stock, fast
  --balanced           label-balanced training subsets (half positive, half negative; default: a plain random draw)
  --patience N         epochs without validation-loss improvement before stopping (default 5)
  --validation-size N  held-out training reviews for validation (default 2000)
  --test-size N        test reviews each run is evaluated on (default 0 = all 25,000)
  --parallel N         runs trained at once (default 2)
  --reviews N          labelled test reviews streamed through the scorer (default 500; 0 skips)
  --data DIR           the data folder (default ../shared/data, else ~/.cache/imdb-stream)
  --download           download missing data into ~/.cache/imdb-stream (the ingestor checks sha256)
  --word2vec           the ingestor also trains word2vec vectors on the train and unsup reviews and publishes
                       them as word2vec-imdb-100d (several minutes of CPU; INGEST_WORD2VEC_* settings); a data set
                       already on the broker without them is ingested again
  --run-dir DIR        the run folder (default runs/<timestamp>)
  --fresh-kafka        empty the broker's data first (re-ingests)
  --keep-running       leave the broker and the scorer up at the end (stop them with --stop)
  --stop               stop what an earlier --keep-running left up, and exit
  --kafka-port P --trainer-port P --scorer-port P    (defaults 9092, 8082, 8083)
  --train-timeout S    give up on the experiment after S seconds (default 7200)
  --experiment ID      the experiment id (default local-<timestamp>)
EOF
}

sizes="100,500,1000"
variants="random,glove"
seeds="1"
epochs=""
learning_rate=""
batch_size=""
patience=""
lstm=auto
balanced=""
experiment=""
validation_size=""
test_size=""
parallel=2
reviews=500
data=""
download=false
word2vec=false
run_dir=""
fresh_kafka=false
keep_running=false
kafka_port="${KAFKA_PORT:-9092}"
trainer_port="${TRAINER_PORT:-8082}"
scorer_port="${SCORER_PORT:-8083}"
train_timeout=7200
kafka_dir="${KAFKA_DATA_DIR:-$root/runs/kafka}"

stop_left_running() {
  local dir="$root/runs/latest" f
  [[ -d "$dir/pids" ]] || { echo "nothing left running (no runs/latest/pids)"; return 0; }
  for f in "$dir"/pids/*.pid; do
    # A supervisor stops its service itself.
    [[ -f "$f" && $f != *.service.pid ]] || continue
    stop_pid "$(cat "$f")" "$(basename "$f" .pid)"
    rm -f "$f"
    echo "stopped $(basename "$f" .pid)"
  done
  if [[ -f "$dir/kafka-dir" ]]; then
    KAFKA_LOCAL_DIR="$(cat "$dir/kafka-dir")" bin/kafka-local.sh stop
  fi
}

while [[ $# -gt 0 ]]; do
  case "$1" in
    --sizes) sizes="$2"; shift ;;
    --variants) variants="$2"; shift ;;
    --seeds) seeds="$2"; shift ;;
    --full) seeds=3 ;;
    --epochs) epochs="$2"; shift ;;
    --learning-rate) learning_rate="$2"; shift ;;
    --batch-size) batch_size="$2"; shift ;;
    --patience) patience="$2"; shift ;;
    --lstm) lstm="$2"; shift ;;
    --balanced) balanced=true ;;
    --experiment) experiment="$2"; shift ;;
    --validation-size) validation_size="$2"; shift ;;
    --test-size) test_size="$2"; shift ;;
    --parallel) parallel="$2"; shift ;;
    --reviews) reviews="$2"; shift ;;
    --data) data="$2"; shift ;;
    --download) download=true ;;
    --word2vec) word2vec=true ;;
    --run-dir) run_dir="$2"; shift ;;
    --fresh-kafka) fresh_kafka=true ;;
    --keep-running) keep_running=true ;;
    --stop) stop_left_running; exit 0 ;;
    --kafka-port) kafka_port="$2"; shift ;;
    --trainer-port) trainer_port="$2"; shift ;;
    --scorer-port) scorer_port="$2"; shift ;;
    --kafka-dir) kafka_dir="$2"; shift ;;
    --train-timeout) train_timeout="$2"; shift ;;
    -h|--help) usage; exit 0 ;;
    *) usage >&2; die "unknown option $1" ;;
  esac
  shift
done

# A seed count (3) becomes the list 1,2,3; a list is kept.
if [[ $seeds =~ ^[0-9]+$ && $seeds != *,* ]]; then seeds="$(seq -s, 1 "$seeds")"; fi

command -v java > /dev/null || die "a Java 17 JDK is needed (java not on the PATH)"
command -v curl > /dev/null || die "curl is needed"
export OMP_NUM_THREADS=1

stamp="$(date +%Y%m%d-%H%M%S)"
run_dir="${run_dir:-$root/runs/$stamp}"
mkdir -p "$run_dir/logs"
run_dir="$(cd "$run_dir" && pwd)"
pid_dir="$run_dir/pids"
logs="$run_dir/logs"
mkdir -p "$root/runs"
[[ "$run_dir" != "$root/runs/latest" ]] && ln -sfn "$run_dir" "$root/runs/latest"
experiment="${experiment:-local-$stamp}"
bootstrap="127.0.0.1:$kafka_port"
trainer_url="http://127.0.0.1:$trainer_port"
scorer_url="http://127.0.0.1:$scorer_port"

# ---- stage times ----
stage_names=()
stage_seconds=()
stage_name=""
stage_start=0
stage() { # name: ends the current stage, starts the next
  if [[ -n "$stage_name" ]]; then
    stage_names+=("$stage_name")
    stage_seconds+=($(( SECONDS - stage_start )))
  fi
  stage_name="$1"
  stage_start=$SECONDS
  [[ -z "$1" ]] || printf '\n%s == %s\n' "$(date +%H:%M:%S)" "$1"
}
print_stages() {
  local i total=0
  stage ""
  {
    echo "stage times (seconds):"
    for i in "${!stage_names[@]}"; do
      printf '  %-34s %5d\n' "${stage_names[$i]}" "${stage_seconds[$i]}"
      total=$(( total + stage_seconds[i] ))
    done
    printf '  %-34s %5d\n' total "$total"
  } | tee "$run_dir/stages.txt"
}

finished=false
events_pid=""
# Set while the experiment is on the trainer and not yet finished: it stays queued on the broker when this run stops.
experiment_pending=false
cleanup() {
  local status=$?
  trap - EXIT INT TERM
  [[ -z "$events_pid" ]] || kill "$events_pid" 2> /dev/null || true
  if [[ $experiment_pending == true ]]; then
    log "experiment $experiment stays queued on the broker: the trainer goes on with it the next time it starts on it" \
      "(./run-local.sh --experiment $experiment follows it again), beside any later experiment; to cancel it, with" \
      "the trainer up: curl -X DELETE $trainer_url/experiments/$experiment"
  fi
  if [[ $finished == true && $keep_running == true ]]; then
    stop_spawned scorer
    return
  fi
  echo
  log "stopping everything this run started"
  stop_waited "the console tool"
  stop_spawned
  kafka_stop "$kafka_dir"
  rm -f "$run_dir/kafka-dir"
  if [[ $status -ne 0 ]]; then
    log "the run failed (exit $status); logs in $logs"
  fi
  exit "$status"
}
trap cleanup EXIT
trap 'log "interrupted"; exit 130' INT TERM

log "run folder $run_dir"

# ---- 1. build ----
stage "build"
build_services kafka-local ingestor trainer scorer local-run
# The console tool (the local-run module): the experiment request, the trainer's progress, the scoring stream.
local_run=(java -Dlog4j2.statusLoggerLevel=OFF -cp "$(module_jar local-run):$root/local-run/target/lib/*"
  dev.imdbstream.localrun.LocalRun)

# ---- 2. data ----
stage "data"
if [[ -z "$data" ]]; then
  for d in "$root/../shared/data" "$HOME/.cache/imdb-stream"; do
    if [[ -f "$d/aclImdb_v1.tar.gz" ]]; then data="$d"; break; fi
  done
fi
if [[ -z "$data" && $download == true ]]; then
  data="$HOME/.cache/imdb-stream"
fi
if [[ -z "$data" ]]; then
  die "no IMDB data found. Put aclImdb_v1.tar.gz (https://ai.stanford.edu/~amaas/data/sentiment/aclImdb_v1.tar.gz, 84 MB)
  and GloVe 6B 100d (glove.6B.100d.txt[.gz] or glove.6B.zip from https://nlp.stanford.edu/data/glove.6B.zip, 822 MB)
  into $root/../shared/data or ~/.cache/imdb-stream, give the folder with --data DIR, or run with --download."
fi
data="$(cd "$data" 2> /dev/null && pwd || echo "$data")"
log "data: $data"

# ---- 3. broker ----
stage "start Kafka"
if [[ $fresh_kafka == true ]]; then
  kafka_stop "$kafka_dir"
  rm -rf "$kafka_dir"
fi
[[ -d "$kafka_dir/data" ]] && log "reusing the broker data in $kafka_dir (--fresh-kafka to start empty)"
echo "$kafka_dir" > "$run_dir/kafka-dir"
kafka_start "$kafka_dir" "$kafka_port" || die "Kafka did not start; see $kafka_dir/kafka.out"

# ---- 4. ingest ----
stage "ingest"
# With --word2vec the data set on the broker must offer the vectors too (the ingestor's default name).
wanted_embedding=()
[[ $word2vec == true ]] && wanted_embedding=("${INGEST_WORD2VEC_NAME:-word2vec-imdb-${INGEST_WORD2VEC_VECTOR_SIZE:-100}d}")
# minilm-logreg and tfidf-minilm-logreg read the sentence encoder's review vectors: the ingestor then runs even for a data set already on
# the broker (it publishes the same records again) and encodes the reviews that have no vector yet.
encoder=false
[[ ",$variants," == *",minilm-logreg,"* || ",$variants," == *",tfidf-minilm-logreg,"* ]] && encoder=true
present=false
if dataset="$("${local_run[@]}" dataset "$bootstrap" "${wanted_embedding[@]}" 2> "$logs/dataset-check.log")"; then
  present=true
fi
if [[ $present == true && $encoder == false ]]; then
  log "data set $dataset is already on the broker: not ingesting again"
else
  ingest_args=(--data-dir "$data" --bootstrap-servers "$bootstrap")
  [[ $download == true ]] && ingest_args+=(--download)
  [[ $word2vec == true ]] && ingest_args+=(--word2vec)
  if [[ $encoder == true ]]; then
    # --text: the records carry the review text, which the reviews streamed through the scorer then send (a model
    # of the text cannot score token ids).
    ingest_args+=(--sentence-encoder --text)
    log "ingesting $data and encoding the reviews without a vector on imdb.review-embeddings (log: $logs/ingestor.log)"
  else
    log "ingesting $data (log: $logs/ingestor.log)"
  fi
  java -Xmx1g -jar "$(service_jar ingestor)" "${ingest_args[@]}" > "$logs/ingestor.log" 2>&1 \
    || { tail -n 20 "$logs/ingestor.log"; die "the ingestor failed; see $logs/ingestor.log"; }
  grep -iE 'published|reviews|dataset' "$logs/ingestor.log" | tail -n 4 | sed 's/^/    /' || true
fi

# ---- 5. services ----
stage "start trainer and scorer"
# The topics exist (the ingestor created all of them, as the topics job does in compose and k8s). The scorer's
# transactions may last 60 s instead of Streams' 10 s: on a loaded 2-core machine the first batches (JIT, ND4J
# warm-up) took longer, the broker aborted the transaction and fenced the stream thread for a minute.
# Each runs under bin/lib/supervise.sh: a service that exits with an error (it can no longer work; see
# docs/reliability.md) is started again, and the console says so (the supervisors' lines, also in logs/events.log).
export SUPERVISE_EVENTS="$logs/events.log"
touch "$SUPERVISE_EVENTS"
tail -n 0 -F "$SUPERVISE_EVENTS" 2> /dev/null &
events_pid=$!
spawn_service trainer "$logs/trainer.log" env "${local_service_env[@]}" QUARKUS_HTTP_PORT="$trainer_port" KAFKA_BOOTSTRAP_SERVERS="$bootstrap" \
  TRAINER_RUNS_PARALLEL="$parallel" TRAINER_KAFKA_CREATE_TOPICS=false \
  TRAINER_RUNS_CHECKPOINT_DIR="$run_dir/checkpoints" TRAINER_REPORT_DIR="$run_dir/report" \
  java "${service_java_opts[@]}" "${model_java_opts[@]}" -Xmx2g -Djava.awt.headless=true -Dimdb.lstm="$lstm" \
  -jar "$(service_jar trainer)"
spawn_service scorer "$logs/scorer.log" env "${local_service_env[@]}" QUARKUS_HTTP_PORT="$scorer_port" \
  QUARKUS_KAFKA_STREAMS_BOOTSTRAP_SERVERS="$bootstrap" SCORER_CREATE_TOPICS=false \
  java "${service_java_opts[@]}" "${model_java_opts[@]}" "${scorer_java_opts[@]}" \
  -Dkafka-streams.state.dir="$run_dir/scorer-state" -Dkafka-streams.producer.transaction.timeout.ms=60000 \
  -jar "$(service_jar scorer)"
log "trainer on $trainer_url (log $logs/trainer.log), scorer on $scorer_url (log $logs/scorer.log)"
wait_for "trainer ready" 300 curl -fsS "$trainer_url/q/health/ready"
wait_for "scorer ready" 300 curl -fsS "$scorer_url/q/health/ready"
log "both ready"

# ---- 6. experiment ----
stage "experiment (training)"
request=(--experiment "$experiment" --sizes "$sizes" --variants "$variants" --seeds "$seeds")
[[ -z "$epochs" ]] || request+=(--epochs "$epochs")
[[ -z "$learning_rate" ]] || request+=(--learning-rate "$learning_rate")
[[ -z "$batch_size" ]] || request+=(--batch-size "$batch_size")
[[ -z "$patience" ]] || request+=(--patience "$patience")
[[ -z "$balanced" ]] || request+=(--balanced)
[[ -z "$validation_size" ]] || request+=(--validation-size "$validation_size")
[[ -z "$test_size" ]] || request+=(--test-size "$test_size")
request_json="$("${local_run[@]}" request "$run_dir/experiment-request.json" "${request[@]}")" \
  || die "cannot build the experiment request from the options"
log "POST $trainer_url/experiments $request_json"
log "follow it in a browser: $trainer_url/experiments/$experiment"
experiment_status=0
experiment_pending=true
run_waited "${local_run[@]}" experiment "$trainer_url" "$run_dir/experiment-request.json" "$train_timeout" \
  "$run_dir/experiment.json" > >(tee "$logs/experiment.log") 2>&1 || experiment_status=$?
(( experiment_status == 0 || experiment_status == 2 )) && experiment_pending=false
check_spawned
case $experiment_status in
  0) ;;
  2) log "warning: some runs failed (see the report and $logs/trainer.log)" ;;
  *) die "the experiment did not finish (see $logs/experiment.log and $logs/trainer.log)" ;;
esac

# ---- 7. scoring ----
stage "stream reviews through the scorer"
if (( reviews > 0 )); then
  models_loaded() { (( $(metric "$scorer_port" scorer_models_selected) >= $1 )); }
  wait_for "the scorer loaded a model from the models topic" 300 models_loaded 1
  # One model per variant is what the scorer selects (best per variant): give the others a moment to arrive.
  variant_count=$(tr ',' '\n' <<< "$variants" | grep -c .)
  (wait_for "a model per variant" 60 models_loaded "$variant_count") 2> /dev/null \
    || log "the scorer has $(metric "$scorer_port" scorer_models_selected) model(s), fewer than the $variant_count variants; going on"
  log "scorer models: $(curl -fsS "$scorer_url/q/metrics" | grep -c '^scorer_model_loaded') loaded; streaming $reviews test reviews"
  run_waited "${local_run[@]}" stream "$bootstrap" "$reviews" "$experiment" "${SCORE_TIMEOUT_S:-600}" \
    "$run_dir/scoring.txt" > >(tee "$logs/stream.log") 2>&1 \
    || die "not every review got its prediction (see $run_dir/scoring.txt, $logs/scorer.log)"
  sed 's/^/    /' "$run_dir/scoring.txt"
else
  log "--reviews 0: not streaming"
fi

# ---- 8. report ----
stage "report"
# Fetching the report page makes the trainer bring the folder up to date before we point at it.
curl -fsS -o /dev/null "$trainer_url/experiments/$experiment/report" || log "warning: the report page did not answer"
report_dir="$run_dir/report/$experiment"
[[ -f "$report_dir/report.md" ]] || die "no report in $report_dir"
print_stages
finished=true
cat <<EOF

Report:   $report_dir/index.html  (report.md, results.csv, runs.csv, *.png)
Logs:     $logs
Test accuracy by subset size and variant (from report.md):
$(sed -n '/^| subset size/,/^$/p' "$report_dir/report.md" | sed 's/^/  /')
EOF
if [[ $keep_running == true ]]; then
  trainer_pid="$(cat "$pid_dir/trainer.pid" 2> /dev/null || true)"
  [[ -z "$trainer_pid" ]] || { stop_pid "$trainer_pid" trainer; rm -f "$pid_dir/trainer.pid"; }
  cat <<EOF
Left running (stop them with ./run-local.sh --stop):
  Kafka    $bootstrap (data $kafka_dir)
  scorer   $scorer_url/q/metrics, $scorer_url/q/health
           restarted when it exits with an error; its restarts are logged in $logs/events.log
           curl -XPOST $scorer_url/score -H 'content-type: application/json' -d '{"id":"mine","text":"What a wonderful film"}'
  report   $report_dir/index.html (the trainer is stopped; its pages are served only while it runs)
EOF
else
  cat <<EOF
While running, the services were at:
  trainer  $trainer_url/experiments/$experiment  $trainer_url/experiments/$experiment/report  $trainer_url/q/metrics
  scorer   $scorer_url/q/metrics  POST $scorer_url/score  (--keep-running to keep the scorer and the broker up)
EOF
fi
exit 0
}
