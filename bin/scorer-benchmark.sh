#!/usr/bin/env bash
# The scorer's speed benchmark as deployed: the broker (kafka-local), the scorer service (its Quarkus jar, production
# settings) and the load generator (ScorerBenchmark with bench.bootstrap / bench.scorer-url) each in a process of
# its own. The bare model runs in a JVM of its own on the scorer's CPU, warm and idle while the stream runs: each
# round's max rate is compared with the bare model measured right before and right after it.
#
#   bin/scorer-benchmark.sh [--pin | --in-process] [-Dbench.*=... ...]
#
#   --in-process  ScorerBenchmark alone: the broker, the production topology and the load generator in its one JVM
#           (the bare model measured in it too), sharing the cores
#   --pin   broker and load generator on CPU 0, the scorer and the bare model on CPU 1 (taskset): on a 2-core
#           machine, the nearest thing to the deployment, where the broker has a machine or container of its own.
#   -D...   passed to the benchmark (bench.reviews, bench.warmup, bench.loads, bench.seconds, bench.rounds,
#           bench.quiet-jit, bench.width); the scorer's own settings come from its environment, e.g. SCORER_BATCH_SIZE=64;
#           SCORER_JAVA_OPTS replaces its JVM options (default: scorer_java_opts of bin/lib/processes.sh, as
#           deployed);
#           KAFKA_PORT (19092) and SCORER_PORT (18083) move the broker and the scorer's HTTP port
#
# Logs (the benchmark's output, the scorer's, both GC logs) and state: run/scorer-benchmark/. Everything started is
# stopped at the end or on Ctrl-C.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
source "$root/bin/lib/processes.sh"
source "$root/bin/lib/benchmarks.sh"
cd "$root"

pin=false
in_process=false
bench_args=()
for arg in "$@"; do
  case "$arg" in
    --pin) pin=true ;;
    --in-process) in_process=true ;;
    -D*) bench_args+=("$arg") ;;
    -h|--help) sed -n '2,20p' "$0"; exit 0 ;;
    *) die "unknown argument: $arg (see --help)" ;;
  esac
done

kafka_port="${KAFKA_PORT:-19092}"
scorer_port="${SCORER_PORT:-18083}"
work="$root/run/scorer-benchmark"
rm -rf "$work"
mkdir -p "$work"
broker_cpus=() scorer_cpus=()
if [[ -n ${SCORER_JAVA_OPTS:-} ]]; then
  read -ra scorer_java_opts <<< "$SCORER_JAVA_OPTS"
fi
if $pin; then
  (( $(nproc) >= 2 )) || die "--pin needs 2 CPUs"
  command -v taskset > /dev/null || die "--pin needs taskset (util-linux)"
  broker_cpus=(taskset -c 0) scorer_cpus=(taskset -c 1)
fi

cleanup() {
  stop_waited benchmark
  stop_spawned
  kafka_stop "$work/kafka"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# The benchmark (load generator, or the bare model alone): ScorerBenchmark of the benchmarks module, output also in $1.
# It measures the bare model with the OpenBLAS kernel the scorer gets (OPENBLAS_CORETYPE from bin/lib/processes.sh), so
# that the stream's share of the bare model compares like with like.
benchmark() { # logfile taskset-prefix... -- -D...
  local logfile="$1"; shift
  local prefix=()
  while [[ $1 != -- ]]; do prefix+=("$1"); shift; done
  shift
  run_waited "${prefix[@]}" env OMP_NUM_THREADS=1 java "${model_java_opts[@]}" \
    -Dimdb.data.dir="$root/../shared/data" "${bench_args[@]}" "$@" -cp "$classpath" \
    dev.imdbstream.benchmarks.scorer.ScorerBenchmark > >(tee "$logfile") || die "the benchmark failed; see $logfile"
}

if $in_process; then
  classpath="$(benchmarks_classpath)"
  log "ScorerBenchmark in one JVM ${bench_args[*]}"
  benchmark "$work/in-process.log" --
  exit 0
fi
build_services kafka-local scorer
classpath="$(benchmarks_classpath)"
# The bare model's JVM, which the load generator starts and asks for a measurement around each round.
{
  printf 'exec'
  printf ' %q' "${scorer_cpus[@]}" env OMP_NUM_THREADS=1 java "${model_java_opts[@]}" \
    -Dimdb.data.dir="$root/../shared/data" "${bench_args[@]}" -Dbench.bare-server=true -cp "$classpath" \
    dev.imdbstream.benchmarks.scorer.ScorerBenchmark
  printf '\n'
} > "$work/bare-server.sh"
log "broker on 127.0.0.1:$kafka_port$($pin && echo ' (CPU 0)')"
"${broker_cpus[@]}" env KAFKA_LOCAL_DIR="$work/kafka" KAFKA_LOCAL_PORT="$kafka_port" \
  KAFKA_LOCAL_JAVA_OPTS="-Xms128m -Xmx1g -Xlog:gc:file=$work/broker-gc.log:time,uptime" "$root/bin/kafka-local.sh" start > /dev/null
broker_pid="$(cat "$work/kafka/kafka.pid")"

log "scorer on 127.0.0.1:$scorer_port$($pin && echo ' (CPU 1)'), log $work/scorer.log"
spawn scorer "$work/scorer.log" "${scorer_cpus[@]}" env QUARKUS_HTTP_PORT="$scorer_port" \
  QUARKUS_KAFKA_STREAMS_BOOTSTRAP_SERVERS="127.0.0.1:$kafka_port" OMP_NUM_THREADS=1 \
  java "${model_java_opts[@]}" "${scorer_java_opts[@]}" -Xlog:gc:file="$work/scorer-gc.log":time,uptime -Dkafka-streams.state.dir="$work/scorer-state" -jar "$(service_jar scorer)"
scorer_pid="${spawned_pids[-1]}"
wait_for "scorer ready" 300 curl -fsS "http://127.0.0.1:$scorer_port/q/health/ready"

log "load generator$($pin && echo ' (CPU 0)'): ScorerBenchmark ${bench_args[*]}"
benchmark "$work/stream.log" "${broker_cpus[@]}" -- -Dbench.bare-command="$work/bare-server.sh" \
  -Dbench.bootstrap="127.0.0.1:$kafka_port" \
  -Dbench.scorer-url="http://127.0.0.1:$scorer_port" -Dbench.pids="scorer=$scorer_pid,broker=$broker_pid"
last="$(grep -o 'end to end, max rate: .*' "$work/stream.log" | tail -n 1)"
shares="$(sed -n 's/.*max rate per round, share of the bare model around it: //p' "$work/stream.log" | tail -n 1)"
log "stream, last round: ${last#end to end, }"
log "every round, share of the bare model around it: $shares"
