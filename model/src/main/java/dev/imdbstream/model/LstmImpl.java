package dev.imdbstream.model;

import java.util.Locale;
import java.util.Objects;

import dev.imdbstream.model.cpu.Scratch;

/**
 * Which bidirectional LSTM implementation the network uses. Both compute the same function with the same
 * parameters (keys, shapes, flattened order, initialisation from a seed): the features mask applied, padded steps
 * giving a zero output and leaving the state untouched, so each review is processed over its real steps only.
 * A network built with one predicts the same with the other from the same parameters; {@link
 * BiLstmLayers#withImpl} converts a network. {@link BiLstmLayers#bidirectional} builds the layer.
 */
public enum LstmImpl {
    /** DL4J's {@code LSTM} in {@link MaskedBidirectional}: runs on every backend, cuDNN on CUDA. */
    STOCK,
    /**
     * {@link dev.imdbstream.model.lstm.BiLstm} with {@code maskPaddedSteps(true)}: GEMM-batched passes, several
     * times faster on the CPU backend, and exact gradients at padded steps; CPU backend only.
     */
    FAST;

    /**
     * System property ({@code -Dimdb.lstm=stock|fast|auto}; environment variable {@code IMDB_LSTM} when the property
     * is absent) that overrides the backend's choice, to train or serve with the other implementation for comparison.
     */
    public static final String PROPERTY = "imdb.lstm";

    /**
     * {@link #FAST} on ND4J's CPU backend, {@link #STOCK} on any other (CUDA), unless {@value #PROPERTY} says
     * otherwise.
     */
    public static LstmImpl forCurrentBackend() {
        String forced = System.getProperty(PROPERTY, Objects.requireNonNullElse(System.getenv("IMDB_LSTM"), "auto"));
        return switch (forced.trim().toLowerCase(Locale.ROOT)) {
            case "", "auto" -> Scratch.CPU_BACKEND ? FAST : STOCK;
            case "stock" -> STOCK;
            case "fast" -> FAST;
            default -> throw new IllegalArgumentException(
                    PROPERTY + " (or IMDB_LSTM) must be stock, fast or auto, not '" + forced + "'");
        };
    }
}
