package dev.imdbstream.model;

import org.nd4j.linalg.factory.Nd4j;

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

    /** {@link #FAST} on ND4J's CPU backend, {@link #STOCK} on any other (CUDA). */
    public static LstmImpl forCurrentBackend() {
        return Nd4j.getBackend().getClass().getSimpleName().startsWith("Cpu") ? FAST : STOCK;
    }
}
