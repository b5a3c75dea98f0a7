package dev.imdbstream.model.cpu;

import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import java.util.Arrays;

import org.deeplearning4j.nn.api.MaskState;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.gradient.DefaultGradient;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.layers.BaseLayer;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

import static dev.imdbstream.model.cpu.AttentionParamInitializer.BIAS;
import static dev.imdbstream.model.cpu.AttentionParamInitializer.CONTEXT;
import static dev.imdbstream.model.cpu.AttentionParamInitializer.WEIGHT;

/**
 * {@link FastAttentionPooling} at run time. With {@code N = B*T} rows {@code h_r} of width {@code n} (the input in
 * the {@link SequenceRows} layout, used in place when it has it):
 * <pre>
 *   forward:  A = tanh(H W + b)            one GEMM [N,n]x[n,n], then one fused pass per row that also
 *             s = A u                      computes the score
 *             a = masked softmax of s per example
 *             out_b = a_b^T H_b            one small GEMM per example
 *   backward: da_r = h_r · g_b,  ds = a (da - sum_t a da)
 *             dZ = (ds u^T) * (1 - A^2),  du = A^T ds,  db = sum_r dZ_r      one fused pass per row
 *             dW = H^T dZ,  dH = dZ W^T + a g                                 two GEMMs
 * </pre>
 * Working buffers live outside the workspaces and are reused across batches; the state kept for the backward pass
 * is that of the last training forward pass. Runs on the ND4J CPU backend (direct BLAS); FLOAT or DOUBLE.
 */
public class FastAttentionPoolingLayer extends BaseLayer<FastAttentionPooling> {

    /** Added to the scores of masked steps, as the SameDiff layer does: exp() of it is exactly 0. */
    private static final double MASKED_SCORE = -1e9;

    private final Scratch[] inputCopy = new Scratch[1];
    private Scratch rows;
    private Scratch activations;
    private Scratch weights;
    private Scratch alpha;
    private Scratch dAlpha;
    private Scratch dz;
    private Scratch dWeights;
    private Scratch gradOut;
    private Scratch spareOut;

    private double[] bias = new double[0];
    private double[] context = new double[0];
    private double[] scores = new double[0];
    private double[] weightsHeap = new double[0];
    private float[] rowF = new float[0];
    private float[] biasF = new float[0];
    private float[] contextF = new float[0];
    private float[] dzF = new float[0];
    private double[] rowD = new double[0];
    private double[] dzD = new double[0];

    private int batch;
    private int steps;
    private boolean trainingState;
    private INDArray trainedInput;

    public FastAttentionPoolingLayer(NeuralNetConfiguration conf, DataType dataType) {
        super(conf, dataType);
        if (dataType != DataType.FLOAT && dataType != DataType.DOUBLE) {
            throw new IllegalArgumentException("FastAttentionPooling supports FLOAT and DOUBLE networks, not " + dataType);
        }
    }

    @Override
    public boolean isPretrainLayer() {
        return false;
    }

    @Override
    public INDArray activate(boolean training, LayerWorkspaceMgr workspaceMgr) {
        assertInputSet(false);
        applyDropOutIfNecessary(training, workspaceMgr);
        INDArray out = workspaceMgr.createUninitialized(ArrayType.ACTIVATIONS, dataType,
                new long[] {input.size(0), input.size(1)}, 'c');
        forward(training, workspaceMgr, out);
        return out;
    }

