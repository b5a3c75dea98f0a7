package dev.imdbstream.model.lstm;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.Buffer;
import java.util.Arrays;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;

import dev.imdbstream.model.cpu.Scratch;
import dev.imdbstream.model.cpu.SequenceRows;
import dev.imdbstream.model.cpu.Blas;
import dev.imdbstream.model.cpu.RowsGemm;

/**
 * Forward and backward passes of a bidirectional LSTM over a whole sequence batch, written the way
 * cuDNN and PyTorch's CPU LSTM are:
 * <ul>
 *   <li>the input projection of all steps and both directions is one GEMM, {@code [T*B, nIn] x [nIn, 8H]};
 *   <li>each step does one small GEMM per direction, {@code h_prev [B,H] x RW [H,4H]}, added in place to
 *       that step's projections, then one fused element-wise pass ({@link GateMath});
 *   <li>the backward pass keeps every step's gate gradients in {@code dG [T*B, 8H]}, so that {@code dW}
 *       (both directions), each {@code dRW} and the input gradient are one GEMM each at the end, and
 *       per step only {@code dG_t x RW^T} feeds the previous step.
 * </ul>
 * In float training with the Vector API the gate math computes both recurrent products itself ({@link
 * GateMath#takeRecurrentWeights}), on its heap copies of the step's rows: the profile's {@code STEP_GATES} and {@code
 * BACK_STEP_GATES} then include them, and {@code STEP_GEMM} and {@code BACK_STEP_GEMM} are zero.
 * Everything is time-major ({@code row = t*B + b}) and lives in {@link Scratch} buffers that grow to the
 * largest batch seen and are reused across steps and batches. The state kept for the backward pass is
 * that of the last forward pass run with {@code training = true}. Inference keeps only the previous
 * step's state and computes the input projections in blocks of {@link #inferenceBlockRows} rows, so
 * that its memory does not grow with the sequence length: about {@code 4 * B * (T * nIn + 8H * 4096/B)}
 * bytes, 32 MB at B=256, T=150, against {@code 4 * B * T * (nIn + 22H)} (70 MB at B=32) in training. Inference
 * also reads the weights where DL4J keeps them instead of copying them at every pass (a sizeable share of a pass
 * over one review), and computes the recurrent products of small batches with {@link RowsGemm}.
 *
 * <p>Not thread-safe: one instance belongs to one layer instance.
 */
final class BiLstmKernel {

    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    /** When set, every phase's thread CPU time is added up; read through {@link #profile()}. */
    static volatile boolean profiling;

    /** Phases of the passes, in order. */
    enum Phase { COPY_IN, INPUT_GEMM, STEP_GEMM, STEP_GATES, COPY_OUT, BACK_STEP_GEMM, BACK_STEP_GATES, WEIGHT_GEMMS, INPUT_GRAD_GEMM, GRAD_COPY }

    /**
     * Up to this many examples, inference computes the recurrent products with {@link RowsGemm} (when it is
     * available); above, BLAS's GEMM is as fast in a whole pass, where {@code RowsGemm}'s copies of the rows in and out
     * of its heap arrays (256 kB a step at 128 examples) cost more than its faster arithmetic saves.
     */
    static int rowsGemmMax = 32;

    /** Rows (steps x examples) of input projections kept at a time in inference. */
    static int inferenceBlockRows = 4096;

    private final DataType type;
    private final int nIn;
    private final int hidden;
    /** One per direction: the Vector API one keeps a direction's state between steps. */
    private final GateMath[] maths;
    /** Per direction, whether its math computes the recurrent products of the current training pass. */
    private final boolean[] fusedRecurrent = new boolean[2];
    private final long[] nanos = new long[Phase.values().length];

    private Scratch x;
    private Scratch gates;
    private Scratch out;
    private Scratch cell;
    private Scratch tanhCell;
    private Scratch weights;
    private Scratch recurrent;
    private Scratch dOut;
    private Scratch dGates;
    private Scratch dInput;
    private Scratch dWeights;
    private Scratch dRecurrent;
    private Scratch dBias;
    /** The recurrent product per direction for inference (float, with the Vector API), null without. */
    private final RowsGemm[] rowsGemm;

    private double[] bias = new double[0];
    private double[] mask = new double[0];
    private boolean[] active = new boolean[0];
    private double[] biasGrad = new double[0];

    private int batch;
    private int steps;
    private boolean masked;
    private boolean trainingState;

