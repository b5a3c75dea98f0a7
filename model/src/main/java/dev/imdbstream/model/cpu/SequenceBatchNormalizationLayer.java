package dev.imdbstream.model.cpu;

import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import java.util.Arrays;

import org.deeplearning4j.nn.api.MaskState;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.gradient.DefaultGradient;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.layers.normalization.BatchNormalization;
import org.deeplearning4j.nn.params.BatchNormalizationParamInitializer;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * {@link SequenceBatchNormalization} at run time: consumes {@code [B, C, T]} in any layout and produces it in the
 * {@link SequenceRows} layout. With the {@code B*T} rows {@code x_r} of width {@code C}, of which the set {@code R}
 * of {@code N} rows are real steps (the features mask is 1; all rows without a mask):
 * <pre>
 *   training:  mean, var = per feature over the N real rows (population variance), std = sqrt(var + eps)
 *   inference: mean, var = the running estimates
 *   y = gamma * (x - mean) / std + beta                                 one pass over all rows
 *   backward:  dx_r = gamma / std * (dy_r - sum(dy) / N - xhat_r * sum(dy * xhat) / N)   r in R
 *              dx_r = gamma / std * dy_r                                                padded r
 *              dgamma = sum(dy * xhat), dbeta = sum(dy)                 two passes, sums over all rows
 * </pre>
 * Padded steps are left out of the batch statistics so that what a run learns does not depend on how much padding
 * its batches hold (their outputs are normalised too, and masked by the layers above).
 * Statistics are accumulated in double precision. The running estimates move as in the stock layer: their
 * "gradients" are {@code (1 - decay) * (mean - batchMean)} and, for the log10 standard deviation, {@code
 * log10(std_old / std_new)} with {@code var_new = decay * var_old + (1 - decay) * batchVar}; the updater (no-op,
 * not divided by the batch size) subtracts them. FLOAT or DOUBLE networks, CPU backend.
 */
public class SequenceBatchNormalizationLayer extends BatchNormalization {

    private static final double ONE_ON_2LOGE_10 = 1.0 / (2 * Math.log(10));

    private final Scratch[] inputCopy = new Scratch[1];
    private final Scratch[] epsilonCopy = new Scratch[1];

    private double[] mean = new double[0];
    private double[] var = new double[0];
    private double[] std = new double[0];
    /** The real rows of the last training-mode batch (null: all) and their count, for its backward pass. */
    private boolean[] real;
    private long realN;
    private boolean trainingState;
    private INDArray trainedInput;

    public SequenceBatchNormalizationLayer(NeuralNetConfiguration conf, DataType dataType) {
        super(conf, dataType);
        if (dataType != DataType.FLOAT && dataType != DataType.DOUBLE) {
            throw new IllegalArgumentException("SequenceBatchNormalization supports FLOAT and DOUBLE, not " + dataType);
        }
    }

    @Override
    public INDArray activate(boolean training, LayerWorkspaceMgr workspaceMgr) {
        assertInputSet(false);
        applyDropOutIfNecessary(training, workspaceMgr);
        INDArray x = checked(input);
        INDArray out = SequenceRows.create(workspaceMgr, ArrayType.ACTIVATIONS, dataType, x.size(0), x.size(1),
                x.size(2));
        normalize(x, training, Scratch.wrap(out));
        return out;
    }

