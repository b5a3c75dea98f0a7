package dev.imdbstream.model.cpu;

import org.deeplearning4j.nn.api.MaskState;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.dropout.IDropout;
import org.deeplearning4j.nn.gradient.DefaultGradient;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.layers.DropoutLayer;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * {@link SequenceDropout} at run time: consumes and produces {@code [B, C, T]}, in training the configured dropout
 * applied element-wise (the stock {@code IDropout}, which keeps its mask for the backward pass), in inference a
 * copy; then, as the stock layer does on its rows, zero at the steps the features mask marks as padding (and so is
 * the gradient there). Works on the underlying {@code [B, T, C]} arrays when the input has the {@link SequenceRows} layout, so the
 * layout carries through.
 */
public class SequenceDropoutLayer extends DropoutLayer {

    /** Whether the last forward pass worked on the {@code [B, T, C]} arrays (the dropout mask has that shape). */
    private boolean rowFrame;

    public SequenceDropoutLayer(NeuralNetConfiguration conf, DataType dataType) {
        super(conf, dataType);
    }

    @Override
    public INDArray activate(boolean training, LayerWorkspaceMgr workspaceMgr) {
        assertInputSet(false);
        INDArray x = input;
        IDropout dropout = layerConf().getIDropout();
        rowFrame = SequenceRows.isRowLayout(x);
        INDArray out = rowFrame
                ? SequenceRows.create(workspaceMgr, ArrayType.ACTIVATIONS, x.dataType(), x.size(0), x.size(1), x.size(2))
                : workspaceMgr.createUninitialized(ArrayType.ACTIVATIONS, x.dataType(), x.shape(), 'c');
        if (training && dropout != null) {
            dropout.applyDropout(frame(x), frame(out), getIterationCount(), getEpochCount(), workspaceMgr);
        } else {
            frame(out).assign(frame(x));
        }
        SequenceRows.zeroMaskedSteps(out, maskArray);
        return out;
    }

    @Override
    public Pair<Gradient, INDArray> backpropGradient(INDArray epsilon, LayerWorkspaceMgr workspaceMgr) {
        IDropout dropout = layerConf().getIDropout();
        INDArray delta = rowFrame
                ? SequenceRows.create(workspaceMgr, ArrayType.ACTIVATION_GRAD, epsilon.dataType(), epsilon.size(0),
                        epsilon.size(1), epsilon.size(2))
                : workspaceMgr.createUninitialized(ArrayType.ACTIVATION_GRAD, epsilon.dataType(), epsilon.shape(), 'c');
        if (dropout != null) {
            dropout.backprop(frame(epsilon), frame(delta), getIterationCount(), getEpochCount());
        } else {
            frame(delta).assign(frame(epsilon));
        }
        SequenceRows.zeroMaskedSteps(delta, maskArray);
        return new Pair<>(new DefaultGradient(), delta);
    }

    /** {@code x [B, C, T]} as {@code [B, T, C]} when the forward pass worked in that frame. */
    private INDArray frame(INDArray x) {
        return rowFrame ? x.permute(0, 2, 1) : x;
    }

    /** Keeps the mask (applied to output and gradient) and passes it on. */
    @Override
    public Pair<INDArray, MaskState> feedForwardMaskArray(INDArray maskArray, MaskState currentMaskState,
            int minibatchSize) {
        this.maskArray = maskArray;
        this.maskState = currentMaskState;
        return new Pair<>(maskArray, currentMaskState);
    }
}
