#!/usr/bin/env bash
# Benchmark of the ingestor (a command, not a test): a full ingest of the 50,000 labelled reviews from the
# original archive to records acknowledged by a real local Kafka node, with the ingestor's heap capped at 1 GiB.
# Prints the ingestor's summary and a "benchmark:" line computed from it (reviews/s, wall time, peak heap).
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

# The labelled reviews only (--no-unsup); the throughput line is computed from the ingestor's own summary.
out="$(mktemp -t ingest-benchmark.XXXXXX)"
# shellcheck disable=SC2086 # INGEST_JAVA_OPTS holds several options
java ${INGEST_JAVA_OPTS:--Xmx1g} -jar ingestor/target/quarkus-app/quarkus-run.jar \
  --no-unsup --bootstrap-servers "127.0.0.1:$KAFKA_LOCAL_PORT" "$@" | tee "$out"
awk '
  $1 == "train" || $1 == "test" { gsub(",", "", $2); reviews += $2 }
  $1 == "time" { for (i = 2; i <= NF; i++) if ($i == "total") { total = $(i + 1) }
                 match($0, /peak heap [0-9,]+ MiB of [0-9,]+ MiB/); heap = substr($0, RSTART, RLENGTH) }
  END { if (!total || !reviews) { print "benchmark: no summary from the ingestor" > "/dev/stderr"; exit 1 }
        printf "benchmark: %d labelled reviews from archive to acknowledged records in %.1f s = %d reviews/s; %s\n",
               reviews, total, reviews / total, heap }' "$out"
rm -f "$out"
