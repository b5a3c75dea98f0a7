#!/usr/bin/env bash
# Benchmark of the ingestor (a command, not a test): a full ingest of the 50,000 labelled reviews from the
# original archive to records acknowledged by a real local Kafka node, with the ingestor's heap capped at 1 GiB.
# Prints the ingestor's summary and its "benchmark:" line (reviews/s, wall time, peak heap).
#
#   bin/ingest-benchmark.sh [ingestor options...]      e.g. --no-text, --source path/to/aclImdb
#
# Builds kafka-local and the ingestor when they are not built. Environment: INGEST_JAVA_OPTS (-Xmx1g),
# KAFKA_LOCAL_PORT (19092). The node's data lives in a fresh temporary folder, removed at the end.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
if [[ ! -f ingestor/target/quarkus-app/quarkus-run.jar || ! -d kafka-local/target/lib ]]; then
  ./mvnw -B -q -pl kafka-local,ingestor -am package -DskipTests
fi

export KAFKA_LOCAL_DIR="$(mktemp -d -t ingest-benchmark-kafka.XXXXXX)"
export KAFKA_LOCAL_PORT="${KAFKA_LOCAL_PORT:-19092}"
cleanup() {
  bin/kafka-local.sh stop >/dev/null || true
  rm -rf "$KAFKA_LOCAL_DIR"
}
trap cleanup EXIT
bin/kafka-local.sh start

# shellcheck disable=SC2086 # INGEST_JAVA_OPTS holds several options
java ${INGEST_JAVA_OPTS:--Xmx1g} -jar ingestor/target/quarkus-app/quarkus-run.jar \
  --benchmark --bootstrap-servers "127.0.0.1:$KAFKA_LOCAL_PORT" "$@"
