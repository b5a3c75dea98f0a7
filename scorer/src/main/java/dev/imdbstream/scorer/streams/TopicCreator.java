package dev.imdbstream.scorer.streams;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.imdbstream.common.kafka.KafkaFaults;
import dev.imdbstream.common.kafka.KafkaSecurity;
import dev.imdbstream.common.kafka.Topic;
import dev.imdbstream.common.kafka.TopicCreation;
import dev.imdbstream.common.kafka.Topics;
import dev.imdbstream.scorer.config.ScorerConfig;
import io.quarkus.runtime.StartupEvent;

/**
 * At start, creates the topics the scorer reads and writes when they are missing, with the shared settings of
 * {@link Topics} (partitions, compaction, record limits) and the broker's default replication factor. Existing
 * topics are left as they are. Kafka Streams starts once they exist ({@code quarkus.kafka-streams.topics}).
 */
@ApplicationScoped
public class TopicCreator {

    private static final Logger LOG = LoggerFactory.getLogger(TopicCreator.class);
    private static final List<Topic<?, ?>> TOPICS = List.of(Topics.REVIEWS, Topics.PREDICTIONS, Topics.REVIEWS_DLQ,
            Topics.MODELS);

    void onStart(@Observes StartupEvent event, ScorerConfig config, KafkaSecurity security,
            @ConfigProperty(name = "quarkus.kafka-streams.bootstrap-servers") String bootstrapServers) {
        if (!config.createTopics()) {
            return;
        }
        try (Admin admin = Admin.create(security.applyTo(new java.util.HashMap<String, Object>(Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 15_000))))) {
            TopicCreation.createMissing(admin, TOPICS, Optional.empty(), Duration.ofSeconds(20));
        } catch (ExecutionException | TimeoutException e) {
            LOG.warn("could not create the scorer's topics ({}); waiting for them to be created elsewhere",
                    KafkaFaults.explain(e));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
