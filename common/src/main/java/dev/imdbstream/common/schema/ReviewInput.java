package dev.imdbstream.common.schema;

/**
 * Value of {@code reviews} as JSON, schema v1: either raw {@code text} or an already padded
 * {@code tokens} sequence (as on {@code imdb.test}), with an optional true {@code label} (0/1) for
 * streaming accuracy. The scorer also accepts a {@link ReviewSequence} verbatim.
 */
public record ReviewInput(String id, String text, int[] tokens, Integer label) {
}