    @Override
    public Pair<Gradient, INDArray> backpropGradient(INDArray epsilon, LayerWorkspaceMgr workspaceMgr) {
        assertInputSet(true);
        INDArray x = checked(input);
        if (!trainingState || trainedInput != input) {
            normalize(x, true, null);
        }
        int c = (int) x.size(1);
        long rowsN = x.size(0) * x.size(2);
        Scratch xs = SequenceRows.rows(x, inputCopy);
        Scratch es = SequenceRows.rows(epsilon, epsilonCopy);
        INDArray epsOut = SequenceRows.create(workspaceMgr, ArrayType.ACTIVATION_GRAD, dataType, x.size(0), c,
                x.size(2));
        Scratch dx = Scratch.wrap(epsOut);
        double[] gamma = getParam(BatchNormalizationParamInitializer.GAMMA).toDoubleVector();

        long n = realN;
        double[] dBeta = new double[c];
        double[] dGamma = new double[c];
        double[] scale = new double[c];
        double[] shift = new double[c];
        for (int j = 0; j < c; j++) {
            scale[j] = 1.0 / std[j];
            shift[j] = -mean[j] / std[j];
        }
        // xhat = x * scale + shift
        sums(xs, es, rowsN, c, scale, shift, dBeta, dGamma);
        double[] k = new double[c];
        double[] a = new double[c];
        double[] bb = new double[c];
        for (int j = 0; j < c; j++) {
            // dx = k * (dy - dBeta/N - xhat * dGamma/N) = k * dy + a * x + bb on real rows, k * dy on padded ones
            k[j] = gamma[j] / std[j];
            double mg = dGamma[j] / n;
            a[j] = -k[j] * mg * scale[j];
            bb[j] = -k[j] * (dBeta[j] / n + mg * shift[j]);
        }
        combine(xs, es, dx, rowsN, c, k, a, bb, real);

        Gradient gradient = new DefaultGradient();
        INDArray gGamma = gradientViews.get(BatchNormalizationParamInitializer.GAMMA);
        INDArray gBeta = gradientViews.get(BatchNormalizationParamInitializer.BETA);
        INDArray gMean = gradientViews.get(BatchNormalizationParamInitializer.GLOBAL_MEAN);
        double decay = layerConf().getDecay();
        double[] globalMean = getParam(BatchNormalizationParamInitializer.GLOBAL_MEAN).toDoubleVector();
        boolean logStd = layerConf().isUseLogStd();
        String varKey = logStd ? BatchNormalizationParamInitializer.GLOBAL_LOG_STD
                : BatchNormalizationParamInitializer.GLOBAL_VAR;
        double[] globalVar = getParam(varKey).toDoubleVector();
        INDArray gVar = gradientViews.get(varKey);
        for (int j = 0; j < c; j++) {
            gGamma.putScalar(j, dGamma[j]);
            gBeta.putScalar(j, dBeta[j]);
            gMean.putScalar(j, (1 - decay) * (globalMean[j] - mean[j]));
            if (logStd) {
                double s = Math.pow(10.0, globalVar[j]);
                double vari = s * s;
                double varNext = vari * decay + var[j] * (1 - decay);
                gVar.putScalar(j, Math.log(vari / varNext) * ONE_ON_2LOGE_10);
            } else {
                gVar.putScalar(j, (1 - decay) * (globalVar[j] - var[j]));
            }
        }
        gradient.setGradientFor(BatchNormalizationParamInitializer.GAMMA, gGamma);
        gradient.setGradientFor(BatchNormalizationParamInitializer.BETA, gBeta);
        gradient.setGradientFor(BatchNormalizationParamInitializer.GLOBAL_MEAN, gMean);
        gradient.setGradientFor(varKey, gVar);
        epsOut = backpropDropOutIfPresent(epsOut);
        return new Pair<>(gradient, epsOut);
    }

    /** Statistics (batch or running) into {@link #mean}, {@link #std}; the normalised rows into {@code out}. */
    private void normalize(INDArray x, boolean training, Scratch out) {
        int c = (int) x.size(1);
        long rowsN = x.size(0) * x.size(2);
        Scratch xs = SequenceRows.rows(x, inputCopy);
        if (mean.length != c) {
            mean = new double[c];
            var = new double[c];
            std = new double[c];
        }
        double eps = layerConf().getEps();
        trainingState = false;
        if (training) {
            Arrays.fill(mean, 0);
            Arrays.fill(var, 0);
            real = realRows(x);
            realN = real == null ? rowsN : count(real);
            moments(xs, rowsN, c, mean, var, real, realN);
        } else {
            System.arraycopy(getParam(BatchNormalizationParamInitializer.GLOBAL_MEAN).toDoubleVector(), 0, mean, 0, c);
            if (layerConf().isUseLogStd()) {
                double[] log10s = getParam(BatchNormalizationParamInitializer.GLOBAL_LOG_STD).toDoubleVector();
                for (int j = 0; j < c; j++) {
                    double s = Math.pow(10.0, log10s[j]);
                    var[j] = s * s;
                }
            } else {
                System.arraycopy(getParam(BatchNormalizationParamInitializer.GLOBAL_VAR).toDoubleVector(), 0, var, 0,
                        c);
            }
        }
        for (int j = 0; j < c; j++) {
            std[j] = Math.sqrt(var[j] + eps);
        }
        if (out != null) {
            double[] gamma = getParam(BatchNormalizationParamInitializer.GAMMA).toDoubleVector();
            double[] beta = getParam(BatchNormalizationParamInitializer.BETA).toDoubleVector();
            double[] scale = new double[c];
            double[] shift = new double[c];
            for (int j = 0; j < c; j++) {
                scale[j] = gamma[j] / std[j];
                shift[j] = beta[j] - mean[j] * scale[j];
            }
            affine(xs, out, rowsN, c, scale, shift);
        }
        trainingState = training;
        trainedInput = training ? input : null;
    }

