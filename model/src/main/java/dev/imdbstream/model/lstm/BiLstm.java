package dev.imdbstream.model.lstm;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Set;

import dev.imdbstream.model.cpu.Configs;

import org.deeplearning4j.nn.api.ParamInitializer;
import org.deeplearning4j.nn.api.layers.LayerConstraint;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.BaseRecurrentLayer;
import org.deeplearning4j.nn.conf.layers.LSTM;
import org.deeplearning4j.nn.conf.layers.LayerValidation;
import org.deeplearning4j.nn.conf.layers.recurrent.Bidirectional;
import org.deeplearning4j.nn.conf.memory.LayerMemoryReport;
import org.deeplearning4j.nn.conf.memory.MemoryReport;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.activations.impl.ActivationTanH;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Configuration of a bidirectional LSTM layer whose output concatenates the forward and backward
 * directions: a drop-in for {@code new Bidirectional(Mode.CONCAT, new LSTM.Builder().nIn(nIn).nOut(nOut)
 * .activation(TANH).gateActivationFunction(SIGMOID)...)}.
 *
 * <p>Consumes {@code [batch, nIn, T]} (or {@code [batch, T, nIn]} with {@link
 * org.deeplearning4j.nn.conf.RNNFormat#NWC}) plus an optional features mask {@code [batch, T]};
 * produces {@code [batch, 2*nOut, T]}, forward units first. How the mask is used: {@link
 * Builder#maskPaddedSteps(boolean)}. Parameters are stored under the stock keys
 * {@code fW, fRW, fb, bW, bRW, bb}, in the stock flattened order and initialised by the stock LSTM
 * initializer, so the parameter vector of a network is interchangeable between this layer and the
 * stock pair (see {@link dev.imdbstream.model.LstmImpl}). The computation runs in {@link BiLstmLayer} on the CPU backend.
 */
public class BiLstm extends BaseRecurrentLayer {

    private double forgetGateBiasInit = 1.0;
    private boolean maskPaddedSteps;

    /** For JSON deserialization. */
    public BiLstm() {
    }

    private BiLstm(Builder builder) {
        super(builder);
        this.forgetGateBiasInit = builder.forgetGateBiasInit;
        this.maskPaddedSteps = builder.maskPaddedSteps;
        initializeConstraints(builder);
    }

    /**
     * The stock layer this one replaces, with the same sizes, initialisation and training settings.
     * Used to run on backends where this implementation does not (CUDA) and by the tests.
     */
    public Bidirectional toStock() {
        return new Bidirectional(Bidirectional.Mode.CONCAT, stockDirection());
    }

    /** One direction of the equivalent stock layer; its initializer fills each half of our parameters. */
    public LSTM stockDirection() {
        LSTM.Builder b = new LSTM.Builder()
                .nIn(nIn)
                .nOut(nOut)
                .activation(Activation.TANH)
                .gateActivationFunction(Activation.SIGMOID)
                .forgetGateBiasInit(forgetGateBiasInit)
                .dataFormat(rnnDataFormat);
        if (weightInitFn != null) {
            b.weightInit(weightInitFn);
        }
        if (weightInitFnRecurrent != null) {
            b.weightInitRecurrent(weightInitFnRecurrent);
        }
        LSTM lstm = b.build();
        // Settings the global configuration pushed into this layer travel to the copy too.
        lstm.setIUpdater(iUpdater);
        lstm.setBiasUpdater(biasUpdater);
        lstm.setRegularization(regularization);
        lstm.setRegularizationBias(regularizationBias);
        lstm.setIDropout(iDropout);
        lstm.setWeightNoise(weightNoise);
        lstm.setGradientNormalization(gradientNormalization);
        lstm.setGradientNormalizationThreshold(gradientNormalizationThreshold);
        lstm.setBiasInit(biasInit);
        lstm.setGainInit(gainInit);
        return lstm;
    }

    @Override
    public org.deeplearning4j.nn.api.Layer instantiate(NeuralNetConfiguration conf,
            Collection<TrainingListener> trainingListeners, int layerIndex, INDArray layerParamsView,
            boolean initializeParams, DataType networkDataType) {
        LayerValidation.assertNInNOutSet("BiLstm", getLayerName(), layerIndex, getNIn(), getNOut());
        if (!(activationFn instanceof ActivationTanH)) {
            throw new IllegalStateException("BiLstm computes the cell with tanh; configured activation: "
                    + activationFn);
        }
        BiLstmLayer layer = new BiLstmLayer(conf, networkDataType);
        if (initializeParams) {
            // The stock Bidirectional initialises its parameters twice (in each wrapped layer's instantiate,
            // then in its own initializer). Drawing the same random numbers keeps one seed giving the same
            // network with either layer, this one and every layer after it.
            initializer().init(conf.clone(), layerParamsView, true);
        }
        return Configs.wire(layer, conf, initializer(), trainingListeners, layerIndex, layerParamsView,
                initializeParams);
    }

    @Override
    public ParamInitializer initializer() {
        return BiLstmParamInitializer.getInstance();
    }

    @Override
    public InputType getOutputType(int layerIndex, InputType inputType) {
        if (!(inputType instanceof InputType.InputTypeRecurrent recurrent)) {
            throw new IllegalStateException("BiLstm (layer " + layerIndex + ") needs recurrent input, got "
                    + inputType);
        }
        return InputType.recurrent(2 * nOut, recurrent.getTimeSeriesLength(), rnnDataFormat);
    }

    @Override
    public LayerMemoryReport getMemoryReport(InputType inputType) {
        long numParams = initializer().numParams(this);
        long updaterState = iUpdater == null ? 0 : iUpdater.stateSize(numParams);
        long steps = Math.max(1, ((InputType.InputTypeRecurrent) inputType).getTimeSeriesLength());
        // Per example: gate activations (8H), hidden, cell and tanh(cell) per direction (6H), input copy.
        long inferencePerExample = steps * (8 * nOut + 2 * nOut + nIn);
        long trainPerExample = steps * (8 * nOut + 6 * nOut + nIn) * 2;
        return new LayerMemoryReport.Builder(layerName, BiLstm.class, inputType, getOutputType(-1, inputType))
                .standardMemory(numParams, updaterState)
                .workingMemory(0, inferencePerExample, MemoryReport.CACHE_MODE_ALL_ZEROS,
                        MemoryReport.cacheModeMapFor(trainPerExample))
                .cacheMemory(MemoryReport.CACHE_MODE_ALL_ZEROS, MemoryReport.CACHE_MODE_ALL_ZEROS)
                .build();
    }

    @Override
    protected void initializeConstraints(org.deeplearning4j.nn.conf.layers.Layer.Builder<?> builder) {
        super.initializeConstraints(builder);
        if (builder instanceof Builder b) {
            addConstraints(b.getRecurrentConstraints(), LSTM_RECURRENT_KEYS);
            addConstraints(b.getInputWeightConstraints(), LSTM_INPUT_KEYS);
        }
    }

    private static final Set<String> LSTM_RECURRENT_KEYS =
            Set.of(BiLstmParamInitializer.FORWARD_RECURRENT_WEIGHTS, BiLstmParamInitializer.BACKWARD_RECURRENT_WEIGHTS);
    private static final Set<String> LSTM_INPUT_KEYS =
            Set.of(BiLstmParamInitializer.FORWARD_INPUT_WEIGHTS, BiLstmParamInitializer.BACKWARD_INPUT_WEIGHTS);

    private void addConstraints(List<LayerConstraint> toAdd, Set<String> keys) {
        if (toAdd == null || toAdd.isEmpty()) {
            return;
        }
        if (constraints == null) {
            constraints = new ArrayList<>();
        }
        for (LayerConstraint c : toAdd) {
            LayerConstraint copy = c.clone();
            copy.setParams(keys);
            constraints.add(copy);
        }
    }

    public double getForgetGateBiasInit() {
        return forgetGateBiasInit;
    }

    public void setForgetGateBiasInit(double forgetGateBiasInit) {
        this.forgetGateBiasInit = forgetGateBiasInit;
    }

    public boolean isMaskPaddedSteps() {
        return maskPaddedSteps;
    }

    public void setMaskPaddedSteps(boolean maskPaddedSteps) {
        this.maskPaddedSteps = maskPaddedSteps;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof BiLstm other && super.equals(o)
                && Double.compare(forgetGateBiasInit, other.forgetGateBiasInit) == 0
                && maskPaddedSteps == other.maskPaddedSteps;
    }

    @Override
    public int hashCode() {
        return Objects.hash(super.hashCode(), forgetGateBiasInit, maskPaddedSteps);
    }

    @Override
    protected boolean canEqual(Object other) {
        return other instanceof BiLstm;
    }

    @Override
    public String toString() {
        return "BiLstm(nIn=" + nIn + ", nOut=" + nOut + " per direction, forgetGateBiasInit="
                + forgetGateBiasInit + ", maskPaddedSteps=" + maskPaddedSteps + ", format=" + rnnDataFormat + ")";
    }

    /**
     * Builds a {@link BiLstm}. {@code nOut} is the number of units per direction, as for the stock
     * {@code LSTM} inside {@code Bidirectional}; the layer outputs {@code 2*nOut} features.
     */
    public static class Builder extends BaseRecurrentLayer.Builder<Builder> {

        private double forgetGateBiasInit = 1.0;
        private boolean maskPaddedSteps;

        public Builder() {
            this.activationFn = new ActivationTanH();
        }

        /** Initial value of the forget gate biases, as {@code LSTM.Builder#forgetGateBiasInit} (default 1.0). */
        public Builder forgetGateBiasInit(double value) {
            this.forgetGateBiasInit = value;
            return this;
        }

        /**
         * Whether the features mask the network passes down is applied: steps it marks as padding give
         * a zero output and do not touch the state, so each sequence is processed over its real steps
         * only (Keras' masking, PyTorch's packed sequences). Default false, which is what the stock
         * layer does inside a network in DL4J 1.0.0-M2.1: its LSTM does not keep the mask it is handed
         * ({@code feedForwardMaskArray}), so padded steps are processed as data and the mask only
         * reaches the layers after it. A mask set directly with {@code setMaskArray} is applied in
         * both modes, as by the stock layer.
         */
        public Builder maskPaddedSteps(boolean value) {
            this.maskPaddedSteps = value;
            return this;
        }

        @Override
        @SuppressWarnings("unchecked")
        public BiLstm build() {
            return new BiLstm(this);
        }
    }
}
