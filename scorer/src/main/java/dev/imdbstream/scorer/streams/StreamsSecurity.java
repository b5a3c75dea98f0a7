package dev.imdbstream.scorer.streams;

import java.util.Map;

import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import org.eclipse.microprofile.config.Config;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.smallrye.common.annotation.Identifier;

import dev.imdbstream.common.kafka.KafkaSecurity;

/**
 * The scorer's Kafka security, read by {@link KafkaSecurity} from the {@code kafka.*} settings like every other client
 * of the project, for the Kafka Streams application and every admin client.
 */
@Singleton
public class StreamsSecurity {

    private static final Logger LOG = LoggerFactory.getLogger(StreamsSecurity.class);

    @Produces
    @Singleton
    KafkaSecurity kafkaSecurity(Config config) {
        KafkaSecurity security = KafkaSecurity.from(name -> config.getOptionalValue(name, String.class));
        LOG.info("Kafka: {}", security.describe());
        return security;
    }

    /**
     * quarkus-kafka-streams merges this map into the Kafka Streams configuration (below its {@code kafka-streams.*}
     * settings) and into the admin client that waits for the topics; it replaces the extension's default map of every
     * {@code kafka.*} property, which would pass the project's own settings ({@code kafka.sasl.username}) to the
     * clients as unknown ones.
     */
    @Produces
    @Singleton
    @Identifier("default-kafka-broker")
    Map<String, Object> kafkaClientProperties(KafkaSecurity security) {
        return security.clientProperties();
    }
}