    BiLstmKernel(DataType type, int nIn, int hidden) {
        if (type != DataType.FLOAT && type != DataType.DOUBLE) {
            throw new IllegalArgumentException("BiLstm supports FLOAT and DOUBLE networks, not " + type);
        }
        this.type = type;
        this.nIn = nIn;
        this.hidden = hidden;
        boolean isDouble = type == DataType.DOUBLE;
        this.maths = new GateMath[] {GateMath.forType(isDouble), GateMath.forType(isDouble)};
        this.rowsGemm = type == DataType.FLOAT && RowsGemm.AVAILABLE
                ? new RowsGemm[] {new RowsGemm(hidden, 4 * hidden), new RowsGemm(hidden, 4 * hidden)} : null;
    }

    /** Whether the buffers hold the state of a training forward pass that {@link #backward} can use. */
    boolean hasTrainingState() {
        return trainingState;
    }

    void invalidate() {
        trainingState = false;
    }

    /**
     * @param input  {@code [B, nIn, T]}, any layout
     * @param maskBt {@code [B, T]} or null
     * @param params fW, fRW, fb, bW, bRW, bb as the stock layer stores them
     * @param result {@code [B, 2H, T]} to fill, or null when only the training state is wanted; written in
     *               place when it is a fresh array in 'f' order or a {@code [B, T, 2H]} 'c'-order one permuted
     */
    void forward(INDArray input, INDArray maskBt, INDArray[] params, boolean training, INDArray result) {
        long start = clock();
        int b = (int) input.size(0);
        int t = (int) input.size(2);
        int h = hidden;
        int g4 = 4 * h;
        int g8 = 8 * h;
        long rows = (long) t * b;
        // The output is written step by step by the gate loops when it is plain memory, else copied at
        // the end from the hidden-state history.
        Buffer direct = null;
        int exampleStride = 0;
        int unitStride = 0;
        long stepStride = 0;
        if (result != null && isStrided(result, 1, b, (long) b * 2 * h)) {
            direct = Scratch.directView(result);
            exampleStride = 1;
            unitStride = b;
            stepStride = 2L * b * h;
        } else if (result != null && isStrided(result, (long) t * 2 * h, 1, 2L * h)) {
            direct = Scratch.directView(result);
            exampleStride = t * 2 * h;
            unitStride = 1;
            stepStride = 2L * h;
        }
        // Inference keeps only what the next step needs: the previous state, and the input projections
        // of a block of steps, computed by a few large GEMMs instead of one huge one.
        boolean rolling = !training && (direct != null || result == null);
        int block = training ? t : Math.max(1, Math.min(t, inferenceBlockRows / b));
        allocateForward(b, t, training, rolling, block);
        trainingState = false;

        if (!SequenceRows.toTimeMajor(input, 0, nIn, x, 0)) {
            x.view(0, t, b, nIn).assign(input.permute(2, 0, 1));
        }
        // Inference reads the weights where DL4J keeps them; training copies them (its backward pass reads the copies).
        Scratch[] stored = training ? null : storedWeights(params);
        // RowsGemm reads the recurrent weights once per four examples, as they are (BLAS: once per example up to 12,
        // then a GEMM that repacks them at every step); for one example they are equal.
        boolean rowsProduct = stored != null && rowsGemm != null && b > 1 && b <= rowsGemmMax;
        if (stored == null) {
            INDArray w = weights.view(0, nIn, g8);
            w.get(NDArrayIndex.all(), NDArrayIndex.interval(0, g4)).assign(params[0]);
            w.get(NDArrayIndex.all(), NDArrayIndex.interval(g4, g8)).assign(params[3]);
            recurrent.view(0, h, g4).assign(params[1]);
            recurrent.view((long) h * g4, h, g4).assign(params[4]);
            for (int d = 0; d < 2; d++) {
                fusedRecurrent[d] = maths[d].takeRecurrentWeights(recurrent, (long) d * h * g4, h);
            }
        } else if (rowsProduct) {
            for (int d = 0; d < 2; d++) {
                rowsGemm[d].loadTransposed(stored[1 + 2 * d], 0, h);
            }
        }
        readBias(params[2], 0);
        readBias(params[5], g4);
        readMask(maskBt, b, t);
        long now = tick(Phase.COPY_IN, start);

        long stepState = (long) b * h;
        long dirState = rows * h;
        int[] blockStart = new int[2];
        for (int s = 0; s < t; s++) {
            if (s % block == 0) {
                int n = Math.min(block, t - s);
                if (n == t && stored == null) {
                    // All steps of both directions at once: [T*B, nIn] x [nIn, 8H].
                    Blas.gemm(false, false, (int) rows, g8, nIn, x, 0, nIn, weights, 0, g8, 0.0, gates, 0, g8);
                } else {
                    blockStart[0] = s;
                    blockStart[1] = t - s - n;
                    for (int d = 0; d < 2; d++) {
                        if (stored != null) {
                            // W is [nIn, 4H] in 'f' order: W^T row-major.
                            Blas.gemm(false, true, n * b, g4, nIn, x, (long) blockStart[d] * b * nIn, nIn,
                                    stored[2 * d], 0, nIn, 0.0, gates, (long) d * g4, g8);
                        } else {
                            Blas.gemm(false, false, n * b, g4, nIn, x, (long) blockStart[d] * b * nIn, nIn,
                                    weights, (long) d * g4, g8, 0.0, gates, (long) d * g4, g8);
                        }
                    }
                }
                now = tick(Phase.INPUT_GEMM, now);
            }
            for (int d = 0; d < 2; d++) {
                int step = d == 0 ? s : t - 1 - s;
                int prev = d == 0 ? step - 1 : step + 1;
                boolean hasPrev = s > 0 && active[prev];
                boolean fused = training && fusedRecurrent[d];
                long gateOffset = (long) (step - blockStart[d]) * b * g8 + (long) d * g4;
                long outOffset = stateOffset(d, step, stepState, dirState, rolling);
                if (hasPrev && !fused) {
                    long prevOffset = stateOffset(d, prev, stepState, dirState, rolling);
                    if (rowsProduct) {
                        rowsGemm[d].multiplyAdd(b, out, prevOffset, h, gates, gateOffset, g8);
                    } else if (stored != null) {
                        // RW is [H, 4H] in 'f' order: RW^T row-major.
                        Blas.gemm(false, true, b, g4, h, out, prevOffset, h, stored[1 + 2 * d], 0, h, 1.0, gates,
                                gateOffset, g8);
                    } else {
                        Blas.gemm(false, false, b, g4, h, out, prevOffset, h, recurrent, (long) d * h * g4, g4, 1.0,
                                gates, gateOffset, g8);
                    }
                    now = tick(Phase.STEP_GEMM, now);
                }
                long cOffset = stateOffset(d, step, stepState, dirState, !training);
                if (active[step]) {
                    long cPrev = hasPrev ? stateOffset(d, prev, stepState, dirState, !training) : -1;
                    maths[d].forward(b, h, gates, gateOffset, g8, bias, d * g4, masked ? mask : null, step * b,
                            cell, cPrev, cOffset, training ? tanhCell : null, cOffset, out, outOffset,
                            direct, step * stepStride + (long) d * h * unitStride, exampleStride, unitStride,
                            hasPrev && fused);
                } else {
                    cell.zero(cOffset, stepState);
                    out.zero(outOffset, stepState);
                    if (direct != null) {
                        result.get(NDArrayIndex.all(), NDArrayIndex.interval((long) d * h, (long) (d + 1) * h),
                                NDArrayIndex.point(step)).assign(0);
                    }
                }
                now = tick(Phase.STEP_GATES, now);
            }
        }

        if (result != null && direct == null) {
            for (int d = 0; d < 2; d++) {
                result.get(NDArrayIndex.all(), NDArrayIndex.interval((long) d * h, (long) (d + 1) * h), NDArrayIndex.all())
                        .assign(out.view(d * dirState, t, b, h).permute(1, 2, 0));
            }
        }
        tick(Phase.COPY_OUT, now);
        batch = b;
        steps = t;
        trainingState = training;
    }

