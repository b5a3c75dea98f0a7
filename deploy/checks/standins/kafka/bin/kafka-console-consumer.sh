#!/bin/sh
# Stand-in for Kafka's kafka-console-consumer.sh: the same class.
exec "$(dirname "$0")/kafka-run-class.sh" org.apache.kafka.tools.consumer.ConsoleConsumer "$@"
