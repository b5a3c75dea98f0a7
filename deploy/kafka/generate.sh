#!/usr/bin/env bash
# Regenerates the deployments' topic definitions from dev.imdbstream.common.kafka.Topics (the one source):
#   deploy/kafka/create-topics.sh            kafka-topics.sh commands (docker compose `topics`, k8s Job)
#   k8s/overlays/strimzi/kafka-topics.yaml   Strimzi KafkaTopic resources
#   deploy/kafka/generate.sh          rewrite both
#   deploy/kafka/generate.sh --check  exit 1 when a committed file differs from what Topics gives (CI)
# Compiles the common module when its classes are missing (./mvnw, offline once dependencies are cached).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$root"
script=deploy/kafka/create-topics.sh
strimzi=k8s/overlays/strimzi/kafka-topics.yaml

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
if [[ ! -f common/target/classes/dev/imdbstream/common/kafka/Topics.class ]]; then
  ./mvnw -B -q -pl common -am compile
fi
./mvnw -B -q -pl common dependency:build-classpath -Dmdep.outputFile="$work/cp.txt" >/dev/null
java -cp "common/target/classes:$(cat "$work/cp.txt")" deploy/kafka/TopicsScript.java "$work/create-topics.sh" "$work/kafka-topics.yaml"

if [[ "${1:-}" == "--check" ]]; then
  status=0
  for pair in "$script:$work/create-topics.sh" "$strimzi:$work/kafka-topics.yaml"; do
    committed="${pair%%:*}"; generated="${pair#*:}"
    if ! diff -u "$committed" "$generated"; then
      echo "$committed is out of date with Topics: run deploy/kafka/generate.sh" >&2
      status=1
    fi
  done
  [[ $status -eq 0 ]] && echo "topic definitions match dev.imdbstream.common.kafka.Topics"
  exit $status
fi
mkdir -p "$(dirname "$strimzi")"
cp "$work/create-topics.sh" "$script"
chmod +x "$script"
cp "$work/kafka-topics.yaml" "$strimzi"
echo "wrote $script and $strimzi"
