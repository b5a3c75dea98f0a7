package dev.imdbstream.scorer.input;

/** The outcome of parsing one {@code reviews} value: a {@link ReviewRequest} or a {@link Rejection}. */
public sealed interface ParseResult permits ReviewRequest, Rejection {
}