    /**
     * Backward pass for the state of the last training forward pass.
     *
     * @param epsilon  dL/d(output), {@code [B, 2H, T]}, any layout
     * @param gradients views to fill, in the order fW, fRW, fb, bW, bRW, bb
     * @param epsOut   dL/d(input), {@code [B, nIn, T]}, filled here
     */
    void backward(INDArray epsilon, INDArray[] gradients, INDArray epsOut) {
        if (!trainingState) {
            throw new IllegalStateException("backward() needs a forward pass with training = true first");
        }
        long start = clock();
        int b = batch;
        int t = steps;
        int h = hidden;
        int g4 = 4 * h;
        int g8 = 8 * h;
        long rows = (long) t * b;
        long stepState = (long) b * h;
        long dirState = rows * h;
        allocateBackward(b, t);
        for (int d = 0; d < 2; d++) {
            if (!SequenceRows.toTimeMajor(epsilon, d * h, h, dOut, d * dirState)) {
                dOut.view(d * dirState, t, b, h).assign(epsilon
                        .get(NDArrayIndex.all(), NDArrayIndex.interval((long) d * h, (long) (d + 1) * h), NDArrayIndex.all())
                        .permute(2, 0, 1));
            }
        }
        Arrays.fill(biasGrad, 0.0);
        long now = tick(Phase.COPY_IN, start);

        for (int d = 0; d < 2; d++) {
            GateMath math = maths[d];
            math.clearCarry(b, h);
            for (int s = 0; s < t; s++) {
                int step = d == 0 ? t - 1 - s : s;
                int prev = d == 0 ? step - 1 : step + 1;
                boolean hasPrev = prev >= 0 && prev < t && active[prev];
                long gateOffset = (long) step * b * g8 + (long) d * g4;
                long stateOffset = d * dirState + step * stepState;
                if (active[step]) {
                    long cPrev = hasPrev ? d * dirState + prev * stepState : -1;
                    math.backward(b, h, gates, gateOffset, g8, masked ? mask : null, step * b, cell, cPrev,
                            tanhCell, stateOffset, dOut, stateOffset, dGates, gateOffset, biasGrad, d * g4,
                            hasPrev && fusedRecurrent[d]);
                } else {
                    for (int r = 0; r < b; r++) {
                        dGates.zero(gateOffset + (long) r * g8, g4);
                    }
                    math.clearCarry(b, h);
                }
                now = tick(Phase.BACK_STEP_GATES, now);
                if (hasPrev && active[step] && !fusedRecurrent[d]) {
                    Blas.gemm(false, true, b, h, g4, dGates, gateOffset, g8, recurrent, (long) d * h * g4, g4,
                            1.0, dOut, d * dirState + prev * stepState, h);
                    now = tick(Phase.BACK_STEP_GEMM, now);
                }
            }
        }

        // dW for both directions: X^T [nIn, TB] x dG [TB, 8H].
        Blas.gemm(true, false, nIn, g8, (int) rows, x, 0, nIn, dGates, 0, g8, 0.0, dWeights, 0, g8);
        // dRW: sum over steps of h_prev^T dG, one GEMM per direction on the shifted state history.
        int k = (int) ((long) (t - 1) * b);
        for (int d = 0; d < 2; d++) {
            long hRows = d == 0 ? 0 : stepState;
            long gRows = d == 0 ? (long) b * g8 : 0;
            if (k > 0) {
                Blas.gemm(true, false, h, g4, k, out, d * dirState + hRows, h, dGates, gRows + (long) d * g4, g8,
                        0.0, dRecurrent, (long) d * h * g4, g4);
            } else {
                dRecurrent.zero((long) d * h * g4, (long) h * g4);
            }
        }
        now = tick(Phase.WEIGHT_GEMMS, now);
        // dX for both directions at once: dG [TB, 8H] x W^T [8H, nIn].
        Blas.gemm(false, true, (int) rows, nIn, g8, dGates, 0, g8, weights, 0, g8, 0.0, dInput, 0, nIn);
        now = tick(Phase.INPUT_GRAD_GEMM, now);

        INDArray dw = dWeights.view(0, nIn, g8);
        gradients[0].assign(dw.get(NDArrayIndex.all(), NDArrayIndex.interval(0, g4)));
        gradients[3].assign(dw.get(NDArrayIndex.all(), NDArrayIndex.interval(g4, g8)));
        gradients[1].assign(dRecurrent.view(0, h, g4));
        gradients[4].assign(dRecurrent.view((long) h * g4, h, g4));
        for (int i = 0; i < g8; i++) {
            if (dBias.floatBuffer != null) {
                dBias.floatBuffer.put(i, (float) biasGrad[i]);
            } else {
                dBias.doubleBuffer.put(i, biasGrad[i]);
            }
        }
        gradients[2].assign(dBias.view(0, gradients[2].shape()));
        gradients[5].assign(dBias.view(g4, gradients[5].shape()));
        if (!SequenceRows.fromTimeMajor(dInput, 0, epsOut)) {
            epsOut.assign(dInput.view(0, t, b, nIn).permute(1, 2, 0));
        }
        tick(Phase.GRAD_COPY, now);
    }

