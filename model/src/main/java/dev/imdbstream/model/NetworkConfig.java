package dev.imdbstream.model;

import java.util.LinkedHashMap;
import java.util.Map;

import dev.imdbstream.common.schema.Hyperparameters;

/**
 * The shape and optimiser of the notebook's network. {@link #notebook(EmbeddingVariant)} is the notebook's model
 * (1,318,081 parameters); the tests use smaller dimensions of the same architecture.
 *
 * @param vocabSize           embedding rows: every token id is below this
 * @param embeddingDim        embedding width
 * @param lstmUnits           units per LSTM direction (the concatenated output has twice as many)
 * @param denseUnits          width of the ReLU layer after attention pooling
 * @param lstmDropout         drop probability after the BiLSTM (Keras convention: fraction dropped)
 * @param denseDropout        drop probability after the ReLU layer
 * @param bnMomentum          BatchNormalization running-statistics momentum (Keras default 0.99)
 * @param bnEpsilon           BatchNormalization epsilon (Keras default 1e-3)
 * @param learningRate        AdamW learning rate
 * @param weightDecay         AdamW decoupled weight decay, applied once per step as {@code lr * decay * param}
 * @param adamEpsilon         Adam epsilon (Keras default 1e-7)
 * @param variant             how the embedding starts
 * @param trainableEmbeddings false freezes the embedding layer (forced false by frozen variants)
 * @param lstmImpl            which BiLSTM implementation to build
 */
public record NetworkConfig(int vocabSize, int embeddingDim, int lstmUnits, int denseUnits, double lstmDropout,
        double denseDropout, double bnMomentum, double bnEpsilon, double learningRate, double weightDecay,
        double adamEpsilon, EmbeddingVariant variant, boolean trainableEmbeddings, LstmImpl lstmImpl) {

    public static final double ADAM_BETA1 = 0.9;
    public static final double ADAM_BETA2 = 0.999;

    public NetworkConfig {
        if (vocabSize < 1 || embeddingDim < 1 || lstmUnits < 1 || denseUnits < 1) {
            throw new IllegalArgumentException("dimensions must be positive: " + vocabSize + ", " + embeddingDim
                    + ", " + lstmUnits + ", " + denseUnits);
        }
        if (lstmDropout < 0 || lstmDropout >= 1 || denseDropout < 0 || denseDropout >= 1) {
            throw new IllegalArgumentException("dropout rates must be in [0, 1)");
        }
        if (learningRate <= 0 || weightDecay < 0) {
            throw new IllegalArgumentException("learningRate must be > 0 and weightDecay >= 0");
        }
        trainableEmbeddings = trainableEmbeddings && variant.trainable();
    }

    /**
     * The notebook's network and optimiser (Keras AdamW defaults: lr 1e-4 as in the notebook, decay 0.004), with the
     * BiLSTM implementation of the current backend.
     */
    public static NetworkConfig notebook(EmbeddingVariant variant) {
        return new NetworkConfig(10_000, 100, 128, 64, 0.5, 0.4, 0.99, 1e-3, 1e-4, 0.004, 1e-7, variant,
                variant.trainable(), LstmImpl.forCurrentBackend());
    }

    /** The notebook's network with the optimiser settings of one training job. */
    public static NetworkConfig of(Hyperparameters hp, EmbeddingVariant variant, int vocabSize) {
        NetworkConfig nb = notebook(variant);
        return new NetworkConfig(vocabSize, nb.embeddingDim, nb.lstmUnits, nb.denseUnits, nb.lstmDropout,
                nb.denseDropout, nb.bnMomentum, nb.bnEpsilon, hp.learningRate(), hp.weightDecay(), nb.adamEpsilon,
                variant, hp.trainableEmbeddings(), nb.lstmImpl);
    }

    public NetworkConfig withLstmImpl(LstmImpl impl) {
        return new NetworkConfig(vocabSize, embeddingDim, lstmUnits, denseUnits, lstmDropout, denseDropout,
                bnMomentum, bnEpsilon, learningRate, weightDecay, adamEpsilon, variant, trainableEmbeddings, impl);
    }

    public NetworkConfig withDimensions(int vocabSize, int embeddingDim, int lstmUnits, int denseUnits) {
        return new NetworkConfig(vocabSize, embeddingDim, lstmUnits, denseUnits, lstmDropout, denseDropout,
                bnMomentum, bnEpsilon, learningRate, weightDecay, adamEpsilon, variant, trainableEmbeddings, lstmImpl);
    }

    public NetworkConfig withOptimizer(double learningRate, double weightDecay) {
        return new NetworkConfig(vocabSize, embeddingDim, lstmUnits, denseUnits, lstmDropout, denseDropout,
                bnMomentum, bnEpsilon, learningRate, weightDecay, adamEpsilon, variant, trainableEmbeddings, lstmImpl);
    }

    public NetworkConfig withDropout(double lstmDropout, double denseDropout) {
        return new NetworkConfig(vocabSize, embeddingDim, lstmUnits, denseUnits, lstmDropout, denseDropout,
                bnMomentum, bnEpsilon, learningRate, weightDecay, adamEpsilon, variant, trainableEmbeddings, lstmImpl);
    }

    /** Width of the BiLSTM output (both directions concatenated). */
    public int sequenceFeatures() {
        return 2 * lstmUnits;
    }

    /** The settings as strings, for an artifact's provenance. */
    public Map<String, String> describe() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("net.vocabSize", Integer.toString(vocabSize));
        m.put("net.embeddingDim", Integer.toString(embeddingDim));
        m.put("net.lstmUnits", Integer.toString(lstmUnits));
        m.put("net.denseUnits", Integer.toString(denseUnits));
        m.put("net.lstmDropout", Double.toString(lstmDropout));
        m.put("net.denseDropout", Double.toString(denseDropout));
        m.put("net.bnMomentum", Double.toString(bnMomentum));
        m.put("net.bnEpsilon", Double.toString(bnEpsilon));
        m.put("net.learningRate", Double.toString(learningRate));
        m.put("net.weightDecay", Double.toString(weightDecay));
        m.put("net.adamEpsilon", Double.toString(adamEpsilon));
        m.put("net.variant", variant.id());
        m.put("net.trainableEmbeddings", Boolean.toString(trainableEmbeddings));
        m.put("net.lstmImpl", lstmImpl.name());
        return m;
    }
}
