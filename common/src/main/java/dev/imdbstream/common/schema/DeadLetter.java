package dev.imdbstream.common.schema;

/**
 * Value of {@code reviews.dlq} (key: the input record's key), schema v1: a review that could not be
 * scored, with its original bytes (base64 in JSON) so it can be inspected or replayed.
 */
public record DeadLetter(int schemaVersion, String error, String sourceTopic, int partition, long offset,
        byte[] key, byte[] value, long failedAtMs) {

    public static final int VERSION = 1;
}