    /** CPU milliseconds spent per phase while {@link #profiling}, since the last {@link #resetProfile()}. */
    double[] profile() {
        double[] ms = new double[nanos.length];
        for (int i = 0; i < ms.length; i++) {
            ms[i] = nanos[i] / 1e6;
        }
        return ms;
    }

    void resetProfile() {
        Arrays.fill(nanos, 0);
    }

    private long tick(Phase phase, long since) {
        if (!profiling) {
            return 0;
        }
        long now = clock();
        nanos[phase.ordinal()] += now - since;
        return now;
    }

    private static long clock() {
        return profiling ? THREADS.getCurrentThreadCpuTime() : 0;
    }

    /**
     * The four weights' memory ({@code [fW, fRW, bW, bRW]}) when each is a dense 'f'-order array, as DL4J's LSTM
     * parameters are ({@code [rows, cols]} with strides {@code [1, rows]}: the transpose, row-major); null otherwise,
     * and they are copied.
     */
    private Scratch[] storedWeights(INDArray[] params) {
        int[] weights = {0, 1, 3, 4};
        Scratch[] stored = new Scratch[weights.length];
        for (int i = 0; i < weights.length; i++) {
            INDArray w = params[weights[i]];
            boolean fOrder = w.rank() == 2 && w.stride(0) == 1 && w.stride(1) == w.size(0);
            stored[i] = fOrder ? Scratch.wrapDense(w) : null;
            if (stored[i] == null) {
                return null;
            }
        }
        return stored;
    }

