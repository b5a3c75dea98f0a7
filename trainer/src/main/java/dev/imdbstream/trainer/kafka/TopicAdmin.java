package dev.imdbstream.trainer.kafka;

import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import jakarta.enterprise.context.ApplicationScoped;

import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;
import org.jboss.logging.Logger;

import dev.imdbstream.common.kafka.Topic;
import dev.imdbstream.common.kafka.Topics;
import dev.imdbstream.trainer.config.TrainerConfig;

/** Creates the topics the trainer reads and writes when they are missing, with the shared settings. */
@ApplicationScoped
public class TopicAdmin {

    private static final Logger LOG = Logger.getLogger(TopicAdmin.class);

    /** Everything the trainer touches; data topics too, so a trainer started before the ingestor can wait. */
    public static final List<Topic<String, ?>> TRAINER_TOPICS = List.of(Topics.VOCAB, Topics.EMBEDDINGS,
            Topics.TRAIN, Topics.TEST, Topics.TRAINING_JOBS, Topics.TRAINING_METRICS, Topics.TRAINING_RESULTS,
            Topics.TRAINING_CANCELLATIONS, Topics.MODELS);

    private final KafkaClients clients;
    private final TrainerConfig config;

    public TopicAdmin(KafkaClients clients, TrainerConfig config) {
        this.clients = clients;
        this.config = config;
    }

    public void ensureTopics() throws InterruptedException {
        long timeoutMs = config.kafka().requestTimeout().toMillis();
        try {
            Set<String> existing = clients.admin().listTopics().names().get(timeoutMs, TimeUnit.MILLISECONDS);
            List<NewTopic> missing = TRAINER_TOPICS.stream()
                    .filter(t -> !existing.contains(t.name()))
                    .map(t -> t.newTopic(config.kafka().replicationFactor()))
                    .toList();
            if (missing.isEmpty()) {
                return;
            }
            for (NewTopic t : missing) {
                try {
                    clients.admin().createTopics(List.of(t)).all().get(timeoutMs, TimeUnit.MILLISECONDS);
                    LOG.infof("created topic %s (%d partitions)", t.name(), t.numPartitions());
                } catch (ExecutionException e) {
                    // Another instance or the ingestor created it meanwhile.
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        throw e;
                    }
                }
            }
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("cannot create the trainer's topics on " + clients.bootstrapServers()
                    + ": " + e.getMessage(), e);
        }
    }
}
