package dev.imdbstream.common.kafka;

import org.apache.kafka.common.errors.RetriableException;

/**
 * Tells a fault of the infrastructure (the broker unreachable, restarting, or not answering in time), which is
 * retried, from a fault of the work itself (bad data, a record too large, no authorization), which is reported.
 */
public final class KafkaFaults {

    private KafkaFaults() {
    }

    /**
     * Whether {@code t}, or an exception it was caused by, is one the Kafka client marks retriable (timeouts,
     * disconnections, leader elections, a coordinator not available), or a wait for the broker that timed out.
     */
    public static boolean isTransient(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (c instanceof RetriableException || c instanceof java.util.concurrent.TimeoutException) {
                return true;
            }
        }
        return false;
    }
}
