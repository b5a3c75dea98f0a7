package dev.imdbstream.model;

import java.util.Collection;
import java.util.Map;

import org.deeplearning4j.nn.api.MaskState;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.recurrent.Bidirectional;
import org.deeplearning4j.nn.layers.recurrent.BidirectionalLayer;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * DL4J's {@code Bidirectional(CONCAT, ...)} that actually hands the features mask to the wrapped recurrent layers.
 * <p>
 * In DL4J 1.0.0-M2.1 a {@code MultiLayerNetwork} passes the features mask down with {@code feedForwardMaskArray},
 * which the stock {@code LSTM} ignores: it never sees the mask, so with pre-padding the backward direction carries
 * its state from the review into the padding, and the forward direction starts the review from a state that the
 * padding (zero embeddings, but nonzero biases) has moved. With the mask set, the LSTM zeroes state and output at
 * masked steps: the review is processed as if it had no padding, in both directions. Same parameters and layout as
 * the stock wrapper.
 */
public class MaskedBidirectional extends Bidirectional {

    /** For Jackson (DL4J's configuration JSON). */
    public MaskedBidirectional() {
    }

    public MaskedBidirectional(Layer recurrent) {
        super(Mode.CONCAT, recurrent);
    }

    @Override
    public org.deeplearning4j.nn.api.Layer instantiate(NeuralNetConfiguration conf,
            Collection<TrainingListener> trainingListeners, int layerIndex, INDArray layerParamsView,
            boolean initializeParams, DataType networkDataType) {
        // As Bidirectional.instantiate, with the masking layer class.
        NeuralNetConfiguration fwdConf = conf.clone();
        NeuralNetConfiguration bwdConf = conf.clone();
        fwdConf.setLayer(getFwd());
        bwdConf.setLayer(getBwd());
        INDArray flat = layerParamsView.reshape(layerParamsView.length());
        long half = layerParamsView.length() / 2;
        org.deeplearning4j.nn.api.Layer f = getFwd().instantiate(fwdConf, trainingListeners, layerIndex,
                flat.get(NDArrayIndex.interval(0, half)), initializeParams, networkDataType);
        org.deeplearning4j.nn.api.Layer b = getBwd().instantiate(bwdConf, trainingListeners, layerIndex,
                flat.get(NDArrayIndex.interval(half, 2 * half)), initializeParams, networkDataType);
        MaskingLayer impl = new MaskingLayer(conf, f, b, layerParamsView);
        Map<String, INDArray> paramTable = initializer().init(conf, layerParamsView, initializeParams);
        impl.setParamTable(paramTable);
        impl.setConf(conf);
        return impl;
    }

    /** The runtime layer: a stock {@link BidirectionalLayer} that keeps the mask it is given. */
    static final class MaskingLayer extends BidirectionalLayer {

        MaskingLayer(NeuralNetConfiguration conf, org.deeplearning4j.nn.api.Layer fwd, org.deeplearning4j.nn.api.Layer bwd,
                INDArray paramsView) {
            super(conf, fwd, bwd, paramsView);
        }

        @Override
        public Pair<INDArray, MaskState> feedForwardMaskArray(INDArray maskArray, MaskState currentMaskState,
                int minibatchSize) {
            setMaskArray(maskArray);
            return super.feedForwardMaskArray(maskArray, currentMaskState, minibatchSize);
        }
    }
}
