import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourceType;

import dev.imdbstream.common.kafka.KafkaAccess;
import dev.imdbstream.common.kafka.KafkaAccess.Grant;

/**
 * Writes the deployments' Kafka users and ACLs from {@link KafkaAccess#USERS}, the one source of who may do what:
 * {@code create-acls.sh} (kafka-configs.sh and kafka-acls.sh commands: the secured docker compose variant's
 * {@code topics} job) and {@code kafka-users.yaml} (Strimzi {@code KafkaUser} resources with SCRAM-SHA-512 and their
 * ACLs). Run by {@code deploy/kafka/generate.sh}.
 * Usage: {@code java -cp <common and its dependencies> AccessScript.java <script path> <strimzi yaml path>}
 */
public class AccessScript {

    private static final String HEADER = "GENERATED from dev.imdbstream.common.kafka.KafkaAccess by deploy/kafka/generate.sh: do not edit.";

    public static void main(String[] args) throws IOException {
        if (args.length != 2) {
            System.err.println("usage: AccessScript <create-acls.sh> <kafka-users.yaml>");
            System.exit(2);
        }
        Files.writeString(Path.of(args[0]), script());
        Files.writeString(Path.of(args[1]), strimzi());
    }

    static String script() {
        StringBuilder s = new StringBuilder();
        s.append("#!/bin/sh\n");
        s.append("# ").append(HEADER).append('\n');
        s.append("# Creates each service's Kafka user (SCRAM-SHA-512) and its ACLs on a secured broker; running it again changes\n");
        s.append("# nothing but the passwords. Run as an administrator (a super user of the broker).\n");
        s.append("# Environment: BOOTSTRAP_SERVERS (kafka:9095), COMMAND_CONFIG (the administrator's client properties, required),\n");
        s.append("# KAFKA_BIN (/opt/kafka/bin, as in the apache/kafka image), and each user's password:\n");
        s.append("# ").append(KafkaAccess.USERS.keySet().stream().map(AccessScript::passwordVariable)
                .collect(Collectors.joining(", "))).append(" (letters, digits, '.', '_', '-': e.g. openssl rand -hex 24).\n");
        s.append("set -eu\n");
        s.append("bootstrap=\"${BOOTSTRAP_SERVERS:-kafka:9095}\"\n");
        s.append("config=\"${COMMAND_CONFIG:?COMMAND_CONFIG: the administrator's client properties file}\"\n");
        s.append("bin=\"${KAFKA_BIN:-/opt/kafka/bin}\"\n\n");
        s.append("user() { # name password\n");
        s.append("  case \"$2\" in\n");
        s.append("    *[!A-Za-z0-9._-]*) echo \"the password of $1 may hold only letters, digits, '.', '_' and '-'\" >&2; exit 2 ;;\n");
        s.append("  esac\n");
        s.append("  \"$bin/kafka-configs.sh\" --bootstrap-server \"$bootstrap\" --command-config \"$config\" --alter \\\n");
        s.append("    --add-config \"SCRAM-SHA-512=[iterations=8192,password=$2]\" --entity-type users --entity-name \"$1\"\n");
        s.append("}\n\n");
        s.append("acl() { # user pattern-type resource-options... --operation ...\n");
        s.append("  principal=\"User:$1\"; pattern=\"$2\"; shift 2\n");
        s.append("  \"$bin/kafka-acls.sh\" --bootstrap-server \"$bootstrap\" --command-config \"$config\" --add \\\n");
        s.append("    --allow-principal \"$principal\" --resource-pattern-type \"$pattern\" \"$@\"\n");
        s.append("}\n");
        for (Map.Entry<String, List<Grant>> e : KafkaAccess.USERS.entrySet()) {
            String user = e.getKey();
            s.append("\n# ").append(user).append('\n');
            s.append("user ").append(user).append(" \"${").append(passwordVariable(user)).append(":?")
                    .append(passwordVariable(user)).append(" is not set}\"\n");
            for (Grant g : e.getValue()) {
                s.append("acl ").append(user).append(' ').append(g.pattern() == PatternType.PREFIXED ? "prefixed" : "literal")
                        .append(' ').append(cliResource(g.type())).append(' ').append(g.name());
                for (AclOperation op : g.operations()) {
                    s.append(" --operation ").append(strimziOperation(op));
                }
                s.append('\n');
            }
        }
        s.append("\n\"$bin/kafka-acls.sh\" --bootstrap-server \"$bootstrap\" --command-config \"$config\" --list\n");
        return s.toString();
    }

    static String strimzi() {
        StringBuilder s = new StringBuilder();
        s.append("# ").append(HEADER).append('\n');
        s.append("# Strimzi KafkaUser resources of every service: SCRAM-SHA-512 (the User Operator writes each user's password and\n");
        s.append("# sasl.jaas.config into a Secret of the user's name) and its ACLs (simple authorization of the `imdb` cluster).\n");
        for (Map.Entry<String, List<Grant>> e : KafkaAccess.USERS.entrySet()) {
            s.append("---\n");
            s.append("apiVersion: kafka.strimzi.io/v1beta2\n");
            s.append("kind: KafkaUser\n");
            s.append("metadata:\n");
            s.append("  name: ").append(e.getKey()).append('\n');
            s.append("  labels:\n");
            s.append("    strimzi.io/cluster: imdb\n");
            s.append("spec:\n");
            s.append("  authentication:\n");
            s.append("    type: scram-sha-512\n");
            s.append("  authorization:\n");
            s.append("    type: simple\n");
            s.append("    acls:\n");
            for (Grant g : e.getValue()) {
                s.append("      - resource:\n");
                s.append("          type: ").append(strimziResource(g.type())).append('\n');
                s.append("          name: ").append(g.name()).append('\n');
                s.append("          patternType: ").append(g.pattern() == PatternType.PREFIXED ? "prefix" : "literal").append('\n');
                s.append("        operations: [").append(g.operations().stream().map(AccessScript::strimziOperation)
                        .collect(Collectors.joining(", "))).append("]\n");
            }
        }
        return s.toString();
    }

    static String passwordVariable(String user) {
        return "KAFKA_" + user.toUpperCase(Locale.ROOT).replaceAll("[^A-Z0-9]", "_") + "_PASSWORD";
    }

    private static String cliResource(ResourceType type) {
        return switch (type) {
            case TOPIC -> "--topic";
            case GROUP -> "--group";
            case TRANSACTIONAL_ID -> "--transactional-id";
            default -> throw new IllegalArgumentException("no kafka-acls.sh option for " + type);
        };
    }

    private static String strimziResource(ResourceType type) {
        return switch (type) {
            case TOPIC -> "topic";
            case GROUP -> "group";
            case TRANSACTIONAL_ID -> "transactionalId";
            default -> throw new IllegalArgumentException("no Strimzi resource type for " + type);
        };
    }

    /** Kafka's operation names as kafka-acls.sh and Strimzi write them: Read, DescribeConfigs, ... */
    private static String strimziOperation(AclOperation op) {
        return java.util.Arrays.stream(op.name().toLowerCase(Locale.ROOT).split("_"))
                .map(w -> Character.toUpperCase(w.charAt(0)) + w.substring(1)).collect(Collectors.joining());
    }
}
