package dev.imdbstream.model.cpu;

import java.util.Collection;

import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.DropoutLayer;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * DL4J's {@link DropoutLayer} for sequences {@code [B, C, T]} without reshaping them: the same dropout (its
 * {@code IDropout}, retain probability as in DL4J) applied element-wise, keeping the {@link SequenceRows} layout of
 * its input, and zero at the steps the features mask marks as padding, as the stock layer makes its rows there.
 */
public class SequenceDropout extends DropoutLayer {

    /** For JSON deserialization. */
    public SequenceDropout() {
    }

    /** The same settings as {@code stock}. */
    public static SequenceDropout of(DropoutLayer stock) {
        return Configs.copy(stock, new SequenceDropout(), DropoutLayer.class);
    }

    /** The stock layer with the same settings. */
    public DropoutLayer toStock() {
        return Configs.copy(this, new DropoutLayer(), DropoutLayer.class);
    }

    @Override
    public org.deeplearning4j.nn.api.Layer instantiate(NeuralNetConfiguration conf,
            Collection<TrainingListener> trainingListeners, int layerIndex, INDArray layerParamsView,
            boolean initializeParams, DataType networkDataType) {
        return Configs.wire(new SequenceDropoutLayer(conf, networkDataType), conf, initializer(), trainingListeners,
                layerIndex, layerParamsView, initializeParams);
    }

    @Override
    public SequenceDropout clone() {
        return (SequenceDropout) super.clone();
    }
}