    @Override
    public Pair<Gradient, INDArray> backpropGradient(INDArray epsilon, LayerWorkspaceMgr workspaceMgr) {
        assertInputSet(true);
        if (!trainingState || trainedInput != input) {
            forward(true, workspaceMgr, null);
        }
        int b = batch;
        int t = steps;
        int n = nIn();
        long rowsN = (long) b * t;
        INDArray epsOut = SequenceRows.create(workspaceMgr, ArrayType.ACTIVATION_GRAD, dataType, b, n, t);
        Scratch dh = Scratch.wrap(epsOut);

        gradOut = Scratch.ensure(gradOut, dataType, (long) b * n);
        gradOut.view(0, b, n).assign(epsilon);
        dAlpha = Scratch.ensure(dAlpha, dataType, rowsN);
        dz = Scratch.ensure(dz, dataType, rowsN * n);
        dWeights = Scratch.ensure(dWeights, dataType, (long) n * n);

        // dα_r = h_r · g_b, one [T, n] x [n] product per example.
        for (int e = 0; e < b; e++) {
            Blas.gemm(false, true, t, 1, n, rows, (long) e * t * n, n, gradOut, (long) e * n, n, 0.0, dAlpha,
                    (long) e * t, 1);
        }
        double[] ds = new double[(int) rowsN];
        double[] a = readAlpha(rowsN);
        for (int e = 0; e < b; e++) {
            double dot = 0;
            for (int s = 0; s < t; s++) {
                int r = e * t + s;
                dot += a[r] * get(dAlpha, r);
            }
            for (int s = 0; s < t; s++) {
                int r = e * t + s;
                ds[r] = a[r] * (get(dAlpha, r) - dot);
            }
        }
        double[] du = new double[n];
        double[] db = new double[n];
        if (dataType == DataType.FLOAT) {
            backwardRowsFloat(b, t, n, ds, a, du, db, dh);
        } else {
            backwardRowsDouble(b, t, n, ds, a, du, db, dh);
        }
        // dW = H^T dZ; dH = dZ W^T + a g (the second term written by the row pass).
        Blas.gemm(true, false, n, n, (int) rowsN, rows, 0, n, dz, 0, n, 0.0, dWeights, 0, n);
        Blas.gemm(false, true, (int) rowsN, n, n, dz, 0, n, weights, 0, n, 1.0, dh, 0, n);

        Gradient gradient = new DefaultGradient(gradientsFlattened);
        INDArray gW = gradientViews.get(WEIGHT);
        INDArray gU = gradientViews.get(CONTEXT);
        INDArray gB = gradientViews.get(BIAS);
        gW.assign(dWeights.view(0, n, n));
        for (int j = 0; j < n; j++) {
            gU.putScalar(j, du[j]);
            gB.putScalar(j, db[j]);
        }
        gradient.gradientForVariable().put(WEIGHT, gW);
        gradient.gradientForVariable().put(CONTEXT, gU);
        gradient.gradientForVariable().put(BIAS, gB);
        weightNoiseParams.clear();
        epsOut = backpropDropOutIfPresent(epsOut);
        return new Pair<>(gradient, epsOut);
    }

    /** Fills {@code out} ({@code [B, n]}, or null for the training state only) from {@link #input}. */
    private void forward(boolean training, LayerWorkspaceMgr workspaceMgr, INDArray out) {
        INDArray x = input;
        int n = nIn();
        if (x.rank() != 3 || x.size(1) != n) {
            throw new IllegalArgumentException("FastAttentionPooling (layer " + index + ") expects input [batch, " + n
                    + ", time], got " + Arrays.toString(x.shape()));
        }
        int b = (int) x.size(0);
        int t = (int) x.size(2);
        long rowsN = (long) b * t;
        trainingState = false;
        rows = SequenceRows.rows(x, inputCopy);

        weights = Scratch.ensure(weights, dataType, (long) n * n);
        weights.view(0, n, n).assign(getParamWithNoise(WEIGHT, training, workspaceMgr));
        bias = getParamWithNoise(BIAS, training, workspaceMgr).toDoubleVector();
        context = getParamWithNoise(CONTEXT, training, workspaceMgr).toDoubleVector();
        activations = Scratch.ensure(activations, dataType, rowsN * n);
        alpha = Scratch.ensure(alpha, dataType, rowsN);
        if (scores.length < rowsN) {
            scores = new double[(int) rowsN];
        }

        Blas.gemm(false, false, (int) rowsN, n, n, rows, 0, n, weights, 0, n, 0.0, activations, 0, n);
        if (dataType == DataType.FLOAT) {
            forwardRowsFloat((int) rowsN, n, training);
        } else {
            forwardRowsDouble((int) rowsN, n, training);
        }
        softmax(b, t);

        if (out != null) {
            Scratch target = Scratch.wrap(out);
            if (target == null) {
                spareOut = Scratch.ensure(spareOut, dataType, (long) b * n);
                target = spareOut;
            }
            for (int e = 0; e < b; e++) {
                Blas.gemm(false, false, 1, n, t, alpha, (long) e * t, t, rows, (long) e * t * n, n, 0.0, target,
                        (long) e * n, n);
            }
            if (target == spareOut) {
                out.assign(spareOut.view(0, b, n));
            }
        }
        batch = b;
        steps = t;
        trainingState = training;
        trainedInput = training ? input : null;
    }

