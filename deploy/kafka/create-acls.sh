#!/bin/sh
# GENERATED from dev.imdbstream.common.kafka.KafkaAccess by deploy/kafka/generate.sh: do not edit.
# Creates each service's Kafka user (SCRAM-SHA-512) and its ACLs on a secured broker; running it again changes
# nothing but the passwords. Run as an administrator (a super user of the broker).
# Environment: BOOTSTRAP_SERVERS (kafka:9095), COMMAND_CONFIG (the administrator's client properties, required),
# KAFKA_BIN (/opt/kafka/bin, as in the apache/kafka image), and each user's password:
# KAFKA_INGESTOR_PASSWORD, KAFKA_TRAINER_PASSWORD, KAFKA_SCORER_PASSWORD, KAFKA_CLIENT_PASSWORD (letters, digits, '.', '_', '-': e.g. openssl rand -hex 24).
set -eu
bootstrap="${BOOTSTRAP_SERVERS:-kafka:9095}"
config="${COMMAND_CONFIG:?COMMAND_CONFIG: the administrator's client properties file}"
bin="${KAFKA_BIN:-/opt/kafka/bin}"

user() { # name password
  case "$2" in
    *[!A-Za-z0-9._-]*) echo "the password of $1 may hold only letters, digits, '.', '_' and '-'" >&2; exit 2 ;;
  esac
  "$bin/kafka-configs.sh" --bootstrap-server "$bootstrap" --command-config "$config" --alter \
    --add-config "SCRAM-SHA-512=[iterations=8192,password=$2]" --entity-type users --entity-name "$1"
}

acl() { # user pattern-type resource-options... --operation ...
  principal="User:$1"; pattern="$2"; shift 2
  "$bin/kafka-acls.sh" --bootstrap-server "$bootstrap" --command-config "$config" --add \
    --allow-principal "$principal" --resource-pattern-type "$pattern" "$@"
}

# ingestor
user ingestor "${KAFKA_INGESTOR_PASSWORD:?KAFKA_INGESTOR_PASSWORD is not set}"
acl ingestor prefixed --topic imdb. --operation Write
acl ingestor literal --topic imdb.review-embeddings --operation Read

# trainer
user trainer "${KAFKA_TRAINER_PASSWORD:?KAFKA_TRAINER_PASSWORD is not set}"
acl trainer prefixed --topic imdb. --operation Read
acl trainer prefixed --topic training. --operation Read --operation Write
acl trainer literal --topic models --operation Write
acl trainer literal --group imdb-trainer --operation Read

# scorer
user scorer "${KAFKA_SCORER_PASSWORD:?KAFKA_SCORER_PASSWORD is not set}"
acl scorer literal --topic reviews --operation Read
acl scorer literal --topic models --operation Read
acl scorer literal --topic predictions --operation Write
acl scorer literal --topic reviews.dlq --operation Write
acl scorer prefixed --topic imdb-scorer- --operation Create --operation Read --operation Write --operation Delete --operation Describe --operation DescribeConfigs
acl scorer literal --group imdb-scorer --operation Read
acl scorer prefixed --transactional-id imdb-scorer- --operation Write --operation Describe

# client
user client "${KAFKA_CLIENT_PASSWORD:?KAFKA_CLIENT_PASSWORD is not set}"
acl client literal --topic reviews --operation Write
acl client literal --topic predictions --operation Read
acl client literal --topic reviews.dlq --operation Read
acl client prefixed --group client- --operation Read

"$bin/kafka-acls.sh" --bootstrap-server "$bootstrap" --command-config "$config" --list
