package dev.imdbstream.trainer.kafka;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;

import jakarta.enterprise.context.ApplicationScoped;

import dev.imdbstream.common.kafka.Topic;
import dev.imdbstream.common.kafka.TopicCreation;
import dev.imdbstream.common.kafka.Topics;
import dev.imdbstream.trainer.config.TrainerConfig;

/** Creates the topics the trainer reads and writes when they are missing, with the shared settings. */
@ApplicationScoped
public class TopicAdmin {

    /** Everything the trainer touches; data topics too, so a trainer started before the ingestor can wait. */
    public static final List<Topic<String, ?>> TRAINER_TOPICS = List.of(Topics.VOCAB, Topics.EMBEDDINGS,
            Topics.TRAIN, Topics.TEST, Topics.REVIEW_EMBEDDINGS, Topics.TRAINING_JOBS, Topics.TRAINING_METRICS,
            Topics.TRAINING_RESULTS,
            Topics.TRAINING_CANCELLATIONS, Topics.MODELS);

    private final KafkaClients clients;
    private final TrainerConfig config;

    public TopicAdmin(KafkaClients clients, TrainerConfig config) {
        this.clients = clients;
        this.config = config;
    }

    public void ensureTopics() throws InterruptedException {
        try {
            TopicCreation.createMissing(clients.admin(), TRAINER_TOPICS, Optional.of(config.kafka().replicationFactor()),
                    config.kafka().requestTimeout());
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("cannot create the trainer's topics on " + clients.bootstrapServers()
                    + ": " + e.getMessage(), e);
        }
    }
}
