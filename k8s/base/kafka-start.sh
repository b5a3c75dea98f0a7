#!/bin/sh
# Starts the apache/kafka image's launcher with the settings that depend on the pod (ConfigMap kafka-start):
#  - the node id is the StatefulSet ordinal, read from the pod name (kafka-0 -> 0). The pod-index label
#    would need Kubernetes 1.28; the name works on every version;
#  - the EXTERNAL listener listens on the pod's loopback only, port 9094 + ordinal, advertised as
#    localhost: `kubectl port-forward pod/kafka-N 909(4+N)` reaches it, other pods cannot.
# LAUNCH_COMMAND replaces the launcher (deploy/checks/check-deploy.sh runs this script with `env`).
set -eu
ordinal="${POD_NAME##*-}"
case "$ordinal" in
  '' | *[!0-9]*)
    echo "kafka-start: no StatefulSet ordinal at the end of POD_NAME=$POD_NAME" >&2
    exit 1
    ;;
esac
external_port=$((9094 + ordinal))
export KAFKA_NODE_ID="$ordinal"
export KAFKA_LISTENERS="PLAINTEXT://:9092,CONTROLLER://:9093,EXTERNAL://127.0.0.1:$external_port"
export KAFKA_ADVERTISED_LISTENERS="PLAINTEXT://$POD_NAME.kafka-headless.$POD_NAMESPACE.svc.cluster.local:9092,EXTERNAL://localhost:$external_port"
exec ${LAUNCH_COMMAND:-/etc/kafka/docker/run}