    private INDArray checked(INDArray x) {
        long c = layerConf().getNOut();
        if (x.rank() != 3 || x.size(1) != c) {
            throw new IllegalArgumentException("SequenceBatchNormalization (layer " + index + ") expects input [batch, "
                    + c + ", time], got " + Arrays.toString(x.shape()));
        }
        return x;
    }

    /**
     * Which of the {@code B*T} rows of {@code x} are real steps ({@code mask[b, t] != 0}, row {@code b*T + t}); null
     * for all of them (no mask, or one without a real step, which no review gives: each starts with the start id).
     */
    private boolean[] realRows(INDArray x) {
        if (maskArray == null) {
            return null;
        }
        if (maskArray.rank() != 2 || maskArray.size(0) != x.size(0) || maskArray.size(1) != x.size(2)) {
            throw new IllegalArgumentException("SequenceBatchNormalization (layer " + index + ") expects a features mask ["
                    + x.size(0) + ", " + x.size(2) + "], got " + Arrays.toString(maskArray.shape()));
        }
        float[] m = maskArray.castTo(DataType.FLOAT).dup('c').data().asFloat();
        boolean[] rows = new boolean[m.length];
        boolean any = false;
        boolean all = true;
        for (int r = 0; r < m.length; r++) {
            rows[r] = m[r] != 0f;
            any |= rows[r];
            all &= rows[r];
        }
        return any && !all ? rows : null;
    }

    private static long count(boolean[] real) {
        long n = 0;
        for (boolean r : real) {
            n += r ? 1 : 0;
        }
        return n;
    }

    /** Per-feature mean and population variance of the real rows (all when {@code real} is null; two passes). */
    private static void moments(Scratch xs, long rowsN, int c, double[] mean, double[] var, boolean[] real, long n) {
        if (xs.floatBuffer != null) {
            FloatBuffer x = xs.floatBuffer;
            float[] row = new float[c];
            for (long r = 0; r < rowsN; r++) {
                if (real != null && !real[(int) r]) {
                    continue;
                }
                x.get((int) (r * c), row, 0, c);
                for (int j = 0; j < c; j++) {
                    mean[j] += row[j];
                }
            }
            for (int j = 0; j < c; j++) {
                mean[j] /= n;
            }
            for (long r = 0; r < rowsN; r++) {
                if (real != null && !real[(int) r]) {
                    continue;
                }
                x.get((int) (r * c), row, 0, c);
                for (int j = 0; j < c; j++) {
                    double d = row[j] - mean[j];
                    var[j] += d * d;
                }
            }
        } else {
            DoubleBuffer x = xs.doubleBuffer;
            double[] row = new double[c];
            for (long r = 0; r < rowsN; r++) {
                if (real != null && !real[(int) r]) {
                    continue;
                }
                x.get((int) (r * c), row, 0, c);
                for (int j = 0; j < c; j++) {
                    mean[j] += row[j];
                }
            }
            for (int j = 0; j < c; j++) {
                mean[j] /= n;
            }
            for (long r = 0; r < rowsN; r++) {
                if (real != null && !real[(int) r]) {
                    continue;
                }
                x.get((int) (r * c), row, 0, c);
                for (int j = 0; j < c; j++) {
                    double d = row[j] - mean[j];
                    var[j] += d * d;
                }
            }
        }
        for (int j = 0; j < c; j++) {
            var[j] /= n;
        }
    }

    /** out = x * scale + shift, per feature. */
    private static void affine(Scratch xs, Scratch out, long rowsN, int c, double[] scale, double[] shift) {
        if (xs.floatBuffer != null) {
            FloatBuffer x = xs.floatBuffer;
            FloatBuffer y = out.floatBuffer;
            float[] row = new float[c];
            float[] s = toFloats(scale);
            float[] b = toFloats(shift);
            for (long r = 0; r < rowsN; r++) {
                int off = (int) (r * c);
                x.get(off, row, 0, c);
                for (int j = 0; j < c; j++) {
                    row[j] = row[j] * s[j] + b[j];
                }
                y.put(off, row, 0, c);
            }
        } else {
            DoubleBuffer x = xs.doubleBuffer;
            DoubleBuffer y = out.doubleBuffer;
            double[] row = new double[c];
            for (long r = 0; r < rowsN; r++) {
                int off = (int) (r * c);
                x.get(off, row, 0, c);
                for (int j = 0; j < c; j++) {
                    row[j] = row[j] * scale[j] + shift[j];
                }
                y.put(off, row, 0, c);
            }
        }
    }

