package dev.imdbstream.scorer.input;

/**
 * Why a review went to {@code reviews.dlq}. The {@link #code()} starts {@code DeadLetter.error} and tags the
 * {@code scorer_dlq_total} counter.
 */
public enum RejectReason {
    /** A null (tombstone) or zero-length value. */
    EMPTY_RECORD,
    /** A value longer than {@code scorer.max-review-bytes}. */
    TOO_LARGE,
    /** Bytes that are not valid UTF-8. */
    NOT_UTF8,
    /** Not parseable as one JSON value. */
    MALFORMED_JSON,
    /** JSON, but not an object (an array, a string, a number, null). */
    NOT_AN_OBJECT,
    /** No {@code id}, or an empty one. */
    MISSING_ID,
    /** A known field of the wrong type or range ({@code text} not a string, {@code label} not 0/1, ...). */
    INVALID_FIELD,
    /** Neither {@code text} nor {@code tokens}. */
    NO_CONTENT,
    /** A {@code text} that is empty or only whitespace. */
    EMPTY_TEXT,
    /** A {@code tokens} sequence a selected model cannot take (wrong length, ids outside its vocabulary). */
    INVALID_SEQUENCE,
    /** No model was loaded and {@code scorer.no-model} is {@code dlq} (or the waiting room was full). */
    NO_MODEL,
    /** The model failed on this review alone (a bug or a corrupt model; logged). */
    SCORING_FAILED;

    /** Lower-case name, as in metrics and dead letters. */
    public String code() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
