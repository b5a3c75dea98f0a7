package dev.imdbstream.model.cpu;

import java.util.Collection;

import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.EmbeddingSequenceLayer;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * DL4J's {@link EmbeddingSequenceLayer} (same settings, parameters and forward pass) whose weight gradient is
 * accumulated by {@link ScatterEmbeddingSequenceLayer} with one pass over the batch's rows on the CPU backend: DL4J's
 * {@code scatter_update} op scans the whole vocabulary once per row of the batch. On every other backend, with a bias
 * or an activation other than the identity, the stock backward pass runs.
 */
public class ScatterEmbeddingSequence extends EmbeddingSequenceLayer {

    /** For JSON deserialization. */
    public ScatterEmbeddingSequence() {
    }

    /** The same settings as {@code stock} (built with DL4J's builder). */
    public static ScatterEmbeddingSequence of(EmbeddingSequenceLayer stock) {
        return Configs.copy(stock, new ScatterEmbeddingSequence(), EmbeddingSequenceLayer.class);
    }

    @Override
    public org.deeplearning4j.nn.api.Layer instantiate(NeuralNetConfiguration conf,
            Collection<TrainingListener> trainingListeners, int layerIndex, INDArray layerParamsView,
            boolean initializeParams, DataType networkDataType) {
        return Configs.wire(new ScatterEmbeddingSequenceLayer(conf, networkDataType), conf, initializer(),
                trainingListeners, layerIndex, layerParamsView, initializeParams);
    }

    @Override
    public ScatterEmbeddingSequence clone() {
        return (ScatterEmbeddingSequence) super.clone();
    }
}
