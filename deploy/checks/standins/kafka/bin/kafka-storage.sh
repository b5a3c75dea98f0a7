#!/bin/sh
# Stand-in for Kafka's kafka-storage.sh: the same class.
exec "$(dirname "$0")/kafka-run-class.sh" kafka.tools.StorageTool "$@"
