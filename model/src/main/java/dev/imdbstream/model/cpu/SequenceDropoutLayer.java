package dev.imdbstream.model.cpu;

import org.deeplearning4j.nn.api.MaskState;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.dropout.Dropout;
import org.deeplearning4j.nn.conf.dropout.IDropout;
import org.deeplearning4j.nn.gradient.DefaultGradient;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.layers.DropoutLayer;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * {@link SequenceDropout} at run time: consumes and produces {@code [B, C, T]}, in training the configured dropout
 * applied element-wise (the stock {@code IDropout}, which keeps its mask for the backward pass), in inference a
 * copy; then, as the stock layer does on its rows, zero at the steps the features mask marks as padding (and so is
 * the gradient there). Works on the underlying {@code [B, T, C]} arrays when the input has the {@link SequenceRows}
 * layout, so the layout carries through; there, the stock {@link Dropout} is computed in one pass that draws the
 * keep/drop decisions from a counter-based generator seeded by ND4J's random generator (so a network's seed still
 * fixes them) and keeps the factors for the backward pass, instead of ND4J's mask array, random op and multiply.
 */
public class SequenceDropoutLayer extends DropoutLayer {

    /** Whether the last forward pass worked on the {@code [B, T, C]} arrays (the dropout mask has that shape). */
    private boolean rowFrame;
    /** Whether the last training pass drew its own factors ({@link #factors}) rather than using the IDropout. */
    private boolean ownFactors;
    /** 0 or 1/p per element of the last training pass, in the row layout. */
    private Scratch factors;
    private final Scratch[] epsilonCopy = new Scratch[1];

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
        ownFactors = false;
        if (training && dropout instanceof Dropout plain && rowFrame && plain.getHelper() == null) {
            double p = plain.getPSchedule() != null ? plain.getPSchedule().valueAt(getIterationCount(), getEpochCount())
                    : plain.getP();
            drop(Scratch.wrap(x), Scratch.wrap(out), p, Nd4j.getRandom().nextLong());
            ownFactors = true;
        } else if (training && dropout != null) {
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
        if (ownFactors) {
            multiply(SequenceRows.rows(epsilon, epsilonCopy), factors, Scratch.wrap(delta), epsilon.length());
        } else if (dropout != null) {
            dropout.backprop(frame(epsilon), frame(delta), getIterationCount(), getEpochCount());
        } else {
            frame(delta).assign(frame(epsilon));
        }
        SequenceRows.zeroMaskedSteps(delta, maskArray);
        return new Pair<>(new DefaultGradient(), delta);
    }

    /**
     * out = x * f with f = 1/p with probability p, else 0 (inverted dropout, as DL4J's {@code DropOutInverted}), the
     * factors kept in {@link #factors}. Element i's decision comes from the 64-bit mix of {@code seed + i * golden}
     * (SplittableRandom's generator, indexed), 24 bits each for two elements.
     */
    private void drop(Scratch x, Scratch out, double p, long seed) {
        long n = x.capacity;
        factors = Scratch.ensure(factors, dataType, n);
        int chunk = 4096;
        float[] xf = new float[chunk];
        float[] ff = new float[chunk];
        int threshold = (int) Math.round(p * (1 << 24));
        float keep = (float) (1.0 / p);
        boolean isFloat = x.floatBuffer != null;
        double[] xd = isFloat ? null : new double[chunk];
        double[] fd = isFloat ? null : new double[chunk];
        for (long start = 0; start < n; start += chunk) {
            int len = (int) Math.min(chunk, n - start);
            // Branch-free: (u - threshold) >>> 31 is 1 when u < threshold; decisions at p = 0.5 are unpredictable.
            for (int i = 0; i + 1 < len; i += 2) {
                long z = mix(seed + (start + i) * GOLDEN);
                ff[i] = (((int) (z >>> 40) - threshold) >>> 31) * keep;
                ff[i + 1] = (((int) (z & 0xFFFFFF) - threshold) >>> 31) * keep;
            }
            if ((len & 1) == 1) {
                long z = mix(seed + (start + len - 1) * GOLDEN);
                ff[len - 1] = (((int) (z >>> 40) - threshold) >>> 31) * keep;
            }
            if (isFloat) {
                x.floatBuffer.get((int) start, xf, 0, len);
                for (int i = 0; i < len; i++) {
                    xf[i] *= ff[i];
                }
                out.floatBuffer.put((int) start, xf, 0, len);
                factors.floatBuffer.put((int) start, ff, 0, len);
            } else {
                x.doubleBuffer.get((int) start, xd, 0, len);
                for (int i = 0; i < len; i++) {
                    fd[i] = ff[i] == 0f ? 0.0 : 1.0 / p;
                    xd[i] *= fd[i];
                }
                out.doubleBuffer.put((int) start, xd, 0, len);
                factors.doubleBuffer.put((int) start, fd, 0, len);
            }
        }
    }

    private static final long GOLDEN = 0x9E3779B97F4A7C15L;

    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /** out = a * b element-wise over the first n elements. */
    private static void multiply(Scratch a, Scratch b, Scratch out, long n) {
        int chunk = 4096;
        if (a.floatBuffer != null) {
            float[] x = new float[chunk];
            float[] y = new float[chunk];
            for (long start = 0; start < n; start += chunk) {
                int len = (int) Math.min(chunk, n - start);
                a.floatBuffer.get((int) start, x, 0, len);
                b.floatBuffer.get((int) start, y, 0, len);
                for (int i = 0; i < len; i++) {
                    x[i] *= y[i];
                }
                out.floatBuffer.put((int) start, x, 0, len);
            }
        } else {
            double[] x = new double[chunk];
            double[] y = new double[chunk];
            for (long start = 0; start < n; start += chunk) {
                int len = (int) Math.min(chunk, n - start);
                a.doubleBuffer.get((int) start, x, 0, len);
                b.doubleBuffer.get((int) start, y, 0, len);
                for (int i = 0; i < len; i++) {
                    x[i] *= y[i];
                }
                out.doubleBuffer.put((int) start, x, 0, len);
            }
        }
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
