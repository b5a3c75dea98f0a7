package dev.imdbstream.scorer.streams;

import java.util.Map;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.streams.errors.DeserializationExceptionHandler;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.micrometer.core.instrument.Metrics;

/**
 * Kafka Streams' {@code default.deserialization.exception.handler}: logs a record that cannot be deserialized
 * (naming topic, partition and offset), counts it in {@code scorer_deserialization_errors_total{topic}} and lets the
 * stream go on. {@code reviews} is read as raw bytes, so its bad records never get here: they reach the scorer's
 * own code and the DLQ. What can land here is a corrupt artifact on {@code models}, which is then skipped.
 * Instantiated by Kafka Streams, hence Micrometer's global registry (Quarkus adds its Prometheus registry to it).
 */
public final class CountingDeserializationHandler implements DeserializationExceptionHandler {

    private static final Logger LOG = LoggerFactory.getLogger(CountingDeserializationHandler.class);

    @Override
    public DeserializationHandlerResponse handle(ErrorHandlerContext context, ConsumerRecord<byte[], byte[]> record,
            Exception exception) {
        LOG.warn("skipping a record that cannot be deserialized: topic {} partition {} offset {}: {}", record.topic(),
                record.partition(), record.offset(), exception.toString());
        Metrics.counter("scorer.deserialization.errors", "topic", record.topic()).increment();
        return DeserializationHandlerResponse.CONTINUE;
    }

    @Override
    public void configure(Map<String, ?> configs) {
        // nothing to configure
    }
}