    /** A direction's bias ({@code 4H} values) into {@link #bias} from {@code at}. */
    private void readBias(INDArray b, int at) {
        int g4 = 4 * hidden;
        Scratch s = b.length() == g4 && (b.rank() == 1 || b.stride(b.rank() - 1) == 1) ? Scratch.wrapDense(b) : null;
        if (s == null) {
            System.arraycopy(b.toDoubleVector(), 0, bias, at, g4);
        } else if (s.floatBuffer != null) {
            for (int j = 0; j < g4; j++) {
                bias[at + j] = s.floatBuffer.get(j);
            }
        } else {
            s.doubleBuffer.get(0, bias, at, g4);
        }
    }

    /** Whether {@code a} is {@code [B, 2H, T]} with the given element strides. */
    private static boolean isStrided(INDArray a, long example, long unit, long step) {
        long[] s = a.stride();
        return a.rank() == 3 && (a.size(0) == 1 || s[0] == example) && s[1] == unit && (a.size(2) == 1 || s[2] == step);
    }

    /** Offset of a step's state: every step kept, or only two (this and the previous one) per direction. */
    private static long stateOffset(int d, int step, long stepState, long dirState, boolean rolling) {
        return rolling ? (2L * d + (step & 1)) * stepState : d * dirState + step * stepState;
    }

    private void readMask(INDArray maskBt, int b, int t) {
        masked = maskBt != null;
        Arrays.fill(active, 0, t, true);
        if (!masked) {
            return;
        }
        if (maskBt.rank() != 2 || maskBt.size(0) != b || maskBt.size(1) != t) {
            throw new IllegalArgumentException("Expected a features mask of shape [" + b + ", " + t + "], got "
                    + Arrays.toString(maskBt.shape()));
        }
        // One bulk copy: toDoubleMatrix() reads element by element, which is slow for a whole mask.
        double[] m = maskBt.castTo(DataType.DOUBLE).dup('c').data().asDouble();
        for (int step = 0; step < t; step++) {
            boolean any = false;
            for (int r = 0; r < b; r++) {
                double v = m[r * t + step];
                mask[step * b + r] = v;
                any |= v != 0.0;
            }
            active[step] = any;
        }
    }

    private void allocateForward(int b, int t, boolean training, boolean rolling, int block) {
        long rows = (long) t * b;
        int h = hidden;
        x = Scratch.ensure(x, type, rows * nIn);
        gates = Scratch.ensure(gates, type, (long) block * b * 8 * h);
        out = Scratch.ensure(out, type, rolling ? 4L * b * h : 2 * rows * h);
        cell = Scratch.ensure(cell, type, training ? 2 * rows * h : 4L * b * h);
        if (training) {
            tanhCell = Scratch.ensure(tanhCell, type, 2 * rows * h);
        }
        weights = Scratch.ensure(weights, type, (long) nIn * 8 * h);
        recurrent = Scratch.ensure(recurrent, type, 2L * h * 4 * h);
        if (bias.length != 8 * h) {
            bias = new double[8 * h];
        }
        if (mask.length < rows) {
            mask = new double[(int) rows];
        }
        if (active.length < t) {
            active = new boolean[t];
        }
    }

    private void allocateBackward(int b, int t) {
        long rows = (long) t * b;
        int h = hidden;
        dOut = Scratch.ensure(dOut, type, 2 * rows * h);
        dGates = Scratch.ensure(dGates, type, rows * 8 * h);
        dInput = Scratch.ensure(dInput, type, rows * nIn);
        dWeights = Scratch.ensure(dWeights, type, (long) nIn * 8 * h);
        dRecurrent = Scratch.ensure(dRecurrent, type, 2L * h * 4 * h);
        dBias = Scratch.ensure(dBias, type, 8L * h);
        if (biasGrad.length != 8 * h) {
            biasGrad = new double[8 * h];
        }
    }
}
