package dev.imdbstream.model.cpu;

import java.util.Collection;

import org.deeplearning4j.nn.conf.InputPreProcessor;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.LayerValidation;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * DL4J's {@link BatchNormalization} for sequences {@code [B, C, T]} without reshaping them: normalises each of the
 * {@code C} features with statistics over the real (unmasked) steps, with the same parameters ({@code gamma, beta,
 * mean, log10stdev}), updaters and running-statistics updates as the stock layer. Without padding that is exactly
 * what the stock layer computes on the {@code [B*T, C]} rows that {@code RnnToFeedForwardPreProcessor} makes; with
 * padding the stock layer counts the padded steps in its statistics, this one does not. Computed by
 * {@link SequenceBatchNormalizationLayer} on the CPU backend, without the two reshaping copies and the stock
 * layer's temporaries. Produces its output in the {@link SequenceRows} layout.
 */
public class SequenceBatchNormalization extends BatchNormalization {

    /** For JSON deserialization. */
    public SequenceBatchNormalization() {
    }

    /** The same settings as {@code stock} (built with DL4J's builder). */
    public static SequenceBatchNormalization of(BatchNormalization stock) {
        if (stock.isLockGammaBeta()) {
            throw new IllegalArgumentException("lockGammaBeta is not supported");
        }
        return Configs.copy(stock, new SequenceBatchNormalization(), BatchNormalization.class);
    }

    /** The stock layer with the same settings. */
    public BatchNormalization toStock() {
        return Configs.copy(this, new BatchNormalization(), BatchNormalization.class);
    }

    @Override
    public org.deeplearning4j.nn.api.Layer instantiate(NeuralNetConfiguration conf,
            Collection<TrainingListener> trainingListeners, int layerIndex, INDArray layerParamsView,
            boolean initializeParams, DataType networkDataType) {
        LayerValidation.assertNOutSet("SequenceBatchNormalization", getLayerName(), layerIndex, getNOut());
        return Configs.wire(new SequenceBatchNormalizationLayer(conf, networkDataType), conf, initializer(), trainingListeners,
                layerIndex, layerParamsView, initializeParams);
    }

    @Override
    public InputType getOutputType(int layerIndex, InputType inputType) {
        return inputType;
    }

    @Override
    public void setNIn(InputType inputType, boolean override) {
        if (inputType instanceof InputType.InputTypeRecurrent recurrent) {
            if (nIn <= 0 || override) {
                nIn = recurrent.getSize();
                nOut = nIn;
            }
            return;
        }
        super.setNIn(inputType, override);
    }

    @Override
    public InputPreProcessor getPreProcessorForInputType(InputType inputType) {
        return null;
    }

    @Override
    public SequenceBatchNormalization clone() {
        return (SequenceBatchNormalization) super.clone();
    }
}
