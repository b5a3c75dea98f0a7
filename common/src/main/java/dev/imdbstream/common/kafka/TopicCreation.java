package dev.imdbstream.common.kafka;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.CreateTopicsResult;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates the missing ones of a set of {@link Topics} with their shared settings (partitions, configs): the one way
 * the services, the local broker and the tests create topics. Existing topics are left as they are; only missing
 * ones are asked for, so a user without the right to create topics can run this once they all exist.
 */
public final class TopicCreation {

    private static final Logger LOG = LoggerFactory.getLogger(TopicCreation.class);

    private TopicCreation() {
    }

    /**
     * Creates those of {@code topics} that do not exist, each bounded by {@code timeout}; a topic that another client
     * creates meanwhile counts as existing.
     *
     * @param replicationFactor empty: the broker's default
     * @return the names of the topics that existed already
     * @throws ExecutionException when the broker refuses (its cause says why)
     */
    public static List<String> createMissing(Admin admin, Collection<? extends Topic<?, ?>> topics,
            Optional<Short> replicationFactor, Duration timeout)
            throws ExecutionException, TimeoutException, InterruptedException {
        Set<String> listed = admin.listTopics().names().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        List<String> existing = new ArrayList<>();
        List<NewTopic> missing = new ArrayList<>();
        for (Topic<?, ?> topic : topics) {
            if (listed.contains(topic.name())) {
                existing.add(topic.name());
            } else {
                missing.add(replicationFactor.map(topic::newTopic).orElseGet(topic::newTopic));
            }
        }
        if (missing.isEmpty()) {
            return existing;
        }
        CreateTopicsResult result = admin.createTopics(missing);
        for (NewTopic topic : missing) {
            try {
                result.values().get(topic.name()).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
                LOG.info("created topic {} ({} partitions, {})", topic.name(), topic.numPartitions(), topic.configs());
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof TopicExistsException)) {
                    throw e;
                }
                existing.add(topic.name());
            }
        }
        return existing;
    }
}