    /** A = tanh(Z + b) in place (training only) and score_r = A_r · u. */
    private void forwardRowsFloat(int rowsN, int n, boolean keep) {
        if (rowF.length != n) {
            rowF = new float[n];
            biasF = new float[n];
            contextF = new float[n];
            dzF = new float[n];
        }
        for (int j = 0; j < n; j++) {
            biasF[j] = (float) bias[j];
            contextF[j] = (float) context[j];
        }
        FloatBuffer z = activations.floatBuffer;
        float[] row = rowF;
        for (int r = 0; r < rowsN; r++) {
            int off = r * n;
            z.get(off, row, 0, n);
            if (RowsGemm.AVAILABLE) {
                VectorMath.tanh(row, 0, biasF, 0, row, 0, n);
            } else {
                FloatMath.tanh(row, biasF, row, n);
            }
            float s = 0f;
            for (int j = 0; j < n; j++) {
                s += row[j] * contextF[j];
            }
            scores[r] = s;
            if (keep) {
                z.put(off, row, 0, n);
            }
        }
    }

    private void forwardRowsDouble(int rowsN, int n, boolean keep) {
        if (rowD.length != n) {
            rowD = new double[n];
            dzD = new double[n];
        }
        DoubleBuffer z = activations.doubleBuffer;
        double[] row = rowD;
        for (int r = 0; r < rowsN; r++) {
            int off = r * n;
            z.get(off, row, 0, n);
            double s = 0;
            for (int j = 0; j < n; j++) {
                double v = Math.tanh(row[j] + bias[j]);
                row[j] = v;
                s += v * context[j];
            }
            scores[r] = s;
            if (keep) {
                z.put(off, row, 0, n);
            }
        }
    }

    /**
     * Softmax over each example's steps of {@code score + (1 - mask) * MASKED_SCORE}, the sum rounded to the
     * network's precision as the SameDiff layer computes it (so that a fully masked example gets the same uniform
     * weights as there).
     */
    private void softmax(int b, int t) {
        boolean isFloat = dataType == DataType.FLOAT;
        double[] m = maskArray == null ? null : maskArray.castTo(DataType.DOUBLE).dup('c').data().asDouble();
        if (m != null && m.length != b * t) {
            throw new IllegalArgumentException("Expected a features mask of shape [" + b + ", " + t + "], got "
                    + Arrays.toString(maskArray.shape()));
        }
        for (int e = 0; e < b; e++) {
            double max = Double.NEGATIVE_INFINITY;
            for (int s = 0; s < t; s++) {
                int r = e * t + s;
                double v = scores[r];
                if (isFloat) {
                    v = (float) v;
                }
                if (m != null) {
                    v = isFloat ? (float) (v + (float) ((1 - m[r]) * MASKED_SCORE)) : v + (1 - m[r]) * MASKED_SCORE;
                }
                scores[r] = v;
                max = Math.max(max, v);
            }
            double sum = 0;
            for (int s = 0; s < t; s++) {
                int r = e * t + s;
                double v = Math.exp(scores[r] - max);
                scores[r] = v;
                sum += v;
            }
            for (int s = 0; s < t; s++) {
                int r = e * t + s;
                put(alpha, r, scores[r] / sum);
            }
        }
    }

