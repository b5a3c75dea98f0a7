package dev.imdbstream.model;

/**
 * Which bidirectional LSTM implementation the network uses. Both have the parameter layout of DL4J's stock
 * {@code Bidirectional(CONCAT, LSTM)}, so weights are interchangeable; only speed differs.
 */
public enum LstmImpl {
    /** DL4J's {@code Bidirectional(LSTM)}: time-step loop in Java. */
    STOCK,
    /** The drop-in layer of package {@code dev.imdbstream.model.lstm} (GEMM-batched input projection). */
    FAST
}
