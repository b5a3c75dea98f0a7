package dev.imdbstream.model;

import java.util.Map;

import org.deeplearning4j.nn.api.MaskState;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.samediff.SDLayerParams;
import org.deeplearning4j.nn.conf.layers.samediff.SameDiffLayer;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Additive attention pooling, the notebook's {@code Attention} layer: consumes a sequence {@code h} of shape
 * {@code [batch, nIn, time]} (DL4J's NCW) with its time mask {@code [batch, time]} and produces one vector
 * {@code [batch, nIn]} per example:
 * <pre>
 *   score_t = u · tanh(W h_t + b)        W: nIn x nIn (Glorot uniform), b: nIn (zeros), u: nIn (Glorot uniform)
 *   a       = softmax(score) over the unmasked time steps
 *   out     = sum_t a_t h_t
 * </pre>
 * Masked steps (padding) get zero weight, so padding does not change the output. The notebook had no mask; with
 * this one, the output of a review does not depend on how much padding precedes it.
 */
public class AttentionPooling extends SameDiffLayer {

    public static final String WEIGHT = "W";
    public static final String BIAS = "b";
    public static final String CONTEXT = "u";

    /** Added to the scores of masked steps: exp() of it underflows to exactly 0 in float32. */
    private static final double MASKED_SCORE = -1e9;

    private int nIn;

    /** For Jackson (DL4J's configuration JSON). */
    protected AttentionPooling() {
    }

    private AttentionPooling(Builder builder) {
        super(builder);
        this.nIn = builder.nIn;
    }

    public int getNIn() {
        return nIn;
    }

    public void setNIn(int nIn) {
        this.nIn = nIn;
    }

    @Override
    public InputType getOutputType(int layerIndex, InputType inputType) {
        return InputType.feedForward(nIn);
    }

    @Override
    public void setNIn(InputType inputType, boolean override) {
        if (nIn <= 0 || override) {
            nIn = (int) ((InputType.InputTypeRecurrent) inputType).getSize();
        }
    }

    @Override
    public void defineParameters(SDLayerParams params) {
        params.clear();
        params.addWeightParam(WEIGHT, nIn, nIn);
        params.addBiasParam(BIAS, 1, nIn);
        params.addWeightParam(CONTEXT, nIn, 1);
    }

    @Override
    public void initializeParameters(Map<String, INDArray> params) {
        initWeights(nIn, nIn, WeightInit.XAVIER_UNIFORM, params.get(WEIGHT));
        params.get(BIAS).assign(0);
        // Keras' glorot_uniform treats a vector of n as fan_in = fan_out = n: limit sqrt(6 / 2n), same as W's.
        initWeights(nIn, nIn, WeightInit.XAVIER_UNIFORM, params.get(CONTEXT));
    }

    @Override
    public SDVariable defineLayer(SameDiff sd, SDVariable input, Map<String, SDVariable> params, SDVariable mask) {
        // One row per (example, step): [batch, nIn, time] -> [batch * time, nIn]
        SDVariable steps = sd.reshape(sd.permute(input, 0, 2, 1), -1, nIn);
        SDVariable hidden = sd.math.tanh(steps.mmul(params.get(WEIGHT)).add(params.get(BIAS)));
        // [batch * time, 1] -> [batch, time], the mask's shape
        SDVariable scores = sd.reshape(hidden.mmul(params.get(CONTEXT)), sd.shape(mask));
        SDVariable maskedScores = scores.add(mask.rsub(1.0).mul(MASKED_SCORE));
        SDVariable weights = sd.nn.softmax(maskedScores, 1);
        return input.mul(sd.expandDims(weights, 1)).sum(2);
    }

    /** The output is one vector per example: nothing left to mask downstream. */
    @Override
    public Pair<INDArray, MaskState> feedForwardMaskArray(INDArray maskArray, MaskState currentMaskState,
            int minibatchSize) {
        return new Pair<>(null, null);
    }

    public static class Builder extends SameDiffLayer.Builder<Builder> {

        private int nIn;

        /** Width of each time step's vector (the BiLSTM's concatenated output). */
        public Builder nIn(int nIn) {
            this.nIn = nIn;
            return this;
        }

        @Override
        @SuppressWarnings("unchecked")
        public AttentionPooling build() {
            if (nIn < 1) {
                throw new IllegalStateException("nIn must be set");
            }
            return new AttentionPooling(this);
        }
    }
}
