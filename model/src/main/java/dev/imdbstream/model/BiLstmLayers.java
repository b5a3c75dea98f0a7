package dev.imdbstream.model;

import java.util.List;

import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.layers.BaseRecurrentLayer;
import org.deeplearning4j.nn.conf.layers.LSTM;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.learning.regularization.Regularization;

import dev.imdbstream.model.lstm.BiLstm;

/**
 * The one place that turns an {@link LstmImpl} into a bidirectional LSTM layer configuration: input
 * {@code [batch, nIn, time]} with a time mask, output {@code [batch, 2 * units, time]} (forward then backward,
 * concatenated), the parameter layout of DL4J's {@code Bidirectional(CONCAT, LSTM)}; and that converts a network
 * built with one implementation into the other.
 * <p>
 * Every implementation must honour the features mask (padding = 0) that reaches it through
 * {@code feedForwardMaskArray}: state and output are zero at masked steps, so a review gives the same output whatever
 * padding precedes it ({@code MaskingTest}), and must pass the mask on to the layers above.
 */
public final class BiLstmLayers {

    private BiLstmLayers() {
    }

    /**
     * Biases as Keras (forget gate 1, others 0); the kernels are re-initialised as Keras does by {@link KerasInit}
     * after the network is built. Both implementations draw the same initial parameters from the same seed.
     *
     * @param regularization applied once to weights and biases of both directions (decoupled weight decay)
     */
    public static Layer bidirectional(LstmImpl impl, int nIn, int units, List<Regularization> regularization) {
        return switch (impl) {
            case STOCK -> {
                LSTM.Builder lstm = new LSTM.Builder()
                        .nIn(nIn)
                        .nOut(units)
                        .activation(Activation.TANH)
                        .gateActivationFunction(Activation.SIGMOID)
                        .forgetGateBiasInit(1.0)
                        .weightInit(WeightInit.XAVIER_UNIFORM)
                        .weightInitRecurrent(WeightInit.XAVIER_UNIFORM);
                lstm.regularization(regularization);
                lstm.regularizationBias(regularization);
                // The stock wrapper drops the mask; this one hands it to the LSTM.
                yield new MaskedBidirectional(lstm.build());
            }
            case FAST -> {
                BiLstm.Builder lstm = new BiLstm.Builder()
                        .nIn(nIn)
                        .nOut(units)
                        .forgetGateBiasInit(1.0)
                        .maskPaddedSteps(true)
                        .weightInit(WeightInit.XAVIER_UNIFORM)
                        .weightInitRecurrent(WeightInit.XAVIER_UNIFORM);
                lstm.regularization(regularization);
                lstm.regularizationBias(regularization);
                yield lstm.build();
            }
        };
    }

    /** The implementation of a layer configuration built by {@link #bidirectional}; null for any other layer. */
    public static LstmImpl implOf(Layer layer) {
        if (layer instanceof MaskedBidirectional) {
            return LstmImpl.STOCK;
        }
        if (layer instanceof BiLstm fast && fast.isMaskPaddedSteps()) {
            return LstmImpl.FAST;
        }
        return null;
    }

    /**
     * The same layer computed by the other implementation: same sizes, initialisation and per-layer training
     * settings (updater, regularization, dropout, name); constraints are not carried over.
     */
    public static Layer convert(Layer layer, LstmImpl target) {
        LstmImpl source = implOf(layer);
        if (source == null) {
            throw new IllegalArgumentException("not a BiLSTM built by BiLstmLayers: " + layer);
        }
        if (source == target) {
            return layer.clone();
        }
        if (source == LstmImpl.FAST) {
            MaskedBidirectional stock = new MaskedBidirectional(((BiLstm) layer).stockDirection());
            stock.setLayerName(layer.getLayerName());
            return stock;
        }
        LSTM lstm = (LSTM) ((MaskedBidirectional) layer).getFwd();
        BiLstm fast = new BiLstm.Builder()
                .nIn(lstm.getNIn())
                .nOut(lstm.getNOut())
                .forgetGateBiasInit(lstm.getForgetGateBiasInit())
                .maskPaddedSteps(true)
                .dataFormat(lstm.getRnnDataFormat())
                .build();
        copySettings(lstm, fast);
        fast.setLayerName(layer.getLayerName());
        return fast;
    }

    /**
     * A network that computes its BiLSTM with {@code target}, holding a copy of {@code net}'s parameters (BatchNorm
     * statistics included) and, if it has one, of its updater state; {@code net} itself if it already uses
     * {@code target} or has no BiLSTM built here. Lets a checkpoint trained on one backend run on another, and an
     * artifact written with the stock layer run with the fast one.
     */
    public static MultiLayerNetwork withImpl(MultiLayerNetwork net, LstmImpl target) {
        MultiLayerConfiguration conf = net.getLayerWiseConfigurations().clone();
        boolean changed = false;
        for (int i = 0; i < conf.getConfs().size(); i++) {
            Layer layer = conf.getConf(i).getLayer();
            LstmImpl impl = implOf(layer);
            if (impl != null && impl != target) {
                conf.getConf(i).setLayer(convert(layer, target));
                changed = true;
            }
        }
        if (!changed) {
            return net;
        }
        MultiLayerNetwork converted = new MultiLayerNetwork(conf);
        converted.init(net.params(), true);
        INDArray updaterState = net.getUpdater(false) == null ? null : net.getUpdater(false).getStateViewArray();
        if (updaterState != null) {
            converted.getUpdater().setStateViewArray(converted, updaterState.dup(), false);
        }
        return converted;
    }

    private static void copySettings(BaseRecurrentLayer from, BaseRecurrentLayer to) {
        to.setWeightInitFn(from.getWeightInitFn());
        to.setWeightInitFnRecurrent(from.getWeightInitFnRecurrent());
        to.setIUpdater(from.getIUpdater());
        to.setBiasUpdater(from.getBiasUpdater());
        to.setRegularization(from.getRegularization());
        to.setRegularizationBias(from.getRegularizationBias());
        to.setIDropout(from.getIDropout());
        to.setWeightNoise(from.getWeightNoise());
        to.setGradientNormalization(from.getGradientNormalization());
        to.setGradientNormalizationThreshold(from.getGradientNormalizationThreshold());
        to.setBiasInit(from.getBiasInit());
        to.setGainInit(from.getGainInit());
    }
}
