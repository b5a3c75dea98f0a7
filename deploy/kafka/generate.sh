#!/usr/bin/env bash
# Regenerates the deployments' topic definitions from dev.imdbstream.common.kafka.Topics and their Kafka users and
# ACLs from dev.imdbstream.common.kafka.KafkaAccess (the one sources):
#   deploy/kafka/create-topics.sh            kafka-topics.sh commands (docker compose `topics`, k8s Job)
#   k8s/overlays/strimzi/kafka-topics.yaml   Strimzi KafkaTopic resources
#   deploy/kafka/create-acls.sh              kafka-configs.sh/kafka-acls.sh commands (docker-compose.secure.yml)
#   k8s/overlays/strimzi/kafka-users.yaml    Strimzi KafkaUser resources (SCRAM-SHA-512, ACLs)
#   deploy/kafka/generate.sh          rewrite them
#   deploy/kafka/generate.sh --check  exit 1 when a committed file differs from what the sources give (CI)
# Compiles the common module when its classes are missing (./mvnw, offline once dependencies are cached).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$root"
script=deploy/kafka/create-topics.sh
strimzi=k8s/overlays/strimzi/kafka-topics.yaml
acls=deploy/kafka/create-acls.sh
users=k8s/overlays/strimzi/kafka-users.yaml

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
if [[ ! -f common/target/classes/dev/imdbstream/common/kafka/KafkaAccess.class ]]; then
  ./mvnw -B -q -pl common -am compile
fi
./mvnw -B -q -pl common dependency:build-classpath -Dmdep.outputFile="$work/cp.txt" >/dev/null
java -cp "common/target/classes:$(cat "$work/cp.txt")" deploy/kafka/TopicsScript.java "$work/create-topics.sh" "$work/kafka-topics.yaml"
java -cp "common/target/classes:$(cat "$work/cp.txt")" deploy/kafka/AccessScript.java "$work/create-acls.sh" "$work/kafka-users.yaml"

if [[ "${1:-}" == "--check" ]]; then
  status=0
  for pair in "$script:$work/create-topics.sh" "$strimzi:$work/kafka-topics.yaml" "$acls:$work/create-acls.sh" \
    "$users:$work/kafka-users.yaml"; do
    committed="${pair%%:*}"; generated="${pair#*:}"
    if ! diff -u "$committed" "$generated"; then
      echo "$committed is out of date with Topics/KafkaAccess: run deploy/kafka/generate.sh" >&2
      status=1
    fi
  done
  [[ $status -eq 0 ]] && echo "topic, user and ACL definitions match dev.imdbstream.common.kafka.Topics and KafkaAccess"
  exit $status
fi
mkdir -p "$(dirname "$strimzi")"
cp "$work/create-topics.sh" "$script"
chmod +x "$script"
cp "$work/kafka-topics.yaml" "$strimzi"
cp "$work/create-acls.sh" "$acls"
chmod +x "$acls"
cp "$work/kafka-users.yaml" "$users"
echo "wrote $script, $strimzi, $acls and $users"
