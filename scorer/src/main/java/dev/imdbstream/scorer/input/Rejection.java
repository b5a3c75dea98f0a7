package dev.imdbstream.scorer.input;

/** A review that cannot be scored, and why. */
public record Rejection(RejectReason reason, String detail) implements ParseResult {

    /** The {@code DeadLetter.error} text: the reason code, then the detail. */
    public String message() {
        return reason.code() + ": " + detail;
    }
}
