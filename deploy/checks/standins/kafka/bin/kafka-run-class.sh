#!/bin/sh
# Stand-in for Kafka's kafka-run-class.sh: runs a class of the broker's jars, with Kafka's environment variables
# (KAFKA_HEAP_OPTS, default -Xmx256M as in Kafka's script; KAFKA_JVM_PERFORMANCE_OPTS, KAFKA_OPTS, KAFKA_LOG4J_OPTS).
base=/opt/kafka
heap="${KAFKA_HEAP_OPTS:--Xmx256M}"
# The tools' logging file: the one the broker's setup wrote, or the image's default before that (the setup itself).
tools_log4j="$base/config/tools-log4j2.yaml"
[ -f "$tools_log4j" ] || tools_log4j=/etc/kafka/docker/tools-log4j2.yaml
log4j="${KAFKA_LOG4J_OPTS:--Dlog4j2.configurationFile=$tools_log4j}"
# shellcheck disable=SC2086 # the *_OPTS variables are lists of options
exec java $heap ${KAFKA_JVM_PERFORMANCE_OPTS:-} ${KAFKA_OPTS:-} $log4j -cp "$base/libs/*" "$@"
