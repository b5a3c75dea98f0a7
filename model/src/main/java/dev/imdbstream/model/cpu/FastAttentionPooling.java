package dev.imdbstream.model.cpu;

import java.util.Collection;

import org.deeplearning4j.nn.api.ParamInitializer;
import org.deeplearning4j.nn.conf.InputPreProcessor;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.FeedForwardLayer;
import org.deeplearning4j.nn.conf.memory.LayerMemoryReport;
import org.deeplearning4j.nn.conf.memory.MemoryReport;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Additive attention pooling over a masked sequence, the same function, parameters and initialisation as the
 * SameDiff layer {@code dev.imdbstream.model.AttentionPooling}, computed on the CPU backend with direct GEMMs and
 * fused loops ({@link FastAttentionPoolingLayer}). Consumes {@code [B, n, T]} plus the features mask {@code [B, T]};
 * produces {@code [B, n]}:
 * <pre>
 *   score_t = u · tanh(W^T h_t + b),  a = softmax(score + (1 - mask) * -1e9) over t,  out = sum_t a_t h_t
 * </pre>
 * Parameters {@code W [n, n]}, {@code u [n, 1]} (weights) and {@code b [1, n]} (bias), see
 * {@link AttentionParamInitializer}.
 */
public class FastAttentionPooling extends FeedForwardLayer {

    /** For JSON deserialization. */
    public FastAttentionPooling() {
    }

    private FastAttentionPooling(Builder builder) {
        super(builder);
    }

    @Override
    public org.deeplearning4j.nn.api.Layer instantiate(NeuralNetConfiguration conf,
            Collection<TrainingListener> trainingListeners, int layerIndex, INDArray layerParamsView,
            boolean initializeParams, DataType networkDataType) {
        return Configs.wire(new FastAttentionPoolingLayer(conf, networkDataType), conf, initializer(), trainingListeners,
                layerIndex, layerParamsView, initializeParams);
    }

    @Override
    public ParamInitializer initializer() {
        return AttentionParamInitializer.getInstance();
    }

    @Override
    public InputType getOutputType(int layerIndex, InputType inputType) {
        return InputType.feedForward(nIn);
    }

    @Override
    public void setNIn(InputType inputType, boolean override) {
        if (nIn <= 0 || override) {
            nIn = ((InputType.InputTypeRecurrent) inputType).getSize();
            nOut = nIn;
        }
    }

    @Override
    public InputPreProcessor getPreProcessorForInputType(InputType inputType) {
        return null;
    }

    @Override
    public LayerMemoryReport getMemoryReport(InputType inputType) {
        long numParams = initializer().numParams(this);
        long steps = Math.max(1, ((InputType.InputTypeRecurrent) inputType).getTimeSeriesLength());
        // Per example: tanh activations and their gradients, a copy of the input rows.
        long perExample = steps * 3 * nIn;
        return new LayerMemoryReport.Builder(layerName, FastAttentionPooling.class, inputType,
                getOutputType(-1, inputType))
                .standardMemory(numParams, iUpdater == null ? 0 : iUpdater.stateSize(numParams))
                .workingMemory(0, perExample, MemoryReport.CACHE_MODE_ALL_ZEROS,
                        MemoryReport.cacheModeMapFor(perExample))
                .cacheMemory(MemoryReport.CACHE_MODE_ALL_ZEROS, MemoryReport.CACHE_MODE_ALL_ZEROS)
                .build();
    }

    /** {@code nIn} is the width of each step's vector; {@code nOut} is set to it. */
    public static class Builder extends FeedForwardLayer.Builder<Builder> {

        @Override
        @SuppressWarnings("unchecked")
        public FastAttentionPooling build() {
            if (nIn < 1) {
                throw new IllegalStateException("nIn must be set");
            }
            nOut = nIn;
            return new FastAttentionPooling(this);
        }
    }
}
