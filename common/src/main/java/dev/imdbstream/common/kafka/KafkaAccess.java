package dev.imdbstream.common.kafka;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;

/**
 * Who may do what on a secured broker: the Kafka user of each service and its ACLs of least privilege, the one
 * source of the deployments' ACLs ({@code deploy/kafka/generate.sh} writes the compose script and the Strimzi
 * {@code KafkaUser}s from it) and of the secured integration test's. A user is the SCRAM user name, or the common
 * name of its client certificate under mutual TLS (the broker maps {@code CN=trainer} to {@code trainer}).
 *
 * <ul>
 * <li>{@code ingestor} writes {@code imdb.*}; reads {@code imdb.review-embeddings} (the reviews already encoded).</li>
 * <li>{@code trainer} reads {@code imdb.*}; reads and writes {@code training.*} (it publishes jobs, epochs, results and
 * cancellations and reads them back for its API); writes {@code models}; consumes as group {@value #TRAINER_GROUP}.</li>
 * <li>{@code scorer} reads {@code reviews} and {@code models}; writes {@code predictions} and {@code reviews.dlq}; owns the
 * internal topics, group and transactional ids of the Kafka Streams application {@value #SCORER_APPLICATION_ID}.</li>
 * <li>{@code client} (whoever streams reviews in: the local run, the checks, an application) writes {@code reviews};
 * reads {@code predictions} and {@code reviews.dlq}, in groups named {@code client-*}.</li>
 * </ul>
 * Topics are created by an administrator (a super user: compose's {@code topics} job, Strimzi's Topic Operator), so
 * no service may create or delete a topic, alter a configuration or an ACL.
 */
public final class KafkaAccess {

    /** The trainers' consumer group on training.jobs ({@code trainer.kafka.group-id}). */
    public static final String TRAINER_GROUP = "imdb-trainer";
    /** The scorer's Kafka Streams application id ({@code quarkus.kafka-streams.application-id}). */
    public static final String SCORER_APPLICATION_ID = "imdb-scorer";
    /** Prefix of the consumer groups of the {@code client} user. */
    public static final String CLIENT_GROUP_PREFIX = "client-";

    public static final String INGESTOR = "ingestor";
    public static final String TRAINER = "trainer";
    public static final String SCORER = "scorer";
    public static final String CLIENT = "client";

    /**
     * One ACL of a user: operations allowed on the resources a name matches ({@code LITERAL}: that name,
     * {@code PREFIXED}: every name starting with it).
     */
    public record Grant(ResourceType type, PatternType pattern, String name, List<AclOperation> operations) {

        static Grant topic(String name, AclOperation... operations) {
            return new Grant(ResourceType.TOPIC, PatternType.LITERAL, name, List.of(operations));
        }

        static Grant topics(String prefix, AclOperation... operations) {
            return new Grant(ResourceType.TOPIC, PatternType.PREFIXED, prefix, List.of(operations));
        }

        static Grant group(String name, PatternType pattern) {
            return new Grant(ResourceType.GROUP, pattern, name, List.of(AclOperation.READ));
        }
    }

    /** Every user and its grants, in a stable order. */
    public static final Map<String, List<Grant>> USERS;

    static {
        Map<String, List<Grant>> users = new LinkedHashMap<>();
        users.put(INGESTOR, List.of(
                Grant.topics("imdb.", AclOperation.WRITE),
                Grant.topic(Topics.REVIEW_EMBEDDINGS.name(), AclOperation.READ)));
        users.put(TRAINER, List.of(
                Grant.topics("imdb.", AclOperation.READ),
                Grant.topics("training.", AclOperation.READ, AclOperation.WRITE),
                Grant.topic(Topics.MODELS.name(), AclOperation.WRITE),
                Grant.group(TRAINER_GROUP, PatternType.LITERAL)));
        users.put(SCORER, List.of(
                Grant.topic(Topics.REVIEWS.name(), AclOperation.READ),
                Grant.topic(Topics.MODELS.name(), AclOperation.READ),
                Grant.topic(Topics.PREDICTIONS.name(), AclOperation.WRITE),
                Grant.topic(Topics.REVIEWS_DLQ.name(), AclOperation.WRITE),
                // Kafka Streams' changelog topics, named <application id>-<store>-changelog.
                Grant.topics(SCORER_APPLICATION_ID + "-", AclOperation.CREATE, AclOperation.READ, AclOperation.WRITE,
                        AclOperation.DELETE, AclOperation.DESCRIBE, AclOperation.DESCRIBE_CONFIGS),
                Grant.group(SCORER_APPLICATION_ID, PatternType.LITERAL),
                // exactly_once_v2: one transactional producer per stream thread, <application id>-<process id>-<n>.
                new Grant(ResourceType.TRANSACTIONAL_ID, PatternType.PREFIXED, SCORER_APPLICATION_ID + "-",
                        List.of(AclOperation.WRITE, AclOperation.DESCRIBE))));
        users.put(CLIENT, List.of(
                Grant.topic(Topics.REVIEWS.name(), AclOperation.WRITE),
                Grant.topic(Topics.PREDICTIONS.name(), AclOperation.READ),
                Grant.topic(Topics.REVIEWS_DLQ.name(), AclOperation.READ),
                Grant.group(CLIENT_GROUP_PREFIX, PatternType.PREFIXED)));
        USERS = java.util.Collections.unmodifiableMap(users);
    }

    private KafkaAccess() {
    }

    /** The ACL bindings of {@code user} (allow, from any host), for {@code Admin.createAcls}. */
    public static List<AclBinding> aclBindings(String user) {
        List<Grant> grants = USERS.get(user);
        if (grants == null) {
            throw new IllegalArgumentException("no Kafka user " + user + "; known: " + USERS.keySet());
        }
        List<AclBinding> bindings = new ArrayList<>();
        for (Grant g : grants) {
            for (AclOperation operation : g.operations()) {
                bindings.add(new AclBinding(new ResourcePattern(g.type(), g.name(), g.pattern()),
                        new AccessControlEntry("User:" + user, "*", operation, AclPermissionType.ALLOW)));
            }
        }
        return bindings;
    }
}