    /** dBeta = sum(dy), dGamma = sum(dy * xhat) with xhat = x * scale + shift. */
    private static void sums(Scratch xs, Scratch es, long rowsN, int c, double[] scale, double[] shift,
            double[] dBeta, double[] dGamma) {
        if (xs.floatBuffer != null) {
            FloatBuffer x = xs.floatBuffer;
            FloatBuffer e = es.floatBuffer;
            float[] xr = new float[c];
            float[] er = new float[c];
            for (long r = 0; r < rowsN; r++) {
                int off = (int) (r * c);
                x.get(off, xr, 0, c);
                e.get(off, er, 0, c);
                for (int j = 0; j < c; j++) {
                    dBeta[j] += er[j];
                    dGamma[j] += er[j] * (xr[j] * scale[j] + shift[j]);
                }
            }
        } else {
            DoubleBuffer x = xs.doubleBuffer;
            DoubleBuffer e = es.doubleBuffer;
            double[] xr = new double[c];
            double[] er = new double[c];
            for (long r = 0; r < rowsN; r++) {
                int off = (int) (r * c);
                x.get(off, xr, 0, c);
                e.get(off, er, 0, c);
                for (int j = 0; j < c; j++) {
                    dBeta[j] += er[j];
                    dGamma[j] += er[j] * (xr[j] * scale[j] + shift[j]);
                }
            }
        }
    }

    /** dx = k * dy + a * x + b per feature on real rows (all when {@code real} is null), k * dy on padded ones. */
    private static void combine(Scratch xs, Scratch es, Scratch dxs, long rowsN, int c, double[] k, double[] a,
            double[] b, boolean[] real) {
        if (xs.floatBuffer != null) {
            FloatBuffer x = xs.floatBuffer;
            FloatBuffer e = es.floatBuffer;
            FloatBuffer dx = dxs.floatBuffer;
            float[] xr = new float[c];
            float[] er = new float[c];
            float[] kf = toFloats(k);
            float[] af = toFloats(a);
            float[] bf = toFloats(b);
            for (long r = 0; r < rowsN; r++) {
                int off = (int) (r * c);
                x.get(off, xr, 0, c);
                e.get(off, er, 0, c);
                if (real == null || real[(int) r]) {
                    for (int j = 0; j < c; j++) {
                        er[j] = kf[j] * er[j] + af[j] * xr[j] + bf[j];
                    }
                } else {
                    for (int j = 0; j < c; j++) {
                        er[j] = kf[j] * er[j];
                    }
                }
                dx.put(off, er, 0, c);
            }
        } else {
            DoubleBuffer x = xs.doubleBuffer;
            DoubleBuffer e = es.doubleBuffer;
            DoubleBuffer dx = dxs.doubleBuffer;
            double[] xr = new double[c];
            double[] er = new double[c];
            for (long r = 0; r < rowsN; r++) {
                int off = (int) (r * c);
                x.get(off, xr, 0, c);
                e.get(off, er, 0, c);
                if (real == null || real[(int) r]) {
                    for (int j = 0; j < c; j++) {
                        er[j] = k[j] * er[j] + a[j] * xr[j] + b[j];
                    }
                } else {
                    for (int j = 0; j < c; j++) {
                        er[j] = k[j] * er[j];
                    }
                }
                dx.put(off, er, 0, c);
            }
        }
    }

    private static float[] toFloats(double[] v) {
        float[] f = new float[v.length];
        for (int i = 0; i < v.length; i++) {
            f[i] = (float) v[i];
        }
        return f;
    }

    /** Keeps the features mask {@code [B, T]} (real steps define the batch statistics) and passes it on. */
    @Override
    public Pair<INDArray, MaskState> feedForwardMaskArray(INDArray maskArray, MaskState currentMaskState,
            int minibatchSize) {
        this.maskArray = maskArray;
        this.maskState = currentMaskState;
        return new Pair<>(maskArray, currentMaskState);
    }

    @Override
    public void clear() {
        super.clear();
        trainingState = false;
        trainedInput = null;
    }
}
