package dev.imdbstream.scorer.streams;

import dev.imdbstream.common.kafka.JsonSerde;

/**
 * Value of the scorer's {@code scorer-pending} store (key: arrival sequence number within the task): a review
 * accepted from {@code reviews} but not scored yet, kept with everything its prediction or dead letter needs. The
 * store is changelogged, so under exactly-once a review committed as read is either scored in the same transaction
 * or still here after a crash.
 */
public record PendingReview(byte[] key, byte[] value, String topic, int partition, long offset, long timestampMs) {

    static final JsonSerde<PendingReview> SERDE = new JsonSerde<>(PendingReview.class);
}
