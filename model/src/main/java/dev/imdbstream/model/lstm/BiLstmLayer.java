package dev.imdbstream.model.lstm;

import java.util.Arrays;

import org.deeplearning4j.nn.api.MaskState;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.gradient.DefaultGradient;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.layers.recurrent.BaseRecurrentLayer;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import dev.imdbstream.model.cpu.Scratch;
import dev.imdbstream.model.cpu.SequenceRows;

/**
 * The {@link BiLstm} layer at run time: the same function as the stock {@code Bidirectional(CONCAT,
 * LSTM)} computed by {@link BiLstmKernel}. Consumes the input {@code [B, nIn, T]} and the features mask
 * {@code [B, T]} set by the network; produces {@code [B, 2H, T]} in the activations workspace (a
 * {@code [B, T, 2H]} 'c'-order array, permuted), and in
 * the backward pass the gradients of the six parameters (written into the network's gradient views) and
 * dL/d(input) in the activation-gradient workspace.
 *
 * <p>Masked steps (a mask set with {@code setMaskArray}, or the network's features mask when {@link
 * BiLstm#isMaskPaddedSteps()}): an example's output is zero at a masked step and its state restarts
 * from zero after it, in both directions, as in the stock layer's forward pass; so with pre-padding the
 * result is that of running each sequence over its unmasked steps only. The gradients are the exact
 * derivatives of that function. The stock layer's masked backward pass is not (it gives padded steps of
 * the forward direction non-zero deltas): parameter and input gradients differ from it there.
 *
 * <p>Runs on the ND4J CPU backend only (it calls the backend's OpenBLAS directly).
 */
public class BiLstmLayer extends BaseRecurrentLayer<BiLstm> {

    /** fW, fRW, fb, bW, bRW, bb: the order of the flattened vector and of the kernel's arguments. */
    private static final String[] PARAM_KEYS =
            BiLstmParamInitializer.getInstance().paramKeys(null).toArray(new String[0]);

    private final BiLstmKernel kernel;
    /** The input the kernel's training state was computed from. */
    private INDArray trainedInput;

    public BiLstmLayer(NeuralNetConfiguration conf, DataType dataType) {
        super(conf, dataType);
        if (!Scratch.CPU_BACKEND) {
            throw new IllegalStateException("BiLstm runs on the ND4J CPU backend only, not "
                    + Nd4j.getBackend().getClass().getSimpleName() + "; use LstmImpl.STOCK there");
        }
        BiLstm c = (BiLstm) conf.getLayer();
        this.kernel = new BiLstmKernel(dataType, (int) c.getNIn(), (int) c.getNOut());
    }

    @Override
    public Type type() {
        return Type.RECURRENT;
    }

    @Override
    public boolean isPretrainLayer() {
        return false;
    }

    @Override
    public INDArray activate(INDArray input, boolean training, LayerWorkspaceMgr workspaceMgr) {
        setInput(input, workspaceMgr);
        return activate(training, workspaceMgr);
    }

    @Override
    public INDArray activate(boolean training, LayerWorkspaceMgr workspaceMgr) {
        assertInputSet(false);
        applyDropOutIfNecessary(training, workspaceMgr);
        INDArray in = ncw(input);
        // Stored as [B, T, 2H]: each step's features contiguous, which the layers after it read fastest.
        INDArray result = workspaceMgr.createUninitialized(ArrayType.ACTIVATIONS, dataType,
                new long[] {in.size(0), in.size(2), 2 * layerConf().getNOut()}, 'c').permute(0, 2, 1);
        runForward(in, training, workspaceMgr, result);
        return permuteIfNWC(result);
    }

    @Override
    public Pair<Gradient, INDArray> backpropGradient(INDArray epsilon, LayerWorkspaceMgr workspaceMgr) {
        assertInputSet(true);
        INDArray in = ncw(input);
        if (!kernel.hasTrainingState() || trainedInput != input) {
            runForward(in, true, workspaceMgr, null);
        }
        INDArray eps = permuteIfNWC(epsilon);
        INDArray epsOut = SequenceRows.create(workspaceMgr, ArrayType.ACTIVATION_GRAD, dataType, in.size(0), in.size(1),
                in.size(2));
        INDArray[] views = new INDArray[PARAM_KEYS.length];
        Gradient gradient = new DefaultGradient(gradientsFlattened);
        for (int i = 0; i < views.length; i++) {
            views[i] = gradientViews.get(PARAM_KEYS[i]);
            gradient.gradientForVariable().put(PARAM_KEYS[i], views[i]);
        }
        kernel.backward(eps, views, epsOut);
        weightNoiseParams.clear();
        epsOut = backpropDropOutIfPresent(epsOut);
        return new Pair<>(gradient, permuteIfNWC(epsOut));
    }

    private void runForward(INDArray in, boolean training, LayerWorkspaceMgr workspaceMgr, INDArray result) {
        long nIn = layerConf().getNIn();
        if (in.rank() != 3 || in.size(1) != nIn) {
            throw new IllegalArgumentException("BiLstm (layer " + index + ") expects input [batch, " + nIn
                    + ", time] in NCW terms, got " + Arrays.toString(in.shape()));
        }
        INDArray[] params = new INDArray[PARAM_KEYS.length];
        for (int i = 0; i < params.length; i++) {
            params[i] = getParamWithNoise(PARAM_KEYS[i], training, workspaceMgr);
        }
        kernel.forward(in, maskArray, params, training, result);
        trainedInput = training ? input : null;
    }

    private INDArray ncw(INDArray in) {
        return permuteIfNWC(in);
    }

    /**
     * Keeps the network's features mask only with {@link BiLstm#isMaskPaddedSteps()}; otherwise behaves
     * as the stock LSTM, which passes the mask on without using it.
     */
    @Override
    public Pair<INDArray, MaskState> feedForwardMaskArray(INDArray maskArray, MaskState currentMaskState,
            int minibatchSize) {
        if (layerConf().isMaskPaddedSteps()) {
            this.maskArray = maskArray;
            this.maskState = currentMaskState;
            return new Pair<>(maskArray, currentMaskState);
        }
        return new Pair<>(maskArray, MaskState.Passthrough);
    }

    @Override
    public void clear() {
        super.clear();
        trainedInput = null;
        kernel.invalidate();
    }

    /** Turns on (for all instances) the CPU-time accounting behind {@link #profileMillis()}; off by default. */
    public static void setProfiling(boolean on) {
        BiLstmKernel.profiling = on;
    }

    /** CPU milliseconds per phase of the kernel since the last reset, in {@link #profilePhases()} order. */
    public double[] profileMillis() {
        return kernel.profile();
    }

    public static String[] profilePhases() {
        return Arrays.stream(BiLstmKernel.Phase.values()).map(Enum::name).toArray(String[]::new);
    }

    public void resetProfile() {
        kernel.resetProfile();
    }

    @Override
    public INDArray rnnTimeStep(INDArray input, LayerWorkspaceMgr workspaceMgr) {
        throw new UnsupportedOperationException("A bidirectional layer cannot step through time");
    }

    @Override
    public INDArray rnnActivateUsingStoredState(INDArray input, boolean training, boolean storeLastForTBPTT,
            LayerWorkspaceMgr workspaceMgr) {
        throw new UnsupportedOperationException("A bidirectional layer does not support truncated BPTT");
    }

    @Override
    public Pair<Gradient, INDArray> tbpttBackpropGradient(INDArray epsilon, int tbpttBackLength,
            LayerWorkspaceMgr workspaceMgr) {
        throw new UnsupportedOperationException("A bidirectional layer does not support truncated BPTT");
    }
}
