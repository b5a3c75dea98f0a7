#!/bin/sh
# Stand-in for Kafka's kafka-broker-api-versions.sh: the same class.
exec "$(dirname "$0")/kafka-run-class.sh" org.apache.kafka.tools.BrokerApiVersionsCommand "$@"
