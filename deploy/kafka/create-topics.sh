#!/bin/sh
# GENERATED from dev.imdbstream.common.kafka.Topics by deploy/kafka/generate.sh: do not edit.
# Creates every topic of the system with its partitions and settings; existing topics are left as they are.
# Environment: BOOTSTRAP_SERVERS (kafka:9092), REPLICATION_FACTOR (1),
# KAFKA_TOPICS (/opt/kafka/bin/kafka-topics.sh, as in the apache/kafka image),
# COMMAND_CONFIG (an administrator's client properties file, for a secured broker; empty: none).
set -eu
bootstrap="${BOOTSTRAP_SERVERS:-kafka:9092}"
rf="${REPLICATION_FACTOR:-1}"
kafka_topics="${KAFKA_TOPICS:-/opt/kafka/bin/kafka-topics.sh}"

topics() {
  if [ -n "${COMMAND_CONFIG:-}" ]; then set -- --command-config "$COMMAND_CONFIG" "$@"; fi
  "$kafka_topics" --bootstrap-server "$bootstrap" "$@"
}

create() {
  name="$1"; partitions="$2"; shift 2
  topics --create --if-not-exists --topic "$name" --partitions "$partitions" --replication-factor "$rf" "$@"
}

create imdb.vocab 1 --config cleanup.policy=compact --config max.message.bytes=67108864 --config min.cleanable.dirty.ratio=0.1 --config segment.bytes=134217728
create imdb.embeddings 1 --config cleanup.policy=compact --config max.message.bytes=67108864 --config min.cleanable.dirty.ratio=0.1 --config segment.bytes=134217728
create imdb.train 3 --config cleanup.policy=compact
create imdb.test 3 --config cleanup.policy=compact
create imdb.unsup 3 --config cleanup.policy=compact
create imdb.review-embeddings 3 --config cleanup.policy=compact
create training.jobs 6 --config max.message.bytes=65536 --config retention.ms=-1
create training.metrics 3 --config max.message.bytes=65536 --config retention.ms=-1
create training.results 3 --config max.message.bytes=16777216 --config retention.ms=-1
create training.cancellations 1 --config cleanup.policy=compact --config max.message.bytes=65536
create models 1 --config cleanup.policy=compact --config max.message.bytes=67108864 --config min.cleanable.dirty.ratio=0.1 --config segment.bytes=134217728
create reviews 6 --config retention.ms=604800000
create predictions 6 --config retention.ms=604800000
create reviews.dlq 1 --config max.message.bytes=16777216 --config retention.ms=-1

topics --list
