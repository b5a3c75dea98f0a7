import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

import dev.imdbstream.common.kafka.Topic;
import dev.imdbstream.common.kafka.Topics;

/**
 * Writes the deployments' topic definitions from {@link Topics#ALL}, the one source of topic names, partitions
 * and settings: {@code create-topics.sh} (kafka-topics.sh commands, used by docker compose and the k8s Job) and
 * {@code kafka-topics.yaml} (Strimzi {@code KafkaTopic} resources). Run by {@code deploy/kafka/generate.sh}.
 * Usage: {@code java -cp <common and its dependencies> TopicsScript.java <script path> <strimzi yaml path>}
 */
public class TopicsScript {

    private static final String HEADER = "GENERATED from dev.imdbstream.common.kafka.Topics by deploy/kafka/generate.sh: do not edit.";

    public static void main(String[] args) throws IOException {
        if (args.length != 2) {
            System.err.println("usage: TopicsScript <create-topics.sh> <kafka-topics.yaml>");
            System.exit(2);
        }
        Files.writeString(Path.of(args[0]), script());
        Files.writeString(Path.of(args[1]), strimzi());
    }

    static String script() {
        StringBuilder s = new StringBuilder();
        s.append("#!/bin/sh\n");
        s.append("# ").append(HEADER).append('\n');
        s.append("# Creates every topic of the system with its partitions and settings; existing topics are left as they are.\n");
        s.append("# Environment: BOOTSTRAP_SERVERS (kafka:9092), REPLICATION_FACTOR (1),\n");
        s.append("# KAFKA_TOPICS (/opt/kafka/bin/kafka-topics.sh, as in the apache/kafka image),\n");
        s.append("# COMMAND_CONFIG (an administrator's client properties file, for a secured broker; empty: none).\n");
        s.append("set -eu\n");
        s.append("bootstrap=\"${BOOTSTRAP_SERVERS:-kafka:9092}\"\n");
        s.append("rf=\"${REPLICATION_FACTOR:-1}\"\n");
        s.append("kafka_topics=\"${KAFKA_TOPICS:-/opt/kafka/bin/kafka-topics.sh}\"\n\n");
        s.append("topics() {\n");
        s.append("  if [ -n \"${COMMAND_CONFIG:-}\" ]; then set -- --command-config \"$COMMAND_CONFIG\" \"$@\"; fi\n");
        s.append("  \"$kafka_topics\" --bootstrap-server \"$bootstrap\" \"$@\"\n");
        s.append("}\n\n");
        s.append("create() {\n");
        s.append("  name=\"$1\"; partitions=\"$2\"; shift 2\n");
        s.append("  topics --create --if-not-exists --topic \"$name\" --partitions \"$partitions\" --replication-factor \"$rf\" \"$@\"\n");
        s.append("}\n\n");
        for (Topic<?, ?> t : Topics.ALL) {
            s.append("create ").append(t.name()).append(' ').append(t.partitions());
            for (Map.Entry<String, String> c : sorted(t.configs()).entrySet()) {
                s.append(" --config ").append(c.getKey()).append('=').append(c.getValue());
            }
            s.append('\n');
        }
        s.append("\ntopics --list\n");
        return s.toString();
    }

    static String strimzi() {
        StringBuilder s = new StringBuilder();
        s.append("# ").append(HEADER).append('\n');
        s.append("# Strimzi KafkaTopic resources of every topic, managed by the Topic Operator of the `imdb` cluster.\n");
        for (Topic<?, ?> t : Topics.ALL) {
            s.append("---\n");
            s.append("apiVersion: kafka.strimzi.io/v1beta2\n");
            s.append("kind: KafkaTopic\n");
            s.append("metadata:\n");
            // A DNS-style resource name; the real topic name is spec.topicName.
            s.append("  name: ").append(t.name().replace('.', '-')).append('\n');
            s.append("  labels:\n");
            s.append("    strimzi.io/cluster: imdb\n");
            s.append("spec:\n");
            s.append("  topicName: ").append(t.name()).append('\n');
            s.append("  partitions: ").append(t.partitions()).append('\n');
            s.append("  replicas: 1\n");
            s.append("  config:\n");
            s.append(sorted(t.configs()).entrySet().stream()
                    .map(c -> "    " + c.getKey() + ": \"" + c.getValue() + "\"\n").collect(Collectors.joining()));
        }
        return s.toString();
    }

    private static Map<String, String> sorted(Map<String, String> configs) {
        return new TreeMap<>(configs);
    }
}
