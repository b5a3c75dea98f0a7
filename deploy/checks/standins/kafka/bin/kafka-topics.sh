#!/bin/sh
# Stand-in for Kafka's kafka-topics.sh: the same class.
exec "$(dirname "$0")/kafka-run-class.sh" org.apache.kafka.tools.TopicCommand "$@"
