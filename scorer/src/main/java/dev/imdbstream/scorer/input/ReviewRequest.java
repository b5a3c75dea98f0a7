package dev.imdbstream.scorer.input;

/**
 * One review to score, as parsed from a {@code reviews} value: raw {@code text} (tokenized with each model's own
 * vocabulary) or an already padded {@code tokens} sequence, which wins when both are present (that is what the
 * trainer evaluated).
 *
 * @param label the true label (0/1) for streaming accuracy, or null
 */
public record ReviewRequest(String id, String text, int[] tokens, Integer label) implements ParseResult {

    public boolean isSequence() {
        return tokens != null;
    }
}
