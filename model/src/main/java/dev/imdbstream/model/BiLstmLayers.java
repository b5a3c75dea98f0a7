package dev.imdbstream.model;

import java.util.List;

import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.layers.BaseRecurrentLayer;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.DropoutLayer;
import org.deeplearning4j.nn.conf.layers.LSTM;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.preprocessor.FeedForwardToRnnPreProcessor;
import org.deeplearning4j.nn.conf.preprocessor.RnnToFeedForwardPreProcessor;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.learning.regularization.Regularization;

import dev.imdbstream.model.cpu.FastAttentionPooling;
import dev.imdbstream.model.cpu.SequenceBatchNormalization;
import dev.imdbstream.model.cpu.SequenceDropout;
import dev.imdbstream.model.lstm.BiLstm;

/**
 * The one place that turns an {@link LstmImpl} into layer configurations: the bidirectional LSTM (input
 * {@code [batch, nIn, time]} with a time mask, output {@code [batch, 2 * units, time]}, forward then backward
 * concatenated, the parameter layout of DL4J's {@code Bidirectional(CONCAT, LSTM)}) and the attention pooling; and
 * that converts a network built with one implementation into the other ({@link #withImpl}), the sequence layers
 * between them included.
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

    /**
     * Additive attention pooling over the masked sequence {@code [batch, features, time] -> [batch, features]}:
     * {@link AttentionPooling} (SameDiff) or {@link FastAttentionPooling}, same parameters.
     */
    public static Layer attention(LstmImpl impl, int features, List<Regularization> regularization) {
        return switch (impl) {
            case STOCK -> {
                AttentionPooling.Builder attention = new AttentionPooling.Builder().nIn(features);
                attention.regularization(regularization);
                attention.regularizationBias(regularization);
                yield attention.build();
            }
            case FAST -> {
                FastAttentionPooling.Builder attention = new FastAttentionPooling.Builder().nIn(features);
                attention.regularization(regularization);
                attention.regularizationBias(regularization);
                yield attention.build();
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
     * A network computed by {@code target}, holding a copy of {@code net}'s parameters (BatchNorm statistics included)
     * and, if it has one, of its updater state and iteration count; {@code net} itself if nothing changes. Converts
     * the BiLSTM, the attention pooling and the sequence layers between them, as {@link SentimentNetwork} builds them
     * for each implementation: STOCK reshapes the sequence to rows for DL4J's dropout and BatchNormalization
     * ({@code RnnToFeedForwardPreProcessor} before them, {@code FeedForwardToRnnPreProcessor} after them), FAST uses
     * {@link SequenceDropout} and {@link SequenceBatchNormalization} on the sequence as it is. Lets a checkpoint
     * trained on one backend run on another, and an artifact written with the stock layers run with the fast ones.
     */
    public static MultiLayerNetwork withImpl(MultiLayerNetwork net, LstmImpl target) {
        MultiLayerConfiguration conf = net.getLayerWiseConfigurations().clone();
        int n = conf.getConfs().size();
        boolean changed = false;
        for (int i = 0; i < n; i++) {
            Layer layer = conf.getConf(i).getLayer();
            LstmImpl impl = implOf(layer);
            if (impl != null && impl != target) {
                conf.getConf(i).setLayer(convert(layer, target));
                changed = true;
            }
            if (target == LstmImpl.FAST && layer instanceof AttentionPooling stock) {
                conf.getConf(i).setLayer(fastAttention(stock));
                changed = true;
            } else if (target == LstmImpl.STOCK && layer instanceof FastAttentionPooling fast) {
                conf.getConf(i).setLayer(stockAttention(fast));
                changed = true;
            }
        }
        changed |= target == LstmImpl.FAST ? sequenceLayersToFast(conf) : sequenceLayersToStock(conf);
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

    /** Row-wise dropout/BatchNorm between an RnnToFeedForward and a FeedForwardToRnn preprocessor -> sequence layers. */
    private static boolean sequenceLayersToFast(MultiLayerConfiguration conf) {
        boolean changed = false;
        int n = conf.getConfs().size();
        for (int i = 0; i < n; i++) {
            if (!(conf.getInputPreProcess(i) instanceof RnnToFeedForwardPreProcessor)) {
                continue;
            }
            int end = i;
            while (end < n && isRowLayer(conf.getConf(end).getLayer())
                    && (end == i || conf.getInputPreProcess(end) == null)) {
                end++;
            }
            if (end == i || end >= n || !(conf.getInputPreProcess(end) instanceof FeedForwardToRnnPreProcessor)) {
                continue;
            }
            for (int j = i; j < end; j++) {
                Layer layer = conf.getConf(j).getLayer();
                conf.getConf(j).setLayer(layer instanceof BatchNormalization bn
                        ? SequenceBatchNormalization.of(bn) : SequenceDropout.of((DropoutLayer) layer));
            }
            conf.getInputPreProcessors().remove(i);
            conf.getInputPreProcessors().remove(end);
            changed = true;
        }
        return changed;
    }

    /** The inverse of {@link #sequenceLayersToFast}. */
    private static boolean sequenceLayersToStock(MultiLayerConfiguration conf) {
        boolean changed = false;
        int n = conf.getConfs().size();
        for (int i = 0; i < n; i++) {
            if (!isSequenceLayer(conf.getConf(i).getLayer())) {
                continue;
            }
            int end = i;
            while (end < n && isSequenceLayer(conf.getConf(end).getLayer())) {
                Layer layer = conf.getConf(end).getLayer();
                conf.getConf(end).setLayer(layer instanceof SequenceBatchNormalization bn ? bn.toStock()
                        : ((SequenceDropout) layer).toStock());
                end++;
            }
            conf.getInputPreProcessors().put(i, new RnnToFeedForwardPreProcessor());
            conf.getInputPreProcessors().put(end, new FeedForwardToRnnPreProcessor());
            changed = true;
            i = end;
        }
        return changed;
    }

    private static boolean isRowLayer(Layer layer) {
        return (layer instanceof BatchNormalization || layer instanceof DropoutLayer) && !isSequenceLayer(layer);
    }

    private static boolean isSequenceLayer(Layer layer) {
        return layer instanceof SequenceBatchNormalization || layer instanceof SequenceDropout;
    }

    private static FastAttentionPooling fastAttention(AttentionPooling stock) {
        FastAttentionPooling.Builder b = new FastAttentionPooling.Builder().nIn(stock.getNIn());
        b.regularization(stock.getRegularization());
        b.regularizationBias(stock.getRegularizationBias());
        FastAttentionPooling fast = b.build();
        fast.setIUpdater(stock.getUpdater());
        fast.setBiasUpdater(stock.getBiasUpdater());
        fast.setGradientNormalization(stock.getGradientNormalization());
        fast.setGradientNormalizationThreshold(stock.getGradientNormalizationThreshold());
        fast.setLayerName(stock.getLayerName());
        return fast;
    }

    private static AttentionPooling stockAttention(FastAttentionPooling fast) {
        AttentionPooling.Builder b = new AttentionPooling.Builder().nIn((int) fast.getNIn());
        b.regularization(fast.getRegularization());
        b.regularizationBias(fast.getRegularizationBias());
        AttentionPooling stock = b.build();
        stock.setUpdater(fast.getIUpdater());
        stock.setBiasUpdater(fast.getBiasUpdater());
        stock.setGradientNormalization(fast.getGradientNormalization());
        stock.setGradientNormalizationThreshold(fast.getGradientNormalizationThreshold());
        stock.setLayerName(fast.getLayerName());
        return stock;
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