    /**
     * Per row: dZ_r = ds_r u * (1 - A_r^2) into {@link #dz}, du += ds_r A_r, db += dZ_r; and the first term of dH,
     * a_r g_b, into {@code dh}.
     */
    private void backwardRowsFloat(int b, int t, int n, double[] ds, double[] a, double[] du, double[] db,
            Scratch dh) {
        FloatBuffer act = activations.floatBuffer;
        FloatBuffer dzb = dz.floatBuffer;
        FloatBuffer dhb = dh.floatBuffer;
        FloatBuffer g = gradOut.floatBuffer;
        float[] row = rowF;
        float[] dzr = dzF;
        float[] gRow = new float[n];
        float[] duF = new float[n];
        float[] dbF = new float[n];
        for (int e = 0; e < b; e++) {
            g.get(e * n, gRow, 0, n);
            for (int s = 0; s < t; s++) {
                int r = e * t + s;
                int off = r * n;
                float dsr = (float) ds[r];
                float ar = (float) a[r];
                if (dsr == 0f) {
                    Arrays.fill(dzr, 0f);
                } else {
                    act.get(off, row, 0, n);
                    for (int j = 0; j < n; j++) {
                        float v = row[j];
                        float d = dsr * contextF[j] * (1f - v * v);
                        dzr[j] = d;
                        duF[j] += dsr * v;
                        dbF[j] += d;
                    }
                }
                dzb.put(off, dzr, 0, n);
                for (int j = 0; j < n; j++) {
                    row[j] = ar * gRow[j];
                }
                dhb.put(off, row, 0, n);
            }
        }
        for (int j = 0; j < n; j++) {
            du[j] = duF[j];
            db[j] = dbF[j];
        }
    }

    private void backwardRowsDouble(int b, int t, int n, double[] ds, double[] a, double[] du, double[] db,
            Scratch dh) {
        DoubleBuffer act = activations.doubleBuffer;
        DoubleBuffer dzb = dz.doubleBuffer;
        DoubleBuffer dhb = dh.doubleBuffer;
        DoubleBuffer g = gradOut.doubleBuffer;
        double[] row = rowD;
        double[] dzr = dzD;
        double[] gRow = new double[n];
        for (int e = 0; e < b; e++) {
            g.get(e * n, gRow, 0, n);
            for (int s = 0; s < t; s++) {
                int r = e * t + s;
                int off = r * n;
                double dsr = ds[r];
                act.get(off, row, 0, n);
                for (int j = 0; j < n; j++) {
                    double v = row[j];
                    double d = dsr * context[j] * (1 - v * v);
                    dzr[j] = d;
                    du[j] += dsr * v;
                    db[j] += d;
                }
                dzb.put(off, dzr, 0, n);
                for (int j = 0; j < n; j++) {
                    row[j] = a[r] * gRow[j];
                }
                dhb.put(off, row, 0, n);
            }
        }
    }

    private double[] readAlpha(long rowsN) {
        double[] a = new double[(int) rowsN];
        for (int r = 0; r < rowsN; r++) {
            a[r] = get(alpha, r);
        }
        return a;
    }

    private static double get(Scratch s, int i) {
        return s.floatBuffer != null ? s.floatBuffer.get(i) : s.doubleBuffer.get(i);
    }

    private static void put(Scratch s, int i, double v) {
        if (s.floatBuffer != null) {
            s.floatBuffer.put(i, (float) v);
        } else {
            s.doubleBuffer.put(i, v);
        }
    }

    private int nIn() {
        return (int) layerConf().getNIn();
    }

    /** The output is one vector per example: nothing left to mask downstream. */
    @Override
    public Pair<INDArray, MaskState> feedForwardMaskArray(INDArray maskArray, MaskState currentMaskState,
            int minibatchSize) {
        this.maskArray = maskArray;
        this.maskState = currentMaskState;
        return new Pair<>(null, null);
    }

    @Override
    public void clear() {
        super.clear();
        trainingState = false;
        trainedInput = null;
        rows = null;
    }
}
